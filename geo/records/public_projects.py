"""Khuyến công projects for public maps and JSON: budget, activity, source and locations."""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import Actor
from geo.analytics.filters import FILTER_SQL, ProjectFilter
from geo.core.bulk_query import bulk_cursor
from geo.core.db import Connection, dict_cursor
from geo.core.errors import NotFound
from geo.core.payload_cache import Payload, cached_payload
from geo.records.archived import with_archive
from geo.records.spec import PROJECT

# Each location of each filtered project with its even, whole-đồng share of the budget.
_LOCATIONS = """
SELECT l.project_id, l.location_id AS id, l.precision, l.commune_code AS c_code,
       l.commune_name AS c_name, l.district_code AS d_code, l.district_name AS d_name,
       l.point AS pt,
       p.kc_vnd / count(*) OVER w
         + CASE WHEN row_number() OVER (w ORDER BY l.location_id) <= p.kc_vnd %% count(*) OVER w
                THEN 1 ELSE 0 END AS share
FROM project p
JOIN record_place l ON l.project_id = p.id
WHERE l.project_id IS NOT NULL AND @WHERE@
WINDOW w AS (PARTITION BY p.id)
"""

# One feature per filtered project; each location's share by window functions in the same
# scan (run in geo.core.bulk_query's hash-join cursor).
_FEATURES = """
WITH rows_ AS (
    SELECT p.id, p.record_key, p.title, p.year, p.funding_source, p.activity_type,
           a.name_vi, p.kc_vnd, p.counterpart_vnd, p.status, p.beneficiary,
           p.beneficiary_establishment_id, p.is_demo,
           l.location_id AS lid, l.precision, l.commune_code AS c_code,
           l.district_code AS d_code, l.point AS pt,
           CASE WHEN l.location_id IS NOT NULL THEN p.kc_vnd / count(l.location_id) OVER w
                + CASE WHEN row_number() OVER (w ORDER BY l.location_id)
                            <= p.kc_vnd %% count(l.location_id) OVER w
                       THEN 1 ELSE 0 END END AS share
    FROM project p
    JOIN activity_type a ON a.code = p.activity_type
    LEFT JOIN (SELECT * FROM record_place WHERE project_id IS NOT NULL) l
           ON l.project_id = p.id
    WHERE @FILTER@
    WINDOW w AS (PARTITION BY p.id)
), per AS (
    SELECT id, record_key, title, year, funding_source, activity_type, name_vi, kc_vnd,
           counterpart_vnd, status, beneficiary, beneficiary_establishment_id, is_demo,
           COALESCE(json_agg(json_build_object(
               'precision', precision, 'commune', c_code, 'district', d_code,
               'share_vnd', share, 'lon', round(ST_X(pt)::numeric, 5),
               'lat', round(ST_Y(pt)::numeric, 5)) ORDER BY lid)
               FILTER (WHERE lid IS NOT NULL), '[]'::json) AS locations,
           ST_Collect(pt ORDER BY lid) FILTER (WHERE pt IS NOT NULL) AS points
    FROM rows_
    GROUP BY id, record_key, title, year, funding_source, activity_type, name_vi, kc_vnd,
             counterpart_vnd, status, beneficiary, beneficiary_establishment_id, is_demo
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'summary', json_build_object(
        'projects', count(*),
        'total_vnd', COALESCE(sum(kc_vnd), 0)::bigint,
        'total_counterpart_vnd', COALESCE(sum(counterpart_vnd), 0)::bigint),
    'features', COALESCE(json_agg(json_build_object(
        'type', 'Feature', 'id', id,
        'geometry', ST_AsGeoJSON(points, 5)::json,
        'properties', json_build_object(
            'id', id, 'record_key', record_key, 'title', title, 'year', year,
            'funding_source', funding_source, 'activity_type', activity_type,
            'activity_name', name_vi, 'budget_vnd', kc_vnd,
            'counterpart_vnd', counterpart_vnd, 'status', status,
            'beneficiary', beneficiary,
            'beneficiary_establishment_id', beneficiary_establishment_id,
            'is_demo', is_demo, 'locations', locations,
            'outputs', COALESCE(o.outputs, '{}'::json),
            'disbursed_vnd', COALESCE(f.disbursed_vnd, 0),
            'settled_vnd', COALESCE(f.settled_vnd, 0)))
        ORDER BY id), '[]'::json))::text
FROM per
LEFT JOIN project_finance f ON f.project_id = per.id
LEFT JOIN LATERAL (SELECT json_object_agg(indicator, quantity ORDER BY indicator) AS outputs
                   FROM project_output WHERE project_id = per.id) o ON true
""".replace("@FILTER@", FILTER_SQL)

