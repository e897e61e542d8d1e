"""Coverage indicators and the underserved ranking: GeoJSON/JSON, CSV and XLSX."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.web.auth import actor_of
from api.web.filter_query import ALLOCATION, EDITION, LEVEL, FilterQuery, Filters
from api.web.responses import cached_json, file_response, payload_response
from api.web.routes.edition2025 import coverage_2025_json
from geo.analytics.coverage import coverage_geojson
from geo.analytics.gaps import gap_ranking, gap_report, ranking_json
from geo.core.payload_cache import Payload
from geo.core.textnorm import fold
from geo.core.vocab import Allocation, Edition, Level, check_edition_level
from geo.cycle.access import check_read
from geo.cycle.whatif import DEFAULT_TOP, check_plan_scope, plan_ranking
from maps.export.labels import source_words
from maps.export.tables import (
    INDICATOR_COLUMNS,
    UNALLOCATED_COLUMNS,
    gap_columns,
    to_csv,
    to_xlsx,
    unallocated_rows,
)
from maps.views.choropleth import ALLOCATION_WORDS, LEVEL_WORD

router = APIRouter()


def _coverage_payload(request: Request, level: Level, q: FilterQuery, allocation: Allocation
                      ) -> Payload:
    """The coverage GeoJSON text, cached by filter and data version."""
    return cached_json(request, "coverage", (level, allocation, *_raw(q)),
                       lambda conn: coverage_geojson(conn, level, q.parse(conn), allocation))


def _raw(q: FilterQuery) -> tuple[str | None, ...]:
    """The filter as given (parsed and checked inside the build, on a cache miss)."""
    return (q.years, q.source, q.activity, q.status)


def _coverage(request: Request, level: Level, q: FilterQuery,
              allocation: Allocation) -> dict[str, Any]:
    return dict(json.loads(_coverage_payload(request, level, q, allocation).text))


@router.get("/api/coverage")
def api_coverage(request: Request, q: Filters, level: Level = LEVEL,
                 allocation: Allocation = ALLOCATION, edition: Edition = EDITION) -> Any:
    """Units with indicators (GeoJSON) and a summary: total = allocated + unallocated VND."""
    check_edition_level(edition, level)
    if edition == Edition.e2025:
        return coverage_2025_json(request, q, allocation)
    return payload_response(request, _coverage_payload(request, level, q, allocation),
                            "application/json")


def _stem(kind: str, level: str, summary: dict[str, Any], q: FilterQuery) -> str:
    """kcmap-<kind>-<level>-<years>-<allocation>[-<source>][-<activity>][-<status>]."""
    years = summary["years"]
    span = f"{years[0]}-{years[-1]}" if years else ""
    extra = ["-".join(fold(v).split())[:40] for v in (q.source, q.activity, q.status) if v]
    return "-".join([f"kcmap-{kind}-{level}-{span}-{summary['allocation']}", *extra])


@router.get("/api/coverage.csv")
def api_coverage_csv(request: Request, q: Filters, level: Level = LEVEL,
                     allocation: Allocation = ALLOCATION) -> Response:
    """The indicator table as CSV (UTF-8, one row per unit)."""
    data = _coverage(request, level, q, allocation)
    rows = [f["properties"] for f in data["features"]]
    return file_response(to_csv(INDICATOR_COLUMNS, rows),
                    _stem("chi-so", level, data["summary"], q) + ".csv", "csv")


@router.get("/api/coverage.xlsx")
def api_coverage_xlsx(request: Request, q: Filters, level: Level = LEVEL,
                      allocation: Allocation = ALLOCATION) -> Response:
    """The indicator table as XLSX, with the unallocated money and the reconciliation."""
    data = _coverage(request, level, q, allocation)
    s = data["summary"]
    notes = [("Cấp đơn vị", "xã" if level == "commune" else "huyện"),
             ("Năm", ", ".join(str(y) for y in s["years"])),
             ("Nguồn kinh phí", source_words(s["sources"])),
             ("Hoạt động", ", ".join(s["activities"]) or "tất cả"),
             ("Trạng thái đề án", ", ".join(s["statuses"])),
             ("Đề án cấp huyện (bản đồ cấp xã)", ALLOCATION_WORDS[s["allocation"]]),
             ("Tổng kinh phí khuyến công (đ)", s["total_vnd"]),
             ("Đã phân bổ cho đơn vị (đ)", s["allocated_vnd"]),
             ("Trong đó chia từ đề án cấp huyện (đ)", s["spread_vnd"]),
             ("Chưa phân bổ (đ)", s["unallocated_vnd"]),
             ("Tổng vốn đối ứng (đ)", s["total_counterpart_vnd"]),
             ("Số đề án", s["projects"]),
             ("Dữ liệu mẫu", "có" if s["has_demo"] else "không")]
    body = to_xlsx([("Chỉ số", INDICATOR_COLUMNS, [f["properties"] for f in data["features"]]),
                    ("Chưa phân bổ", UNALLOCATED_COLUMNS, unallocated_rows(s["unallocated"]))],
                   ("Đối chiếu", notes))
    return file_response(body, _stem("chi-so", level, s, q) + ".xlsx", "xlsx")


def _ranking_payload(request: Request, q: FilterQuery, allocation: Allocation,
                     level: Level, edition: Edition) -> Payload:
    """The ranking JSON text, cached by filter, level, edition and data version."""
    check_edition_level(edition, level)
    return cached_json(request, "gaps", (allocation, level, edition, *_raw(q)),
                       lambda conn: ranking_json(gap_ranking(conn, q.parse(conn), allocation,
                                                             level, edition)))


def _ranking(request: Request, q: FilterQuery, allocation: Allocation, level: Level,
             edition: Edition) -> dict[str, Any]:
    return dict(json.loads(_ranking_payload(request, q, allocation, level, edition).text))


PLAN = Query(None, ge=2000, le=2100, description="year of a plan: rank as if it were funded "
                                                 "(commune level, legacy edition only)")
TOP = Query(DEFAULT_TOP, ge=1, le=100, description="today's top-N communes the plan is checked on")


@router.get("/api/gaps")
def api_gaps(request: Request, q: Filters, allocation: Allocation = ALLOCATION,
             plan: int | None = PLAN, top: int = TOP, level: Level = LEVEL,
             edition: Edition = EDITION) -> Any:
    """Units (legacy communes or districts, or 2025 communes) ranked by underserved score
    (formula included), highest first; with plan=YEAR (legacy communes) as if that plan were
    funded, with today's top-N communes it reaches and misses."""
    check_edition_level(edition, level)
    if plan is not None:
        check_plan_scope(level, edition)
        check_read(actor_of(request))
        year = plan
        payload = cached_json(request, "gaps-plan", (allocation, plan, top, *_raw(q)),
                              lambda conn: ranking_json(plan_ranking(
                                  conn, gap_report(conn, q.parse(conn), allocation,
                                                   geometry=False),
                                  year, top)))
        return payload_response(request, payload, "application/json")
    return payload_response(request, _ranking_payload(request, q, allocation, level, edition),
                            "application/json")


