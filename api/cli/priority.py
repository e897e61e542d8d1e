"""`kcmap priority …`: the priority communes (mountainous / disadvantaged) of the gap ranking."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import fail, in_transaction
from geo.core.db import Connection
from geo.core.errors import KcmapError

app = typer.Typer(help="Priority communes (miền núi, đặc biệt khó khăn) for the gap ranking",
                  no_args_is_help=True)


@app.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(help="CSV of legacy commune codes: a 'code' (or "
                                              "'Mã xã') column, optional 'note' column")],
    append: Annotated[bool, typer.Option(help="Add to the current flags instead of "
                                              "replacing them")] = False,
) -> None:
    """Flag the communes listed in a CSV; every code must be a legacy commune of province 51."""
    from geo.analytics.priority import import_priority, read_priority_file
    from geo.core.migrate import migrate

    try:
        rows = read_priority_file(path)
    except KcmapError as exc:
        raise fail(exc) from exc

    def work(conn: Connection) -> int:
        migrate(conn)
        return import_priority(conn, rows, source_file=path.name, replace=not append)

    count = in_transaction(work)
    typer.echo(f"xã ưu tiên: đánh dấu {count} xã từ {path.name}"
               + (" (thêm vào)" if append else " (thay danh sách trước)"))


@app.command("list")
def list_flags() -> None:
    """Print the flagged communes: code, name, district, note."""
    from geo.analytics.priority import list_priority

    for r in in_transaction(list_priority):
        typer.echo("\t".join(str(r[k] or "") for k in ("code", "name", "district_name", "note")))


@app.command("clear")
def clear() -> None:
    """Remove every priority flag."""
    from geo.analytics.priority import clear_priority

    typer.echo(f"đã bỏ đánh dấu ưu tiên: {in_transaction(clear_priority)}")
