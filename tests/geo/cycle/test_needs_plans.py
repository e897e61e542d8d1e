"""Needs and the annual plan over the API: scopes, If-Match, ceilings, approval, what-if."""

from __future__ import annotations

from typing import Any

from geo.core.payload_cache import data_version
from tests.world import BINH_SON, SON_TINH, add_establishment, communes_of, locate, one, project

NEED = {"activity_type": "machinery", "description": "Máy ép mía <b>mới</b>",
        "total_cost_vnd": "1.250.000.000 đ", "requested_vnd": 400_000_000,
        "counterpart_vnd": "850.000.000", "desired_year": 2026, "priority": "high"}


def _need(client: Any, headers: dict[str, str], eid: int, **extra: Any) -> Any:
    return client.post("/api/needs", json={**NEED, "establishment_id": eid, **extra},
                       headers=headers)


def test_officer_registers_in_own_district_only(client: Any, conn: Any, bearer: Any) -> None:
    own = add_establishment(conn, "CY-OWN", BINH_SON)
    other = add_establishment(conn, "CY-OTHER", SON_TINH)
    officer = bearer("district_officer", BINH_SON)
    before = data_version(conn)

    made = _need(client, officer, own)
    assert made.status_code == 201, made.text
    need = made.json()
    assert need["district_code"] == BINH_SON and need["status"] == "registered"
    assert need["total_cost_vnd"] == 1_250_000_000 and need["counterpart_vnd"] == 850_000_000
    assert need["commune_code"] == communes_of(conn, BINH_SON)[0]
    assert data_version(conn) != before
    assert one(conn, "SELECT count(*) FROM audit_log WHERE entity = 'support_need' "
                     "AND entity_id = %s AND action = 'create'", (need["id"],)) == 1

    refused = _need(client, officer, other)
    assert refused.status_code == 403
    assert "không thuộc huyện" in refused.json()["detail"]
    assert _need(client, bearer("viewer"), own).status_code == 403
    assert _need(client, bearer("planner"), other).status_code == 201
    assert client.post("/api/needs", json={**NEED, "establishment_id": own}).status_code == 401

    listed = client.get(f"/api/needs?district={BINH_SON}&year=2026&status=registered",
                        headers=bearer("viewer")).json()
    assert [n["id"] for n in listed] == [need["id"]]
    assert client.get("/api/needs?status=nonsense", headers=officer).status_code == 422


def test_bad_needs_are_refused_in_vietnamese(client: Any, conn: Any, bearer: Any) -> None:
    eid = add_establishment(conn, "CY-BAD", BINH_SON)
    planner = bearer("planner")
    too_much = _need(client, planner, eid, requested_vnd=2_000_000_000)
    assert too_much.status_code == 422 and "vượt tổng chi phí" in too_much.json()["detail"]
    assert _need(client, planner, eid, total_cost_vnd="1,2 tỷ").status_code == 422
    assert _need(client, planner, eid, priority="urgent").status_code == 422
    assert _need(client, planner, eid, activity_type="nope").status_code == 422
    assert _need(client, planner, eid, owner_name="x").status_code == 422


