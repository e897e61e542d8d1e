"""Spreadsheet columns → import fields: Vietnamese header variants, mapping files, matching.

Mapping file (``--mapping``) for headers the aliases do not know, chosen by extension:

* ``.json``: an object ``{"header text": "field", ...}`` (optionally under a ``"columns"`` key);
* ``.csv``: two columns ``header,field`` (a first line ``header,field`` is skipped).

Headers are compared case-, diacritic-, space- and punctuation-insensitively, so
``"SỐ LĐ (người)"`` matches ``"so ld"``. A field ``ignore`` (or ``-``) drops a column. For a
two-row header the mapping may name the lower text, the upper text, or ``"upper / lower"``."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from geo.core.errors import InvalidInput
from geo.core.textnorm import fold
from geo.intake.sheet_reader import Header
from geo.records.kinds import PLURALS, RecordKind
from geo.records.spec import SPECS, FieldType

KINDS = PLURALS  # the kinds as the CLI and reports name them
IGNORE = "ignore"

# Columns every kind may have: where the record is (field -> (label in messages, headers)).
LOCATION_ALIASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "address": ("Địa chỉ", (
        "Địa chỉ", "Địa chỉ cơ sở", "Địa điểm", "Địa điểm thực hiện", "Nơi thực hiện",
        "Địa bàn", "Địa bàn thực hiện", "Địa chỉ trụ sở", "Địa chỉ sản xuất", "Địa chỉ/Địa bàn",
        "Số nhà, đường")),
    "hamlet": ("Thôn/Tổ", (
        "Thôn/Tổ", "Thôn", "Thôn/Xóm", "Tổ dân phố", "Thôn, tổ", "Thôn/TDP", "Thôn/Tổ dân phố",
        "Thôn, xóm", "Tổ", "Thôn/Tổ/Số nhà", "Xóm")),
    "commune": ("Xã/Phường/TT", (
        "Xã/Phường/TT", "Xã", "Xã/Phường", "Xã/Phường/Thị trấn", "Phường/Xã", "Xã, phường",
        "Xã, phường, thị trấn", "Xã/Thị trấn", "Xã/TT", "Phường", "Xã/P/TT")),
    "district": ("Huyện/TX/TP", (
        "Huyện/TX/TP", "Huyện", "Huyện/Thị xã/Thành phố", "Huyện/TP", "Huyện/Thị xã",
        "Huyện, thị xã, thành phố", "Quận/Huyện", "Huyện/TX", "Huyện, TX, TP")),
    "lat": ("Vĩ độ", (
        "Vĩ độ", "Vĩ độ (Y)", "Lat", "Latitude", "Y", "Tọa độ Y", "Vĩ độ Bắc", "Vĩ độ N")),
    "lon": ("Kinh độ", (
        "Kinh độ", "Kinh độ (X)", "Lon", "Lng", "Long", "Longitude", "X", "Tọa độ X",
        "Kinh độ Đông", "Kinh độ E")),
    "coordinates": ("Tọa độ", ("Tọa độ", "Tọa độ (vĩ độ, kinh độ)", "Tọa độ GPS",
                               "Tọa độ địa lý")),
    IGNORE: ("", ("STT", "TT", "Số TT", "Số thứ tự", "Ghi chú", "Ghi chú khác")),
}
LOCATION_FIELDS = ("address", "hamlet", "commune", "district", "lat", "lon", "coordinates")


def _kind_aliases(kind: RecordKind) -> dict[str, tuple[str, tuple[str, ...]]]:
    """field -> (label in messages, headers) of one kind: its spec's fields, then locations."""
    own = {f.name: (f.aliases[0], f.aliases) for f in SPECS[kind].fields if f.aliases}
    return {**own, **LOCATION_ALIASES}


# kind -> field -> (label shown in messages, header variants); from geo.records.spec
FIELD_ALIASES: dict[RecordKind, dict[str, tuple[str, tuple[str, ...]]]] = {
    k: _kind_aliases(k) for k in RecordKind}
KIND_FIELDS: dict[RecordKind, tuple[str, ...]] = {
    k: (*(f.name for f in SPECS[k].fields if f.aliases), *LOCATION_FIELDS) for k in RecordKind}
REQUIRED: dict[RecordKind, tuple[str, ...]] = {
    k: tuple(f.name for f in SPECS[k].fields if f.import_required) for k in RecordKind}
MONEY_FIELDS = tuple(f.name for s in SPECS.values() for f in s.fields
                     if f.type is FieldType.MONEY)

_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def header_key(text: str) -> str:
    """Matching key of a header: no diacritics, case, spaces, punctuation or '(unit)'."""
    return fold(_PAREN.sub(" ", text)).replace(" ", "")


def _alias_table() -> dict[RecordKind, dict[str, str]]:
    table: dict[RecordKind, dict[str, str]] = {}
    for kind, fields in KIND_FIELDS.items():
        keys: dict[str, str] = {}
        for name in (*fields, IGNORE):
            for alias in FIELD_ALIASES[kind][name][1]:
                keys.setdefault(header_key(alias), name)
        table[kind] = keys
    return table


ALIASES = _alias_table()


def label(name: str, kind: RecordKind = RecordKind.ESTABLISHMENT) -> str:
    """Vietnamese header of a field, for messages: 'Tên cơ sở'."""
    if name in FIELD_ALIASES[kind]:
        return FIELD_ALIASES[kind][name][0] or name
    return name


# -- mapping file ------------------------------------------------------------------------------


