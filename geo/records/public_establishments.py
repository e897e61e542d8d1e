"""Establishments (cơ sở CNNT) for public maps and JSON: never owner name or phone."""

from __future__ import annotations

import json
from typing import Any

from geo.core.bulk_query import bulk_cursor
from geo.core.db import Connection
from geo.core.payload_cache import Payload, cached_payload

# One row per establishment with its first location: the ids are paired by a narrow sort,
# then joined back (run in geo.core.bulk_query's hash-join cursor).
_LOCATED = """
WITH first_ AS MATERIALIZED (
    SELECT DISTINCT ON (e.id) e.id AS eid, x.id AS lid
    FROM establishment e LEFT JOIN location x ON x.establishment_id = e.id
    WHERE e.archived_at IS NULL  -- archived by an import (migration 0013): off the maps
    ORDER BY e.id, x.id
)
SELECT e.id, e.name, e.trade, e.workers,
       l.precision, l.geocode_status, l.district_code AS d_code, l.commune_code AS c_code,
       l.commune_name AS c_name,
       l.point AS pt
FROM first_ f
JOIN establishment e ON e.id = f.eid
LEFT JOIN record_place l ON l.location_id = f.lid
"""

# Establishments of district %(district)s and trade %(trade)s (NULL = all), with their point.
_POINTS = """
WITH e AS (@LOCATED@)
SELECT id, ST_X(pt), ST_Y(pt), name, trade, workers, precision, geocode_status, d_code, c_name
FROM e
WHERE (%(district)s::text IS NULL OR d_code = %(district)s)
  AND (%(trade)s::text IS NULL OR trade = %(trade)s)
""".replace("@LOCATED@", _LOCATED)

# Counts by trade, geocoding status and drawn or not, from the sums migration 0016 keeps up to
# date in every writing transaction ('' = none); district %(district)s (NULL = all) is the legacy
# district of the first location's commune, else the location's district (as record_place).
_COUNTS = """
SELECT t.trade, t.status, t.drawn, sum(t.n)
FROM establishment_tally t
LEFT JOIN admin_unit cu ON %(district)s::text IS NOT NULL AND cu.edition = 'legacy'
                       AND cu.level = 'commune' AND cu.code = t.commune_code
WHERE %(district)s::text IS NULL
   OR %(district)s = COALESCE(cu.parent_code, NULLIF(t.district_code, ''))
GROUP BY 1, 2, 3
"""

_FEATURE = ('{"type":"Feature","id":%d,"geometry":{"type":"Point","coordinates":[%.5f,%.5f]},'
            '"properties":{"name":%s,"trade":%s,"workers":%s,"precision":%s,"status":%s,'
            '"district":%s,"commune":%s}}')
_json = json.JSONEncoder(ensure_ascii=False).encode
TABLES = ("establishment", "location", "admin_unit")  # what the queries above read


def establishment_points(conn: Connection, district: str | None = None,
                         trade: str | None = None) -> str:
    """GeoJSON FeatureCollection text of establishments with an exact or commune point, and
    `not_drawn`: how many have no such point. Assembled here: faster than json_agg."""
    with bulk_cursor(conn) as cur:
        cur.execute(_POINTS, {"district": district, "trade": trade})
        rows = cur.fetchall()
    features = [_FEATURE % (i, x, y, _json(name), _json(trade_), _json(workers),
                            _json(precision), _json(status), _json(d_code), _json(commune))
                for i, x, y, name, trade_, workers, precision, status, d_code, commune in rows
                if x is not None]
    not_drawn = len(rows) - len(features)
    return (f'{{"type":"FeatureCollection","not_drawn":{not_drawn},'
            f'"features":[{",".join(features)}]}}')


def establishment_payload(conn: Connection, district: str | None = None,
                          trade: str | None = None) -> Payload:
    """establishment_points as a payload, cached while establishments, their locations and
    the units are unchanged."""
    return cached_payload(conn, "establishments", (district, trade),
                          lambda: establishment_points(conn, district, trade), TABLES)


def establishment_counts(conn: Connection, district: str | None = None) -> dict[str, Any]:
    """Counts by trade and by geocoding status, and how many have no drawable point (cached
    with the points)."""
    payload = cached_payload(conn, "establishments", ("counts", district),
                             lambda: json.dumps(_counts(conn, district), ensure_ascii=False),
                             TABLES)
    return dict(json.loads(payload.text))


def _counts(conn: Connection, district: str | None) -> dict[str, Any]:
    """establishment_counts, added up from establishment_tally (exact, a few thousand rows
    whatever the number of establishments)."""
    with conn.cursor() as cur:
        cur.execute(_COUNTS, {"district": district})
        rows = cur.fetchall()
    trades: dict[str, int] = {}
    statuses: dict[str, int] = {}
    total = drawn = 0
    for trade, status, is_drawn, n in rows:
        total += int(n)
        shown = int(n) if is_drawn else 0  # the legend counts drawn points
        drawn += shown
        trades[trade] = trades.get(trade, 0) + shown
        if status:
            statuses[status] = statuses.get(status, 0) + shown
    return {"total": total, "drawn": drawn, "not_drawn": total - drawn,
            "trades": dict(sorted(trades.items(), key=lambda kv: (-kv[1], kv[0]))),
            "statuses": statuses}


def fold_sums(conn: Connection) -> None:
    """Fold the rows of establishment_tally and establishment_cell that large statements of
    this transaction added (migration 0016): writers of many rows call it before commit."""
    with conn.cursor() as cur:
        cur.execute("SELECT establishment_sums_fold()")
