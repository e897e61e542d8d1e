"""Import a spreadsheet of establishments, craft villages or projects: parse, geocode, upsert.

Per data row: blank rows, column-numbering rows, section headings and 'Tổng cộng'/'Cộng'
rows are *skipped*; a copy of an earlier row is a *duplicate*; a row whose required field is
blank or unreadable is *rejected*; every other row is *accepted* (with issues when something
was doubtful: an optional value not stored, an address not found, a point that contradicts
its address). Accepted rows are upserted by a record_key built from what identifies the
record (kind, name or title — plus year and beneficiary for projects — and the commune and
district as typed), so importing the same file again changes nothing; a location a person
confirmed or moved in the review workflow is kept. With ``strict`` one rejected row
aborts the import (ImportAborted) before anything is written; with ``dry_run`` everything is
written inside a savepoint that is then rolled back.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.core.db import Connection
from geo.core.errors import InvalidInput
from geo.core.textnorm import fold, name_key
from geo.gazetteer.index import GazetteerIndex, load_index
from geo.geocoding.geocoder import GeocodeResult, geocode_address, locate
from geo.intake.fields import (
    KINDS,
    REQUIRED,
    Columns,
    header_key,
    header_score,
    is_blank,
    label,
    load_mapping,
    match_columns,
    parse_activity,
    parse_count,
    parse_funding,
    parse_money,
    parse_phone,
    parse_status,
    parse_text,
    parse_year,
    raw_text,
    split_coordinates,
    year_in,
)
from geo.intake.sheet_reader import Sheet, cell_text, open_sheet
from geo.intake.store import TABLES, LocationRow, RecordRow, WriteCounts, write_records

STATUSES = ("accepted", "rejected", "duplicate", "skipped")
KEY_PREFIX = {"establishments": "import:est:", "villages": "import:vil:",
              "projects": "import:prj:"}
SERIAL_KEYS = {"stt", "tt", "sott", "sothutu"}
TOTAL_WORDS = {"tong cong", "cong", "tong", "tong so", "cong toan tinh", "tong cong toan tinh"}
SECTION_START = ("huyen ", "thi xa ", "thanh pho ", "tp ", "tx ", "dia ban ", "khu vuc ")
_ROMAN = re.compile(r"^[IVXLC]+\s*[.)/:-]\s*\S", re.IGNORECASE)
_NUMBERING = re.compile(r"^\(?(\d{1,2})\)?$")
PROGRESS_EVERY = 500
DEFAULT_STATUS = "completed"

Progress = Callable[[int, int | None], None]


class ImportAborted(InvalidInput):
    """--strict and some rows were rejected: nothing was written; the result says why."""

    def __init__(self, message: str, result: ImportResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass(slots=True)
class RowResult:
    """What happened to one sheet row."""

    row: int
    status: str
    issues: list[dict[str, str]] = field(default_factory=list)
    record_key: str | None = None
    commune_code: str | None = None
    district_code: str | None = None
    commune_code_2025: str | None = None
    precision: str | None = None
    lon: float | None = None
    lat: float | None = None
    geocode_status: str | None = None
    method: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready entry of the report's `rows`."""
        return {"row": self.row, "status": self.status, "issues": self.issues,
                "record_key": self.record_key, "commune_code": self.commune_code,
                "district_code": self.district_code,
                "commune_code_2025": self.commune_code_2025, "precision": self.precision,
                "lon": self.lon, "lat": self.lat, "geocode_status": self.geocode_status,
                "method": self.method}


@dataclass
class ImportResult:
    """Everything an import did, row by row, with totals."""

    kind: str
    file: str
    sheet: str
    header_rows: tuple[int, int]
    columns: list[dict[str, str | None]]
    rows: list[RowResult] = field(default_factory=list)
    written: WriteCounts = field(default_factory=WriteCounts)
    dry_run: bool = False
    strict: bool = False
    aborted: bool = False

    def summary(self) -> dict[str, int]:
        """Rows per status, and in total."""
        counts = Counter(r.status for r in self.rows)
        return {**{s: counts.get(s, 0) for s in STATUSES}, "total": len(self.rows)}

    def to_dict(self) -> dict[str, Any]:
        """The JSON report: rows, summary, records and positions written, columns."""
        accepted = [r for r in self.rows if r.status == "accepted"]
        return {
            "kind": self.kind, "file": self.file, "sheet": self.sheet,
            "header_rows": list(self.header_rows), "dry_run": self.dry_run,
            "strict": self.strict, "aborted": self.aborted,
            "summary": self.summary(),
            "records": {"inserted": self.written.inserted, "updated": self.written.updated,
                        "unchanged": self.written.unchanged},
            "locations": {"written": self.written.locations_written,
                          "unchanged": self.written.locations_unchanged,
                          "kept_reviewed": len(self.written.locations_kept)},
            "precision": dict(Counter(str(r.precision) for r in accepted)),
            "geocode_status": dict(Counter(str(r.geocode_status) for r in accepted)),
            "columns": self.columns,
            "rows": [r.to_dict() for r in self.rows],
        }


