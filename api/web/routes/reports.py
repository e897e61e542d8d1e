"""Briefing PDF and 300 dpi PNG maps, rendered on the server with no tiles and no internet."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.web.auth import actor_of
from api.web.filter_query import ALLOCATION, ViewParams
from api.web.responses import file_response
from api.web.routes.edition2025 import CLASSES, INDICATOR
from geo.accounts.authz import can_see_personal
from geo.analytics.filters import activity_types
from geo.core.vocab import Allocation, Classification, IndicatorKey, MapView, PngAspect
from geo.cycle.access import check_indicator
from geo.publish.briefing_data import briefing_data
from geo.publish.map_views import ViewQuery, view_data
from maps.export.briefing import briefing_pdf
from maps.export.static_map import render_png

router = APIRouter(tags=["reports"])
ASPECT = Query(PngAspect.standard, description="3:2 (default) or 16:9 for slides")


@router.get("/reports/briefing.pdf", summary="Briefing PDF")
def briefing(request: Request,
             district: str | None = Query(None, max_length=10,
                                          description="legacy district code, e.g. 524"),
             years: str | None = Query(None, max_length=200, description="e.g. 2021-2025"),
             source: str | None = Query(None, max_length=40),
             activity: str | None = Query(None, max_length=400),
             allocation: Allocation = ALLOCATION) -> Response:
    """A4 landscape briefing in Vietnamese: coverage map, key figures, ten most underserved."""
    params = ViewQuery(allocation=allocation, years=years, source=source, activity=activity,
                       district=district or None)
    with request.app.state.database.transaction() as conn:
        data = briefing_data(conn, params)
        names = activity_types(conn)
    name = "kcmap-bao-cao-tom-tat" + (f"-{data['district']}" if data["district"] else "") + \
        f"-{data['filter'].years_param().replace(',', '_')}.pdf"
    return file_response(briefing_pdf(data, activity_names=names), name, "pdf", inline=True)


@router.get("/maps/{view}.png", summary="A map view as a 300 dpi PNG")
def view_png(request: Request, view: MapView, params: ViewParams,
             indicator: IndicatorKey = INDICATOR,
             classes: Classification = CLASSES,
             aspect: PngAspect = ASPECT) -> Response:
    """The map view (coverage, gaps, projects, establishments, villages) with its filters."""
    if view == MapView.coverage:
        check_indicator(actor_of(request), indicator)
    personal = can_see_personal(actor_of(request))
    with request.app.state.database.transaction() as conn:
        data = view_data(conn, view, params, personal)
        names = activity_types(conn)
    suffix = "-16x9" if aspect == PngAspect.wide else ""
    return file_response(render_png(data, indicator, classes, names, aspect=aspect.value),
                         f"kcmap-{view}{suffix}.png", "png", inline=True)
