"""A batch's life after its file is read: the preview (what each row would do, conflicts with
people's edits, records the file no longer carries), decisions on the batch page (take the
file's value or keep the edit; pick a commune for an ambiguous address), commit and undo."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from geo.accounts.authz import Actor
from geo.core.db import Connection
from geo.core.errors import Conflict, InvalidInput
from geo.intake.apply import Applied, apply_rows
from geo.intake.archive import archive_records, revive_records, undo_archive
from geo.intake.batches import NEEDS, batch_row, check_batch
from geo.intake.bulk import copy_rows
from geo.intake.need_batch import commit_needs, undo_needs
from geo.intake.plan import RowPlan, absent_records, plan_row, stored_chunks
from geo.intake.results import ImportResult, RowResult
from geo.intake.store import LocationRow, RecordRow, WriteCounts
from geo.intake.undo import undo_changes
from geo.records.kinds import RecordKind
from geo.records.public_establishments import fold_sums

OUTSIDE = "ngoài huyện của bạn: cán bộ huyện chỉ nhập bản ghi thuộc huyện mình"
KEPT_LOCATION = "vị trí đã được rà soát trong kcmap: giữ nguyên, không dùng vị trí trong tệp"


ROW_COLUMNS = ("batch_id", "row_number", "status", "report", "record_key", "place_key",
               "record_id", "values", "location")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _outside(actor: Actor, record: RecordRow, plan: RowPlan | None) -> bool:
    if actor.role != "district_officer":
        return False
    districts = {record.location.district_code}
    if plan is not None and plan.stored is not None:
        districts.add(plan.stored.district)
    return districts != {actor.district_code}


def _fill(result: RowResult, plan: RowPlan) -> None:
    result.action = plan.action
    result.record_id = plan.stored.id if plan.stored else None
    result.changes, result.kept, result.conflicts = plan.changes, plan.kept, plan.conflicts
    result.status = "conflict" if plan.action == "conflict" else "accepted"


def _summary(result: ImportResult) -> dict[str, Any]:
    actions = Counter(r.action for r in result.rows if r.action)
    return {**result.summary(), "actions": {a: actions.get(a, 0) for a in
                                            ("new", "update", "unchanged", "conflict")},
            "absent": result.absent}


def preview_batch(conn: Connection, actor: Actor, batch_id: int, result: ImportResult,
                  records: list[RecordRow]) -> None:
    """Plan every row against the stored records and store the batch's preview (ready)."""
    batch = batch_row(conn, batch_id)
    kind = RecordKind(batch["kind"])
    by_row = {r.row: r for r in result.rows}
    kept: list[RecordRow] = []
    seen: set[int] = set()
    for part, stored in stored_chunks(conn, kind, records):
        for record in part:
            row = by_row[record.row]
            plan = plan_row(kind, record, stored.get(record.record_key), {})
            if _outside(actor, record, plan):
                row.status = "rejected"
                row.issues.append({"field": "address", "message": OUTSIDE})
                continue
            _fill(row, plan)
            if plan.stored is not None:
                seen.add(plan.stored.id)
            kept.append(record)
    district = actor.district_code if actor.role == "district_officer" else None
    result.absent, result.absent_records = absent_records(conn, kind, result.file, seen,
                                                          district)
    data = {r.row: r for r in kept}

    def rows() -> Iterator[tuple[Any, ...]]:
        for row in result.rows:
            found = data.get(row.row)
            yield (batch_id, row.row, row.status, _json(row.to_dict()),
                   found.record_key if found else None, found.place_key if found else None,
                   row.record_id, _json(list(found.values)) if found else None,
                   _json(found.location.to_dict()) if found else None)

    report = {"header_rows": list(result.header_rows), "columns": result.columns,
              "conversions": result.conversions, "sheets": result.sheets,
              "absent": {"count": result.absent, "records": result.absent_records}}
    with conn.cursor() as cur:
        copy_rows(cur, "import_batch_row", ROW_COLUMNS, rows())
        cur.execute("UPDATE import_batch SET status = 'ready', progress = 1, summary = %s, "
                    "report = %s, finished_at = now() WHERE id = %s",
                    (json.dumps(_summary(result)), json.dumps(report, ensure_ascii=False),
                     batch_id))


