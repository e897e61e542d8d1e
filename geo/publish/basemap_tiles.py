"""Raster tiles of a local .mbtiles file (SQLite, TMS rows): the basemap a province already has,
served by the app itself so the maps need no internet."""

from __future__ import annotations

import sqlite3
import struct
import zlib
from functools import cache
from pathlib import Path

from geo.core.errors import NotFound

MEDIA = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


def _transparent_png() -> bytes:
    """A 1 × 1 fully transparent PNG (the answer for a tile the file does not hold)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00\x00")) + chunk(b"IEND", b""))


EMPTY_TILE = _transparent_png()


def is_mbtiles(tiles: str) -> bool:
    """Whether a KCMAP_TILES value names a local .mbtiles file (not a URL template)."""
    t = tiles.strip()
    return t.lower().endswith(".mbtiles") and "://" not in t


def _open(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise NotFound(f"Không tìm thấy tệp bản đồ nền {path.name}")
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


@cache
def tile_format(path: Path) -> str:
    """The tile format of the file's metadata ('png' when not stated)."""
    with _open(path) as db:
        try:
            row = db.execute("SELECT value FROM metadata WHERE name = ?", ("format",)).fetchone()
        except sqlite3.DatabaseError:
            row = None
    fmt = str(row[0]).lower() if row and row[0] else "png"
    return fmt if fmt in MEDIA else "png"


def read_tile(path: Path, z: int, x: int, y: int) -> tuple[bytes, str]:
    """(bytes, media type) of tile z/x/y in XYZ numbering (the file stores TMS rows: flipped);
    a transparent PNG when the file has no such tile."""
    if z < 0 or z > 30 or not (0 <= x < 2 ** z and 0 <= y < 2 ** z):
        return EMPTY_TILE, MEDIA["png"]
    tms_y = 2 ** z - 1 - y
    db = _open(path)
    try:
        row = db.execute("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
                         "AND tile_row = ?", (z, x, tms_y)).fetchone()
    except sqlite3.DatabaseError as exc:
        raise NotFound("Tệp bản đồ nền không đọc được (không phải MBTiles)") from exc
    finally:
        db.close()
    if row is None or not row[0]:
        return EMPTY_TILE, MEDIA["png"]
    return bytes(row[0]), MEDIA[tile_format(path)]
