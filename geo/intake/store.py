"""Bulk writes of imported records: upsert by record_key, replace changed locations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import psycopg2.extras
from psycopg2 import sql

from geo.core.db import Connection
from geo.records.kinds import RecordKind
from geo.records.spec import SPECS

PAGE = 2000
# Locations a person set in the review workflow (geo.establishment_edit): an import keeps them.
PROTECTED_METHODS = ("manual_review",)


@dataclass(frozen=True)
class Table:
    """Where records of one import kind go."""

    name: str
    owner_column: str  # location column pointing at the record
    columns: tuple[str, ...]  # written columns after record_key


# every attribute of the kind's spec is written (geo.records.spec)
TABLES = {k: Table(s.table, s.location_fk, s.attributes) for k, s in SPECS.items()}
LOCATION_COLUMNS = ("precision", "commune_code", "district_code", "raw_address", "raw_lat",
                    "raw_lon", "method", "score", "geocode_status", "source_file", "source_row")


@dataclass(frozen=True)
class LocationRow:
    """One location of an imported record, as written to `location`."""

    lon: float | None
    lat: float | None
    precision: str
    commune_code: str | None
    district_code: str | None
    raw_address: str | None
    raw_lat: str | None
    raw_lon: str | None
    method: str
    score: float | None
    geocode_status: str
    source_file: str
    source_row: int

    def as_tuple(self) -> tuple[object, ...]:
        """Values in the order of (lon, lat, *LOCATION_COLUMNS)."""
        return (self.lon, self.lat, self.precision, self.commune_code, self.district_code,
                self.raw_address, self.raw_lat, self.raw_lon, self.method, self.score,
                self.geocode_status, self.source_file, self.source_row)


@dataclass(frozen=True)
class RecordRow:
    """One record to upsert: its key, its column values (Table.columns order), its location."""

    record_key: str
    values: tuple[object, ...]
    location: LocationRow


@dataclass
class WriteCounts:
    """What the write did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    locations_written: int = 0
    locations_unchanged: int = 0
    locations_kept: list[str] = field(default_factory=list)  # record keys: reviewed, not replaced


def _upsert(cur: psycopg2.extensions.cursor, table: Table, records: list[RecordRow]
            ) -> tuple[int, int]:
    """Insert new keys, update changed ones (version + 1); returns (inserted, updated)."""
    cols = [sql.Identifier(c) for c in table.columns]
    name = sql.Identifier(table.name)
    query = sql.SQL(
        "INSERT INTO {t} (record_key, {cols}, is_demo) VALUES %s "
        "ON CONFLICT (record_key) DO UPDATE SET {sets}, is_demo = false, "
        "version = {t}.version + 1, updated_at = now() "
        "WHERE ({old}, {t}.is_demo) IS DISTINCT FROM ({new}, false) "
        "RETURNING (xmax = 0)"
    ).format(
        t=name,
        cols=sql.SQL(", ").join(cols),
        sets=sql.SQL(", ").join(sql.SQL("{c} = EXCLUDED.{c}").format(c=c) for c in cols),
        old=sql.SQL(", ").join(sql.SQL("{t}.{c}").format(t=name, c=c) for c in cols),
        new=sql.SQL(", ").join(sql.SQL("EXCLUDED.{c}").format(c=c) for c in cols),
    )
    template = "(" + ", ".join(["%s"] * (len(table.columns) + 1)) + ", false)"
    returned = psycopg2.extras.execute_values(
        cur, query.as_string(cur), [(r.record_key, *r.values) for r in records],
        template=template, page_size=PAGE, fetch=True)
    inserted = sum(1 for (new,) in returned if new)
    return inserted, len(returned) - inserted


def _ids(cur: psycopg2.extensions.cursor, table: Table, keys: list[str]) -> dict[str, int]:
    cur.execute(sql.SQL("SELECT record_key, id FROM {t} WHERE record_key = ANY(%s)").format(
        t=sql.Identifier(table.name)), (keys,))
    return {str(key): int(rid) for key, rid in cur.fetchall()}


