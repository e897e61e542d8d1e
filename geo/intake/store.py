"""What imported records look like when written, where they go, and bulk location writes."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import psycopg2.extensions
from psycopg2 import sql

from geo.core.db import Connection
from geo.intake.bulk import copy_rows, point_ewkt
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


@dataclass(frozen=True, slots=True)
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

    def to_dict(self) -> dict[str, object]:
        """Field name -> value (the batch row's JSON; LocationRow(**d) reads it back)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One record to upsert: its key, its column values (Table.columns order), its location."""

    record_key: str
    values: tuple[object, ...]
    location: LocationRow
    row: int = 0  # sheet row
    place_key: str = ""  # the place part of the key (matches renamed records)


@dataclass
class WriteCounts:
    """What the write did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    locations_written: int = 0
    locations_unchanged: int = 0
    locations_kept: list[str] = field(default_factory=list)  # record keys: reviewed, not replaced

    def add(self, other: WriteCounts) -> None:
        """Count another chunk's writes in."""
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.locations_written += other.locations_written
        self.locations_unchanged += other.locations_unchanged
        self.locations_kept.extend(other.locations_kept)


def first_location(fk: str) -> sql.Composable:
    """LEFT JOIN LATERAL giving `l.location` (the record r's first location as JSON: lon, lat
    and LOCATION_COLUMNS; NULL without one) and `l.method`; fk: the location column."""
    loc = sql.SQL(", ").join(sql.SQL("{}, x.{}").format(sql.Literal(c), sql.Identifier(c))
                             for c in LOCATION_COLUMNS)
    return sql.SQL(
        "LEFT JOIN LATERAL (SELECT jsonb_build_object("
        "'lon', CASE WHEN ST_GeometryType(x.geom) = 'ST_Point' THEN ST_X(x.geom) END, "
        "'lat', CASE WHEN ST_GeometryType(x.geom) = 'ST_Point' THEN ST_Y(x.geom) END, "
        "{loc}) AS location, x.method FROM location x WHERE x.{fk} = r.id "
        "ORDER BY x.id LIMIT 1) l ON true").format(loc=loc, fk=sql.Identifier(fk))


def replace_locations(cur: psycopg2.extensions.cursor, table: Table,
                      rows: list[tuple[int, LocationRow]]) -> None:
    """Give each record (id) exactly the one location given (written with COPY)."""
    owner = sql.Identifier(table.owner_column)
    cur.execute(sql.SQL("DELETE FROM location WHERE {o} = ANY(%s)").format(o=owner),
                ([rid for rid, _ in rows],))
    copy_rows(cur, "location", (table.owner_column, "geom", *LOCATION_COLUMNS),
              ((rid, point_ewkt(loc.lon, loc.lat), *loc.as_tuple()[2:]) for rid, loc in rows))


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows in the record tables and in location."""
    out = {}
    with conn.cursor() as cur:
        for name in ("establishment", "craft_village", "project", "location"):
            cur.execute(sql.SQL("SELECT count(*) FROM {t}").format(t=sql.Identifier(name)))
            row = cur.fetchone()
            out[name] = int(row[0]) if row else 0
    return out
