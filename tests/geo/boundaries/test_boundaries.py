"""Boundary import (VN-2000 accuracy, matching, QA) and approximate polygons, on real PostGIS."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import psycopg2.extensions
import pytest
import shapely
from shapely.geometry import Point, box
from typer.testing import CliRunner

from geo.boundaries.approx import build_approximate
from geo.boundaries.file_import import import_boundaries
from geo.boundaries.qa import format_approx_report, format_import_report
from geo.core.db import SingleConnectionDatabase
from geo.core.errors import InvalidInput
from tests.conftest import SHARED_DATA

DISTRICTS = SHARED_DATA / "quang_ngai_districts.geojson"
DISTRICT_CODES = [str(c) for c in range(522, 537) if c not in (523, 526)]
TAY_TRA = {"Xã Trà Thanh", "Xã Sơn Trà", "Xã Trà Phong", "Xã Hương Trà", "Xã Trà Xinh",
           "Xã Trà Tây"}
# Two more gazetteer centroids (vietnamadminunits) miss their district polygon in the shared
# file: Tịnh Kỳ (522, coastal, 0.5 km out, in no polygon) and Ba Ngạc (535, 2.5 km inside 529).
OTHER_OUTSIDE = {"21190": None, "21505": "529"}
SAME_CENTROID = {"21046", "21091"}  # Bình Thạnh / Bình Thanh: one centroid in the gazetteer

Conn = psycopg2.extensions.connection
pytestmark = pytest.mark.filterwarnings(
    "ignore:Column names longer than 10 characters", "ignore:Normalized/laundered field name")


def _rows(conn: Conn, sql: str, params: tuple = ()) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


def _source() -> gpd.GeoDataFrame:
    frame = gpd.read_file(DISTRICTS, engine="pyogrio")
    frame["district_code"] = frame["district_code"].astype(str)
    return frame


def _max_offset_m(conn: Conn, source: gpd.GeoDataFrame) -> float:
    """Largest Hausdorff distance (metres, EPSG:3406) between stored and source polygons."""
    worst = 0.0
    for code, geom in zip(source["district_code"], source.geometry, strict=True):
        (dist,) = _rows(
            conn,
            "SELECT ST_HausdorffDistance(ST_Transform(geom, 3406),"
            " ST_Transform(ST_GeomFromWKB(%s, 4326), 3406)) FROM boundary"
            " WHERE edition = 'legacy' AND code = %s",
            (psycopg2.Binary(shapely.to_wkb(geom)), code),
        )[0]
        worst = max(worst, dist)
    return worst


# (a) VN-2000 files land within 1 m of their WGS 84 source.

def test_vn2000_tm3_shapefile_lands_within_1m(conn: Conn, tmp_path: Path) -> None:
    source = _source()
    shp = tmp_path / "districts_vn2000_tm3.shp"
    projected = source.to_crs(5898)
    projected.to_file(shp, engine="pyogrio")
    assert shp.with_suffix(".prj").exists()
    # The test's own projection agrees with PostGIS (towgs84 of VN-2000 in spatial_ref_sys).
    (x, y), (lon, lat) = (shapely.get_coordinates(g.geometry.iloc[0])[0]
                          for g in (projected, source))
    (gap,) = _rows(conn, "SELECT ST_Distance(ST_Transform(ST_SetSRID(ST_Point(%s, %s), 4326),"
                   " 5898), ST_SetSRID(ST_Point(%s, %s), 5898))",
                   tuple(float(v) for v in (lon, lat, x, y)))[0]
    assert gap < 0.01
    report = import_boundaries(conn, shp, "district")
    assert report.code_field == "district_c"  # shapefile field names are cut to 10 chars
    assert sorted(report.written) == DISTRICT_CODES
    assert "EPSG:5898" in report.crs
    assert _max_offset_m(conn, source) < 1.0


def test_vn2000_utm49_geopackage_lands_within_1m(conn: Conn, tmp_path: Path) -> None:
    source = _source()
    gpkg = tmp_path / "districts_vn2000_utm49.gpkg"
    source.to_crs(3406).to_file(gpkg, engine="pyogrio")
    report = import_boundaries(conn, gpkg, "district")
    assert "EPSG:3406" in report.crs
    assert sorted(report.written) == DISTRICT_CODES
    assert _max_offset_m(conn, source) < 1.0


def test_datum_shift_matters(conn: Conn, tmp_path: Path) -> None:
    """VN-2000 metres read with a WGS 84-based TM-3 (no datum shift) land ~200 m off."""
    source = _source()
    shp = tmp_path / "d.shp"
    source.to_crs(5898).to_file(shp, engine="pyogrio")
    shp.with_suffix(".prj").unlink()
    wrong = "+proj=tmerc +lat_0=0 +lon_0=108 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84"
    import_boundaries(conn, shp, "district", crs=wrong)
    assert 100 < _max_offset_m(conn, source) < 400


# (b) A file without CRS is refused unless --crs is given.

def test_shapefile_without_prj_needs_crs(conn: Conn, tmp_path: Path) -> None:
    source = _source()
    shp = tmp_path / "no_prj.shp"
    source.to_crs(5898).to_file(shp, engine="pyogrio")
    shp.with_suffix(".prj").unlink()
    with pytest.raises(InvalidInput) as err:
        import_boundaries(conn, shp, "district")
    assert "--crs" in str(err.value) and "no_prj.shp" in str(err.value)
    assert _rows(conn, "SELECT count(*) FROM boundary")[0][0] == 0
    report = import_boundaries(conn, shp, "district", crs="EPSG:5898")
    assert len(report.written) == 13
    assert _max_offset_m(conn, source) < 1.0


def test_metres_labelled_wgs84_are_refused(conn: Conn, tmp_path: Path) -> None:
    path = tmp_path / "mislabelled.geojson"
    frame = _source().to_crs(5898).set_crs(4326, allow_override=True)
    frame.to_file(path, engine="pyogrio")
    with pytest.raises(InvalidInput, match="--crs"):
        import_boundaries(conn, path, "district")


def test_bad_options_are_refused(conn: Conn) -> None:
    with pytest.raises(InvalidInput, match="--code-field 'ma_huyen'"):
        import_boundaries(conn, DISTRICTS, "district", code_field="ma_huyen")
    with pytest.raises(InvalidInput, match="--crs"):
        import_boundaries(conn, DISTRICTS, "district", crs="EPSG:not-a-code")
    with pytest.raises(InvalidInput, match="không tìm thấy tệp"):
        import_boundaries(conn, DISTRICTS.with_name("missing.geojson"), "district")
    with pytest.raises(InvalidInput, match="Địa giới 2025 không có cấp huyện"):
        import_boundaries(conn, DISTRICTS, "district", edition="2025")


# (c) The shared district file: codes, Tây Trà communes outside Trà Bồng's old polygon.

def test_shared_district_file(conn: Conn) -> None:
    report = import_boundaries(conn, DISTRICTS, "district")
    assert report.code_field == "district_code" and report.name_field == "name"
    assert sorted(report.written) == DISTRICT_CODES
    assert not report.unmatched and not report.ambiguous and not report.without_polygon
    outside = [c for c in report.centroids_outside if c.code != c.polygon_code]
    tay_tra = [c for c in outside if c.code not in OTHER_OUTSIDE]
    assert {c.name for c in tay_tra} == TAY_TRA
    assert all(c.polygon_code == "525" and c.found_in is None for c in tay_tra)
    assert {c.code: c.found_in for c in outside if c.code in OTHER_OUTSIDE} == OTHER_OUTSIDE
    assert [c for c in report.centroids_outside if c.code == c.polygon_code] == []
    rows = _rows(conn, "SELECT DISTINCT quality, source, method FROM boundary")
    assert rows == [("official", "quang_ngai_districts.geojson", "import")]
    total = _rows(conn, "SELECT sum(area_km2) FROM boundary")[0][0]
    assert 4780 < total < 4830  # README: ~4,804 km² (Tây Trà missing)
    text = format_import_report(report)
    assert "Trà Thanh" in text and "không nằm trong vùng huyện nào" in text
    assert "Đối tượng không ghép được: không có" in text


# (d) Name matching without a code field; unmatched and ambiguous names reported.

def _squares(conn: Conn, level: str, codes: list[str]) -> dict[str, Point]:
    rows = _rows(conn, "SELECT code, ST_X(centroid), ST_Y(centroid) FROM admin_unit"
                 " WHERE edition = 'legacy' AND level = %s AND code = ANY(%s)", (level, codes))
    return {code: box(x - 0.01, y - 0.01, x + 0.01, y + 0.01) for code, x, y in rows}


def test_district_names_without_codes(conn: Conn, tmp_path: Path) -> None:
    source = _source().set_index("district_code")
    names = {"524": "huyện  bình sơn", "522": "TP. Quảng Ngãi", "534": "Thị Xã Đức Phổ ",
             "525": "Huyện Tây Trà"}
    frame = gpd.GeoDataFrame(
        {"ten": list(names.values()) + ["Huyện Không Có"]},
        geometry=[source.geometry[c] for c in names] + [box(108.0, 15.0, 108.1, 15.1)],
        crs=4326,
    )
    path = tmp_path / "named.geojson"
    frame.to_file(path, engine="pyogrio")
    report = import_boundaries(conn, path, "district")
    assert report.code_field is None and report.name_field == "ten"
    assert sorted(report.written) == ["522", "524", "525", "534"]
    assert [(n.feature, n.name) for n in report.unmatched] == [(5, "Huyện Không Có")]
    defects = {(n.name, n.detail.split(" (")[0]) for n in report.name_defects}
    assert ("huyện  bình sơn", "thừa dấu cách") in defects
    assert ("huyện  bình sơn", "viết hoa lạ") in defects
    assert ("Thị Xã Đức Phổ ", "viết hoa lạ") in defects
    assert any(n.name == "Huyện Tây Trà" and n.detail.startswith(
        "tên cũ của 525 Huyện Trà Bồng") for n in report.name_defects)
    text = format_import_report(report)
    assert "đối tượng 5 tên='Huyện Không Có'" in text


def test_code_name_mismatch_merge_and_non_polygons(conn: Conn, tmp_path: Path) -> None:
    source = _source().set_index("district_code")
    halves = [source.geometry["524"].intersection(box(100, 0, 108.75, 20)),
              source.geometry["524"].difference(box(100, 0, 108.75, 20))]
    frame = gpd.GeoDataFrame(
        {"ma": [524, 524, 527, 999], "ten": ["Huyện Bình Sơn", "Huyện Bình Sơn",
                                              "Huyện Tư Nghĩa", "Huyện Mới"]},
        geometry=halves + [source.geometry["527"].boundary, box(108, 15, 108.1, 15.1)],
        crs=4326,
    )
    path = tmp_path / "mixed.gpkg"
    frame.to_file(path, engine="pyogrio")
    report = import_boundaries(conn, path, "district")
    assert report.code_field == "ma" and list(report.written) == ["524"]
    assert report.merged == ["524 Huyện Bình Sơn: 2 đối tượng"]
    assert [(n.feature, n.detail) for n in report.skipped] == [
        (3, "không phải vùng (MultiLineString)")]
    assert [(n.feature, n.code) for n in report.unmatched] == [(4, "999")]
    assert any(n.feature == 3 and "khác tên trong danh mục 'Huyện Sơn Tịnh'" in n.detail
               for n in report.name_defects)
    area = _rows(conn, "SELECT area_km2 FROM boundary WHERE code = '524'")[0][0]
    assert area == pytest.approx(source.to_crs(3406).area["524"] / 1e6, rel=1e-4)


def test_commune_names_ambiguous_and_disambiguated(conn: Conn, tmp_path: Path) -> None:
    squares = _squares(conn, "commune", ["21025", "21439", "21046", "21040"])
    frame = gpd.GeoDataFrame(
        {"name": ["Phường Nguyễn Nghiêm", "Nguyễn Nghiêm", "Xã Bình Thạnh", "Thị Trấn Châu Ổ"],
         "huyen": [None, "Thị xã Đức Phổ", "Huyện Bình Sơn", None]},
        geometry=[squares["21025"], squares["21439"], squares["21046"], squares["21040"]],
        crs=4326,
    )
    path = tmp_path / "communes.gpkg"
    frame.to_file(path, engine="pyogrio")
    report = import_boundaries(conn, path, "commune")
    assert sorted(report.written) == ["21040", "21046", "21439"]
    assert len(report.ambiguous) == 1 and report.ambiguous[0].feature == 1
    assert "21025" in report.ambiguous[0].detail and "21439" in report.ambiguous[0].detail
    assert any(n.name == "Thị Trấn Châu Ổ" and "viết hoa lạ" in n.detail
               for n in report.name_defects)
    assert len(report.without_polygon) == 170 - 3


# (e) Approximate polygons from gazetteer centroids.

def _overlaps(conn: Conn, level: str) -> list[tuple]:
    """Pairs of polygons of a level that overlap (neighbours share edges exactly)."""
    return _rows(
        conn,
        "SELECT a.code, b.code, ST_Area(ST_Intersection(a.geom, b.geom)::geography)"
        " FROM boundary a JOIN boundary b ON a.edition = b.edition AND a.code < b.code"
        " AND ST_Intersects(a.geom, b.geom)"
        " JOIN admin_unit ua ON ua.edition = a.edition AND ua.code = a.code"
        " JOIN admin_unit ub ON ub.edition = b.edition AND ub.code = b.code"
        " WHERE a.edition = 'legacy' AND ua.level = %s AND ub.level = %s"
        " AND (ST_Overlaps(a.geom, b.geom)"
        "      OR ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 0.01)",
        (level, level),
    )


def _centroid_misses(conn: Conn) -> list[tuple]:
    return _rows(
        conn,
        "SELECT u.code, ST_DWithin(b.geom, u.centroid, 1e-6) FROM admin_unit u"
        " JOIN boundary b USING (edition, code) WHERE u.edition = 'legacy'"
        " AND u.level = 'commune' AND NOT ST_Contains(b.geom, u.centroid) ORDER BY u.code",
    )


def _union_gaps(conn: Conn) -> list[tuple]:
    return _rows(
        conn,
        "SELECT d.code, ST_Area(ST_SymDifference(d.geom, u.geom)::geography)"
        " FROM boundary d JOIN (SELECT c.parent_code AS code, ST_Union(b.geom) AS geom"
        "  FROM admin_unit c JOIN boundary b USING (edition, code)"
        "  WHERE c.edition = 'legacy' AND c.level = 'commune' GROUP BY c.parent_code) u"
        " USING (code) WHERE d.edition = 'legacy' AND d.quality = 'approximate'",
    )


def test_approximate_legacy(conn: Conn) -> None:
    report = build_approximate(conn)
    assert len(report.communes_written) == 170 and not report.communes_official
    assert report.districts_written == DISTRICT_CODES
    stats = _rows(
        conn,
        "SELECT u.level, b.quality, count(*), bool_and(ST_IsValid(b.geom)),"
        " bool_and(b.area_km2 > 0), bool_and(b.source = %s)"
        " FROM boundary b JOIN admin_unit u USING (edition, code) GROUP BY 1, 2 ORDER BY 1",
        ("approximate: voronoi of gazetteer centroids",),
    )
    assert stats == [("commune", "approximate", 170, True, True, True),
                     ("district", "approximate", 13, True, True, True)]
    assert _overlaps(conn, "commune") == []
    assert _overlaps(conn, "district") == []
    # Only the two communes sharing one gazetteer centroid miss it: it lies on their shared edge.
    assert _centroid_misses(conn) == [("21046", True), ("21091", True)]
    assert any("dùng chung một tâm điểm" in n for n in report.notes)
    assert any("chưa có vùng chính thức của huyện" in n for n in report.notes)
    gaps = _union_gaps(conn)
    assert len(gaps) == 12 and all(area < 1.0 for _, area in gaps)
    (is_bbox,) = _rows(conn, "SELECT ST_Equals(b.geom, u.bbox) FROM boundary b JOIN admin_unit u"
                       " USING (edition, code) WHERE b.code = '536'")[0]
    assert is_bbox
    assert "xã: ghi 170 vùng gần đúng" in format_approx_report(report)


def test_approximate_is_idempotent(conn: Conn) -> None:
    build_approximate(conn)
    first = _rows(conn, "SELECT code, round(area_km2::numeric, 6) FROM boundary ORDER BY code")
    build_approximate(conn)
    again = _rows(conn, "SELECT code, round(area_km2::numeric, 6) FROM boundary ORDER BY code")
    assert first == again and len(first) == 183


def test_approximate_2025(conn: Conn) -> None:
    report = build_approximate(conn, edition="2025")
    assert len(report.communes_written) == 96
    (n, valid, contains) = _rows(
        conn,
        "SELECT count(*), bool_and(ST_IsValid(b.geom)), bool_and(ST_Contains(b.geom, u.centroid))"
        " FROM boundary b JOIN admin_unit u USING (edition, code) WHERE b.edition = '2025'",
    )[0]
    assert (n, valid, contains) == (96, True, True)


# (f) Official districts replace approximate ones and survive later approximate runs.

def test_official_districts_with_approximate_communes(conn: Conn) -> None:
    build_approximate(conn)
    report = import_boundaries(conn, DISTRICTS, "district")
    assert report.replaced_approximate == DISTRICT_CODES
    assert any("kcmap boundaries approximate" in n for n in report.notes)
    levels = _rows(conn, "SELECT u.level, b.quality, count(*) FROM boundary b"
                         " JOIN admin_unit u USING (edition, code) GROUP BY 1, 2 ORDER BY 1")
    assert levels == [("commune", "approximate", 170), ("district", "official", 13)]
    official_area = _rows(conn, "SELECT sum(area_km2) FROM boundary b JOIN admin_unit u"
                                " USING (edition, code) WHERE u.level = 'district'")[0][0]

    again = build_approximate(conn)
    assert again.districts_official == DISTRICT_CODES and not again.districts_written
    assert levels == _rows(conn, "SELECT u.level, b.quality, count(*) FROM boundary b"
                                 " JOIN admin_unit u USING (edition, code) GROUP BY 1, 2"
                                 " ORDER BY 1")
    tay_tra = {c for c, in _rows(conn, "SELECT code FROM admin_unit WHERE name = ANY(%s)"
                                       " AND level = 'commune'", (list(TAY_TRA),))}
    assert set(again.not_clipped) == tay_tra | set(OTHER_OUTSIDE)
    assert len(again.clipped_to_district) == 170 - 8
    assert any("21505 Xã Ba Ngạc: tâm điểm nằm trong vùng chính thức của huyện 529" in n
               for n in again.notes)
    beyond = _rows(
        conn,
        "SELECT c.code FROM boundary c JOIN admin_unit u USING (edition, code)"
        " JOIN boundary d ON d.edition = u.edition AND d.code = u.parent_code"
        " WHERE u.level = 'commune' AND ST_Area(ST_Difference(c.geom, d.geom)::geography) > 1.0",
    )
    assert {c for c, in beyond} == tay_tra | set(OTHER_OUTSIDE)
    # Cells of communes whose centroid is in no district polygon stay out of other districts.
    intrusions = _rows(
        conn,
        "SELECT c.code, d.code FROM boundary c JOIN admin_unit u USING (edition, code)"
        " JOIN boundary d ON d.edition = c.edition AND d.code <> u.parent_code"
        " JOIN admin_unit du ON du.edition = d.edition AND du.code = d.code"
        " WHERE u.code = ANY(%s) AND du.level = 'district'"
        " AND ST_Area(ST_Intersection(c.geom, d.geom)::geography) > 1.0",
        (sorted(tay_tra) + ["21190"],),
    )
    assert intrusions == []
    assert _overlaps(conn, "commune") == []
    assert [c for c, _ in _centroid_misses(conn)] == sorted(SAME_CENTROID)
    approx_area = _rows(conn, "SELECT sum(area_km2) FROM boundary WHERE quality = 'approximate'")
    assert 0 < approx_area[0][0] < 1.2 * official_area + 400


# (g) The CLI prints the report and fails with one line on bad input.

def test_cli(conn: Conn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli.main import app

    database = SingleConnectionDatabase(conn)
    monkeypatch.setattr("api.database.database_from_env", lambda: database)
    runner = CliRunner()
    result = runner.invoke(app, ["boundaries", "import", str(DISTRICTS), "--level", "district"])
    assert result.exit_code == 0, result.output
    assert "Xã Trà Thanh" in result.output and "đã ghi: 13 vùng chính thức" in result.output
    result = runner.invoke(app, ["boundaries", "approximate"])
    assert result.exit_code == 0, result.output
    assert "huyện: ghi 0 vùng gần đúng, giữ 13 vùng chính thức" in result.output
    shp = tmp_path / "x.shp"
    _source().to_crs(5898).to_file(shp, engine="pyogrio")
    shp.with_suffix(".prj").unlink()
    result = runner.invoke(app, ["boundaries", "import", str(shp), "--level", "district"])
    assert result.exit_code == 1
    assert "--crs" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
