"""Limits on spreadsheet files, checked before and while they are read.

A workbook (.xlsx) is a zip of XML parts. Before openpyxl parses anything, the zip directory
is checked (total uncompressed size, compression ratio of each large part, entry count) and
every XML part is streamed once: a DOCTYPE or ENTITY declaration (XXE, billion laughs), an
encoding other than UTF-8, an encrypted entry or corrupt deflate data refuses the file. The
rows are then counted, cell texts measured and the time budget watched while they stream.
Every refusal is an InvalidInput in Vietnamese naming the file (and the row and column).
"""

from __future__ import annotations

import re
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from openpyxl.utils.cell import get_column_letter

from geo.core.errors import InvalidInput, KcmapError
from geo.core.settings import IntakeSettings
from geo.records.spec import ESTABLISHMENT, SPECS, FieldType

MB = 1024 * 1024
RATIO_FROM_BYTES = 1 * MB  # parts smaller than this may compress as well as they like
MAX_ENTRIES = 10_000
_CHUNK = 1 << 20
_DECLS = (b"<!DOCTYPE", b"<!ENTITY")
_TAIL = 40  # bytes kept between chunks: longer than any declaration or row tag looked for
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_PREFIXED_ROW = re.compile(rb"<[A-Za-z_][\w.-]*:row[\s/>]")
WORKSHEETS = "xl/worksheets/"
_CHECK_EVERY = 256  # rows between two looks at the clock

# Longest text of an imported field: a record field's limit in its spec (geo.records.spec, as
# the PATCH models allow); the cells that make up the address are limited so that the address
# stays within address_raw's. Other fields: DEFAULT_FIELD_CHARS.
ADDRESS_CHARS = ESTABLISHMENT.field("address_raw").limit  # as stored (address_raw/raw_address)
FIELD_CHARS = {
    **{f.name: f.limit for spec in SPECS.values() for f in spec.fields
       if f.type is FieldType.TEXT},
    "address": ADDRESS_CHARS, "hamlet": 200, "commune": 200, "district": 200, "lat": 60,
    "lon": 60, "coordinates": 120,
}
DEFAULT_FIELD_CHARS = 1000


def _refuse(name: str, why: str) -> InvalidInput:
    return InvalidInput(f"{name}: {why}; tệp bị từ chối, không có gì được ghi")


def _is_xml(info: zipfile.ZipInfo) -> bool:
    name = info.filename.lower()
    return name.endswith(_XML_SUFFIXES) or name == "[content_types].xml"


def _rows_in(data: bytes) -> int:
    """Number of <row> start tags (with or without a namespace prefix) in a piece of XML.

    One pass: '<rowBreaks' (at most one per sheet) counts too, which does not matter here."""
    found = data.count(b"<row")
    if b":row" in data:
        found += len(_PREFIXED_ROW.findall(data))
    return found


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str) -> int:
    """Stream one XML part: refuse DTDs, entities, non-UTF-8 encodings; count its <row>s."""
    tail = b""
    first = True
    rows = 0
    sheet = info.filename.startswith(WORKSHEETS)
    with archive.open(info) as src:
        while chunk := src.read(_CHUNK):
            if first:
                first = False
                if chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:4]:
                    raise _refuse(file, f"phần '{info.filename}' không mã hoá UTF-8")
                declared = _ENCODING.match(chunk.removeprefix(b"\xef\xbb\xbf"))
                if declared and declared.group(1).lower() not in (b"utf-8", b"utf8",
                                                                   b"us-ascii", b"ascii"):
                    raise _refuse(file, f"phần '{info.filename}' khai báo mã hoá "
                                        f"{declared.group(1).decode()} (chỉ nhận UTF-8)")
            data = tail + chunk
            if b"<!" in data and any(d in data for d in _DECLS):
                raise _refuse(file, f"phần '{info.filename}' chứa khai báo DOCTYPE/ENTITY "
                                    "(có thể là tệp độc hại: XXE hoặc bom thực thể XML)")
            if sheet:  # matches wholly inside the kept tail were counted with the chunk before
                rows += _rows_in(data) - _rows_in(tail)
            tail = data[-_TAIL:]
    return rows


