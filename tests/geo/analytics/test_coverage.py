"""Coverage per unit (analytics.coverage): precision-aware sums, filters, geometry, gaps."""

from __future__ import annotations

from typing import Any

import pytest

from geo.analytics.coverage import coverage_by_unit, coverage_report
from geo.core.errors import InvalidInput
from maps.views.coverage import coverage_map
from tests.world import BINH_SON, TP_QNG, by_code, coverage_records, locate, one, project


@pytest.fixture()
def fixture_data(conn: Any) -> dict[str, str]:
    """world.coverage_records: projects and establishments of every precision."""
    return coverage_records(conn)


TOTAL_KC = 2_160_000_000


def test_commune_sums_are_precision_aware_and_reconcile(conn: Any,
                                                        fixture_data: dict[str, str]) -> None:
    a, b, c = fixture_data["a"], fixture_data["b"], fixture_data["c"]
    units = by_code(coverage_by_unit(conn, "commune"))
    assert len(units) == 170
    assert {k: units[a][k] for k in ("kc_vnd", "counterpart_vnd", "projects", "establishments")} \
        == {"kc_vnd": 1_033_333_334, "counterpart_vnd": 203_333_334, "projects": 2,
            "establishments": 2}
    assert (units[b]["kc_vnd"], units[b]["projects"], units[b]["establishments"]) \
        == (600_000_000, 1, 0)  # P9 (district precision) is not placed in b
    assert (units[c]["kc_vnd"], units[c]["counterpart_vnd"], units[c]["projects"],
            units[c]["establishments"]) == (33_333_333, 3_333_334, 1, 1)
    others = [u for code, u in units.items() if code not in (a, b, c)]
    assert all(u["kc_vnd"] == 0 and u["projects"] == 0 and u["establishments"] == 0
               for u in others)
    assert units[a]["district_code"] == TP_QNG and units[a]["district_name"]

    report = coverage_report(conn, "commune")
    unalloc = {r["district_code"]: r for r in report["unallocated"]}
    assert set(unalloc) == {TP_QNG, BINH_SON, None}
    assert (unalloc[TP_QNG]["kc_vnd"], unalloc[TP_QNG]["counterpart_vnd"],
            unalloc[TP_QNG]["projects"]) == (340_000_000, 90_000_000, 2)
    assert (unalloc[BINH_SON]["kc_vnd"], unalloc[BINH_SON]["counterpart_vnd"],
            unalloc[BINH_SON]["establishments"]) == (33_333_333, 3_333_333, 1)
    assert (unalloc[None]["kc_vnd"], unalloc[None]["projects"],
            unalloc[None]["establishments"]) == (120_000_000, 2, 1)
    assert unalloc[TP_QNG]["district_name"] == "Thành phố Quảng Ngãi"
    t = report["totals"]
    assert t["kc_vnd"] == TOTAL_KC and t["projects"] == 7 and t["split_projects"] == 1
    assert t["allocated_kc_vnd"] == 1_666_666_667
    assert t["unallocated_kc_vnd"] == 493_333_333
    assert t["allocated_kc_vnd"] + t["unallocated_kc_vnd"] == t["kc_vnd"]
    assert sum(u["kc_vnd"] for u in units.values()) + t["unallocated_kc_vnd"] == TOTAL_KC
    assert t["allocated_counterpart_vnd"] + t["unallocated_counterpart_vnd"] \
        == t["counterpart_vnd"] == 300_000_001
    assert t["unallocated_establishments"] == 2 and t["establishments"] == 5
    assert report["has_demo"] is True


def test_district_sums_reconcile(conn: Any, fixture_data: dict[str, str]) -> None:
    report = coverage_report(conn, "district")
    units = by_code(report["units"])
    assert len(units) == 13
    assert (units[TP_QNG]["kc_vnd"], units[TP_QNG]["projects"],
            units[TP_QNG]["establishments"]) == (1_973_333_334, 5, 2)
    assert (units[BINH_SON]["kc_vnd"], units[BINH_SON]["projects"],
            units[BINH_SON]["establishments"]) == (66_666_666, 1, 2)
    assert [(r["district_code"], r["kc_vnd"]) for r in report["unallocated"]] \
        == [(None, 120_000_000)]
    assert sum(u["kc_vnd"] for u in units.values()) + report["totals"]["unallocated_kc_vnd"] \
        == report["totals"]["kc_vnd"] == TOTAL_KC
    assert report["outlines"] == []


def test_years_statuses_and_flags(conn: Any) -> None:
    report = coverage_report(conn, "commune")
    assert report["has_demo"] is False and report["has_approximate"] is False
    assert len(report["missing"]) == 170 and report["totals"]["kc_vnd"] == 0
    p = project(conn, "OLD", 5_000, year=2019)
    locate(conn, "district", project_id=p, district=TP_QNG)
    assert coverage_report(conn, "district")["totals"]["kc_vnd"] == 0
    assert by_code(coverage_by_unit(conn, "district", years=(2019, 2019)))[TP_QNG]["kc_vnd"] \
        == 5_000
    with pytest.raises(InvalidInput):
        coverage_report(conn, "commune", statuses=("bogus",))


def test_geometry_is_geojson_and_approximate_is_flagged(conn: Any, boundaries: Any) -> None:
    report = coverage_report(conn, "commune")
    assert report["has_approximate"] is True
    drawn = [u for u in report["units"] if u["geometry"] is not None]
    assert len(drawn) + len(report["missing"]) == 170
    assert all(u["geometry"]["type"] in ("Polygon", "MultiPolygon") for u in drawn)
    assert len(report["outlines"]) == 13


def test_district_without_communes_is_unallocated_at_commune_level(conn: Any) -> None:
    ly_son = one(conn, "SELECT code FROM admin_unit WHERE edition = 'legacy' "
                        "AND level = 'district' AND name = 'Huyện Lý Sơn'")
    p = project(conn, "LS", 123_000_000)
    locate(conn, "exact", project_id=p, district=ly_son)
    report = coverage_report(conn, "commune")
    assert report["unallocated"] == [{
        "district_code": ly_son, "district_name": "Huyện Lý Sơn",
        "district_has_communes": False, "kc_vnd": 123_000_000, "counterpart_vnd": 0,
        "projects": 1, "establishments": 0}]
    html = coverage_map(report, "commune").get_root().render()
    assert "Huyện Lý Sơn: 123.000.000 đ (huyện không có đơn vị cấp xã)" in html
    assert by_code(coverage_by_unit(conn, "district"))[ly_son]["kc_vnd"] == 123_000_000


def test_units_without_polygon_are_listed(conn: Any, boundaries: Any) -> None:
    with conn.cursor() as cur:
        cur.execute("DELETE FROM boundary b USING admin_unit u WHERE u.edition = b.edition "
                    "AND u.code = b.code AND u.level = 'commune' AND u.parent_code = %s "
                    "RETURNING u.name", (BINH_SON,))
        gone = sorted(r[0] for r in cur.fetchall())
    report = coverage_report(conn, "commune")
    assert sorted(m["name"] for m in report["missing"]) == gone and len(gone) == 22
    html = coverage_map(report, "commune").get_root().render()
    assert "Chưa có ranh giới, không vẽ được (22 đơn vị)" in html
    listed = [m["name"] for m in report["missing"]][:15]
    assert all(name in html for name in listed) and "và 7 đơn vị khác" in html
