"""Commit a batch's planned rows: insert new records, write the fields the plan allows, keep
people's edits, remember what was imported (import_state) and audit every change with the
importing user and the batch."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from psycopg2 import sql

from geo.accounts.authz import Actor
from geo.core.db import Connection
from geo.intake.bulk import copy_rows, next_ids, staging
from geo.intake.plan import LOCATION, RowPlan, file_values, location_dict, location_raw
from geo.intake.store import TABLES, RecordRow, WriteCounts, replace_locations
from geo.records.kinds import RecordKind
from geo.records.spec import SPECS


@dataclass
class Applied:
    """What the commit did, and each matched row's import state before (for undo)."""

    counts: WriteCounts = field(default_factory=WriteCounts)
    prev_states: dict[int, str | None] = field(default_factory=dict)  # by row, JSON text
    record_ids: dict[int, int] = field(default_factory=dict)  # sheet row -> record id


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _insert(cur: Any, kind: RecordKind, records: list[RecordRow]) -> dict[str, int]:
    """New records (ids taken from the table's sequence, rows written with COPY)."""
    table = TABLES[kind]
    ids = next_ids(cur, table.name, len(records))
    copy_rows(cur, table.name, ("id", "record_key", *table.columns, "is_demo"),
              ((rid, r.record_key, *r.values, False) for rid, r in zip(ids, records,
                                                                      strict=True)))
    return {r.record_key: rid for rid, r in zip(ids, records, strict=True)}


def _update(cur: Any, kind: RecordKind, record: RecordRow, plan: RowPlan
            ) -> tuple[int, int] | None:
    """Write the plan's attribute changes (and the file's key); (version before, after), or
    None when there is nothing to write (no change, same key)."""
    assert plan.stored is not None
    if not plan.changes and record.record_key == plan.stored.record_key:
        return None
    values = file_values(kind, record)
    names = [n for n in plan.changes if n != LOCATION]
    sets: list[sql.Composable] = [sql.SQL("{} = %s").format(sql.Identifier(n)) for n in names]
    params: list[Any] = [values[n] for n in names]
    key = plan.stored.record_key
    if record.record_key != key:
        cur.execute(sql.SQL("SELECT 1 FROM {t} WHERE record_key = %s").format(
            t=sql.Identifier(TABLES[kind].name)), (record.record_key,))
        if cur.fetchone() is None:
            key = record.record_key
    sets.append(sql.SQL("record_key = %s"))
    params.append(key)
    bump = bool(plan.changes)
    query = sql.SQL("UPDATE {t} SET {sets}{bump} WHERE id = %s RETURNING version").format(
        t=sql.Identifier(TABLES[kind].name), sets=sql.SQL(", ").join(sets),
        bump=sql.SQL(", is_demo = false, version = version + 1, updated_at = now()"
                     if bump else ""))
    cur.execute(query, (*params, plan.stored.id))
    row = cur.fetchone()
    after = int(row[0])
    return (after - 1 if bump else after), after


def _state_rows(kind: RecordKind, batch_id: int | None,
                items: list[tuple[RecordRow, RowPlan, int]]) -> Iterator[tuple[Any, ...]]:
    for record, plan, rid in items:  # generated while written: bounded memory
        imported = {**file_values(kind, record), LOCATION: location_raw(location_dict(record))}
        edited = sorted(set(plan.kept) | {c["field"] for c in plan.conflicts})
        yield (SPECS[kind].entity, rid, _json(imported), edited, record.place_key or None,
               record.row, batch_id)


def _new_audit(kind: RecordKind, new: list[tuple[RecordRow, int]], reason: str
               ) -> Iterator[tuple[Any, ...]]:
    entity = SPECS[kind].entity
    for record, rid in new:
        yield (entity, rid, "import", 0, 1, "{}", _json(
            {**file_values(kind, record), LOCATION: location_dict(record)}), reason,
            record.location.district_code)


STATE_COLUMNS = ("entity", "entity_id", "imported", "edited", "place_key", "source_row",
                 "batch_id")