def check_workbook(path: Path, limits: IntakeSettings) -> dict[str, int]:
    """Refuse a .xlsx that is corrupt, encrypted, a zip bomb or carries XML declarations.

    Returns the number of <row> elements of each worksheet part ('xl/worksheets/x.xml')."""
    file = path.name
    max_bytes = limits.import_max_unzipped_mb * MB
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise _refuse(file, f"có {len(infos)} phần nén (tối đa {MAX_ENTRIES})")
            total = sum(i.file_size for i in infos)
            if total > max_bytes:
                raise _refuse(file, f"giải nén ra {total / MB:.0f} MB, quá giới hạn "
                                    f"{limits.import_max_unzipped_mb} MB "
                                    "(KCMAP_IMPORT_MAX_UNZIPPED_MB)")
            for info in infos:
                if info.flag_bits & 0x1:
                    raise _refuse(file, "tệp được đặt mật khẩu; hãy lưu lại không mật khẩu")
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size >= RATIO_FROM_BYTES and ratio > limits.import_max_ratio:
                    raise _refuse(file, f"phần '{info.filename}' nén {ratio:.0f} lần "
                                        f"({info.file_size / MB:.0f} MB từ "
                                        f"{info.compress_size / 1024:.0f} KB), quá tỉ lệ "
                                        f"{limits.import_max_ratio} cho phép (bom nén?)")
            return {info.filename: _scan_part(archive, info, file)
                    for info in infos if _is_xml(info)}
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _refuse(file, f"không phải tệp Excel (.xlsx) đọc được: dữ liệu nén bị hỏng "
                            f"({exc})") from exc
    except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encryption
        raise _refuse(file, f"không đọc được dữ liệu nén ({exc})") from exc
    except OSError as exc:
        raise _refuse(file, f"không mở được tệp ({exc.strerror or exc})") from exc


def check_row_count(file: str, sheet: str, rows: int, limits: IntakeSettings,
                    header_rows: int) -> None:
    """Refuse a sheet with more rows than the limit (plus the rows the header may take)."""
    if rows > limits.import_max_rows + header_rows:
        raise _refuse(f"{file}, trang '{sheet}'", f"có {rows} dòng, quá giới hạn "
                      f"{limits.import_max_rows} dòng dữ liệu (KCMAP_IMPORT_MAX_ROWS); "
                      "hãy chia nhỏ tệp")


def check_text_file(path: Path, limits: IntakeSettings) -> None:
    """Refuse a CSV larger than the uncompressed-size limit before reading it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(path.name, f"không mở được tệp ({exc.strerror or exc})") from exc
    if size > limits.import_max_unzipped_mb * MB:
        raise _refuse(path.name, f"tệp {size / MB:.0f} MB, quá giới hạn "
                                 f"{limits.import_max_unzipped_mb} MB "
                                 "(KCMAP_IMPORT_MAX_UNZIPPED_MB)")


def check_cells(file: str, number: int, values: list[object], limits: IntakeSettings) -> None:
    """Refuse a row with a cell text longer than the limit (before any normalisation)."""
    limit = limits.import_max_cell_chars
    for column, value in enumerate(values):
        if isinstance(value, str) and len(value) > limit:
            raise _refuse(file, f"dòng {number}, cột {get_column_letter(column + 1)}: ô dài "
                                f"{len(value)} ký tự, quá giới hạn {limit} "
                                "(KCMAP_IMPORT_MAX_CELL_CHARS)")


def over_long(fields: dict[str, object]) -> list[tuple[str, str]]:
    """(field, Vietnamese message) for each field whose text is longer than allowed."""
    found = []
    for name, value in fields.items():
        if value is None:
            continue
        text = value if isinstance(value, str) else str(value)
        limit = FIELD_CHARS.get(name, DEFAULT_FIELD_CHARS)
        if len(text) > limit:
            found.append((name, f"dài {len(text)} ký tự, quá giới hạn {limit} ký tự: "
                                "dòng bị từ chối"))
    return found


class Budget:
    """The clock of one import: InvalidInput once `import_max_seconds` have passed."""

    def __init__(self, file: str, limits: IntakeSettings) -> None:
        self.file = file
        self.seconds = limits.import_max_seconds
        self.start = time.monotonic()

    def check(self, number: int) -> None:
        """Raise when the budget is spent (number: the row being read)."""
        if time.monotonic() - self.start > self.seconds:
            raise _refuse(self.file, f"đọc quá {self.seconds} giây, dừng ở dòng {number} "
                                     "(KCMAP_IMPORT_MAX_SECONDS); hãy chia nhỏ tệp")


def guard_rows(file: str, rows: Iterator[tuple[int, list[object]]], limits: IntakeSettings,
               budget: Budget) -> Iterator[tuple[int, list[object]]]:
    """The data rows, refused past `import_max_rows`, a too-long cell or the time budget."""
    count, number = 0, 0
    source = iter(rows)
    while True:
        try:
            number, values = next(source)
        except StopIteration:
            return
        except KcmapError:
            raise
        except Exception as exc:  # openpyxl, lxml and csv raise many unrelated classes
            raise _refuse(file, f"không đọc được sau dòng {number} (tệp hỏng hoặc không "
                                "đúng định dạng)") from exc
        count += 1
        if count > limits.import_max_rows:
            raise _refuse(file, f"có hơn {limits.import_max_rows} dòng dữ liệu (dòng {number}; "
                                "KCMAP_IMPORT_MAX_ROWS); hãy chia nhỏ tệp")
        check_cells(file, number, values, limits)
        if count % _CHECK_EVERY == 0:
            budget.check(number)
        yield number, values
