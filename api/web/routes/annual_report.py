"""The annual (periodic) report: results against the plan and targets, PDF and XLSX."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.web.responses import file_response
from geo.cycle.annual import annual_data
from maps.export.annual_report import annual_pdf, annual_xlsx

router = APIRouter(tags=["reports"])
YEAR = Query(..., ge=2000, le=2100, description="report year, e.g. 2025")


@router.get("/reports/annual.pdf", summary="Annual report PDF")
def annual_report_pdf(request: Request, year: int = YEAR) -> Response:
    """A4 landscape report in Vietnamese: coverage map, results against plan and targets."""
    with request.app.state.database.transaction() as conn:
        data = annual_data(conn, year)
    return file_response(annual_pdf(data), f"kcmap-bao-cao-nam-{year}.pdf", "pdf", inline=True)


@router.get("/reports/annual.xlsx", summary="Annual report workbook")
def annual_report_xlsx(request: Request, year: int = YEAR) -> Response:
    """The same figures as a workbook: targets, by district, by activity, totals."""
    with request.app.state.database.transaction() as conn:
        data = annual_data(conn, year)
    return file_response(annual_xlsx(data), f"kcmap-bao-cao-nam-{year}.xlsx", "xlsx")
