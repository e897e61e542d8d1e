"""PATCH for craft villages and projects (If-Match, audited), and their change history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from api.web.auth import actor_of
from api.web.bounds import RecordId
from geo.core.db import Connection
from geo.core.errors import Conflict, InvalidInput
from geo.records.audit import history
from geo.records.edit import edit_record
from geo.records.patch_model import CraftVillagePatch, PatchBase, ProjectPatch
from geo.records.public_projects import project_detail
from geo.records.public_villages import village_detail

router = APIRouter()
Reader = Callable[[Connection, int], dict[str, Any]]


def parse_if_match(value: str | None) -> int | None:
    """The version in an If-Match header ('3', '"3"' or 'W/"3"'); None when absent."""
    if value is None or not value.strip():
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput("If-Match phải là số phiên bản của bản ghi")
    return int(text)


def patch_record(request: Request, entity: str, record_id: int, if_match: str | None,
                 changes: PatchBase, reader: Callable[[Connection, int], dict[str, Any]]
                 ) -> JSONResponse:
    """Edit a record in one transaction: 200 with the record, 409 with the current one."""
    actor = actor_of(request)
    version = parse_if_match(if_match)
    try:
        with request.app.state.database.transaction() as conn:
            result = edit_record(conn, actor, entity, record_id, version, changes)
            record = reader(conn, record_id)
    except Conflict as exc:
        with request.app.state.database.transaction() as conn:
            current = reader(conn, record_id)
        return JSONResponse({"error": "Conflict", "detail": str(exc),
                             "current_version": current["version"], "current": current,
                             "rejected_changes": changes.model_dump(exclude_unset=True)},
                            status_code=409)
    return JSONResponse({**record, "changed": result.audit_id is not None,
                         "audit_id": result.audit_id},
                        headers={"ETag": f'"{record["version"]}"'})


@router.patch("/api/villages/{village_id}")
def api_patch_village(request: Request, village_id: RecordId, body: CraftVillagePatch,
                      if_match: str | None = Header(None)) -> JSONResponse:
    """Edit a craft village (district officers of its district, planners, admins)."""
    return patch_record(request, "craft_village", village_id, if_match,
                        body, village_detail)


@router.patch("/api/projects/{project_id}")
def api_patch_project(request: Request, project_id: RecordId, body: ProjectPatch,
                      if_match: str | None = Header(None)) -> JSONResponse:
    """Edit a project (planners, admins)."""
    return patch_record(request, "project", project_id, if_match,
                        body, project_detail)


@router.get("/api/villages/{village_id}/history")
def api_village_history(request: Request, village_id: RecordId,
                        limit: int = Query(100, ge=1, le=500)) -> Any:
    """Recorded changes of one craft village, newest first."""
    with request.app.state.database.transaction() as conn:
        return history(conn, actor_of(request), "craft_village", village_id, None, limit)


@router.get("/api/projects/{project_id}/history")
def api_project_history(request: Request, project_id: RecordId,
                        limit: int = Query(100, ge=1, le=500)) -> Any:
    """Recorded changes of one project, newest first."""
    with request.app.state.database.transaction() as conn:
        return history(conn, actor_of(request), "project", project_id, None, limit)