def _gap_stem(level: Level, edition: Edition) -> str:
    """The unit part of a ranking file name: xa, huyen, xa-2025."""
    return "xa-2025" if edition == Edition.e2025 else fold(LEVEL_WORD[level])


@router.get("/api/gaps.csv")
def api_gaps_csv(request: Request, q: Filters, allocation: Allocation = ALLOCATION,
                 level: Level = LEVEL, edition: Edition = EDITION) -> Response:
    """The underserved ranking as CSV."""
    data = _ranking(request, q, allocation, level, edition)
    summary = {"years": data["filter"]["years"], "allocation": allocation}
    return file_response(to_csv(gap_columns(level, edition), data["communes"]),
                         _stem("xep-hang", _gap_stem(level, edition), summary, q) + ".csv",
                         "csv")


@router.get("/api/gaps.xlsx")
def api_gaps_xlsx(request: Request, q: Filters, allocation: Allocation = ALLOCATION,
                  level: Level = LEVEL, edition: Edition = EDITION) -> Response:
    """The underserved ranking as XLSX, with the formula."""
    data = _ranking(request, q, allocation, level, edition)
    f = data["filter"]
    word = LEVEL_WORD[level]
    notes = [("Công thức", data["formula"]),
             ("Cấp đơn vị", word),
             ("Đơn vị hành chính", "từ 1/7/2025" if edition == Edition.e2025
              else "trước 1/7/2025"),
             ("Năm", ", ".join(str(y) for y in f["years"])),
             ("Nguồn kinh phí", source_words(f["sources"])),
             ("Hoạt động", ", ".join(f["activities"]) or "tất cả"),
             ("Đề án cấp huyện", ALLOCATION_WORDS[allocation]),
             (f"Số {word} xếp hạng", data["ranked"]),
             (f"Số {word} chưa được hỗ trợ", data["no_support"])]
    summary = {"years": f["years"], "allocation": allocation}
    body = to_xlsx([("Xếp hạng", gap_columns(level, edition), data["communes"])],
                   ("Cách tính", notes))
    return file_response(body, _stem("xep-hang", _gap_stem(level, edition), summary, q)
                         + ".xlsx", "xlsx")
