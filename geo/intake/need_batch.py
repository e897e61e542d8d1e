"""Needs through import batches: preview, commit and undo, keeping people's work.

A row's need is the stored need of the same establishment, activity type and desired year
(re-importing a file adds nothing twice). For each value (description, amounts, priority):
- equal to the stored value: nothing to do;
- the need is already in a plan, funded or declined: the stored value stands (noted);
- no person changed it since the last import: the file's value is written;
- a person changed it (or registered the need by hand): the edit stands when the file still
  carries the value last imported, otherwise it is a *conflict* decided on the batch page
  (take the file's value or keep the edit) — never overwritten silently.
New needs are registered (status 'registered'). Every write and undo is audited with the
batch (entity 'support_need'); import_state remembers what was imported and what people
changed (geo.cycle.needs marks edits).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import psycopg2.extras

from geo.accounts.authz import Actor
from geo.core.db import Connection, dict_cursor
from geo.core.errors import Conflict, InvalidInput
from geo.intake.apply import write_audit
from geo.intake.need_columns import VALUE_FIELDS
from geo.intake.need_read import NeedRow
from geo.intake.results import ImportResult, RowResult

ENTITY = "support_need"
OPEN = ("registered", "shortlisted")
STATUS_VI = {"in_plan": "đã đưa vào kế hoạch", "funded": "được hỗ trợ", "declined": "không chọn"}


@dataclass
class StoredNeed:
    """A stored need as the import sees it."""

    id: int
    version: int
    status: str
    district_code: str
    values: dict[str, Any]
    imported: dict[str, Any] | None
    edited: set[str]

    def state_json(self) -> dict[str, Any] | None:
        """Its import_state as it is (None: it has none)."""
        if self.imported is None:
            return None
        return {"imported": self.imported, "edited": sorted(self.edited)}


@dataclass
class NeedPlan:
    """What the import does with one accepted row."""

    action: str  # new | update | unchanged | conflict
    stored: StoredNeed | None = None
    changes: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


_STORED = """
SELECT n.id, n.version, n.status, n.district_code, n.establishment_id, n.activity_type,
       n.desired_year, n.description, n.total_cost_vnd, n.requested_vnd, n.counterpart_vnd,
       n.priority, s.imported, s.edited
FROM support_need n
LEFT JOIN import_state s ON s.entity = 'support_need' AND s.entity_id = n.id
WHERE (n.establishment_id, n.activity_type, n.desired_year) IN (
    SELECT * FROM unnest(%s::bigint[], %s::text[], %s::int[]))
ORDER BY (s.entity_id IS NULL), n.id
"""


def load_stored(conn: Connection, needs: list[NeedRow], lock: bool = False
                ) -> dict[str, StoredNeed]:
    """Stored needs by the rows' keys (the imported one, else the oldest, per key)."""
    if not needs:
        return {}
    with dict_cursor(conn) as cur:
        cur.execute(_STORED + (" FOR UPDATE OF n" if lock else ""), (
            [n.establishment_id for n in needs], [n.values["activity_type"] for n in needs],
            [n.values["desired_year"] for n in needs]))
        out: dict[str, StoredNeed] = {}
        for r in cur.fetchall():
            key = f"need:{r['establishment_id']}:{r['activity_type']}:{r['desired_year']}"
            if key not in out:
                out[key] = StoredNeed(int(r["id"]), int(r["version"]), r["status"],
                                      r["district_code"], {k: r[k] for k in VALUE_FIELDS},
                                      r["imported"], set(r["edited"] or ()))
    return out


def plan_need(need: NeedRow, stored: StoredNeed | None, decisions: dict[str, str]
              ) -> NeedPlan:
    """The plan of one row; decisions ('file' or 'keep' per field) settle conflicts."""
    if stored is None:
        return NeedPlan("new")
    plan = NeedPlan("unchanged", stored)
    for name in VALUE_FIELDS:
        new, current = need.values[name], stored.values[name]
        if new == current:
            continue
        if stored.status not in OPEN:
            plan.kept.append(name)
            plan.note = (f"nhu cầu số {stored.id} {STATUS_VI.get(stored.status, stored.status)}"
                         ": giữ nguyên, không cập nhật từ tệp")
            continue
        imported = (stored.imported or {}).get(name)
        if stored.imported is not None and name not in stored.edited:
            plan.changes.append(name)
        elif stored.imported is not None and imported == new:
            plan.kept.append(name)
        elif decisions.get(name) == "file":
            plan.changes.append(name)
        else:
            decided = "keep" if decisions.get(name) == "keep" else None
            plan.conflicts.append({"field": name, "file": new, "current": current,
                                   "imported": imported, "decided": decided})
            if decided:
                plan.kept.append(name)
    if any(c["decided"] is None for c in plan.conflicts):
        plan.action = "conflict"
    elif plan.changes:
        plan.action = "update"
    return plan


