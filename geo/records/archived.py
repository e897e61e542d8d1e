"""Records archived by an import (migration 0013, geo.intake.archive): what a record page
says about it, and the refusal to edit one.

An archived record keeps its row (its page and JSON still open, so links from the audit
trail and the import batches work) but it is off the maps, the indicators, the kept sums
and the review lists. It is not edited: record_place hides its location, so an edit would
work on a state without its place (a move would add a second location) and nobody would see
the result; the batch's undo on /imports, or a file carrying it again, brings it back.
"""

from __future__ import annotations

from typing import Any

from psycopg2 import sql

from geo.accounts.authz import Actor
from geo.core.db import Connection, dict_cursor
from geo.core.errors import Conflict
from geo.records.spec import KindSpec

_NOTE = """
SELECT r.archived_at, r.archived_batch_id, b.file_name, b.status AS batch_status,
       a.username, cu.name AS commune_name, du.code AS district_code, du.name AS district_name
FROM {table} r
LEFT JOIN import_batch b ON b.id = r.archived_batch_id
LEFT JOIN LATERAL (SELECT x.username FROM audit_log x
                   WHERE x.entity = %(entity)s AND x.entity_id = r.id AND x.action = 'import'
                         AND x.after ->> 'archived_at' IS NOT NULL
                   ORDER BY x.id DESC LIMIT 1) a ON true
LEFT JOIN LATERAL (SELECT x.commune_code, x.district_code FROM location x
                   WHERE x.{fk} = r.id ORDER BY x.id LIMIT 1) f ON true
LEFT JOIN admin_unit cu ON cu.edition = 'legacy' AND cu.level = 'commune'
                        AND cu.code = f.commune_code
LEFT JOIN admin_unit du ON du.edition = 'legacy' AND du.level = 'district'
                        AND du.code = COALESCE(cu.parent_code, f.district_code)
WHERE r.id = %(id)s AND r.archived_at IS NOT NULL
"""


class ArchivedRecord(Conflict):
    """An edit or revert of a record an import archived (409)."""


def archive_note(conn: Connection, spec: KindSpec, record_id: int,
                 actor: Actor | None = None) -> dict[str, Any] | None:
    """None for a live record; else when it was archived, by which batch and file (and, for
    a signed-in person, by whom), the batch's status and where the record was."""
    query = sql.SQL(_NOTE).format(table=sql.Identifier(spec.table),
                                  fk=sql.Identifier(spec.location_fk))
    with dict_cursor(conn) as cur:
        cur.execute(query, {"entity": spec.entity, "id": record_id})
        row = cur.fetchone()
    if row is None:
        return None
    note = {"at": row["archived_at"].isoformat(), "batch_id": row["archived_batch_id"],
            "file_name": row["file_name"], "batch_status": row["batch_status"],
            "commune_name": row["commune_name"], "district_code": row["district_code"],
            "district_name": row["district_name"]}
    if actor is not None:
        note["username"] = row["username"]
    return note


def with_archive(conn: Connection, spec: KindSpec, record: dict[str, Any],
                 actor: Actor | None = None) -> dict[str, Any]:
    """The record JSON with `archived_at` (None when live) and `archived` (the note)."""
    note = archive_note(conn, spec, int(record["id"]), actor)
    return {**record, "archived_at": note["at"] if note else None, "archived": note}


def refusal(conn: Connection, spec: KindSpec, record_id: int) -> ArchivedRecord:
    """The Vietnamese refusal to change an archived record, naming the batch and its file."""
    note = archive_note(conn, spec, record_id) or {}
    batch = note.get("batch_id")
    source = (f"khi nhập tệp «{note.get('file_name')}» (lô nhập số {batch})" if batch
              else "khi nhập một tệp")
    undo = (f"hoàn tác lô nhập số {batch} trên trang Nhập dữ liệu (/imports), hoặc "
            if batch else "")
    return ArchivedRecord(
        f"Bản ghi này đã được lưu trữ {source} vì tệp gửi lại không còn bản ghi này, nên "
        f"không sửa hay hoàn tác thay đổi được. Muốn sửa, hãy đưa bản ghi trở lại trước: "
        f"{undo}nhập lại một tệp có bản ghi này.")
