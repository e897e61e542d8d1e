"""Pages of the khuyến công year: /needs (list, filters, register) and /plans/{year}."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.auth import actor_of, csrf_token, read_form
from api.web.errors import page_refusal, status_of
from geo.accounts.authz import require_actor
from geo.analytics.filters import activity_types
from geo.core.errors import KcmapError, NotFound
from geo.cycle.access import can_plan, can_write_need
from geo.cycle.choices import commune_choices, district_establishments
from geo.cycle.needs import create_need, list_needs
from geo.cycle.plan_approve import approve_plan, plan_history
from geo.cycle.plan_lines import EDITABLE, edit_line, remove_line
from geo.cycle.plans import add_line, open_plan, plan_view
from geo.cycle.words import NEED_STATUS_VI, PLAN_STATUS_VI, PRIORITY_VI, SOURCE_VI, NeedStatus
from geo.gazetteer.places import check_district, district_choices
from maps.core.assets import own_url
from maps.pages.layout import render_page

router = APIRouter()
NEED_FIELDS = ("establishment_id", "activity_type", "description", "total_cost_vnd",
               "requested_vnd", "counterpart_vnd", "desired_year", "priority")
ACTION_VI = {"create": "Lập kế hoạch", "add_line": "Thêm dòng", "approve": "Phê duyệt",
             "edit_line": "Sửa dòng", "remove_line": "Xoá dòng"}
DONE = {"need": "Đã đăng ký nhu cầu.", "line": "Đã thêm dòng vào kế hoạch.",
        "opened": "Đã lập kế hoạch.", "approved": "Đã phê duyệt kế hoạch; các đề án đã được tạo.",
        "line_saved": "Đã sửa dòng kế hoạch; tổng so với trần đã tính lại.",
        "line_removed": "Đã xoá dòng khỏi kế hoạch; nhu cầu (nếu có) trở lại trạng thái trước."}


def _next_year() -> int:
    return date.today().year + 1


@router.get("/needs", response_class=HTMLResponse, include_in_schema=False)
def needs_page(request: Request, district: str = Query("", max_length=10),
               year: str = Query("", max_length=4), status: str = Query("", max_length=20),
               done: str = "") -> Response:
    """Needs with filters, and the form to register one (own district for officers)."""
    return _needs(request, district, year, status, message=DONE.get(done, ""))


def _needs(request: Request, district: str, year: str, status: str, http: int = 200,
           error: str = "", values: dict[str, str] | None = None, message: str = "") -> Response:
    actor = actor_of(request)
    try:
        who = require_actor(actor)
        with request.app.state.database.transaction() as conn:
            code = check_district(conn, district or None)
            y = int(year) if year.isdigit() else None
            needs = list_needs(conn, who, code, y, status or None)
            districts = district_choices(conn)
            form_district = who.district_code if who.role == "district_officer" else code
            establishments = (district_establishments(conn, form_district)
                              if form_district and can_write_need(who, form_district) else [])
            activities = activity_types(conn)
    except KcmapError as exc:
        return page_refusal(request, exc, "/needs")
    names = dict(districts)
    html = render_page(
        "cycle/needs.html", "Nhu cầu hỗ trợ", who, csrf_token(request), message=message,
        error=error, needs=needs, districts=districts, activities=activities,
        statuses=list(NEED_STATUS_VI.items()), priorities=list(PRIORITY_VI.items()),
        status_names=NEED_STATUS_VI, priority_names=PRIORITY_VI,
        filters={"district": code or "", "year": y, "status": status},
        can_register=who.role in ("admin", "planner", "district_officer"),
        form_district_name=names.get(form_district or "", ""), establishments=establishments,
        values=values or {}, plan_year=_next_year(),
        requested_total=sum(n["requested_vnd"] for n in needs),
        writable={n["id"] for n in needs if can_write_need(who, n["district_code"])},
        scripts=(own_url("kcneeds.js"),))
    return HTMLResponse(html, status_code=http)


@router.post("/needs", include_in_schema=False)
async def needs_register(request: Request) -> Response:
    """Register a need from the form; a refusal shows the form again with what was typed."""
    form = await read_form(request)
    data: dict[str, Any] = {k: form[k] for k in NEED_FIELDS if k in form}
    try:
        with request.app.state.database.transaction() as conn:
            create_need(conn, actor_of(request), data)
    except KcmapError as exc:
        return _needs(request, form.get("district", "")[:10], "", "", status_of(exc), str(exc),
                      form)
    return RedirectResponse("/needs?done=need", status_code=303)


@router.get("/plans/{year}", response_class=HTMLResponse, include_in_schema=False)
def plan_page(request: Request, year: int, done: str = "") -> Response:
    """The year's plan: lines, totals against ceilings, forms to add lines and approve."""
    actor = actor_of(request)
    try:
        who = require_actor(actor)
        with request.app.state.database.transaction() as conn:
            try:
                plan: dict[str, Any] | None = plan_view(conn, who, year)
            except NotFound:
                plan = None
            waiting = [n for status in (NeedStatus.registered, NeedStatus.shortlisted)
                       for n in list_needs(conn, who, None, year, status)]
            history = plan_history(conn, who, year) if plan else []
            communes = commune_choices(conn) if plan and can_plan(who) else []
            activities = activity_types(conn)
    except KcmapError as exc:
        return page_refusal(request, exc, "/needs")
    html = render_page(
        "cycle/plan.html", f"Kế hoạch khuyến công năm {year}", who, csrf_token(request),
        message=DONE.get(done, ""), error="", year=year, plan=plan,
        plan_status_name=PLAN_STATUS_VI.get(plan["status"], "") if plan else "",
        can_plan=can_plan(who), needs=waiting, history=history, communes=communes,
        activities=activities, source_names=SOURCE_VI, action_names=ACTION_VI)
    return HTMLResponse(html)


