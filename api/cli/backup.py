"""`kcmap backup -o FILE` and `kcmap restore FILE`: the database in one custom-format file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import fail
from geo.core.errors import KcmapError


def _dsn() -> str:
    """The configured database (the local cluster is started when DATABASE_URL is unset)."""
    from api.database import database_from_env

    return database_from_env().dsn


def backup(
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp sẽ ghi (.dump)")],
) -> None:
    """Sao lưu toàn bộ cơ sở dữ liệu (định dạng custom của pg_dump; có ghi phiên bản lược đồ)."""
    from geo.core import backup as backups

    try:
        archive = backups.backup(_dsn(), output)
    except KcmapError as exc:
        raise fail(exc) from exc
    typer.echo(f"Đã sao lưu vào {archive.path} ({archive.size:,} byte, lược đồ phiên bản "
               f"{archive.schema_version})")


def restore(
    archive_file: Annotated[Path, typer.Argument(help="Tệp do `kcmap backup` tạo ra")],
    force: Annotated[bool, typer.Option(
        "--force", help="Xóa hết dữ liệu của cơ sở dữ liệu đích trước khi khôi phục")] = False,
) -> None:
    """Khôi phục bản sao lưu vào cơ sở dữ liệu trống (đã có dữ liệu thì cần --force)."""
    from geo.core import backup as backups

    try:
        archive = backups.restore(_dsn(), archive_file, force=force)
    except KcmapError as exc:
        raise fail(exc) from exc
    typer.echo(f"Đã khôi phục {archive.path.name} (lược đồ phiên bản {archive.schema_version}); "
               "chạy `kcmap db migrate` nếu mã kcmap mới hơn bản sao lưu, rồi khởi động lại "
               "`kcmap serve` (bộ nhớ đệm của tiến trình đang chạy không biết dữ liệu đã đổi)")
