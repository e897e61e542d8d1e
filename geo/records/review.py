"""Review progress per legacy district: how many establishments a person has confirmed
(records archived by an import count nowhere)."""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import Actor
from geo.core.db import Connection, dict_cursor
from geo.records.establishment_read import FILTERS, MAX_LIMIT, list_establishments

_PROGRESS = """
WITH est AS (
    SELECT DISTINCT ON (e.id) e.id, e.reviewed_at, l.geocode_status, l.precision,
           COALESCE(l.district_code, l.location_district_code) AS district
    FROM establishment e
    JOIN record_place l ON l.establishment_id = e.id
    WHERE e.archived_at IS NULL  -- archived by an import: nothing to review
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


def next_needing_attention(conn: Connection, actor: Actor | None, district: str,
                           after: int | None = None) -> int | None:
    """The id of the district's next establishment (by name) with any review flag, after the
    record `after` (wrapping round to the first); None when nothing needs attention."""
    items = list_establishments(conn, actor, district, list(FILTERS), "", MAX_LIMIT)["items"]
    ids = [int(i["id"]) for i in items if i["id"] != after]
    if not ids:
        return None
    if after is not None:
        order = [int(i["id"]) for i in items]
        if after in order:
            later = [i for i in order[order.index(after) + 1:] if i != after]
            if later:
                return later[0]
    return ids[0]
