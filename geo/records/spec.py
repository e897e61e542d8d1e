"""One spec per record kind: its fields, their Vietnamese labels, types and limits, which are
personal, which role may edit them and which spreadsheet headers the importer recognises.

Derived from here: the importer's columns (geo.intake.columns), the PATCH models
(geo.records.patch_model), downloads (maps.export.download_tables), OGC properties
(geo.publish.ogc_collections) and the redaction of personal fields (geo.accounts.authz).
A new field is added here (and as a column by a migration)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from geo.core.errors import InvalidInput
from geo.core.vocab import FundingSource, ProjectStatus
from geo.records import header_aliases as h
from geo.records.kinds import RecordKind

MAX_REASON = 1000
PROJECT_STATUSES = tuple(s.value for s in ProjectStatus)
FUNDING_SOURCES = tuple(s.value for s in FundingSource)
MAX_VND = 10**15
MAX_COUNT = 1_000_000
# Roles that see personal fields (others and anonymous visitors never do).
PERSONAL_READERS = frozenset({"admin", "planner", "district_officer"})


class FieldType(StrEnum):
    """How a field's value is typed and checked."""

    TEXT = "text"  # stripped, NUL-free, at most `limit` characters; empty means NULL
    INT = "int"  # a whole number lo..hi
    MONEY = "money"  # whole đồng 0..MAX_VND ('1.500.000' accepted)
    CHOICE = "choice"  # one of `choices` (empty: a short code checked elsewhere)


@dataclass(frozen=True)
class FieldSpec:
    """One attribute of a record kind."""

    name: str  # column of the record's table
    label: str  # Vietnamese header (downloads, messages)
    type: FieldType
    limit: int = 0  # TEXT: maximum length
    lo: int = 0  # INT/MONEY: smallest value
    hi: int = 0  # INT/MONEY: largest value
    choices: tuple[str, ...] = ()  # CHOICE: allowed codes
    required: bool = False  # an edit may not empty it
    import_required: bool = False  # an imported row must have it
    personal: bool = False  # shown only to PERSONAL_READERS
    aliases: tuple[str, ...] = ()  # spreadsheet headers (first one named in messages)
    public: str = ""  # key in read models, downloads and OGC (default: name)
    cell: str = "text"  # download cell kind: text | int | vnd
    download: str = ""  # download column key, when not `public`
    editors: frozenset[str] | None = None  # roles that may edit it (None: the kind's editors)

    @property
    def key(self) -> str:
        """The key of this field in read models, downloads and OGC properties."""
        return self.public or self.name

    @property
    def download_key(self) -> str:
        """The key of this field's download column."""
        return self.download or self.key


