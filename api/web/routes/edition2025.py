"""The 2025 edition (new communes, no districts): coverage JSON and the coverage map page.

Until /api/coverage and /maps/coverage take `edition=2025` themselves, these routes serve it;
coverage_2025_json / coverage_2025_page are what those routes call for edition=2025.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.filter_query import FilterQuery, Filters
from geo.analytics.edition2025 import coverage_geojson_2025, report_2025
from geo.analytics.filters import activity_types, check_allocation
from geo.core.errors import InvalidInput
from maps.core.map_forms import url_with
from maps.views.choropleth import check_classification, check_indicator
from maps.views.coverage2025 import coverage_2025_map, query_of

router = APIRouter(tags=["edition 2025"])
ALLOCATION = Query("none", description="none | even | establishments")


EDITION = Query("legacy", description="legacy (before 1 July 2025) | 2025 (after)")


def check_edition(edition: str, level: str) -> str:
    """Validate the edition; the 2025 edition has communes only."""
    if edition not in ("legacy", "2025"):
        raise InvalidInput(f"edition must be legacy or 2025, not {edition!r}")
    if edition == "2025" and level != "commune":
        raise InvalidInput("the 2025 edition has no district level (abolished 1 July 2025)")
    return edition


def coverage_2025_json(request: Request, q: FilterQuery, allocation: str) -> dict[str, Any]:
    """/api/coverage?edition=2025: 2025 communes with indicators, summary reconciled."""
    check_allocation(allocation)
    with request.app.state.database.transaction() as conn:
        return coverage_geojson_2025(conn, q.parse(conn), allocation)


def coverage_2025_page(request: Request, q: FilterQuery, indicator: str, classes: str,
                       allocation: str) -> HTMLResponse:
    """/maps/coverage?edition=2025: the choropleth on the 2025 communes."""
    indicator = check_indicator(indicator)
    check_classification(classes)
    check_allocation(allocation)
    with request.app.state.database.transaction() as conn:
        report = report_2025(conn, q.parse(conn), allocation)
        names = activity_types(conn)
    m = coverage_2025_map(report, indicator, request.app.state.map_settings, classes, names)
    return HTMLResponse(m.get_root().render())


@router.get("/api/coverage/2025")
def api_coverage_2025(request: Request, q: Filters, allocation: str = ALLOCATION) -> Any:
    """Coverage on the 2025 communes (GeoJSON); summary.total_vnd equals the legacy one."""
    return coverage_2025_json(request, q, allocation)


@router.get("/maps/coverage/2025", response_class=HTMLResponse)
def map_coverage_2025(request: Request, q: Filters,
                      indicator: str = Query("kc_vnd", max_length=40),
                      classes: str = Query("quantiles", max_length=20),
                      allocation: str = ALLOCATION,
                      edition: str = Query("2025", max_length=10)) -> Response:
    """Coverage map on the 2025 communes; edition=legacy goes back keeping the filters."""
    if edition == "legacy":
        with request.app.state.database.transaction() as conn:
            flt = q.parse(conn)
        return RedirectResponse(url_with("/maps/coverage",
                                         query_of(flt, indicator, classes, allocation)),
                                status_code=303)
    return coverage_2025_page(request, q, indicator, classes, allocation)