def _planned(conn: Connection, batch_id: int) -> list[tuple[RecordRow, dict[str, str]]]:
    with conn.cursor() as cur:
        cur.execute('SELECT row_number, record_key, place_key, "values", location, decisions '
                    "FROM import_batch_row WHERE batch_id = %s AND \"values\" IS NOT NULL "
                    "AND status IN ('accepted', 'conflict') ORDER BY row_number", (batch_id,))
        return [(RecordRow(key, tuple(values), LocationRow(**location), number, place or ""),
                 dict(decisions))
                for number, key, place, values, location, decisions in cur.fetchall()]


def commit_batch(conn: Connection, actor: Actor | None, batch_id: int, *,
                 keep_undecided: bool = False, result: ImportResult | None = None,
                 records: list[RecordRow] | None = None, status: str = "ready",
                 progress: Callable[[float], None] | None = None,
                 archive_absent: bool = False) -> dict[str, Any]:
    """Write a ready batch. Conflicts not decided refuse the commit (Conflict), unless
    `keep_undecided`: then the person's value stays. With `archive_absent` (or the option
    given at upload) the records the file no longer carries are archived; archived records
    the file carries again come back. Returns what was written.

    `records`: the batch's records still in memory (previewed in this transaction, no
    decision taken yet), so they are not read back from import_batch_row. `status`: the
    batch's status expected (`committing` when a background job writes it); `progress`
    hears how far the commit is (0..1)."""
    batch = batch_row(conn, batch_id, lock=True)
    who = check_batch(actor, batch)
    if batch["status"] != status:
        raise Conflict(f"Lô nhập số {batch_id} không ở trạng thái chờ xác nhận")
    if batch["kind"] == NEEDS:
        return commit_needs(conn, who, batch, keep_undecided)
    tell = progress or (lambda fraction: None)
    kind = RecordKind(batch["kind"])
    if not keep_undecided:
        _check_decided(conn, batch_id)
    planned = _planned(conn, batch_id) if records is None else [(r, {}) for r in records]
    decisions = {r.row: d for r, d in planned if d}
    tell(0.2)
    reason = f"Nhập tệp {batch['file_name']} (lô {batch_id})"
    by_row = {r.row: r for r in result.rows} if result is not None else {}
    counts = WriteCounts()
    seen: set[int] = set()
    undecided = done = 0
    with conn.cursor() as cur:
        cur.execute("SAVEPOINT kcmap_commit")
        cur.execute("DROP TABLE IF EXISTS kcmap_row_stage")
        cur.execute("CREATE TEMP TABLE kcmap_row_stage (num integer, rid bigint, prev jsonb) "
                    "ON COMMIT DROP")
    # chunk by chunk: plan against the locked stored records, write, and let the plans go
    for part, stored in stored_chunks(conn, kind, [r for r, _ in planned], lock=True):
        items: list[tuple[RecordRow, RowPlan]] = []
        for record in part:
            plan = plan_row(kind, record, stored.get(record.record_key),
                            decisions.get(record.row, {}))
            if _outside(who, record, plan):
                continue
            if plan.action == "conflict":
                undecided += 1
                if keep_undecided:
                    for c in plan.conflicts:
                        c["decided"] = c["decided"] or "keep"
                        plan.kept.append(c["field"])
                    plan.action = "update" if plan.changes else "unchanged"
            items.append((record, plan))
            if plan.stored is not None:
                seen.add(plan.stored.id)
        if undecided and not keep_undecided:
            break
        applied = apply_rows(conn, who, batch_id, kind, items, reason)
        counts.add(applied.counts)
        _stage_rows(conn, applied)
        _fill_result(by_row, items, applied)
        done += len(part)
        tell(0.2 + 0.7 * done / max(1, len(planned)))
    if undecided and not keep_undecided:  # edited since the preview: nothing stays written
        with conn.cursor() as cur:
            cur.execute("ROLLBACK TO SAVEPOINT kcmap_commit")
        raise _undecided(undecided)
    absent: list[int] = []
    if archive_absent or batch["archive_absent"]:
        district = who.district_code if who.role == "district_officer" else None
        absent = [r["id"] for r in absent_records(conn, kind, batch["file_name"], seen,
                                                  district, limit=None)[1]]
    written = {"inserted": counts.inserted, "updated": counts.updated,
               "unchanged": counts.unchanged, "locations_written": counts.locations_written,
               "kept_reviewed": len(counts.locations_kept),
               "archived": archive_records(conn, who, batch_id, kind, absent,
                                           batch["file_name"]),
               "revived": revive_records(conn, who, batch_id, kind, sorted(seen),
                                         batch["file_name"])}
    with conn.cursor() as cur:
        cur.execute("UPDATE import_batch_row b SET record_id = v.rid, prev_state = "
                    "COALESCE(v.prev, 'null'::jsonb) FROM kcmap_row_stage v "
                    "WHERE b.batch_id = %s AND b.row_number = v.num", (batch_id,))
        cur.execute("DROP TABLE kcmap_row_stage")
        cur.execute("UPDATE import_batch SET status = 'committed', committed_at = now(), "
                    "summary = summary || jsonb_build_object('written', %s::jsonb) "
                    "WHERE id = %s", (json.dumps(written), batch_id))
        cur.execute("RELEASE SAVEPOINT kcmap_commit")
    if kind == RecordKind.ESTABLISHMENT:
        fold_sums(conn)
    if result is not None:
        result.written = counts
    return {"id": batch_id, "status": "committed", "written": written}


