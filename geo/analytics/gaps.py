"""Underserved units: need (establishments, workers, craft villages) against support (VND).

score = 100 × (k × N − S), where for each unit (legacy commune or district, or 2025 commune)
  N = mean of E/ΣE, L/ΣL, V/ΣV (establishments, workers, craft villages; a measure whose
      province total is 0 is left out), the commune's share of the province's rural industry;
  S = K/ΣK, its share of the khuyến công money allocated to communes for the filter
      (0 for every commune when none was allocated);
  k = PRIORITY_WEIGHT for a priority commune (commune_priority), else 1.
Units with establishments or craft villages are ranked by score, highest first (ties:
more establishments, then code); 'no_support' marks those that received nothing at all.

The values are those of the coverage indicators for the same level and edition: a district
counts what its communes count plus what is known only to the district (district-precision
projects, establishments and villages); no district is a priority unit (k = 1). A 2025
commune carries its former communes' values (geo.analytics.edition2025) and is a priority
unit when one of them was; 2025 communes without data (former Kon Tum) are not ranked.
"""

from __future__ import annotations

from typing import Any

from geo.analytics.filters import ProjectFilter
from geo.analytics.indicators import indicator_report
from geo.analytics.report_types import IndicatorReport, Ranking
from geo.core.db import Connection
from geo.core.vocab import Allocation, Edition, Level, check_edition_level

PRIORITY_WEIGHT = 1.5
NEEDS = (("establishments", "E"), ("workers", "L"), ("craft_villages", "V"))
FORMULA = ("điểm = 100 × (k × N − S); N = trung bình của E/ΣE, L/ΣL, V/ΣV (chỉ các thước đo "
           "có tổng toàn tỉnh khác 0; E số cơ sở CNNT, L số lao động, V số làng nghề); "
           "S = K/ΣK (K kinh phí khuyến công phân bổ cho xã, đồng); "
           f"k = {str(PRIORITY_WEIGHT).replace('.', ',')} với xã ưu tiên, các xã khác k = 1")
FORMULA_DISTRICT = FORMULA.replace("phân bổ cho xã", "của huyện, kể cả đề án chỉ xác định đến "
                                   "cấp huyện").replace(
    f"k = {str(PRIORITY_WEIGHT).replace('.', ',')} với xã ưu tiên, các xã khác k = 1",
    "k = 1 (cấp huyện không có danh sách ưu tiên)")
FORMULA_2025 = FORMULA.replace("phân bổ cho xã", "chuyển từ các xã cũ sang xã mới (từ 1/7/2025)"
                               ).replace("với xã ưu tiên", "với xã mới gồm xã cũ ưu tiên")
ROW_KEYS = ("rank", "code", "name", "type", "district_code", "district_name", "priority",
            "priority_note", "establishments", "workers", "craft_villages", "support_vnd",
            "spread_vnd", "counterpart_vnd", "projects", "need_share", "support_share", "score",
            "no_support", "bbox", "former")


def formula_of(level: Level = Level.commune, edition: Edition = Edition.legacy) -> str:
    """The score formula in words, for the units of LEVEL in EDITION."""
    if edition == Edition.e2025:
        return FORMULA_2025
    return FORMULA_DISTRICT if level == Level.district else FORMULA


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


def gap_report(conn: Connection, flt: ProjectFilter | None = None,
               allocation: Allocation = Allocation.none, level: Level = Level.commune,
               edition: Edition = Edition.legacy, geometry: bool = True) -> IndicatorReport:
    """The indicator report the ranking scores: legacy communes or districts, or the 2025
    communes (the coverage page's own report); InvalidInput for districts in 2025."""
    check_edition_level(edition, level)
    if edition == Edition.e2025:
        from geo.analytics.edition2025 import report_2025

        return report_2025(conn, flt, allocation, geometry)
    return indicator_report(conn, level, flt, allocation, geometry)


def gap_ranking(conn: Connection, flt: ProjectFilter | None = None,
                allocation: Allocation = Allocation.none, level: Level = Level.commune,
                edition: Edition = Edition.legacy) -> Ranking:
    """The underserved ranking of the units of LEVEL in EDITION for a filter, with its formula
    and totals."""
    return ranking_of(gap_report(conn, flt, allocation, level, edition, geometry=False))


def ranking_json(ranking: Ranking) -> dict[str, Any]:
    """The ranking with its filter as plain lists (for JSON)."""
    return {**ranking, "filter": ranking["filter"].to_dict()}


def _former(unit: dict[str, Any]) -> str | None:
    """The units before 1/7/2025 a 2025 commune was formed from (None for a legacy unit)."""
    sources = unit.get("legacy_sources")
    if not sources:
        return None
    return ", ".join(dict.fromkeys(str(s["legacy_name"]) for s in sources))


def ranking_of(report: IndicatorReport) -> Ranking:
    """The underserved ranking of an indicator report (legacy communes or districts, or 2025
    communes: those without data are left out). The rows are under "communes" whatever the
    level (the key the API has always had); "level" and "edition" say which units they are."""
    allocation = report["allocation"]
    level = report["level"]
    edition = report.get("edition", Edition.legacy)
    units = [dict(u, former=_former(u)) for u in report["units"]
             if u.get("data_status", "ok") == "ok"]
    ranked = score_units(units)
    rows = [{k: r.get(k) for k in ROW_KEYS} for r in ranked]
    return {
        "formula": formula_of(level, edition),
        "priority_weight": PRIORITY_WEIGHT,
        "allocation": allocation,
        "level": level,
        "edition": edition,
        "filter": report["filter"],
        "communes": rows,
        "ranked": len(rows),
        "no_support": sum(1 for r in rows if r["no_support"]),
        "priority_communes": sum(1 for u in report["units"] if u["priority"]),
        "totals": report["totals"],
        "has_demo": report["has_demo"],
    }
