"""Khuyến công indicators per legacy commune or district, precision-aware, for any filter.

Rules (after the aid-geocoding practice in DOMAIN.md):
- a project's money is split evenly across its locations in whole đồng (largest remainder,
  by location id), so every total is an exact integer;
- at commune level only locations of precision exact/commune with a known legacy commune
  count directly; a district-precision location is never placed in a commune. Its money is
  "not allocated to a commune" for its district (allocation 'none'), or — when asked — shared
  out over the district's communes evenly ('even') or by their establishment counts
  ('establishments'), in whole đồng; that share is reported apart as spread_kc_vnd;
- at district level locations of precision exact/commune/district with a known district count;
- province-precision, 'none' and unlocated projects are never attributed to a unit;
- so Σ units + unallocated = Σ project budgets of the filter, in every mode.
Establishments, workers and craft villages are counted where they are located (same
precision rule) and are not filtered by year: they are the stock the support is measured
against.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from geo.analytics.allocation import split
from geo.analytics.cycle_values import add_cycle_values
from geo.analytics.filters import FILTER_SQL, ProjectFilter
from geo.analytics.report_types import IndicatorReport, Outline, UnallocatedRow
from geo.core.bulk_query import bulk_cursor
from geo.core.db import Connection
from geo.core.errors import InvalidInput
from geo.core.vocab import Allocation, IndicatorKey, Level

LEVELS = tuple(Level)
# Simplification tolerance in degrees (~30 m for communes, ~80 m for districts).
SIMPLIFY = {"commune": 0.0003, "district": 0.0008}
FINE = ("exact", "commune")
KNOWN_DISTRICT = ("exact", "commune", "district")

# Legacy commune and district (c_code, d_code) of a row `l` of the record_place view
# (restricted to one kind's locations first, so the view's joins run on those rows only).
_PLACE_COLS = """
CASE WHEN l.precision IN ('exact', 'commune') THEN l.commune_code END AS c_code,
CASE WHEN l.precision IN ('exact', 'commune', 'district') THEN l.district_code END AS d_code
"""

# Per (commune, district) bucket: whole-đồng shares of the filtered projects' money, the
# projects and the beneficiaries (establishment id, else the beneficiary text) placed there.
_SHARES = """
WITH proj AS MATERIALIZED (
    SELECT p.id, p.kc_vnd, p.counterpart_vnd,
           CASE WHEN p.beneficiary_establishment_id IS NOT NULL
                THEN 'e:' || p.beneficiary_establishment_id
                WHEN btrim(COALESCE(p.beneficiary, '')) <> ''
                THEN 't:' || lower(regexp_replace(btrim(p.beneficiary), '\\s+', ' ', 'g'))
           END AS ben
    FROM project p WHERE @FILTER@
), ploc AS (
    SELECT p.*, l.location_id, l.precision, l.commune_code, l.district_code,
           count(l.location_id) OVER w AS n, row_number() OVER (w ORDER BY l.location_id) AS k
    FROM proj p
    LEFT JOIN (SELECT * FROM record_place WHERE project_id IS NOT NULL) l
           ON l.project_id = p.id
    WINDOW w AS (PARTITION BY p.id)
), placed AS (
    SELECT l.id AS project_id, l.ben, l.n,
           CASE WHEN n = 0 THEN kc_vnd
                ELSE kc_vnd / n + CASE WHEN k <= kc_vnd %% n THEN 1 ELSE 0 END END AS kc,
           CASE WHEN n = 0 THEN counterpart_vnd
                ELSE counterpart_vnd / n
                     + CASE WHEN k <= counterpart_vnd %% n THEN 1 ELSE 0 END END AS cp,
           @PLACE_COLS@
    FROM ploc l
)
SELECT c_code, d_code, sum(kc)::bigint AS kc, sum(cp)::bigint AS cp,
       array_agg(DISTINCT project_id) AS projects,
       array_remove(array_agg(DISTINCT CASE WHEN n > 1 THEN project_id END), NULL)
           AS split_projects,
       array_remove(array_agg(DISTINCT ben), NULL) AS beneficiaries
