"""Where a row is: its address geocoded (cached per file) and its coordinates checked."""

from __future__ import annotations

from functools import lru_cache

from geo.core.textnorm import name_key
from geo.geocoding.geocoder import GeocodeResult, geocode_address
from geo.geocoding.point_match import locate
from geo.intake.results import RowResult
from geo.intake.rows import RowContext, add_issue, cell_value, fold_text, row_address
from geo.intake.sheet_reader import cell_text
from geo.intake.store import LocationRow
from geo.intake.values import (
    is_blank,
    raw_text,
    split_coordinates,
)

PRECISION_VI = {"commune": "cấp xã", "district": "cấp huyện", "province": "cấp tỉnh"}


def geocode_cached(ctx: RowContext, address: str) -> GeocodeResult:
    found = ctx.address_cache.get(address)
    if found is None:
        found = geocode_address(ctx.index, address)
        ctx.address_cache[address] = found
    return found


@lru_cache(maxsize=1 << 16, typed=True)  # typed: the cell True is not the cell 1
def _unit_key(value: object) -> str:
    """name_key of a commune or district cell (the same few names come back on every row)."""
    return name_key(cell_text(value))


def location_key(values: list[object], ctx: RowContext, address: str | None, lat: object,
                  lon: object) -> str:
    """The place part of a record_key: commune/district cells as typed, else address, else point."""
    # typed text, not geocoder output: a better geocoder or new boundaries never change keys;
    # type words do not count ('Xã Tịnh Hà' = 'Tịnh Hà')
    units = [_unit_key(cell_value(values, ctx, n)) for n in ("commune", "district")]
    if any(units):
        return "u:" + "|".join(units)
    if address:
        return "t:" + fold_text(address)
    return f"p:{raw_text(lat) or ''},{raw_text(lon) or ''}"


def locate_row(values: list[object], ctx: RowContext, number: int, result: RowResult
            ) -> tuple[LocationRow, str]:
    """Geocode a row; fill the row result; return the location and the key's place part."""
    address = row_address(values, ctx)
    lat_raw, lon_raw = cell_value(values, ctx, "lat"), cell_value(values, ctx, "lon")
    if "coordinates" in ctx.cols.by_field and is_blank(lat_raw) and is_blank(lon_raw):
        try:
            lat_raw, lon_raw = split_coordinates(cell_value(values, ctx, "coordinates"))
        except ValueError as exc:
            add_issue(result.issues, ctx, "coordinates", str(exc))
    lat_raw = None if is_blank(lat_raw) else lat_raw
    lon_raw = None if is_blank(lon_raw) else lon_raw
    by_address = geocode_cached(ctx, address) if address else None
    has_point = lat_raw is not None or lon_raw is not None
    if has_point:
        found = locate(ctx.index, address, lat_raw, lon_raw, vn2000_crs=ctx.crs,
                       by_address=by_address)
    else:
        found = by_address or GeocodeResult()
    address_issues = list(by_address.issues) if by_address else []
    for text in address_issues:
        add_issue(result.issues, ctx, "address", text)
    point_field = "coordinates" if "coordinates" in ctx.cols.by_field and \
        "lat" not in ctx.cols.by_field else "lat,lon"
    for text in found.issues:
        if text in address_issues:
            address_issues.remove(text)
        else:
            add_issue(result.issues, ctx, point_field, text)
    precision, lon, lat = found.precision, found.lon, found.lat
    if precision == "none":
        lon = lat = None
    elif lon is None or lat is None:
        add_issue(result.issues, ctx, "address", "không có điểm cho "
                  f"{PRECISION_VI.get(precision, precision)}: lưu không có vị trí")
        precision = "none"
    if precision == "none":
        what = "không có địa chỉ và tọa độ" if not address and not has_point else \
            "không xác định được vị trí"
        add_issue(result.issues, ctx, "address", f"{what}: lưu không có vị trí")
    elif precision in ("district", "province") and found.status == "ok":
        add_issue(result.issues, ctx, "address", f"không nhận ra xã: chỉ đặt ở "
               f"{PRECISION_VI.get(precision, precision)}")
    result.commune_code, result.district_code = found.commune_code, found.district_code
    result.commune_code_2025 = found.commune_code_2025
    result.precision, result.lon, result.lat = precision, lon, lat
    result.geocode_status, result.method = found.status, found.method
    if found.status == "ambiguous" and by_address is not None:
        result.candidates = list(by_address.candidates)[:10]
    location = LocationRow(
        lon=lon, lat=lat, precision=precision, commune_code=found.commune_code,
        district_code=found.district_code, raw_address=address, raw_lat=raw_text(lat_raw),
        raw_lon=raw_text(lon_raw), method=found.method,
        score=min(1.0, max(0.0, float(found.score))), geocode_status=found.status,
        source_file=ctx.sheet.file, source_row=number)
    return location, location_key(values, ctx, address, lat_raw, lon_raw)