def _fill(row: RowResult, plan: NeedPlan) -> None:
    row.action = plan.action
    row.record_id = plan.stored.id if plan.stored else None
    row.changes, row.kept, row.conflicts = plan.changes, plan.kept, plan.conflicts
    row.status = "conflict" if plan.action == "conflict" else "accepted"
    if plan.note:
        row.issues.append({"field": "status", "message": plan.note})


def _outside(actor: Actor, need: NeedRow, stored: StoredNeed | None) -> bool:
    if actor.role != "district_officer":
        return False
    return need.district_code != actor.district_code or (
        stored is not None and stored.district_code != actor.district_code)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def preview_needs(conn: Connection, actor: Actor, batch_id: int, result: ImportResult,
                  needs: list[NeedRow]) -> None:
    """Plan every row against the stored needs and store the batch's preview (ready)."""
    stored = load_stored(conn, needs)
    by_row = {r.row: r for r in result.rows}
    kept: dict[int, NeedRow] = {}
    for need in needs:
        row = by_row[need.row]
        if _outside(actor, need, stored.get(need.key)):
            row.status = "rejected"
            row.issues.append({"field": "establishment_name", "message": (
                f"Tệp {result.file}, dòng {need.row}: cơ sở không thuộc huyện của bạn")})
            continue
        _fill(row, plan_need(need, stored.get(need.key), {}))
        kept[need.row] = need
    rows = [(batch_id, r.row, r.status, _json(r.to_dict()), r.record_key, None, r.record_id,
             _json(kept[r.row].to_json()) if r.row in kept else None, None)
            for r in result.rows]
    actions = Counter(r.action for r in result.rows if r.action)
    summary = {**result.summary(), "actions": {a: actions.get(a, 0) for a in
                                               ("new", "update", "unchanged", "conflict")},
               "absent": 0}
    report = {"header_rows": list(result.header_rows), "columns": result.columns,
              "conversions": result.conversions, "sheets": result.sheets,
              "absent": {"count": 0, "records": []}}
    with conn.cursor() as cur:
        if rows:
            psycopg2.extras.execute_values(cur, """
                INSERT INTO import_batch_row (batch_id, row_number, status, report, record_key,
                                              place_key, record_id, "values", location)
                VALUES %s""", rows, template="(%s, %s, %s, %s::jsonb, %s, %s, %s, %s::jsonb, "
                                             "%s::jsonb)", page_size=2000)
        cur.execute("UPDATE import_batch SET status = 'ready', progress = 1, summary = %s, "
                    "report = %s, finished_at = now() WHERE id = %s",
                    (_json(summary), _json(report), batch_id))


def _audit_doc(need_id: int, need: NeedRow, values: dict[str, Any], status: str
               ) -> dict[str, Any]:
    return {"id": need_id, "establishment_id": need.establishment_id, "status": status,
            "district_code": need.district_code, "commune_code": need.commune_code,
            "activity_type": need.values["activity_type"],
            "desired_year": need.values["desired_year"], **values}


def _insert(cur: Any, actor: Actor, need: NeedRow) -> int:
    cur.execute("""
        INSERT INTO support_need (establishment_id, activity_type, description, total_cost_vnd,
            requested_vnd, counterpart_vnd, desired_year, priority, district_code, commune_code,
            created_by)
        VALUES (%(e)s, %(activity_type)s, %(description)s, %(total_cost_vnd)s,
                %(requested_vnd)s, %(counterpart_vnd)s, %(desired_year)s, %(priority)s,
                %(d)s, %(c)s, %(by)s) RETURNING id""",
                {**need.values, "e": need.establishment_id, "d": need.district_code,
                 "c": need.commune_code, "by": actor.user_id if actor.user_id > 0 else None})
    return int(cur.fetchone()[0])


