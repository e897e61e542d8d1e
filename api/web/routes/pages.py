"""The index page, in Vietnamese."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from geo.core.status import database_status
from maps.pages.index import render_index

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """Links to the maps and APIs, with what the database holds."""
    with request.app.state.database.transaction() as conn:
        status = database_status(conn)
    return HTMLResponse(render_index(status))
