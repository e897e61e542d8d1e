"""The /imports page (its data comes from /api/imports through maps/static/imports.js)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.auth import actor_of, csrf_token
from api.web.errors import STATUS
from geo.core.errors import KcmapError, Unauthorized
from geo.intake import batches
from maps.pages.auth import message_page
from maps.pages.imports import imports_page

router = APIRouter()


@router.get("/imports", response_class=HTMLResponse, include_in_schema=False)
def imports_index(request: Request) -> HTMLResponse:
    """Upload, preview, decide and commit spreadsheets; the latest batches."""
    actor = actor_of(request)
    try:
        if actor is None:
            raise Unauthorized("Cần đăng nhập")
        with request.app.state.database.transaction() as conn:
            listed = batches.list_batches(conn, actor)
            saved = batches.mappings(conn, actor)
    except KcmapError as exc:
        status = next((s for cls, s in STATUS.items() if isinstance(exc, cls)), 400)
        return HTMLResponse(message_page(str(exc), "Không thực hiện được"), status_code=status)
    return HTMLResponse(imports_page(actor, csrf_token(request), listed, saved))