def _check_decided(conn: Connection, batch_id: int) -> None:
    """Refuse the commit while rows of the preview still wait for a decision."""
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM import_batch_row WHERE batch_id = %s "
                    "AND status = 'conflict'", (batch_id,))
        row = cur.fetchone()
    if row is not None and int(row[0]):
        raise _undecided(int(row[0]))


def _undecided(count: int) -> Conflict:
    return Conflict(f"Còn {count} dòng xung đột chưa quyết định: chọn giá trị của tệp hoặc "
                    "giữ giá trị đã sửa cho từng dòng")


def _stage_rows(conn: Connection, applied: Applied) -> None:
    """Each written row's record id and import state before, for the batch rows (undo)."""
    with conn.cursor() as cur:
        copy_rows(cur, "kcmap_row_stage", ("num", "rid", "prev"),
                  ((row, applied.record_ids[row], prev)
                   for row, prev in applied.prev_states.items()))


def _fill_result(by_row: dict[int, RowResult], items: list[tuple[RecordRow, RowPlan]],
                 applied: Applied) -> None:
    """The rows of the report say what the commit did with them."""
    if not by_row:
        return
    kept = set(applied.counts.locations_kept)
    for record, plan in items:
        row = by_row.get(record.row)
        if row is None:
            continue
        _fill(row, plan)
        if row.record_key in kept:
            row.issues.append({"field": "lat,lon", "message": KEPT_LOCATION})


def undo_batch(conn: Connection, actor: Actor | None, batch_id: int,
               status: str = "committed") -> dict[str, Any]:
    """Undo a committed batch (`status`: `undoing` when a background job does it); returns
    the counts."""
    batch = batch_row(conn, batch_id, lock=True)
    who = check_batch(actor, batch)
    if batch["status"] != status:
        raise Conflict(f"Chỉ hoàn tác được lô đã nhập (lô {batch_id}: {batch['status']})")
    if batch["kind"] == NEEDS:
        return undo_needs(conn, who, batch)
    unarchived = undo_archive(conn, who, batch_id, RecordKind(batch["kind"]))
    counts = undo_changes(conn, who, batch_id, RecordKind(batch["kind"]))
    if batch["kind"] == RecordKind.ESTABLISHMENT:
        fold_sums(conn)
    done = {**counts.to_dict(), "archive_undone": unarchived}
    with conn.cursor() as cur:
        cur.execute("UPDATE import_batch SET status = 'undone', undone_at = now(), "
                    "summary = summary || jsonb_build_object('undo', %s::jsonb) WHERE id = %s",
                    (json.dumps(done), batch_id))
    return {"id": batch_id, "status": "undone", **done}


