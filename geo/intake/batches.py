"""Import batches: who may import what, the batch table (status, progress, summary), its rows
as the report shows them, saved column mappings.

A batch is `running` while its file is read, `ready` when its preview is stored, then
`committing` while a background job writes it, `committed` (and perhaps `undoing`, `undone`),
or `failed` with a message.
Admins and planners import any kind for the whole province; district officers import
establishments, craft villages and needs (support_need) of their own district only. A batch's
kind is a record kind's name or NEEDS ('support_need', plural 'needs').
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from geo.accounts.authz import Actor, require_actor
from geo.core.db import Connection, dict_cursor, one_row
from geo.core.errors import Forbidden, InvalidInput, NotFound
from geo.core.vocab import RowStatus
from geo.records.kinds import RecordKind

SYSTEM_ACTOR = Actor(0, "kcmap-cli", "admin")
NEEDS = "support_need"
NEEDS_PLURAL = "needs"
OFFICER_KINDS = (RecordKind.ESTABLISHMENT.value, RecordKind.CRAFT_VILLAGE.value, NEEDS)
MAX_LISTED = 200
ROW_PAGE = 1000  # rows of a batch in one answer unless asked otherwise
MAX_ROW_PAGE = 5000
STATUS_NAMES = {"running": "Đang đọc tệp", "ready": "Chờ xác nhận",
                "committing": "Đang ghi vào cơ sở dữ liệu", "committed": "Đã nhập",
                "undoing": "Đang hoàn tác", "undone": "Đã hoàn tác", "failed": "Lỗi"}


def import_kind(name: str) -> str:
    """A batch kind from its own name or its plural ('needs', 'villages' …); InvalidInput."""
    if name in (NEEDS, NEEDS_PLURAL):
        return NEEDS
    return RecordKind.parse(name).value


def plural_of(kind: str) -> str:
    """The name reports and the API use for a batch kind ('needs', 'establishments' …)."""
    return NEEDS_PLURAL if kind == NEEDS else RecordKind(kind).plural


def check_import(actor: Actor | None, kind: str) -> Actor:
    """The actor if it may import records of this kind; Unauthorized or Forbidden."""
    who = require_actor(actor)
    if who.role in ("admin", "planner"):
        return who
    if who.role == "district_officer" and kind in OFFICER_KINDS:
        return who
    if who.role == "district_officer":
        raise Forbidden("Cán bộ huyện chỉ được nhập cơ sở CNNT, làng nghề và nhu cầu hỗ trợ")
    raise Forbidden("Tài khoản này không được nhập dữ liệu")


def create_batch(conn: Connection, actor: Actor, kind: str, file_name: str,
                 sheet: str | None, archive_absent: bool = False) -> int:
    """A new running batch; returns its id. `archive_absent`: its commit archives the
    records the file no longer carries."""
    with conn.cursor() as cur:
        cur.execute("INSERT INTO import_batch (user_id, username, kind, file_name, sheet, "
                    "district_code, archive_absent) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                    "RETURNING id",
                    (actor.user_id if actor.user_id > 0 else None, actor.username, str(kind),
                     file_name, sheet,
                     actor.district_code if actor.role == "district_officer" else None,
                     archive_absent))
        row = cur.fetchone()
    assert row is not None
    return int(row[0])


def set_progress(conn: Connection, batch_id: int, fraction: float) -> None:
    """Record how far the reading of a running batch is (0..1)."""
    with conn.cursor() as cur:
        cur.execute("UPDATE import_batch SET progress = %s WHERE id = %s AND status = 'running'",
                    (max(0.0, min(1.0, fraction)), batch_id))


def fail_batch(conn: Connection, batch_id: int, message: str,
               report: dict[str, Any] | None = None) -> None:
    """Mark a running batch as failed, with the (Vietnamese) reason; `report`: what the page
    may still show (the columns found when a required one is missing)."""
    with conn.cursor() as cur:
        cur.execute("UPDATE import_batch SET status = 'failed', message = %s, "
                    "report = COALESCE(%s::jsonb, report), finished_at = now() "
                    "WHERE id = %s AND status = 'running'",
                    (message[:2000], None if report is None else json.dumps(
                        report, ensure_ascii=False), batch_id))


def batch_row(conn: Connection, batch_id: int, lock: bool = False) -> dict[str, Any]:
    """The batch's table row; NotFound if missing."""
    return one_row(conn, "SELECT * FROM import_batch WHERE id = %s", (batch_id,),
                   f"Không có lô nhập số {batch_id}", lock)