@dataclass
class _Context:
    kind: str
    sheet: Sheet
    cols: Columns
    index: GazetteerIndex
    crs: str
    activity_codes: set[str]
    default_funding: str | None
    address_cache: dict[str, GeocodeResult] = field(default_factory=dict)


# -- set-up ----------------------------------------------------------------------------------


def check_crs(crs: str) -> str:
    """The --crs value if pyproj knows it, else InvalidInput."""
    try:
        CRS.from_user_input(crs)
    except CRSError as exc:
        raise InvalidInput(f"--crs {crs}: unknown coordinate reference system") from exc
    return crs


def _check_columns(kind: str, sheet: Sheet, cols: Columns, default_funding: str | None) -> None:
    where = sheet.where()
    found = ", ".join(f"'{h.text}'" for h in sheet.headers if h.text)
    for name in REQUIRED[kind]:
        if name == "funding_source" and default_funding:
            continue
        if name not in cols.by_field:
            hint = " or give --funding-source" if name == "funding_source" else ""
            raise InvalidInput(f"{where}: missing required column '{label(name, kind)}' "
                               f"({name}){hint}; columns found: {found}")
    has_lat, has_lon = "lat" in cols.by_field, "lon" in cols.by_field
    if has_lat != has_lon:
        have, missing = ("lat", "lon") if has_lat else ("lon", "lat")
        raise InvalidInput(f"{where}: column {cols.describe(have)} has no matching column "
                           f"'{label(missing)}' ({missing})")
    place = ("address", "hamlet", "commune", "district", "lat", "coordinates")
    if not any(p in cols.by_field for p in place):
        raise InvalidInput(f"{where}: no address column ('Địa chỉ', 'Xã/Phường/TT', "
                           f"'Huyện/TX/TP') and no coordinate column ('Vĩ độ', 'Kinh độ'); "
                           f"columns found: {found}")


def _prerequisites(conn: Connection) -> set[str]:
    """Activity type codes; InvalidInput when the gazetteer is empty."""
    with conn.cursor() as cur:
        cur.execute("SELECT EXISTS (SELECT 1 FROM admin_unit WHERE edition = 'legacy' "
                    "AND level = 'commune')")
        row = cur.fetchone()
        if not (row and row[0]):
            raise InvalidInput("the gazetteer is empty: run `kcmap setup` or "
                               "`kcmap gazetteer load` first")
        cur.execute("SELECT code FROM activity_type")
        return {str(code) for (code,) in cur.fetchall()}


# -- one row ---------------------------------------------------------------------------------


def _issue(issues: list[dict[str, str]], ctx: _Context, name: str, message: str) -> None:
    entry = {"field": name, "message": message}
    header = ctx.cols.by_field.get(name)
    if header is not None:
        entry["column"] = f"{header.text} ({header.letter})"
    issues.append(entry)


def _cell(values: list[object], ctx: _Context, name: str) -> object:
    header = ctx.cols.by_field.get(name)
    if header is None or header.column >= len(values):
        return None
    return values[header.column]


def _skip_reason(values: list[object], first: bool, label_columns: int
                 ) -> tuple[str, str] | None:
    """(field, message) when a row holds no record: blank, numbering, heading or totals.

    'Tổng cộng' / 'Cộng' counts only in the first `label_columns` columns (STT, name), so a
    note that mentions a total does not hide a record.
    """
    texts = [cell_text(v) for v in values]
    filled = [t for t in texts if t]
    if not filled:
        return "row", "blank row"
    for t in texts[:label_columns]:
        if not t:
            continue
        # cheap test first: totals words start with T or C ('Tổng cộng', 'Cộng')
        if len(t) <= 40 and t[0] in "TtCc" and (
                (f := _fold(t)) in TOTAL_WORDS or f.startswith("tong cong")):
            return "row", f"totals row ('{t}')"
    if first and len(filled) >= 3:
        numbers = [_NUMBERING.match(t) for t in filled]
        if all(numbers):
            seq = [int(m.group(1)) for m in numbers if m]
            if seq == list(range(seq[0], seq[0] + len(seq))):
                return "row", "column numbering row"
    if len(filled) == 1:
        t = filled[0]
        if _ROMAN.match(t) or _fold(t).startswith(SECTION_START):
            return "row", f"section heading ('{t}')"
    return None


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    """textnorm.fold, cached: the same commune and district names come back on every row."""
    return fold(text)


