"""The index page for people and the list of data services (/api), in Vietnamese."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.auth import actor_of
from geo.core.status import database_status
from maps.pages.index import render_api_index, render_index

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The page for people: what kcmap is, the maps, review, briefing, login, the data date."""
    actor = actor_of(request)
    with request.app.state.database.transaction() as conn:
        status = database_status(conn)
    return HTMLResponse(render_index(status, actor.username if actor else None))


@router.get("/api", response_class=HTMLResponse)
def api_index() -> HTMLResponse:
    """The data services (JSON, GeoJSON, CSV, XLSX, OGC API – Features) with links."""
    return HTMLResponse(render_api_index())
