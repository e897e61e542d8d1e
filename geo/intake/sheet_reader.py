"""Read .xlsx and .csv sheets as offices send them: title rows, two-row merged headers."""

from __future__ import annotations

import csv
import io
import re
import statistics
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from geo.core.errors import InvalidInput, KcmapError
from geo.core.settings import IntakeSettings
from geo.intake.file_limits import (
    Budget,
    check_cells,
    check_text_file,
    guard_rows,
)
from geo.intake.legacy_fonts import converting
from geo.intake.text_decode import decode_text

HEADER_SCAN_ROWS = 30  # the header row must start within the first rows of a sheet
CSV_DELIMITERS = (",", ";", "\t")
CSV_SHEET = "csv"  # the sheet name reported for a CSV file

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"

Score = Callable[[list["Header"]], int]


@dataclass(frozen=True)
class Header:
    """A column's header text: upper (group) part and lower part of a two-row header."""

    column: int  # 0-based
    upper: str
    lower: str

    @property
    def text(self) -> str:
        """The header as a person reads it: 'Tọa độ / Vĩ độ', or one text."""
        if self.upper and self.lower and self.upper != self.lower:
            return f"{self.upper} / {self.lower}"
        return self.lower or self.upper

    @property
    def letter(self) -> str:
        """Spreadsheet column letter: 'A', 'B', ..."""
        return str(get_column_letter(self.column + 1))


@dataclass
class Sheet:
    """A sheet found in a file: its header and an iterator over the data rows after it."""

    file: str
    name: str
    headers: list[Header]
    header_rows: tuple[int, int]  # first and last Excel row of the header
    rows: Iterator[tuple[int, list[object]]]  # (Excel row number, cell values)
    estimated_rows: int | None = None  # data rows, when the file says
    sheet_names: list[str] = field(default_factory=list)
    conversions: list[dict[str, str]] = field(default_factory=list)  # text encodings converted

    def where(self) -> str:
        """'file.xlsx, sheet 'DS'' for messages."""
        return f"{self.file}, trang '{self.name}'"


def cell_text(value: object) -> str:
    """A cell as clean text: NFC, single spaces, no surrounding space ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    return " ".join(text.split())


def _is_blank(values: list[object]) -> bool:
    return all(cell_text(v) == "" for v in values)


def _pad(values: list[object], width: int) -> list[object]:
    return values + [None] * (width - len(values)) if len(values) < width else values


def merge_headers(upper: list[object] | None, lower: list[object],
                  merges: list[tuple[int, int, int, int]] | None = None,
                  upper_row: int = 0) -> list[Header]:
    """Headers of one row, or of two rows where an upper cell spans the columns below it."""
    width = max(len(lower), len(upper or []))
    low = [cell_text(v) for v in _pad(list(lower), width)]
    if upper is None:
        return [Header(i, "", text) for i, text in enumerate(low)]
    up = [cell_text(v) for v in _pad(list(upper), width)]
    spans: dict[int, int] = {}  # column -> column whose upper text covers it
    if merges is not None:
        for r0, c0, r1, c1 in merges:
            if r0 <= upper_row <= r1:
                for c in range(c0, min(c1, width - 1) + 1):
                    spans[c] = c0
    else:
        # no merge records (CSV): an empty upper cell over a sub-header belongs to the
        # nearest upper text on its left when that one also has a sub-header (a group)
        group = None
        for c in range(width):
            if up[c]:
                group = c if low[c] else None
            elif low[c] and group is not None:
                spans[c] = group
            else:
                group = None
    headers = []
    for c in range(width):
        top = up[c] or (up[spans[c]] if c in spans else "")
        headers.append(Header(c, top, low[c]))
    return headers


def _best_header(head: list[list[object]], score: Score,
                 merges: list[tuple[int, int, int, int]] | None
                 ) -> tuple[int, int, list[Header]] | None:
    """(first, last) 0-based row index of the best-scoring one- or two-row header."""
    best: tuple[tuple[int, int], int, int, list[Header]] | None = None
    for i, row in enumerate(head):
        if _is_blank(row):
            continue
        single = merge_headers(None, row)
        options = [((score(single), 0), i, i, single)]
        if i + 1 < len(head) and not _is_blank(head[i + 1]):
            pair = merge_headers(row, head[i + 1], merges, i)
            options.append(((score(pair), -1), i, i + 1, pair))
        for rank, first, last, headers in options:
            # more known columns wins; on a tie one row beats two (a title over the header),
            # then the earlier row
            if rank[0] > 0 and (best is None or rank > best[0]):
                best = (rank, first, last, headers)
    return None if best is None else (best[1], best[2], best[3])


# -- xlsx ------------------------------------------------------------------------------------


def sheet_part(archive: zipfile.ZipFile, name: str) -> str | None:
    """Path inside the zip of the worksheet called `name`."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target") or "" for r in rels.iter(f"{_NS_PKG}Relationship")}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        if sheet.get("name") == name:
            target = targets.get(sheet.get(f"{_NS_REL}id"), "")
            if not target:
                return None
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target)
    return None


def read_merges(path: Path, sheet_name: str, max_row: int = HEADER_SCAN_ROWS + 2
                ) -> list[tuple[int, int, int, int]]:
    """Merged ranges (0-based first row, first col, last row, last col) near the sheet top."""
    out: list[tuple[int, int, int, int]] = []
    with zipfile.ZipFile(path) as archive:
        part = sheet_part(archive, sheet_name)
        if part is None:
            return out
        tail = b""
        with archive.open(part) as src:  # streamed: <mergeCells> comes after the data
            while chunk := src.read(1 << 20):
                data = tail + chunk
                for m in _MERGE.finditer(data):
                    r0, r1 = int(m.group(2)) - 1, int(m.group(4)) - 1
                    if r0 < max_row:
                        out.append((r0, column_index_from_string(m.group(1).decode()) - 1,
                                    r1, column_index_from_string(m.group(3).decode()) - 1))
                keep = data.rfind(b"<")
                tail = data[keep:] if keep >= 0 and len(data) - keep < 200 else b""
    return sorted(set(out))