def _write_states(cur: Any, rows: Iterable[tuple[Any, ...]]) -> None:
    """Upsert import_state rows: COPY into a staging table, then one INSERT … ON CONFLICT."""
    cur.execute("DROP TABLE IF EXISTS kcmap_state_stage")
    staging(cur, "kcmap_state_stage", "import_state", STATE_COLUMNS)
    copy_rows(cur, "kcmap_state_stage", STATE_COLUMNS, rows)
    cur.execute("""
        INSERT INTO import_state (entity, entity_id, imported, edited, place_key, source_row,
                                  batch_id)
        SELECT entity, entity_id, imported, edited, place_key, source_row, batch_id
        FROM kcmap_state_stage
        ON CONFLICT (entity, entity_id) DO UPDATE SET imported = EXCLUDED.imported,
            edited = EXCLUDED.edited, place_key = EXCLUDED.place_key,
            source_row = EXCLUDED.source_row, batch_id = EXCLUDED.batch_id""")
    cur.execute("DROP TABLE kcmap_state_stage")


AUDIT_COLUMNS = ("user_id", "username", "batch_id", "entity", "entity_id", "action",
                 "version_before", "version_after", "before", "after", "reason",
                 "district_code")


def write_audit(cur: Any, actor: Actor, batch_id: int | None, rows: Iterable[tuple[Any, ...]]
                ) -> None:
    """Audit rows (entity, id, action, version before, after, before, after, reason,
    district) of an import or its undo, by the actor, tied to the batch (one COPY)."""
    user_id = actor.user_id if actor.user_id > 0 else None
    copy_rows(cur, "audit_log", AUDIT_COLUMNS,
              ((user_id, actor.username, batch_id, *r) for r in rows))


def apply_rows(conn: Connection, actor: Actor, batch_id: int | None, kind: RecordKind,
               items: list[tuple[RecordRow, RowPlan]], reason: str) -> Applied:
    """Write every planned row; the plans were made on rows locked by this transaction."""
    out = Applied()
    counts = out.counts
    entity = SPECS[kind].entity
    audit: list[tuple[Any, ...]] = []
    states: list[tuple[RecordRow, RowPlan, int]] = []
    new = [(r, p) for r, p in items if p.action == "new"]
    with conn.cursor() as cur:
        ids = _insert(cur, kind, [r for r, _ in new]) if new else {}
        locations = []
        for record, plan in new:
            rid = ids[record.record_key]
            locations.append((rid, record.location))
            states.append((record, plan, rid))
            out.record_ids[record.row] = rid
            out.prev_states[record.row] = None
        counts.inserted = len(new)
        counts.locations_written = len(new)
        for record, plan in items:
            if plan.action == "new" or plan.stored is None:
                continue
            stored = plan.stored
            prev = stored.state_json()
            out.prev_states[record.row] = None if prev is None else _json(prev)
            out.record_ids[record.row] = stored.id
            states.append((record, plan, stored.id))
            versions = _update(cur, kind, record, plan)
            if LOCATION in plan.kept and stored.reviewed:
                counts.locations_kept.append(record.record_key)
            if not plan.changes or versions is None:
                counts.unchanged += 1
                counts.locations_unchanged += LOCATION not in plan.kept
                continue
            before_v, after_v = versions
            counts.updated += 1
            values = file_values(kind, record)
            before = {n: stored.values.get(n) for n in plan.changes if n != LOCATION}
            after = {n: values[n] for n in plan.changes if n != LOCATION}
            if LOCATION in plan.changes:
                locations.append((stored.id, record.location))
                before[LOCATION] = stored.location
                after[LOCATION] = location_dict(record)
                counts.locations_written += 1
            else:
                counts.locations_unchanged += LOCATION not in plan.kept
            audit.append((entity, stored.id, "import", before_v, after_v, _json(before),
                          _json(after), reason,
                          record.location.district_code or stored.district))
        if locations:
            replace_locations(cur, TABLES[kind], locations)
        if states:
            _write_states(cur, _state_rows(kind, batch_id, states))
        created = [(record, ids[record.record_key]) for record, _ in new]
        if created or audit:
            write_audit(cur, actor, batch_id, chain(_new_audit(kind, created, reason), audit))
    return out
