"""Review pages for district officers: list, map, confirm, move, history and revert."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.auth import actor_of, csrf_token, read_form
from api.web.bounds import RecordId
from api.web.errors import status_of
from geo.accounts.authz import Actor, can_review, check_review, require_actor
from geo.core.errors import Conflict, KcmapError
from geo.records.archived import ArchivedRecord
from geo.records.audit import history
from geo.records.edit import CONFIRM_REASON, OutsideDistrict, edit_establishment, revert_change
from geo.records.establishment_read import district_info, get_establishment, list_establishments
from geo.records.review import next_needing_attention, review_progress
from geo.records.spec import ESTABLISHMENT
from maps.pages.auth import message_page
from maps.pages.history import history_page
from maps.pages.review import district_page, districts_page
from maps.pages.review_detail import detail_page

router = APIRouter()
PAGE_LIMIT = 2000  # markers on the district map
PAGE_SIZE = 50  # cards per page
SAVED = {"saved": "Đã lưu thay đổi.", "confirmed": "Đã xác nhận vị trí.",
         "reverted": "Đã hoàn tác thay đổi."}


def _error_page(exc: KcmapError, back: str = "/review") -> HTMLResponse:
    """A Vietnamese page for a refused action, with the mapped HTTP status."""
    return HTMLResponse(message_page(str(exc), "Không thực hiện được", back),
                        status_code=status_of(exc))


def _back(value: str | None, default: str) -> str:
    """A return path under /review/ (anything else falls back to the default)."""
    if value and value.startswith("/review/") and "//" not in value and "\\" not in value \
            and len(value) < 500 and all(ord(c) >= 32 for c in value):
        return value
    return default


def _actor(request: Request) -> Actor:
    return require_actor(actor_of(request))


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_index(request: Request) -> Response:
    """Districts with progress; a district officer goes straight to their district."""
    actor = _actor(request)
    if actor.role == "district_officer" and actor.district_code:
        return RedirectResponse(f"/review/{actor.district_code}", status_code=303)
    with request.app.state.database.transaction() as conn:
        rows = review_progress(conn)
    linked = {r["district_code"] for r in rows if can_review(actor, r["district_code"])}
    return HTMLResponse(districts_page(rows, linked, actor, csrf_token(request)))


@router.get("/review/{district_code}", response_class=HTMLResponse, include_in_schema=False)
def review_district(request: Request, district_code: str,
                    filter: list[str] = Query([]),  # noqa: B008
                    q: str = Query("", max_length=200),
                    page: int = Query(1, ge=1, le=1000),
                    done: str = "", id: int = Query(0, ge=0), change: int = Query(0, ge=0)
                    ) -> Response:
    """The district's establishments on a map and as cards (a page of PAGE_SIZE), filtered
    (flags combine with OR); `done`/`id`/`change` tell what the last confirm did."""
    actor = actor_of(request)
    back = str(request.url.path) + (f"?{request.url.query}" if request.url.query else "")
    try:
        check_review(actor, district_code)
        with request.app.state.database.transaction() as conn:
            district = district_info(conn, district_code)
            listing = list_establishments(conn, actor, district_code, filter, q, PAGE_LIMIT)
            progress = review_progress(conn, district_code)
            attention = next_needing_attention(conn, actor, district_code)
    except KcmapError as exc:
        return _error_page(exc)
    assert actor is not None
    notice = {"id": id, "change": change, "text": SAVED[done]} if done in SAVED else None
    html = district_page(district, listing, progress[0] if progress else None, actor,
                         csrf_token(request), request.app.state.map_settings, q, back,
                         page=page, size=PAGE_SIZE, attention=attention, notice=notice)
    return HTMLResponse(html)


def _detail(request: Request, district_code: str, establishment_id: int, status: int = 200,
            **kwargs: Any) -> Response:
    """Render the establishment page (with a message, or the refused form values)."""
    actor = actor_of(request)
    try:
        check_review(actor, district_code)
        with request.app.state.database.transaction() as conn:
            district = district_info(conn, district_code)
            record = get_establishment(conn, establishment_id, actor)
            changes = history(conn, actor, "establishment", establishment_id, None, 50)
            following = next_needing_attention(conn, actor, district_code, establishment_id)
    except KcmapError as exc:
        return _error_page(exc)
    assert actor is not None
    html = detail_page(record, district, changes, actor, csrf_token(request),
                       request.app.state.map_settings, following=following, **kwargs)
    return HTMLResponse(html, status_code=status)


@router.get("/review/{district_code}/establishments/{establishment_id}",
            response_class=HTMLResponse, include_in_schema=False)
def review_establishment(request: Request, district_code: str, establishment_id: RecordId,
                         done: str = "") -> Response:
    """One establishment: facts, draggable marker, edit form, history."""
    return _detail(request, district_code, establishment_id, message=SAVED.get(done, ""))


def form_changes(form: dict[str, str]) -> dict[str, Any]:
    """The edit fields of a submitted form (empty coordinates and commune mean unchanged)."""
    changes: dict[str, Any] = {k: form[k] for k in ESTABLISHMENT.attributes if k in form}
    for key in ("lat", "lon", "commune_code"):
        if form.get(key, "").strip():
            changes[key] = form[key]
    changes["confirm"] = form.get("action") == "confirm"
    changes["confirm_outside"] = form.get("confirm_outside") in ("1", "on", "true")
    reason = form.get("reason", "").strip()
    changes["reason"] = reason or (CONFIRM_REASON if changes["confirm"] else "")
    return changes


def _with_done(back: str, establishment_id: int, audit_id: int | None) -> str:
    """The list page to return to, telling what was confirmed; its card stays in view."""
    parts = urlsplit(back)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("done", "id", "change")]
    query += [("done", "confirmed"), ("id", str(establishment_id))]
    if audit_id:
        query.append(("change", str(audit_id)))
    return f"{parts.path}?{urlencode(query)}#est-{establishment_id}"


@router.post("/review/{district_code}/establishments/{establishment_id}",
             include_in_schema=False)
async def review_save(request: Request, district_code: str, establishment_id: RecordId
                      ) -> Response:
    """Save or confirm from a form; a refused save shows the form again with what was typed."""
    form = await read_form(request)
    version = form.get("version", "")
    detail = f"/review/{district_code}/establishments/{establishment_id}"
    back = _back(form.get("back"), detail)
    changes = form_changes(form)
    if not changes["reason"]:
        return _detail(request, district_code, establishment_id, 422, values=form,
                       error="Hãy ghi lý do thay đổi (bắt buộc).")
    try:
        with request.app.state.database.transaction() as conn:
            result = edit_establishment(conn, actor_of(request), establishment_id,
                                        int(version) if version.isdigit() and len(version) < 10
                                        else None, changes)
    except ArchivedRecord as exc:
        return _detail(request, district_code, establishment_id, status_of(exc), error=str(exc))
    except Conflict as exc:
        with request.app.state.database.transaction() as conn:
            current = get_establishment(conn, establishment_id, actor_of(request))
        values = {**form, "version": str(current["version"])}
        return _detail(request, district_code, establishment_id, 409, error=str(exc),
                       values=values, current=current)
    except KcmapError as exc:
        if back != detail:
            return _error_page(exc, back)
        return _detail(request, district_code, establishment_id, status_of(exc),
                       error=str(exc), values=form, outside=isinstance(exc, OutsideDistrict))
    done = "confirmed" if form.get("action") == "confirm" else "saved"
    target = _with_done(back, establishment_id, result.audit_id) if back != detail \
        else f"{detail}?done={done}"
    return RedirectResponse(target, status_code=303)


@router.get("/review/{district_code}/history", response_class=HTMLResponse,
            include_in_schema=False)
def review_history(request: Request, district_code: str, done: str = "") -> Response:
    """Changes to the district's establishments, with revert buttons for planners."""
    actor = actor_of(request)
    try:
        check_review(actor, district_code)
        with request.app.state.database.transaction() as conn:
            district = district_info(conn, district_code)
            changes = history(conn, actor, "establishment", None, district_code, 200)
    except KcmapError as exc:
        return _error_page(exc)
    assert actor is not None
    return HTMLResponse(history_page(district, changes, actor, csrf_token(request),
                                     SAVED.get(done, "")))


@router.post("/review/{district_code}/history/{audit_id}/revert", include_in_schema=False)
async def review_revert(request: Request, district_code: str, audit_id: RecordId) -> Response:
    """Undo one change (planners, admins; an officer their own last change), then go back
    where the button was."""
    form = await read_form(request)
    back = _back(form.get("back"), f"/review/{district_code}/history")
    try:
        with request.app.state.database.transaction() as conn:
            revert_change(conn, actor_of(request), audit_id, form.get("reason", "")[:1000])
    except KcmapError as exc:
        return _error_page(exc, back)
    parts = urlsplit(back)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("done", "id", "change")]
    return RedirectResponse(f"{parts.path}?{urlencode([*query, ('done', 'reverted')])}",
                            status_code=303)
