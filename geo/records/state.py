"""The editable state of a record and its (first) location: read it, locked, and write it back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg2 import sql

from geo.core.db import Connection, dict_cursor
from geo.core.errors import NotFound
from geo.records.spec import KindSpec

LOCATION_FIELDS = ("precision", "commune_code", "district_code", "geocode_status", "method",
                   "score")

_READ = """
SELECT r.id, r.version, {attributes}, {review}
       l.location_id, l.geom::text AS geom, l.precision,
       l.location_commune_code AS commune_code, l.location_district_code AS district_code,
       l.geocode_status, l.method, l.score,
       ST_X(ST_PointOnSurface(l.geom)) AS lon, ST_Y(ST_PointOnSurface(l.geom)) AS lat,
       COALESCE(l.district_code, l.location_district_code) AS scope_district,
       r.archived_at IS NOT NULL AS archived
FROM {table} r
LEFT JOIN LATERAL (SELECT x.id FROM location x WHERE x.{fk} = r.id
                   ORDER BY x.id LIMIT 1) f ON true
LEFT JOIN record_place l ON l.location_id = f.id
WHERE r.id = %(id)s
"""


@dataclass
class State:
    """Attributes, location fields and geometry (hex EWKB) of one record."""

    spec: KindSpec
    id: int
    version: int
    values: dict[str, Any]  # attributes + LOCATION_FIELDS + lon, lat, has_location (+ review)
    geom: str | None
    location_id: int | None
    district: str | None  # the commune's parent, else the location's district code
    archived: bool = False  # archived by an import (geo.records.archived): not editable

    def audit_dict(self) -> dict[str, Any]:
        """The JSON stored as 'before' or 'after' in the audit trail."""
        return dict(self.values)


def _columns(names: tuple[str, ...], prefix: str = "r") -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(prefix, n) for n in names)


def read_state(conn: Connection, spec: KindSpec, record_id: int, lock: bool = False) -> State:
    """The current state, optionally locking the record's row; NotFound if missing."""
    query = sql.SQL(_READ).format(
        attributes=_columns(spec.attributes),
        review=sql.SQL("r.reviewed_at, r.reviewed_by," if spec.reviewable else ""),
        table=sql.Identifier(spec.table), fk=sql.Identifier(spec.location_fk))
    if lock:
        query = query + sql.SQL(" FOR UPDATE OF r")
    with dict_cursor(conn) as cur:
        cur.execute(query, {"id": record_id})
        row = cur.fetchone()
    if row is None:
        raise NotFound(f"Không có bản ghi {spec.entity} số {record_id}")
    values: dict[str, Any] = {k: row[k] for k in spec.attributes + LOCATION_FIELDS}
    values.update(
        lon=round(float(row["lon"]), 7) if row["lon"] is not None else None,
        lat=round(float(row["lat"]), 7) if row["lat"] is not None else None,
        has_location=row["location_id"] is not None)
    if spec.reviewable:
        values.update(reviewed_at=row["reviewed_at"].isoformat() if row["reviewed_at"] else None,
                      reviewed_by=row["reviewed_by"])
    return State(spec, int(row["id"]), int(row["version"]), values, row["geom"],
                 row["location_id"], row["scope_district"], bool(row["archived"]))


def _write_record(conn: Connection, state: State, values: dict[str, Any], version: int) -> None:
    """Update the record's attributes (and review state), version and time."""
    spec = state.spec
    names = spec.attributes
    sets: list[sql.Composable] = [
        sql.SQL("{} = {}").format(sql.Identifier(n), sql.Placeholder(n)) for n in names]
    if spec.reviewable:
        sets += [sql.SQL("reviewed_at = %(reviewed_at)s::timestamptz"),
                 sql.SQL("reviewed_by = %(reviewed_by)s")]
    query = sql.SQL("UPDATE {} SET {}, version = %(_version)s, updated_at = now() "
                    "WHERE id = %(_id)s").format(sql.Identifier(spec.table),
                                                 sql.SQL(", ").join(sets))
    params = {**{n: values.get(n) for n in names}, "_version": version, "_id": state.id}
    if spec.reviewable:
        params.update(reviewed_at=values.get("reviewed_at"), reviewed_by=values.get("reviewed_by"))
    with conn.cursor() as cur:
        cur.execute(query, params)


