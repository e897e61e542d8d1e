"""Administrative units as GeoJSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.web.filter_query import EDITION, LEVEL
from api.web.responses import cached_json, payload_response
from geo.core.vocab import Edition, Level, check_edition_level
from geo.gazetteer.context_layers import context_layers
from geo.gazetteer.units import units_geojson

router = APIRouter()


@router.get("/api/units")
def api_units(
    request: Request,
    level: Level = LEVEL,
    edition: Edition = EDITION,
) -> Any:
    """Units of a level and edition with boundary, type, parent and boundary quality."""
    check_edition_level(edition, level)
    with request.app.state.database.transaction() as conn:
        return units_geojson(conn, level, edition)


@router.get("/api/units/context")
def api_units_context(request: Request, edition: Edition = EDITION) -> Response:
    """District and commune outlines with names and label points, drawn beneath every map."""
    payload = cached_json(request, "units-context", (str(edition),),
                          lambda conn: context_layers(conn, edition))
    return payload_response(request, payload, "application/json")