def _mapping_field(kind: RecordKind, value: str, where: str) -> str:
    v = value.strip()
    if v in ("-", "", IGNORE):
        return IGNORE
    if v not in KIND_FIELDS[kind]:
        raise InvalidInput(f"{where}: không có trường '{value}' cho {kind.plural} (các trường: "
                           f"{', '.join(KIND_FIELDS[kind])}, {IGNORE})")
    return v


def load_mapping(path: str | Path, kind: RecordKind | str) -> dict[str, str]:
    """Read a mapping file (.json or .csv 'header,field') into header key -> field."""
    kind = RecordKind.parse(kind)
    out: dict[str, str] = {}
    for header, value, where in mapping_pairs(path):
        key = header_key(header)
        if not key:
            raise InvalidInput(f"{where}: tiêu đề trống")
        out[key] = _mapping_field(kind, value, where)
    return out


def mapping_pairs(path: str | Path) -> list[tuple[str, str, str]]:
    """(header, field, where) of a mapping file (.json or .csv 'header,field'), unchecked."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"tệp ánh xạ {p.name}: không đọc được: {exc}") from exc
    pairs: list[tuple[str, str, str]] = []
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"tệp ánh xạ {p.name}: không phải JSON: {exc}") from exc
        if isinstance(data, dict) and isinstance(data.get("columns"), dict):
            data = data["columns"]
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise InvalidInput(f"tệp ánh xạ {p.name}: cần một đối tượng "
                               '{"tiêu đề": "trường", ...}')
        pairs = [(str(k), v, f"tệp ánh xạ {p.name}, tiêu đề '{k}'") for k, v in data.items()]
    elif p.suffix.lower() in (".csv", ".txt"):
        for n, row in enumerate(csv.reader(text.splitlines()), 1):
            if not row or not any(c.strip() for c in row):
                continue
            if len(row) != 2:
                raise InvalidInput(f"tệp ánh xạ {p.name}, dòng {n}: cần dạng 'tiêu đề,trường'")
            if n == 1 and [c.strip().lower() for c in row] == ["header", "field"]:
                continue
            pairs.append((row[0], row[1], f"tệp ánh xạ {p.name}, dòng {n}"))
    else:
        raise InvalidInput(f"tệp ánh xạ {p.name}: dùng .json hoặc .csv ('tiêu đề,trường')")
    return pairs


def check_mapping(data: dict[str, str], kind: RecordKind | str) -> dict[str, str]:
    """A mapping {"header": "field"} given as data (API, saved mappings) → header key -> field."""
    kind = RecordKind.parse(kind)
    out: dict[str, str] = {}
    for header, value in data.items():
        key = header_key(str(header))
        if not key or not isinstance(value, str):
            raise InvalidInput(f"ánh xạ cột: tiêu đề '{header}' không hợp lệ")
        out[key] = _mapping_field(kind, value, f"ánh xạ cột '{header}'")
    return out


# -- columns ---------------------------------------------------------------------------------


@dataclass
class Columns:
    """Which column holds which field, and what was not recognised."""

    by_field: dict[str, Header] = field(default_factory=dict)
    unknown: list[Header] = field(default_factory=list)
    ignored: list[Header] = field(default_factory=list)
    repeated: list[tuple[Header, str]] = field(default_factory=list)  # second column of a field
    multiplier: dict[str, int] = field(default_factory=dict)  # money column unit

    kind: RecordKind = RecordKind.ESTABLISHMENT

    def describe(self, name: str) -> str:
        """'Vĩ độ' (F) for messages."""
        h = self.by_field.get(name)
        return f"'{h.text}' ({h.letter})" if h else f"'{label(name, self.kind)}'"


def _match(header: Header, keys: dict[str, str]) -> str | None:
    tries = []
    if header.upper and header.lower and header.upper != header.lower:
        tries.append(header_key(f"{header.upper} {header.lower}"))
        tries.append(header_key(f"{header.upper} / {header.lower}"))
    tries.append(header_key(header.lower))
    if not header.lower:
        tries.append(header_key(header.upper))
    for key in tries:
        if key and key in keys:
            return keys[key]
    return None


def match_header(header: Header, keys: dict[str, str]) -> str | None:
    """The field a header names in KEYS (header key -> field), or None (other importers)."""
    return _match(header, keys)


def money_multiplier(text: str) -> int:
    """VND per unit a money header states: '(triệu đồng)' → 1,000,000; '(đồng)' → 1."""
    f = fold(text)
    words = f.split()
    if "ty" in words or "ti" in words:
        return 1_000_000_000
    if "trieu" in words or "tr" in words or "trd" in words or "trieu dong" in f:
        return 1_000_000
    if "nghin" in words or "ngan" in words:
        return 1_000
    return 1


def match_columns(kind: RecordKind, headers: list[Header], mapping: dict[str, str] | None = None
                  ) -> Columns:
    """Assign each header to a field of `kind` (mapping file first, then the aliases)."""
    keys = {**ALIASES[kind], **(mapping or {})}
    cols = Columns(kind=kind)
    for header in headers:
        if not header.text:
            continue
        name = _match(header, keys)
        if name is None:
            cols.unknown.append(header)
        elif name == IGNORE:
            cols.ignored.append(header)
        elif name in cols.by_field:
            cols.repeated.append((header, name))
        else:
            cols.by_field[name] = header
            if name in MONEY_FIELDS:
                cols.multiplier[name] = money_multiplier(f"{header.upper} {header.lower}")
    return cols


def header_score(kind: RecordKind, mapping: dict[str, str] | None = None
                 ) -> Callable[[list[Header]], int]:
    """A function counting the distinct fields of `kind` a header row names."""
    def score(headers: list[Header]) -> int:
        return len(match_columns(kind, headers, mapping).by_field)
    return score