def _norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def _address(values: list[object], ctx: _Context) -> str | None:
    """Address column, then hamlet, commune and district columns not already in it."""
    parts: list[str] = []
    seen = ""
    for name in ("address", "hamlet", "commune", "district"):
        text = cell_text(_cell(values, ctx, name))
        if not text or is_blank(text):
            continue
        key = _fold(text)
        if key and f" {key} " in f" {seen} ":
            continue
        parts.append(text)
        seen = f"{seen} {key}"
    return ", ".join(parts) or None


def _geocode_address(ctx: _Context, address: str) -> GeocodeResult:
    found = ctx.address_cache.get(address)
    if found is None:
        found = geocode_address(ctx.index, address)
        ctx.address_cache[address] = found
    return found


def _location_key(values: list[object], ctx: _Context, address: str | None, lat: object,
                  lon: object) -> str:
    """The place part of a record_key: commune/district cells as typed, else address, else point."""
    # typed text, not geocoder output: a better geocoder or new boundaries never change keys;
    # type words do not count ('Xã Tịnh Hà' = 'Tịnh Hà')
    units = [name_key(cell_text(_cell(values, ctx, n))) for n in ("commune", "district")]
    if any(units):
        return "u:" + "|".join(units)
    if address:
        return "t:" + _fold(address)
    return f"p:{raw_text(lat) or ''},{raw_text(lon) or ''}"


def record_key(kind: str, parts: Iterable[str]) -> str:
    """Stable key of an imported record: prefix + sha1 of what identifies it."""
    digest = hashlib.sha1("\x1f".join([kind, *parts]).encode("utf-8")).hexdigest()
    return KEY_PREFIX[kind] + digest[:24]


@dataclass
class _Parsed:
    values: dict[str, object]
    identity: list[str]  # what the record_key hashes besides the place


def _optional(values: list[object], ctx: _Context, name: str,
              parse: Callable[[object], object], issues: list[dict[str, str]]) -> object:
    """An optional value; one that cannot be read is left empty, with an issue."""
    try:
        return parse(_cell(values, ctx, name))
    except ValueError as exc:
        _issue(issues, ctx, name, f"{exc}: left empty")
        return None


def _required_text(values: list[object], ctx: _Context, name: str,
                   issues: list[dict[str, str]], rejected: list[bool]) -> str | None:
    text = parse_text(_cell(values, ctx, name))
    if text is None:
        _issue(issues, ctx, name, f"required '{label(name, ctx.kind)}' is blank")
        rejected.append(True)
    return text


def _parse_establishment(values: list[object], ctx: _Context, issues: list[dict[str, str]],
                         rejected: list[bool]) -> _Parsed:
    name = _required_text(values, ctx, "name", issues, rejected)
    out: dict[str, object] = {
        "name": name,
        "owner_name": parse_text(_cell(values, ctx, "owner_name")),
        "phone": parse_phone(_cell(values, ctx, "phone")),
        "trade": parse_text(_cell(values, ctx, "trade")),
        "workers": _optional(values, ctx, "workers", parse_count, issues),
    }
    return _Parsed(out, [_norm(name)])


def _parse_village(values: list[object], ctx: _Context, issues: list[dict[str, str]],
                   rejected: list[bool]) -> _Parsed:
    name = _required_text(values, ctx, "name", issues, rejected)
    decision = parse_text(_cell(values, ctx, "decision"))
    year = _optional(values, ctx, "recognised_year", lambda v: parse_year(v, 1900, 2100),
                     issues)
    if year is None and "recognised_year" not in ctx.cols.by_field:
        year = year_in(decision)
    out: dict[str, object] = {
        "name": name,
        "trade": parse_text(_cell(values, ctx, "trade")),
        "decision": decision,
        "recognised_year": year,
        "households": _optional(values, ctx, "households", parse_count, issues),
        "workers": _optional(values, ctx, "workers", parse_count, issues),
    }
    return _Parsed(out, [_norm(name)])


