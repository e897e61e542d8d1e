"""Point reconciliation: coordinates checked against the units an address names."""

from __future__ import annotations

from dataclasses import replace

from geo.core.db import Connection
from geo.gazetteer.index import GazetteerIndex, load_index
from geo.geocoding.coords import ParsedPoint, parse_point
from geo.geocoding.geocoder import (
    SEVERAL,
    GeocodeResult,
    fill_2025,
    fill_district,
    geocode_address,
)


def locate(conn_or_index: Connection | GazetteerIndex, address: str | None,
           lat_raw: object = None, lon_raw: object = None,
           vn2000_crs: str = "EPSG:5898", by_address: GeocodeResult | None = None
           ) -> GeocodeResult:
    """Exact point from coordinates when usable, checked against the address; else the address.

    `by_address`: the address already geocoded (an importer caches identical addresses); it
    is not modified."""
    # pass a GazetteerIndex for many rows: a connection builds a fresh index on every call
    index = conn_or_index if isinstance(conn_or_index, GazetteerIndex) else \
        load_index(conn_or_index)
    if by_address is not None:
        result = replace(by_address, issues=list(by_address.issues),
                         candidates=list(by_address.candidates))
    elif address and address.strip():
        result = geocode_address(index, address)
    else:
        result = GeocodeResult()
    if lat_raw in (None, "") and lon_raw in (None, ""):
        return result
    point = parse_point(lat_raw, lon_raw, vn2000_crs=vn2000_crs, bbox=index.bbox)
    if not point.accepted or point.lon is None or point.lat is None:
        result.issues.extend(point.issues)
        if address and address.strip():
            result.issues.append("không dùng tọa độ: xác định vị trí theo địa chỉ")
        return result
    return _with_point(index, result, point)


def _with_point(index: GazetteerIndex, by_address: GeocodeResult,
                point: ParsedPoint) -> GeocodeResult:
    assert point.lon is not None and point.lat is not None
    result = GeocodeResult(precision="exact", lon=point.lon, lat=point.lat,
                           method=point.method, status="ok", score=1.0,
                           issues=[*by_address.issues, *point.issues])
    found = index.unit_at("commune", point.lon, point.lat) or \
        index.unit_at("district", point.lon, point.lat)
    if found is None:
        # nothing to check against: keep what the address says
        for name in ("commune_code", "commune_name", "district_code", "district_name",
                     "commune_code_2025", "commune_name_2025"):
            setattr(result, name, getattr(by_address, name))
        result.issues.append("điểm không nằm trong ranh giới xã nào" if index.has_boundaries
                             else "chưa nạp ranh giới: chưa đối chiếu điểm với địa chỉ")
        if by_address.status in ("ambiguous", "conflict"):
            result.candidates = by_address.candidates
        return result
    unit, quality = found
    if unit.level == "commune":
        result.commune_code, result.commune_name = unit.code, unit.name
        fill_2025(index, result, index.crosswalk_default.get(unit.code))
        fill_district(index, result, unit.parent_code)
    else:
        fill_district(index, result, unit.code)
        if by_address.commune_code and by_address.district_code == unit.code:
            result.commune_code, result.commune_name = by_address.commune_code, \
                by_address.commune_name
            result.commune_code_2025 = by_address.commune_code_2025
            result.commune_name_2025 = by_address.commune_name_2025
    approx = " (ranh giới gần đúng)" if quality == "approximate" else ""
    here = f"{unit.name}{approx}" if unit.level == "commune" else \
        f"{result.district_name}{approx}"
    said = by_address.commune_code if unit.level == "commune" else None
    named = [c for c in by_address.candidates if c["edition"] == "legacy"]
    if said and said != unit.code:
        result.issues.append(
            f"điểm nằm ở {here} nhưng địa chỉ ghi {by_address.commune_name}")
    elif by_address.district_code and by_address.district_code != result.district_code:
        result.issues.append(
            f"điểm nằm ở {here} nhưng địa chỉ ghi {by_address.district_name}")
    elif named and not any(c["code"] in (result.commune_code, result.district_code)
                           for c in named):
        result.issues.append(
            f"điểm nằm ở {here} nhưng địa chỉ ghi "
            + " hoặc ".join(str(c["name"]) for c in named))
    else:
        if named:
            result.issues = [i for i in result.issues if not i.startswith(SEVERAL)]
            result.issues.append(f"tọa độ xác định địa chỉ chưa rõ: {here}")
        return result
    result.status = "conflict"
    result.score = 0.5
    if quality == "approximate" and by_address.commune_code:
        # An approximate polygon is weaker evidence than a named commune: keep the address's
        # units (the point stays exact) and leave the disagreement to the district review.
        for name in ("commune_code", "commune_name", "district_code", "district_name",
                     "commune_code_2025", "commune_name_2025"):
            setattr(result, name, getattr(by_address, name))
        result.issues.append("giữ xã theo địa chỉ: ranh giới chỉ gần đúng")
    by_text = named or [{
        "code": by_address.commune_code or by_address.district_code,
        "name": by_address.commune_name or by_address.district_name,
        "district_code": by_address.district_code, "edition": "legacy"}]
    by_point = {"code": unit.code, "name": unit.name, "district_code": result.district_code,
                "edition": "legacy"}
    result.candidates = [*by_text, by_point]
    return result
