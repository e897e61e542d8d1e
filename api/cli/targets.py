"""`kcmap targets …`: programme targets from a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli import vi_typer
from api.cli.common import die, in_transaction, os_error_message
from geo.core.db import Connection

app = vi_typer.Typer(help="Chỉ tiêu chương trình khuyến công", no_args_is_help=True)


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="CSV có các cột period, activity, indicator, "
                                              "unit, target và district (tùy chọn)")],
) -> None:
    """Nhập chỉ tiêu (mọi dòng hoặc không dòng nào); dòng trùng khóa thay chỉ tiêu đã lưu."""
    from geo.cycle.targets import import_targets

    try:
        text = file.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        die(os_error_message(exc))
    except UnicodeDecodeError:
        die(f"tệp {file} không phải văn bản UTF-8")

    def work(conn: Connection) -> dict[str, int]:
        return import_targets(conn, None, text, f"csv:{file.name}", cli=True)

    counts = in_transaction(work)
    typer.echo(f"chỉ tiêu: {counts['rows']} dòng, {counts['inserted']} thêm mới, "
               f"{counts['updated']} cập nhật")
