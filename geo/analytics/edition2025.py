"""Indicators on the 2025 communes: legacy-commune values carried over through the crosswalk.

Rules:
- every indicator is first computed per legacy commune (geo.analytics.indicators, same filter and
  allocation mode), then carried to the 2025 communes through `unit_crosswalk`;
- a legacy commune taken whole into one 2025 commune goes there whole ('whole');
- a legacy commune split across several 2025 communes is shared out in whole đồng (largest
  remainder): by the area of its intersection with each (ST_Area in EPSG:3406) when both
  editions have polygons there ('area'), else by the crosswalk's share ('crosswalk');
  establishments and craft villages with an exact point go to the 2025 commune whose
  polygon contains it ('points'), the rest by the same weights;
- money a legacy district holds back (district-precision projects) moves to a 2025 commune
  only when the whole district lies in that one commune (Lý Sơn: 'district_whole');
  everything else stays "not allocated to a commune", so Σ units + unallocated = total;
- 2025 communes that no legacy commune of Quảng Ngãi maps to (the former Kon Tum
  communes) are listed with null values and data_status 'no_data'.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from geo.analytics.allocation import split
from geo.analytics.cycle_values import CYCLE_KEYS
from geo.analytics.edition2025_data import (
    Weights,
    crosswalk_targets,
    point_counts,
    project_sets,
    split_weights,
    units_2025,
)
from geo.analytics.filters import ProjectFilter
from geo.analytics.indicators import DERIVED, derived_values, indicator_report
from geo.analytics.report_types import IndicatorReport, UnallocatedRow
from geo.core.db import Connection
from geo.core.vocab import Allocation, Edition, Level

EDITION = "2025"
SUMMED = ("establishments", "workers", "workers_unknown", "beneficiary_establishments",
          "craft_villages", *(str(k) for k in CYCLE_KEYS))
NO_DATA_VALUES = ("kc_vnd", "counterpart_vnd", "direct_kc_vnd", "spread_kc_vnd", "projects",
                  "spread_projects", "beneficiaries", *SUMMED, *(str(k) for k in DERIVED))
METHOD_WORDS = {
    "whole": "nguyên xã cũ (không chia)",
    "area": "chia theo diện tích phần giao của ranh giới cũ và mới",
    "crosswalk": "chia theo tỷ lệ của bảng chuyển đổi (không có ranh giới để tính diện tích)",
    "points": "cơ sở và làng nghề có tọa độ: theo vị trí điểm; phần còn lại theo tỷ lệ trên",
    "district_whole": "đề án cấp huyện của huyện cũ nằm trọn trong một xã mới",
    "no_data": "chưa có dữ liệu (không có xã cũ của Quảng Ngãi tương ứng)",
}

def _share(amount: int, weights: list[tuple[str, int]]) -> dict[str, int]:
    """split() that gives nothing to anyone when there is nothing to share."""
    if amount == 0:
        return {k: 0 for k, _ in weights}
    return split(amount, weights)


def _empty() -> dict[str, Any]:
    return {"kc": 0, "cp": 0, "direct_kc": 0, "spread_kc": 0,
            "projects": set(), "spread_projects": set(), "beneficiaries": set(),
            "sources": [], "methods": set(), "priority_notes": [], "priority": False,
            **{k: 0 for k in SUMMED}}


def _carry(acc: dict[str, dict[str, Any]], unit: dict[str, Any], weights: list[tuple[str, int]],
           method: str, points: dict[str, dict[str, int]],
           sets: tuple[set[int], set[str], set[int]]) -> None:
    """Share one legacy commune's values out over its 2025 targets (in place)."""
    projects, bens, spread_projects = sets
    money = {k: _share(int(unit[k]), weights)
             for k in ("direct_kc_vnd", "spread_kc_vnd", "counterpart_vnd")}
    counts: dict[str, dict[str, int]] = {}
    for key in SUMMED:
        placed = {t: points.get(t, {}).get(key, 0) for t, _ in weights}
        rest = max(int(unit[key]) - sum(placed.values()), 0)
        share = _share(rest, weights)
        counts[key] = {t: placed[t] + share[t] for t, _ in weights}
    for t, w in weights:
        a = acc[t]
        a["direct_kc"] += money["direct_kc_vnd"][t]
        a["spread_kc"] += money["spread_kc_vnd"][t]
        a["kc"] += money["direct_kc_vnd"][t] + money["spread_kc_vnd"][t]
        a["cp"] += money["counterpart_vnd"][t]
        for key in SUMMED:
            a[key] += counts[key][t]
        if w > 0:
            a["projects"] |= projects
            a["beneficiaries"] |= bens
            if unit["spread_projects"]:
                a["spread_projects"] |= spread_projects
        a["methods"].add(method)
        if any(points.get(t, {}).values()):
            a["methods"].add("points")
        a["sources"].append({"legacy_code": unit["code"], "legacy_name": unit["name"],
                             "legacy_district": unit["district_name"], "method": method,
                             "weight": w})
        if unit.get("priority"):
            a["priority"] = True
            a["priority_notes"].append(unit.get("priority_note") or unit["name"])


