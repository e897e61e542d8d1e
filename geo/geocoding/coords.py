"""Coordinate parsing: decimal comma, DMS, hemispheres, swapped axes and VN-2000 metres."""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, field

from pyproj import Transformer
from pyproj.exceptions import CRSError, ProjError

from geo.core.errors import InvalidInput

# lon_min, lat_min, lon_max, lat_max of Quảng Ngãi (legacy extent) when no gazetteer bbox is given
PROVINCE_BBOX = (108.2, 14.5, 109.2, 15.5)
BBOX_MARGIN = 0.03
DEFAULT_VN2000 = "EPSG:5898"  # VN-2000 / TM-3 zone 491 (central meridian 108°00′)
# Other VN-2000 projections a file may really be in, tried only to explain a failure.
VN2000_ALTERNATIVES = ("EPSG:5898", "EPSG:3405", "EPSG:3406", "EPSG:9210")

_SYMBOLS = str.maketrans({
    "′": "'", "’": "'", "‘": "'", "´": "'", "`": "'", "″": '"', "”": '"', "“": '"',
    "º": "°", "˚": "°", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "−": "-",
})
_HEMI = {"N": 1, "E": 1, "S": -1, "W": -1, "B": 1, "Đ": 1}  # B = Bắc, Đ = Đông
_HEMI_AXIS = {"N": "lat", "S": "lat", "B": "lat", "E": "lon", "W": "lon", "Đ": "lon"}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_PLAIN = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


@dataclass
class ParsedPoint:
    """A WGS 84 point from two raw cells, how it was read, and what was wrong with it."""

    lon: float | None
    lat: float | None
    issues: list[str] = field(default_factory=list)
    method: str = "none"
    accepted: bool = False  # usable as an exact location inside the province


def _number(text: str) -> float:
    """'15,1234' -> 15.1234; '1 670 000' / '1.670.000' / '560,000' -> metres."""
    t = re.sub(r"\s+", "", text)
    sign = ""
    if t[:1] in "+-":
        sign, t = t[0], t[1:]
    if "." in t and "," in t:
        if t.rfind(".") > t.rfind(","):
            t = t.replace(",", "")
        else:
            t = t.replace(".", "").replace(",", ".")
    elif t.count(",") > 1 or t.count(".") > 1:
        t = t.replace(",", "").replace(".", "")
    elif "," in t or "." in t:
        sep = "," if "," in t else "."
        whole, frac = t.split(sep)
        # '560,000' is thousands (no degree value is 560); '15,123' is a decimal comma
        if len(frac) == 3 and 1 <= len(whole) <= 3 and whole.isdigit() and int(whole) > 180:
            t = whole + frac
        else:
            t = whole + "." + frac
    if not _PLAIN.match(t):
        raise InvalidInput(f"không phải là số: {text!r}")
    return float(sign + t)


def _split_hemisphere(text: str) -> tuple[str, str | None]:
    t = text.strip()
    if t and t[0].upper() in _HEMI and (len(t) == 1 or not t[1].isalpha()):
        return t[1:].strip(), t[0].upper()
    if t and t[-1].upper() in _HEMI and (len(t) == 1 or not t[-2].isalpha()):
        return t[:-1].strip(), t[-1].upper()
    return t, None


def _parse(raw: object) -> tuple[float, str | None]:
    """(value in degrees or metres, hemisphere letter or None)."""
    if raw is None:
        raise InvalidInput("tọa độ trống")
    if isinstance(raw, bool):
        raise InvalidInput(f"không phải là tọa độ: {raw!r}")
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw):
            raise InvalidInput(f"không phải là tọa độ: {raw!r}")
        return float(raw), None
    text = str(raw).translate(_SYMBOLS).replace("''", '"').strip()
    if not text:
        raise InvalidInput("tọa độ trống")
    body, hemi = _split_hemisphere(text)
    negative = body.startswith("-")
    body = body.lstrip("+-").strip()
    if any(ch in body for ch in "°'\":") or (hemi and len(body.split()) in (2, 3)):
        parts = _NUMBER.findall(body)
        leftover = _NUMBER.sub("", body).translate(str.maketrans("", "", "°'\": dDmMsS"))
        if not 1 <= len(parts) <= 3 or leftover:
            raise InvalidInput(f"không đọc được độ-phút-giây: {raw!r}")
        values = [float(p.replace(",", ".")) for p in parts] + [0.0, 0.0]
        degrees, minutes, seconds = values[:3]
        if minutes >= 60 or seconds >= 60:
            raise InvalidInput(f"phút và giây phải nhỏ hơn 60: {raw!r}")
        value = degrees + minutes / 60 + seconds / 3600
    else:
        value = _number(body)
    if negative:
        value = -value
    if hemi is not None:
        value = abs(value) * _HEMI[hemi]
    return value, hemi


def parse_coordinate(raw: object) -> float:
    """One coordinate value: '15,1234', '15°07\\'25.3"N', 'E 108° 48′', '1 670 000' ..."""
    return _parse(raw)[0]


_local = threading.local()  # pyproj transformers are kept per thread


def _transformer(crs: str) -> Transformer:
    cache: dict[str, Transformer] = _local.__dict__.setdefault("transformers", {})
    if crs not in cache:
        try:
            cache[crs] = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        except (CRSError, ProjError) as exc:
            raise InvalidInput(f"Hệ tọa độ {crs!r} không xác định") from exc
    return cache[crs]


