"""The closed vocabularies of kcmap, defined once as types.

The web routes (FastAPI) and the CLI (typer) take these as parameter types, so a value outside
a vocabulary is refused at the edge (422 / usage error) before any domain code runs; geo/ and
maps/ take them in their signatures and do not check membership again. Business rules that
combine values (the 2025 edition has no district level) live in `check_edition_level`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from geo.core.errors import InvalidInput

T = TypeVar("T", bound=StrEnum)


class Level(StrEnum):
    """Administrative level of a unit."""

    commune = "commune"
    district = "district"


class Edition(StrEnum):
    """Gazetteer edition: before 1 July 2025 (with districts) or after (communes only)."""

    legacy = "legacy"
    e2025 = "2025"


class Allocation(StrEnum):
    """How district-level projects are shared out over the communes of the district."""

    none = "none"
    even = "even"
    establishments = "establishments"


class IndicatorKey(StrEnum):
    """An indicator the coverage map can show (a key of every unit of an indicator report)."""

    kc_vnd = "kc_vnd"
    counterpart_vnd = "counterpart_vnd"
    projects = "projects"
    beneficiaries = "beneficiaries"
    establishments = "establishments"
    workers = "workers"
    craft_villages = "craft_villages"
    vnd_per_establishment = "vnd_per_establishment"
    vnd_per_worker = "vnd_per_worker"
    beneficiary_share = "beneficiary_share"
    recognised_products = "recognised_products"
    communes_without_collaborator = "communes_without_collaborator"
    unmet_requested_vnd = "unmet_requested_vnd"

    @classmethod
    def _missing_(cls, value: object) -> IndicatorKey | None:
        """Older names still accepted in URLs: support_vnd is kc_vnd."""
        return cls.kc_vnd if value == "support_vnd" else None


class Classification(StrEnum):
    """How the choropleth's value classes are drawn."""

    quantiles = "quantiles"
    jenks = "jenks"


class MapView(StrEnum):
    """A map view (page, PNG, download)."""

    coverage = "coverage"
    gaps = "gaps"
    projects = "projects"
    establishments = "establishments"
    villages = "villages"


class PngAspect(StrEnum):
    """Shape of an exported PNG map: 3:2 (print) or 16:9 (slides)."""

    standard = "3:2"
    wide = "16:9"


class TileLayer(StrEnum):
    """A layer served as vector tiles (/tiles/{layer}/{z}/{x}/{y}.mvt)."""

    establishments = "establishments"
    projects = "projects"
    villages = "villages"
    communes = "communes"
    districts = "districts"


class ColorBy(StrEnum):
    """What colours the establishments map's points."""

    trade = "trade"
    status = "status"


class ProjectStatus(StrEnum):
    """Status of a khuyến công project."""

    planned = "planned"
    approved = "approved"
    in_progress = "in_progress"
    completed = "completed"
    cancelled = "cancelled"


class GeocodeStatus(StrEnum):
    """Geocoding (review) status of a record's location."""

    ok = "ok"
    ambiguous = "ambiguous"
    conflict = "conflict"
    not_found = "not_found"


class Precision(StrEnum):
    """How precisely a location is known."""

    exact = "exact"
    commune = "commune"
    district = "district"
    province = "province"
    none = "none"


class FundingSource(StrEnum):
    """Khuyến công quốc gia or địa phương."""

    KCQG = "KCQG"
    KCDP = "KCDP"


class NeedStatus(StrEnum):
    """A support need: registered → shortlisted → in_plan → funded | declined."""

    registered = "registered"
    shortlisted = "shortlisted"
    in_plan = "in_plan"
    funded = "funded"
    declined = "declined"


class NeedPriority(StrEnum):
    """How urgent the district finds a support need."""

    high = "high"
    medium = "medium"
    low = "low"


class PlanStatus(StrEnum):
    """A year's khuyến công plan: a draft, or approved (its projects created)."""

    draft = "draft"
    approved = "approved"


class RowStatus(StrEnum):
    """What an import did (or would do) with one sheet row."""

    accepted = "accepted"
    rejected = "rejected"
    duplicate = "duplicate"
    skipped = "skipped"
    conflict = "conflict"


class DownloadFormat(StrEnum):
    """File format of a map view download (PNG has its own route)."""

    gpkg = "gpkg"
    geojson = "geojson"
    csv = "csv"
    xlsx = "xlsx"


def check_edition_level(edition: Edition, level: Level) -> None:
    """The one rule joining edition and level: the 2025 edition has communes only."""
    if edition == Edition.e2025 and level == Level.district:
        raise InvalidInput("Địa giới 2025 không có cấp huyện (cấp huyện bỏ từ 1/7/2025); "
                           "hãy chọn cấp xã")


def parse_term(kind: type[T], name: str, value: str | None, default: T) -> T:
    """A term of KIND from a free-form parameter (OGC queries), or InvalidInput naming NAME.

    Routes with declared parameters take the enum type directly; this is for the few edges
    whose parameters are not known in advance.
    """
    if not value:
        return default
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(f"{name} phải là một trong: {', '.join(kind)}; "
                           f"không phải {value!r}") from None
