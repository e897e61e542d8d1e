"""Targets, progress (achieved = sums over /api/projects), outputs, money and inspections."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from geo.intake.demo_store import load_demo

CSV = """period,activity,indicator,unit,target,district
2021-2025,,projects,đề án,300,
2021-2025,training,trainees,người,"2.000",
2021-2025,machinery,machines,máy,150,522
2023,,budget_vnd,đồng,5000000000,
"""


def _by_first_district(features: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in features:
        locs = f["properties"]["locations"]
        out[(locs[0]["district"] or "") if locs else ""].append(f["properties"])
    return out


def _sums(props: list[dict[str, Any]], activity: str | None = None) -> dict[str, int]:
    chosen = [p for p in props if activity is None or p["activity_type"] == activity]
    out = {"projects": len(chosen), "budget_vnd": sum(p["budget_vnd"] for p in chosen),
           "disbursed_vnd": sum(p["disbursed_vnd"] for p in chosen)}
    for key in ("models", "trainees", "machines", "products", "fairs", "establishments"):
        out[key] = sum(p["outputs"].get(key, 0) for p in chosen)
    return out


def test_targets_import_and_progress_equal_project_sums(client: Any, conn: Any,
                                                        bearer: Any) -> None:
    load_demo(conn)
    planner = bearer("planner")
    r = client.post("/api/targets/import", content=CSV.encode(),
                    headers={**planner, "Content-Type": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.json()["rows"] == 4
    # again: same keys, replaced not duplicated
    r = client.post("/api/targets/import", content=CSV.encode(),
                    headers={**planner, "Content-Type": "text/csv"})
    assert r.json() == {"rows": 4, "inserted": 0, "updated": 4}

    progress = client.get("/api/progress?period=2021-2025").json()
    projects = client.get("/api/projects?years=2021-2025").json()["features"]
    props = [f["properties"] for f in projects]
    assert progress["totals"] == _sums(props)
    assert sum(progress["totals"].values()) > 0 and progress["totals"]["trainees"] > 0
    for activity, sums in progress["by_activity"].items():
        assert sums == _sums(props, activity)
    by_district = _by_first_district(projects)
    for row in progress["by_district"]:
        expected = _sums(by_district.get(row["code"], []))
        assert {k: row[k] for k in expected} == expected, row["code"]

    targets = {(t["indicator"], t["activity_type"], t["district_code"], t["period_start"]): t
               for t in progress["targets"]}
    trainees = targets[("trainees", "training", None, 2021)]
    assert trainees["target"] == 2000
    assert trainees["achieved"] == _sums(props, "training")["trainees"]
    assert sum(trainees["by_year"].values()) == trainees["achieved"]
    machines = targets[("machines", "machinery", "522", 2021)]
    assert machines["achieved"] == _sums(by_district["522"], "machinery")["machines"]
    assert progress["formula"].startswith("Tỷ lệ hoàn thành")

    one_district = client.get("/api/progress?period=2021-2025&district=522").json()
    assert one_district["totals"] == _sums(by_district["522"])
    assert {t["district_code"] for t in one_district["targets"]} == {"522"}

    year = client.get("/api/progress?period=2023").json()
    props_2023 = [f["properties"] for f in
                  client.get("/api/projects?years=2023").json()["features"]]
    assert year["totals"] == _sums(props_2023)
    budget = next(t for t in year["targets"] if t["indicator"] == "budget_vnd"
                  and t["period_start"] == 2023 and not t["is_demo"])
    assert budget["achieved"] == _sums(props_2023)["budget_vnd"]


def test_bad_targets_refused_whole(client: Any, bearer: Any) -> None:
    planner = bearer("planner")
    bad = CSV + "2021-2025,,unknown,x,5,\n"
    r = client.post("/api/targets/import", content=bad.encode(),
                    headers={**planner, "Content-Type": "text/csv"})
    assert r.status_code == 422
    assert "dòng 6" in r.json()["detail"]
    assert client.get("/api/progress?period=2021-2025").json()["targets"] == []
    r = client.post("/api/targets/import", content=CSV.encode(),
                    headers={**bearer("district_officer", "522"), "Content-Type": "text/csv"})
    assert r.status_code == 403
    r = client.post("/api/targets", json={"period": "2021-2025", "indicator": "projects",
                                          "target": 5}, headers=bearer("viewer"))
    assert r.status_code == 403


def test_outputs_money_inspections(client: Any, conn: Any, bearer: Any) -> None:
    load_demo(conn)
    pid = client.get("/api/projects?years=2024").json()["features"][0]["id"]
    planner = bearer("planner")
    r = client.put(f"/api/projects/{pid}/outputs", json={"trainees": 35, "machines": "2"},
                   headers=planner)
    assert r.status_code == 200, r.text
    assert {o["indicator"]: o["quantity"] for o in r.json()["outputs"]}["trainees"] == 35
    r = client.put(f"/api/projects/{pid}/money",
                   json={"disbursed_vnd": 100_000_000, "settled_vnd": 200_000_000},
                   headers=planner)
    assert r.status_code == 422
    r = client.put(f"/api/projects/{pid}/money",
                   json={"disbursed_vnd": 200_000_000, "settled_vnd": 100_000_000},
                   headers=planner)
    assert r.json()["money"]["settled_vnd"] == 100_000_000
    r = client.post(f"/api/projects/{pid}/inspections",
                    json={"visit_date": "2024-09-12", "inspector": "Đoàn <b>kiểm tra</b>",
                          "finding": "Đúng đối tượng"}, headers=planner)
    assert r.status_code == 201
    assert r.json()["inspections"][-1]["inspector"] == "Đoàn <b>kiểm tra</b>"
    feature = next(f for f in client.get("/api/projects?years=2024").json()["features"]
                   if f["id"] == pid)
    assert feature["properties"]["outputs"]["trainees"] == 35
    assert feature["properties"]["disbursed_vnd"] == 200_000_000
    assert "inspections" not in client.get(f"/api/projects/{pid}/cycle").json()
    r = client.put(f"/api/projects/{pid}/outputs", json={"trainees": 1},
                   headers=bearer("district_officer", "522"))
    assert r.status_code == 403
    r = client.put(f"/api/projects/{pid}/outputs", json={"trainees": 1})
    assert r.status_code == 401


@pytest.mark.parametrize("period", ["2025-2021", "20x1", "1999"])
def test_bad_period(client: Any, period: str) -> None:
    r = client.get(f"/api/progress?period={period}")
    assert r.status_code == 422
