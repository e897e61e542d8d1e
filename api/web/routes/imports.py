"""Imports over HTTP: upload a spreadsheet (read in the background), see its preview row by
row, decide conflicts and ambiguous addresses, commit, undo; saved column mappings."""

from __future__ import annotations

import json
import re
import tempfile
from enum import StrEnum
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.web.auth import actor_of
from api.web.import_jobs import ImportJob
from geo.core.errors import InvalidInput
from geo.core.vocab import RowStatus
from geo.intake import batch_flow, batch_requests, batches
from geo.intake.columns import check_mapping
from geo.intake.need_columns import check_need_mapping
from geo.intake.upload_check import IMPORT_KINDS, check_upload
from geo.records.kinds import RecordKind

router = APIRouter()
SAFE_NAME = re.compile(r"[^\w .()-]+")
ROW_STATUS = Query(None, description="the rows of these statuses only (repeat the parameter)")


class ImportKind(StrEnum):
    """What a file holds."""

    ESTABLISHMENTS = "establishments"
    VILLAGES = "villages"
    PROJECTS = "projects"
    NEEDS = "needs"


class CommitBody(BaseModel):
    """Commit options: keep the person's value where a conflict was not decided; archive the
    records the file no longer carries (never deleted: archived, undone by undo)."""

    keep_undecided: bool = False
    archive_absent: bool = False


class Decision(BaseModel):
    """A conflict settled: take the file's value or keep the person's edit."""

    field: str = Field(max_length=50)
    choice: str = Field(max_length=10)


class CommunePick(BaseModel):
    """The commune picked for an ambiguous address."""

    commune_code: str = Field(max_length=10)


class MappingBody(BaseModel):
    """A column mapping saved under a name."""

    name: str = Field(max_length=100)
    kind: ImportKind
    mapping: dict[str, str]


def _file_name(name: str | None) -> str:
    base = SAFE_NAME.sub("_", PurePath(name or "").name).strip(" .") or "tep"
    return base[-120:]


def _check_mapping(data: dict[str, str], kind: str) -> None:
    if kind == batches.NEEDS:
        check_need_mapping(data)
    else:
        check_mapping(data, RecordKind(kind))


def _mapping(text: str | None, kind: str) -> dict[str, str] | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("Ánh xạ cột phải là JSON {\"tiêu đề\": \"trường\"}") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise InvalidInput("Ánh xạ cột phải là JSON {\"tiêu đề\": \"trường\"}")
    _check_mapping(data, kind)
    return {str(k): v for k, v in data.items()}


@router.post("/api/imports", status_code=202)
async def api_create_import(request: Request, file: Annotated[UploadFile, File()],
                            kind: Annotated[ImportKind, Form()],
                            sheet: Annotated[str | None, Form(max_length=100)] = None,
                            mapping: Annotated[str | None, Form(max_length=20000)] = None,
                            mapping_name: Annotated[str | None, Form(max_length=100)] = None,
                            archive_absent: Annotated[bool, Form()] = False
                            ) -> JSONResponse:
    """Upload a file; it is read in the background: 202 with the batch id and progress."""
    actor = actor_of(request)
    record_kind = batches.import_kind(kind.value)
    batches.check_import(actor, record_kind)
    assert actor is not None
    data = await file.read()
    name = _file_name(file.filename)
    check_upload(name, data, request.app.state.auth_settings.upload_max_bytes, IMPORT_KINDS)
    table = _mapping(mapping, record_kind)
    database = request.app.state.database
    if mapping_name:
        with database.transaction() as conn:
            table = {**batches.saved_mapping(conn, mapping_name), **(table or {})}
    folder = Path(tempfile.mkdtemp(prefix="kcmap-import-"))
    path = folder / name
    path.write_bytes(data)
    with database.transaction() as conn:
        batch_id = batches.create_batch(conn, actor, record_kind, name, sheet or None,
                                        archive_absent)
    request.app.state.import_jobs.submit(ImportJob(batch_id, actor, record_kind, path, name,
                                                   sheet or None, table))
    return JSONResponse({"id": batch_id, "status": "running", "progress": 0.0},
                        status_code=202, headers={"Location": f"/api/imports/{batch_id}"})


