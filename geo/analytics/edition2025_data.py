"""What the 2025 edition is computed from: new units, crosswalk weights, points, project sets."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from geo.analytics.filters import FILTER_SQL, ProjectFilter
from geo.core.db import Connection, dict_cursor

SIMPLIFY = 0.0003
SHARE_SCALE = 1_000_000  # crosswalk shares as integer weights
Weights = dict[str, tuple[str, list[tuple[str, int]], str | None]]

_UNITS = """
SELECT u.code, u.name, u.short_name, u.type, b.quality,
       CASE WHEN NOT %(geometry)s OR b.geom IS NULL THEN NULL
            ELSE ST_AsGeoJSON(ST_SimplifyPreserveTopology(b.geom, %(tol)s), 5) END AS geojson,
       ST_XMin(g.e) AS x0, ST_YMin(g.e) AS y0, ST_XMax(g.e) AS x1, ST_YMax(g.e) AS y1
FROM admin_unit u
LEFT JOIN boundary b ON b.edition = u.edition AND b.code = u.code
CROSS JOIN LATERAL (SELECT COALESCE(b.geom, u.bbox, u.centroid) AS e) g
WHERE u.edition = '2025' AND u.level = 'commune'
ORDER BY u.code
"""

# Intersection areas (m², EPSG:3406) of split legacy communes with their 2025 targets.
_AREAS = """
SELECT x.legacy_code, x.code_2025,
       ST_Area(ST_Transform(ST_Intersection(ST_MakeValid(lb.geom), ST_MakeValid(nb.geom)),
                            3406)) AS m2,
       lb.quality AS legacy_quality, nb.quality AS new_quality
FROM unit_crosswalk x
JOIN boundary lb ON lb.edition = 'legacy' AND lb.code = x.legacy_code
JOIN boundary nb ON nb.edition = '2025' AND nb.code = x.code_2025
WHERE x.legacy_code = ANY(%(codes)s::text[])
"""

# Establishments with an exact point in a split legacy commune: the target containing it.
_EST_POINTS = """
WITH ben AS (
    SELECT DISTINCT p.beneficiary_establishment_id AS id
    FROM project p WHERE p.beneficiary_establishment_id IS NOT NULL AND @FILTER@
), loc AS (
    SELECT DISTINCT ON (establishment_id) establishment_id, precision, commune_code, geom
    FROM location WHERE establishment_id IS NOT NULL
    ORDER BY establishment_id, id
), hit AS (
    SELECT DISTINCT ON (e.id) e.id, e.workers, l.commune_code, x.code_2025
    FROM establishment e
    JOIN loc l ON l.establishment_id = e.id
    JOIN unit_crosswalk x ON x.legacy_code = l.commune_code
    JOIN boundary b ON b.edition = '2025' AND b.code = x.code_2025
    WHERE l.precision = 'exact' AND l.commune_code = ANY(%(codes)s::text[])
      AND ST_Contains(b.geom, l.geom) AND e.archived_at IS NULL
    ORDER BY e.id, x.code_2025
)
SELECT h.commune_code, h.code_2025, count(*) AS establishments,
       COALESCE(sum(h.workers), 0)::bigint AS workers,
       count(*) FILTER (WHERE h.workers IS NULL) AS workers_unknown,
       count(ben.id) AS beneficiary_establishments
FROM hit h LEFT JOIN ben ON ben.id = h.id
GROUP BY 1, 2
""".replace("@FILTER@", FILTER_SQL)

_VILLAGE_POINTS = """
WITH loc AS (
    SELECT DISTINCT ON (village_id) village_id, precision, commune_code, geom
    FROM location WHERE village_id IS NOT NULL
    ORDER BY village_id, id
), hit AS (
    SELECT DISTINCT ON (l.village_id) l.village_id, l.commune_code, x.code_2025
    FROM loc l
    JOIN unit_crosswalk x ON x.legacy_code = l.commune_code
    JOIN boundary b ON b.edition = '2025' AND b.code = x.code_2025
    WHERE l.precision = 'exact' AND l.commune_code = ANY(%(codes)s::text[])
      AND ST_Contains(b.geom, l.geom)
      AND NOT EXISTS (SELECT 1 FROM craft_village a WHERE a.archived_at IS NOT NULL
                      AND a.id = l.village_id)
    ORDER BY l.village_id, x.code_2025
)
SELECT commune_code, code_2025, count(*) AS craft_villages FROM hit GROUP BY 1, 2
"""

# Distinct projects and beneficiaries per legacy commune / district pool (as analytics.indicators).
_PROJECT_PLACES = """
SELECT DISTINCT
       CASE WHEN l.precision IN ('exact', 'commune') THEN l.commune_code END AS c_code,
       CASE WHEN l.precision IN ('exact', 'commune', 'district')
            THEN l.district_code END AS d_code,
       p.id AS project_id,
       CASE WHEN p.beneficiary_establishment_id IS NOT NULL
            THEN 'e:' || p.beneficiary_establishment_id
            WHEN btrim(COALESCE(p.beneficiary, '')) <> ''
            THEN 't:' || lower(regexp_replace(btrim(p.beneficiary), '\\s+', ' ', 'g'))
       END AS ben