FROM placed
GROUP BY 1, 2
""".replace("@FILTER@", FILTER_SQL).replace("@PLACE_COLS@", _PLACE_COLS)

# Establishments per (commune, district) bucket: count, workers, beneficiaries of the filter.
# Each establishment counts once, at its first location (queries run in geo.core.bulk_query's
# hash-join cursor, safe with stale planner statistics).
_ESTABLISHMENTS = """
WITH l AS MATERIALIZED (
    SELECT DISTINCT ON (e.id) e.id, e.workers, x.precision, x.commune_code, x.district_code,
           e.id IN (SELECT p.beneficiary_establishment_id FROM project p
                    WHERE p.beneficiary_establishment_id IS NOT NULL AND @FILTER@) AS ben
    FROM establishment e
    LEFT JOIN (SELECT * FROM record_place WHERE establishment_id IS NOT NULL) x
           ON x.establishment_id = e.id
    WHERE e.archived_at IS NULL
    ORDER BY e.id, x.location_id
)
SELECT @PLACE_COLS@, count(*) AS establishments,
       COALESCE(sum(l.workers), 0)::bigint AS workers,
       count(*) FILTER (WHERE l.workers IS NULL) AS workers_unknown,
       count(*) FILTER (WHERE l.ben) AS beneficiary_establishments
FROM l
GROUP BY 1, 2
""".replace("@FILTER@", FILTER_SQL).replace("@PLACE_COLS@", _PLACE_COLS)

_VILLAGES = """
WITH l AS MATERIALIZED (
    SELECT DISTINCT ON (v.id) v.id, x.precision, x.commune_code, x.district_code
    FROM craft_village v
    LEFT JOIN (SELECT * FROM record_place WHERE village_id IS NOT NULL) x
           ON x.village_id = v.id
    WHERE v.archived_at IS NULL
    ORDER BY v.id, x.location_id
)
SELECT @PLACE_COLS@, count(*) AS craft_villages
FROM l
GROUP BY 1, 2
""".replace("@PLACE_COLS@", _PLACE_COLS)

_UNITS = """
SELECT u.code, u.name, u.short_name, u.type, u.parent_code,
       d.name AS district_name, b.quality,
       (pr.code IS NOT NULL) AS priority, pr.note AS priority_note,
       CASE WHEN NOT %(geometry)s OR b.geom IS NULL THEN NULL
            ELSE ST_AsGeoJSON(ST_SimplifyPreserveTopology(b.geom, %(tol)s), 5) END AS geojson,
       ST_AsGeoJSON(COALESCE(ST_Envelope(b.geom), u.bbox), 5) AS envelope
FROM admin_unit u
LEFT JOIN admin_unit d ON d.edition = u.edition AND d.code = u.parent_code
                       AND d.level = 'district'
LEFT JOIN boundary b ON b.edition = u.edition AND b.code = u.code
LEFT JOIN commune_priority pr ON pr.edition = u.edition AND pr.code = u.code
WHERE u.edition = 'legacy' AND u.level = %(level)s
ORDER BY u.code
"""

_DISTRICTS = """
SELECT d.code, d.name, array_remove(array_agg(c.code ORDER BY c.code), NULL)
FROM admin_unit d
LEFT JOIN admin_unit c ON c.edition = d.edition AND c.parent_code = d.code
                       AND c.level = 'commune'
WHERE d.edition = 'legacy' AND d.level = 'district'
GROUP BY d.code, d.name
"""

_HAS_DEMO = """
SELECT EXISTS (SELECT 1 FROM project WHERE is_demo)
    OR EXISTS (SELECT 1 FROM establishment WHERE is_demo)
    OR EXISTS (SELECT 1 FROM craft_village WHERE is_demo)
