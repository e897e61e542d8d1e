"""Spreadsheet columns → import fields (Vietnamese header variants, mapping files) and values.

Mapping file (``--mapping``) for headers the aliases do not know, chosen by extension:

* ``.json``: an object ``{"header text": "field", ...}`` (optionally under a ``"columns"`` key);
* ``.csv``: two columns ``header,field`` (a first line ``header,field`` is skipped).

Headers are compared case-, diacritic-, space- and punctuation-insensitively, so
``"SỐ LĐ (người)"`` matches ``"so ld"``. A field ``ignore`` (or ``-``) drops a column. For a
two-row header the mapping may name the lower text, the upper text, or ``"upper / lower"``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geo.core.errors import InvalidInput
from geo.core.textnorm import fold
from geo.intake.sheet_reader import Header, cell_text

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


# -- values ----------------------------------------------------------------------------------

_NUM = re.compile(r"\d+(?:[.,  ]\d{3})*(?:[.,]\d+)?")
_MULT = re.compile(r"\s*(ty|ti|trieu|tr|nghin|ngan|k)\b")
_FACTOR = {"ty": 1_000_000_000, "ti": 1_000_000_000, "trieu": 1_000_000, "tr": 1_000_000,
           "nghin": 1_000, "ngan": 1_000, "k": 1_000}
_BLANKS = {"", "-", "–", "—", "x", "/", "..."}


def _plain(text: str) -> str:
    """Lower case without diacritics, keeping digits and punctuation: '1,25 Tỷ' → '1,25 ty'."""
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in t if unicodedata.category(ch) != "Mn").lower()


def is_blank(value: object) -> bool:
    """True for empty cells and the dashes offices put in empty cells."""
    return value is None or cell_text(value) in _BLANKS


def _to_float(digits: str, decimal_comma: bool) -> float:
    """'1.250.000' → 1250000; '1,25' → 1.25 when the decimal comma is expected."""
    t = digits.replace(" ", "").replace("\u00a0", "")
    if "." in t and "," in t:
        dec = "." if t.rfind(".") > t.rfind(",") else ","
        whole, frac = t.rsplit(dec, 1)
        return float(whole.replace(".", "").replace(",", "") + "." + frac)
    for sep in (".", ","):
        if t.count(sep) > 1:
            return float(t.replace(sep, ""))
        if t.count(sep) == 1:
            whole, frac = t.split(sep)
            thousands = len(frac) == 3 and (sep == "." or not decimal_comma)
            return float(whole + frac) if thousands else float(whole + "." + frac)
    return float(t)


def parse_count(value: object) -> int | None:
    """A whole count: 12, '12 người', '1.200 lao động' (None when blank)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = cell_text(value)
        if text.startswith("-"):
            raise ValueError(f"negative number: '{text}'")
        found = _NUM.findall(text)
        if len(found) != 1:
            raise ValueError(f"not one number: '{text}'")
        number = _to_float(found[0], decimal_comma=False)
    if number < 0:
        raise ValueError(f"negative number: {value!r}")
    if not float(number).is_integer():
        raise ValueError(f"not a whole number: {value!r}")
    return int(number)


def _money_text(typed: str, multiplier: int) -> float:
    """'1.250.000.000 đ' → 1.25e9; '1,25 tỷ' → 1.25e9; '1 tỷ 250 triệu' → 1.25e9."""
    text = _plain(typed)
    if text.startswith("-"):
        raise ValueError(f"negative amount: '{typed}'")
    with_unit: list[tuple[str, str]] = []
    plain: list[str] = []
    for m in _NUM.finditer(text):
        unit = _MULT.match(text, m.end())
        if unit is None:
            plain.append(m.group(0))
        else:
            with_unit.append((m.group(0), unit.group(1)))
    if with_unit and not plain:
        return sum(_to_float(digits, decimal_comma=True) * _FACTOR[word]
                   for digits, word in with_unit)
    if len(plain) == 1 and not with_unit:
        return _to_float(plain[0], decimal_comma=multiplier > 1) * multiplier
    raise ValueError(f"not one amount: '{typed}'")


def parse_money(value: object, multiplier: int = 1) -> int | None:
    """VND: 1250000000, '1.250.000.000 đ', '1,25 tỷ', '1 tỷ 250 triệu' (None when blank)."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"not an amount: {value!r}")
    if isinstance(value, (int, float)):
        amount = float(value) * multiplier
    else:
        amount = _money_text(cell_text(value), multiplier)
    if amount < 0:
        raise ValueError(f"negative amount: {value!r}")
    return int(round(amount))


def parse_year(value: object, low: int = 2000, high: int = 2100) -> int | None:
    """A year: 2023, '2023', 'Năm 2023', a date cell (None when blank)."""
    if is_blank(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        year = value.year
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise ValueError(f"not a year: {value!r}")
        year = int(value)
    else:
        text = cell_text(value)
        date = re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-](\d{4})", text)
        found = [date.group(1)] if date else re.findall(r"(?<!\d)(\d{4})(?!\d)", text)
        if date:
            text = found[0]
        if len(set(found)) != 1 or re.search(r"\d", re.sub(r"(?<!\d)\d{4}(?!\d)", "", text)):
            raise ValueError(f"not a year: '{text}'")
        year = int(found[0])
    if not low <= year <= high:
        raise ValueError(f"year {year} outside {low}–{high}")
    return year


def year_in(text: str | None) -> int | None:
    """The year written in a decision ('Quyết định 12/QĐ-UBND ngày 5/3/2015' → 2015)."""
    if not text:
        return None
    found = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text)
    return int(found[-1]) if found else None


def parse_text(value: object) -> str | None:
    """Text as typed, spaces tidied; None when blank. Markup is kept verbatim."""
    text = cell_text(value)
    return text or None


def parse_phone(value: object) -> str | None:
    """A phone number; a numeric cell gets back the leading 0 Excel dropped."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = str(int(value))
        return "0" + digits if len(digits) in (9, 10) else digits
    return cell_text(value)


