"""Address geocoder for Quảng Ngãi: province → district → commune, both editions, no guessing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from geo.core.vocab import GeocodeStatus, Precision
from geo.gazetteer.index import GazetteerIndex, NameEntry, Unit
from geo.geocoding.address_parser import AddressParser
from geo.geocoding.spans import Span, district_unit

STATUSES = tuple(s.value for s in GeocodeStatus)
PRECISIONS = tuple(p.value for p in Precision)
SEVERAL = "nhiều đơn vị cùng khớp: "  # an ambiguous address: its candidates follow

@dataclass
class GeocodeResult:
    """Where an address (and/or a coordinate pair) is, how precisely, and how sure we are."""

    commune_code: str | None = None
    district_code: str | None = None
    commune_code_2025: str | None = None
    commune_name: str | None = None
    district_name: str | None = None
    commune_name_2025: str | None = None
    precision: str = "none"
    score: float = 0.0
    status: str = "not_found"
    lon: float | None = None
    lat: float | None = None
    method: str = "none"
    candidates: list[dict[str, str | None]] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return asdict(self)




def _candidate(index: GazetteerIndex, unit: Unit) -> dict[str, str | None]:
    if unit.edition == "legacy":
        district = index.district_of(unit)
    else:
        districts = {index.district_of(u) for u in index.sources(unit.code)}
        district = districts.pop() if len(districts) == 1 else None
    return {"code": unit.code, "name": unit.name, "district_code": district,
            "edition": unit.edition}


def _place(result: GeocodeResult, unit: Unit | None, precision: str) -> None:
    result.precision = precision
    if unit is not None and unit.lon is not None:
        result.lon, result.lat = unit.lon, unit.lat
        result.method = f"centroid:{precision}"


def fill_district(index: GazetteerIndex, result: GeocodeResult, code: str | None) -> None:
    unit = index.unit("legacy", code)
    if unit is not None:
        result.district_code = unit.code
        result.district_name = unit.name
        if result.commune_code_2025 is None and unit.code in index.crosswalk_default:
            code_2025 = index.crosswalk_default[unit.code]  # island district (Lý Sơn)
            fill_2025(index, result, code_2025)


def fill_2025(index: GazetteerIndex, result: GeocodeResult, code: str | None) -> None:
    unit = index.unit("2025", code)
    if unit is not None:
        result.commune_code_2025 = unit.code
        result.commune_name_2025 = unit.name


def _resolve_units(index: GazetteerIndex, result: GeocodeResult, entries: list[NameEntry],
                   district: Unit | None) -> None:
    """Fill the result from the unit(s) a commune span means."""
    units = [e.unit for e in entries]
    if len(units) == 1:
        unit = units[0]
        if unit.edition == "legacy":
            result.commune_code, result.commune_name = unit.code, unit.name
            fill_2025(index, result, index.crosswalk_default.get(unit.code))
            fill_district(index, result, unit.parent_code)
            _place(result, unit, "commune")
            result.status = "ok"
            return
        fill_2025(index, result, unit.code)
        sources = index.sources(unit.code)
        if len(sources) == 1 and sources[0].level == "commune":
            result.commune_code, result.commune_name = sources[0].code, sources[0].name
            fill_district(index, result, sources[0].parent_code)
            _place(result, sources[0], "commune")
            result.status = "ok"
            return
        districts = {index.district_of(u) for u in sources}
        result.status = "ok"
        if len(districts) == 1:
            code = districts.pop()
            fill_district(index, result, code)
            _place(result, index.unit("legacy", code), "district")
            if not (len(sources) == 1 and sources[0].level == "district"):
                result.issues.append(
                    f"{unit.name} là xã mới (2025) hợp thành từ "
                    + ", ".join(u.name for u in sources)
                    + "; chưa biết xã cũ")
        else:
            _place(result, index.province, "province")
            result.issues.append(f"{unit.name} là xã mới (2025) không thuộc đơn vị cũ nào")
        return
    _ambiguous(index, result, units, district)


def _ambiguous(index: GazetteerIndex, result: GeocodeResult, units: list[Unit],
               district: Unit | None) -> None:
    result.status = "ambiguous"
    result.candidates = [_candidate(index, u) for u in units]
    districts = {c["district_code"] for c in result.candidates}
    if district is not None:
        districts = {district.code}
    if len(districts) == 1 and None not in districts:
        code = districts.pop()
        fill_district(index, result, code)
        _place(result, index.unit("legacy", code), "district")
    else:
        _place(result, index.province, "province")
    targets = {c["code"] if c["edition"] == "2025" else index.crosswalk_default.get(c["code"] or "")
               for c in result.candidates}
    if len(targets) == 1:
        fill_2025(index, result, targets.pop())
    result.issues.append(
        SEVERAL + ", ".join(
            f"{c['name']} ({c['code']})" for c in result.candidates))


def _score(span: Span | None, district: Span | None, province: Span | None,
           note: str) -> float:
    if span is None:
        return 0.0
    score = span.ratio / 100 if span.ratio < 100 else 1.0
    if span.ratio < 100:
        score *= 0.9
    if span.kind is None and not span.clean:
        score -= 0.05
    if district is None and province is None:
        score -= 0.03
    if any(e.alias for e in span.entries) and not any(not e.alias for e in span.entries):
        score -= 0.02
    if note == "moved":
        score -= 0.03
    return round(max(0.0, min(1.0, score)), 3)


def geocode_address(index: GazetteerIndex, text: str | None) -> GeocodeResult:
    """Resolve a free-text address to legacy commune/district and 2025 commune codes."""
    result = GeocodeResult()
    p = AddressParser(index, text or "")
    if not p.tokens:
        result.issues.append("địa chỉ trống")
        return result
    province = p.province()
    other = p.other_province(province)
    if other is not None:
        result.issues.append(f"địa chỉ thuộc {other.name}, không thuộc Quảng Ngãi")
        return result
    district = p.district(province)
    if district is None:
        windows = [w for w in p.windows(province, [province]) if w[2] in (None, "district")]
        district = p.fuzzy(index.all_districts, windows[:1], "district")
        if district is not None:
            words = " ".join(t.f for t in p.tokens[district.start:district.end])
            result.issues.append(f"đã sửa lỗi chính tả: '{words}'")
    dunit = district_unit(district)
    span, entries, note = p.commune(district, province)
    if span is None:
        span, entries, note = _fuzzy_commune(p, result, district, province)
    if span is not None and note == "inconsistent":
        return _inconsistent(index, result, entries, dunit)
    if span is not None:
        if span.ratio < 100:
            words = " ".join(t.f for t in p.tokens[span.start:span.end])
            result.issues.append(f"đã sửa lỗi chính tả: '{words}'")
        _resolve_units(index, result, entries, dunit)
        if note == "moved" and dunit is not None and result.commune_name:
            result.issues.append(
                f"{result.commune_name} đã chuyển từ {dunit.name} sang {result.district_name}")
        result.score = 0.5 if result.status == "ambiguous" else _score(
            span, district, province, note)
        if result.status == "ok" and result.precision != "commune":
            result.score = min(result.score, 0.9)
        return result
    if district is not None and dunit is not None:
        also = p.also_communes(district)
        if also:
            _ambiguous(index, result, [*also, dunit], None)
            result.score = 0.5
            return result
        fill_district(index, result, dunit.code)
        _place(result, dunit, "district")
        result.status = "ok"
        result.score = 0.9 if district.kind or district.clean else 0.85
        if district.ratio < 100:
            result.score = round(0.85 * district.ratio / 100, 3)
        return result
    if province is not None and any(e.unit.edition == "legacy" for e in province.entries):
        _place(result, index.province, "province")
        result.status = "ok"
        result.score = 0.5
        return result
    if province is not None:
        result.issues.append("thuộc tỉnh Kon Tum cũ: không có đơn vị cũ tương ứng")
    else:
        result.issues.append("không nhận ra đơn vị hành chính nào của Quảng Ngãi")
    return result


def _fuzzy_commune(p: AddressParser, result: GeocodeResult, district: Span | None,
                   province: Span | None) -> tuple[Span | None, list[NameEntry], str]:
    """Typo fallback, bounded to the district's communes when the district is known."""
    index = p.index
    dunit = district_unit(district)
    windows = p.windows(district or province, [district, province])
    choices = index.district_communes.get(dunit.code, ()) if dunit else index.all_communes
    fuzzy = p.fuzzy(choices, windows, "commune")
    if fuzzy is not None:
        entries, note = p.commune_units(fuzzy, dunit)
        if entries:
            return fuzzy, entries, note
    if dunit is not None and dunit.code not in index.district_communes:
        result.issues.append(f"{dunit.name} không có đơn vị cấp xã trong danh mục cũ")
    elif windows and dunit is not None and windows[0][2] == "commune":
        start, end, _ = windows[0]
        words = " ".join(t.f for t in p.tokens[start:end])
        result.issues.append(f"không tìm thấy xã '{words}' trong {dunit.name}")
    return None, [], ""


def _inconsistent(index: GazetteerIndex, result: GeocodeResult, entries: list[NameEntry],
                  dunit: Unit | None) -> GeocodeResult:
    """A commune named with a district it is not in: list both, answer their common parent."""
    units = [e.unit for e in entries]
    if dunit is not None:
        result.issues.append(", ".join(u.name for u in units) + f" không thuộc {dunit.name}")
        units = [*units, dunit]
    _ambiguous(index, result, units, None)
    result.score = 0.3
    return result