def _parse_project(values: list[object], ctx: _Context, issues: list[dict[str, str]],
                   rejected: list[bool]) -> _Parsed:
    out: dict[str, object] = {}
    title = _required_text(values, ctx, "title", issues, rejected)
    out["title"] = title

    def required(name: str, parse: Callable[[object], object]) -> object:
        raw = _cell(values, ctx, name)
        try:
            value = parse(raw)
        except ValueError as exc:
            _issue(issues, ctx, name, str(exc))
            rejected.append(True)
            return None
        if value is None:
            _issue(issues, ctx, name, f"required '{label(name, ctx.kind)}' is blank")
            rejected.append(True)
        return value

    out["year"] = required("year", parse_year)
    out["kc_vnd"] = required("kc_vnd", lambda v: parse_money(
        v, ctx.cols.multiplier.get("kc_vnd", 1)))
    try:
        counterpart = parse_money(_cell(values, ctx, "counterpart_vnd"),
                                  ctx.cols.multiplier.get("counterpart_vnd", 1))
    except ValueError as exc:
        _issue(issues, ctx, "counterpart_vnd", str(exc))
        rejected.append(True)
        counterpart = None
    out["counterpart_vnd"] = counterpart or 0
    raw_funding = _cell(values, ctx, "funding_source")
    try:
        funding = parse_funding(raw_funding)
    except ValueError as exc:
        _issue(issues, ctx, "funding_source", str(exc))
        rejected.append(True)
        funding = None
    else:
        if funding is None and ctx.default_funding:
            funding = ctx.default_funding
            if "funding_source" in ctx.cols.by_field:
                _issue(issues, ctx, "funding_source",
                       f"blank: {funding} from --funding-source used")
        elif funding is None:
            _issue(issues, ctx, "funding_source", "required 'Nguồn vốn' is blank "
                   "(KCQG or KCĐP; or give --funding-source)")
            rejected.append(True)
    out["funding_source"] = funding
    out["activity_type"] = _activity(values, ctx, title, issues)
    beneficiary = parse_text(_cell(values, ctx, "beneficiary"))
    out["beneficiary"] = beneficiary
    try:
        out["status"] = parse_status(_cell(values, ctx, "status")) or DEFAULT_STATUS
    except ValueError as exc:
        _issue(issues, ctx, "status", str(exc))
        rejected.append(True)
        out["status"] = None
    identity = [_norm(title), str(out["year"]), _norm(beneficiary)]
    return _Parsed(out, identity)


def _activity(values: list[object], ctx: _Context, title: str | None,
              issues: list[dict[str, str]]) -> str:
    raw = _cell(values, ctx, "activity_type")
    code = parse_activity(raw, ctx.activity_codes)
    if code is not None:
        return code
    typed = cell_text(raw)
    guessed = parse_activity(title, ctx.activity_codes) if not typed else None
    if guessed is not None and guessed != "other":
        _issue(issues, ctx, "activity_type",
               f"blank: '{guessed}' inferred from the title")
        return guessed
    message = f"unknown activity type '{typed}'" if typed else "blank"
    _issue(issues, ctx, "activity_type", f"{message}: stored as 'other'")
    return "other"


_PARSERS = {"establishments": _parse_establishment, "villages": _parse_village,
            "projects": _parse_project}


