"""HTML pages of single records, linked from the map popups (JSON stays under /api)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.auth import actor_of
from geo.records.establishment_read import get_establishment
from geo.records.public_projects import project_detail
from geo.records.public_villages import village_detail
from maps.pages.record_page import establishment_page, project_page, village_page

router = APIRouter()


@router.get("/records/establishments/{establishment_id}", response_class=HTMLResponse,
            include_in_schema=False)
def establishment(request: Request, establishment_id: int) -> HTMLResponse:
    """One establishment (owner and phone only for those who may see them)."""
    actor = actor_of(request)
    with request.app.state.database.transaction() as conn:
        record = get_establishment(conn, establishment_id, actor)
    return HTMLResponse(establishment_page(record, actor))


@router.get("/records/villages/{village_id}", response_class=HTMLResponse,
            include_in_schema=False)
def village(request: Request, village_id: int) -> HTMLResponse:
    """One craft village."""
    actor = actor_of(request)
    with request.app.state.database.transaction() as conn:
        record = village_detail(conn, village_id, actor)
    return HTMLResponse(village_page(record, actor))


@router.get("/records/projects/{project_id}", response_class=HTMLResponse,
            include_in_schema=False)
def project(request: Request, project_id: int) -> HTMLResponse:
    """One khuyến công project."""
    actor = actor_of(request)
    with request.app.state.database.transaction() as conn:
        record = project_detail(conn, project_id, actor)
    return HTMLResponse(project_page(record, actor))
