"""Khuyến công coverage per legacy unit: budgets, projects and establishments, precision-aware.

Rules (after the aid-geocoding practice in DOMAIN.md):
- a project's budget is split evenly across its locations, in whole đồng (largest remainder,
  by location id), so every total is an exact integer and Σ units + unallocated = Σ budgets;
- at commune level only locations of precision exact/commune with a known legacy commune
  count; a district-precision location is never placed in a commune: its money is reported
  as "not allocated to a commune" for its district;
- at district level locations of precision exact/commune/district with a known district count;
- province-precision, 'none' and unlocated projects are not attributable to any unit.
"""

from __future__ import annotations

import json
from typing import Any

from geo.db import Connection, dict_cursor
from geo.errors import InvalidInput

LEVELS = ("district", "commune")
DEFAULT_YEARS = (2021, 2025)
DEFAULT_STATUSES = ("approved", "in_progress", "completed")
ALL_STATUSES = ("planned", "approved", "in_progress", "completed", "cancelled")
# Simplification tolerance in degrees (~30 m for communes, ~80 m for districts).
SIMPLIFY = {"commune": 0.0003, "district": 0.0008}

# One row per (unit, district bucket): allocated shares of project money and establishments.
# %(level)s picks the unit; unit_code NULL means "not allocated at this level".
_ALLOCATIONS = """
WITH proj AS (
    SELECT p.id, p.kc_vnd, p.counterpart_vnd
    FROM project p
    WHERE p.year BETWEEN %(y0)s AND %(y1)s AND p.status = ANY(%(statuses)s)
),
ploc AS (
    SELECT p.id AS project_id, p.kc_vnd, p.counterpart_vnd, l.id AS location_id,
           l.precision, l.commune_code, l.district_code,
           count(l.id) OVER w AS n,
           row_number() OVER (w ORDER BY l.id) AS k
    FROM proj p
    LEFT JOIN location l ON l.project_id = p.id
    WINDOW w AS (PARTITION BY p.id)
),
shares AS (
    SELECT project_id, location_id, precision, commune_code, district_code, n,
           CASE WHEN n = 0 THEN kc_vnd
                ELSE kc_vnd / n + CASE WHEN k <= kc_vnd %% n THEN 1 ELSE 0 END END AS kc,
           CASE WHEN n = 0 THEN counterpart_vnd
                ELSE counterpart_vnd / n
                     + CASE WHEN k <= counterpart_vnd %% n THEN 1 ELSE 0 END END AS cp,
           NULL::bigint AS establishment_id
    FROM ploc
    UNION ALL
    SELECT NULL, l.id, l.precision, l.commune_code, l.district_code, 1, 0, 0,
           l.establishment_id
    FROM location l
    WHERE l.establishment_id IS NOT NULL
),
placed AS (
    SELECT s.*,
           CASE WHEN s.precision IN ('exact', 'commune') THEN cu.code END AS c_code,
           CASE WHEN s.precision IN ('exact', 'commune', 'district')
                THEN COALESCE(cu.parent_code, du.code) END AS d_code
    FROM shares s
    LEFT JOIN admin_unit cu ON cu.edition = 'legacy' AND cu.level = 'commune'
                            AND cu.code = s.commune_code
    LEFT JOIN admin_unit du ON du.edition = 'legacy' AND du.level = 'district'
                            AND du.code = s.district_code
)
SELECT CASE WHEN %(level)s = 'commune' THEN c_code ELSE d_code END AS unit_code,
       CASE WHEN %(level)s = 'commune' THEN d_code END AS bucket,
       COALESCE(sum(kc), 0)::bigint AS kc_vnd,
       COALESCE(sum(cp), 0)::bigint AS counterpart_vnd,
       count(DISTINCT project_id) AS projects,
       count(DISTINCT establishment_id) AS establishments
FROM placed
GROUP BY 1, 2
"""

_UNITS = """
SELECT u.code, u.name, u.short_name, u.type, u.parent_code,
       d.name AS district_name, b.quality,
       CASE WHEN b.geom IS NULL THEN NULL
            ELSE ST_AsGeoJSON(ST_SimplifyPreserveTopology(b.geom, %(tol)s), 5) END AS geojson
FROM admin_unit u
LEFT JOIN admin_unit d ON d.edition = u.edition AND d.code = u.parent_code
                       AND d.level = 'district'
LEFT JOIN boundary b ON b.edition = u.edition AND b.code = u.code
WHERE u.edition = 'legacy' AND u.level = %(level)s
ORDER BY u.code
"""

_TOTALS = """
SELECT COALESCE(sum(kc_vnd), 0)::bigint, COALESCE(sum(counterpart_vnd), 0)::bigint, count(*),
       count(*) FILTER (WHERE (SELECT count(*) FROM location l WHERE l.project_id = p.id) > 1),
       (SELECT count(*) FROM establishment)
FROM project p
WHERE p.year BETWEEN %(y0)s AND %(y1)s AND p.status = ANY(%(statuses)s)
"""

_HAS_DEMO = """
SELECT EXISTS (SELECT 1 FROM project WHERE is_demo)
    OR EXISTS (SELECT 1 FROM establishment WHERE is_demo)
    OR EXISTS (SELECT 1 FROM craft_village WHERE is_demo)
"""


