"""Indicators per unit (analytics.indicators), allocation modes, /api/coverage and /api/projects."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from geo.analytics.allocation import split
from geo.analytics.filters import ProjectFilter, parse_filter, parse_sources, parse_years
from geo.analytics.indicators import indicator_report
from geo.core.errors import InvalidInput
from tests.world import (
    BINH_SON,
    TP_QNG,
    by_code,
    communes_of,
    establishment,
    locate,
    project,
    village,
)

TOTAL = 1_970_000_001


@pytest.fixture()
def hand_built(conn: Any) -> dict[str, Any]:
    """A hand-built set: 6 establishments, 2 villages, 8 projects of every precision."""
    a, b = communes_of(conn, TP_QNG)[:2]
    c, d = communes_of(conn, BINH_SON)[:2]
    e1 = establishment(conn, "E1", workers=10)
    locate(conn, "exact", establishment_id=e1, commune=a, district=TP_QNG)
    locate(conn, "commune", establishment_id=establishment(conn, "E2", workers=20), commune=a)
    e3 = establishment(conn, "E3", workers=5)
    locate(conn, "exact", establishment_id=e3, commune=c)
    locate(conn, "district", establishment_id=establishment(conn, "E4", workers=7),
           district=BINH_SON)
    locate(conn, "exact", establishment_id=establishment(conn, "E5"), commune=d)
    locate(conn, "commune", establishment_id=establishment(conn, "E6", workers=3), commune=b)
    locate(conn, "exact", village_id=village(conn, "V1"), commune=c)
    locate(conn, "commune", village_id=village(conn, "V2"), commune=b)

    p1 = project(conn, "P1", 900_000_000, 300_000_000, source="KCQG", beneficiary_id=e1)
    locate(conn, "exact", project_id=p1, commune=a)
    p2 = project(conn, "P2", 200_000_000, activity="training", beneficiary="HTX  Dệt chiếu B")
    locate(conn, "commune", project_id=p2, commune=b)
    p3 = project(conn, "P3", 300_000_001, activity="capacity")
    locate(conn, "district", project_id=p3, district=TP_QNG)
    p4 = project(conn, "P4", 100_000_000, activity="trade_fair")  # two locations
    locate(conn, "exact", project_id=p4, commune=a)
    locate(conn, "district", project_id=p4, district=BINH_SON)
    p5 = project(conn, "P5", 400_000_000, 100_000_000, year=2024, source="KCQG",
                 activity="demonstration", beneficiary_id=e3)
    locate(conn, "exact", project_id=p5, commune=c)
    p6 = project(conn, "P6", 70_000_000, activity="other")
    locate(conn, "province", project_id=p6)
    p7 = project(conn, "P7", 5_000, year=2019)
    locate(conn, "exact", project_id=p7, commune=a)
    p8 = project(conn, "P8", 6_000, status="cancelled")
    locate(conn, "exact", project_id=p8, commune=a)
    return {"a": a, "b": b, "c": c, "d": d}


def _pick(unit: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: unit[k] for k in keys}


# ---------------------------------------------------------------- values


def test_commune_indicator_values(conn: Any, hand_built: dict[str, Any]) -> None:
    report = indicator_report(conn, "commune")
    u = by_code(report["units"])
    assert _pick(u[hand_built["a"]], "kc_vnd", "counterpart_vnd", "projects", "establishments",
                 "workers", "craft_villages", "beneficiary_establishments", "beneficiaries",
                 "beneficiary_share", "vnd_per_establishment", "vnd_per_worker") == {
        "kc_vnd": 950_000_000, "counterpart_vnd": 300_000_000, "projects": 2,
        "establishments": 2, "workers": 30, "craft_villages": 0,
        "beneficiary_establishments": 1, "beneficiaries": 1, "beneficiary_share": 0.5,
        "vnd_per_establishment": 475_000_000, "vnd_per_worker": 31_666_667}
    assert _pick(u[hand_built["b"]], "kc_vnd", "projects", "establishments", "workers",
                 "craft_villages", "beneficiaries", "beneficiary_share") == {
        "kc_vnd": 200_000_000, "projects": 1, "establishments": 1, "workers": 3,
        "craft_villages": 1, "beneficiaries": 1, "beneficiary_share": 0.0}
    assert _pick(u[hand_built["c"]], "kc_vnd", "counterpart_vnd", "establishments", "workers",
                 "craft_villages", "beneficiary_share", "vnd_per_worker") == {
        "kc_vnd": 400_000_000, "counterpart_vnd": 100_000_000, "establishments": 1,
        "workers": 5, "craft_villages": 1, "beneficiary_share": 1.0,
        "vnd_per_worker": 80_000_000}
    # E5 has no worker count: no VND per worker, and it is counted as unknown.
    assert _pick(u[hand_built["d"]], "kc_vnd", "establishments", "workers", "workers_unknown",
                 "vnd_per_establishment", "vnd_per_worker") == {
        "kc_vnd": 0, "establishments": 1, "workers": 0, "workers_unknown": 1,
        "vnd_per_establishment": 0, "vnd_per_worker": None}
    others = [x for code, x in u.items() if code not in hand_built.values()]
    assert all(x["kc_vnd"] == 0 and x["establishments"] == 0 and x["vnd_per_establishment"]
               is None and x["beneficiary_share"] is None for x in others)
    unalloc = {r["district_code"]: r for r in report["unallocated"]}
    assert _pick(unalloc[TP_QNG], "kc_vnd", "projects", "reason") == {
        "kc_vnd": 300_000_001, "projects": 1, "reason": "district_precision"}
    assert _pick(unalloc[BINH_SON], "kc_vnd", "projects", "establishments", "workers") == {
        "kc_vnd": 50_000_000, "projects": 1, "establishments": 1, "workers": 7}
    assert _pick(unalloc[None], "kc_vnd", "reason") == {"kc_vnd": 70_000_000,
                                                        "reason": "no_district"}
    t = report["totals"]
    assert (t["kc_vnd"], t["allocated_kc_vnd"], t["unallocated_kc_vnd"], t["projects"]) == (
        TOTAL, 1_550_000_000, 420_000_001, 6)
    assert t["spread_kc_vnd"] == 0 and t["establishments"] == 6 and t["craft_villages"] == 2


def test_district_indicator_values(conn: Any, hand_built: dict[str, Any]) -> None:
    report = indicator_report(conn, "district")
    u = by_code(report["units"])
    assert _pick(u[TP_QNG], "kc_vnd", "projects", "establishments", "workers",
                 "craft_villages", "beneficiaries") == {
        "kc_vnd": 1_450_000_001, "projects": 4, "establishments": 3, "workers": 33,
        "craft_villages": 1, "beneficiaries": 2}
    assert _pick(u[BINH_SON], "kc_vnd", "projects", "establishments", "workers",
                 "craft_villages", "beneficiary_share") == {
        "kc_vnd": 450_000_000, "projects": 2, "establishments": 3, "workers": 12,
        "craft_villages": 1, "beneficiary_share": round(1 / 3, 4)}
    assert [(r["district_code"], r["kc_vnd"]) for r in report["unallocated"]] == [
        (None, 70_000_000)]
    assert report["totals"]["allocated_kc_vnd"] + 70_000_000 == TOTAL


def test_filters_select_projects(conn: Any, hand_built: dict[str, Any]) -> None:
    a, b, c = hand_built["a"], hand_built["b"], hand_built["c"]
    national = by_code(indicator_report(conn, "commune", ProjectFilter(sources=("KCQG",)))
                       ["units"])
    assert (national[a]["kc_vnd"], national[b]["kc_vnd"], national[c]["kc_vnd"]) == (
        900_000_000, 0, 400_000_000)
    training = indicator_report(conn, "commune", ProjectFilter(activities=("training",)))
    tu = by_code(training["units"])
    assert training["totals"]["kc_vnd"] == 200_000_000 and tu[b]["kc_vnd"] == 200_000_000
    assert tu[a]["beneficiary_establishments"] == 0 and tu[a]["establishments"] == 2
    y2024 = indicator_report(conn, "district", ProjectFilter(years=(2024,)))
    assert by_code(y2024["units"])[BINH_SON]["kc_vnd"] == 400_000_000
    assert y2024["totals"]["kc_vnd"] == 400_000_000
    assert indicator_report(conn, "commune", ProjectFilter(years=(2019,)))["totals"][
        "kc_vnd"] == 5_000
    everything = ProjectFilter(statuses=("planned", "approved", "in_progress", "completed",
                                         "cancelled"), years=tuple(range(2019, 2026)))
    assert indicator_report(conn, "commune", everything)["totals"]["kc_vnd"] \
        == TOTAL + 11_000


def test_filter_parsing(conn: Any) -> None:
    assert parse_years("2021-2025") == (2021, 2022, 2023, 2024, 2025)
    assert parse_years("2021–2022, 2024") == (2021, 2022, 2024)
    assert parse_years("") == parse_years(None) == (2021, 2022, 2023, 2024, 2025)
    assert parse_sources("kcđp") == ("KCDP",) and parse_sources("KCQG,KCDP") == ()
    flt = parse_filter(conn, "2023", "KCQG", "machinery,training", None)
    assert flt == ProjectFilter(years=(2023,), sources=("KCQG",),
                                activities=("machinery", "training"))
    assert flt.query() == {"years": "2023", "source": "KCQG", "activity": "machinery,training"}
    for bad in ({"years": "2025-2021"}, {"years": "21"}, {"source": "ODA"},
                {"activity": "dancing"}, {"status": "lost"}):
        with pytest.raises(InvalidInput):
            parse_filter(conn, **bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------- allocation modes


def _reconciles(report: dict[str, Any]) -> None:
    t = report["totals"]
    assert sum(u["kc_vnd"] for u in report["units"]) == t["allocated_kc_vnd"]
    assert t["allocated_kc_vnd"] + t["unallocated_kc_vnd"] == t["kc_vnd"]
    assert t["allocated_counterpart_vnd"] + t["unallocated_counterpart_vnd"] \
        == t["counterpart_vnd"]


def test_even_allocation_spreads_district_money(conn: Any, hand_built: dict[str, Any]) -> None:
    report = indicator_report(conn, "commune", allocation="even")
    _reconciles(report)
    u = by_code(report["units"])
    qng, bs = communes_of(conn, TP_QNG), communes_of(conn, BINH_SON)
    spread_qng = [u[c]["spread_kc_vnd"] for c in qng]
    assert sum(spread_qng) == 300_000_001 and max(spread_qng) - min(spread_qng) <= 1
    spread_bs = [u[c]["spread_kc_vnd"] for c in bs]
    assert sum(spread_bs) == 50_000_000 and max(spread_bs) - min(spread_bs) <= 1
    assert u[hand_built["a"]]["kc_vnd"] == 950_000_000 + u[hand_built["a"]]["spread_kc_vnd"]
    assert u[hand_built["a"]]["direct_kc_vnd"] == 950_000_000
    assert u[hand_built["a"]]["projects"] == 2 and u[hand_built["a"]]["spread_projects"] == 1
    t = report["totals"]
    assert (t["allocated_kc_vnd"], t["unallocated_kc_vnd"], t["spread_kc_vnd"]) == (
        1_900_000_001, 70_000_000, 350_000_001)
    assert [r["kc_vnd"] for r in report["unallocated"] if r["district_code"] is None] \
        == [70_000_000]


def test_establishment_allocation_weights_by_counts(conn: Any,
                                                    hand_built: dict[str, Any]) -> None:
    report = indicator_report(conn, "commune", allocation="establishments")
    _reconciles(report)
    u = by_code(report["units"])
    # TP Quảng Ngãi: a has 2 establishments, b has 1 -> 300.000.001 shared 2:1 in whole đồng.
    assert (u[hand_built["a"]]["spread_kc_vnd"], u[hand_built["b"]]["spread_kc_vnd"]) == (
        200_000_001, 100_000_000)
    # Bình Sơn: c and d one each (E4 is district-level, not a weight) -> 25.000.000 each.
    assert (u[hand_built["c"]]["spread_kc_vnd"], u[hand_built["d"]]["spread_kc_vnd"]) == (
        25_000_000, 25_000_000)
    assert sum(x["spread_kc_vnd"] for x in u.values()) == 350_000_001
    assert report["totals"]["unallocated_kc_vnd"] == 70_000_000


def test_no_weights_keeps_money_unallocated(conn: Any) -> None:
    p = project(conn, "Q1", 123_456_789)
    locate(conn, "district", project_id=p, district=TP_QNG)
    report = indicator_report(conn, "commune", allocation="establishments")
    _reconciles(report)
    rows = {r["district_code"]: r for r in report["unallocated"]}
    assert rows[TP_QNG]["kc_vnd"] == 123_456_789 and rows[TP_QNG]["reason"] == "no_weights"
    assert indicator_report(conn, "commune", allocation="even")["totals"][
        "unallocated_kc_vnd"] == 0


def test_district_level_ignores_allocation(conn: Any, hand_built: dict[str, Any]) -> None:
    base = indicator_report(conn, "district")
    for mode in ("even", "establishments"):
        other = indicator_report(conn, "district", allocation=mode)
        assert [x["kc_vnd"] for x in other["units"]] == [x["kc_vnd"] for x in base["units"]]
        _reconciles(other)


def test_split_is_exact() -> None:
    assert split(10, [("a", 1), ("b", 1), ("c", 1)]) == {"a": 4, "b": 3, "c": 3}
    assert split(7, [("a", 2), ("b", 0), ("c", 1)]) == {"a": 5, "b": 0, "c": 2}
    assert sum(split(1_000_000_007, [(str(i), i) for i in range(1, 30)]).values()) \
        == 1_000_000_007
    with pytest.raises(ValueError):
        split(5, [("a", 0)])


# ---------------------------------------------------------------- API


@pytest.mark.parametrize("level", ["commune", "district"])
@pytest.mark.parametrize("allocation", ["none", "even", "establishments"])
def test_api_coverage_reconciles_with_api_projects(client: TestClient, hand_built: dict[str, Any],
                                                   level: str, allocation: str) -> None:
    for query in ("", "&source=KCQG", "&activity=capacity,trade_fair", "&years=2022"):
        r = client.get(f"/api/coverage?level={level}&allocation={allocation}{query}")
        assert r.status_code == 200
        data = r.json()
        s = data["summary"]
        assert sum(f["properties"]["support_vnd"] for f in data["features"]) \
            == s["allocated_vnd"]
        assert s["allocated_vnd"] + s["unallocated_vnd"] == s["total_vnd"]
        projects = client.get(f"/api/projects?{query.lstrip('&')}").json()
        assert sum(f["properties"]["budget_vnd"] for f in projects["features"]) \
            == projects["summary"]["total_vnd"] == s["total_vnd"]
    s = client.get(f"/api/coverage?level={level}&allocation={allocation}").json()["summary"]
    assert s["total_vnd"] == TOTAL


def test_api_coverage_properties(client: TestClient, hand_built: dict[str, Any]) -> None:
    data = client.get("/api/coverage?level=commune").json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 170
    a = next(f for f in data["features"] if f["id"] == hand_built["a"])["properties"]
    assert (a["support_vnd"], a["direct_vnd"], a["spread_vnd"], a["vnd_per_establishment"]) \
        == (950_000_000, 950_000_000, 0, 475_000_000)
    assert {"code", "name", "district_name", "workers", "craft_villages", "beneficiary_share",
            "beneficiaries", "vnd_per_worker", "priority"} <= set(a)
    assert data["summary"]["unallocated_vnd"] == 420_000_001
    for bad in ("level=province", "allocation=area", "years=abc", "source=ODA",
                "activity=x", "status=lost"):
        r = client.get(f"/api/coverage?{bad}")
        assert r.status_code == 422 and "Traceback" not in r.text, bad


def test_api_projects_and_records(client: TestClient, hand_built: dict[str, Any],
                                  conn: Any) -> None:
    data = client.get("/api/projects").json()
    by_key = {f["properties"]["record_key"]: f for f in data["features"]}
    assert set(by_key) == {"P1", "P2", "P3", "P4", "P5", "P6"}
    p4 = by_key["P4"]
    assert p4["properties"]["budget_vnd"] == 100_000_000
    assert [(loc["precision"], loc["share_vnd"], loc["lon"] is None)
            for loc in p4["properties"]["locations"]] == [
        ("exact", 50_000_000, False), ("district", 50_000_000, True)]
    assert p4["geometry"]["type"] == "MultiPoint" and len(p4["geometry"]["coordinates"]) == 1
    assert by_key["P3"]["geometry"] is None  # district precision: never a point
    assert by_key["P6"]["geometry"] is None
    detail = client.get(f"/api/projects/{p4['id']}").json()
    assert detail["budget_vnd"] == 100_000_000 and len(detail["locations"]) == 2
    assert detail["locations"][1]["district_name"] == "Huyện Bình Sơn"
    assert client.get("/api/projects/999999999").status_code == 404
    assert client.get("/api/projects/0").status_code == 422
    villages = client.get("/api/villages").json()
    assert len(villages["features"]) == 2 and all(f["geometry"] for f in villages["features"])
    vid = villages["features"][0]["id"]
    assert client.get(f"/api/villages/{vid}").json()["name"].startswith("Làng nghề")
    assert client.get("/api/villages?district=999").status_code == 422


def test_reconciliation_on_demo_data(world: Any, client: TestClient) -> None:
    for level in ("commune", "district"):
        for allocation in ("none", "even", "establishments"):
            s = client.get(f"/api/coverage?level={level}&allocation={allocation}").json()
            total = s["summary"]["total_vnd"]
            assert sum(f["properties"]["support_vnd"] for f in s["features"]) \
                + s["summary"]["unallocated_vnd"] == total > 0
            projects = client.get("/api/projects").json()
            assert sum(f["properties"]["budget_vnd"] for f in projects["features"]) == total
