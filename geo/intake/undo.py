"""Undo a committed import batch: records it created are removed, records it changed get their
previous values back (a field a person changed since is left as the person set it), the
import state is restored; every step is audited with the batch."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from psycopg2 import sql

from geo.accounts.authz import Actor
from geo.core.db import Connection, dict_cursor
from geo.intake.apply import write_audit
from geo.intake.plan import LOCATION
from geo.intake.store import LOCATION_COLUMNS, TABLES, LocationRow, replace_locations
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


def undo_changes(conn: Connection, actor: Actor, batch_id: int, kind: RecordKind,
                 prev_states: list[tuple[int, dict[str, Any] | None]]) -> UndoCounts:
    """Roll back what the batch's audit rows say it did (newest first)."""
    spec = SPECS[kind]
    counts = UndoCounts()
    audit: list[tuple[Any, ...]] = []
    reason = f"Hoàn tác lô nhập số {batch_id}"
    with dict_cursor(conn) as cur:
        cur.execute("SELECT entity_id, version_before, before, after, district_code "
                    "FROM audit_log WHERE batch_id = %s AND action = 'import' ORDER BY id DESC",
                    (batch_id,))
        changes = cur.fetchall()
        for change in changes:
            rid = int(change["entity_id"])
            now = _current(cur, kind, rid)
            if now is None:
                continue
            state = {k: now[k] for k in (*spec.attributes, LOCATION)}
            if change["version_before"] == 0:
                cur.execute(sql.SQL("DELETE FROM {t} WHERE id = %s").format(
                    t=sql.Identifier(spec.table)), (rid,))
                audit.append((spec.entity, rid, "import_undo", now["version"], now["version"],
                              json.dumps(state, ensure_ascii=False, default=str), "{}", reason,
                              change["district_code"]))
                counts.removed += 1
                continue
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
        for rid, prev in prev_states:
            if prev is None:
                cur.execute("DELETE FROM import_state WHERE entity = %s AND entity_id = %s",
                            (spec.entity, rid))
            else:
                cur.execute("UPDATE import_state SET imported = %s::jsonb, edited = %s, "
                            "place_key = %s, source_row = %s WHERE entity = %s "
                            "AND entity_id = %s",
                            (json.dumps(prev["imported"], ensure_ascii=False), prev["edited"],
                             prev["place_key"], prev["source_row"], spec.entity, rid))
    if audit:
        with conn.cursor() as plain:
            write_audit(plain, actor, batch_id, audit)
    return counts
