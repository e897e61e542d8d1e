"""The 2025 edition (new communes, no districts): coverage JSON and the coverage map page.

Until /api/coverage and /maps/coverage take `edition=2025` themselves, these routes serve it;
coverage_2025_json / coverage_2025_page are what those routes call for edition=2025.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.auth import actor_of
from api.web.filter_query import ALLOCATION, FilterQuery, Filters
from api.web.security_headers import map_page_response
from geo.analytics.edition2025 import coverage_geojson_2025, report_2025
from geo.analytics.filters import activity_types
from geo.core.vocab import Allocation, Classification, Edition, IndicatorKey
from geo.cycle.access import check_indicator
from maps.core.map_forms import url_with
from maps.views.coverage2025 import coverage_2025_map, query_of

router = APIRouter(tags=["edition 2025"])
INDICATOR = Query(IndicatorKey.kc_vnd, description="indicator to map (support_vnd = kc_vnd)")
CLASSES = Query(Classification.quantiles, description="quantiles | jenks (natural breaks)")
EDITION_2025 = Query(Edition.e2025, description="2025 | legacy (back to the legacy map)")


def coverage_2025_json(request: Request, q: FilterQuery,
                       allocation: Allocation) -> dict[str, Any]:
    """/api/coverage?edition=2025: 2025 communes with indicators, summary reconciled."""
    with request.app.state.database.transaction() as conn:
        return coverage_geojson_2025(conn, q.parse(conn), allocation)


def coverage_2025_page(request: Request, q: FilterQuery, indicator: IndicatorKey,
                       classes: Classification, allocation: Allocation) -> HTMLResponse:
    """/maps/coverage?edition=2025: the choropleth on the 2025 communes."""
    check_indicator(actor_of(request), indicator)
    with request.app.state.database.transaction() as conn:
        report = report_2025(conn, q.parse(conn), allocation)
        names = activity_types(conn)
    m = coverage_2025_map(report, indicator, request.app.state.map_settings, classes, names)
    return map_page_response(m.get_root().render(), request.app.state.map_settings.tiles)


@router.get("/api/coverage/2025")
def api_coverage_2025(request: Request, q: Filters,
                      allocation: Allocation = ALLOCATION) -> Any:
    """Coverage on the 2025 communes (GeoJSON); summary.total_vnd equals the legacy one."""
    return coverage_2025_json(request, q, allocation)


@router.get("/maps/coverage/2025", response_class=HTMLResponse)
def map_coverage_2025(request: Request, q: Filters,
                      indicator: IndicatorKey = INDICATOR,
                      classes: Classification = CLASSES,
                      allocation: Allocation = ALLOCATION,
                      edition: Edition = EDITION_2025) -> Response:
    """Coverage map on the 2025 communes; edition=legacy goes back keeping the filters."""
    if edition == Edition.legacy:
        with request.app.state.database.transaction() as conn:
            flt = q.parse(conn)
        return RedirectResponse(url_with("/maps/coverage",
                                         query_of(flt, indicator, classes, allocation)),
                                status_code=303)
    return coverage_2025_page(request, q, indicator, classes, allocation)
