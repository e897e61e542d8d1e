"""Address geocoding API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from geo.core.errors import InvalidInput
from geo.gazetteer.index import refresh_index
from geo.geocoding.coords import DEFAULT_VN2000
from geo.geocoding.point_match import locate

router = APIRouter()


@router.get("/api/geocode")
def api_geocode(
    request: Request,
    q: str = Query("", max_length=500, description="Address, e.g. 'Xã Phổ Văn, huyện Đức Phổ'"),
    lat: str | None = Query(None, max_length=60, description="Latitude (or VN-2000 northing)"),
    lon: str | None = Query(None, max_length=60, description="Longitude (or VN-2000 easting)"),
    crs: str = Query(DEFAULT_VN2000, max_length=40, description="CRS of VN-2000 metres"),
) -> dict[str, Any]:
    """Legacy commune/district and 2025 commune of an address, with precision and status."""
    if not q.strip() and not (lat or lon):
        raise InvalidInput("Hãy cho địa chỉ (q) hoặc tọa độ (lat và lon)")
    with request.app.state.database.transaction() as conn:
        index = refresh_index(conn, getattr(request.app.state, "geocode_index", None))
    request.app.state.geocode_index = index
    return locate(index, q, lat, lon, vn2000_crs=crs).to_dict()
