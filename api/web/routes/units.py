"""Administrative units as GeoJSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from geo.gazetteer.units import units_geojson

router = APIRouter()


@router.get("/api/units")
def api_units(
    request: Request,
    level: str = Query("commune", description="district | commune"),
    edition: str = Query("legacy", description="legacy | 2025"),
) -> Any:
    """Units of a level and edition with boundary, type, parent and boundary quality."""
    with request.app.state.database.transaction() as conn:
        return units_geojson(conn, level, edition)
