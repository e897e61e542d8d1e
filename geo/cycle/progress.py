"""Progress: what projects achieved against the programme's targets, per year, period, district.

Achieved figures are sums over the same projects `/api/projects` lists for the same filter
(years = the period; default statuses approved, in progress, completed): the count of projects,
their khuyến công budget (kc_vnd), the disbursed amounts recorded, and their recorded outputs.
A project belongs to the district of its first location (lowest id); a project located only at
province level, or not at all, counts for the province only.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from geo.analytics.filters import ProjectFilter, parse_filter
from geo.core.db import Connection, dict_cursor
from geo.cycle.targets import INDICATORS, list_targets, parse_period
from geo.gazetteer.places import check_district, district_choices

FORMULA = ("Tỷ lệ hoàn thành = Thực hiện ÷ Mục tiêu × 100%. Thực hiện là tổng trên các đề án "
           "khuyến công của giai đoạn (trạng thái đã phê duyệt, đang thực hiện, hoàn thành) và "
           "đúng loại hoạt động của chỉ tiêu: số đề án; kinh phí khuyến công; kinh phí đã giải "
           "ngân; các kết quả đã ghi nhận (mô hình, người được đào tạo, máy móc, sản phẩm, hội "
           "chợ, cơ sở được hỗ trợ). Đề án tính cho huyện của địa điểm đầu tiên của đề án; đề án "
           "chỉ xác định đến cấp tỉnh chỉ tính cho toàn tỉnh.")

_PROJECTS = """
SELECT p.id, p.year, p.activity_type, p.kc_vnd, COALESCE(f.disbursed_vnd, 0) AS disbursed_vnd,
       COALESCE(f.settled_vnd, 0) AS settled_vnd, first_.d_code AS district_code,
       COALESCE((SELECT json_object_agg(o.indicator, o.quantity) FROM project_output o
                 WHERE o.project_id = p.id), '{}'::json) AS outputs
FROM project p
LEFT JOIN project_finance f ON f.project_id = p.id
LEFT JOIN LATERAL (
    SELECT district_code AS d_code FROM record_place
    WHERE project_id = p.id ORDER BY location_id LIMIT 1) first_ ON true
WHERE p.archived_at IS NULL  -- archived by an import (0013): counts nowhere
  AND p.year = ANY(%(f_years)s::int[]) AND p.status = ANY(%(f_statuses)s::text[])
  AND (cardinality(%(f_sources)s::text[]) = 0 OR p.funding_source = ANY(%(f_sources)s::text[]))
  AND (cardinality(%(f_activities)s::text[]) = 0
       OR p.activity_type = ANY(%(f_activities)s::text[]))
ORDER BY p.id
"""


def project_values(conn: Connection, flt: ProjectFilter) -> list[dict[str, Any]]:
    """One row per filtered project with every indicator's value."""
    with dict_cursor(conn) as cur:
        cur.execute(_PROJECTS, flt.params())
        rows = [dict(r) for r in cur.fetchall()]
    out = []
    for r in rows:
        values = {k: 0 for k in INDICATORS}
        values.update(projects=1, budget_vnd=int(r["kc_vnd"]),
                      disbursed_vnd=int(r["disbursed_vnd"]))
        values.update({k: int(v) for k, v in r["outputs"].items()})
        out.append({"id": r["id"], "year": r["year"], "activity_type": r["activity_type"],
                    "district_code": r["district_code"], "settled_vnd": int(r["settled_vnd"]),
                    "values": values})
    return out


def _sum(rows: list[dict[str, Any]]) -> dict[str, int]:
    total = {k: 0 for k in INDICATORS}
    for r in rows:
        for k, v in r["values"].items():
            total[k] += v
    return total


def _percent(achieved: int, target: int) -> float | None:
    return None if target <= 0 else round(100.0 * achieved / target, 1)


def progress_report(conn: Connection, period: str | None = None, district: str | None = None,
                    source: str | None = None, status: str | None = None) -> dict[str, Any]:
    """Targets with achieved figures, and achieved totals by year, activity and district."""
    ps, pe = parse_period(period or "2021-2025")
    district = check_district(conn, district)
    flt = parse_filter(conn, f"{ps}-{pe}", source, None, status)
    rows = project_values(conn, flt)
    scope = [r for r in rows if district is None or r["district_code"] == district]
    names = dict(district_choices(conn))
    targets = []
    for t in list_targets(conn, (ps, pe), district):
        hit = [r for r in rows if t["period_start"] <= r["year"] <= t["period_end"]
               and (t["activity_type"] is None or r["activity_type"] == t["activity_type"])
               and (t["district_code"] is None or r["district_code"] == t["district_code"])]
        by_year: dict[int, int] = defaultdict(int)
        for r in hit:
            by_year[r["year"]] += r["values"][t["indicator"]]
        achieved = sum(by_year.values())
        targets.append(dict(t, achieved=achieved, percent=_percent(achieved, t["target"]),
                            by_year={str(y): by_year.get(y, 0)
                                     for y in range(t["period_start"], t["period_end"] + 1)}))
    by_activity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_year_rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    by_district: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in scope:
        by_activity[r["activity_type"]].append(r)
        by_year_rows[r["year"]].append(r)
    for r in rows:
        by_district[r["district_code"] or ""].append(r)
    return {
        "period": [ps, pe], "period_text": f"{ps}–{pe}" if pe > ps else str(ps),
        "district": district, "district_name": names.get(district) if district else None,
        "filter": flt.to_dict(), "formula": FORMULA, "targets": targets,
        "indicators": {k: {"name": n, "unit": u} for k, (n, u) in INDICATORS.items()},
        "totals": _sum(scope),
        "settled_vnd": sum(r["settled_vnd"] for r in scope),
        "by_year": {str(y): _sum(by_year_rows.get(y, [])) for y in range(ps, pe + 1)},
        "by_activity": {a: _sum(v) for a, v in sorted(by_activity.items())},
        "by_district": [{"code": code, "name": names.get(code, "Cấp tỉnh / chưa xác định huyện"),
                         **_sum(by_district.get(code, []))}
                        for code in [*names, ""] if code in by_district or code in names],
        "has_demo_targets": any(t["is_demo"] for t in targets),
    }
