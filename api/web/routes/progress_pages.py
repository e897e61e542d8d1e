"""Pages: /progress (targets against achieved, planners add or import targets) and
/projects/{id} (outputs, money status, inspections). Errors answer with HTML."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.auth import actor_of, csrf_token, read_form
from api.web.errors import page_refusal
from geo.analytics.filters import activity_types
from geo.core.db import Connection
from geo.core.errors import InvalidInput, KcmapError, NotFound
from geo.cycle.collaborators import communes_without_collaborator
from geo.cycle.outputs import (
    add_inspection,
    can_write_project,
    project_cycle,
    set_money,
    set_outputs,
)
from geo.cycle.products import list_products
from geo.cycle.progress import progress_report
from geo.cycle.targets import OUTPUT_INDICATORS, check_target, import_targets, save_target
from geo.gazetteer.places import district_choices
from geo.records.public_projects import project_detail
from maps.pages.progress import progress_page, project_page

router = APIRouter(include_in_schema=False)
MAX_ID = 2**63 - 1
DONE = {"target": "Đã lưu chỉ tiêu.", "import": "Đã nhập chỉ tiêu từ tệp CSV.",
        "outputs": "Đã lưu kết quả.", "money": "Đã lưu kinh phí.",
        "inspection": "Đã lưu lần kiểm tra."}


def _writer(request: Request) -> bool:
    actor = actor_of(request)
    return actor is not None and actor.role in ("admin", "planner")


@router.get("/progress", response_class=HTMLResponse)
def progress(request: Request, period: str = Query("2021-2025", max_length=20),
             district: str | None = Query(None, max_length=10),
             done: str = Query("", max_length=20)) -> Response:
    """Targets against achieved by activity and district, with the formula and a map."""
    try:
        with request.app.state.database.transaction() as conn:
            report = progress_report(conn, period, district or None)
            products = list_products(conn, report["district"])
            missing = communes_without_collaborator(conn, report["district"])
            districts = district_choices(conn)
            activities = activity_types(conn)
    except KcmapError as exc:
        return page_refusal(request, exc, "/progress")
    return HTMLResponse(progress_page(report, products, missing, districts, activities,
                                      actor_of(request), csrf_token(request), _writer(request),
                                      message=DONE.get(done, "")))


@router.post("/progress/targets")
async def add_target(request: Request) -> Response:
    """A planner's form: one target."""
    form = await read_form(request)
    try:
        with request.app.state.database.transaction() as conn:
            target = check_target(conn, form)
            save_target(conn, actor_of(request), target, "form")
    except KcmapError as exc:
        return page_refusal(request, exc, "/progress")
    return RedirectResponse("/progress?" + urlencode({"period": form.get("period", ""),
                                                      "done": "target"}), status_code=303)


@router.post("/progress/targets/import")
async def import_csv(request: Request) -> Response:
    """A planner's form: the targets CSV pasted or read from a file by the page."""
    form = await read_form(request)
    try:
        with request.app.state.database.transaction() as conn:
            import_targets(conn, actor_of(request), form.get("csv_text", ""), "csv:form")
    except KcmapError as exc:
        return page_refusal(request, exc, "/progress")
    return RedirectResponse("/progress?done=import", status_code=303)


def _project(request: Request, project_id: int, message: str = "", status: int = 200,
             error: str = "") -> Response:
    actor = actor_of(request)
    try:
        with request.app.state.database.transaction() as conn:
            project = project_detail(conn, project_id)
            cycle = project_cycle(conn, project_id, actor)
            writer = can_write_project(conn, actor, project_id)
    except NotFound:
        return page_refusal(request, NotFound(f"Không có đề án {project_id}"), "/progress")
    except KcmapError as exc:
        return page_refusal(request, exc, "/progress")
    return HTMLResponse(project_page(project, cycle, actor, csrf_token(request), writer,
                                     message, error), status_code=status)


@router.get("/projects/{project_id}", response_class=HTMLResponse)
def project(request: Request, project_id: int = Path(ge=1, le=MAX_ID),
            done: str = Query("", max_length=20)) -> Response:
    """One project: facts, outputs, money status, inspections; planners, admins and the
    officers of the project's district record them."""
    return _project(request, project_id, DONE.get(done, ""))


async def _write(request: Request, project_id: int, done: str,
                 work: Callable[[Connection, dict[str, str]], Any]) -> Response:
    """Run a form's write; back to the page (303), or the page with the error."""
    form = await read_form(request)
    try:
        with request.app.state.database.transaction() as conn:
            work(conn, form)
    except InvalidInput as exc:  # the page again, with what was wrong
        return _project(request, project_id, status=422, error=str(exc))
    except KcmapError as exc:
        return page_refusal(request, exc, f"/projects/{project_id}")
    return RedirectResponse(f"/projects/{project_id}?done={done}", status_code=303)


@router.post("/projects/{project_id}/outputs")
async def project_outputs(request: Request, project_id: int = Path(ge=1, le=MAX_ID)
                          ) -> Response:
    """Form: output quantities (empty removes)."""
    actor = actor_of(request)
    return await _write(request, project_id, "outputs", lambda conn, form: set_outputs(
        conn, actor, project_id, {k: form.get(k, "") for k in OUTPUT_INDICATORS}))


@router.post("/projects/{project_id}/money")
async def project_money(request: Request, project_id: int = Path(ge=1, le=MAX_ID)
                        ) -> Response:
    """Form: planned, disbursed, settled amounts."""
    actor = actor_of(request)
    return await _write(request, project_id, "money", lambda conn, form: set_money(
        conn, actor, project_id, form.get("planned_vnd", ""), form.get("disbursed_vnd", ""),
        form.get("settled_vnd", "")))


@router.post("/projects/{project_id}/inspections")
async def project_inspection(request: Request, project_id: int = Path(ge=1, le=MAX_ID)
                             ) -> Response:
    """Form: an inspection visit."""
    actor = actor_of(request)
    return await _write(request, project_id, "inspection", lambda conn, form: add_inspection(
        conn, actor, project_id, form.get("visit_date", ""), form.get("inspector", ""),
        form.get("finding", "")))
