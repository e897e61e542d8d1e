"""The progress page (targets against achieved, per activity and district, with the formula)
and the project page (outputs, money status, inspections): templates under progress/."""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import Actor
from geo.cycle.targets import INDICATORS, MONEY_INDICATORS, OUTPUT_INDICATORS
from maps.core.assets import own_url
from maps.core.format import format_int, format_vnd
from maps.pages.layout import render_page

COLUMNS = [(k, INDICATORS[k][0]) for k in ("projects", "budget_vnd", "disbursed_vnd",
                                             *OUTPUT_INDICATORS)]
SOURCES = {"KCQG": "Khuyến công quốc gia", "KCDP": "Khuyến công địa phương"}
STATUSES = {"planned": "Dự kiến", "approved": "Đã phê duyệt", "in_progress": "Đang thực hiện",
            "completed": "Hoàn thành", "cancelled": "Đã hủy"}


def _value(indicator: str, value: int) -> str:
    return format_vnd(value) if indicator in MONEY_INDICATORS else format_int(value)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def _target_row(t: dict[str, Any]) -> dict[str, Any]:
    ind = t["indicator"]
    period = (f"{t['period_start']}–{t['period_end']}" if t["period_end"] > t["period_start"]
              else str(t["period_start"]))
    by_year = "; ".join(f"{y}: {_value(ind, v)}" for y, v in t["by_year"].items())
    return dict(t, period=period, target_text=_value(ind, t["target"]),
                achieved_text=_value(ind, t["achieved"]), percent_text=_percent(t["percent"]),
                by_year_text=by_year)


def _cells(sums: dict[str, int]) -> dict[str, str]:
    return {k: _value(k, sums.get(k, 0)) for k, _ in COLUMNS}


def progress_page(report: dict[str, Any], products: list[dict[str, Any]],
                  missing: list[dict[str, Any]], districts: list[tuple[str, str]],
                  activities: dict[str, str], actor: Actor | None, csrf: str,
                  can_write: bool, message: str = "", error: str = "") -> str:
    """The /progress page."""
    by_activity = [{"name": activities.get(code, code), "cells": _cells(sums)}
                   for code, sums in report["by_activity"].items()]
    by_district = [{"name": r["name"], "cells": _cells(r)} for r in report["by_district"]
                   if report["district"] is None or r["code"] == report["district"]]
    points = [{"name": p["name"], "establishment": p["establishment_name"],
               "kind": p["kind_name"], "stars": p["stars"], "level": p["level_name"],
               "year": p["year"], "commune": p["commune_name"], "lon": p["lon"], "lat": p["lat"]}
              for p in products if p["lon"] is not None]
    gaps = [{"name": c["name"], "district": c["district_name"], "lon": c["lon"],
             "lat": c["lat"]} for c in missing if c["lon"] is not None]
    return render_page("progress/progress.html", "Tiến độ chỉ tiêu khuyến công", actor, csrf,
                       leaflet=True, scripts=(own_url("kcprogress.js"),), report=report,
                       rows=[_target_row(t) for t in report["targets"]],
                       by_activity=by_activity, by_district=by_district, columns=COLUMNS,
                       products=points, missing=gaps, districts=districts,
                       activities=list(activities.items()),
                       indicators=[(k, n) for k, (n, _) in INDICATORS.items()],
                       can_write=can_write, message=message, error=error)


def project_page(project: dict[str, Any], cycle: dict[str, Any], actor: Actor | None,
                 csrf: str, can_write: bool, message: str = "", error: str = "") -> str:
    """The /projects/{id} page: facts, outputs, money status, inspections, planners' forms."""
    current = {o["indicator"]: o["quantity"] for o in cycle["outputs"]}
    inputs = [(k, INDICATORS[k][0], INDICATORS[k][1], current.get(k, ""))
              for k in OUTPUT_INDICATORS]
    visits = [dict(v, day="/".join(reversed(v["visit_date"].split("-"))))
              for v in cycle.get("inspections", [])]
    return render_page("progress/project.html", project["title"], actor, csrf,
                       project=project, cycle=dict(cycle, inspections=visits),
                       source=SOURCES.get(project["funding_source"], project["funding_source"]),
                       status=STATUSES.get(project["status"], project["status"]),
                       output_inputs=inputs, can_write=can_write, message=message,
                       error=error)
