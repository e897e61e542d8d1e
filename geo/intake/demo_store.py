"""Synthetic demo records in PostGIS: read the units, replace every is_demo record."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

import psycopg2.errors
import psycopg2.extensions
import psycopg2.extras

from data.demo import CommuneUnit, DemoData, DemoStream, DistrictUnit, Place
from data.demo_records import CraftVillage, Establishment, Project
from geo.core.db import Connection
from geo.core.errors import InvalidInput
from geo.cycle.demo import delete_demo_cycle, write_demo_cycle
from geo.cycle.progress_demo import delete_demo_progress, write_demo_progress
from geo.records.public_establishments import fold_sums

METHOD = "demo_synthetic"
SOURCE_FILE = "kcmap-demo"
SCORE = 1.0
MAX_SCALE = 700  # about 1,050,000 establishments
PAGE = 2000
CHUNK = 10_000  # establishments generated and written at a time


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
    est = _copy_establishments(conn, data.establishments)
    return _write_rest(conn, est, data.villages, data.projects)


def _copy_text(value: object) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    text = str(value)
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _copy(cur: psycopg2.extensions.cursor, table: str, columns: str,
          rows: Iterable[tuple[object, ...]]) -> None:
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join(_copy_text(v) for v in row))
        buf.write("\n")
    buf.seek(0)
    cur.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buf)


def _copy_establishments(conn: Connection, establishments: Iterable[Establishment],
                         total: int | None = None,
                         progress: Callable[[int, int], None] | None = None) -> int:
    """Write establishments and their locations in chunks of CHUNK with COPY (ids reserved
    from the sequence first); returns how many."""
    done = 0
    it = iter(establishments)
    with conn.cursor() as cur:
        while chunk := list(islice(it, CHUNK)):
            cur.execute("SELECT nextval('establishment_id_seq') FROM generate_series(1, %s)",
                        (len(chunk),))
            ids = [r[0] for r in cur.fetchall()]
            _copy(cur, "establishment", "id, record_key, name, owner_name, phone, trade, "
                  "workers, address_raw, is_demo",
                  ((i, e.record_key, e.name, e.owner_name, e.phone, e.trade, e.workers,
                    e.address_raw, "t") for i, e in zip(ids, chunk, strict=True)))
            _copy(cur, "location", "establishment_id, geom, precision, commune_code, "
                  "district_code, raw_address, method, score, geocode_status, source_file, "
                  "source_row",
                  ((i, f"SRID=4326;POINT({e.place.lon!r} {e.place.lat!r})", e.place.precision,
                    e.place.commune_code, e.place.district_code, e.place.raw_address, METHOD,
                    SCORE, "ok", SOURCE_FILE, done + n)
                   for n, (i, e) in enumerate(zip(ids, chunk, strict=True), 1)))
            done += len(chunk)
            if progress is not None:
                progress(done, total or done)
    return done


def _write_rest(conn: Connection, establishments: int, villages: list[CraftVillage],
                projects: list[Project]) -> DemoCounts:
    """Insert villages and projects (beneficiaries looked up among the demo establishments)."""
    keys = sorted({p.beneficiary_key for p in projects if p.beneficiary_key})
    with conn.cursor() as cur:
        cur.execute("SELECT record_key, id FROM establishment WHERE record_key = ANY(%s)",
                    (keys,))
        est_ids = {str(k): int(i) for k, i in cur.fetchall()}
        village_ids = _insert(
            cur, "INSERT INTO craft_village (record_key, name, trade, decision, "
                 "recognised_year, households, workers, is_demo) VALUES %s "
                 "RETURNING id, record_key",
            "(%s, %s, %s, %s, %s, %s, %s, true)",
            [(v.record_key, v.name, v.trade, v.decision, v.recognised_year, v.households,
              v.workers) for v in villages])
        project_ids = _insert(
            cur, "INSERT INTO project (record_key, title, year, funding_source, activity_type, "
                 "kc_vnd, counterpart_vnd, beneficiary, beneficiary_establishment_id, status, "
                 "is_demo) VALUES %s RETURNING id, record_key",
            "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, true)",
            [(p.record_key, p.title, p.year, p.funding_source, p.activity_type, p.kc_vnd,
              p.counterpart_vnd, p.beneficiary,
              est_ids[p.beneficiary_key] if p.beneficiary_key else None, p.status)
             for p in projects])
        locations = [_location((None, village_ids[v.record_key], None), v.place, i)
                     for i, v in enumerate(villages, 1)]
        locations += [_location((None, None, project_ids[p.record_key]), place, i)
                      for i, p in enumerate(projects, 1) for place in p.places]
        psycopg2.extras.execute_values(cur, _LOCATION_SQL, locations,
                                       template=_LOCATION_TEMPLATE, page_size=PAGE)
    return DemoCounts(establishments, len(village_ids), len(project_ids),
                      establishments + len(locations))


def load_demo(conn: Connection, scale: int = 1, seed: int = 2021,
              progress: Callable[[str], None] | None = None) -> DemoCounts:
    """Replace all demo records with a freshly generated synthetic set; returns the counts.

    Establishments are generated and written in chunks (COPY), so memory stays small at
    scale MAX_SCALE (about a million); PROGRESS, if given, hears how far it got."""
    if not 1 <= scale <= MAX_SCALE:
        raise InvalidInput(f"--scale phải từ 1 đến {MAX_SCALE}, không phải {scale}")
    districts, communes = read_units(conn)
    if not communes:
        raise InvalidInput("Chưa có xã nào (trước 1/7/2025): hãy chạy `kcmap gazetteer load` trước")
    try:
        stream = DemoStream(districts, communes, read_activity_types(conn), scale=scale,
                            seed=seed)
    except ValueError as exc:
        raise InvalidInput(f"Không tạo được dữ liệu mẫu: {exc}") from exc
    say = progress or (lambda _text: None)
    say("xoá dữ liệu mẫu cũ…")
    delete_demo(conn)

    def step(done: int, total: int) -> None:
        if done == total or done % (CHUNK * 10) == 0:
            say(f"cơ sở: {done:,} / {total:,}".replace(",", "."))

    try:
        n = _copy_establishments(conn, stream.establishments(), stream.n_establishments, step)
        with conn.cursor() as cur:  # the steps below join them: plans need their new sizes
            cur.execute("ANALYZE establishment")
            cur.execute("ANALYZE location")
        say("làng nghề và đề án…")
        villages, projects = stream.villages_and_projects()
        counts = _write_rest(conn, n, villages, projects)
        write_demo_progress(conn, seed)
        write_demo_cycle(conn, scale, seed)
    except psycopg2.errors.UniqueViolation as exc:
        raise InvalidInput("Một bản ghi đã nhập đang dùng khóa bản ghi 'demo:'") from exc
    fold_sums(conn)
    with conn.cursor() as cur:  # fresh statistics: the planner must know the new sizes
        cur.execute("ANALYZE establishment")
        cur.execute("ANALYZE location")
        cur.execute("ANALYZE project")
        cur.execute("ANALYZE establishment_point, establishment_tally, establishment_cell")
    return counts
