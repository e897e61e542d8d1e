"""`kcmap report …`: the briefing PDF from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import in_transaction
from geo.core.db import Connection
from geo.core.vocab import Allocation

app = typer.Typer(help="Reports: the briefing PDF", no_args_is_help=True)


@app.command("briefing")
def briefing(
    output: Annotated[Path, typer.Option("-o", "--output", help="PDF file to write")],
    district: Annotated[str | None, typer.Option(help="Legacy district code, e.g. 524")] = None,
    years: Annotated[str | None, typer.Option(help="Years, e.g. 2021-2025")] = None,
    allocation: Annotated[Allocation, typer.Option(
        help="District-level projects on the commune map")] = Allocation.none,
) -> None:
    """Write the A4 landscape briefing (map, key figures, ten most underserved communes)."""
    from geo.publish.briefing_data import briefing_data
    from geo.publish.map_views import ViewQuery
    from maps.export.briefing import briefing_pdf

    params = ViewQuery(allocation=allocation, years=years, district=district or None)

    def work(conn: Connection) -> bytes:
        return briefing_pdf(briefing_data(conn, params))

    body = in_transaction(work)
    output.write_bytes(body)
    typer.echo(f"{output}: {len(body)} bytes")
