"""Re-imports that keep people's work: match the file's records to stored ones and decide,
field by field, what the import may write.

Each imported record keeps (table import_state) the values of its last import and the fields a
person changed since (edits through geo.records.edit). For a field of a matched record:
- the file's value equals the stored one: nothing to do;
- no person changed the field: the import writes the file's value;
- a person changed it and the file still carries the old imported value: the edit stands;
- a person changed it and the file changed it too: a *conflict*, decided on the batch page
  (take the file's value or keep the edit); never overwritten silently.
The location counts as one field, 'location' (the address and coordinates as typed); a location
a person confirmed or moved in the review workflow counts as edited.

A row whose key is new may still be a stored record renamed in the file: it is matched to a
record of the same place (as typed) that the file does not otherwise carry, imported from the
same sheet row, or else carrying the same values but its name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from psycopg2 import sql

from geo.core.db import Connection, dict_cursor
from geo.intake.store import LOCATION_COLUMNS, PROTECTED_METHODS, RecordRow, first_location
from geo.records.kinds import RecordKind
from geo.records.spec import SPECS

LOCATION = "location"
WRITE, SAME, KEEP, CONFLICT = "write", "same", "keep", "conflict"
NOT_COMPARED = ("source_file", "source_row")


@dataclass
class Stored:
    """A stored record as the import sees it."""

    id: int
    record_key: str
    values: dict[str, Any]
    location: dict[str, Any] | None  # first location: lon, lat, LOCATION_COLUMNS
    reviewed: bool
    imported: dict[str, Any] | None
    edited: set[str]
    place_key: str | None
    source_row: int | None
    district: str | None

    def state_json(self) -> dict[str, Any] | None:
        """The import_state row as it is (None: the record has none)."""
        if self.imported is None:
            return None
        return {"imported": self.imported, "edited": sorted(self.edited),
                "place_key": self.place_key, "source_row": self.source_row}


@dataclass
class RowPlan:
    """What the import does with one accepted row."""

    action: str  # new | update | unchanged | conflict
    stored: Stored | None = None
    changes: list[str] = field(default_factory=list)  # fields written (LOCATION included)
    kept: list[str] = field(default_factory=list)  # people's edits that stand
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def location_raw(location: dict[str, Any] | None) -> list[Any] | None:
    """The location as typed in a file: [address, lat, lon]."""
    if location is None:
        return None
    return [location.get("raw_address"), location.get("raw_lat"), location.get("raw_lon")]


def location_dict(record: RecordRow) -> dict[str, Any]:
    """A file location as a JSON-ready dict (lon, lat, LOCATION_COLUMNS)."""
    values = record.location.as_tuple()
    return dict(zip(("lon", "lat", *LOCATION_COLUMNS), values, strict=True))


def file_values(kind: RecordKind, record: RecordRow) -> dict[str, Any]:
    """The record's attributes from the file, by column name."""
    return dict(zip(SPECS[kind].attributes, record.values, strict=True))