def _write_location(conn: Connection, state: State, values: dict[str, Any],
                    geom: str | None) -> None:
    """Create, update or remove the record's first location as values say."""
    loc = {k: values.get(k) for k in LOCATION_FIELDS}
    loc.update(geom=geom, id=state.location_id, owner=state.id)
    with conn.cursor() as cur:
        if not values.get("has_location"):
            if state.location_id is not None:
                cur.execute("DELETE FROM location WHERE id = %s", (state.location_id,))
        elif state.location_id is None:
            cur.execute(sql.SQL("""
                INSERT INTO location ({fk}, geom, precision, commune_code, district_code,
                                      geocode_status, method, score)
                VALUES (%(owner)s, %(geom)s::geometry, %(precision)s, %(commune_code)s,
                        %(district_code)s, %(geocode_status)s, %(method)s, %(score)s)""").format(
                fk=sql.Identifier(state.spec.location_fk)), loc)
        else:
            cur.execute("""
                UPDATE location SET geom = %(geom)s::geometry, precision = %(precision)s,
                       commune_code = %(commune_code)s, district_code = %(district_code)s,
                       geocode_status = %(geocode_status)s, method = %(method)s,
                       score = %(score)s
                WHERE id = %(id)s""", loc)


def write_state(conn: Connection, state: State, values: dict[str, Any], geom: str | None,
                version: int) -> None:
    """Store attributes, review state and (for movable records) the location."""
    _write_record(conn, state, values, version)
    if state.spec.locatable:
        _write_location(conn, state, values, geom)


def commune_of(conn: Connection, commune_code: str) -> tuple[str, str] | None:
    """(district code, centroid as hex EWKB) of a legacy commune; None if unknown or unplaced."""
    with conn.cursor() as cur:
        cur.execute("""
            SELECT u.parent_code, COALESCE(u.centroid, ST_PointOnSurface(b.geom))::text
            FROM admin_unit u
            LEFT JOIN boundary b ON b.edition = u.edition AND b.code = u.code
            WHERE u.edition = 'legacy' AND u.level = 'commune' AND u.code = %s""",
                    (commune_code,))
        row = cur.fetchone()
    if row is None or row[1] is None:
        return None
    return str(row[0]), str(row[1])


def commune_at(conn: Connection, lon: float, lat: float) -> str | None:
    """Code of the legacy commune whose boundary contains the point, if exactly one does."""
    with conn.cursor() as cur:
        cur.execute("""
            SELECT b.code FROM boundary b
            JOIN admin_unit u ON u.edition = b.edition AND u.code = b.code
            WHERE b.edition = 'legacy' AND u.level = 'commune'
                  AND ST_Intersects(b.geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326))
            LIMIT 2""", (lon, lat))
        rows = cur.fetchall()
    return str(rows[0][0]) if len(rows) == 1 else None


def point_ewkb(conn: Connection, lon: float, lat: float) -> str:
    """Hex EWKB of a WGS 84 point."""
    with conn.cursor() as cur:
        cur.execute("SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326)::text", (lon, lat))
        row = cur.fetchone()
    assert row is not None
    return str(row[0])


def activity_exists(conn: Connection, code: str) -> bool:
    """Whether an activity type code exists."""
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM activity_type WHERE code = %s", (code,))
        return cur.fetchone() is not None


def district_containing(conn: Connection, district: str, lon: float, lat: float
                        ) -> tuple[bool | None, str]:
    """(whether the point is within the legacy district's boundary, None without a boundary;
    the district's name)."""
    with conn.cursor() as cur:
        cur.execute("""
            SELECT u.name, CASE WHEN b.geom IS NULL THEN NULL
                   ELSE ST_Intersects(b.geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) END
            FROM admin_unit u LEFT JOIN boundary b ON b.edition = u.edition AND b.code = u.code
            WHERE u.edition = 'legacy' AND u.level = 'district' AND u.code = %s""",
                    (lon, lat, district))
        row = cur.fetchone()
    if row is None:
        return None, district
    return (None if row[1] is None else bool(row[1])), str(row[0])
