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

KINDS = ("establishments", "villages", "projects")
IGNORE = "ignore"

# field -> (label shown in messages, header variants)
FIELD_ALIASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("Tên cơ sở", (
        "Tên cơ sở", "Tên cơ sở CNNT", "Tên cơ sở sản xuất", "Tên cơ sở công nghiệp nông thôn",
        "Tên doanh nghiệp", "Tên DN", "Tên đơn vị", "Tên cơ sở/doanh nghiệp",
        "Tên doanh nghiệp/cơ sở", "Tên DN/HTX/Hộ kinh doanh", "Tên DN, HTX, hộ kinh doanh",
        "Cơ sở", "Tên")),
    "title": ("Nội dung/Tên đề án", (
        "Nội dung/Tên đề án", "Tên đề án/Nội dung", "Tên đề án, nội dung", "Nội dung",
        "Tên đề án", "Đề án", "Tên đề án khuyến công", "Nội dung đề án", "Nội dung hỗ trợ",
        "Tên dự án", "Tên đề án/dự án", "Tên nhiệm vụ")),
    "owner_name": ("Chủ cơ sở", (
        "Chủ cơ sở", "Họ tên chủ cơ sở", "Họ và tên chủ cơ sở", "Chủ hộ", "Người đại diện",
        "Đại diện", "Người đại diện theo pháp luật", "Giám đốc", "Chủ doanh nghiệp",
        "Chủ cơ sở/người đại diện")),
    "trade": ("Ngành nghề", (
        "Ngành nghề", "Ngành nghề sản xuất", "Ngành nghề kinh doanh", "Ngành nghề SXKD",
        "Lĩnh vực", "Lĩnh vực hoạt động", "Sản phẩm", "Sản phẩm chính", "Nghề",
        "Nghề truyền thống", "Ngành nghề, sản phẩm")),
    "phone": ("Điện thoại", (
        "Điện thoại", "Số điện thoại", "SĐT", "ĐT", "Điện thoại liên hệ", "ĐT liên hệ")),
    "workers": ("Số lao động", (
        "Số lao động", "Lao động", "Số LĐ", "LĐ", "Tổng số lao động", "Số lao động thường xuyên",
        "Lao động thường xuyên", "Số người lao động")),
    "households": ("Số hộ", (
        "Số hộ", "Số hộ tham gia", "Số hộ làm nghề", "Số hộ tham gia làng nghề", "Hộ",
        "Tổng số hộ")),
    "decision": ("Quyết định công nhận", (
        "Quyết định công nhận", "Số quyết định công nhận", "QĐ công nhận", "Số QĐ công nhận",
        "Quyết định", "Số quyết định", "Số QĐ", "Quyết định công nhận làng nghề")),
    "recognised_year": ("Năm công nhận", ("Năm công nhận", "Năm được công nhận", "Năm")),
    "year": ("Năm", ("Năm", "Năm thực hiện", "Năm kế hoạch", "Năm KH", "Năm hỗ trợ")),
    "kc_vnd": ("Kinh phí", (
        "Kinh phí", "Kinh phí khuyến công", "Kinh phí KC", "Kinh phí hỗ trợ",
        "Kinh phí KC hỗ trợ", "Kinh phí khuyến công hỗ trợ", "Kinh phí hỗ trợ từ khuyến công",
        "Kinh phí hỗ trợ từ nguồn khuyến công", "Số tiền hỗ trợ", "Kinh phí được duyệt",
        "Kinh phí KC (đồng)")),
    "counterpart_vnd": ("Vốn đối ứng", (
        "Vốn đối ứng", "Đối ứng", "Kinh phí đối ứng", "Vốn đối ứng của cơ sở",
        "Đối ứng của cơ sở", "Vốn đối ứng của đơn vị", "Vốn tự có", "Đơn vị đối ứng")),
    "funding_source": ("Nguồn vốn", (
        "Nguồn vốn", "Nguồn kinh phí", "Nguồn", "Nguồn KC", "Nguồn vốn khuyến công",
        "Nguồn ngân sách", "Nguồn vốn KC")),
    "activity_type": ("Loại hoạt động", (
        "Loại hoạt động", "Hoạt động", "Loại hình hỗ trợ", "Loại hình", "Nội dung hoạt động",
        "Loại đề án", "Hoạt động khuyến công", "Lĩnh vực hỗ trợ")),
    "beneficiary": ("Đơn vị thụ hưởng", (
        "Đơn vị thụ hưởng", "Cơ sở thụ hưởng", "Đơn vị hưởng lợi", "Đơn vị thực hiện",
        "Đơn vị thụ hưởng/Cơ sở", "Đơn vị được hỗ trợ", "Cơ sở được hỗ trợ", "Đơn vị/cơ sở")),
    "status": ("Tình trạng", (
        "Tình trạng", "Trạng thái", "Tiến độ", "Kết quả thực hiện", "Tình hình thực hiện")),
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