def check_crs(crs: str) -> None:
    """Raise InvalidInput unless `crs` can be transformed to WGS 84."""
    _transformer(crs)


def vn2000_to_wgs84(easting: float, northing: float, crs: str = DEFAULT_VN2000
                    ) -> tuple[float, float]:
    """(lon, lat) in WGS 84 of VN-2000 projected metres, with the datum shift."""
    lon, lat = _transformer(crs).transform(easting, northing)
    return float(lon), float(lat)


def inside_bbox(bbox: tuple[float, float, float, float], lon: float, lat: float) -> bool:
    """True when (lon, lat) lies in the bbox widened by BBOX_MARGIN degrees."""
    x0, y0, x1, y1 = bbox
    m = BBOX_MARGIN
    return x0 - m <= lon <= x1 + m and y0 - m <= lat <= y1 + m


def _metres(a: float, b: float, crs: str, bbox: tuple[float, float, float, float]
            ) -> ParsedPoint:
    """Two values in metres typed into the lat/lon columns: northing and easting, any order."""
    if (a >= 1_000_000) != (b >= 1_000_000):
        orders = [(b, a)] if a >= 1_000_000 else [(a, b)]
    else:
        orders = [(b, a), (a, b)]
    label = f"tọa độ mét VN-2000 ({crs})"
    lon = lat = None
    for easting, northing in orders:
        lon, lat = vn2000_to_wgs84(easting, northing, crs)
        if math.isfinite(lon) and math.isfinite(lat) and inside_bbox(bbox, lon, lat):
            issue = f"{label} đã chuyển sang WGS 84: N={northing:.1f} E={easting:.1f}"
            return ParsedPoint(round(lon, 7), round(lat, 7), [issue], f"vn2000:{crs}", True)
    hint = ""
    for other in VN2000_ALTERNATIVES:
        if other == crs:
            continue
        for easting, northing in orders:
            x, y = vn2000_to_wgs84(easting, northing, other)
            if math.isfinite(x) and math.isfinite(y) and inside_bbox(bbox, x, y):
                hint = f"; với {other} thì các giá trị nằm trong tỉnh"
                break
        if hint:
            break
    issue = f"{label} nằm ngoài tỉnh Quảng Ngãi sau khi chuyển đổi{hint}"
    finite = lon is not None and lat is not None and math.isfinite(lon) and math.isfinite(lat)
    return ParsedPoint(lon if finite else None, lat if finite else None, [issue],
                       "outside_province", False)


def parse_point(lat_raw: object, lon_raw: object, vn2000_crs: str = DEFAULT_VN2000,
                bbox: tuple[float, float, float, float] | None = None) -> ParsedPoint:
    """Read a latitude/longitude pair as spreadsheets write it and check it is in the province."""
    box = bbox or PROVINCE_BBOX
    if lat_raw in (None, "") and lon_raw in (None, ""):
        return ParsedPoint(None, None, [], "none", False)
    try:
        lat, lat_hemi = _parse(lat_raw)
        lon, lon_hemi = _parse(lon_raw)
    except InvalidInput as exc:
        return ParsedPoint(None, None, [f"không đọc được tọa độ: {exc}"], "none", False)
    if abs(lat) > 1000 and abs(lon) > 1000:
        return _metres(lat, lon, vn2000_crs, box)
    if abs(lat) > 1000 or abs(lon) > 1000:
        return ParsedPoint(None, None, [
            f"tọa độ lẫn độ và mét: vĩ độ={lat_raw!r} kinh độ={lon_raw!r}"], "none", False)
    issues: list[str] = []
    swapped_letters = (lat_hemi and _HEMI_AXIS[lat_hemi] == "lon") or \
        (lon_hemi and _HEMI_AXIS[lon_hemi] == "lat")
    if swapped_letters:
        lat, lon = lon, lat
        issues.append("vĩ độ và kinh độ bị đổi chỗ (theo chữ N/E): đã đổi lại")
    if abs(lat) > 90 or abs(lon) > 180:
        if abs(lon) <= 90 and abs(lat) <= 180:
            lat, lon = lon, lat
            issues.append("vĩ độ và kinh độ bị đổi chỗ: đã đổi lại")
            return _checked(lat, lon, issues, "wgs84_swapped", box)
        return ParsedPoint(None, None, [f"không phải vĩ độ/kinh độ: {lat_raw!r}, {lon_raw!r}"],
                           "none", False)
    if not inside_bbox(box, lon, lat) and inside_bbox(box, lat, lon):
        issues.append("vĩ độ và kinh độ bị đổi chỗ: đã đổi lại")
        return _checked(lon, lat, issues, "wgs84_swapped", box)
    return _checked(lat, lon, issues, "wgs84_swapped" if swapped_letters else "wgs84", box)


def _checked(lat: float, lon: float, issues: list[str], method: str,
             bbox: tuple[float, float, float, float]) -> ParsedPoint:
    if inside_bbox(bbox, lon, lat):
        return ParsedPoint(round(lon, 7), round(lat, 7), issues, method, True)
    issues.append(f"điểm ({lat:.5f}, {lon:.5f}) nằm ngoài tỉnh Quảng Ngãi "
                  f"(vĩ độ {bbox[1]:.2f}–{bbox[3]:.2f}, kinh độ {bbox[0]:.2f}–{bbox[2]:.2f})")
    return ParsedPoint(lon, lat, issues, "outside_province", False)