def _same_location(stored: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Same place, position and geocoding (which file and row it came from aside)."""
    if stored is None:
        return False
    return all(stored.get(k) == new.get(k) for k in new if k not in NOT_COMPARED)


_SELECT = """
SELECT r.id, r.record_key, {attrs}, {district} AS district,
       s.imported, s.edited, s.place_key, s.source_row,
       l.location, l.method, {reviewed} AS reviewed
FROM {table} r
LEFT JOIN import_state s ON s.entity = %(entity)s AND s.entity_id = r.id
{first_location}
WHERE {where}
"""


def _query(kind: RecordKind, where: str, lock: bool) -> sql.Composable:
    spec = SPECS[kind]
    district = sql.SQL("(SELECT COALESCE(u.parent_code, x.district_code) FROM location x "
                       "LEFT JOIN admin_unit u ON u.edition = 'legacy' AND u.code = "
                       "x.commune_code WHERE x.{fk} = r.id ORDER BY x.id LIMIT 1)").format(
        fk=sql.Identifier(spec.location_fk))
    query = sql.SQL(_SELECT).format(
        attrs=sql.SQL(", ").join(sql.Identifier("r", a) for a in spec.attributes),
        district=district,
        reviewed=sql.SQL("r.reviewed_at IS NOT NULL" if spec.reviewable else "false"),
        table=sql.Identifier(spec.table), first_location=first_location(spec.location_fk),
        where=sql.SQL(where))
    return query + sql.SQL(" FOR UPDATE OF r") if lock else query


def _stored(kind: RecordKind, row: dict[str, Any]) -> Stored:
    spec = SPECS[kind]
    location = row["location"]
    if isinstance(location, str):
        location = json.loads(location)
    return Stored(
        int(row["id"]), str(row["record_key"]), {a: row[a] for a in spec.attributes},
        location, bool(row["reviewed"]) or row["method"] in PROTECTED_METHODS,
        row["imported"], set(row["edited"] or ()), row["place_key"], row["source_row"],
        row["district"])


CHUNK = 5000  # records planned (and written) at a time: bounded memory on large files


def _renamed(conn: Connection, kind: RecordKind, records: list[RecordRow], lock: bool
             ) -> dict[str, int]:
    """Stored records the file carries under a new key: record key in the file -> id.

    A row whose key is not stored is matched to a record of the same place (as typed) whose
    key the file does not carry, imported from the same sheet row, or else carrying the same
    values but its name. Decided over the whole file, so chunks cannot claim a record twice."""
    spec = SPECS[kind]
    keys = [r.record_key for r in records]
    with conn.cursor() as cur:
        cur.execute(sql.SQL("SELECT record_key FROM {t} WHERE record_key = ANY(%s)").format(
            t=sql.Identifier(spec.table)), (keys,))
        known = {str(k) for (k,) in cur.fetchall()}
    missing = [r for r in records if r.record_key not in known and r.place_key]
    if not missing:
        return {}
    carried = set(keys)
    with conn.cursor() as cur:  # ids first (light rows); the file's own keys left out here
        cur.execute(sql.SQL(
            "SELECT r.id, r.record_key FROM {t} r JOIN import_state s ON s.entity = %s "
            "AND s.entity_id = r.id WHERE s.place_key = ANY(%s)").format(
            t=sql.Identifier(spec.table)),
            (spec.entity, sorted({r.place_key for r in missing})))
        ids = sorted(int(i) for i, key in cur.fetchall() if key not in carried)
    by_place: dict[str | None, list[Stored]] = {}
    with dict_cursor(conn) as cur:
        cur.execute(_query(kind, "r.id = ANY(%(ids)s)", lock), {"entity": spec.entity,
                                                               "ids": ids})
        for row in cur.fetchall():
            found = _stored(kind, row)
            by_place.setdefault(found.place_key, []).append(found)
    out: dict[str, int] = {}
    for record in missing:
        here = by_place.get(record.place_key, [])
        same = [c for c in here if c.source_row == record.row]
        if len(same) != 1:
            same = [c for c in here if _same_but_name(kind, record, c)]
        if len(same) == 1:
            out[record.record_key] = same[0].id
            here.remove(same[0])
    return out


def _chunk(conn: Connection, kind: RecordKind, part: list[RecordRow], renamed: dict[str, int],
           lock: bool) -> dict[str, Stored]:
    entity = SPECS[kind].entity
    by_key: dict[str, Stored] = {}
    ids = {renamed[r.record_key]: r.record_key for r in part if r.record_key in renamed}
    with dict_cursor(conn) as cur:
        cur.execute(_query(kind, "r.record_key = ANY(%(keys)s)", lock),
                    {"entity": entity, "keys": [r.record_key for r in part]})
        for row in cur.fetchall():
            found = _stored(kind, row)
            by_key[found.record_key] = found
        if ids:
            cur.execute(_query(kind, "r.id = ANY(%(ids)s)", lock),
                        {"entity": entity, "ids": sorted(ids)})
            for row in cur.fetchall():
                found = _stored(kind, row)
                by_key[ids[found.id]] = found
    return by_key


def stored_chunks(conn: Connection, kind: RecordKind, records: list[RecordRow],
                  lock: bool = False, size: int | None = None
                  ) -> Iterator[tuple[list[RecordRow], dict[str, Stored]]]:
    """The rows `size` at a time, each chunk with the stored records matching it by the rows'
    record keys (renamed ones included); `lock` locks them (FOR UPDATE). Only one chunk's
    stored records are held at a time; `size` defaults to CHUNK."""
    size = size or CHUNK
    renamed = _renamed(conn, kind, records, lock)
    for start in range(0, len(records), size):
        part = records[start:start + size]
        yield part, _chunk(conn, kind, part, renamed, lock)


def _same_but_name(kind: RecordKind, record: RecordRow, stored: Stored) -> bool:
    """Whether the file's values are the record's last imported ones, its name aside."""
    main = SPECS[kind].attributes[0]
    last = stored.imported or stored.values
    return all(last.get(k) == v for k, v in file_values(kind, record).items() if k != main)


def decide(name: str, new: Any, stored: Stored) -> str:
    """WRITE, SAME, KEEP or CONFLICT for one field of a matched record."""
    if name == LOCATION:
        current_raw = location_raw(stored.location)
        if stored.location is not None and _same_location(stored.location, new):
            return SAME
        edited = LOCATION in stored.edited or stored.reviewed
        if not edited:
            return WRITE
        imported = (stored.imported or {}).get(LOCATION, current_raw)
        return KEEP if imported == location_raw(new) else CONFLICT
    current = stored.values.get(name)
    if new == current:
        return SAME
    if name not in stored.edited:
        return WRITE
    imported = (stored.imported or {}).get(name)
    return KEEP if imported == new else CONFLICT


def plan_row(kind: RecordKind, record: RecordRow, stored: Stored | None,
             decisions: dict[str, str]) -> RowPlan:
    """The plan of one accepted row; decisions ('file' or 'keep' per field) settle conflicts."""
    if stored is None:
        return RowPlan("new")
    plan = RowPlan("unchanged", stored)
    items = [*file_values(kind, record).items(), (LOCATION, location_dict(record))]
    for name, new in items:
        verdict = decide(name, new, stored)
        if verdict == CONFLICT and decisions.get(name) in ("file", "keep"):
            verdict = WRITE if decisions[name] == "file" else KEEP
            if verdict == KEEP:
                plan.conflicts.append(_conflict(name, new, stored, decided="keep"))
                plan.kept.append(name)
                continue
        if verdict == WRITE:
            plan.changes.append(name)
        elif verdict == KEEP:
            plan.kept.append(name)
        elif verdict == CONFLICT:
            plan.conflicts.append(_conflict(name, new, stored))
    if any(c.get("decided") is None for c in plan.conflicts):
        plan.action = "conflict"
    elif plan.changes:
        plan.action = "update"
    return plan


def _conflict(name: str, new: Any, stored: Stored, decided: str | None = None
              ) -> dict[str, Any]:
    if name == LOCATION:
        file_value: Any = location_raw(new)
        current: Any = location_raw(stored.location)
        if stored.location is not None:
            current = [stored.location.get("commune_code"), stored.location.get("lon"),
                       stored.location.get("lat")]
    else:
        file_value, current = new, stored.values.get(name)
    return {"field": name, "file": file_value, "current": current,
            "imported": (stored.imported or {}).get(name), "decided": decided}


def absent_records(conn: Connection, kind: RecordKind, file_name: str, seen: set[int],
                   district: str | None = None, limit: int | None = 1000
                   ) -> tuple[int, list[dict[str, Any]]]:
    """Live (not archived) records last imported from a file of this name that this file
    no longer carries: (how many, the first `limit` of them as {id, name}; all: None)."""
    spec = SPECS[kind]
    # the file's records are left out here, not in SQL: a list of 100,000 ids in the query
    # made the planner compare every record with every id when the tables had no statistics
    query = sql.SQL(
        "SELECT r.id, r.{main} FROM {table} r JOIN import_state s ON s.entity = %(entity)s "
        "AND s.entity_id = r.id JOIN import_batch b ON b.id = s.batch_id "
        "WHERE b.file_name = %(file)s AND NOT r.is_demo AND r.archived_at IS NULL "
        "AND (%(district)s::text IS NULL OR EXISTS (SELECT 1 FROM location x "
        "WHERE x.{fk} = r.id AND x.district_code = %(district)s)) ORDER BY r.id").format(
        main=sql.Identifier(spec.attributes[0]), table=sql.Identifier(spec.table),
        fk=sql.Identifier(spec.location_fk))
    with conn.cursor() as cur:
        cur.execute(query, {"file": file_name, "district": district, "entity": spec.entity})
        rows = [(int(i), n) for i, n in cur.fetchall() if int(i) not in seen]
    return len(rows), [{"id": i, "name": n} for i, n in rows[:limit]]
