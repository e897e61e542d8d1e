"""What-if on the gap ranking: communes ranked as if a year's draft plan were funded.

The plan's lines not yet counted by the filter (no project yet, or a project outside the
filter's years or statuses) add their khuyến công and counterpart money to their commune's
support, and one project each; lines placed in a district only are not put in a commune (the
precision rule of geo.analytics.indicators) and are reported apart. The same score formula
then ranks the communes again. Of today's top-N underserved communes (positive score), the
plan 'reaches' those where it has at least one line, and 'misses' the others.
"""

from __future__ import annotations

from typing import Any

from geo.analytics.gaps import ranking_of
from geo.analytics.report_types import IndicatorReport, Ranking
from geo.core.db import Connection, dict_cursor
from geo.core.errors import InvalidInput
from geo.core.vocab import Edition, Level
from geo.cycle.needs import unmet_by_commune
from geo.cycle.plans import plan_row

DEFAULT_TOP = 10


class PlanRanking(Ranking):
    """The ranking as if the plan were funded, with what the plan reaches and misses."""

    plan: dict[str, Any]

_LINES = """
SELECT l.id, l.commune_code, l.district_code, l.kc_vnd, l.counterpart_vnd
FROM kc_plan_line l LEFT JOIN project p ON p.id = l.project_id
WHERE l.year = %(year)s
  AND (p.id IS NULL OR NOT (p.year = ANY(%(f_years)s::int[])
                            AND p.status = ANY(%(f_statuses)s::text[])))
"""


def check_plan_scope(level: Level, edition: Edition) -> None:
    """The what-if is per legacy commune: plan lines name a commune before 1/7/2025."""
    if level != Level.commune or edition != Edition.legacy:
        raise InvalidInput("Xếp hạng giả định theo kế hoạch năm (plan) chỉ tính cho cấp xã, "
                           "đơn vị hành chính trước 1/7/2025: các dòng kế hoạch ghi theo xã "
                           "cũ. Hãy chọn cấp xã, địa giới trước 1/7/2025, hoặc bỏ tham số "
                           "plan.")


def plan_money(conn: Connection, year: int, report: IndicatorReport) -> list[dict[str, Any]]:
    """The plan's lines whose money the report does not count yet."""
    plan_row(conn, year)
    with dict_cursor(conn) as cur:
        cur.execute(_LINES, {"year": year, **report["filter"].params()})
        return [dict(r) for r in cur.fetchall()]


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in ("rank", "code", "name", "district_name", "score",
                                    "support_vnd", "plan_vnd", "rank_before", "score_before")}


def plan_ranking(conn: Connection, report: IndicatorReport, year: int,
                 top: int = DEFAULT_TOP) -> PlanRanking:
    """The ranking of a commune report with the plan's money added, and reached/missed."""
    check_plan_scope(report["level"], report.get("edition", Edition.legacy))
    before = ranking_of(report)
    lines = plan_money(conn, year, report)
    units = [dict(u) for u in report["units"]]
    by_code = {u["code"]: u for u in units}
    plan_vnd: dict[str, int] = {}
    not_placed = 0
    for line in lines:
        unit = by_code.get(line["commune_code"] or "")
        if unit is None:
            not_placed += int(line["kc_vnd"])
            continue
        unit["kc_vnd"] += int(line["kc_vnd"])
        unit["counterpart_vnd"] += int(line["counterpart_vnd"])
        unit["projects"] += 1
        plan_vnd[unit["code"]] = plan_vnd.get(unit["code"], 0) + int(line["kc_vnd"])
    funded = report.copy()
    funded["units"] = units
    after = ranking_of(funded)
    old = {r["code"]: r for r in before["communes"]}
    unmet = {r["code"]: int(r["unmet_requested_vnd"]) for r in unmet_by_commune(conn, year)
             if r["code"]}
    for r in after["communes"]:
        prev = old.get(r["code"], {})
        r.update(rank_before=prev.get("rank"), score_before=prev.get("score"),
                 support_before_vnd=prev.get("support_vnd"),
                 plan_vnd=plan_vnd.get(r["code"], 0), reached=r["code"] in plan_vnd,
                 unmet_requested_vnd=unmet.get(r["code"], 0))
    rows = {r["code"]: r for r in after["communes"]}
    today_top = [r for r in before["communes"] if r["score"] > 0][:top]
    reached = [_brief(rows[r["code"]]) for r in today_top if r["code"] in plan_vnd]
    missed = [_brief(rows[r["code"]]) for r in today_top if r["code"] not in plan_vnd]
    return PlanRanking(**after, plan={
        "year": year, "lines_counted": len(lines),
        "plan_kc_vnd": sum(int(x["kc_vnd"]) for x in lines),
        "placed_kc_vnd": sum(plan_vnd.values()), "not_placed_kc_vnd": not_placed,
        "communes_reached": len(plan_vnd), "top_n": top,
        "reached": reached, "missed": missed,
        "note": ("Xếp hạng như thể kế hoạch được cấp vốn: kinh phí các dòng kế hoạch được "
                 "cộng vào hỗ trợ của xã; dòng chỉ ghi cấp huyện không tính cho xã nào."),
    })
