"""`kcmap report …`: the briefing PDF from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import in_transaction, os_error_message
from geo.core.db import Connection
from geo.core.vocab import Allocation

app = typer.Typer(help="Reports: the briefing PDF and the annual report", no_args_is_help=True)


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
    typer.echo(f"{output}: {len(body)} byte")


@app.command("annual")
def annual(
    year: Annotated[int, typer.Option(help="Report year, e.g. 2025")],
    output: Annotated[Path, typer.Option("-o", "--output", help="PDF or XLSX file to write")],
) -> None:
    """Write the annual report (results against plan and targets) as PDF, or XLSX by suffix."""
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
