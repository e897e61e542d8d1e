"""Editing and removing lines of a draft plan over the API: totals against the ceilings follow,
a removed need's line gives the need its earlier status back, approved plans refuse (409)."""

from __future__ import annotations

from typing import Any

from tests.world import BINH_SON, add_establishment, communes_of, one

NEED = {"activity_type": "machinery", "description": "Máy sấy", "total_cost_vnd": 900_000_000,
        "requested_vnd": 300_000_000, "counterpart_vnd": 600_000_000, "desired_year": 2026}


def _source(plan: dict[str, Any], code: str) -> dict[str, Any]:
    return next(s for s in plan["totals"]["by_source"] if s["code"] == code)


def _open(client: Any, planner: dict[str, str], kcdp: int) -> None:
    opened = client.post("/api/plans", json={"year": 2026, "ceilings": {"KCQG": 500_000_000,
                                                                        "KCDP": kcdp}},
                         headers=planner)
    assert opened.status_code == 201, opened.text


def test_edit_line_moves_totals_against_ceilings(client: Any, conn: Any, bearer: Any) -> None:
    planner = bearer("planner")
    _open(client, planner, 250_000_000)
    commune = communes_of(conn, BINH_SON)[1]
    made = client.post("/api/plans/2026/lines", json={
        "title": "Hội chợ", "activity_type": "trade_fair", "commune_code": commune,
        "kc_vnd": 200_000_000, "funding_source": "KCDP"}, headers=planner)
    line_id = made.json()["line"]["id"]
    url = f"/api/plans/2026/lines/{line_id}"
    plan = client.get("/api/plans/2026", headers=planner).json()
    assert _source(plan, "KCDP")["kc_vnd"] == 200_000_000 and not plan["over_ceiling"]

    over = client.patch(url, json={"kc_vnd": "300.000.000", "title": "Hội chợ <b>lớn</b>"},
                        headers=planner)
    assert over.status_code == 200, over.text
    assert over.json()["over_ceiling"] is True
    assert over.json()["changed"] == ["kc_vnd", "title"]
    plan = client.get("/api/plans/2026", headers=planner).json()
    assert _source(plan, "KCDP") == {"code": "KCDP", "kc_vnd": 300_000_000,
                                     "ceiling_vnd": 250_000_000, "remaining_vnd": -50_000_000,
                                     "over_ceiling": True}
    assert plan["lines"][0]["title"] == "Hội chợ <b>lớn</b>"

    moved = client.patch(url, json={"funding_source": "KCQG"}, headers=planner)
    assert moved.status_code == 200 and moved.json()["over_ceiling"] is False
    plan = client.get("/api/plans/2026", headers=planner).json()
    assert _source(plan, "KCDP")["kc_vnd"] == 0
    assert _source(plan, "KCQG")["kc_vnd"] == 300_000_000
    assert [(a["code"], a["kc_vnd"]) for a in plan["totals"]["by_activity"]] == [
        ("trade_fair", 300_000_000)]

    assert client.patch(url, json={"kc_vnd": 0}, headers=planner).status_code == 422
    assert client.patch(url, json={"project_id": 1}, headers=planner).status_code == 422
    assert client.patch(url, json={"kc_vnd": 1}, headers=bearer("viewer")).status_code == 403
    stale = client.patch(url, json={"kc_vnd": 1_000_000},
                         headers={**planner, "If-Match": '"1"'})
    assert stale.status_code == 409 and "đã thay đổi" in stale.json()["detail"]
    assert client.patch("/api/plans/2026/lines/999999", json={"kc_vnd": 1},
                        headers=planner).status_code == 404
    history = client.get("/api/plans/2026/history", headers=planner).json()
    assert [h["action"] for h in history] == ["create", "add_line", "edit_line", "edit_line"]
    assert history[2]["after"]["before"] == {"kc_vnd": 200_000_000, "title": "Hội chợ"}


def test_removed_need_line_returns_the_need(client: Any, conn: Any, bearer: Any) -> None:
    planner = bearer("planner")
    eids = [add_establishment(conn, f"PL-RM-{i}", BINH_SON) for i in range(2)]
    needs = [client.post("/api/needs", json={**NEED, "establishment_id": e},
                         headers=planner).json() for e in eids]
    shortlisted = client.patch(f"/api/needs/{needs[0]['id']}", json={"status": "shortlisted"},
                               headers={**planner, "If-Match": "1"})
    assert shortlisted.status_code == 200
    _open(client, planner, 500_000_000)
    lines = [client.post("/api/plans/2026/lines", json={"need_id": n["id"],
                                                       "funding_source": "KCDP"},
                         headers=planner).json()["line"]["id"] for n in needs]
    plan = client.get("/api/plans/2026", headers=planner).json()
    assert _source(plan, "KCDP")["kc_vnd"] == 600_000_000 and plan["over_ceiling"] is True

    refused = client.patch(f"/api/plans/2026/lines/{lines[0]}",
                           json={"commune_code": communes_of(conn, BINH_SON)[2]},
                           headers=planner)
    assert refused.status_code == 422
    version = plan["version"]
    removed = client.delete(f"/api/plans/2026/lines/{lines[0]}",
                            headers={**planner, "If-Match": str(version)})
    assert removed.status_code == 200, removed.text
    assert removed.json()["need_status"] == "shortlisted"
    assert removed.json()["over_ceiling"] is False
    assert client.get(f"/api/needs/{needs[0]['id']}",
                      headers=planner).json()["status"] == "shortlisted"
    client.delete(f"/api/plans/2026/lines/{lines[1]}", headers=planner)
    assert client.get(f"/api/needs/{needs[1]['id']}",
                      headers=planner).json()["status"] == "registered"
    plan = client.get("/api/plans/2026", headers=planner).json()
    assert plan["lines"] == [] and _source(plan, "KCDP")["kc_vnd"] == 0
    assert one(conn, "SELECT count(*) FROM audit_log WHERE entity = 'kc_plan' "
                     "AND action = 'remove_line'") == 2
    again = client.post("/api/plans/2026/lines", json={"need_id": needs[0]["id"],
                                                      "funding_source": "KCQG"},
                        headers=planner)
    assert again.status_code == 201
    assert client.delete(f"/api/plans/2026/lines/{lines[0]}",
                         headers=planner).status_code == 404


def test_approved_plan_lines_are_fixed(client: Any, conn: Any, bearer: Any) -> None:
    planner = bearer("planner")
    eid = add_establishment(conn, "PL-APPR", BINH_SON)
    need = client.post("/api/needs", json={**NEED, "establishment_id": eid},
                       headers=planner).json()
    _open(client, planner, 500_000_000)
    line_id = client.post("/api/plans/2026/lines", json={"need_id": need["id"],
                                                        "funding_source": "KCDP"},
                          headers=planner).json()["line"]["id"]
    assert client.post("/api/plans/2026/approve", json={}, headers=planner).status_code == 200
    url = f"/api/plans/2026/lines/{line_id}"
    edit = client.patch(url, json={"kc_vnd": 1_000_000}, headers=planner)
    assert edit.status_code == 409 and "đã phê duyệt" in edit.json()["detail"]
    drop = client.delete(url, headers=planner)
    assert drop.status_code == 409 and "đã phê duyệt" in drop.json()["detail"]
    assert one(conn, "SELECT status FROM support_need WHERE id = %s", (need["id"],)) == "funded"
    assert one(conn, "SELECT count(*) FROM kc_plan_line WHERE year = 2026") == 1
