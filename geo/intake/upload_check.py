"""Checks for uploaded files: size limit and type by content (not only by file name).

Every HTTP endpoint taking files passes the bytes through `check_upload` (the request body is
already size-limited by the middleware). Spreadsheets for the importers: IMPORT_KINDS.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import PurePath

from geo.core.errors import PayloadTooLarge, UnsupportedType

KINDS = ("xlsx", "csv", "geojson", "gpkg", "zip")
IMPORT_KINDS = ("xlsx", "xls", "ods", "csv", "txt")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls) container
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _is_xlsx(data: bytes) -> bool:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return False
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def _is_ods(data: bytes) -> bool:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return False
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        try:
            kind = z.read("mimetype")[:100]
        except KeyError:
            return False
    return kind == b"application/vnd.oasis.opendocument.spreadsheet"


def _is_sheet_text(data: bytes) -> bool:
    """Text in any encoding an office uses (UTF-8, UTF-16 with a BOM, Windows-1258…)."""
    if data.startswith(UTF16_BOMS):
        return len(data) % 2 == 0
    return b"\x00" not in data


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


_CHECKS: dict[str, Callable[[bytes], bool]] = {
    "xlsx": _is_xlsx,
    "csv": _is_sheet_text,
    "txt": _is_sheet_text,
    "xls": lambda d: d.startswith(OLE2),
    "ods": _is_ods,
    "geojson": lambda d: _is_text(d) and d.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{",
    "gpkg": lambda d: d.startswith(b"SQLite format 3\x00"),
    "zip": lambda d: zipfile.is_zipfile(io.BytesIO(d)),  # zipped shapefile
}


def check_upload(filename: str, data: bytes, max_bytes: int,
                 allowed: tuple[str, ...] = KINDS) -> str:
    """The kind of an uploaded file; PayloadTooLarge or UnsupportedType otherwise."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"Tệp {PurePath(filename or '').name} quá lớn "
                              f"(tối đa {max_bytes // (1024 * 1024)} MB)")
    kind = PurePath(filename or "").suffix.lower().lstrip(".")
    kind = "geojson" if kind == "json" else kind
    if kind not in allowed or kind not in _CHECKS or not data:
        what = "trống" if kind in allowed and not data else "không được nhận"
        raise UnsupportedType(f"Tệp {PurePath(filename or '').name} {what}: chỉ nhận tệp "
                              f"{', '.join(allowed)} có dữ liệu")
    if not _CHECKS[kind](data):
        raise UnsupportedType(f"Nội dung tệp {PurePath(filename or '').name} không phải {kind} "
                              "(tệp hỏng hoặc đổi đuôi)")
    return kind
