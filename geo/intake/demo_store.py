"""Synthetic demo records in PostGIS: read the units, replace every is_demo record."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg2.errors
import psycopg2.extras

from data.demo import CommuneUnit, DemoData, DistrictUnit, Place, generate
from geo.core.db import Connection
from geo.core.errors import InvalidInput
from geo.cycle.demo import delete_demo_cycle, write_demo_cycle
from geo.cycle.progress_demo import delete_demo_progress, write_demo_progress

METHOD = "demo_synthetic"
SOURCE_FILE = "kcmap-demo"
SCORE = 1.0
MAX_SCALE = 200
PAGE = 2000


@dataclass(frozen=True)
class DemoCounts:
    """How many demo records (and their locations) were written or removed."""

    establishments: int
    craft_villages: int
    projects: int
    locations: int


_UNITS = """
SELECT u.code, u.level, u.name, u.short_name, u.type, u.parent_code,
       ST_X(p.pt), ST_Y(p.pt), ST_X(u.centroid), ST_Y(u.centroid),
       ST_XMin(u.bbox), ST_YMin(u.bbox), ST_XMax(u.bbox), ST_YMax(u.bbox),
       CASE WHEN u.level = 'commune' THEN ST_AsText(b.geom) END
FROM admin_unit u
LEFT JOIN boundary b ON b.edition = u.edition AND b.code = u.code
CROSS JOIN LATERAL (SELECT COALESCE(ST_PointOnSurface(b.geom), u.centroid) AS pt) p
WHERE u.edition = 'legacy' AND u.level IN ('district', 'commune')
ORDER BY u.code
"""


def _pt(x: float | None, y: float | None) -> tuple[float, float] | None:
    return None if x is None or y is None else (float(x), float(y))


def read_units(conn: Connection) -> tuple[list[DistrictUnit], list[CommuneUnit]]:
    """Legacy districts and communes with points, bboxes and boundary polygons (WKT)."""
    with conn.cursor() as cur:
        cur.execute(_UNITS)
        rows = cur.fetchall()
    communes: list[CommuneUnit] = []
    district_rows = []
    for (code, level, name, short, typ, parent, px, py, cx, cy,
         x0, y0, x1, y1, wkt) in rows:
        if level == "district":
            district_rows.append((code, name, short, typ, _pt(px, py)))
            continue
        bbox = None if x0 is None else (float(x0), float(y0), float(x1), float(y1))
        communes.append(CommuneUnit(code, name, short, typ, parent, _pt(px, py),
                                    _pt(cx, cy), bbox, wkt))
    districts = []
    for code, name, short, typ, point in district_rows:
        if point is None:  # no centroid: the mean of its communes' points, if any
            pts = [c.point for c in communes if c.district_code == code and c.point]
            if pts:
                point = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        districts.append(DistrictUnit(code, name, short, typ, point))
    return districts, communes


def read_activity_types(conn: Connection) -> list[tuple[str, str]]:
    """(code, name_vi) of every activity type, by code."""
    with conn.cursor() as cur:
        cur.execute("SELECT code, name_vi FROM activity_type ORDER BY code")
        return [(str(code), str(name)) for code, name in cur.fetchall()]


def delete_demo(conn: Connection) -> DemoCounts:
    """Remove every is_demo record and its locations; imported records are untouched."""
    delete_demo_progress(conn)
    delete_demo_cycle(conn)
    with conn.cursor() as cur:
        cur.execute(
            "DELETE FROM location WHERE establishment_id IN "
            "(SELECT id FROM establishment WHERE is_demo) "
            "OR village_id IN (SELECT id FROM craft_village WHERE is_demo) "
            "OR project_id IN (SELECT id FROM project WHERE is_demo)")
        locations = cur.rowcount
        cur.execute("DELETE FROM project WHERE is_demo")
        projects = cur.rowcount
        cur.execute("DELETE FROM craft_village WHERE is_demo")
        villages = cur.rowcount
        cur.execute("DELETE FROM establishment WHERE is_demo")
        establishments = cur.rowcount
    return DemoCounts(establishments, villages, projects, locations)


def _insert(cur: psycopg2.extensions.cursor, sql: str, template: str,
            rows: list[tuple[object, ...]]) -> dict[str, int]:
    """Insert rows (RETURNING id, record_key) and map record_key -> id."""
    if not rows:
        return {}
    returned = psycopg2.extras.execute_values(cur, sql, rows, template=template,
                                              page_size=PAGE, fetch=True)
    return {key: rid for rid, key in returned}


_LOCATION_SQL = """
INSERT INTO location (establishment_id, village_id, project_id, geom, precision, commune_code,
                      district_code, raw_address, method, score, geocode_status, source_file,
                      source_row)