def test_patch_needs_if_match(client: Any, conn: Any, bearer: Any) -> None:
    eid = add_establishment(conn, "CY-PATCH", BINH_SON)
    officer = bearer("district_officer", BINH_SON)
    need = _need(client, officer, eid).json()
    url = f"/api/needs/{need['id']}"
    assert client.patch(url, json={"priority": "low"}, headers=officer).status_code == 428
    ok = client.patch(url, json={"status": "shortlisted"},
                      headers={**officer, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, json={"priority": "low"}, headers={**officer, "If-Match": "1"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    no_reason = client.patch(url, json={"status": "declined"},
                             headers={**officer, "If-Match": "2"})
    assert no_reason.status_code == 422
    foreign = client.patch(url, json={"priority": "low"},
                           headers={**bearer("district_officer", SON_TINH), "If-Match": "2"})
    assert foreign.status_code == 403
    funded = client.patch(url, json={"status": "funded"}, headers={**officer, "If-Match": "2"})
    assert funded.status_code == 409
    declined = client.patch(url, json={"status": "declined", "decline_reason": "Trùng đề án"},
                            headers={**officer, "If-Match": "2"})
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert declined.json()["decline_reason"] == "Trùng đề án"
    assert one(conn, "SELECT count(*) FROM audit_log WHERE entity = 'support_need' "
                     "AND entity_id = %s", (need["id"],)) == 3
    changes = client.get(f"/api/audit?district={BINH_SON}", headers=bearer("planner")).json()
    audit_id = next(c["id"] for c in changes if c["entity"] == "support_need")
    undo = client.post(f"/api/audit/{audit_id}/revert", json={}, headers=bearer("planner"))
    assert undo.status_code == 409 and "không hoàn tác" in undo.json()["detail"]


def test_plan_with_ceiling_lines_flags_and_approval(client: Any, conn: Any,
                                                    bearer: Any) -> None:
    eid = add_establishment(conn, "CY-PLAN", BINH_SON)
    officer, planner = bearer("district_officer", BINH_SON), bearer("planner")
    need = _need(client, officer, eid).json()
    body = {"year": 2026, "ceilings": {"KCQG": 0, "KCDP": 500_000_000},
            "district_ceilings": {BINH_SON: 450_000_000}}
    assert client.post("/api/plans", json=body, headers=officer).status_code == 403
    opened = client.post("/api/plans", json=body, headers=planner)
    assert opened.status_code == 201, opened.text
    assert client.post("/api/plans", json=body, headers=planner).status_code == 409

    line = client.post("/api/plans/2026/lines", json={"need_id": need["id"],
                                                     "funding_source": "KCDP"},
                       headers=planner)
    assert line.status_code == 201, line.text
    assert line.json()["over_ceiling"] is False
    assert client.get(f"/api/needs/{need['id']}", headers=officer).json()["status"] == "in_plan"
    plan = client.get("/api/plans/2026", headers=bearer("viewer")).json()
    kcdp = next(s for s in plan["totals"]["by_source"] if s["code"] == "KCDP")
    assert kcdp == {"code": "KCDP", "kc_vnd": 400_000_000, "ceiling_vnd": 500_000_000,
                    "remaining_vnd": 100_000_000, "over_ceiling": False}
    commune = need["commune_code"]
    assert [(c["code"], c["kc_vnd"]) for c in plan["totals"]["by_commune"]] == [
        (commune, 400_000_000)]
    assert plan["totals"]["by_activity"][0]["code"] == "machinery"
    assert plan["over_ceiling"] is False

    second = communes_of(conn, BINH_SON)[1]
    over = client.post("/api/plans/2026/lines", json={
        "title": "Hội chợ hàng CNNT", "activity_type": "trade_fair", "commune_code": second,
        "kc_vnd": "150.000.000", "funding_source": "KCDP"}, headers=planner)
    assert over.status_code == 201
    assert over.json()["over_ceiling"] is True
    kinds = {(f["kind"], f["code"]) for f in over.json()["flags"]}
    assert kinds == {("source", "KCDP"), ("district", BINH_SON)}
    plan = client.get("/api/plans/2026", headers=planner).json()
    assert plan["over_ceiling"] is True and plan["totals"]["kc_vnd"] == 550_000_000

    refused = client.post("/api/plans/2026/approve", json={}, headers=planner)
    assert refused.status_code == 409 and "vượt trần" in refused.json()["detail"]
    assert client.post("/api/plans/2026/approve", json={"accept_over_ceiling": True,
                                                       "reason": "Bổ sung dự toán"},
                       headers=officer).status_code == 403
    approved = client.post("/api/plans/2026/approve", json={"accept_over_ceiling": True,
                                                           "reason": "Bổ sung dự toán"},
                           headers=planner)
    assert approved.status_code == 200, approved.text
    created = approved.json()["projects_created"]
    assert len(created) == 2
    funded = client.get(f"/api/needs/{need['id']}", headers=officer).json()
    assert funded["status"] == "funded" and funded["project_id"] in {
        c["project_id"] for c in created}
    with conn.cursor() as cur:
        cur.execute("SELECT p.status, p.year, p.kc_vnd, l.precision, l.commune_code "
                    "FROM project p JOIN location l ON l.project_id = p.id WHERE p.id = %s",
                    (funded["project_id"],))
        assert cur.fetchone() == ("approved", 2026, 400_000_000, "commune", commune)
    history = client.get("/api/plans/2026/history", headers=planner).json()
    assert [h["action"] for h in history] == ["create", "add_line", "add_line", "approve"]
    assert history[-1]["reason"] == "Bổ sung dự toán"
    again = client.post("/api/plans/2026/lines", json={"need_id": need["id"],
                                                      "funding_source": "KCDP"},
                        headers=planner)
    assert again.status_code == 409


def test_gaps_what_if_reaches_and_misses(client: Any, conn: Any, bearer: Any) -> None:
    communes = communes_of(conn, BINH_SON)
    target, missed = communes[2], communes[3]
    eids = [add_establishment(conn, f"CY-GAP-{i}", BINH_SON, commune_index=2 + i % 2)
            for i in range(4)]
    funded = add_establishment(conn, "CY-GAP-F", SON_TINH)
    pid = project(conn, "CY-GAP-P", 900_000_000, year=2023)
    locate(conn, "commune", project_id=pid, commune=communes_of(conn, SON_TINH)[0])
    planner = bearer("planner")
    need = _need(client, planner, eids[0]).json()
    assert need["commune_code"] == target and funded
    client.post("/api/plans", json={"year": 2026, "ceilings": {"KCQG": 0, "KCDP": 10**9}},
                headers=planner)
    client.post("/api/plans/2026/lines", json={"need_id": need["id"], "funding_source": "KCDP"},
                headers=planner)

    today = {r["code"]: r for r in client.get("/api/gaps").json()["communes"]}
    assert client.get("/api/gaps?plan=2026").status_code == 401
    what_if = client.get("/api/gaps?plan=2026&top=5", headers=planner).json()
    rows = {r["code"]: r for r in what_if["communes"]}
    assert today[target]["support_vnd"] == 0
    assert rows[target]["support_vnd"] == 400_000_000
    assert rows[target]["score"] < today[target]["score"]
    assert rows[target]["reached"] is True and rows[target]["plan_vnd"] == 400_000_000
    assert rows[target]["rank_before"] == today[target]["rank"]
    assert rows[missed]["reached"] is False
    plan = what_if["plan"]
    assert target in [r["code"] for r in plan["reached"]]
    assert missed in [r["code"] for r in plan["missed"]]
    assert plan["plan_kc_vnd"] == 400_000_000 and plan["top_n"] == 5
    assert rows[target]["unmet_requested_vnd"] == 400_000_000

    unmet = client.get("/api/needs/unmet?year=2026", headers=planner).json()
    assert [(r["code"], r["unmet_requested_vnd"]) for r in unmet["communes"]] == [
        (target, 400_000_000)]
    assert client.get("/api/needs/unmet").status_code == 401


def test_gaps_map_with_a_plan_and_the_needs_layer(client: Any, conn: Any, bearer: Any) -> None:
    eid = add_establishment(conn, "CY-MAP", BINH_SON)
    with conn.cursor() as cur:
        cur.execute("UPDATE establishment SET name = %s WHERE id = %s",
                    ("<img src=x onerror=alert(1)>{{ 7*7 }}`${alert(2)}`", eid))
    planner = bearer("planner")
    need = _need(client, planner, eid).json()
    client.post("/api/plans", json={"year": 2026, "ceilings": {"KCDP": 10**9}}, headers=planner)
    client.post("/api/plans/2026/lines", json={"need_id": need["id"], "funding_source": "KCDP"},
                headers=planner)
    anonymous = client.get("/maps/gaps?plan=2026", follow_redirects=False)
    assert anonymous.status_code == 303  # the what-if needs a login: to it, and back
    assert anonymous.headers["location"] == "/login?next=%2Fmaps%2Fgaps%3Fplan%3D2026"
    page = client.get("/maps/gaps?plan=2026", headers=planner)
    assert page.status_code == 200
    assert "Nếu kế hoạch năm 2026 được cấp vốn" in page.text
    assert "kc-needs" in page.text  # the needs layer
    assert "\\u0026lt;img src=x" in page.text  # the need's tooltip, escaped
    assert "<img src=x" not in page.text and "{{ 7*7 }}" not in page.text
    assert "${alert(2)}" not in page.text
    assert client.get("/maps/gaps?plan=2031", headers=planner).status_code == 404


def test_demo_has_needs_and_a_2026_draft_plan(conn: Any) -> None:
    from geo.intake.demo_store import delete_demo, load_demo

    load_demo(conn)
    needs = one(conn, "SELECT count(*) FROM support_need WHERE is_demo")
    assert needs > 50
    assert one(conn, "SELECT count(*) FROM support_need WHERE NOT is_demo") == 0
    assert one(conn, "SELECT status FROM kc_plan WHERE year = 2026 AND is_demo") == "draft"
    lines = one(conn, "SELECT count(*) FROM kc_plan_line WHERE year = 2026 AND is_demo")
    assert lines == one(conn, "SELECT count(*) FROM support_need WHERE status = 'in_plan'") > 0
    load_demo(conn)
    assert one(conn, "SELECT count(*) FROM support_need WHERE is_demo") == needs
    delete_demo(conn)
    assert one(conn, "SELECT count(*) FROM support_need") == 0
    assert one(conn, "SELECT count(*) FROM kc_plan") == 0


def test_plan_input_is_checked(client: Any, conn: Any, bearer: Any) -> None:
    planner = bearer("planner")
    bad = [{"year": 1999, "ceilings": {"KCDP": 1}},
           {"year": 2027, "ceilings": {"KCDP": -1}},
           {"year": 2027, "ceilings": {"XX": 1}},
           {"year": 2027, "ceilings": {"KCDP": 1}, "district_ceilings": {"999": 5}}]
    for body in bad:
        assert client.post("/api/plans", json=body, headers=planner).status_code == 422, body
    ok = client.post("/api/plans", json={"year": 2027, "ceilings": {"KCĐP": "2.000.000.000"}},
                     headers=planner)
    assert ok.status_code == 201 and ok.json()["ceilings"]["KCDP"] == 2_000_000_000
    assert client.post("/api/plans/2027/lines", json={"need_id": "9" * 30,
                                                     "funding_source": "KCDP"},
                       headers=planner).status_code == 422
    assert client.post("/api/plans/2027/lines", json={
        "title": "x", "activity_type": "training", "district_code": "524", "kc_vnd": 0,
        "funding_source": "KCDP"}, headers=planner).status_code == 422
    empty = client.post("/api/plans/2030/lines", json={}, headers=planner)  # body first
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["loc"] == ["body", "funding_source"]
    assert client.post("/api/plans/2030/lines", json={"need_id": 1, "funding_source": "KCDP"},
                       headers=planner).status_code == 404
    assert client.get("/api/plans/2030", headers=planner).status_code == 404
    assert client.post("/api/plans/2027/approve", json={}, headers=planner).status_code == 422
