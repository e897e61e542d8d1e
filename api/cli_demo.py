"""`kcmap demo …` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Synthetic demo records", no_args_is_help=True)
