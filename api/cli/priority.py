"""`kcmap priority …`: the priority communes (mountainous / disadvantaged) of the gap ranking."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli import vi_typer
from api.cli.common import fail, in_transaction
from geo.core.db import Connection
from geo.core.errors import KcmapError

app = vi_typer.Typer(help="Xã ưu tiên (miền núi, đặc biệt khó khăn) trong xếp hạng xã thiếu hỗ trợ",
                  no_args_is_help=True)


@app.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(help="CSV mã xã (trước 1/7/2025): cột 'code' (hoặc "
                                              "'Mã xã'), cột 'note' tùy chọn")],
    append: Annotated[bool, typer.Option(help="Thêm vào danh sách hiện có thay vì "
                                              "thay thế")] = False,
) -> None:
    """Đánh dấu các xã trong tệp CSV; mỗi mã phải là mã xã (trước 1/7/2025) của tỉnh 51."""
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
    """In các xã đã đánh dấu: mã, tên, huyện, ghi chú."""
    from geo.analytics.priority import list_priority

    for r in in_transaction(list_priority):
        typer.echo("\t".join(str(r[k] or "") for k in ("code", "name", "district_name", "note")))


@app.command("clear")
def clear() -> None:
    """Bỏ mọi đánh dấu ưu tiên."""
    from geo.analytics.priority import clear_priority

    typer.echo(f"đã bỏ đánh dấu ưu tiên: {in_transaction(clear_priority)}")
