"""The reports geo/analytics hands to maps/ and the API, as types (shapes of plain dicts).

TypedDicts rather than dataclasses: the reports are serialised to JSON as they are, and
the dict shape (hence the API's bytes) stays the same.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from geo.analytics.filters import ProjectFilter
from geo.core.vocab import Allocation, Edition, Level

# A GeoJSON geometry or feature, as parsed from ST_AsGeoJSON (free-form by nature).
GeoJSON = dict[str, Any]
# One unit of an indicator report: its names and boundary (indicators.unit_rows), every
# indicator value (indicators.DERIVED included) and, in the 2025 edition, how it was made.
# Values of a 2025 unit without data are None, so the row stays a plain mapping.
UnitRow = dict[str, Any]


class UnitRef(TypedDict):
    """A unit named in a caveat (no boundary drawn)."""

    code: str
    name: str


class Outline(TypedDict):
    """A district outline drawn over a commune map."""

    code: str
    name: str
    boundary_quality: str | None
    geometry: GeoJSON


class UnallocatedRow(TypedDict):
    """Money and records of a district bucket not placed in a unit (None = no district)."""

    district_code: str | None
    district_name: str | None
    district_has_communes: bool
    kc_vnd: int
    counterpart_vnd: int
    projects: int
    establishments: int
    reason: NotRequired[str]
    workers: NotRequired[int]
    craft_villages: NotRequired[int]


class Totals(TypedDict):
    """Province totals of a report: Σ units + unallocated = Σ project budgets of the filter."""

    kc_vnd: int
    counterpart_vnd: int
    projects: int
    split_projects: int
    establishments: int
    workers: int
    craft_villages: int
    allocated_kc_vnd: int
    allocated_counterpart_vnd: int
    unallocated_kc_vnd: int
    unallocated_counterpart_vnd: int
    unallocated_establishments: int
    spread_kc_vnd: int
    spread_counterpart_vnd: int
    spread_projects: int
    # 2025 edition: how its totals reconcile with the legacy ones
    legacy_allocated_kc_vnd: NotRequired[int]
    legacy_unallocated_kc_vnd: NotRequired[int]
    district_whole_kc_vnd: NotRequired[int]


class IndicatorReport(TypedDict):
    """indicators.indicator_report (legacy units) or edition2025.report_2025 (2025 communes)."""

    level: Level
    filter: ProjectFilter
    years: tuple[int, int]
    statuses: tuple[str, ...]
    allocation: Allocation
    units: list[UnitRow]
    outlines: list[Outline]
    missing: list[UnitRef]
    unallocated: list[UnallocatedRow]
    totals: Totals
    has_demo: bool
    has_approximate: bool
    # 2025 edition only
    edition: NotRequired[Edition]
    split_communes: NotRequired[list[dict[str, Any]]]
    no_data_units: NotRequired[int]
    method_words: NotRequired[dict[str, str]]


# One commune of the underserved ranking (gaps.ROW_KEYS).
GapRow = dict[str, Any]


class Ranking(TypedDict):
    """gaps.ranking_of: units (legacy communes or districts, 2025 communes) ranked by
    underserved score, with the formula; the rows are under "communes" at every level."""

    formula: str
    priority_weight: float
    allocation: Allocation
    level: Level
    edition: Edition
    filter: ProjectFilter
    communes: list[GapRow]
    ranked: int
    no_support: int
    priority_communes: int
    totals: Totals
    has_demo: bool