def _row_report(conn: Connection, batch_id: int, number: int) -> tuple[dict[str, Any],
                                                                       dict[str, Any]]:
    with conn.cursor() as cur:
        cur.execute("SELECT report, location FROM import_batch_row WHERE batch_id = %s AND "
                    "row_number = %s FOR UPDATE", (batch_id, number))
        row = cur.fetchone()
    if row is None:
        raise InvalidInput(f"Lô {batch_id} không có dòng {number}")
    return dict(row[0]), dict(row[1] or {})


def _ready(conn: Connection, actor: Actor | None, batch_id: int) -> None:
    batch = batch_row(conn, batch_id, lock=True)
    check_batch(actor, batch)
    if batch["status"] != "ready":
        raise Conflict(f"Lô nhập số {batch_id} không ở trạng thái chờ xác nhận")


def decide(conn: Connection, actor: Actor | None, batch_id: int, number: int, field: str,
           choice: str) -> dict[str, Any]:
    """Settle one conflict of a row: 'file' takes the file's value, 'keep' keeps the edit."""
    _ready(conn, actor, batch_id)
    if choice not in ("file", "keep"):
        raise InvalidInput("Lựa chọn phải là 'file' (lấy giá trị trong tệp) hoặc 'keep' "
                           "(giữ giá trị đã sửa)")
    report, _ = _row_report(conn, batch_id, number)
    conflicts = report.get("conflicts") or []
    if not any(c["field"] == field for c in conflicts):
        raise InvalidInput(f"Dòng {number} không có xung đột ở trường '{field}'")
    for c in conflicts:
        if c["field"] == field:
            c["decided"] = choice
    if all(c.get("decided") for c in conflicts):
        report["status"] = "accepted"
    with conn.cursor() as cur:
        cur.execute("UPDATE import_batch_row SET decisions = decisions || jsonb_build_object("
                    "%s::text, %s::text), report = %s::jsonb, status = %s WHERE batch_id = %s "
                    "AND row_number = %s", (field, choice, json.dumps(report, ensure_ascii=False),
                                            report["status"], batch_id, number))
    return report


def choose_commune(conn: Connection, actor: Actor | None, batch_id: int, number: int,
                   commune_code: str) -> dict[str, Any]:
    """Place an ambiguous row in the commune picked among its candidates (at its centroid)."""
    _ready(conn, actor, batch_id)
    report, location = _row_report(conn, batch_id, number)
    codes = {c.get("code") for c in report.get("candidates") or []}
    if not location or commune_code not in codes:
        raise InvalidInput(f"Mã xã {commune_code} không nằm trong các lựa chọn của dòng {number}")
    with conn.cursor() as cur:
        cur.execute("SELECT parent_code, ST_X(centroid), ST_Y(centroid) FROM admin_unit "
                    "WHERE edition = 'legacy' AND level = 'commune' AND code = %s "
                    "AND centroid IS NOT NULL", (commune_code,))
        unit = cur.fetchone()
    if unit is None:
        raise InvalidInput(f"Không có xã mã {commune_code} (đơn vị trước 1/7/2025)")
    location.update(commune_code=commune_code, district_code=unit[0], precision="commune",
                    lon=unit[1], lat=unit[2], method="import_choice", score=1.0,
                    geocode_status="ok")
    report.update(commune_code=commune_code, district_code=unit[0], precision="commune",
                  lon=unit[1], lat=unit[2], geocode_status="ok", candidates=[])
    report["issues"] = [*report.get("issues", []), {
        "field": "address", "message": f"địa chỉ nhiều khả năng: đã chọn xã mã {commune_code}"}]
    with conn.cursor() as cur:
        cur.execute("UPDATE import_batch_row SET location = %s::jsonb, report = %s::jsonb "
                    "WHERE batch_id = %s AND row_number = %s",
                    (json.dumps(location), json.dumps(report, ensure_ascii=False), batch_id,
                     number))
    return report

