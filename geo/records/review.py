"""Review progress per legacy district: how many establishments a person has confirmed."""

from __future__ import annotations

from typing import Any

from geo.core.db import Connection, dict_cursor

_PROGRESS = """
WITH est AS (
    SELECT DISTINCT ON (e.id) e.id, e.reviewed_at, l.geocode_status, l.precision,
           COALESCE(l.district_code, l.location_district_code) AS district
    FROM establishment e
    JOIN record_place l ON l.establishment_id = e.id
    ORDER BY e.id, l.location_id
)
SELECT d.code, d.name, count(est.id) AS total,
       count(est.id) FILTER (WHERE est.reviewed_at IS NOT NULL) AS confirmed,
       count(est.id) FILTER (WHERE est.geocode_status = 'conflict') AS conflicts,
       count(est.id) FILTER (WHERE est.precision <> 'exact') AS commune_only
FROM admin_unit d
LEFT JOIN est ON est.district = d.code
WHERE d.edition = 'legacy' AND d.level = 'district'
  AND (%(district)s::text IS NULL OR d.code = %(district)s)
GROUP BY d.code, d.name
ORDER BY d.code
"""


def review_progress(conn: Connection, district: str | None = None) -> list[dict[str, Any]]:
    """Per legacy district: establishments, confirmed, % confirmed (None if none), to-dos."""
    with dict_cursor(conn) as cur:
        cur.execute(_PROGRESS, {"district": district})
        rows = cur.fetchall()
    return [{
        "district_code": r["code"], "district_name": r["name"], "total": int(r["total"]),
        "confirmed": int(r["confirmed"]),
        "percent_confirmed": round(100.0 * r["confirmed"] / r["total"], 1) if r["total"]
        else None,
        "conflicts": int(r["conflicts"]), "commune_only": int(r["commune_only"]),
    } for r in rows]
