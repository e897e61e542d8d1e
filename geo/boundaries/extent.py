"""Where the province is: a generous box per gazetteer edition, to refuse far-away features.

A boundary file's feature is refused when any part of it lies outside the box of its edition
widened by `MARGIN_DEG` (about 55 km): a polygon in another country or at the wrong datum
must not be stored as the official outline of a commune.
"""

from __future__ import annotations

from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

MARGIN_DEG = 0.5  # ~55 km around the province's own extent
# (west, south, east, north) in degrees, WGS 84
QUANG_NGAI = (108.2, 14.5, 109.2, 15.5)  # mainland and Lý Sơn island (~109.1 E, 15.4 N)
KON_TUM = (107.3, 13.9, 108.6, 15.5)  # part of the province from the 2025 merger
EXTENTS: dict[str, tuple[tuple[float, float, float, float], ...]] = {
    "legacy": (QUANG_NGAI,),
    "2025": (QUANG_NGAI, KON_TUM),
}
PROVINCE_NAMES = {"legacy": "tỉnh Quảng Ngãi", "2025": "tỉnh Quảng Ngãi (gồm cả Kon Tum cũ)"}


def allowed_box(edition: str) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the edition's extent widened by MARGIN_DEG."""
    parts = EXTENTS.get(edition, EXTENTS["2025"])
    return (min(p[0] for p in parts) - MARGIN_DEG, min(p[1] for p in parts) - MARGIN_DEG,
            max(p[2] for p in parts) + MARGIN_DEG, max(p[3] for p in parts) + MARGIN_DEG)


def outside_province(geom: BaseGeometry, edition: str) -> str | None:
    """Why a WGS 84 geometry is refused (a Vietnamese sentence), or None when it is inside."""
    west, south, east, north = allowed_box(edition)
    if geom.is_empty or box(west, south, east, north).covers(geom):
        return None
    point = geom.representative_point()
    return (f"nằm ngoài {PROVINCE_NAMES.get(edition, 'tỉnh')} (vùng cho phép: kinh độ "
            f"{west:g}–{east:g}, vĩ độ {south:g}–{north:g}; đối tượng ở quanh vĩ độ "
            f"{point.y:.2f}, kinh độ {point.x:.2f}): bị từ chối, không ghi")
