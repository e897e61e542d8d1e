"""The figures of the briefing PDF: key totals, the coverage map and the most underserved."""

from __future__ import annotations

from dataclasses import replace
from typing import TypedDict

from geo.analytics.filters import ProjectFilter
from geo.analytics.gaps import FORMULA, ranking_of
from geo.analytics.indicators import indicator_report
from geo.analytics.report_types import GapRow, IndicatorReport, Ranking
from geo.core.db import Connection
from geo.core.vocab import Allocation, Edition, Level, MapView
from geo.gazetteer.places import check_district, district_choices
from geo.publish.map_views import ViewData, ViewQuery, view_data

TOP = 10


class Figures(TypedDict):
    """The key figures of the province or of one district."""

    projects: int
    kc_vnd: int
    counterpart_vnd: int
    allocated_vnd: int
    unallocated_vnd: int
    establishments: int
    workers: int
    craft_villages: int
    communes: int
    communes_supported: int
    communes_with_need: int
    communes_no_support: int


class Briefing(TypedDict):
    """Everything the briefing PDF shows."""

    map: ViewData
    figures: Figures
    top: list[GapRow]
    formula: str
    district: str | None
    district_name: str | None
    filter: ProjectFilter
    allocation: Allocation
    data_date: str | None
    has_demo: bool
    has_approximate: bool


def _province_figures(report: IndicatorReport, ranking: Ranking) -> Figures:
    t = report["totals"]
    return {"projects": t["projects"], "kc_vnd": t["kc_vnd"],
            "counterpart_vnd": t["counterpart_vnd"], "allocated_vnd": t["allocated_kc_vnd"],
            "unallocated_vnd": t["unallocated_kc_vnd"], "establishments": t["establishments"],
            "workers": t["workers"], "craft_villages": t["craft_villages"],
            "communes": len(report["units"]),
            "communes_supported": sum(1 for u in report["units"] if u["kc_vnd"] > 0),
            "communes_with_need": ranking["ranked"], "communes_no_support": ranking["no_support"]}


def _district_figures(conn: Connection, report: IndicatorReport, ranking: Ranking,
                      district: str) -> Figures:
    """The same figures for one legacy district (its projects at any precision within it)."""
    dreport = indicator_report(conn, Level.district, report["filter"], report["allocation"],
                               geometry=False)
    d = next(u for u in dreport["units"] if u["code"] == district)
    communes = [u for u in report["units"] if u["district_code"] == district]
    rows = [r for r in ranking["communes"] if r["district_code"] == district]
    allocated = sum(u["kc_vnd"] for u in communes)
    return {"projects": d["projects"], "kc_vnd": d["kc_vnd"],
            "counterpart_vnd": d["counterpart_vnd"], "allocated_vnd": allocated,
            "unallocated_vnd": d["kc_vnd"] - allocated, "establishments": d["establishments"],
            "workers": d["workers"], "craft_villages": d["craft_villages"],
            "communes": len(communes),
            "communes_supported": sum(1 for u in communes if u["kc_vnd"] > 0),
            "communes_with_need": len(rows),
            "communes_no_support": sum(1 for r in rows if r["no_support"])}


def briefing_data(conn: Connection, params: ViewQuery) -> Briefing:
    """Everything the briefing shows, for ?district=&years= (and source/activity/allocation)."""
    district = check_district(conn, params.district)
    coverage = view_data(conn, MapView.coverage,
                         replace(params, level=Level.commune, edition=Edition.legacy,
                                 district=None, trade=None))
    report = indicator_report(conn, Level.commune, coverage["filter"], coverage["allocation"],
                              geometry=False)
    ranking = ranking_of(report)
    if district:
        figures = _district_figures(conn, report, ranking, district)
        coverage["features"] = [f for f in coverage["features"]
                                if f["properties"]["district_code"] == district]
        coverage["outlines"] = [o for o in coverage["outlines"] if o["code"] == district]
        top = [r for r in ranking["communes"] if r["district_code"] == district][:TOP]
    else:
        figures = _province_figures(report, ranking)
        top = ranking["communes"][:TOP]
    coverage["district"] = district
    return {"map": coverage, "figures": figures, "top": top, "formula": FORMULA,
            "district": district, "district_name": dict(district_choices(conn)).get(
                district or "") if district else None,
            "filter": coverage["filter"], "allocation": coverage["allocation"],
            "data_date": coverage["data_date"], "has_demo": coverage["has_demo"],
            "has_approximate": coverage["has_approximate"]}