# the name of a craft village has its own headers
VILLAGE_NAME = ("Tên làng nghề", (
    "Tên làng nghề", "Làng nghề", "Tên làng", "Làng nghề truyền thống",
    "Tên làng nghề/làng nghề truyền thống", "Tên làng nghề, làng nghề truyền thống", "Tên"))

LOCATION_FIELDS = ("address", "hamlet", "commune", "district", "lat", "lon", "coordinates")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "establishments": ("name", "owner_name", "trade", "phone", "workers", *LOCATION_FIELDS),
    "villages": ("name", "trade", "decision", "recognised_year", "households",
                 "workers", *LOCATION_FIELDS),
    "projects": ("title", "year", "kc_vnd", "counterpart_vnd", "funding_source",
                 "activity_type", "beneficiary", "status", *LOCATION_FIELDS),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "establishments": ("name",),
    "villages": ("name",),
    "projects": ("title", "year", "kc_vnd", "funding_source"),
}
MONEY_FIELDS = ("kc_vnd", "counterpart_vnd")

_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def header_key(text: str) -> str:
    """Matching key of a header: no diacritics, case, spaces, punctuation or '(unit)'."""
    return fold(_PAREN.sub(" ", text)).replace(" ", "")


def _aliases(kind: str, name: str) -> tuple[str, tuple[str, ...]]:
    if kind == "villages" and name == "name":
        return VILLAGE_NAME
    return FIELD_ALIASES[name]


def _alias_table() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for kind, fields in KIND_FIELDS.items():
        keys: dict[str, str] = {}
        for name in (*fields, IGNORE):
            for alias in _aliases(kind, name)[1]:
                keys.setdefault(header_key(alias), name)
        table[kind] = keys
    return table


ALIASES = _alias_table()


def label(name: str, kind: str = "establishments") -> str:
    """Vietnamese header of a field, for messages: 'Tên cơ sở'."""
    if name in FIELD_ALIASES:
        return _aliases(kind, name)[0] or name
    return name


# -- mapping file ------------------------------------------------------------------------------


def _mapping_field(kind: str, value: str, where: str) -> str:
    v = value.strip()
    if v in ("-", "", IGNORE):
        return IGNORE
    if v not in KIND_FIELDS[kind]:
        raise InvalidInput(f"{where}: unknown field '{value}' for {kind} (fields: "
                           f"{', '.join(KIND_FIELDS[kind])}, {IGNORE})")
    return v


def load_mapping(path: str | Path, kind: str) -> dict[str, str]:
    """Read a mapping file (.json or .csv 'header,field') into header key -> field."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"mapping file {p.name}: cannot be read: {exc}") from exc
    pairs: list[tuple[str, str, str]] = []
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"mapping file {p.name}: not JSON: {exc}") from exc
        if isinstance(data, dict) and isinstance(data.get("columns"), dict):
            data = data["columns"]
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise InvalidInput(f"mapping file {p.name}: expected an object "
                               '{"header": "field", ...}')
        pairs = [(str(k), v, f"mapping file {p.name}, header '{k}'") for k, v in data.items()]
    elif p.suffix.lower() in (".csv", ".txt"):
        for n, row in enumerate(csv.reader(text.splitlines()), 1):
            if not row or not any(c.strip() for c in row):
                continue
            if len(row) != 2:
                raise InvalidInput(f"mapping file {p.name}, line {n}: expected 'header,field'")
            if n == 1 and [c.strip().lower() for c in row] == ["header", "field"]:
                continue
            pairs.append((row[0], row[1], f"mapping file {p.name}, line {n}"))
    else:
        raise InvalidInput(f"mapping file {p.name}: use .json or .csv ('header,field')")
    out: dict[str, str] = {}
    for header, value, where in pairs:
        key = header_key(header)
        if not key:
            raise InvalidInput(f"{where}: empty header")
        out[key] = _mapping_field(kind, value, where)
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

    kind: str = "establishments"

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


def match_columns(kind: str, headers: list[Header], mapping: dict[str, str] | None = None
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


def header_score(kind: str, mapping: dict[str, str] | None = None
                 ) -> Callable[[list[Header]], int]:
    """A function counting the distinct fields of `kind` a header row names."""
    def score(headers: list[Header]) -> int:
        return len(match_columns(kind, headers, mapping).by_field)
    return score