@dataclass(frozen=True)
class KindSpec:
    """A record kind: its table, location column, fields and editing roles."""

    kind: RecordKind
    table: str
    location_fk: str
    fields: tuple[FieldSpec, ...]
    editors: frozenset[str]  # roles that may edit it (officers only in their district)
    locatable: bool = False  # one location, movable (point or commune)
    reviewable: bool = False  # has reviewed_at / reviewed_by

    @property
    def entity(self) -> str:
        """The kind's name in the audit trail and authorisation ('craft_village')."""
        return self.kind.value

    @property
    def attributes(self) -> tuple[str, ...]:
        """Every attribute column, in the spec's order."""
        return tuple(f.name for f in self.fields)

    @property
    def personal(self) -> tuple[FieldSpec, ...]:
        """The personal fields."""
        return tuple(f for f in self.fields if f.personal)

    @property
    def public_fields(self) -> tuple[FieldSpec, ...]:
        """The fields anyone may read."""
        return tuple(f for f in self.fields if not f.personal)

    def field(self, name: str) -> FieldSpec:
        """The field of a column name; KeyError if the kind has none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def editors_of(self, name: str) -> frozenset[str]:
        """The roles that may edit a field (the kind's editors unless the field narrows them)."""
        f = self.field(name) if name in self.attributes else None
        return f.editors if f is not None and f.editors is not None else self.editors

    def not_editable(self, role: str, names: Iterable[str]) -> list[str]:
        """Labels of the attributes among names that the role may not edit."""
        return [self.field(n).label for n in names
                if n in self.attributes and role not in self.editors_of(n)]


def _text(name: str, label: str, limit: int, aliases: tuple[str, ...] = (), *,
          required: bool = False, personal: bool = False, public: str = "") -> FieldSpec:
    return FieldSpec(name, label, FieldType.TEXT, limit=limit, required=required,
                     import_required=required, personal=personal, aliases=aliases,
                     public=public)


def _count(name: str, label: str, aliases: tuple[str, ...]) -> FieldSpec:
    return FieldSpec(name, label, FieldType.INT, lo=0, hi=MAX_COUNT, aliases=aliases, cell="int")


_TRADE = _text("trade", "Ngành nghề", 200, h.TRADE)
_WORKERS = _count("workers", "Số lao động", h.WORKERS)

ESTABLISHMENT = KindSpec(
    RecordKind.ESTABLISHMENT, "establishment", "establishment_id", (
        _text("name", "Tên cơ sở", 300, h.ESTABLISHMENT_NAME, required=True),
        _text("owner_name", "Chủ cơ sở", 200, h.OWNER_NAME, personal=True),
        _TRADE,
        _text("phone", "Điện thoại", 100, h.PHONE, personal=True),
        _WORKERS,
        # a household business's street address is its owner's home: personal. The importer
        # fills it from the location column 'address' (geo.intake.columns).
        _text("address_raw", "Địa chỉ", 500, personal=True, public="address"),
    ), frozenset({"admin", "district_officer"}), locatable=True, reviewable=True)

CRAFT_VILLAGE = KindSpec(
    RecordKind.CRAFT_VILLAGE, "craft_village", "village_id", (
        _text("name", "Tên làng nghề", 300, h.VILLAGE_NAME, required=True),
        _TRADE,
        _text("decision", "Quyết định công nhận", 200, h.DECISION),
        FieldSpec("recognised_year", "Năm công nhận", FieldType.INT, lo=1900, hi=2100,
                  aliases=h.RECOGNISED_YEAR),
        _count("households", "Số hộ", h.HOUSEHOLDS),
        _WORKERS,
    ), frozenset({"admin", "planner", "district_officer"}), locatable=True)

PROJECT = KindSpec(
    RecordKind.PROJECT, "project", "project_id", (
        _text("title", "Tên đề án", 500, h.TITLE, required=True),
        FieldSpec("year", "Năm", FieldType.INT, lo=2000, hi=2100, required=True,
                  import_required=True, aliases=h.YEAR),
        FieldSpec("funding_source", "Nguồn kinh phí", FieldType.CHOICE,
                  choices=FUNDING_SOURCES, required=True, import_required=True,
                  aliases=h.FUNDING_SOURCE),
        FieldSpec("activity_type", "Hoạt động", FieldType.CHOICE, required=True,
                  aliases=h.ACTIVITY_TYPE, download="activity_name"),
        FieldSpec("kc_vnd", "Kinh phí khuyến công (đ)", FieldType.MONEY, lo=0, hi=MAX_VND,
                  required=True, import_required=True, aliases=h.KC_VND,
                  public="budget_vnd", cell="vnd"),
        FieldSpec("counterpart_vnd", "Vốn đối ứng (đ)", FieldType.MONEY, lo=0, hi=MAX_VND,
                  required=True, aliases=h.COUNTERPART_VND, cell="vnd"),
        FieldSpec("status", "Trạng thái", FieldType.CHOICE, choices=PROJECT_STATUSES,
                  required=True, aliases=h.STATUS),
        _text("beneficiary", "Đơn vị thụ hưởng", 300, h.BENEFICIARY),
    ), frozenset({"admin", "planner"}))

SPECS: dict[RecordKind, KindSpec] = {s.kind: s for s in (ESTABLISHMENT, CRAFT_VILLAGE, PROJECT)}
# Every personal field's column and public key, over all kinds.
PERSONAL_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(
    k for s in SPECS.values() for f in s.personal for k in (f.name, f.key)))


def spec_of(kind: str) -> KindSpec:
    """The spec of a kind name ('craft_village' or 'villages'); InvalidInput if unknown."""
    return SPECS[RecordKind.parse(kind)]


def check_reason(value: object) -> str:
    """The reason of a change: text of at most MAX_REASON characters."""
    reason = value or ""
    if not isinstance(reason, str) or len(reason) > MAX_REASON or "\x00" in reason:
        raise InvalidInput(f"Lý do phải là văn bản tối đa {MAX_REASON} ký tự")
    return reason.strip()
