"""Public records for the maps: establishment points, projects and craft villages (JSON)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.web.auth import actor_of
from api.web.filter_query import Filters
from api.web.responses import payload_response
from geo.gazetteer.places import check_district
from geo.records.public_establishments import establishment_payload
from geo.records.public_projects import project_detail, project_payload
from geo.records.public_villages import village_detail, village_features

router = APIRouter()
DISTRICT = Query(None, max_length=10, description="legacy district code, e.g. 524")
MAX_ID = 2**63 - 1


@router.get("/api/establishments.geojson")
def api_establishment_points(
    request: Request, district: str | None = DISTRICT,
    trade: str | None = Query(None, max_length=200, description="exact trade name"),
) -> Response:
    """Establishments with an exact or commune point (public fields only) as GeoJSON."""
    with request.app.state.database.transaction() as conn:
        payload = establishment_payload(conn, check_district(conn, district), trade or None)
    return payload_response(request, payload)


@router.get("/api/projects")
def api_projects(request: Request, q: Filters) -> Response:
    """Filtered projects with budget_vnd and their locations (GeoJSON; summary.total_vnd)."""
    with request.app.state.database.transaction() as conn:
        payload = project_payload(conn, q.parse(conn))
    return payload_response(request, payload)


@router.get("/api/projects/{project_id}")
def api_project(request: Request, project_id: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
    """One project: budget, activity, source, beneficiary, its locations with shares and
    `archived_at`/`archived` (set when an import archived it)."""
    with request.app.state.database.transaction() as conn:
        return project_detail(conn, project_id, actor_of(request))


@router.get("/api/villages")
def api_villages(request: Request, district: str | None = DISTRICT) -> dict[str, Any]:
    """Craft villages as GeoJSON (points only at exact or commune precision)."""
    with request.app.state.database.transaction() as conn:
        return village_features(conn, check_district(conn, district))


@router.get("/api/villages/{village_id}")
def api_village(request: Request, village_id: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
    """One craft village with its location and `archived_at`/`archived` (set when an
    import archived it)."""
    with request.app.state.database.transaction() as conn:
        return village_detail(conn, village_id, actor_of(request))