def _locate(values: list[object], ctx: _Context, number: int, result: RowResult
            ) -> tuple[LocationRow, str]:
    """Geocode a row; fill the row result; return the location and the key's place part."""
    address = _address(values, ctx)
    lat_raw, lon_raw = _cell(values, ctx, "lat"), _cell(values, ctx, "lon")
    if "coordinates" in ctx.cols.by_field and is_blank(lat_raw) and is_blank(lon_raw):
        try:
            lat_raw, lon_raw = split_coordinates(_cell(values, ctx, "coordinates"))
        except ValueError as exc:
            _issue(result.issues, ctx, "coordinates", str(exc))
    lat_raw = None if is_blank(lat_raw) else lat_raw
    lon_raw = None if is_blank(lon_raw) else lon_raw
    by_address = _geocode_address(ctx, address) if address else None
    has_point = lat_raw is not None or lon_raw is not None
    if has_point:
        found = locate(ctx.index, address, lat_raw, lon_raw, vn2000_crs=ctx.crs)
    else:
        found = by_address or GeocodeResult()
    address_issues = list(by_address.issues) if by_address else []
    for text in address_issues:
        _issue(result.issues, ctx, "address", text)
    point_field = "coordinates" if "coordinates" in ctx.cols.by_field and \
        "lat" not in ctx.cols.by_field else "lat,lon"
    for text in found.issues:
        if text in address_issues:
            address_issues.remove(text)
        else:
            _issue(result.issues, ctx, point_field, text)
    precision, lon, lat = found.precision, found.lon, found.lat
    if precision == "none":
        lon = lat = None
    elif lon is None or lat is None:
        _issue(result.issues, ctx, "address", f"no point for the {precision}: stored "
               "without a position")
        precision = "none"
    if precision == "none":
        what = "no address and no coordinates" if not address and not has_point else \
            "no usable position"
        _issue(result.issues, ctx, "address", f"{what}: stored without a position")
    elif precision in ("district", "province") and found.status == "ok":
        _issue(result.issues, ctx, "address", f"no commune recognised: placed at the "
               f"{precision} only")
    result.commune_code, result.district_code = found.commune_code, found.district_code
    result.commune_code_2025 = found.commune_code_2025
    result.precision, result.lon, result.lat = precision, lon, lat
    result.geocode_status, result.method = found.status, found.method
    location = LocationRow(
        lon=lon, lat=lat, precision=precision, commune_code=found.commune_code,
        district_code=found.district_code, raw_address=address, raw_lat=raw_text(lat_raw),
        raw_lon=raw_text(lon_raw), method=found.method,
        score=min(1.0, max(0.0, float(found.score))), geocode_status=found.status,
        source_file=ctx.sheet.file, source_row=number)
    return location, _location_key(values, ctx, address, lat_raw, lon_raw)


def _record_values(kind: str, parsed: dict[str, object], location: LocationRow
                   ) -> tuple[object, ...]:
    if kind == "establishments":
        parsed = {**parsed, "address_raw": location.raw_address}
    return tuple(parsed.get(c) for c in TABLES[kind].columns)


def _signature(values: list[object], serial: set[int]) -> bytes:
    """Digest of the row's cells as typed, serial-number columns and trailing blanks left out."""
    cells = [None if v == "" else v for i, v in enumerate(values) if i not in serial]
    while cells and cells[-1] is None:
        cells.pop()
    return hashlib.blake2b(repr(cells).encode("utf-8"), digest_size=16).digest()


def _differences(kind: str, a: RecordRow, b: RecordRow) -> list[str]:
    names = [c for c, x, y in zip(TABLES[kind].columns, a.values, b.values, strict=True)
             if x != y]
    if a.location.raw_address != b.location.raw_address:
        names.append("address")
    if (a.location.raw_lat, a.location.raw_lon) != (b.location.raw_lat, b.location.raw_lon):
        names.append("lat,lon")
    return names


# -- the import ------------------------------------------------------------------------------


def _process(ctx: _Context, progress: Progress | None) -> tuple[list[RowResult],
                                                                  list[RecordRow]]:
    results: list[RowResult] = []
    records: list[RecordRow] = []
    by_key: dict[str, tuple[int, RecordRow]] = {}
    seen_rows: dict[bytes, int] = {}
    serial = {h.column for h in ctx.cols.ignored
              if header_key(h.lower or h.upper) in SERIAL_KEYS}
    pending_blank: list[RowResult] = []
    first = True
    parse = _PARSERS[ctx.kind]
    name_header = ctx.cols.by_field.get("title" if ctx.kind == "projects" else "name")
    label_columns = max(2, name_header.column + 1) if name_header is not None else 2
    done = 0
    for number, values in ctx.sheet.rows:
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, ctx.sheet.estimated_rows)
        skip = _skip_reason(values, first, label_columns)
        if skip is not None and skip[1] == "blank row":
            pending_blank.append(RowResult(number, "skipped",
                                           [{"field": skip[0], "message": skip[1]}]))
            continue
        results.extend(pending_blank)  # blank rows count only when data follows them
        pending_blank = []
        first = False
        if skip is not None:
            results.append(RowResult(number, "skipped", [{"field": skip[0], "message": skip[1]}]))
            continue
        signature = _signature(values, serial)
        if signature in seen_rows:
            results.append(RowResult(number, "duplicate", [{
                "field": "row", "message": f"exact copy of row {seen_rows[signature]}"}]))
            continue
        seen_rows[signature] = number
        result = RowResult(number, "accepted")
        rejected: list[bool] = []
        parsed = parse(values, ctx, result.issues, rejected)
        location, place = _locate(values, ctx, number, result)
        if rejected:
            result.status = "rejected"
            results.append(result)
            continue
        key = record_key(ctx.kind, [*parsed.identity, place])
        record = RecordRow(key, _record_values(ctx.kind, parsed.values, location), location)
        result.record_key = key
        if key in by_key:
            other_row, other = by_key[key]
            diff = _differences(ctx.kind, other, record)
            main = "title" if ctx.kind == "projects" else "name"
            if not diff:
                result.status = "duplicate"
                result.issues.append({"field": "row", "message": f"same record as row {other_row}"})
            else:
                result.status = "rejected"
                _issue(result.issues, ctx, main,
                       f"same record as row {other_row} (same {label(main, ctx.kind)} and "
                       f"place) with different {', '.join(diff)}: merge or rename the rows")
            results.append(result)
            continue
        by_key[key] = (number, record)
        records.append(record)
        results.append(result)
    if progress is not None:
        progress(done, done)
    return results, records


