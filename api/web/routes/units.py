"""Administrative units as GeoJSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from api.web.filter_query import EDITION, LEVEL
from geo.core.vocab import Edition, Level, check_edition_level
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