_DETAIL = """
SELECT p.id, p.record_key, p.title, p.year, p.funding_source, p.activity_type,
       a.name_vi AS activity_name, p.kc_vnd, p.counterpart_vnd, p.beneficiary,
       p.beneficiary_establishment_id, e.name AS beneficiary_establishment_name,
       p.status, p.is_demo, p.version, p.created_at, p.updated_at
FROM project p
JOIN activity_type a ON a.code = p.activity_type
LEFT JOIN establishment e ON e.id = p.beneficiary_establishment_id
WHERE p.id = %(id)s
"""

_DETAIL_LOCATIONS = """
SELECT s.*, ST_X(s.pt) AS lon, ST_Y(s.pt) AS lat FROM (@LOCATIONS@) s ORDER BY s.id
""".replace("@LOCATIONS@", _LOCATIONS.replace("@WHERE@", "p.id = %(id)s"))


def project_features(conn: Connection, flt: ProjectFilter | None = None) -> str:
    """GeoJSON text: one feature per filtered project (points of exact/commune locations)."""
    with bulk_cursor(conn) as cur:
        cur.execute(_FEATURES, (flt or ProjectFilter()).params())
        row = cur.fetchone()
    assert row is not None
    return str(row[0])


def project_payload(conn: Connection, flt: ProjectFilter | None = None) -> Payload:
    """project_features as a payload, cached while projects, locations and units are
    unchanged."""
    f = flt or ProjectFilter()
    return cached_payload(conn, "projects", (f.years, f.sources, f.activities, f.statuses),
                          lambda: project_features(conn, f),
                          ("project", "location", "activity_type", "admin_unit",
                           "project_output", "project_finance"))


def project_detail(conn: Connection, project_id: int,
                   actor: Actor | None = None) -> dict[str, Any]:
    """One project with its budget, beneficiary, every location (with its share) and whether
    an import archived it."""
    with dict_cursor(conn) as cur:
        cur.execute(_DETAIL, {"id": project_id})
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"Không có đề án số {project_id}")
        cur.execute(_DETAIL_LOCATIONS, {"id": project_id})
        locations = [dict(r) for r in cur.fetchall()]
    r = dict(row)
    return with_archive(conn, PROJECT, {
        "id": r["id"], "record_key": r["record_key"], "title": r["title"], "year": r["year"],
        "funding_source": r["funding_source"], "activity_type": r["activity_type"],
        "activity_name": r["activity_name"], "budget_vnd": r["kc_vnd"],
        "counterpart_vnd": r["counterpart_vnd"], "beneficiary": r["beneficiary"],
        "beneficiary_establishment": None if r["beneficiary_establishment_id"] is None else {
            "id": r["beneficiary_establishment_id"],
            "name": r["beneficiary_establishment_name"]},
        "status": r["status"], "is_demo": r["is_demo"], "version": r["version"],
        "created_at": r["created_at"].isoformat(), "updated_at": r["updated_at"].isoformat(),
        "locations": [_location(loc) for loc in locations],
    }, actor)


def _location(loc: dict[str, Any]) -> dict[str, Any]:
    """A location row as JSON: precision, units, share and its point if drawable."""
    return {"precision": loc["precision"], "commune_code": loc["c_code"],
            "commune_name": loc["c_name"], "district_code": loc["d_code"],
            "district_name": loc["d_name"], "share_vnd": int(loc["share"]),
            "lon": loc["lon"], "lat": loc["lat"]}
