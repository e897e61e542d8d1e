"""`kcmap boundaries …` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Unit boundaries: import files, build approximate ones",
                  no_args_is_help=True)
