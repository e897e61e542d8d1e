"""Underserved communes: need (establishments, workers, craft villages) against support (VND).

score = 100 × (k × N − S), where for each legacy commune
  N = mean of E/ΣE, L/ΣL, V/ΣV (establishments, workers, craft villages; a measure whose
      province total is 0 is left out), the commune's share of the province's rural industry;
  S = K/ΣK, its share of the khuyến công money allocated to communes for the filter
      (0 for every commune when none was allocated);
  k = PRIORITY_WEIGHT for a priority commune (commune_priority), else 1.
Communes with establishments or craft villages are ranked by score, highest first (ties:
more establishments, then code); 'no_support' marks those that received nothing at all.
"""

from __future__ import annotations

from typing import Any

from geo.analytics.filters import ProjectFilter
from geo.analytics.indicators import indicator_report
from geo.analytics.report_types import IndicatorReport, Ranking
from geo.core.db import Connection
from geo.core.errors import InvalidInput
from geo.core.vocab import Allocation, Level

PRIORITY_WEIGHT = 1.5
NEEDS = (("establishments", "E"), ("workers", "L"), ("craft_villages", "V"))
FORMULA = ("điểm = 100 × (k × N − S); N = trung bình của E/ΣE, L/ΣL, V/ΣV (chỉ các thước đo "
           "có tổng toàn tỉnh khác 0; E số cơ sở CNNT, L số lao động, V số làng nghề); "
           "S = K/ΣK (K kinh phí khuyến công phân bổ cho xã, đồng); "
           f"k = {str(PRIORITY_WEIGHT).replace('.', ',')} với xã ưu tiên, các xã khác k = 1")
ROW_KEYS = ("rank", "code", "name", "type", "district_code", "district_name", "priority",
            "priority_note", "establishments", "workers", "craft_villages", "support_vnd",
            "spread_vnd", "counterpart_vnd", "projects", "need_share", "support_share", "score",
            "no_support", "bbox")


def score_units(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rank units (with establishments/workers/craft_villages/kc_vnd/priority) by score."""
    totals = {k: sum(int(u[k]) for u in units) for k, _ in NEEDS}
    measures = [k for k, _ in NEEDS if totals[k] > 0]
    total_kc = sum(int(u["kc_vnd"]) for u in units)
    ranked = []
    for u in units:
        if not (u["establishments"] or u["craft_villages"]):
            continue
        need = sum(u[k] / totals[k] for k in measures) / len(measures) if measures else 0.0
        support = u["kc_vnd"] / total_kc if total_kc else 0.0
        k = PRIORITY_WEIGHT if u.get("priority") else 1.0
        ranked.append(dict(
            u, support_vnd=u["kc_vnd"], spread_vnd=u.get("spread_kc_vnd", 0),
            need_share=round(need, 6), support_share=round(support, 6),
            score=round(100 * (k * need - support), 4),
            no_support=u["kc_vnd"] == 0 and u["counterpart_vnd"] == 0 and u["projects"] == 0))
    ranked.sort(key=lambda r: (-r["score"], -r["establishments"], r["code"]))
    for i, r in enumerate(ranked, 1):
        r["rank"] = i
    return ranked


def gap_ranking(conn: Connection, flt: ProjectFilter | None = None,
                allocation: Allocation = Allocation.none) -> Ranking:
    """The underserved ranking of communes for a filter, with its formula and totals."""
    return ranking_of(indicator_report(conn, Level.commune, flt, allocation, geometry=False))


def ranking_json(ranking: Ranking) -> dict[str, Any]:
    """The ranking with its filter as plain lists (for JSON)."""
    return {**ranking, "filter": ranking["filter"].to_dict()}


def ranking_of(report: IndicatorReport) -> Ranking:
    """The underserved ranking of a commune-level indicator report."""
    if report["level"] != "commune":
        raise InvalidInput("Xếp hạng xã thiếu hỗ trợ chỉ tính ở cấp xã")
    allocation = report["allocation"]
    ranked = score_units(report["units"])
    rows = [{k: r.get(k) for k in ROW_KEYS} for r in ranked]
    return {
        "formula": FORMULA,
        "priority_weight": PRIORITY_WEIGHT,
        "allocation": allocation,
        "filter": report["filter"],
        "communes": rows,
        "ranked": len(rows),
        "no_support": sum(1 for r in rows if r["no_support"]),
        "priority_communes": sum(1 for u in report["units"] if u["priority"]),
        "totals": report["totals"],
        "has_demo": report["has_demo"],
    }
