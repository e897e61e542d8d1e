"""The khuyến công year over JSON: needs (register, list, change) and the annual plan."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Header, Path, Query, Request
from fastapi.responses import JSONResponse

from api.web.auth import actor_of
from api.web.cycle_bodies import MAX_ID, ApproveIn, LineIn, LinePatch, NeedIn, NeedPatch, PlanIn
from api.web.routes.record_edits import parse_if_match
from geo.core.errors import Conflict
from geo.core.vocab import NeedStatus
from geo.cycle.access import check_read
from geo.cycle.needs import create_need, get_need, list_needs, patch_need, unmet_by_commune
from geo.cycle.plan_approve import approve_plan, plan_history
from geo.cycle.plan_lines import edit_line, remove_line
from geo.cycle.plans import add_line, open_plan, plan_view

router = APIRouter()
APPROVE_BODY = Body(None, description="needed when the plan is over a ceiling")
YEAR = Path(ge=2000, le=2100, description="the plan's year")
NEED_ID = Path(ge=1, le=MAX_ID)
LINE_ID = Path(ge=1, le=MAX_ID)
NEED_STATUS = Query(None, description="the needs in this state only")


@router.post("/api/needs", status_code=201)
def api_create_need(request: Request, body: NeedIn) -> JSONResponse:
    """Register a need for an establishment (district officers: of their own district)."""
    with request.app.state.database.transaction() as conn:
        need = create_need(conn, actor_of(request), body.given())
    return JSONResponse(need, status_code=201, headers={"ETag": f'"{need["version"]}"'})


@router.get("/api/needs")
def api_needs(request: Request, district: str | None = Query(None, max_length=10),
              year: int | None = Query(None, ge=2000, le=2100),
              status: NeedStatus | None = NEED_STATUS) -> Any:
    """Needs filtered by district, desired year and status, newest first."""
    with request.app.state.database.transaction() as conn:
        return list_needs(conn, actor_of(request), district, year, status)


@router.get("/api/needs/unmet")
def api_needs_unmet(request: Request, year: int | None = Query(None, ge=2000, le=2100)) -> Any:
    """Indicator: requested VND of needs neither funded nor declined, per legacy commune."""
    with request.app.state.database.transaction() as conn:
        check_read(actor_of(request))
        rows = unmet_by_commune(conn, year)
    return {"indicator": "unmet_requested_vnd", "year": year,
            "definition": "Tổng kinh phí đề nghị hỗ trợ của các nhu cầu chưa được hỗ trợ và "
                          "chưa bị loại (đã đăng ký, được chọn sơ bộ, đã vào kế hoạch)",
            "communes": rows, "total_vnd": sum(int(r["unmet_requested_vnd"]) for r in rows)}


@router.get("/api/needs/{need_id}")
def api_need(request: Request, need_id: int = NEED_ID) -> JSONResponse:
    """One need, with its version as ETag."""
    with request.app.state.database.transaction() as conn:
        need = get_need(conn, actor_of(request), need_id)
    return JSONResponse(need, headers={"ETag": f'"{need["version"]}"'})


@router.patch("/api/needs/{need_id}")
def api_patch_need(request: Request, body: NeedPatch, need_id: int = NEED_ID,
                   if_match: str | None = Header(None)) -> JSONResponse:
    """Change a need (If-Match: its version; 409 when stale, 428 without)."""
    version = parse_if_match(if_match)
    try:
        with request.app.state.database.transaction() as conn:
            need = patch_need(conn, actor_of(request), need_id, version, body.given())
    except Conflict as exc:
        with request.app.state.database.transaction() as conn:
            current = get_need(conn, actor_of(request), need_id)
        return JSONResponse({"error": "Conflict", "detail": str(exc),
                             "current_version": current["version"], "current": current},
                            status_code=409)
    return JSONResponse(need, headers={"ETag": f'"{need["version"]}"'})


@router.post("/api/plans", status_code=201)
def api_open_plan(request: Request, body: PlanIn) -> JSONResponse:
    """Open a year's plan with ceilings per source (and optionally per district)."""
    with request.app.state.database.transaction() as conn:
        plan = open_plan(conn, actor_of(request), body.given())
    return JSONResponse(plan, status_code=201)


@router.get("/api/plans/{year}")
def api_plan(request: Request, year: int = YEAR) -> Any:
    """Lines, totals by source, district, commune and activity, against the ceilings."""
    with request.app.state.database.transaction() as conn:
        return plan_view(conn, actor_of(request), year)


@router.post("/api/plans/{year}/lines", status_code=201)
def api_add_line(request: Request, body: LineIn, year: int = YEAR) -> JSONResponse:
    """Add a need (need_id) or a new proposal; over-ceiling is flagged in the answer."""
    with request.app.state.database.transaction() as conn:
        result = add_line(conn, actor_of(request), year, body.given())
    return JSONResponse(result, status_code=201)


@router.patch("/api/plans/{year}/lines/{line_id}")
def api_edit_line(request: Request, body: LinePatch, year: int = YEAR, line_id: int = LINE_ID,
                  if_match: str | None = Header(None)) -> Any:
    """Change a line of a draft plan (amount, source, title…); 409 once approved or stale."""
    version = parse_if_match(if_match)
    with request.app.state.database.transaction() as conn:
        return edit_line(conn, actor_of(request), year, line_id, body.given(), version)


@router.delete("/api/plans/{year}/lines/{line_id}")
def api_remove_line(request: Request, year: int = YEAR, line_id: int = LINE_ID,
                    if_match: str | None = Header(None)) -> Any:
    """Remove a line of a draft plan; a need's line gives the need its earlier status back."""
    version = parse_if_match(if_match)
    with request.app.state.database.transaction() as conn:
        return remove_line(conn, actor_of(request), year, line_id, version)


@router.post("/api/plans/{year}/approve")
def api_approve(request: Request, year: int = YEAR,
                body: ApproveIn | None = APPROVE_BODY) -> Any:
    """Approve: projects created (status approved), needs funded; over-ceiling needs a reason."""
    with request.app.state.database.transaction() as conn:
        return approve_plan(conn, actor_of(request), year, body.given() if body else None)


@router.get("/api/plans/{year}/history")
def api_plan_history(request: Request, year: int = YEAR) -> Any:
    """The plan's audit rows, oldest first."""
    with request.app.state.database.transaction() as conn:
        return plan_history(conn, actor_of(request), year)
