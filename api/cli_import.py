"""`kcmap import establishments|villages|projects PATH`: spreadsheet importers."""

from __future__ import annotations

import typer

app = typer.Typer(help="Import spreadsheets (.xlsx, .csv) of establishments, villages, projects",
                  no_args_is_help=True)
