"""`kcmap geocode …`: geocode a CSV or one address."""

from __future__ import annotations

import typer


def geocode() -> None:
    """Geocode addresses (not implemented yet)."""
    typer.echo("not implemented yet", err=True)
    raise typer.Exit(code=2)
