"""Coordinate parsing (formats, swaps, VN-2000 metres) and `locate` against boundaries."""

from __future__ import annotations

import psycopg2.extensions
import pytest
from pyproj import Geod, Transformer

from geo.core.errors import InvalidInput
from geo.gazetteer.index import GazetteerIndex, load_index
from geo.geocoding.coords import parse_coordinate, parse_point, vn2000_to_wgs84
from geo.geocoding.point_match import locate

GEOD = Geod(ellps="WGS84")
# A known point in TP Quảng Ngãi (WGS 84)
LON, LAT = 108.8043, 15.1214


def metres_apart(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in metres."""
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])


@pytest.mark.parametrize(("raw", "expected"), [
    ("15.1234", 15.1234),
    ("15,1234", 15.1234),
    (" 108,812345 ", 108.812345),
    ("-15,5", -15.5),
    (15.1234, 15.1234),
    (108, 108.0),
    ("15°07'25.3\"", 15 + 7 / 60 + 25.3 / 3600),
    ("15° 7′ 25″ N", 15 + 7 / 60 + 25 / 3600),
    ("N15°07'25.3\"", 15 + 7 / 60 + 25.3 / 3600),
    ("108°48'36\"E", 108 + 48 / 60 + 36 / 3600),
    ("E 108° 48′ 36″", 108 + 48 / 60 + 36 / 3600),
    ("15º07'25,3''", 15 + 7 / 60 + 25.3 / 3600),
    ("15°07.5'", 15.125),
    ("15:07:25", 15 + 7 / 60 + 25 / 3600),
    ("15 07 25.3 N", 15 + 7 / 60 + 25.3 / 3600),
    ("15°07'25\"S", -(15 + 7 / 60 + 25 / 3600)),
    ("W 108°", -108.0),
    ("1 670 000", 1_670_000.0),
    ("1.670.000", 1_670_000.0),
    ("1,670,000.25", 1_670_000.25),
    ("1.670.000,25", 1_670_000.25),
    ("560,000", 560_000.0),
    ("560000,5", 560_000.5),
])
def test_parse_coordinate_formats(raw: object, expected: float) -> None:
    assert parse_coordinate(raw) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("raw", ["", "abc", "15°75'", "12,3,4x", None, float("nan"), True])
def test_parse_coordinate_rejects_garbage(raw: object) -> None:
    with pytest.raises(InvalidInput):
        parse_coordinate(raw)


def test_plain_point_inside_province() -> None:
    p = parse_point("15,1214", "108,8043")
    assert p.accepted and p.method == "wgs84" and not p.issues
    assert (p.lon, p.lat) == pytest.approx((LON, LAT))


def test_dms_point() -> None:
    p = parse_point("15°07'17\"N", "108°48'15.5\"E")
    assert p.accepted
    assert p.lat == pytest.approx(15 + 7 / 60 + 17 / 3600, abs=1e-7)
    assert p.lon == pytest.approx(108 + 48 / 60 + 15.5 / 3600, abs=1e-7)


def test_swapped_lat_lon_detected() -> None:
    p = parse_point("108.8043", "15.1214")
    assert p.accepted and p.method == "wgs84_swapped"
    assert (p.lon, p.lat) == pytest.approx((LON, LAT))
    assert any("đổi chỗ" in i for i in p.issues)


def test_swapped_by_hemisphere_letters() -> None:
    p = parse_point("108°48'E", "15°07'N")
    assert p.accepted and p.method == "wgs84_swapped"
    assert p.lat == pytest.approx(15 + 7 / 60)


@pytest.mark.parametrize("crs", ["EPSG:5898", "EPSG:3405", "EPSG:3406", "EPSG:9210"])
def test_vn2000_metres_back_to_wgs84_within_one_metre(crs: str) -> None:
    to_vn2000 = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    easting, northing = to_vn2000.transform(LON, LAT)
    spaced = f"{northing:,.2f}".replace(",", " ")  # '1 672 370.10'
    comma = f"{easting:.2f}".replace(".", ",")  # '585791,01'
    for lat_raw, lon_raw in ((northing, easting), (easting, northing), (spaced, comma)):
        p = parse_point(lat_raw, lon_raw, vn2000_crs=crs)
        assert p.accepted, p.issues
        assert p.method == f"vn2000:{crs}"
        assert p.lon is not None and p.lat is not None
        assert metres_apart(p.lon, p.lat, LON, LAT) < 1.0


def test_vn2000_uses_the_datum_shift() -> None:
    """Treating VN-2000 metres as WGS 84-based is ~200 m off: the shift must be applied."""
    easting, northing = Transformer.from_crs("EPSG:4326", "EPSG:5898",
                                             always_xy=True).transform(LON, LAT)
    naive = Transformer.from_crs(
        "+proj=tmerc +lat_0=0 +lon_0=108 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m",
        "EPSG:4326", always_xy=True)
    nlon, nlat = naive.transform(easting, northing)
    lon, lat = vn2000_to_wgs84(easting, northing)
    assert metres_apart(lon, lat, LON, LAT) < 1.0
    assert 100 < metres_apart(nlon, nlat, lon, lat) < 400


def test_vn2000_in_the_wrong_crs_is_refused_with_a_hint() -> None:
    easting, northing = Transformer.from_crs("EPSG:4326", "EPSG:3406",
                                             always_xy=True).transform(LON, LAT)
    p = parse_point(northing, easting)  # default EPSG:5898, but the values are UTM 49N
    assert not p.accepted
    assert "EPSG:3406" in p.issues[0]


def test_point_outside_province_not_accepted() -> None:
    p = parse_point("21.0285", "105.8542")  # Hà Nội
    assert not p.accepted and p.method == "outside_province"
    assert "ngoài tỉnh Quảng Ngãi" in p.issues[-1]


def test_unreadable_and_mixed_values() -> None:
    assert not parse_point("abc", "108.8").accepted
    mixed = parse_point("15.12", "585791")
    assert not mixed.accepted and "lẫn độ và mét" in mixed.issues[0]
    empty = parse_point("", None)
    assert empty.method == "none" and not empty.issues


# --- locate: address + coordinates --------------------------------------------------------

def _square(conn: psycopg2.extensions.connection, code: str, x0: float, y0: float,
            x1: float, y1: float) -> None:
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO boundary (edition, code, geom, source, quality, area_km2, method)"
            " VALUES ('legacy', %s, ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 4326)),"
            " 'test squares', 'approximate', 1.0, 'test')",
            (code, x0, y0, x1, y1),
        )


@pytest.fixture()
def squares(conn: psycopg2.extensions.connection) -> GazetteerIndex:
    """Approximate squares: Trần Phú (west), Lê Hồng Phong (east), Nguyễn Nghiêm (south)."""
    _square(conn, "21013", 108.78, 15.12, 108.795, 15.135)
    _square(conn, "21010", 108.795, 15.12, 108.81, 15.135)
    _square(conn, "21025", 108.795, 15.105, 108.81, 15.12)
    return load_index(conn)


def test_locate_exact_point_agreeing_with_address(squares: GazetteerIndex) -> None:
    r = locate(squares, "45 Lê Lợi, phường Trần Phú, TP Quảng Ngãi", "15.125", "108.787")
    assert (r.precision, r.status, r.commune_code, r.district_code) == \
        ("exact", "ok", "21013", "522")
    assert (r.lon, r.lat) == pytest.approx((108.787, 15.125))
    assert r.commune_code_2025 == "21028"


def test_locate_conflict_keeps_point_and_names_both(squares: GazetteerIndex) -> None:
    r = locate(squares, "Phường Lê Hồng Phong, TP Quảng Ngãi", "15,125", "108,787")
    assert r.status == "conflict" and r.precision == "exact"
    assert (r.lon, r.lat) == pytest.approx((108.787, 15.125))
    text = " ".join(r.issues)
    assert "Phường Trần Phú" in text and "Phường Lê Hồng Phong" in text
    assert "gần đúng" in text
    assert {c["code"] for c in r.candidates} == {"21010", "21013"}


def test_locate_point_settles_an_ambiguous_address(squares: GazetteerIndex) -> None:
    r = locate(squares, "Phường Nguyễn Nghiêm", "15.11", "108.80")
    assert (r.status, r.precision, r.commune_code, r.district_code) == \
        ("ok", "exact", "21025", "522")
    r = locate(squares, "Phường Nguyễn Nghiêm", "15.125", "108.787")
    assert r.status == "conflict"  # neither Nguyễn Nghiêm contains the point
    assert "Phường Trần Phú" in " ".join(r.issues)


def test_locate_outside_province_falls_back_to_address(squares: GazetteerIndex) -> None:
    r = locate(squares, "Xã Phổ Văn, huyện Đức Phổ", "21.0285", "105.8542")
    assert (r.precision, r.status, r.commune_code) == ("commune", "ok", "21451")
    assert r.method == "centroid:commune"
    assert any("ngoài tỉnh Quảng Ngãi" in i for i in r.issues)
    assert any("theo địa chỉ" in i for i in r.issues)


def test_locate_vn2000_point_through_connection(conn: psycopg2.extensions.connection) -> None:
    _square(conn, "21013", 108.78, 15.12, 108.795, 15.135)
    easting, northing = Transformer.from_crs("EPSG:4326", "EPSG:5898",
                                             always_xy=True).transform(108.787, 15.125)
    r = locate(conn, "phuong tran phu", f"{northing:.3f}", f"{easting:.3f}")
    assert (r.precision, r.status, r.commune_code) == ("exact", "ok", "21013")
    assert r.method == "vn2000:EPSG:5898"
    assert r.lon is not None and r.lat is not None
    assert metres_apart(r.lon, r.lat, 108.787, 15.125) < 1.0


def test_locate_without_boundaries_says_so(conn: psycopg2.extensions.connection) -> None:
    with conn.cursor() as cur:
        cur.execute("DELETE FROM boundary")
    index = load_index(conn)
    r = locate(index, "Xã Phổ Văn, huyện Đức Phổ", "14.8466", "108.9399")
    assert r.precision == "exact" and r.commune_code == "21451"
    assert any("chưa nạp ranh giới" in i for i in r.issues)


def test_locate_with_approximate_boundaries(boundaries: psycopg2.extensions.connection) -> None:
    """Each commune's own centroid lies in its (approximate) polygon: no conflict."""
    index = load_index(boundaries)
    communes = [u for u in index.units.values()
                if u.edition == "legacy" and u.level == "commune" and u.lon is not None]
    agree = 0
    for unit in communes:
        r = locate(index, f"{unit.name}, {index.units[('legacy', unit.parent_code or '')].name}",
                   str(unit.lat), str(unit.lon))
        agree += r.status == "ok" and r.commune_code == unit.code
    assert agree >= 0.97 * len(communes)
