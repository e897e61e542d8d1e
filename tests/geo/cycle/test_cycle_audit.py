"""Writes to recognised products, collaborators, project outputs, money status and inspection
visits through the API leave audit rows (who, when, what, before and after) in audit_log;
district officers record outputs of their own district's projects only."""

from __future__ import annotations

from typing import Any

from geo.records.audit import history
from tests.world import BINH_SON, SON_TINH, add_establishment, communes_of, locate, project


def _audit(conn: Any, entity: str, entity_id: int) -> list[dict[str, Any]]:
    with conn.cursor() as cur:
        cur.execute("""SELECT a.action, a.username, u.role, a.before, a.after, a.district_code,
                              a.version_before, a.version_after, a.at IS NOT NULL
                       FROM audit_log a JOIN app_user u ON u.id = a.user_id
                       WHERE a.entity = %s AND a.entity_id = %s ORDER BY a.id""",
                    (entity, entity_id))
        keys = ("action", "username", "role", "before", "after", "district", "v_before",
                "v_after", "dated")
        return [dict(zip(keys, r, strict=True)) for r in cur.fetchall()]


def test_products_and_collaborators_are_audited(client: Any, conn: Any, bearer: Any,
                                                make_user: Any) -> None:
    eid = add_establishment(conn, "AU-1", BINH_SON)
    officer = bearer("district_officer", BINH_SON)
    r = client.post("/api/products", json={"name": "Mạch nha", "establishment_id": eid,
                                           "kind": "ocop", "stars": 3, "year": 2024},
                    headers=officer)
    product = r.json()
    r = client.patch(f"/api/products/{product['id']}", json={"stars": 5},
                     headers={**officer, "If-Match": '"1"'})
    assert r.status_code == 200
    rows = _audit(conn, "recognised_product", product["id"])
    assert [(a["action"], a["role"], a["v_before"], a["v_after"]) for a in rows] == [
        ("create", "district_officer", 0, 1), ("edit", "district_officer", 1, 2)]
    assert rows[0]["before"] == {} and rows[0]["after"]["name"] == "Mạch nha"
    assert (rows[1]["before"]["stars"], rows[1]["after"]["stars"]) == (3, 5)
    assert all(a["district"] == BINH_SON and a["dated"] for a in rows)

    commune = communes_of(conn, BINH_SON)[2]
    r = client.post("/api/collaborators", json={"commune_code": commune,
                                                "full_name": "Lê Văn Cộng",
                                                "phone": "0900 000 111"}, headers=officer)
    cid = r.json()["id"]
    planner = bearer("planner")
    assert client.patch(f"/api/collaborators/{cid}", json={"phone": "0900 000 222"},
                        headers=planner).status_code == 200
    rows = _audit(conn, "collaborator", cid)
    assert [(a["action"], a["role"]) for a in rows] == [("create", "district_officer"),
                                                       ("edit", "planner")]
    assert (rows[1]["before"]["phone"], rows[1]["after"]["phone"]) == ("0900 000 111",
                                                                       "0900 000 222")
    # A refused write leaves no row.
    other = add_establishment(conn, "AU-2", SON_TINH)
    assert client.post("/api/products", json={"name": "X", "establishment_id": other,
                                              "kind": "cnnt", "year": 2024},
                       headers=officer).status_code == 403
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM audit_log WHERE entity = 'recognised_product'")
        assert cur.fetchone()[0] == 2
    # The trail as history() reads it: the district's officer sees both, names included.
    seen = history(conn, make_user("district_officer", BINH_SON), district=BINH_SON)
    kinds = {(h["entity"], h["action"]) for h in seen}
    assert {("recognised_product", "create"), ("collaborator", "edit")} <= kinds
    edit = next(h for h in seen if h["entity"] == "collaborator" and h["action"] == "edit")
    assert edit["current_name"]  # the commune's name, never the collaborator's


def _placed_project(conn: Any, district: str) -> int:
    pid = project(conn, f"AU-P-{district}", 400_000_000, year=2024)
    locate(conn, "commune", project_id=pid, commune=communes_of(conn, district)[0])
    return pid


def test_outputs_money_inspections_are_audited(client: Any, conn: Any, bearer: Any) -> None:
    pid = _placed_project(conn, BINH_SON)
    officer = bearer("district_officer", BINH_SON)
    r = client.put(f"/api/projects/{pid}/outputs", json={"trainees": 30}, headers=officer)
    assert r.status_code == 200, r.text
    planner = bearer("planner")
    client.put(f"/api/projects/{pid}/outputs", json={"trainees": 35, "machines": 2},
               headers=planner)
    client.put(f"/api/projects/{pid}/outputs", json={"trainees": 35}, headers=planner)
    rows = _audit(conn, "project_output", pid)
    assert [(a["before"], a["after"], a["role"]) for a in rows] == [
        ({}, {"trainees": 30}, "district_officer"),
        ({"trainees": 30}, {"trainees": 35, "machines": 2}, "planner")]  # no-op: no row
    assert client.put(f"/api/projects/{pid}/money", json={"disbursed_vnd": 100_000_000},
                      headers=officer).status_code == 200
    client.put(f"/api/projects/{pid}/money",
               json={"disbursed_vnd": 200_000_000, "settled_vnd": 150_000_000}, headers=planner)
    rows = _audit(conn, "project_finance", pid)
    assert [a["action"] for a in rows] == ["create", "edit"]
    assert rows[0]["after"] == {"planned_vnd": 400_000_000, "disbursed_vnd": 100_000_000,
                                "settled_vnd": 0}
    assert rows[1]["before"] == rows[0]["after"] and rows[1]["after"]["settled_vnd"] == 150_000_000
    r = client.post(f"/api/projects/{pid}/inspections",
                    json={"visit_date": "2024-10-02", "inspector": "Đoàn Sở",
                          "finding": "Đúng đối tượng"}, headers=officer)
    assert r.status_code == 201
    rows = _audit(conn, "project_inspection", pid)
    assert len(rows) == 1 and rows[0]["action"] == "create"
    assert rows[0]["after"]["visit_date"] == "2024-10-02"
    assert rows[0]["after"]["id"] == r.json()["inspections"][-1]["id"]
    assert all(a["district"] == BINH_SON for a in rows)

    elsewhere = _placed_project(conn, SON_TINH)
    for method, path, body in (("put", "outputs", {"trainees": 1}),
                               ("put", "money", {"disbursed_vnd": 1}),
                               ("post", "inspections", {"visit_date": "2024-01-01",
                                                        "inspector": "A", "finding": "B"})):
        r = getattr(client, method)(f"/api/projects/{elsewhere}/{path}", json=body,
                                    headers=officer)
        assert r.status_code == 403, path
        r = getattr(client, method)(f"/api/projects/{pid}/{path}", json=body,
                                    headers=bearer("viewer"))
        assert r.status_code == 403, path
    for entity in ("project_output", "project_finance", "project_inspection"):
        assert _audit(conn, entity, elsewhere) == []

