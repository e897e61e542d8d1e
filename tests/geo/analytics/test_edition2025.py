"""The 2025 edition: legacy indicators carried to the new communes, totals reconciled."""

from __future__ import annotations

from typing import Any

import pytest

from geo.analytics.edition2025 import report_2025
from geo.analytics.filters import ProjectFilter
from tests.world import locate, one, project

TRA_BUI, CA_DAM, TAY_TRA_BONG = "21142", "21136", "21157"  # legacy Trà Bùi was split in two
LY_SON_DISTRICT, LY_SON_2025 = "536", "21548"


def _unit(report: dict[str, Any], code: str) -> dict[str, Any]:
    return next(u for u in report["units"] if u["code"] == code)


@pytest.mark.parametrize("allocation", ["none", "even", "establishments"])
def test_2025_totals_equal_legacy_totals(world: Any, client: Any, allocation: str) -> None:
    legacy = client.get(f"/api/coverage?allocation={allocation}").json()
    new = client.get(f"/api/coverage/2025?allocation={allocation}").json()
    ls, ns = legacy["summary"], new["summary"]
    assert ns["edition"] == "2025" and ls["total_vnd"] > 0
    assert ns["total_vnd"] == ls["total_vnd"]
    assert ns["total_counterpart_vnd"] == ls["total_counterpart_vnd"]
    assert ns["projects"] == ls["projects"]
    assert sum(f["properties"]["support_vnd"] or 0 for f in new["features"]) \
        == ns["allocated_vnd"]
    assert ns["allocated_vnd"] + ns["unallocated_vnd"] == ns["total_vnd"]
    assert ns["allocated_vnd"] == ls["allocated_vnd"] + ns["district_whole_vnd"]
    assert ns["legacy_allocated_vnd"] == ls["allocated_vnd"]
    assert sum(f["properties"]["counterpart_vnd"] or 0 for f in new["features"]) \
        + ns["unallocated_counterpart_vnd"] == ls["total_counterpart_vnd"]
    est = sum(f["properties"]["establishments"] or 0 for f in new["features"])
    assert est + ns["unallocated_establishments"] == ls["establishments"]
    legacy_villages = sum(f["properties"]["craft_villages"] for f in legacy["features"])
    assert sum(f["properties"]["craft_villages"] or 0 for f in new["features"]) \
        >= legacy_villages


def test_kon_tum_communes_present_as_no_data(world: Any, client: Any) -> None:
    data = client.get("/api/coverage/2025").json()
    features = {f["id"]: f for f in data["features"]}
    total = one(world, "SELECT count(*) FROM admin_unit WHERE edition = '2025' "
                       "AND level = 'commune'")
    unmapped = one(world, "SELECT count(*) FROM admin_unit u WHERE edition = '2025' AND "
                          "level = 'commune' AND NOT EXISTS (SELECT 1 FROM unit_crosswalk x "
                          "WHERE x.code_2025 = u.code)")
    assert len(features) == total and unmapped > 0
    no_data = [f for f in features.values() if f["properties"]["data_status"] == "no_data"]
    assert len(no_data) == unmapped == data["summary"]["no_data_units"]
    for f in no_data:
        assert f["properties"]["support_vnd"] is None
        assert f["properties"]["establishments"] is None
        assert f["geometry"] is not None  # approximate 2025 polygon, drawn as "no data"
    assert all(f["properties"]["boundary_quality"] == "approximate" for f in features.values())


FUTURE = ProjectFilter(years=(2031,))  # no demo project has this year: only ours count


def _areas(conn: Any) -> list[tuple[str, int]]:
    with conn.cursor() as cur:
        cur.execute("""SELECT nb.code, ST_Area(ST_Transform(ST_Intersection(
                           ST_MakeValid(lb.geom), ST_MakeValid(nb.geom)), 3406))
                       FROM boundary lb, boundary nb WHERE lb.edition = 'legacy'
                       AND lb.code = %s AND nb.edition = '2025' AND nb.code IN (%s, %s)
                       ORDER BY nb.code""", (TRA_BUI, CA_DAM, TAY_TRA_BONG))
        return [(c, round(float(a))) for c, a in cur.fetchall()]


def test_split_commune_shared_by_area_then_by_crosswalk(world: Any) -> None:
    from geo.analytics.allocation import split

    locate(world, "commune", project_id=project(world, "split-1", 1_000_001, year=2031),
           commune=TRA_BUI)
    report = report_2025(world, FUTURE)
    entry = next(s for s in report["split_communes"] if s["legacy_code"] == TRA_BUI)
    assert entry["method"] == "area" and entry["polygons"] == "approximate"
    expected = split(1_000_001, _areas(world))
    assert 0 < expected[CA_DAM] < 1_000_001
    for code in (CA_DAM, TAY_TRA_BONG):
        assert _unit(report, code)["kc_vnd"] == expected[code]
        assert _unit(report, code)["allocation_method"] == "area"
        assert _unit(report, code)["projects"] == 1
    assert report["totals"]["allocated_kc_vnd"] == 1_000_001
    # without 2025 polygons: the crosswalk's even share, in whole đồng
    with world.cursor() as cur:
        cur.execute("DELETE FROM boundary WHERE edition = '2025'")
    report = report_2025(world, FUTURE)
    entry = next(s for s in report["split_communes"] if s["legacy_code"] == TRA_BUI)
    assert entry["method"] == "crosswalk"
    assert {t["code"]: t["share"] for t in entry["targets"]} == {CA_DAM: 0.5, TAY_TRA_BONG: 0.5}
    assert _unit(report, CA_DAM)["kc_vnd"] == 500_001
    assert _unit(report, TAY_TRA_BONG)["kc_vnd"] == 500_000
    assert _unit(report, CA_DAM)["allocation_method"] == "crosswalk"
    assert all(u["geometry"] is None for u in report["units"])


