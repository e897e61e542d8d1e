"""Boundary features far outside the province are refused, named in the QA report."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import psycopg2.extensions
import pytest
from shapely.affinity import translate
from shapely.geometry import box

from geo.boundaries.extent import allowed_box, outside_province
from geo.boundaries.file_import import import_boundaries
from geo.boundaries.qa import format_import_report
from tests.conftest import SHARED_DATA

Conn = psycopg2.extensions.connection
DISTRICTS = SHARED_DATA / "quang_ngai_districts.geojson"
pytestmark = pytest.mark.filterwarnings(
    "ignore:Column names longer than 10 characters", "ignore:Normalized/laundered field name")


def _codes(conn: Conn, edition: str) -> set[str]:
    with conn.cursor() as cur:
        cur.execute("SELECT code FROM boundary WHERE edition = %s AND quality = 'official'",
                    (edition,))
        return {r[0] for r in cur.fetchall()}


def test_real_districts_fit_and_far_ones_do_not() -> None:
    frame = gpd.read_file(DISTRICTS, engine="pyogrio")
    assert all(outside_province(g, "legacy") is None for g in frame.geometry)
    ly_son = box(109.08, 15.36, 109.16, 15.42)
    assert outside_province(ly_son, "legacy") is None
    kon_tum = box(107.4, 14.3, 107.6, 14.5)  # former Kon Tum (Sa Thầy): 2025 province only
    assert outside_province(kon_tum, "2025") is None
    assert outside_province(kon_tum, "legacy") is not None
    new_york = box(-74.05, 40.6, -73.9, 40.8)
    assert "vĩ độ 40.70" in (outside_province(new_york, "2025") or "")
    huge = box(100, 8, 112, 24)  # covers the province, and much more
    assert outside_province(huge, "legacy") is not None
    west, south, east, north = allowed_box("2025")
    assert (west, south, east, north) == (106.8, 13.4, 109.7, 16.0)


def test_far_away_district_is_refused_not_written(conn: Conn, tmp_path: Path) -> None:
    frame = gpd.read_file(DISTRICTS, engine="pyogrio")
    frame["district_code"] = frame["district_code"].astype(str)
    far = frame["district_code"] == "527"
    # Tư Nghĩa moved by about 11,900 km (to New York)
    frame.loc[far, "geometry"] = frame.loc[far, "geometry"].apply(
        lambda g: translate(g, xoff=-182.8, yoff=25.8))
    path = tmp_path / "lech.geojson"
    frame.to_file(path, engine="pyogrio")
    report = import_boundaries(conn, path, "district", code_field="district_code")
    assert "527" not in report.written and len(report.written) == len(frame) - 1
    assert [(n.code, "nằm ngoài tỉnh Quảng Ngãi" in n.detail)
            for n in report.outside_province] == [("527", True)]
    text = format_import_report(report)
    assert "Đối tượng nằm ngoài tỉnh (bị từ chối) (1):" in text
    assert "mã='527'" in text and "bị từ chối, không ghi" in text
    assert "527" not in _codes(conn, "legacy")


def test_2025_commune_in_former_kon_tum_is_accepted(conn: Conn, tmp_path: Path) -> None:
    with conn.cursor() as cur:
        cur.execute("SELECT code, name, ST_X(centroid), ST_Y(centroid) FROM admin_unit "
                    "WHERE edition = '2025' AND level = 'commune' AND centroid IS NOT NULL "
                    "ORDER BY ST_X(centroid) LIMIT 2")
        (west_code, west_name, x, y), (other_code, other_name, x2, y2) = cur.fetchall()
    assert x < 108.2  # west of the old province: former Kon Tum
    frame = gpd.GeoDataFrame(
        {"ma": [west_code, other_code], "ten": [west_name, other_name]},
        geometry=[box(x - 0.01, y - 0.01, x + 0.01, y + 0.01),
                  box(x2 + 2.99, y2 - 0.01, x2 + 3.01, y2 + 0.01)],  # 3° east: in the sea
        crs=4326)
    path = tmp_path / "xa_2025.geojson"
    frame.to_file(path, engine="pyogrio")
    report = import_boundaries(conn, path, "commune", code_field="ma", edition="2025")
    assert list(report.written) == [west_code]
    assert [n.code for n in report.outside_province] == [other_code]
    assert _codes(conn, "2025") == {west_code}