VALUES %s
"""
_LOCATION_TEMPLATE = ("(%s, %s, %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s, %s, %s, %s, "
                      "%s, %s, 'ok', %s, %s)")


def _location(owner: tuple[int | None, int | None, int | None], place: Place,
              row: int) -> tuple[object, ...]:
    return (*owner, place.lon, place.lat, place.precision, place.commune_code,
            place.district_code, place.raw_address, METHOD, SCORE, SOURCE_FILE, row)


def write_demo(conn: Connection, data: DemoData) -> DemoCounts:
    """Insert generated records with is_demo=true and their locations."""
    with conn.cursor() as cur:
        est_ids = _insert(
            cur, "INSERT INTO establishment (record_key, name, owner_name, phone, trade, "
                 "workers, address_raw, is_demo) VALUES %s RETURNING id, record_key",
            "(%s, %s, %s, %s, %s, %s, %s, true)",
            [(e.record_key, e.name, e.owner_name, e.phone, e.trade, e.workers, e.address_raw)
             for e in data.establishments])
        village_ids = _insert(
            cur, "INSERT INTO craft_village (record_key, name, trade, decision, "
                 "recognised_year, households, workers, is_demo) VALUES %s "
                 "RETURNING id, record_key",
            "(%s, %s, %s, %s, %s, %s, %s, true)",
            [(v.record_key, v.name, v.trade, v.decision, v.recognised_year, v.households,
              v.workers) for v in data.villages])
        project_ids = _insert(
            cur, "INSERT INTO project (record_key, title, year, funding_source, activity_type, "
                 "kc_vnd, counterpart_vnd, beneficiary, beneficiary_establishment_id, status, "
                 "is_demo) VALUES %s RETURNING id, record_key",
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, true)",
            [(p.record_key, p.title, p.year, p.funding_source, p.activity_type, p.kc_vnd,
              p.counterpart_vnd, p.beneficiary,
              est_ids[p.beneficiary_key] if p.beneficiary_key else None, p.status)
             for p in data.projects])
        locations = [_location((est_ids[e.record_key], None, None), e.place, i)
                     for i, e in enumerate(data.establishments, 1)]
        locations += [_location((None, village_ids[v.record_key], None), v.place, i)
                      for i, v in enumerate(data.villages, 1)]
        locations += [_location((None, None, project_ids[p.record_key]), place, i)
                      for i, p in enumerate(data.projects, 1) for place in p.places]
        psycopg2.extras.execute_values(cur, _LOCATION_SQL, locations,
                                       template=_LOCATION_TEMPLATE, page_size=PAGE)
    return DemoCounts(len(est_ids), len(village_ids), len(project_ids), len(locations))


def load_demo(conn: Connection, scale: int = 1, seed: int = 2021) -> DemoCounts:
    """Replace all demo records with a freshly generated synthetic set; returns the counts."""
    if not 1 <= scale <= MAX_SCALE:
        raise InvalidInput(f"scale must be between 1 and {MAX_SCALE}, not {scale}")
    districts, communes = read_units(conn)
    if not communes:
        raise InvalidInput("no legacy communes: run `kcmap gazetteer load` first")
    try:
        data = generate(districts, communes, read_activity_types(conn), scale=scale, seed=seed)
    except ValueError as exc:
        raise InvalidInput(f"cannot generate demo records: {exc}") from exc
    delete_demo(conn)
    try:
        counts = write_demo(conn, data)
        write_demo_progress(conn, seed)
        write_demo_cycle(conn, scale, seed)
        return counts
    except psycopg2.errors.UniqueViolation as exc:
        raise InvalidInput("an imported record already uses a 'demo:' record key") from exc