def _values(a: dict[str, Any]) -> dict[str, Any]:
    """Indicator values of one 2025 accumulator (as geo.analytics.indicators names them)."""
    counted = {
        "kc_vnd": a["kc"], "counterpart_vnd": a["cp"], "direct_kc_vnd": a["direct_kc"],
        "spread_kc_vnd": a["spread_kc"], "projects": len(a["projects"]),
        "spread_projects": len(a["spread_projects"]), "beneficiaries": len(a["beneficiaries"]),
        **{k: a[k] for k in SUMMED},
    }
    return {**counted, **derived_values(counted)}


def _method(methods: set[str]) -> str:
    """The one word naming how a 2025 unit's values were obtained."""
    for m in ("area", "crosswalk", "district_whole"):
        if m in methods:
            return m
    return "whole"


def _single_target(district: str, targets: dict[str, list[tuple[str, float]]],
                   communes_of: dict[str, list[str]]) -> str | None:
    """The one 2025 commune holding a whole legacy district, if there is one."""
    if district in targets:
        codes = {t for t, _ in targets[district]}
    else:
        members = communes_of.get(district, [])
        if not members or any(c not in targets for c in members):
            return None
        codes = {t for c in members for t, _ in targets[c]}
    return next(iter(codes)) if len(codes) == 1 else None


def report_2025(conn: Connection, flt: ProjectFilter | None = None,
                allocation: Allocation = Allocation.none,
                geometry: bool = True) -> IndicatorReport:
    """Indicator report on the 2025 communes, shaped like analytics.indicators.indicator_report."""
    flt = flt or ProjectFilter()
    legacy = indicator_report(conn, Level.commune, flt, allocation, geometry=False)
    targets = crosswalk_targets(conn)
    communes_of: dict[str, list[str]] = defaultdict(list)
    for u in legacy["units"]:
        communes_of[u["district_code"]].append(u["code"])
    shares = split_weights(conn, targets)
    points = point_counts(conn, list(shares), flt)
    c_proj, c_ben, d_proj, d_ben = project_sets(conn, flt)
    units = units_2025(conn, geometry)
    acc = {u["code"]: _empty() for u in units}
    unallocated = [dict(r) for r in legacy["unallocated"]]
    for u in legacy["units"]:
        tgt = [(t, s) for t, s in targets.get(u["code"], []) if t in acc]
        sets = (c_proj.get(u["code"], set()), c_ben.get(u["code"], set()),
                d_proj.get(u["district_code"], set()))
        if not tgt:
            unallocated.append(_orphan(u))
            continue
        if len(tgt) == 1:
            _carry(acc, u, [(tgt[0][0], 1)], "whole", {}, sets)
            continue
        method, w, _ = shares[u["code"]]
        _carry(acc, u, [(t, x) for t, x in w if t in acc], method,
               points.get(u["code"], {}), sets)
    moved = _move_districts(acc, unallocated, targets, communes_of, d_proj, d_ben)
    return _report(legacy, units, acc, unallocated, moved, shares)


def _orphan(u: dict[str, Any]) -> dict[str, Any]:
    """An unallocated row for a legacy commune with no 2025 counterpart in the crosswalk."""
    return {"district_code": u["district_code"], "district_name": u["district_name"],
            "district_has_communes": True, "reason": "no_crosswalk",
            "kc_vnd": u["kc_vnd"], "counterpart_vnd": u["counterpart_vnd"],
            "projects": u["projects"], "establishments": u["establishments"],
            "workers": u["workers"], "craft_villages": u["craft_villages"]}


def _move_districts(acc: dict[str, dict[str, Any]], unallocated: list[dict[str, Any]],
                    targets: dict[str, list[tuple[str, float]]],
                    communes_of: dict[str, list[str]], d_proj: dict[str, set[int]],
                    d_ben: dict[str, set[str]]) -> dict[str, int]:
    """Move district pools lying whole in one 2025 commune there (in place); return totals."""
    moved = {"kc_vnd": 0, "counterpart_vnd": 0, "establishments": 0}
    keep = []
    for row in unallocated:
        code = row["district_code"]
        target = _single_target(code, targets, communes_of) if code else None
        if target is None or target not in acc or row["reason"] == "no_crosswalk":
            keep.append(row)
            continue
        a = acc[target]
        a["kc"] += row["kc_vnd"]
        a["direct_kc"] += row["kc_vnd"]
        a["cp"] += row["counterpart_vnd"]
        for key in ("establishments", "workers", "craft_villages"):
            a[key] += row.get(key, 0)
        a["projects"] |= d_proj.get(code, set())
        a["beneficiaries"] |= d_ben.get(code, set())
        a["methods"].add("district_whole")
        a["sources"].append({"legacy_code": code, "legacy_name": row["district_name"],
                             "legacy_district": row["district_name"],
                             "method": "district_whole", "weight": 1})
        for key in moved:
            moved[key] += row.get(key, 0)
    unallocated[:] = keep
    return moved


