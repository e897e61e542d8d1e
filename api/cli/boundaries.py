"""`kcmap boundaries …` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import in_transaction
from geo.core.vocab import Edition, Level

app = typer.Typer(help="Unit boundaries: import files, build approximate ones",
                  no_args_is_help=True)


@app.command("import")
def import_cmd(
    path: Annotated[Path, typer.Argument(help="GeoJSON, Shapefile (.shp) or GeoPackage")],
    level: Annotated[Level, typer.Option(help="Unit level of the polygons")],
    code_field: Annotated[str | None, typer.Option(help="Field holding unit codes")] = None,
    name_field: Annotated[str | None, typer.Option(help="Field holding unit names")] = None,
    crs: Annotated[str | None, typer.Option(
        help="CRS of a file without one (or to override it), e.g. EPSG:5898")] = None,
    edition: Annotated[Edition, typer.Option(help="Gazetteer edition")] = Edition.legacy,
    layer: Annotated[str | None, typer.Option(help="Layer of a multi-layer file")] = None,
) -> None:
    """Import official polygons from a file and print the quality report."""
    from geo.boundaries.file_import import import_boundaries
    from geo.boundaries.qa import format_import_report

    report = in_transaction(lambda conn: import_boundaries(
        conn, path, level, code_field=code_field, name_field=name_field, crs=crs,
        edition=edition, layer=layer))
    typer.echo(format_import_report(report))


@app.command("approximate")
def approximate_cmd(
    edition: Annotated[Edition, typer.Option(help="Gazetteer edition")] = Edition.legacy,
) -> None:
    """Build approximate polygons from gazetteer centroids (official ones are kept)."""
    from geo.boundaries.approx import build_approximate
    from geo.boundaries.qa import format_approx_report

    report = in_transaction(lambda conn: build_approximate(conn, edition=edition))
    typer.echo(format_approx_report(report))
