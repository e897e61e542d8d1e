"""Commit and undo of a batch as background jobs (the web page): the request is checked and
recorded at once (`committing` / `undoing`, with who asked and how), the job then writes the
batch in one transaction. A job that fails puts the batch back (`ready` / `committed`) with a
Vietnamese message; nothing is half-written since the job's transaction is rolled back. A
request left by a stopped server is run again when the server starts (`pending`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from geo.accounts.authz import Actor
from geo.core.db import Connection
from geo.core.errors import Conflict
from geo.intake.batch_flow import commit_batch, undo_batch
from geo.intake.batches import batch_row, check_batch

COMMITTING, UNDOING = "committing", "undoing"
BACK = {COMMITTING: "ready", UNDOING: "committed"}  # where a failed job leaves the batch


def _undecided(conn: Connection, batch_id: int) -> int:
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM import_batch_row WHERE batch_id = %s "
                    "AND status = 'conflict'", (batch_id,))
        row = cur.fetchone()
    return int(row[0]) if row else 0


def _record(conn: Connection, batch_id: int, status: str, actor: Actor,
            options: dict[str, Any]) -> dict[str, Any]:
    request = {"actor": {"user_id": actor.user_id, "username": actor.username,
                         "role": actor.role, "district_code": actor.district_code},
               **options}
    with conn.cursor() as cur:
        cur.execute("UPDATE import_batch SET status = %s, progress = 0, message = NULL, "
                    "request = %s::jsonb WHERE id = %s",
                    (status, json.dumps(request, ensure_ascii=False), batch_id))
    return {"id": batch_id, "status": status, "progress": 0.0}


def request_commit(conn: Connection, actor: Actor | None, batch_id: int,
                   keep_undecided: bool = False, archive_absent: bool = False
                   ) -> dict[str, Any]:
    """Accept a commit of a ready batch (Conflict while conflicts wait for a decision);
    `archive_absent`: archive the records the file no longer carries (also when asked at
    upload)."""
    batch = batch_row(conn, batch_id, lock=True)
    who = check_batch(actor, batch)
    if batch["status"] != "ready":
        raise Conflict(f"Lô nhập số {batch_id} không ở trạng thái chờ xác nhận")
    undecided = _undecided(conn, batch_id)
    if undecided and not keep_undecided:
        raise Conflict(f"Còn {undecided} dòng xung đột chưa quyết định: chọn giá trị của tệp "
                       "hoặc giữ giá trị đã sửa cho từng dòng")
    return _record(conn, batch_id, COMMITTING, who, {"keep_undecided": keep_undecided,
                                                     "archive_absent": archive_absent})


def request_undo(conn: Connection, actor: Actor | None, batch_id: int) -> dict[str, Any]:
    """Accept an undo of a committed batch."""
    batch = batch_row(conn, batch_id, lock=True)
    who = check_batch(actor, batch)
    if batch["status"] != "committed":
        raise Conflict(f"Chỉ hoàn tác được lô đã nhập (lô {batch_id}: {batch['status']})")
    return _record(conn, batch_id, UNDOING, who, {})


def run_request(conn: Connection, batch_id: int,
                progress: Callable[[float], None] | None = None) -> dict[str, Any] | None:
    """Do what the batch's request asks, in the open transaction of `conn`; None when the
    batch has no request waiting (done meanwhile, e.g. by another worker)."""
    batch = batch_row(conn, batch_id, lock=True)
    request = batch.get("request") or {}
    if batch["status"] not in BACK or not request:
        return None
    actor = Actor(**request["actor"])
    if batch["status"] == COMMITTING:
        done = commit_batch(conn, actor, batch_id, status=COMMITTING, progress=progress,
                            keep_undecided=bool(request.get("keep_undecided")),
                            archive_absent=bool(request.get("archive_absent")))
    else:
        done = undo_batch(conn, actor, batch_id, status=UNDOING)
    with conn.cursor() as cur:
        cur.execute("UPDATE import_batch SET request = NULL, progress = 1 WHERE id = %s",
                    (batch_id,))
    return done


def abandon_request(conn: Connection, batch_id: int, message: str) -> None:
    """A job that could not finish: the batch goes back to where it was, with the reason."""
    with conn.cursor() as cur:
        cur.execute("UPDATE import_batch SET status = CASE status WHEN %s THEN %s ELSE %s END, "
                    "request = NULL, progress = 1, message = %s "
                    "WHERE id = %s AND status IN (%s, %s)",
                    (COMMITTING, BACK[COMMITTING], BACK[UNDOING], message[:2000], batch_id,
                     COMMITTING, UNDOING))


def pending(conn: Connection) -> list[int]:
    """Batches whose commit or undo was accepted and not yet done (oldest first)."""
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM import_batch WHERE status IN (%s, %s) ORDER BY id",
                    (COMMITTING, UNDOING))
        return [int(r[0]) for r in cur.fetchall()]