"""


def data_flags(conn: Connection) -> dict[str, bool]:
    """Whether demo records are loaded and whether any legacy boundary is approximate."""
    with conn.cursor() as cur:
        cur.execute(_HAS_DEMO)
        demo = cur.fetchone()
        cur.execute("SELECT EXISTS (SELECT 1 FROM boundary WHERE edition = 'legacy' "
                    "AND quality = 'approximate')")
        approx = cur.fetchone()
    return {"has_demo": bool(demo and demo[0]), "has_approximate": bool(approx and approx[0])}


def _rows(conn: Connection, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    with bulk_cursor(conn, dict_rows=True) as cur:
        cur.execute(sql, params)
        return [dict(r) for r in cur.fetchall()]


def _acc() -> dict[str, Any]:
    """An empty accumulator of one unit or bucket."""
    return {"kc": 0, "cp": 0, "direct_kc": 0, "spread_kc": 0, "spread_cp": 0,
            "projects": set(), "spread_projects": set(), "beneficiaries": set(),
            "establishments": 0, "workers": 0, "workers_unknown": 0,
            "beneficiary_establishments": 0, "craft_villages": 0}


def unit_rows(conn: Connection, level: Level, geometry: bool = True) -> list[dict[str, Any]]:
    """Every legacy unit of the level: names, district, priority flag, boundary (GeoJSON)."""
    rows = _rows(conn, _UNITS, {"level": str(level), "tol": SIMPLIFY[level],
                               "geometry": geometry})
    return [{
        "code": r["code"], "name": r["name"], "short_name": r["short_name"], "type": r["type"],
        "district_code": r["parent_code"] if level == "commune" else r["code"],
        "district_name": r["district_name"] if level == "commune" else r["name"],
        "priority": bool(r["priority"]) if level == "commune" else False,
        "priority_note": r["priority_note"] if level == "commune" else None,
        "boundary_quality": r["quality"],
        "geometry": json.loads(r["geojson"]) if r["geojson"] else None,
        "bbox": _bbox(json.loads(r["envelope"])) if r["envelope"] else None,
    } for r in rows]


def _bbox(envelope: dict[str, Any]) -> list[float]:
    """[west, south, east, north] of an ST_Envelope GeoJSON (polygon, or point/line)."""
    coords = envelope["coordinates"]
    pts = coords[0] if envelope["type"] == "Polygon" else (
        [coords] if envelope["type"] == "Point" else coords)
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return [min(xs), min(ys), max(xs), max(ys)]


def _spread(pools: dict[str | None, dict[str, Any]], acc: dict[str, dict[str, Any]],
            districts: dict[str, tuple[str, list[str]]],
            allocation: Allocation) -> dict[str, str]:
    """Share district pools out over their communes (in place); return kept-back reasons."""
    kept: dict[str, str] = {}
    for code, pool in pools.items():
        if code is None or code not in districts:
            continue
        communes = [c for c in districts[code][1] if c in acc]
        if not communes:
            kept[code] = "no_communes"
            continue
        if allocation == "even":
            weights = [(c, 1) for c in communes]
        else:
            weights = [(c, acc[c]["establishments"]) for c in communes]
        if sum(w for _, w in weights) == 0:
            kept[code] = "no_weights"
            continue
        kc = split(pool["kc"], weights)
        cp = split(pool["cp"], weights)
        for c, _ in weights:
            unit = acc[c]
            unit["kc"] += kc[c]
            unit["cp"] += cp[c]
            unit["spread_kc"] += kc[c]
            unit["spread_cp"] += cp[c]
            if kc[c] or cp[c]:
                unit["spread_projects"] |= pool["projects"]
        pool["kc"] = pool["cp"] = 0
        pool["spread"] = True
    return kept


def _ratio(num: int, den: int, digits: int | None = None) -> int | float | None:
    return round(num / den, digits) if den else None


# Indicators computed from a unit's counted values (legacy and 2025 units alike), in order;
# None where the denominator is 0. A new ratio indicator is one line here.
DERIVED: dict[IndicatorKey, Callable[[Mapping[str, int]], int | float | None]] = {
    IndicatorKey.vnd_per_establishment: lambda v: _ratio(v["kc_vnd"], v["establishments"]),
    IndicatorKey.vnd_per_worker: lambda v: _ratio(v["kc_vnd"], v["workers"]),
    IndicatorKey.beneficiary_share: lambda v: _ratio(v["beneficiary_establishments"],
                                                     v["establishments"], 4),
}


def derived_values(counted: Mapping[str, int]) -> dict[str, int | float | None]:
    """The DERIVED indicators of a unit's counted values."""
    return {str(k): f(counted) for k, f in DERIVED.items()}


