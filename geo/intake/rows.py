"""One spreadsheet row: skip rules, cells, and the fields of each record kind parsed."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from geo.core.textnorm import fold
from geo.gazetteer.index import GazetteerIndex
from geo.geocoding.geocoder import GeocodeResult
from geo.intake.columns import (
    Columns,
    label,
)
from geo.intake.sheet_reader import Sheet, cell_text
from geo.intake.values import (
    is_blank,
    parse_activity,
    parse_count,
    parse_funding,
    parse_money,
    parse_phone,
    parse_status,
    parse_text,
    parse_year,
    year_in,
)
from geo.records.kinds import RecordKind

KEY_PREFIX = {RecordKind.ESTABLISHMENT: "import:est:", RecordKind.CRAFT_VILLAGE: "import:vil:",
              RecordKind.PROJECT: "import:prj:"}
SERIAL_KEYS = {"stt", "tt", "sott", "sothutu"}
TOTAL_WORDS = {"tong cong", "cong", "tong", "tong so", "cong toan tinh", "tong cong toan tinh"}
SECTION_START = ("huyen ", "thi xa ", "thanh pho ", "tp ", "tx ", "dia ban ", "khu vuc ")
ROMAN = re.compile(r"^[IVXLC]+\s*[.)/:-]\s*\S", re.IGNORECASE)
NUMBERING = re.compile(r"^\(?(\d{1,2})\)?$")
PROGRESS_EVERY = 500
DEFAULT_STATUS = "completed"
BLANK_ROW = "dòng trống"


@dataclass
class RowContext:
    kind: RecordKind
    sheet: Sheet
    cols: Columns
    index: GazetteerIndex
    crs: str
    activity_codes: set[str]
    default_funding: str | None
    address_cache: dict[str, GeocodeResult] = field(default_factory=dict)


# -- one row ---------------------------------------------------------------------------------


def add_issue(issues: list[dict[str, str]], ctx: RowContext, name: str, message: str) -> None:
    entry = {"field": name, "message": message}
    header = ctx.cols.by_field.get(name)
    if header is not None:
        entry["column"] = f"{header.text} ({header.letter})"
    issues.append(entry)


def cell_value(values: list[object], ctx: RowContext, name: str) -> object:
    header = ctx.cols.by_field.get(name)
    if header is None or header.column >= len(values):
        return None
    return values[header.column]


def skip_reason(values: list[object], first: bool, label_columns: int
                 ) -> tuple[str, str] | None:
    """(field, message) when a row holds no record: blank, numbering, heading or totals.

    'Tổng cộng' / 'Cộng' counts only in the first `label_columns` columns (STT, name), so a
    note that mentions a total does not hide a record.
    """
    # cheap count first: a cell is filled unless empty or only spaces (as cell_text says)
    count = sum(1 for v in values if v is not None and (not isinstance(v, str) or v.strip()))
    if not count:
        return "row", BLANK_ROW
    for t in (cell_text(v) for v in values[:label_columns]):
        if not t:
            continue
        # cheap test first: totals words start with T or C ('Tổng cộng', 'Cộng')
        if len(t) <= 40 and t[0] in "TtCc" and (
                (f := fold_text(t)) in TOTAL_WORDS or f.startswith("tong cong")):
            return "row", f"dòng tổng cộng ('{t}')"
    if not first and count > 1:
        return None
    filled = [t for t in (cell_text(v) for v in values) if t]
    if first and len(filled) >= 3:
        numbers = [NUMBERING.match(t) for t in filled]
        if all(numbers):
            seq = [int(m.group(1)) for m in numbers if m]
            if seq == list(range(seq[0], seq[0] + len(seq))):
                return "row", "dòng đánh số cột"
    if len(filled) == 1:
        t = filled[0]
        if ROMAN.match(t) or fold_text(t).startswith(SECTION_START):
            return "row", f"dòng tiêu đề mục ('{t}')"
    return None


@lru_cache(maxsize=1 << 16)
def fold_text(text: str) -> str:
    """textnorm.fold, cached: the same commune and district names come back on every row."""
    return fold(text)


def norm_text(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def row_address(values: list[object], ctx: RowContext) -> str | None:
    """Address column, then hamlet, commune and district columns not already in it."""
    parts: list[str] = []
    seen = ""
    for name in ("address", "hamlet", "commune", "district"):
        text = cell_text(cell_value(values, ctx, name))
        if not text or is_blank(text):
            continue
        key = fold_text(text)
        if key and f" {key} " in f" {seen} ":
            continue
        parts.append(text)
        seen = f"{seen} {key}"
    return ", ".join(parts) or None


def record_key(kind: RecordKind, parts: Iterable[str]) -> str:
    """Stable key of an imported record: prefix + sha1 of what identifies it (the kind's
    plural name is hashed, as keys were made before RecordKind)."""
    digest = hashlib.sha1("\x1f".join([kind.plural, *parts]).encode("utf-8")).hexdigest()
    return KEY_PREFIX[kind] + digest[:24]


@dataclass
class Parsed:
    values: dict[str, object]
    identity: list[str]  # what the record_key hashes besides the place


def optional_value(values: list[object], ctx: RowContext, name: str,
              parse: Callable[[object], object], issues: list[dict[str, str]]) -> object:
    """An optional value; one that cannot be read is left empty, with an issue."""
    try:
        return parse(cell_value(values, ctx, name))
    except ValueError as exc:
        add_issue(issues, ctx, name, f"{exc}: để trống")
        return None


def required_text(values: list[object], ctx: RowContext, name: str,
                   issues: list[dict[str, str]], rejected: list[bool]) -> str | None:
    text = parse_text(cell_value(values, ctx, name))
    if text is None:
        add_issue(issues, ctx, name, f"thiếu '{label(name, ctx.kind)}' (bắt buộc)")
        rejected.append(True)
    return text


def parse_establishment(values: list[object], ctx: RowContext, issues: list[dict[str, str]],
                         rejected: list[bool]) -> Parsed:
    name = required_text(values, ctx, "name", issues, rejected)
    out: dict[str, object] = {
        "name": name,
        "owner_name": parse_text(cell_value(values, ctx, "owner_name")),
        "phone": parse_phone(cell_value(values, ctx, "phone")),
        "trade": parse_text(cell_value(values, ctx, "trade")),
        "workers": optional_value(values, ctx, "workers", parse_count, issues),
    }
    return Parsed(out, [norm_text(name)])


def parse_village(values: list[object], ctx: RowContext, issues: list[dict[str, str]],
                   rejected: list[bool]) -> Parsed:
    name = required_text(values, ctx, "name", issues, rejected)
    decision = parse_text(cell_value(values, ctx, "decision"))
    year = optional_value(values, ctx, "recognised_year", lambda v: parse_year(v, 1900, 2100),
                     issues)
    if year is None and "recognised_year" not in ctx.cols.by_field:
        year = year_in(decision)
    out: dict[str, object] = {
        "name": name,
        "trade": parse_text(cell_value(values, ctx, "trade")),
        "decision": decision,
        "recognised_year": year,
        "households": optional_value(values, ctx, "households", parse_count, issues),
        "workers": optional_value(values, ctx, "workers", parse_count, issues),
    }
    return Parsed(out, [norm_text(name)])


def parse_project(values: list[object], ctx: RowContext, issues: list[dict[str, str]],
                   rejected: list[bool]) -> Parsed:
    out: dict[str, object] = {}
    title = required_text(values, ctx, "title", issues, rejected)
    out["title"] = title

    def required(name: str, parse: Callable[[object], object]) -> object:
        raw = cell_value(values, ctx, name)
        try:
            value = parse(raw)
        except ValueError as exc:
            add_issue(issues, ctx, name, str(exc))
            rejected.append(True)
            return None
        if value is None:
            add_issue(issues, ctx, name, f"thiếu '{label(name, ctx.kind)}' (bắt buộc)")
            rejected.append(True)
        return value

    out["year"] = required("year", parse_year)
    out["kc_vnd"] = required("kc_vnd", lambda v: parse_money(
        v, ctx.cols.multiplier.get("kc_vnd", 1)))
    try:
        counterpart = parse_money(cell_value(values, ctx, "counterpart_vnd"),
                                  ctx.cols.multiplier.get("counterpart_vnd", 1))
    except ValueError as exc:
        add_issue(issues, ctx, "counterpart_vnd", str(exc))
        rejected.append(True)
        counterpart = None
    out["counterpart_vnd"] = counterpart or 0
    raw_funding = cell_value(values, ctx, "funding_source")
    try:
        funding = parse_funding(raw_funding)
    except ValueError as exc:
        add_issue(issues, ctx, "funding_source", str(exc))
        rejected.append(True)
        funding = None
    else:
        if funding is None and ctx.default_funding:
            funding = ctx.default_funding
            if "funding_source" in ctx.cols.by_field:
                add_issue(issues, ctx, "funding_source",
                       f"trống: dùng nguồn vốn mặc định {funding}")
        elif funding is None:
            add_issue(issues, ctx, "funding_source", "thiếu 'Nguồn vốn' (bắt buộc): "
                   "ghi KCQG hoặc KCĐP")
            rejected.append(True)
    out["funding_source"] = funding
    out["activity_type"] = activity_of(values, ctx, title, issues)
    beneficiary = parse_text(cell_value(values, ctx, "beneficiary"))
    out["beneficiary"] = beneficiary
    try:
        out["status"] = parse_status(cell_value(values, ctx, "status")) or DEFAULT_STATUS
    except ValueError as exc:
        add_issue(issues, ctx, "status", str(exc))
        rejected.append(True)
        out["status"] = None
    identity = [norm_text(title), str(out["year"]), norm_text(beneficiary)]
    return Parsed(out, identity)


def activity_of(values: list[object], ctx: RowContext, title: str | None,
              issues: list[dict[str, str]]) -> str:
    raw = cell_value(values, ctx, "activity_type")
    code = parse_activity(raw, ctx.activity_codes)
    if code is not None:
        return code
    typed = cell_text(raw)
    guessed = parse_activity(title, ctx.activity_codes) if not typed else None
    if guessed is not None and guessed != "other":
        add_issue(issues, ctx, "activity_type",
               f"trống: suy ra '{guessed}' từ tên đề án")
        return guessed
    message = f"không rõ loại hoạt động '{typed}'" if typed else "trống"
    add_issue(issues, ctx, "activity_type", f"{message}: lưu là 'hoạt động khác'")
    return "other"


PARSERS = {RecordKind.ESTABLISHMENT: parse_establishment,
           RecordKind.CRAFT_VILLAGE: parse_village, RecordKind.PROJECT: parse_project}


def row_signature(values: list[object], serial: set[int]) -> bytes:
    """Digest of the row's cells as typed, serial-number columns and trailing blanks left out."""
    cells = [None if v == "" else v for i, v in enumerate(values) if i not in serial]
    while cells and cells[-1] is None:
        cells.pop()
    return hashlib.blake2b(repr(cells).encode("utf-8"), digest_size=16).digest()
