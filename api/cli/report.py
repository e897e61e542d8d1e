"""`kcmap report …`: the briefing PDF from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli import vi_typer
from api.cli.common import in_transaction, os_error_message
from geo.core.db import Connection
from geo.core.vocab import Allocation

app = vi_typer.Typer(help="Báo cáo: bản tóm tắt PDF và báo cáo năm", no_args_is_help=True)


@app.command("briefing")
def briefing(
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp PDF sẽ ghi")],
    district: Annotated[str | None, typer.Option(
        help="Mã huyện (trước 1/7/2025), ví dụ 524")] = None,
    years: Annotated[str | None, typer.Option(help="Các năm, ví dụ 2021-2025")] = None,
    allocation: Annotated[Allocation, typer.Option(
        help="Cách chia đề án cấp huyện trên bản đồ xã")] = Allocation.none,
) -> None:
    """Ghi bản tóm tắt A4 khổ ngang (bản đồ, số liệu chính, mười xã thiếu hỗ trợ nhất)."""
    from geo.publish.briefing_data import briefing_data
    from geo.publish.map_views import ViewQuery
    from maps.export.briefing import briefing_pdf

    params = ViewQuery(allocation=allocation, years=years, district=district or None)

    def work(conn: Connection) -> bytes:
        return briefing_pdf(briefing_data(conn, params))

    body = in_transaction(work)
    output.write_bytes(body)
    typer.echo(f"{output}: {len(body)} byte")


@app.command("annual")
def annual(
    year: Annotated[int, typer.Option(help="Năm báo cáo, ví dụ 2025")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp PDF hoặc XLSX sẽ ghi")],
) -> None:
    """Ghi báo cáo năm (kết quả so với kế hoạch và chỉ tiêu) dạng PDF, hoặc XLSX theo đuôi tệp."""
    from geo.cycle.annual import annual_data
    from maps.export.annual_report import annual_pdf, annual_xlsx

    def work(conn: Connection) -> bytes:
        data = annual_data(conn, year)
        return annual_xlsx(data) if output.suffix.lower() == ".xlsx" else annual_pdf(data)

    body = in_transaction(work)
    try:
        output.write_bytes(body)
    except OSError as exc:
        typer.echo(f"kcmap: {os_error_message(exc)}", err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"{output}: {len(body)} byte")