def _unit_values(a: dict[str, Any]) -> dict[str, Any]:
    """Indicator values of one accumulator."""
    counted = {
        "kc_vnd": a["kc"], "counterpart_vnd": a["cp"],
        "direct_kc_vnd": a["direct_kc"], "spread_kc_vnd": a["spread_kc"],
        "projects": len(a["projects"]), "spread_projects": len(a["spread_projects"]),
        "beneficiaries": len(a["beneficiaries"]),
        "establishments": a["establishments"], "workers": a["workers"],
        "workers_unknown": a["workers_unknown"], "craft_villages": a["craft_villages"],
        "beneficiary_establishments": a["beneficiary_establishments"],
    }
    return {**counted, **derived_values(counted)}


def indicator_report(conn: Connection, level: Level, flt: ProjectFilter | None = None,
                     allocation: Allocation = Allocation.none,
                     geometry: bool = True) -> IndicatorReport:
    """Units with indicators (and geometry), what stayed unallocated, totals and caveats."""
    flt = flt or ProjectFilter()
    if not flt.years or not flt.statuses:
        raise InvalidInput("Bộ lọc không chọn năm hoặc trạng thái nào")
    params = flt.params()
    units = unit_rows(conn, level, geometry)
    acc = {u["code"]: _acc() for u in units}
    buckets: dict[str | None, dict[str, Any]] = defaultdict(_acc)
    key = "c_code" if level == "commune" else "d_code"

    def target(row: dict[str, Any]) -> dict[str, Any]:
        code = row[key]
        if code in acc:
            return acc[code]
        return buckets[row["d_code"] if level == "commune" else None]

    seen: dict[str, Any] = {"kc": 0, "cp": 0, "projects": set(), "split": set()}
    for r in _rows(conn, _SHARES, params):
        seen["kc"] += int(r["kc"])
        seen["cp"] += int(r["cp"])
        seen["projects"].update(r["projects"])
        seen["split"].update(r["split_projects"])
        a = target(r)
        a["kc"] += int(r["kc"])
        a["cp"] += int(r["cp"])
        a["projects"].update(r["projects"])
        if r[key] in acc:
            a["direct_kc"] += int(r["kc"])
            a["beneficiaries"].update(r["beneficiaries"])
    stock = {"establishments": 0, "workers": 0, "craft_villages": 0}
    for r in _rows(conn, _ESTABLISHMENTS, params):
        a = target(r)
        for k in ("establishments", "workers", "workers_unknown", "beneficiary_establishments"):
            a[k] += int(r[k])
        stock["establishments"] += int(r["establishments"])
        stock["workers"] += int(r["workers"])
    for r in _rows(conn, _VILLAGES, {}):
        target(r)["craft_villages"] += int(r["craft_villages"])
        stock["craft_villages"] += int(r["craft_villages"])

    with conn.cursor() as cur:
        cur.execute(_DISTRICTS)
        districts = {code: (name, list(communes)) for code, name, communes in cur.fetchall()}
    kept: dict[str, str] = {}
    spread_total: dict[str, Any] = {"kc": 0, "cp": 0, "projects": set()}
    if level == "commune" and allocation != "none":
        before = {c: (b["kc"], b["cp"], set(b["projects"])) for c, b in buckets.items()}
        kept = _spread(buckets, acc, districts, allocation)
        for c, (kc, cp, projects) in before.items():
            if buckets[c].get("spread"):
                spread_total["kc"] += kc
                spread_total["cp"] += cp
                spread_total["projects"] |= projects
    for u in units:
        u.update(_unit_values(acc[u["code"]]))
    add_cycle_values(conn, units, level)
    unallocated = _unallocated_rows(buckets, districts, kept, level)

    with conn.cursor() as cur:
        cur.execute(_HAS_DEMO)
        demo_row = cur.fetchone()
    outlines: list[Outline] = []
    if level == "commune" and geometry:
        outlines = [{"code": d["code"], "name": d["name"],
                     "boundary_quality": d["boundary_quality"], "geometry": d["geometry"]}
                    for d in unit_rows(conn, Level.district) if d["geometry"] is not None]
    drawn = [u for u in units if u["geometry"] is not None]
    return {
        "level": level,
        "filter": flt,
        "years": flt.year_span(),
        "statuses": flt.statuses,
        "allocation": allocation,
        "units": units,
        "outlines": outlines,
        "missing": [{"code": u["code"], "name": u["name"]} for u in units
                    if geometry and u["geometry"] is None],
        "unallocated": unallocated,
        "totals": {
            "kc_vnd": seen["kc"], "counterpart_vnd": seen["cp"],
            "projects": len(seen["projects"]), "split_projects": len(seen["split"]),
            "establishments": stock["establishments"], "workers": stock["workers"],
            "craft_villages": stock["craft_villages"],
            "allocated_kc_vnd": sum(u["kc_vnd"] for u in units),
            "allocated_counterpart_vnd": sum(u["counterpart_vnd"] for u in units),
            "unallocated_kc_vnd": sum(r["kc_vnd"] for r in unallocated),
            "unallocated_counterpart_vnd": sum(r["counterpart_vnd"] for r in unallocated),
            "unallocated_establishments": sum(r["establishments"] for r in unallocated),
            "spread_kc_vnd": int(spread_total["kc"]),
            "spread_counterpart_vnd": int(spread_total["cp"]),
            "spread_projects": len(spread_total["projects"]),
        },
        "has_demo": bool(demo_row and demo_row[0]),
        "has_approximate": any(u["boundary_quality"] == "approximate"
                               for u in [*drawn, *outlines]),
    }


def _unallocated_rows(buckets: dict[str | None, dict[str, Any]],
                      districts: dict[str, tuple[str, list[str]]], kept: dict[str, str],
                      level: Level) -> list[UnallocatedRow]:
    """Money and records not placed in a unit, per district bucket (None = no district)."""
    rows: list[UnallocatedRow] = []
    for code, b in buckets.items():
        if not (b["kc"] or b["cp"] or b["establishments"] or b["craft_villages"]
                or (b["projects"] and not b.get("spread"))):
            continue
        known = code is not None and code in districts
        has_communes = bool(known and districts[str(code)][1])
        if not known:
            reason = "no_district"
        elif not has_communes:
            reason = "no_communes"
        else:
            reason = kept.get(str(code), "district_precision")
        rows.append({
            "district_code": code,
            "district_name": districts[str(code)][0] if known else None,
            "district_has_communes": has_communes,
            "reason": reason,
            "kc_vnd": b["kc"], "counterpart_vnd": b["cp"],
            "projects": 0 if b.get("spread") else len(b["projects"]),
            "establishments": b["establishments"], "workers": b["workers"],
            "craft_villages": b["craft_villages"],
        })
    return sorted(rows, key=lambda r: (r["district_code"] is None, r["district_code"] or ""))