def test_establishment_point_goes_to_the_commune_containing_it(world: Any) -> None:
    before = report_2025(world, FUTURE)
    eid = one(world, "INSERT INTO establishment (record_key, name, workers) "
                     "VALUES ('pt-1', 'Cơ sở điểm', 7) RETURNING id")
    with world.cursor() as cur:
        cur.execute("""INSERT INTO location (establishment_id, geom, precision, commune_code,
                           district_code, method)
                       SELECT %s, ST_PointOnSurface(ST_Intersection(lb.geom, nb.geom)), 'exact',
                              %s, '525', 'test'
                       FROM boundary lb, boundary nb WHERE lb.edition = 'legacy'
                       AND lb.code = %s AND nb.edition = '2025' AND nb.code = %s""",
                    (eid, TRA_BUI, TRA_BUI, TAY_TRA_BONG))
        assert cur.rowcount == 1
    after = report_2025(world, FUTURE)
    tay_b, tay_a = _unit(before, TAY_TRA_BONG), _unit(after, TAY_TRA_BONG)
    assert tay_a["establishments"] == tay_b["establishments"] + 1
    assert tay_a["workers"] == tay_b["workers"] + 7
    assert _unit(after, CA_DAM)["establishments"] == _unit(before, CA_DAM)["establishments"]
    assert tay_a["count_method"] == "points"


def test_ly_son_district_projects_go_to_the_special_zone(world: Any) -> None:
    locate(world, "district", project_id=project(world, "ly-son-1", 300_000_000, year=2031),
           district=LY_SON_DISTRICT)
    from geo.analytics.indicators import indicator_report

    legacy = indicator_report(world, "commune", FUTURE, geometry=False)
    assert legacy["totals"]["unallocated_kc_vnd"] == 300_000_000
    report = report_2025(world, FUTURE)
    assert _unit(report, LY_SON_2025)["kc_vnd"] == 300_000_000
    assert _unit(report, LY_SON_2025)["allocation_method"] == "district_whole"
    assert report["totals"]["district_whole_kc_vnd"] == 300_000_000
    assert report["totals"]["unallocated_kc_vnd"] == 0


def _tips(html: str) -> list[str]:
    """The tooltip tables of a Folium page's GeoJSON layers, decoded."""
    import json
    import re

    return [json.loads(f'"{m}"') for m in re.findall(r'"tip": "((?:[^"\\]|\\.)*)"', html)]


def test_2025_map_page_and_edition_switch_keep_filters(world: Any, client: Any) -> None:
    page = client.get("/maps/coverage/2025?years=2022-2024&source=KCQG&indicator=projects")
    assert page.status_code == 200
    html = page.text
    assert "từ 1/7/2025" in html and "Chưa có dữ liệu" in html
    assert "trước 1/7/2025" not in html.split("kc-subtitle", 1)[1][:200]
    assert "/maps/coverage.xlsx?" in html and "edition=2025" in html
    # the 2025 tooltips name the former units each commune was formed from
    feats = client.get("/api/coverage?edition=2025").json()["features"]
    merged = next(f["properties"] for f in feats
                  if "," in (f["properties"].get("legacy_codes") or ""))
    names = {f["properties"]["code"]: f["properties"]["name"]
             for f in client.get("/api/coverage").json()["features"]}
    tips = [t for t in _tips(client.get("/maps/coverage/2025").text) if merged["name"] in t]
    assert tips and "Từ các đơn vị cũ" in tips[0]
    for code in merged["legacy_codes"].split(","):
        assert names[code] in tips[0]
    back = client.get("/maps/coverage/2025?edition=legacy&years=2022-2024&source=KCQG"
                      "&indicator=projects", follow_redirects=False)
    assert back.status_code == 303
    target = back.headers["location"]
    assert target.startswith("/maps/coverage?")
    for part in ("years=2022-2024", "source=KCQG", "indicator=projects"):
        assert part in target


def test_2025_map_page_in_chromium_offline(world: Any, live_server: str,
                                           offline_page: Any) -> None:
    page = offline_page.page
    page.goto(f"{live_server}/maps/coverage/2025?indicator=establishments",
              wait_until="networkidle")
    page.wait_for_function("() => document.querySelector('path.kc-unit')", timeout=20000)
    assert page.locator("path.kc-nodata").count() > 0
    assert page.locator("path.kc-unit").count() > page.locator("path.kc-nodata").count()
    assert "Chưa có dữ liệu" in page.inner_text("body")
    assert offline_page.blocked == []
    assert offline_page.console_errors == []
