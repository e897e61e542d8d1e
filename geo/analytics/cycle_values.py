"""The khuyến công year's indicators per legacy commune or district (added to every unit of
geo.analytics.indicators.indicator_report):

- recognised_products: OCOP and outstanding rural industrial products (CNNT tiêu biểu) of the
  establishments located in the unit (first location; communes take exact/commune
  precision, districts also district precision, as establishments are counted);
- communes_without_collaborator: 1 for a commune with no active khuyến công collaborator, and
  for a district the number of its communes without one;
- unmet_requested_vnd: the khuyến công money requested by needs neither funded nor declined
  (registered, shortlisted, in a plan), by the commune / district recorded with the need.
Like establishments, these are today's stock: the project filter (years, sources…) does not
apply to them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from geo.core.db import Connection
from geo.core.vocab import IndicatorKey, Level

CYCLE_KEYS = (IndicatorKey.recognised_products, IndicatorKey.communes_without_collaborator,
              IndicatorKey.unmet_requested_vnd)

_PRODUCTS = """
SELECT CASE WHEN x.precision IN ('exact', 'commune') THEN x.commune_code END,
       CASE WHEN x.precision IN ('exact', 'commune', 'district') THEN x.district_code END,
       count(*)
FROM recognised_product r
LEFT JOIN LATERAL (SELECT precision, commune_code, district_code FROM record_place
                   WHERE establishment_id = r.establishment_id
                   ORDER BY location_id LIMIT 1) x ON true
GROUP BY 1, 2
"""
_UNMET = """
SELECT commune_code, district_code, sum(requested_vnd)::bigint FROM support_need
WHERE status IN ('registered', 'shortlisted', 'in_plan')
GROUP BY 1, 2
"""
_MISSING = """
SELECT c.code, c.parent_code FROM admin_unit c
WHERE c.edition = 'legacy' AND c.level = 'commune'
  AND NOT EXISTS (SELECT 1 FROM collaborator k WHERE k.commune_code = c.code AND k.is_active)
"""


def _by_unit(conn: Connection, sql: str, level: Level) -> Counter[str]:
    """Sums of the query's third column per commune (first column) or district (second)."""
    out: Counter[str] = Counter()
    with conn.cursor() as cur:
        cur.execute(sql)
        for commune, district, value in cur.fetchall():
            code = commune if level == Level.commune else district
            if code is not None:
                out[str(code)] += int(value)
    return out


def add_cycle_values(conn: Connection, units: list[dict[str, Any]], level: Level) -> None:
    """Set the CYCLE_KEYS values on every unit of the level (in place)."""
    products = _by_unit(conn, _PRODUCTS, level)
    unmet = _by_unit(conn, _UNMET, level)
    missing: Counter[str] = Counter()
    with conn.cursor() as cur:
        cur.execute(_MISSING)
        for commune, district in cur.fetchall():
            missing[str(commune if level == Level.commune else district)] += 1
    for u in units:
        code = u["code"]
        u[IndicatorKey.recognised_products.value] = products[code]
        u[IndicatorKey.communes_without_collaborator.value] = missing[code]
        u[IndicatorKey.unmet_requested_vnd.value] = unmet[code]