def check_batch(actor: Actor | None, batch: dict[str, Any]) -> Actor:
    """The actor if it may see and act on the batch (officers: their district's batches)."""
    who = check_import(actor, batch["kind"])
    if who.role == "district_officer" and batch["district_code"] != who.district_code:
        raise Forbidden("Lô nhập này không thuộc huyện của bạn")
    return who


def _public(batch: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": batch["id"], "status": batch["status"],
        "status_name": STATUS_NAMES[batch["status"]],
        "progress": round(float(batch["progress"]), 3), "username": batch["username"],
        "kind": plural_of(batch["kind"]), "file": batch["file_name"],
        "sheet": batch["sheet"], "message": batch["message"],
        "archive_absent": batch["archive_absent"],
        "district_code": batch["district_code"], "summary": batch["summary"],
        "created_at": batch["created_at"].isoformat(),
        "committed_at": batch["committed_at"].isoformat() if batch["committed_at"] else None,
        "undone_at": batch["undone_at"].isoformat() if batch["undone_at"] else None,
    }


def batch_detail(conn: Connection, actor: Actor | None, batch_id: int, offset: int = 0,
                 limit: int = ROW_PAGE, statuses: Sequence[RowStatus] = ()) -> dict[str, Any]:
    """A batch as the API shows it: status, progress, summary, report and a page of its rows
    (`limit` rows from `offset` in sheet order, of the `statuses` only if given), with
    `rows_total`: how many rows match (a 100,000-row file is read a page at a time)."""
    batch = batch_row(conn, batch_id)
    check_batch(actor, batch)
    out = _public(batch)
    out.update(batch["report"] or {})
    wanted = sorted({str(s) for s in statuses}) or None
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM import_batch_row WHERE batch_id = %s "
                    "AND (%s::text[] IS NULL OR status = ANY(%s::text[]))",
                    (batch_id, wanted, wanted))
        total = cur.fetchone()
        cur.execute("SELECT report FROM import_batch_row WHERE batch_id = %s "
                    "AND (%s::text[] IS NULL OR status = ANY(%s::text[])) "
                    "ORDER BY row_number OFFSET %s LIMIT %s",
                    (batch_id, wanted, wanted, offset, limit))
        out["rows"] = [r[0] for r in cur.fetchall()]
    out.update(rows_total=int(total[0]) if total else 0, rows_offset=offset, rows_limit=limit)
    return out


def list_batches(conn: Connection, actor: Actor | None) -> list[dict[str, Any]]:
    """The latest batches the actor may see, newest first."""
    who = require_actor(actor)
    if who.role not in ("admin", "planner", "district_officer"):
        raise Forbidden("Tài khoản này không được nhập dữ liệu")
    district = who.district_code if who.role == "district_officer" else None
    with dict_cursor(conn) as cur:
        cur.execute("SELECT * FROM import_batch WHERE %(d)s::text IS NULL OR district_code = %(d)s "
                    "ORDER BY id DESC LIMIT %(n)s", {"d": district, "n": MAX_LISTED})
        return [_public(dict(r)) for r in cur.fetchall()]


def save_mapping(conn: Connection, actor: Actor | None, name: str, kind: str,
                 mapping: dict[str, str]) -> None:
    """Store a column mapping under a name (replacing one of the same name)."""
    who = check_import(actor, kind)
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidInput("Tên ánh xạ phải có 1–100 ký tự")
    with conn.cursor() as cur:
        cur.execute("INSERT INTO import_mapping (name, kind, mapping, username) "
                    "VALUES (%s, %s, %s::jsonb, %s) ON CONFLICT (name) DO UPDATE SET "
                    "kind = EXCLUDED.kind, mapping = EXCLUDED.mapping, "
                    "username = EXCLUDED.username, updated_at = now()",
                    (name, str(kind), json.dumps(mapping, ensure_ascii=False), who.username))


def mappings(conn: Connection, actor: Actor | None) -> list[dict[str, Any]]:
    """Saved column mappings: name, kind, mapping."""
    require_actor(actor)
    with conn.cursor() as cur:
        cur.execute("SELECT name, kind, mapping FROM import_mapping ORDER BY name")
        return [{"name": n, "kind": plural_of(k), "mapping": m}
                for n, k, m in cur.fetchall()]


def saved_mapping(conn: Connection, name: str) -> dict[str, str]:
    """A saved mapping by name; NotFound if none."""
    with conn.cursor() as cur:
        cur.execute("SELECT mapping FROM import_mapping WHERE name = %s", (name,))
        row = cur.fetchone()
    if row is None:
        raise NotFound(f"Không có ánh xạ cột tên '{name}'")
    return dict(row[0])