@router.get("/api/imports")
def api_list_imports(request: Request) -> Any:
    """The latest batches: who, when, file, counts, status."""
    with request.app.state.database.transaction() as conn:
        return batches.list_batches(conn, actor_of(request))


@router.get("/api/imports/{batch_id}")
def api_import(request: Request, batch_id: int,
               offset: int = Query(0, ge=0, description="first row of the page (0: the first)"),
               limit: int = Query(batches.ROW_PAGE, ge=0, le=batches.MAX_ROW_PAGE,
                                  description="rows in the page (0: none, to follow progress)"),
               status: list[RowStatus] | None = ROW_STATUS) -> Any:
    """A batch: status, progress, summary and a page of its rows as the CLI's JSON report
    (`rows_total` rows match; `offset`/`limit` page through them, `status` filters)."""
    with request.app.state.database.transaction() as conn:
        batch = batches.batch_detail(conn, actor_of(request), batch_id, offset, limit,
                                     status or ())
    writing = request.app.state.import_jobs.progress(batch_id)
    if writing is not None and batch["status"] in ("committing", "undoing"):
        batch["progress"] = round(writing, 3)
    return batch


def _accepted(request: Request, answer: dict[str, Any]) -> JSONResponse:
    request.app.state.import_jobs.submit_request(answer["id"])
    return JSONResponse(answer, status_code=202,
                        headers={"Location": f"/api/imports/{answer['id']}"})


@router.post("/api/imports/{batch_id}/commit", status_code=202)
def api_commit_import(request: Request, batch_id: int, body: CommitBody | None = None
                      ) -> JSONResponse:
    """Write a ready batch in the background: 202 (`committing`), then poll the batch until
    `committed` (or back to `ready` with a message); 409 while conflicts wait for a
    decision."""
    body = body or CommitBody()
    with request.app.state.database.transaction() as conn:
        answer = batch_requests.request_commit(conn, actor_of(request), batch_id,
                                               body.keep_undecided, body.archive_absent)
    return _accepted(request, answer)


@router.post("/api/imports/{batch_id}/undo", status_code=202)
def api_undo_import(request: Request, batch_id: int) -> JSONResponse:
    """Roll a committed batch back in the background: 202 (`undoing`), then poll the batch
    until `undone` (its new records removed, changed ones restored)."""
    with request.app.state.database.transaction() as conn:
        answer = batch_requests.request_undo(conn, actor_of(request), batch_id)
    return _accepted(request, answer)


@router.post("/api/imports/{batch_id}/rows/{row}/decision")
def api_decide(request: Request, batch_id: int, row: int, body: Decision) -> Any:
    """Settle a conflict of one row: 'file' or 'keep'."""
    with request.app.state.database.transaction() as conn:
        return batch_flow.decide(conn, actor_of(request), batch_id, row, body.field,
                                 body.choice)


@router.post("/api/imports/{batch_id}/rows/{row}/commune")
def api_pick_commune(request: Request, batch_id: int, row: int, body: CommunePick) -> Any:
    """Place an ambiguous row in one of its candidate communes."""
    with request.app.state.database.transaction() as conn:
        return batch_flow.choose_commune(conn, actor_of(request), batch_id, row,
                                         body.commune_code)


@router.get("/api/import-mappings")
def api_mappings(request: Request) -> Any:
    """Saved column mappings."""
    with request.app.state.database.transaction() as conn:
        return batches.mappings(conn, actor_of(request))


@router.post("/api/import-mappings")
def api_save_mapping(request: Request, body: MappingBody) -> Any:
    """Save a column mapping under a name (reusable for later files)."""
    kind = batches.import_kind(body.kind.value)
    _check_mapping(body.mapping, kind)
    with request.app.state.database.transaction() as conn:
        batches.save_mapping(conn, actor_of(request), body.name, kind, body.mapping)
    return {"name": body.name.strip(), "saved": True}
