"""Checks for uploaded files: size limit and type by content (not only by file name).

No HTTP endpoint takes files yet (imports run through the CLI); any that does must pass the
bytes through `check_upload` (the request body is already size-limited by the middleware).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import PurePath

from geo.core.errors import PayloadTooLarge, UnsupportedType

KINDS = ("xlsx", "csv", "geojson", "gpkg", "zip")


def _is_xlsx(data: bytes) -> bool:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return False
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


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
    "csv": _is_text,
    "geojson": lambda d: _is_text(d) and d.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{",
    "gpkg": lambda d: d.startswith(b"SQLite format 3\x00"),
    "zip": lambda d: zipfile.is_zipfile(io.BytesIO(d)),  # zipped shapefile
}


def check_upload(filename: str, data: bytes, max_bytes: int,
                 allowed: tuple[str, ...] = KINDS) -> str:
    """The kind of an uploaded file; PayloadTooLarge or UnsupportedType otherwise."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"Tệp quá lớn (tối đa {max_bytes // (1024 * 1024)} MB)")
    kind = PurePath(filename or "").suffix.lower().lstrip(".")
    kind = "geojson" if kind == "json" else kind
    if kind not in allowed or kind not in _CHECKS or not data:
        raise UnsupportedType(f"Chỉ nhận tệp {', '.join(allowed)}")
    if not _CHECKS[kind](data):
        raise UnsupportedType(f"Nội dung tệp không phải {kind}")
    return kind