def _state(cur: Any, need_id: int, need: NeedRow, edited: set[str], batch_id: int) -> None:
    cur.execute("""
        INSERT INTO import_state (entity, entity_id, imported, edited, source_row, batch_id)
        VALUES ('support_need', %s, %s::jsonb, %s::text[], %s, %s)
        ON CONFLICT (entity, entity_id) DO UPDATE SET imported = EXCLUDED.imported,
            edited = EXCLUDED.edited, source_row = EXCLUDED.source_row,
            batch_id = EXCLUDED.batch_id""",
                (need_id, _json({k: need.values[k] for k in VALUE_FIELDS}), sorted(edited),
                 need.row, batch_id))


def _planned(conn: Connection, batch_id: int) -> list[tuple[NeedRow, dict[str, str]]]:
    with conn.cursor() as cur:
        cur.execute('SELECT row_number, "values", decisions FROM import_batch_row '
                    'WHERE batch_id = %s AND "values" IS NOT NULL '
                    "AND status IN ('accepted', 'conflict') ORDER BY row_number", (batch_id,))
        return [(NeedRow.from_json(n, v), dict(d)) for n, v, d in cur.fetchall()]


def commit_needs(conn: Connection, who: Actor, batch: dict[str, Any],
                 keep_undecided: bool = False) -> dict[str, Any]:
    """Write a ready needs batch (Conflict while conflicts wait, unless keep_undecided)."""
    batch_id = int(batch["id"])
    planned = _planned(conn, batch_id)
    stored = load_stored(conn, [n for n, _ in planned], lock=True)
    items: list[tuple[NeedRow, NeedPlan]] = []
    undecided = 0
    for need, decisions in planned:
        plan = plan_need(need, stored.get(need.key), decisions)
        if _outside(who, need, plan.stored):
            continue
        if plan.action == "conflict":
            undecided += 1
            for c in plan.conflicts:
                c["decided"] = c["decided"] or "keep"
                plan.kept.append(c["field"])
            plan.action = "update" if plan.changes else "unchanged"
        items.append((need, plan))
    if undecided and not keep_undecided:
        raise Conflict(f"Còn {undecided} dòng xung đột chưa quyết định: chọn giá trị của tệp "
                       "hoặc giữ giá trị đã sửa cho từng dòng")
    reason = f"Nhập tệp {batch['file_name']} (lô {batch_id})"
    counts = Counter[str]()
    audit: list[tuple[Any, ...]] = []
    prev: list[tuple[int, int, str]] = []
    with conn.cursor() as cur:
        for need, plan in items:
            if plan.stored is None:
                need_id = _insert(cur, who, need)
                _state(cur, need_id, need, set(), batch_id)
                audit.append((ENTITY, need_id, "import", 0, 1, "{}", _json(_audit_doc(
                    need_id, need, {k: need.values[k] for k in VALUE_FIELDS}, "registered")),
                              reason, need.district_code))
                prev.append((need.row, need_id, _json({"new": True, "version": 1})))
                counts["inserted"] += 1
                continue
            s = plan.stored
            after = {k: need.values[k] for k in plan.changes}
            merged = {**s.values, **after}
            if merged["requested_vnd"] + merged["counterpart_vnd"] > merged["total_cost_vnd"]:
                raise InvalidInput(f"Tệp {batch['file_name']}, dòng {need.row}: kinh phí đề "
                                   "nghị cộng vốn đối ứng vượt tổng kinh phí sau khi giữ các "
                                   "giá trị đã sửa; sửa tệp hoặc chọn giá trị của tệp")
            version = s.version
            if after:
                sets = ", ".join(f"{k} = %({k})s" for k in after)
                cur.execute(f"UPDATE support_need SET {sets}, version = version + 1, "  # noqa: S608
                            "updated_at = now() WHERE id = %(id)s RETURNING version",
                            {**after, "id": s.id})
                got = cur.fetchone()
                assert got is not None
                version = int(got[0])
                audit.append((ENTITY, s.id, "import", s.version, version, _json(_audit_doc(
                    s.id, need, {k: s.values[k] for k in after}, s.status)), _json(_audit_doc(
                        s.id, need, after, s.status)), reason, s.district_code))
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            _state(cur, s.id, need, (s.edited | set(plan.kept)) - set(plan.changes), batch_id)
            prev.append((need.row, s.id, _json({
                "new": False, "state": s.state_json(), "version": version,
                "before": {k: s.values[k] for k in after}, "after": after})))
        if audit:
            write_audit(cur, who, batch_id, audit)
        for row, need_id, state in prev:
            cur.execute("UPDATE import_batch_row SET record_id = %s, prev_state = %s::jsonb "
                        "WHERE batch_id = %s AND row_number = %s", (need_id, state, batch_id, row))
        written = {"inserted": counts["inserted"], "updated": counts["updated"],
                   "unchanged": counts["unchanged"], "locations_written": 0, "kept_reviewed": 0}
        cur.execute("UPDATE import_batch SET status = 'committed', committed_at = now(), "
                    "summary = summary || jsonb_build_object('written', %s::jsonb) "
                    "WHERE id = %s", (_json(written), batch_id))
    return {"id": batch_id, "status": "committed", "written": written}