def _report(legacy: IndicatorReport, units: list[dict[str, Any]],
            acc: dict[str, dict[str, Any]], unallocated: list[dict[str, Any]],
            moved: dict[str, int], shares: Weights) -> IndicatorReport:
    """Assemble the 2025 report: units with values or 'no data', totals, methods."""
    names = {u["code"]: u["name"] for u in units}
    for u in units:
        a = acc[u["code"]]
        if not a["sources"]:
            u.update({k: None for k in NO_DATA_VALUES})
            u.update(data_status="no_data", allocation_method="no_data", legacy_sources=[],
                     priority=False, priority_note=None)
            continue
        u.update(_values(a))
        methods = a["methods"]
        u.update(data_status="ok", allocation_method=_method(methods),
                 count_method="points" if "points" in methods else _method(methods),
                 legacy_sources=a["sources"], priority=a["priority"],
                 priority_note="; ".join(a["priority_notes"]) or None)
    legacy_names = {u["code"]: u["name"] for u in legacy["units"]}
    split_rows = [{"legacy_code": code, "legacy_name": legacy_names.get(code, code),
                   "method": method, "polygons": quality,
                   "targets": [{"code": t, "name": names.get(t, t),
                                "share": round(w / sum(x for _, x in ws), 4) if any(
                                    x for _, x in ws) else None} for t, w in ws]}
                  for code, (method, ws, quality) in sorted(shares.items())]
    t = legacy["totals"].copy()
    data_units = [u for u in units if u["data_status"] == "ok"]
    t["legacy_allocated_kc_vnd"] = t["allocated_kc_vnd"]
    t["legacy_unallocated_kc_vnd"] = t["unallocated_kc_vnd"]
    t["district_whole_kc_vnd"] = moved["kc_vnd"]
    t["allocated_kc_vnd"] = sum(u["kc_vnd"] for u in data_units)
    t["allocated_counterpart_vnd"] = sum(u["counterpart_vnd"] for u in data_units)
    t["unallocated_kc_vnd"] = sum(r["kc_vnd"] for r in unallocated)
    t["unallocated_counterpart_vnd"] = sum(r["counterpart_vnd"] for r in unallocated)
    t["unallocated_establishments"] = sum(r["establishments"] for r in unallocated)
    drawn = [u for u in units if u["geometry"] is not None]
    return {
        "level": Level.commune, "edition": Edition.e2025,
        "filter": legacy["filter"], "years": legacy["years"], "statuses": legacy["statuses"],
        "allocation": legacy["allocation"],
        "units": units, "outlines": [],
        "missing": [{"code": u["code"], "name": u["name"]} for u in units
                    if u["geometry"] is None],
        "unallocated": cast(list[UnallocatedRow], unallocated),
        "totals": t,
        "split_communes": split_rows,
        "no_data_units": len(units) - len(data_units),
        "method_words": METHOD_WORDS,
        "has_demo": legacy["has_demo"],
        "has_approximate": any(u["boundary_quality"] == "approximate" for u in drawn),
    }


EXTRA_PROPERTIES = ("edition", "data_status", "allocation_method", "count_method",
                    "legacy_codes")


def unit_properties_2025(unit: dict[str, Any]) -> dict[str, Any]:
    """The /api/coverage properties of one 2025 commune (legacy names plus how it was made)."""
    from geo.analytics.coverage import unit_properties

    props = unit_properties(unit)
    props.update(edition=EDITION, data_status=unit["data_status"],
                 allocation_method=unit["allocation_method"],
                 count_method=unit.get("count_method", unit["allocation_method"]),
                 legacy_codes=",".join(s["legacy_code"] for s in unit["legacy_sources"]))
    return props


def summary_2025(report: IndicatorReport) -> dict[str, Any]:
    """The /api/coverage summary of a 2025 report, with how it reconciles to the legacy one."""
    from geo.analytics.coverage import summary

    t = report["totals"]
    return {**summary(report), "edition": EDITION,
            "legacy_allocated_vnd": t.get("legacy_allocated_kc_vnd"),
            "legacy_unallocated_vnd": t.get("legacy_unallocated_kc_vnd"),
            "district_whole_vnd": t.get("district_whole_kc_vnd"),
            "no_data_units": report.get("no_data_units", 0),
            "split_communes": report.get("split_communes", []),
            "methods": METHOD_WORDS}


def coverage_geojson_2025(conn: Connection, flt: ProjectFilter | None = None,
                          allocation: Allocation = Allocation.none) -> dict[str, Any]:
    """/api/coverage?edition=2025: 2025 communes with indicators and a reconciled summary."""
    report = report_2025(conn, flt, allocation)
    return {
        "type": "FeatureCollection",
        "summary": summary_2025(report),
        "features": [{"type": "Feature", "id": u["code"], "geometry": u["geometry"],
                      "properties": unit_properties_2025(u)} for u in report["units"]],
    }