FROM project p
JOIN record_place l ON l.project_id = p.id
WHERE l.project_id IS NOT NULL AND @FILTER@
""".replace("@FILTER@", FILTER_SQL)


def rows(conn: Connection, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    with dict_cursor(conn) as cur:
        cur.execute(sql, params)
        return [dict(r) for r in cur.fetchall()]


def units_2025(conn: Connection, geometry: bool = True) -> list[dict[str, Any]]:
    """Every 2025 commune: names, boundary quality, geometry (GeoJSON) and bbox."""
    out = []
    for r in rows(conn, _UNITS, {"geometry": geometry, "tol": SIMPLIFY}):
        bbox = None if r["x0"] is None else [r["x0"], r["y0"], r["x1"], r["y1"]]
        out.append({"code": r["code"], "name": r["name"], "short_name": r["short_name"],
                    "type": r["type"], "district_code": None, "district_name": None,
                    "boundary_quality": r["quality"],
                    "geometry": json.loads(r["geojson"]) if r["geojson"] else None,
                    "bbox": bbox})
    return out


def split_weights(conn: Connection, targets: dict[str, list[tuple[str, float]]]
             ) -> Weights:
    """Per split legacy commune: (method, [(2025 code, integer weight)], polygon quality)."""
    split_codes = [c for c, t in targets.items() if len(t) > 1]
    areas: dict[str, dict[str, float]] = defaultdict(dict)
    quality: dict[str, set[str]] = defaultdict(set)
    if split_codes:
        for r in rows(conn, _AREAS, {"codes": split_codes}):
            areas[r["legacy_code"]][r["code_2025"]] = float(r["m2"] or 0.0)
            quality[r["legacy_code"]] |= {r["legacy_quality"], r["new_quality"]}
    out: Weights = {}
    for code in split_codes:
        tgt = targets[code]
        got = areas.get(code, {})
        if all(t in got for t, _ in tgt) and sum(round(got[t]) for t, _ in tgt) > 0:
            q = "approximate" if "approximate" in quality[code] else "official"
            out[code] = ("area", [(t, round(got[t])) for t, _ in tgt], q)
        else:
            out[code] = ("crosswalk", [(t, max(1, round(s * SHARE_SCALE))) for t, s in tgt],
                         None)
    return out


def point_counts(conn: Connection, codes: list[str], flt: ProjectFilter
                  ) -> dict[str, dict[str, dict[str, int]]]:
    """legacy code -> 2025 code -> counts of records placed there by their exact point."""
    out: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    if not codes:
        return out
    for r in rows(conn, _EST_POINTS, {**flt.params(), "codes": codes}):
        out[r["commune_code"]][r["code_2025"]].update(
            {k: int(r[k]) for k in ("establishments", "workers", "workers_unknown",
                                    "beneficiary_establishments")})
    for r in rows(conn, _VILLAGE_POINTS, {"codes": codes}):
        out[r["commune_code"]][r["code_2025"]]["craft_villages"] = int(r["craft_villages"])
    return out


def project_sets(conn: Connection, flt: ProjectFilter
                  ) -> tuple[dict[str, set[int]], dict[str, set[str]], dict[str, set[int]],
                             dict[str, set[str]]]:
    """Projects and beneficiaries per legacy commune, and per district pool."""
    c_proj: dict[str, set[int]] = defaultdict(set)
    c_ben: dict[str, set[str]] = defaultdict(set)
    d_proj: dict[str, set[int]] = defaultdict(set)
    d_ben: dict[str, set[str]] = defaultdict(set)
    for r in rows(conn, _PROJECT_PLACES, flt.params()):
        if r["c_code"] is not None:
            c_proj[r["c_code"]].add(r["project_id"])
            if r["ben"]:
                c_ben[r["c_code"]].add(r["ben"])
        elif r["d_code"] is not None:
            d_proj[r["d_code"]].add(r["project_id"])
            if r["ben"]:
                d_ben[r["d_code"]].add(r["ben"])
    return c_proj, c_ben, d_proj, d_ben


def crosswalk_targets(conn: Connection) -> dict[str, list[tuple[str, float]]]:
    """Legacy code -> [(2025 code, crosswalk share)], from unit_crosswalk."""
    targets: dict[str, list[tuple[str, float]]] = defaultdict(list)
    with conn.cursor() as cur:
        cur.execute("SELECT legacy_code, code_2025, share FROM unit_crosswalk "
                    "ORDER BY legacy_code, code_2025")
        for legacy_code, code_2025, share in cur.fetchall():
            targets[legacy_code].append((code_2025, float(share)))
    return targets
