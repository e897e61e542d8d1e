"""The khuyến công year's map page /maps/cycle (logged-in users: it shows support needs)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.web.auth import actor_of
from api.web.filter_query import ALLOCATION, LEVEL, Filters
from api.web.responses import cached_page
from api.web.routes.edition2025 import CLASSES
from geo.analytics.filters import activity_types
from geo.analytics.indicators import indicator_report
from geo.core.db import Connection
from geo.core.vocab import Allocation, Classification, IndicatorKey, Level
from geo.cycle.access import check_read
from geo.cycle.layers import cycle_layers
from maps.views.cycle import cycle_map

router = APIRouter()
CYCLE_INDICATOR = Query(IndicatorKey.unmet_requested_vnd, description="indicator to map")


@router.get("/maps/cycle", response_class=HTMLResponse)
def cycle(request: Request, q: Filters, level: Level = LEVEL,
          indicator: IndicatorKey = CYCLE_INDICATOR, classes: Classification = CLASSES,
          allocation: Allocation = ALLOCATION) -> Response:
    """Choropleth of a cycle indicator (unmet requested money by default) with the recognised
    products, collaborators (communes with and without one) and unmet needs as layers."""
    actor = check_read(actor_of(request))

    def build(conn: Connection) -> str:
        data = indicator_report(conn, level, q.parse(conn), allocation)
        m = cycle_map(data, cycle_layers(conn, actor), level, indicator,
                      request.app.state.map_settings, classes, activity_types(conn))
        return str(m.get_root().render())

    return cached_page(request, "cycle-page",
                       (level, indicator, classes, allocation, q.years, q.source, q.activity,
                        q.status), build)
