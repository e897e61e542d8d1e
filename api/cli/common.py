"""What every `kcmap` command shares: one transaction on the configured database."""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn, TypeVar

import typer

from geo.core.db import Connection
from geo.core.errors import KcmapError

T = TypeVar("T")


def fail(exc: Exception) -> typer.Exit:
    """Print a one-line error (no traceback) and return the Exit to raise."""
    typer.echo(f"kcmap: {exc}", err=True)
    return typer.Exit(code=1)


def die(message: object) -> NoReturn:
    """Print a one-line error (no traceback) and exit with status 1."""
    raise fail(Exception(message) if not isinstance(message, Exception) else message)


def in_transaction(work: Callable[[Connection], T]) -> T:
    """Run work(conn) in one transaction (local cluster started if needed); exit 1 on errors."""
    from api import database as db_module

    try:
        database = db_module.database_from_env()
        with database.transaction() as conn:
            return work(conn)
    except KcmapError as exc:
        raise fail(exc) from exc
