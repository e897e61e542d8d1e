"""Undo a committed import batch: records it created are removed, records it changed get their
previous values back (a field a person changed since is left as the person set it), the
import state is restored; every step is audited with the batch."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from psycopg2 import sql
from psycopg2.extras import RealDictCursor

from geo.accounts.authz import Actor
from geo.core.db import Connection, dict_cursor
from geo.intake.apply import write_audit
from geo.intake.plan import LOCATION
from geo.intake.store import (
    LOCATION_COLUMNS,
    TABLES,
    LocationRow,
    first_location,
    replace_locations,
)
from geo.records.kinds import RecordKind
from geo.records.spec import SPECS


@dataclass
class UndoCounts:
    """What an undo did."""

    removed: int = 0
    restored: int = 0
    kept_fields: int = 0  # fields a person changed after the import: left as they are

    def to_dict(self) -> dict[str, int]:
        """JSON-ready counts."""
        return {"removed": self.removed, "restored": self.restored,
                "kept_fields": self.kept_fields}


def _location_row(data: dict[str, Any]) -> LocationRow:
    return LocationRow(data["lon"], data["lat"], *(data[c] for c in LOCATION_COLUMNS))


def _current(cur: Any, kind: RecordKind, record_id: int) -> dict[str, Any] | None:
    spec = SPECS[kind]
    cur.execute(sql.SQL("SELECT id, version, {cols} FROM {t} WHERE id = %s FOR UPDATE").format(
        cols=sql.SQL(", ").join(sql.Identifier(a) for a in spec.attributes),
        t=sql.Identifier(spec.table)), (record_id,))
    row = cur.fetchone()
    if row is None:
        return None
    cur.execute(sql.SQL("SELECT {cols} FROM location WHERE {fk} = %s ORDER BY id LIMIT 1").format(
        cols=sql.SQL(", ").join(
            [sql.SQL("CASE WHEN ST_GeometryType(geom) = 'ST_Point' THEN ST_X(geom) END AS lon"),
             sql.SQL("CASE WHEN ST_GeometryType(geom) = 'ST_Point' THEN ST_Y(geom) END AS lat"),
             *(sql.Identifier(c) for c in LOCATION_COLUMNS)]),
        fk=sql.Identifier(spec.location_fk)), (record_id,))
    loc = cur.fetchone()
    out = dict(row)
    out[LOCATION] = dict(loc) if loc else None
    return out


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True,
                                                                     default=str)


CHUNK = 5000  # records removed per statement


def _removed_state(cur: Any, kind: RecordKind, ids: list[int]) -> list[dict[str, Any]]:
    """Each record's version, attributes and first location (locked), for the audit."""
    spec = SPECS[kind]
    cur.execute(sql.SQL(
        "SELECT r.id, r.version, {cols}, l.location AS {loc} FROM {t} r {first_location} "
        "WHERE r.id = ANY(%s) ORDER BY r.id FOR UPDATE OF r").format(
        cols=sql.SQL(", ").join(sql.Identifier("r", a) for a in spec.attributes),
        loc=sql.Identifier(LOCATION), t=sql.Identifier(spec.table),
        first_location=first_location(spec.location_fk)), (ids,))
    return [dict(r) for r in cur.fetchall()]


def _remove(cur: Any, actor: Actor, batch_id: int, kind: RecordKind,
            created: list[tuple[int, str | None]], reason: str) -> int:
    """Delete the records the batch created, a chunk per statement, each audited with its
    values before; how many."""
    spec = SPECS[kind]
    removed = 0
    for start in range(0, len(created), CHUNK):
        part = dict(created[start:start + CHUNK])
        rows = _removed_state(cur, kind, sorted(part))
        audit: list[tuple[Any, ...]] = []
        for now in rows:
            rid = int(now["id"])
            state = {k: now[k] for k in (*spec.attributes, LOCATION)}
            audit.append((spec.entity, rid, "import_undo", now["version"], now["version"],
                          json.dumps(state, ensure_ascii=False, default=str), "{}", reason,
                          part[rid]))
        cur.execute(sql.SQL("DELETE FROM {t} WHERE id = ANY(%s)").format(
            t=sql.Identifier(spec.table)), ([int(r["id"]) for r in rows],))
        _audit(cur, actor, batch_id, audit)
        removed += len(audit)
    return removed