def _check(level: str, years: tuple[int, int], statuses: tuple[str, ...]) -> None:
    """Raise InvalidInput for an unknown level, a reversed year range or unknown statuses."""
    if level not in LEVELS:
        raise InvalidInput(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if years[0] > years[1]:
        raise InvalidInput(f"year range {years[0]}–{years[1]} is reversed")
    unknown = [s for s in statuses if s not in ALL_STATUSES]
    if unknown or not statuses:
        raise InvalidInput(f"statuses must be among {', '.join(ALL_STATUSES)}")


def _allocations(conn: Connection, level: str, years: tuple[int, int],
                 statuses: tuple[str, ...]) -> list[dict[str, Any]]:
    """Allocated and unallocated sums per (unit, district bucket)."""
    with dict_cursor(conn) as cur:
        cur.execute(_ALLOCATIONS, {"level": level, "y0": years[0], "y1": years[1],
                                   "statuses": list(statuses)})
        return [dict(r) for r in cur.fetchall()]


def _units(conn: Connection, level: str, allocations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every unit of the level with its sums and its (simplified) boundary as GeoJSON."""
    by_code = {a["unit_code"]: a for a in allocations if a["unit_code"] is not None}
    with dict_cursor(conn) as cur:
        cur.execute(_UNITS, {"level": level, "tol": SIMPLIFY[level]})
        rows = cur.fetchall()
    units = []
    for r in rows:
        a = by_code.get(r["code"], {})
        units.append({
            "code": r["code"], "name": r["name"], "short_name": r["short_name"],
            "type": r["type"],
            "district_code": r["parent_code"] if level == "commune" else r["code"],
            "district_name": r["district_name"] if level == "commune" else r["name"],
            "kc_vnd": int(a.get("kc_vnd", 0)),
            "counterpart_vnd": int(a.get("counterpart_vnd", 0)),
            "projects": int(a.get("projects", 0)),
            "establishments": int(a.get("establishments", 0)),
            "boundary_quality": r["quality"],
            "geometry": json.loads(r["geojson"]) if r["geojson"] else None,
        })
    return units


def coverage_by_unit(conn: Connection, level: str, years: tuple[int, int] = DEFAULT_YEARS,
                     statuses: tuple[str, ...] = DEFAULT_STATUSES) -> list[dict[str, Any]]:
    """Per legacy unit: kc_vnd, counterpart_vnd, projects, establishments, geometry."""
    _check(level, years, statuses)
    return _units(conn, level, _allocations(conn, level, years, statuses))


def _unallocated(conn: Connection, allocations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Money and records not placed in a unit, per district bucket (None = no district).

    A district without communes (Lý Sơn since 2020) can never place money in a commune.
    """
    with conn.cursor() as cur:
        cur.execute("SELECT d.code, d.name, EXISTS (SELECT 1 FROM admin_unit c "
                    "WHERE c.edition = d.edition AND c.parent_code = d.code) "
                    "FROM admin_unit d WHERE d.edition = 'legacy' AND d.level = 'district'")
        districts = {code: (name, has) for code, name, has in cur.fetchall()}
    rows = [
        {"district_code": a["bucket"],
         "district_name": districts.get(a["bucket"], (None, False))[0],
         "district_has_communes": districts.get(a["bucket"], (None, False))[1],
         "kc_vnd": int(a["kc_vnd"]), "counterpart_vnd": int(a["counterpart_vnd"]),
         "projects": int(a["projects"]), "establishments": int(a["establishments"])}
        for a in allocations
        if a["unit_code"] is None and (a["kc_vnd"] or a["counterpart_vnd"] or a["projects"]
                                       or a["establishments"])
    ]
    return sorted(rows, key=lambda r: (r["district_code"] is None, r["district_code"] or ""))


def coverage_report(conn: Connection, level: str, years: tuple[int, int] = DEFAULT_YEARS,
                    statuses: tuple[str, ...] = DEFAULT_STATUSES) -> dict[str, Any]:
    """Units with sums and geometry, plus what was not allocated, totals and data caveats."""
    _check(level, years, statuses)
    params = {"y0": years[0], "y1": years[1], "statuses": list(statuses)}
    allocations = _allocations(conn, level, years, statuses)
    units = _units(conn, level, allocations)
    unallocated = _unallocated(conn, allocations)
    with conn.cursor() as cur:
        cur.execute(_TOTALS, params)
        row = cur.fetchone()
        assert row is not None
        total_kc, total_cp, n_projects, n_split, n_establishments = row
        cur.execute(_HAS_DEMO)
        demo_row = cur.fetchone()
    outlines: list[dict[str, Any]] = []
    if level == "commune":
        outlines = [
            {"code": u["code"], "name": u["name"], "boundary_quality": u["boundary_quality"],
             "geometry": u["geometry"]}
            for u in _units(conn, "district", []) if u["geometry"] is not None
        ]
    drawn = [u for u in units if u["geometry"] is not None]
    return {
        "level": level,
        "years": years,
        "statuses": statuses,
        "units": units,
        "outlines": outlines,
        "missing": [{"code": u["code"], "name": u["name"]} for u in units
                    if u["geometry"] is None],
        "unallocated": unallocated,
        "totals": {
            "kc_vnd": int(total_kc),
            "counterpart_vnd": int(total_cp),
            "projects": int(n_projects),
            "split_projects": int(n_split),
            "establishments": int(n_establishments),
            "allocated_kc_vnd": sum(u["kc_vnd"] for u in units),
            "allocated_counterpart_vnd": sum(u["counterpart_vnd"] for u in units),
            "unallocated_kc_vnd": sum(r["kc_vnd"] for r in unallocated),
            "unallocated_counterpart_vnd": sum(r["counterpart_vnd"] for r in unallocated),
            "unallocated_establishments": sum(r["establishments"] for r in unallocated),
        },
        "has_demo": bool(demo_row and demo_row[0]),
        "has_approximate": any(u["boundary_quality"] == "approximate"
                               for u in [*drawn, *outlines]),
    }

