"""Archived records: the explicit option of a commit that archives the records a re-sent file
no longer carries (never deletes them), a record carried again coming back, and the undo.

A record is archived when its `archived_at` is set (migration 0013); archived records drop
out of maps, tiles, OGC collections and indicators. Every change is audited (action
'import', before/after {archived_at, archived_batch_id}) with the user and the batch, so
the batch's undo puts each record back as it was.
"""

from __future__ import annotations

import json
from typing import Any

from psycopg2 import sql

from geo.accounts.authz import Actor
from geo.core.db import Connection, dict_cursor
from geo.intake.apply import write_audit
from geo.records.kinds import RecordKind
from geo.records.spec import SPECS

_STATE = ("archived_at", "archived_batch_id")


def _state(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (row[k].isoformat() if k == "archived_at" and row[k] is not None else row[k])
            for k in _STATE}


def _set(conn: Connection, actor: Actor, batch_id: int, kind: RecordKind, ids: list[int],
         archive: bool, reason: str) -> int:
    """Archive (or bring back) the records of `ids` that are not already so; audited."""
    if not ids:
        return 0
    spec = SPECS[kind]
    district = sql.SQL("(SELECT COALESCE(u.parent_code, x.district_code) FROM location x "
                       "LEFT JOIN admin_unit u ON u.edition = 'legacy' AND u.code = "
                       "x.commune_code WHERE x.{fk} = r.id ORDER BY x.id LIMIT 1)").format(
        fk=sql.Identifier(spec.location_fk))
    audit: list[tuple[Any, ...]] = []
    with dict_cursor(conn) as cur:
        cur.execute(sql.SQL(
            "SELECT r.id, r.version, r.archived_at, r.archived_batch_id, {district} AS district "
            "FROM {t} r WHERE r.id = ANY(%s) AND (r.archived_at IS NULL) = %s "
            "ORDER BY r.id FOR UPDATE OF r").format(district=district,
                                                    t=sql.Identifier(spec.table)),
            (sorted(ids), archive))
        rows = [dict(r) for r in cur.fetchall()]
        for row in rows:
            cur.execute(sql.SQL(
                "UPDATE {t} SET archived_at = CASE WHEN %(a)s THEN now() END, "
                "archived_batch_id = CASE WHEN %(a)s THEN %(b)s::bigint END, "
                "version = version + 1, updated_at = now() WHERE id = %(id)s "
                "RETURNING version, archived_at, archived_batch_id").format(
                t=sql.Identifier(spec.table)), {"a": archive, "b": batch_id, "id": row["id"]})
            after = cur.fetchone()
            assert after is not None
            audit.append((spec.entity, row["id"], "import", row["version"], after["version"],
                          json.dumps(_state(row)), json.dumps(_state(dict(after))), reason,
                          row["district"]))
    if audit:
        with conn.cursor() as plain:
            write_audit(plain, actor, batch_id, audit)
    return len(audit)


def archive_records(conn: Connection, actor: Actor, batch_id: int, kind: RecordKind,
                    ids: list[int], file_name: str) -> int:
    """Archive the records absent from the batch's file; how many were archived."""
    return _set(conn, actor, batch_id, kind, ids, True,
                f"Lưu trữ: không còn trong tệp {file_name} (lô {batch_id})")


def revive_records(conn: Connection, actor: Actor, batch_id: int, kind: RecordKind,
                   ids: list[int], file_name: str) -> int:
    """Bring back the archived records the batch's file carries again; how many."""
    return _set(conn, actor, batch_id, kind, ids, False,
                f"Bỏ lưu trữ: có lại trong tệp {file_name} (lô {batch_id})")


def undo_archive(conn: Connection, actor: Actor, batch_id: int, kind: RecordKind) -> int:
    """Put back the archive state the batch changed (where nobody changed it since)."""
    spec = SPECS[kind]
    audit: list[tuple[Any, ...]] = []
    reason = f"Hoàn tác lô nhập số {batch_id}"
    with dict_cursor(conn) as cur:
        cur.execute("SELECT entity_id, before, after, district_code FROM audit_log "
                    "WHERE batch_id = %s AND action = 'import' AND entity = %s "
                    "AND after ? 'archived_at' ORDER BY id DESC", (batch_id, spec.entity))
        changes = [dict(r) for r in cur.fetchall()]
        for change in changes:
            cur.execute(sql.SQL("SELECT id, version, archived_at, archived_batch_id FROM {t} "
                                "WHERE id = %s FOR UPDATE").format(
                t=sql.Identifier(spec.table)), (change["entity_id"],))
            now = cur.fetchone()
            if now is None or _state(dict(now)) != change["after"]:
                continue
            before = change["before"]
            cur.execute(sql.SQL("UPDATE {t} SET archived_at = %s, archived_batch_id = %s, "
                                "version = version + 1, updated_at = now() WHERE id = %s "
                                "RETURNING version").format(t=sql.Identifier(spec.table)),
                        (before["archived_at"], before["archived_batch_id"], now["id"]))
            version = cur.fetchone()
            assert version is not None
            audit.append((spec.entity, now["id"], "import_undo", now["version"],
                          version["version"], json.dumps(change["after"]), json.dumps(before),
                          reason, change["district_code"]))
    if audit:
        with conn.cursor() as plain:
            write_audit(plain, actor, batch_id, audit)
    return len(audit)
