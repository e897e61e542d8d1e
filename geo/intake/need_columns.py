"""Columns of the districts' need registration sheets (nhu cầu hỗ trợ): fields, Vietnamese
headers, matching (the same header folding as the record importers, geo.intake.columns),
mappings, and the priority words offices type.

A row names its establishment by id (or its record code) in 'Mã cơ sở', or by its name
('Tên cơ sở') with the commune and district where it is, matched against the establishments
kcmap holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from geo.core.errors import InvalidInput
from geo.core.textnorm import fold
from geo.core.vocab import NeedPriority
from geo.intake.columns import (
    IGNORE,
    LOCATION_ALIASES,
    header_key,
    match_header,
    money_multiplier,
)
from geo.intake.sheet_reader import Header, Score, cell_text
from geo.records import header_aliases as h

# field -> (label named in messages, header variants)
NEED_ALIASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "establishment_id": ("Mã cơ sở", h.NEED_ESTABLISHMENT_ID),
    "establishment_name": ("Tên cơ sở", h.NEED_ESTABLISHMENT_NAME),
    "commune": ("Xã/Phường/TT", LOCATION_ALIASES["commune"][1]),
    "district": ("Huyện/TX/TP", LOCATION_ALIASES["district"][1]),
    "activity_type": ("Loại hoạt động", h.NEED_ACTIVITY),
    "description": ("Nội dung hỗ trợ", h.NEED_DESCRIPTION),
    "total_cost_vnd": ("Tổng kinh phí", h.NEED_TOTAL),
    "requested_vnd": ("Kinh phí khuyến công đề nghị", h.NEED_REQUESTED),
    "counterpart_vnd": ("Vốn đối ứng", h.NEED_COUNTERPART),
    "desired_year": ("Năm", h.NEED_YEAR),
    "priority": ("Ưu tiên", h.NEED_PRIORITY),
    IGNORE: ("", (*LOCATION_ALIASES[IGNORE][1], "Địa chỉ", "Chủ cơ sở", "Điện thoại",
                  "Ngành nghề", "Trạng thái", "Tình trạng")),
}
NEED_FIELDS = tuple(k for k in NEED_ALIASES if k != IGNORE)
MONEY = ("total_cost_vnd", "requested_vnd", "counterpart_vnd")
# Compared with the stored need on a re-import (the natural key is establishment, activity, year).
VALUE_FIELDS = ("description", "total_cost_vnd", "requested_vnd", "counterpart_vnd", "priority")


def _keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for name, (_, aliases) in NEED_ALIASES.items():
        for alias in aliases:
            keys.setdefault(header_key(alias), name)
    return keys


KEYS = _keys()


def need_label(name: str) -> str:
    """The Vietnamese header of a field, for messages."""
    return NEED_ALIASES[name][0] if name in NEED_ALIASES and NEED_ALIASES[name][0] else name


def check_need_mapping(data: dict[str, str]) -> dict[str, str]:
    """A mapping {"header": "field"} → header key -> field; InvalidInput naming the fields."""
    out: dict[str, str] = {}
    for header, value in data.items():
        key = header_key(str(header))
        if not key or not isinstance(value, str):
            raise InvalidInput(f"ánh xạ cột: tiêu đề '{header}' không hợp lệ")
        v = value.strip()
        if v in ("-", "", IGNORE):
            out[key] = IGNORE
        elif v in NEED_FIELDS:
            out[key] = v
        else:
            raise InvalidInput(f"ánh xạ cột '{header}': không có trường '{value}' cho nhu cầu "
                               f"(các trường: {', '.join(NEED_FIELDS)}, {IGNORE})")
    return out


@dataclass
class NeedColumns:
    """Which column holds which field of a needs sheet."""

    by_field: dict[str, Header] = field(default_factory=dict)
    unknown: list[Header] = field(default_factory=list)
    ignored: list[Header] = field(default_factory=list)
    multiplier: dict[str, int] = field(default_factory=dict)

    def where(self, name: str) -> str:
        """"cột 'Tổng kinh phí' (F)" for messages."""
        found = self.by_field.get(name)
        return f"cột '{found.text}' ({found.letter})" if found else f"cột '{need_label(name)}'"


def match_need_columns(headers: list[Header], mapping: dict[str, str] | None = None
                       ) -> NeedColumns:
    """Assign each header to a need field (mapping first, then the aliases)."""
    keys = {**KEYS, **(mapping or {})}
    cols = NeedColumns()
    for header in headers:
        if not header.text:
            continue
        name = match_header(header, keys)
        if name is None:
            cols.unknown.append(header)
        elif name == IGNORE or name in cols.by_field:
            cols.ignored.append(header)
        else:
            cols.by_field[name] = header
            if name in MONEY:
                cols.multiplier[name] = money_multiplier(f"{header.upper} {header.lower}")
    return cols


def need_header_score(mapping: dict[str, str] | None = None) -> Score:
    """A function counting the need fields a header row names (finds the header row)."""
    def score(headers: list[Header]) -> int:
        return len(match_need_columns(headers, mapping).by_field)
    return score


_PRIORITY = {
    NeedPriority.high: ("cao", "uu tien cao", "high", "1", "rat cao", "uu tien 1", "a"),
    NeedPriority.medium: ("trung binh", "tb", "binh thuong", "medium", "2", "vua", "uu tien 2",
                          "b"),
    NeedPriority.low: ("thap", "uu tien thap", "low", "3", "uu tien 3", "c"),
}


def parse_priority(value: object) -> str:
    """'Cao' / 'Trung bình' / 'Thấp' (or 1, 2, 3; high, medium, low) → code; blank: medium."""
    text = cell_text(value)
    if not text:
        return NeedPriority.medium.value
    folded = fold(text)
    for code, words in _PRIORITY.items():
        if folded in words:
            return code.value
    raise ValueError(f"mức ưu tiên '{text}' không nhận ra (Cao, Trung bình, Thấp)")
