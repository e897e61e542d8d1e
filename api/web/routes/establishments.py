"""Establishments API for scripts: list, read (with version), PATCH with If-Match, history."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.web.auth import actor_of
from api.web.bounds import Offset, RecordId
from api.web.routes.record_edits import patch_record
from geo.accounts.authz import require_actor
from geo.records.audit import history
from geo.records.edit import revert_change
from geo.records.establishment_read import get_establishment, list_establishments
from geo.records.patch_model import EstablishmentPatch
from geo.records.public_projects import project_detail
from geo.records.public_villages import village_detail
from geo.records.review import review_progress

# The review flags of geo.records.establishment_read.FILTERS, as the OpenAPI document lists them.
ReviewFilter = Literal["conflict", "commune_only", "outside_district", "unreviewed"]
router = APIRouter()


class RevertBody(BaseModel):
    """Why a change is undone."""

    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(None, max_length=1000)


def _record_response(record: dict[str, Any], status: int = 200, **extra: Any) -> JSONResponse:
    """The record as JSON with its version as ETag."""
    return JSONResponse({**record, **extra}, status_code=status,
                        headers={"ETag": f'"{record["version"]}"'})


@router.get("/api/establishments")
def api_list(
    request: Request,
    district: str | None = Query(None, max_length=10, description="legacy district code"),
    filter: list[ReviewFilter] = Query([], description="review flags, repeatable"),  # noqa: B008
    q: str = Query("", max_length=200, description="search in name or record key"),
    limit: int = Query(100, ge=1, le=5000),
    offset: Offset = 0,
) -> Any:
    """A page of establishments with version, location and review flags (records archived
    by an import are not listed)."""
    flags: list[str] = list(filter)
    with request.app.state.database.transaction() as conn:
        return list_establishments(conn, actor_of(request), district, flags, q, limit, offset)


@router.get("/api/establishments/{establishment_id}")
def api_get(request: Request, establishment_id: RecordId) -> JSONResponse:
    """One establishment with its `version` (send it back as If-Match to edit) and
    `archived_at`/`archived` (set when an import archived it: then it is not editable)."""
    with request.app.state.database.transaction() as conn:
        return _record_response(get_establishment(conn, establishment_id, actor_of(request)))


@router.patch("/api/establishments/{establishment_id}")
def api_patch(request: Request, establishment_id: RecordId, body: EstablishmentPatch,
              if_match: str | None = Header(None)) -> JSONResponse:
    """Edit an establishment based on version If-Match: 200, 403 out of scope, 409 stale."""
    actor = actor_of(request)
    return patch_record(request, "establishment", establishment_id, if_match,
                        body, lambda conn, rid: get_establishment(conn, rid, actor))


@router.get("/api/establishments/{establishment_id}/history")
def api_history(request: Request, establishment_id: RecordId,
                limit: int = Query(100, ge=1, le=500)) -> Any:
    """Recorded changes of one establishment, newest first."""
    with request.app.state.database.transaction() as conn:
        return history(conn, actor_of(request), "establishment", establishment_id, None, limit)


@router.get("/api/audit")
def api_audit(request: Request, district: str | None = Query(None, max_length=10),
              limit: int = Query(100, ge=1, le=500)) -> Any:
    """Recorded changes (optionally of one legacy district), newest first."""
    with request.app.state.database.transaction() as conn:
        return history(conn, actor_of(request), None, None, district, limit)


@router.post("/api/audit/{audit_id}/revert")
def api_revert(request: Request, audit_id: RecordId, body: RevertBody | None = None
               ) -> JSONResponse:
    """Undo a recorded change (planners, admins) if nothing changed after it; else 409."""
    actor = actor_of(request)
    with request.app.state.database.transaction() as conn:
        result = revert_change(conn, actor, audit_id, (body.reason if body else None) or "")
        readers = {"establishment": lambda rid: get_establishment(conn, rid, actor),
                   "craft_village": lambda rid: village_detail(conn, rid, actor),
                   "project": lambda rid: project_detail(conn, rid, actor)}
        record = readers[result.entity](result.record_id)
    return _record_response(record, entity=result.entity, audit_id=result.audit_id)


@router.get("/api/review/progress")
def api_progress(request: Request, district: str | None = Query(None, max_length=10)) -> Any:
    """Per legacy district: establishments, confirmed and % confirmed."""
    require_actor(actor_of(request))
    with request.app.state.database.transaction() as conn:
        return review_progress(conn, district)