def _read_head(file: str, source: Iterator[Any], limits: IntakeSettings) -> list[list[object]]:
    """The first rows, where the header is looked for (cells checked, read errors named)."""
    head: list[list[object]] = []
    try:
        for values in source:
            head.append(list(values))
            check_cells(file, len(head), head[-1], limits)
            if len(head) >= HEADER_SCAN_ROWS + 1:
                break
    except KcmapError:
        raise
    except Exception as exc:  # openpyxl, lxml and csv raise many unrelated classes
        raise InvalidInput(f"{file}: không đọc được dòng {len(head) + 1} "
                           f"({type(exc).__name__}: {str(exc)[:200]})") from exc
    return head


# -- csv -------------------------------------------------------------------------------------


def _decode(path: Path, limits: IntakeSettings) -> tuple[str, str]:
    check_text_file(path, limits)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path.name}: không mở được tệp ({exc.strerror or exc})") from exc
    if raw[:4] == b"PK\x03\x04":
        raise InvalidInput(f"{path.name}: không phải tệp CSV dạng văn bản (nội dung nhị phân)")
    return decode_text(raw, path.name)


def sniff_delimiter(text: str) -> str:
    """',' ';' or tab: the one giving the most columns on the typical non-blank line."""
    sample = text[:65536].splitlines()[:60]
    best, best_width = ",", 0
    for delimiter in CSV_DELIMITERS:
        widths = [len(r) for r in csv.reader(sample, delimiter=delimiter) if any(
            c.strip() for c in r)]
        width = int(statistics.median(widths)) if widths else 0
        if width > best_width:
            best, best_width = delimiter, width
    return best


def header_and_rows(file: str, sheet: str, source: Iterator[Any], score: Score,
                    limits: IntakeSettings,
                    merges: list[tuple[int, int, int, int]] | None = None
                    ) -> tuple[int, int, list[Header], Iterator[tuple[int, list[object]]]]:
    """The header rows (0-based first, last), headers and numbered data rows of a row source
    (`merges`: the sheet's merged ranges near its top; None for CSV and .xls/.ods)."""
    head = _read_head(file, source, limits)
    found = _best_header(head, score, merges)
    if found is None:
        raise InvalidInput(f"{file}, trang '{sheet}': không thấy dòng tiêu đề có tên cột "
                           f"quen thuộc trong {HEADER_SCAN_ROWS} dòng đầu")
    first, last, headers = found

    def rows() -> Iterator[tuple[int, list[object]]]:
        for number, values in enumerate(head, 1):
            if number > last + 1:
                yield number, values
        for number, cells in enumerate(source, len(head) + 1):
            yield number, list(cells)

    return first, last, headers, rows()


def _open_csv(path: Path, sheet: str | None, score: Score, limits: IntakeSettings) -> Sheet:
    if sheet not in (None, CSV_SHEET):
        raise InvalidInput(f"{path.name}: không có trang '{sheet}' (tệp CSV chỉ có một trang, "
                           f"'{CSV_SHEET}')")
    budget = Budget(path.name, limits)
    text, encoding = _decode(path, limits)
    conversions: list[dict[str, str]] = []
    reader = converting(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text)),
                        conversions)
    first, last, headers, rows = header_and_rows(path.name, CSV_SHEET, reader, score, limits)
    estimate = max(0, text.count("\n") - last - 1)
    if encoding not in ("UTF-8", "UTF-16"):
        conversions.insert(0, {"column": "*", "encoding": encoding})
    return Sheet(path.name, CSV_SHEET, headers, (first + 1, last + 1),
                 guard_rows(path.name, rows, limits, budget), estimate, [CSV_SHEET],
                 conversions)


def open_sheet(path: str | Path, sheet: str | None, score: Score,
               limits: IntakeSettings | None = None) -> Sheet:
    """Open a .xlsx, .xls, .ods or .csv/.txt, find its header (best `score`), and stream the
    rows below it (columns typed in TCVN3 or VNI converted, see `Sheet.conversions`).

    The file is refused (InvalidInput naming it) over any of `limits` (default: from the
    KCMAP_IMPORT_* environment), or when it is corrupt or carries XML declarations."""
    limits = limits or IntakeSettings()
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"{p.name}: không tìm thấy tệp ({p})")
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from geo.intake.calamine_reader import open_xlsx

        opened = open_xlsx(p, sheet, score, limits)
    elif suffix in (".csv", ".txt"):
        opened = _open_csv(p, sheet, score, limits)
    elif suffix in (".xls", ".ods"):
        from geo.intake.calamine_reader import open_calamine

        opened = open_calamine(p, sheet, score, limits)
    else:
        raise InvalidInput(f"{p.name}: không phải bảng tính (cần tệp .xlsx, .xls, .ods hoặc .csv)")
    _name_conversions(opened)
    return opened


def _name_conversions(opened: Sheet) -> None:
    """Give each converted column its letter and header text."""
    by_column = {h.column: h for h in opened.headers}
    for entry in opened.conversions:
        if entry["column"] == "*":
            entry.update(column="*", header="(cả tệp)")
            continue
        index = int(entry["column"])
        header = by_column.get(index)
        entry.update(column=get_column_letter(index + 1),
                     header=header.text if header is not None else "")