def _existing_locations(cur: psycopg2.extensions.cursor, table: Table, ids: list[int]
                        ) -> dict[int, list[tuple[object, ...]]]:
    owner = sql.Identifier(table.owner_column)
    cur.execute(sql.SQL(
        "SELECT {o}, CASE WHEN ST_GeometryType(geom) = 'ST_Point' THEN ST_X(geom) END, "
        "CASE WHEN ST_GeometryType(geom) = 'ST_Point' THEN ST_Y(geom) END, "
        "geom IS NOT NULL AND ST_GeometryType(geom) <> 'ST_Point', {cols} "
        "FROM location WHERE {o} = ANY(%s) ORDER BY id").format(
            o=owner, cols=sql.SQL(", ").join(sql.Identifier(c) for c in LOCATION_COLUMNS)),
        (ids,))
    out: dict[int, list[tuple[object, ...]]] = defaultdict(list)
    for owner_id, x, y, not_point, *rest in cur.fetchall():
        out[int(owner_id)].append(("not a point",) if not_point else (x, y, *rest))
    return out


def _reviewed(cur: psycopg2.extensions.cursor, table: Table, ids: list[int]) -> set[int]:
    """Records whose location a person confirmed or moved (reviewed_at, manual_review)."""
    owner = sql.Identifier(table.owner_column)
    cur.execute(sql.SQL("SELECT DISTINCT {o} FROM location WHERE {o} = ANY(%s) "
                        "AND method = ANY(%s)").format(o=owner), (ids, list(PROTECTED_METHODS)))
    out = {int(rid) for (rid,) in cur.fetchall()}
    cur.execute("SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = %s AND column_name = 'reviewed_at')",
                (table.name,))
    row = cur.fetchone()
    if row and row[0]:
        cur.execute(sql.SQL("SELECT id FROM {t} WHERE id = ANY(%s) AND reviewed_at IS NOT NULL"
                            ).format(t=sql.Identifier(table.name)), (ids,))
        out |= {int(rid) for (rid,) in cur.fetchall()}
    return out


def _replace_locations(cur: psycopg2.extensions.cursor, table: Table,
                       rows: list[tuple[int, LocationRow]]) -> None:
    owner = sql.Identifier(table.owner_column)
    cur.execute(sql.SQL("DELETE FROM location WHERE {o} = ANY(%s)").format(o=owner),
                ([rid for rid, _ in rows],))
    query = sql.SQL(
        "INSERT INTO location ({o}, geom, {cols}) VALUES %s").format(
            o=owner, cols=sql.SQL(", ").join(sql.Identifier(c) for c in LOCATION_COLUMNS))
    template = ("(%s, ST_SetSRID(ST_MakePoint(%s::float8, %s::float8), 4326), "
                + ", ".join(["%s"] * len(LOCATION_COLUMNS)) + ")")
    psycopg2.extras.execute_values(cur, query.as_string(cur),
                                   [(rid, *loc.as_tuple()) for rid, loc in rows],
                                   template=template, page_size=PAGE)


def write_records(conn: Connection, kind: RecordKind, records: list[RecordRow]) -> WriteCounts:
    """Upsert records by record_key (is_demo=false) and give each its location, unless reviewed."""
    table = TABLES[kind]
    counts = WriteCounts()
    if not records:
        return counts
    with conn.cursor() as cur:
        counts.inserted, counts.updated = _upsert(cur, table, records)
        counts.unchanged = len(records) - counts.inserted - counts.updated
        ids = _ids(cur, table, [r.record_key for r in records])
        existing = _existing_locations(cur, table, list(ids.values()))
        reviewed = _reviewed(cur, table, list(ids.values()))
        changed = []
        for r in records:
            rid = ids[r.record_key]
            if existing.get(rid) == [r.location.as_tuple()]:
                counts.locations_unchanged += 1
            elif rid in reviewed:
                counts.locations_kept.append(r.record_key)
            else:
                changed.append((rid, r.location))
        if changed:
            _replace_locations(cur, table, changed)
        counts.locations_written = len(changed)
    return counts


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows in the record tables and in location."""
    out = {}
    with conn.cursor() as cur:
        for name in ("establishment", "craft_village", "project", "location"):
            cur.execute(sql.SQL("SELECT count(*) FROM {t}").format(t=sql.Identifier(name)))
            row = cur.fetchone()
            out[name] = int(row[0]) if row else 0
    return out
