"""Figures of the periodic (annual) report: results of the year against the plan and the
programme's targets, by district and by activity, with the year's coverage map."""

from __future__ import annotations

from typing import Any

from geo.analytics.filters import activity_types
from geo.core.db import Connection, dict_cursor
from geo.core.errors import InvalidInput
from geo.core.vocab import MapView
from geo.cycle.collaborators import communes_without_collaborator
from geo.cycle.products import list_products
from geo.cycle.progress import progress_report
from geo.publish.map_views import ViewQuery, view_data

PROGRAMME = (2021, 2025)

# The annual plan (kc_plan, kc_plan_line, migration 0008): totals per source, district,
# activity.
_PLAN = """
SELECT p.status, p.ceiling_kcqg_vnd, p.ceiling_kcdp_vnd,
       (SELECT COALESCE(json_object_agg(k, v), '{}'::json) FROM (
           SELECT funding_source AS k, sum(kc_vnd)::bigint AS v FROM kc_plan_line
           WHERE year = p.year GROUP BY funding_source) s) AS by_source,
       (SELECT COALESCE(json_object_agg(k, v), '{}'::json) FROM (
           SELECT district_code AS k, sum(kc_vnd)::bigint AS v FROM kc_plan_line
           WHERE year = p.year GROUP BY district_code) s) AS by_district,
       (SELECT COALESCE(json_object_agg(k, v), '{}'::json) FROM (
           SELECT activity_type AS k, sum(kc_vnd)::bigint AS v FROM kc_plan_line
           WHERE year = p.year GROUP BY activity_type) s) AS by_activity,
       (SELECT count(*) FROM kc_plan_line WHERE year = p.year) AS lines
FROM kc_plan p WHERE p.year = %s
"""


def plan_of(conn: Connection, year: int) -> dict[str, Any] | None:
    """The year's annual plan totals, or None when the year has no plan."""
    with dict_cursor(conn) as cur:
        cur.execute(_PLAN, (year,))
        plan = cur.fetchone()
    if plan is None:
        return None
    out = dict(plan)
    out["total_vnd"] = sum(int(v) for v in out["by_source"].values())
    return out


def _year_target(t: dict[str, Any], year: int) -> dict[str, Any]:
    """A target with the year's figure and the cumulative figure up to the year."""
    cumulative = sum(v for y, v in t["by_year"].items() if int(y) <= year)
    return dict(t, year_achieved=t["by_year"].get(str(year), 0), cumulative=cumulative,
                cumulative_percent=None if t["target"] <= 0
                else round(100.0 * cumulative / t["target"], 1))


def annual_data(conn: Connection, year: int) -> dict[str, Any]:
    """Everything the annual report shows for YEAR."""
    if not 2000 <= year <= 2100:
        raise InvalidInput("năm báo cáo không hợp lệ")
    this_year = progress_report(conn, str(year))
    programme = progress_report(conn, f"{min(PROGRAMME[0], year)}-{max(PROGRAMME[1], year)}")
    targets = [_year_target(t, year) for t in programme["targets"]
               if t["period_start"] <= year <= t["period_end"]]
    coverage = view_data(conn, MapView.coverage, ViewQuery(years=str(year)))
    products = list_products(conn, year=year)
    names = activity_types(conn)
    plan = plan_of(conn, year)
    by_activity = [{"code": code, "name": names.get(code, code),
                    "plan_vnd": (plan or {}).get("by_activity", {}).get(code), **sums}
                   for code, sums in this_year["by_activity"].items()]
    by_district = [dict(row, plan_vnd=(plan or {}).get("by_district", {}).get(row["code"]))
                   for row in this_year["by_district"]]
    return {
        "year": year, "totals": this_year["totals"], "settled_vnd": this_year["settled_vnd"],
        "targets": targets, "formula": this_year["formula"], "by_activity": by_activity,
        "by_district": by_district, "plan": plan, "map": coverage,
        "products": {"total": len(products),
                     "ocop": sum(1 for p in products if p["kind"] == "ocop"),
                     "cnnt": sum(1 for p in products if p["kind"] == "cnnt")},
        "communes_without_collaborator": len(communes_without_collaborator(conn)),
        "has_demo": bool(coverage.get("has_demo")) or any(t["is_demo"] for t in targets),
        "has_demo_targets": any(t["is_demo"] for t in targets),
        "data_date": coverage.get("data_date"),
    }