@router.post("/plans", include_in_schema=False)
async def plan_open(request: Request) -> Response:
    """Open a plan from the form (year, KCQG and KCĐP ceilings)."""
    form = await read_form(request)
    year = form.get("year", "")
    back = f"/plans/{year}" if year.isdigit() and len(year) == 4 else "/needs"
    try:
        with request.app.state.database.transaction() as conn:
            open_plan(conn, actor_of(request), {"year": year, "ceilings": {
                "KCQG": form.get("KCQG", ""), "KCDP": form.get("KCDP", "")}})
    except KcmapError as exc:
        return page_refusal(request, exc, back)
    return RedirectResponse(f"{back}?done=opened", status_code=303)


@router.post("/plans/{year}/lines", include_in_schema=False)
async def plan_add_line(request: Request, year: int) -> Response:
    """Add a need or a new proposal from a form."""
    form = await read_form(request)
    keys = ("need_id", "funding_source") if form.get("need_id") else (
        "title", "activity_type", "commune_code", "kc_vnd", "funding_source")
    try:
        with request.app.state.database.transaction() as conn:
            add_line(conn, actor_of(request), year, {k: form[k] for k in keys if k in form})
    except KcmapError as exc:
        return page_refusal(request, exc, f"/plans/{year}")
    return RedirectResponse(f"/plans/{year}?done=line", status_code=303)


@router.post("/plans/{year}/approve", include_in_schema=False)
async def plan_approve(request: Request, year: int) -> Response:
    """Approve the plan from its page."""
    form = await read_form(request)
    data: dict[str, Any] = {"reason": form.get("reason", "")}
    if form.get("accept_over_ceiling"):
        data["accept_over_ceiling"] = True
    try:
        with request.app.state.database.transaction() as conn:
            approve_plan(conn, actor_of(request), year, data)
    except KcmapError as exc:
        return page_refusal(request, exc, f"/plans/{year}")
    return RedirectResponse(f"/plans/{year}?done=approved", status_code=303)


def _plan_version(form: dict[str, str]) -> int | None:
    text = form.get("version", "")
    return int(text) if text.isdigit() and len(text) <= 9 else None


@router.post("/plans/{year}/lines/{line_id}", include_in_schema=False)
async def plan_edit_line(request: Request, year: int, line_id: int) -> Response:
    """Save a line's changes from its form on the plan page (draft plans only)."""
    form = await read_form(request)
    data = {k: form[k] for k in EDITABLE if k in form and k not in (
        "commune_code", "district_code")}
    try:
        with request.app.state.database.transaction() as conn:
            edit_line(conn, actor_of(request), year, line_id, data, _plan_version(form))
    except KcmapError as exc:
        return page_refusal(request, exc, f"/plans/{year}")
    return RedirectResponse(f"/plans/{year}?done=line_saved#kc-plan-lines", status_code=303)


@router.post("/plans/{year}/lines/{line_id}/remove", include_in_schema=False)
async def plan_remove_line(request: Request, year: int, line_id: int) -> Response:
    """Remove a line from the plan page (draft plans only)."""
    form = await read_form(request)
    try:
        with request.app.state.database.transaction() as conn:
            remove_line(conn, actor_of(request), year, line_id, _plan_version(form))
    except KcmapError as exc:
        return page_refusal(request, exc, f"/plans/{year}")
    return RedirectResponse(f"/plans/{year}?done=line_removed#kc-plan-lines", status_code=303)