def _restore_state(cur: Any, need_id: int, state: dict[str, Any] | None) -> None:
    if state is None:
        cur.execute("DELETE FROM import_state WHERE entity = 'support_need' AND entity_id = %s",
                    (need_id,))
        return
    cur.execute("UPDATE import_state SET imported = %s::jsonb, edited = ARRAY(SELECT DISTINCT "
                "unnest(edited || %s::text[]) ORDER BY 1) WHERE entity = 'support_need' "
                "AND entity_id = %s", (_json(state["imported"]), state["edited"], need_id))


def undo_needs(conn: Connection, who: Actor, batch: dict[str, Any]) -> dict[str, Any]:
    """Undo a committed needs batch: new needs nobody touched since are removed, changed
    values a person did not change since get their earlier value back."""
    batch_id = int(batch["id"])
    removed = restored = kept = 0
    audit: list[tuple[Any, ...]] = []
    reason = f"Hoàn tác lô nhập {batch_id} ({batch['file_name']})"
    with dict_cursor(conn) as cur:
        cur.execute("SELECT record_id, prev_state FROM import_batch_row WHERE batch_id = %s "
                    "AND record_id IS NOT NULL AND status IN ('accepted', 'conflict') "
                    "ORDER BY row_number", (batch_id,))
        rows = [(int(r["record_id"]), dict(r["prev_state"] or {})) for r in cur.fetchall()]
        for need_id, prev in rows:
            cur.execute("SELECT * FROM support_need WHERE id = %s FOR UPDATE", (need_id,))
            now = cur.fetchone()
            if now is None or not prev:
                continue
            doc = {k: now[k] for k in ("id", "establishment_id", "activity_type", "desired_year",
                                       "status", "district_code", *VALUE_FIELDS)}
            if prev.get("new"):
                if now["status"] == "registered" and now["version"] == prev["version"]:
                    cur.execute("DELETE FROM support_need WHERE id = %s", (need_id,))
                    _restore_state(cur, need_id, None)
                    audit.append((ENTITY, need_id, "import_undo", now["version"],
                                  now["version"] + 1, _json(doc), "{}", reason,
                                  now["district_code"]))
                    removed += 1
                else:
                    kept += 1
                continue
            back = {k: v for k, v in prev.get("before", {}).items()
                    if now[k] == prev["after"].get(k) and now["status"] in OPEN}
            kept += len(prev.get("before", {})) - len(back)
            if back:
                sets = ", ".join(f"{k} = %({k})s" for k in back)
                cur.execute(f"UPDATE support_need SET {sets}, version = version + 1, "  # noqa: S608
                            "updated_at = now() WHERE id = %(id)s", {**back, "id": need_id})
                audit.append((ENTITY, need_id, "import_undo", now["version"],
                              now["version"] + 1, _json(doc), _json({**doc, **back}), reason,
                              now["district_code"]))
                restored += 1
            _restore_state(cur, need_id, prev.get("state"))
        if audit:
            write_audit(cur, who, batch_id, audit)
        counts = {"removed": removed, "restored": restored, "kept_fields": kept}
        cur.execute("UPDATE import_batch SET status = 'undone', undone_at = now(), "
                    "summary = summary || jsonb_build_object('undo', %s::jsonb) WHERE id = %s",
                    (_json(counts), batch_id))
    return {"id": batch_id, "status": "undone", **counts}
