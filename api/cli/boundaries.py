"""`kcmap boundaries …` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli import vi_typer
from api.cli.common import in_transaction
from geo.core.vocab import Edition, Level

app = vi_typer.Typer(help="Ranh giới đơn vị hành chính: nhập tệp, dựng ranh giới gần đúng",
                  no_args_is_help=True)


@app.command("import")
def import_cmd(
    path: Annotated[Path, typer.Argument(help="Tệp GeoJSON, Shapefile (.shp) hoặc GeoPackage")],
    level: Annotated[Level, typer.Option(help="Cấp đơn vị của các vùng")],
    code_field: Annotated[str | None, typer.Option(help="Trường chứa mã đơn vị")] = None,
    name_field: Annotated[str | None, typer.Option(help="Trường chứa tên đơn vị")] = None,
    crs: Annotated[str | None, typer.Option(
        help="Hệ tọa độ cho tệp không có (hoặc thay hệ của tệp), ví dụ EPSG:5898")] = None,
    edition: Annotated[Edition, typer.Option(
        help="Bản danh mục (legacy: trước 1/7/2025; 2025)")] = Edition.legacy,
    layer: Annotated[str | None, typer.Option(help="Lớp cần đọc của tệp nhiều lớp")] = None,
) -> None:
    """Nhập ranh giới chính thức từ tệp và in báo cáo chất lượng."""
    from geo.boundaries.file_import import import_boundaries
    from geo.boundaries.qa import format_import_report

    report = in_transaction(lambda conn: import_boundaries(
        conn, path, level, code_field=code_field, name_field=name_field, crs=crs,
        edition=edition, layer=layer))
    typer.echo(format_import_report(report))


@app.command("approximate")
def approximate_cmd(
    edition: Annotated[Edition, typer.Option(
        help="Bản danh mục (legacy: trước 1/7/2025; 2025)")] = Edition.legacy,
) -> None:
    """Dựng ranh giới gần đúng từ tâm điểm danh mục (giữ nguyên ranh giới chính thức)."""
    from geo.boundaries.approx import build_approximate
    from geo.boundaries.qa import format_approx_report

    report = in_transaction(lambda conn: build_approximate(conn, edition=edition))
    typer.echo(format_approx_report(report))