def _columns_report(sheet: Sheet, cols: Columns) -> list[dict[str, str | None]]:
    fields = {h.column: name for name, h in cols.by_field.items()}
    ignored = {h.column for h in cols.ignored}
    repeated = {h.column: name for h, name in cols.repeated}
    out: list[dict[str, str | None]] = []
    for h in sheet.headers:
        if not h.text:
            continue
        name = fields.get(h.column)
        note = None
        if name is None:
            note = "ignored" if h.column in ignored else \
                f"second '{repeated[h.column]}' column, not used" if h.column in repeated \
                else "unknown header, not used"
        out.append({"column": h.letter, "header": h.text, "field": name, "note": note})
    return out


def _note_kept(result: ImportResult) -> None:
    """Tell the rows whose stored location was reviewed by a person that it was kept."""
    kept = set(result.written.locations_kept)
    if not kept:
        return
    for row in result.rows:
        if row.record_key in kept:
            row.issues.append({"field": "lat,lon", "message": "location reviewed in kcmap: "
                               "kept, the file's position was not applied"})


def import_file(conn: Connection, kind: str, path: str | Path, *, sheet: str | None = None,
                mapping: str | Path | None = None, crs: str = "EPSG:5898",
                strict: bool = False, dry_run: bool = False,
                default_funding: str | None = None, progress: Progress | None = None,
                index: GazetteerIndex | None = None) -> ImportResult:
    """Import one sheet of `kind` into the open transaction of `conn` (never commits)."""
    if kind not in KINDS:
        raise InvalidInput(f"unknown import kind '{kind}' ({', '.join(KINDS)})")
    check_crs(crs)
    if default_funding is not None:
        default_funding = parse_funding(default_funding) if default_funding else None
    table = load_mapping(mapping, kind) if mapping else None
    opened = open_sheet(path, sheet, header_score(kind, table))
    cols = match_columns(kind, opened.headers, table)
    _check_columns(kind, opened, cols, default_funding)
    codes = _prerequisites(conn)
    ctx = _Context(kind, opened, cols, index or load_index(conn), crs, codes, default_funding)
    result = ImportResult(kind, opened.file, opened.name, opened.header_rows,
                          _columns_report(opened, cols), dry_run=dry_run, strict=strict)
    result.rows, records = _process(ctx, progress)
    summary = result.summary()
    if strict and summary["rejected"]:
        result.aborted = True
        first = next(r for r in result.rows if r.status == "rejected")
        issue = first.issues[0] if first.issues else {"field": "row", "message": "rejected"}
        raise ImportAborted(
            f"{opened.where()}: {summary['rejected']} row(s) rejected and --strict given; "
            f"nothing imported (first: row {first.row}, {issue['field']}: {issue['message']})",
            result)
    with conn.cursor() as cur:
        cur.execute("SAVEPOINT kcmap_import")
    try:
        result.written = write_records(conn, kind, records)
        _note_kept(result)
    except BaseException:
        with conn.cursor() as cur:
            cur.execute("ROLLBACK TO SAVEPOINT kcmap_import")
        raise
    with conn.cursor() as cur:
        cur.execute("ROLLBACK TO SAVEPOINT kcmap_import" if dry_run
                    else "RELEASE SAVEPOINT kcmap_import")
    return result
