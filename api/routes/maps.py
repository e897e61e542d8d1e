"""Map pages (Folium)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from geo.coverage import coverage_report
from maps.coverage import check_indicator, coverage_map

router = APIRouter()


@router.get("/maps/coverage", response_class=HTMLResponse)
def coverage(
    request: Request,
    level: str = Query("commune", description="district | commune"),
    indicator: str = Query("kc_vnd", description="kc_vnd | projects | establishments"),
) -> HTMLResponse:
    """Choropleth of khuyến công budget, projects or establishments per legacy unit."""
    check_indicator(indicator)
    with request.app.state.database.transaction() as conn:
        data = coverage_report(conn, level)
    m = coverage_map(data, level, indicator, request.app.state.map_settings)
    return HTMLResponse(m.get_root().render())
