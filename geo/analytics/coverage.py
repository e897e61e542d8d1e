"""Coverage per legacy unit (geo.analytics.indicators) as the coverage map and /api/coverage use it.

coverage_by_unit / coverage_report keep the shape of the first coverage map (year range,
statuses, allocation 'none'); coverage_geojson is the /api/coverage FeatureCollection.
"""

from __future__ import annotations

from typing import Any

from geo.analytics.filters import ALL_STATUSES, DEFAULT_STATUSES, DEFAULT_YEARS, ProjectFilter
from geo.analytics.indicators import DERIVED, LEVELS, SIMPLIFY, indicator_report
from geo.analytics.report_types import IndicatorReport, UnallocatedRow
from geo.core.db import Connection
from geo.core.errors import InvalidInput
from geo.core.vocab import Allocation, Level

__all__ = ["LEVELS", "SIMPLIFY", "DEFAULT_YEARS", "DEFAULT_STATUSES", "ALL_STATUSES",
           "coverage_by_unit", "coverage_report", "coverage_geojson", "UNIT_PROPERTIES"]

# Properties of a /api/coverage feature, in order (support_vnd is the khuyến công money);
# a DERIVED indicator not listed here comes last but one.
_LISTED = (
    "code", "name", "type", "district_code", "district_name", "priority",
    "support_vnd", "direct_vnd", "spread_vnd", "counterpart_vnd", "projects",
    "spread_projects", "beneficiaries", "establishments", "workers", "craft_villages",
    "beneficiary_establishments", "beneficiary_share", "vnd_per_establishment",
    "vnd_per_worker",
)
UNIT_PROPERTIES = (*_LISTED, *(str(k) for k in DERIVED if k not in _LISTED), "boundary_quality")


def _legacy_filter(years: tuple[int, int], statuses: tuple[str, ...]) -> ProjectFilter:
    """The filter of a year range and statuses, checked."""
    if years[0] > years[1]:
        raise InvalidInput(f"Khoảng năm {years[0]}–{years[1]} bị ngược (năm đầu lớn hơn năm cuối)")
    unknown = [s for s in statuses if s not in ALL_STATUSES]
    if unknown or not statuses:
        raise InvalidInput(f"Trạng thái phải là một trong: {', '.join(ALL_STATUSES)}")
    return ProjectFilter(years=tuple(range(years[0], years[1] + 1)), statuses=tuple(statuses))


def coverage_by_unit(conn: Connection, level: Level, years: tuple[int, int] = DEFAULT_YEARS,
                     statuses: tuple[str, ...] = DEFAULT_STATUSES) -> list[dict[str, Any]]:
    """Per legacy unit: kc_vnd, counterpart_vnd, projects, establishments, geometry."""
    return list(coverage_report(conn, level, years, statuses)["units"])


def coverage_report(conn: Connection, level: Level, years: tuple[int, int] = DEFAULT_YEARS,
                    statuses: tuple[str, ...] = DEFAULT_STATUSES) -> IndicatorReport:
    """Units with sums and geometry, plus what was not allocated, totals and data caveats."""
    report = indicator_report(conn, level, _legacy_filter(years, statuses))
    report["unallocated"] = [UnallocatedRow(
        district_code=r["district_code"], district_name=r["district_name"],
        district_has_communes=r["district_has_communes"], kc_vnd=r["kc_vnd"],
        counterpart_vnd=r["counterpart_vnd"], projects=r["projects"],
        establishments=r["establishments"]) for r in report["unallocated"]]
    return report


def unit_properties(unit: dict[str, Any]) -> dict[str, Any]:
    """The /api/coverage properties of one unit."""
    values = dict(unit, support_vnd=unit["kc_vnd"], direct_vnd=unit["direct_kc_vnd"],
                  spread_vnd=unit["spread_kc_vnd"])
    return {k: values.get(k) for k in UNIT_PROPERTIES}


def summary(report: IndicatorReport) -> dict[str, Any]:
    """Reconciliation of an indicator report: total = allocated + unallocated, in đồng."""
    t, flt = report["totals"], report["filter"]
    return {
        "level": report["level"],
        "allocation": report["allocation"],
        "years": list(flt.years), "sources": list(flt.sources),
        "activities": list(flt.activities), "statuses": list(flt.statuses),
        "total_vnd": t["kc_vnd"],
        "allocated_vnd": t["allocated_kc_vnd"],
        "unallocated_vnd": t["unallocated_kc_vnd"],
        "spread_vnd": t["spread_kc_vnd"],
        "total_counterpart_vnd": t["counterpart_vnd"],
        "allocated_counterpart_vnd": t["allocated_counterpart_vnd"],
        "unallocated_counterpart_vnd": t["unallocated_counterpart_vnd"],
        "projects": t["projects"], "split_projects": t["split_projects"],
        "spread_projects": t["spread_projects"],
        "establishments": t["establishments"], "workers": t["workers"],
        "craft_villages": t["craft_villages"],
        "unallocated_establishments": t["unallocated_establishments"],
        "unallocated": report["unallocated"],
        "has_demo": report["has_demo"], "has_approximate": report["has_approximate"],
    }


def coverage_geojson(conn: Connection, level: Level, flt: ProjectFilter | None = None,
                     allocation: Allocation = Allocation.none) -> dict[str, Any]:
    """FeatureCollection of units with indicators and a top-level reconciliation summary."""
    report = indicator_report(conn, level, flt, allocation)
    return {
        "type": "FeatureCollection",
        "summary": summary(report),
        "features": [{"type": "Feature", "id": u["code"], "geometry": u["geometry"],
                      "properties": unit_properties(u)} for u in report["units"]],
    }