def _audit(cur: Any, actor: Actor, batch_id: int, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        with cur.connection.cursor() as plain:
            write_audit(plain, actor, batch_id, rows)


def _restore_states(cur: Any, kind: RecordKind, batch_id: int) -> None:
    """Each record's import state as it was before the batch (none: removed)."""
    args = {"batch": batch_id, "entity": SPECS[kind].entity}
    cur.execute("DELETE FROM import_state s USING import_batch_row b "
                "WHERE b.batch_id = %(batch)s AND b.status IN ('accepted', 'conflict') "
                "AND s.entity = %(entity)s AND s.entity_id = b.record_id "
                "AND (b.prev_state IS NULL OR jsonb_typeof(b.prev_state) = 'null')", args)
    cur.execute("UPDATE import_state s SET imported = b.prev_state -> 'imported', "
                "edited = ARRAY(SELECT jsonb_array_elements_text(b.prev_state -> 'edited')), "
                "place_key = b.prev_state ->> 'place_key', "
                "source_row = (b.prev_state ->> 'source_row')::integer "
                "FROM import_batch_row b "
                "WHERE b.batch_id = %(batch)s AND b.status IN ('accepted', 'conflict') "
                "AND s.entity = %(entity)s AND s.entity_id = b.record_id "
                "AND jsonb_typeof(b.prev_state) = 'object'", args)


def undo_changes(conn: Connection, actor: Actor, batch_id: int, kind: RecordKind
                 ) -> UndoCounts:
    """Roll back what the batch's audit rows say it did: records it created are removed
    (a chunk per statement), records it changed get their values back (newest first); the
    import states are restored from the batch rows."""
    spec = SPECS[kind]
    counts = UndoCounts()
    reason = f"Hoàn tác lô nhập số {batch_id}"
    with dict_cursor(conn) as cur:
        cur.execute("SELECT entity_id, district_code FROM audit_log WHERE batch_id = %s "
                    "AND action = 'import' AND version_before = 0 ORDER BY id",
                    (batch_id,))
        created = [(int(r["entity_id"]), r["district_code"]) for r in cur.fetchall()]
        counts.removed = _remove(cur, actor, batch_id, kind, created, reason)
        # the changes are read as they come (a server-side cursor), audited a chunk at a time
        changes = conn.cursor(name="kcmap_undo", cursor_factory=RealDictCursor)
        changes.itersize = 2000
        changes.execute("SELECT entity_id, version_before, before, after, district_code "
                        "FROM audit_log WHERE batch_id = %s AND action = 'import' "
                        "AND version_before <> 0 ORDER BY id DESC", (batch_id,))
        audit: list[tuple[Any, ...]] = []
        for change in changes:
            if len(audit) >= CHUNK:
                _audit(cur, actor, batch_id, audit)
                audit = []
            rid = int(change["entity_id"])
            now = _current(cur, kind, rid)
            if now is None:
                continue
            state = {k: now[k] for k in (*spec.attributes, LOCATION)}
            before, after = change["before"], change["after"]
            before = {k: v for k, v in before.items() if k in state}  # archiving: archive.py
            restore = {k: v for k, v in before.items() if _same(state.get(k), after.get(k))}
            counts.kept_fields += len(before) - len(restore)
            if not restore:
                continue
            names = [k for k in restore if k != LOCATION]
            sets = [sql.SQL("{} = %s").format(sql.Identifier(n)) for n in names]
            cur.execute(sql.SQL("UPDATE {t} SET {sets} version = version + 1, updated_at = now() "
                                "WHERE id = %s RETURNING version").format(
                t=sql.Identifier(spec.table),
                sets=sql.SQL("").join(s + sql.SQL(", ") for s in sets)),
                        (*[restore[n] for n in names], rid))
            updated = cur.fetchone()
            assert updated is not None
            version = int(updated["version"])
            if LOCATION in restore:
                if restore[LOCATION] is None:
                    cur.execute(sql.SQL("DELETE FROM location WHERE {fk} = %s").format(
                        fk=sql.Identifier(spec.location_fk)), (rid,))
                else:
                    replace_locations(cur, TABLES[kind], [(rid, _location_row(restore[LOCATION]))])
            audit.append((spec.entity, rid, "import_undo", version - 1, version,
                          json.dumps({k: state.get(k) for k in restore}, ensure_ascii=False,
                                     default=str),
                          json.dumps(restore, ensure_ascii=False, default=str), reason,
                          change["district_code"]))
            counts.restored += 1
        changes.close()
        _audit(cur, actor, batch_id, audit)
        _restore_states(cur, kind, batch_id)
    return counts