def raw_text(value: object) -> str | None:
    """A cell as typed, for raw_lat/raw_lon/raw_address: floats keep all digits."""
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    text = str(value).strip()
    return text or None


_FUNDING = (
    ("KCQG", ("kcqg", "quocgia", "khuyenconquocgia", "trunguong", "tw", "nstw", "ntw",
              "ngansachtrunguong")),
    ("KCDP", ("kcdp", "diaphuong", "khuyencongdiaphuong", "tinh", "nstinh", "ngansachtinh",
              "ngansachdiaphuong", "nsdp")),
)


def parse_funding(value: object) -> str | None:
    """'KCQG' or 'KCDP' from KCQG, 'Quốc gia', 'Trung ương', KCĐP, 'Địa phương', 'Tỉnh'."""
    if is_blank(value):
        return None
    key = fold(cell_text(value)).replace(" ", "")
    hits = {code for code, words in _FUNDING if any(w == key or (len(w) > 3 and w in key)
                                                    for w in words)}
    if len(hits) != 1:
        raise ValueError(f"unknown funding source '{cell_text(value)}' (KCQG/Quốc gia or "
                         "KCĐP/Địa phương)")
    return hits.pop()


# (activity code, folded keywords), most specific first
_ACTIVITY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cleaner_production", ("san xuat sach hon", "tiet kiem nang luong", "sxsh",
                            "su dung nang luong", "nang luong hieu qua")),
    ("product_award", ("san pham cong nghiep nong thon tieu bieu", "san pham cnnt tieu bieu",
                       "san pham tieu bieu", "binh chon san pham", "cnnt tieu bieu")),
    ("trade_fair", ("hoi cho", "trien lam", "xuc tien thuong mai", "gian hang")),
    ("industrial_cluster", ("cum cong nghiep", "ccn", "ha tang cum")),
    ("demonstration", ("mo hinh trinh dien", "trinh dien", "mo hinh")),
    ("machinery", ("may moc", "thiet bi", "ung dung may", "chuyen giao cong nghe",
                   "dau tu may")),
    ("training", ("dao tao nghe", "dao tao", "truyen nghe", "day nghe")),
    ("capacity", ("tap huan", "nang cao nang luc", "hoi thao", "tham quan", "boi duong")),
    ("other", ("hoat dong khac", "khac")),
)


def parse_activity(value: object, codes: Iterable[str]) -> str | None:
    """Activity code from a code, a Vietnamese name or a keyword; None when not recognised."""
    text = cell_text(value)
    if not text:
        return None
    known = set(codes)
    if text in known:
        return text
    f = f" {fold(text)} "
    for code, words in _ACTIVITY_WORDS:
        if code in known and any(f" {w} " in f for w in words):
            return code
    return None


_STATUS = (
    ("cancelled", ("huy", "da huy", "dung", "dung thuc hien", "khong thuc hien", "cancelled")),
    ("in_progress", ("dang thuc hien", "dang trien khai", "chua hoan thanh", "in progress",
                     "in_progress", "dang lam")),
    ("completed", ("hoan thanh", "da hoan thanh", "da nghiem thu", "nghiem thu", "xong",
                   "da thuc hien", "completed", "da quyet toan", "quyet toan")),
    ("approved", ("da phe duyet", "phe duyet", "duoc duyet", "da duyet", "approved")),
    ("planned", ("ke hoach", "du kien", "planned", "chua thuc hien", "de xuat")),
)


def parse_status(value: object) -> str | None:
    """Project status code from 'Hoàn thành', 'Đang thực hiện', 'Kế hoạch' ... (None blank)."""
    if is_blank(value):
        return None
    f = fold(cell_text(value))
    for code, words in _STATUS:
        if f in words:
            return code
    for code, words in _STATUS:
        if any(f.startswith(w + " ") for w in words):
            return code
    raise ValueError(f"unknown status '{cell_text(value)}' (Hoàn thành, Đang thực hiện, "
                     "Đã phê duyệt, Kế hoạch, Hủy)")


def split_coordinates(value: object) -> tuple[object, object]:
    """One 'Tọa độ' cell '15.12, 108.80' (or '15,12; 108,80') → (lat, lon) raw texts."""
    text = cell_text(value)
    if not text:
        return None, None
    for sep in (";", " - ", "|"):
        if sep in text:
            a, _, b = text.partition(sep)
            return a.strip(), b.strip()
    if text.count(",") == 1:
        a, _, b = text.partition(",")
        return a.strip(), b.strip()
    if ", " in text:
        a, _, b = text.partition(", ")
        return a.strip(), b.strip()
    parts = text.split()
    if len(parts) == 2:
        return parts[0], parts[1]
    raise ValueError(f"cannot split '{text}' into latitude and longitude")
