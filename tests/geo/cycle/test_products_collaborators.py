"""Recognised products and collaborators: roles by district, personal fields, indicators."""

from __future__ import annotations

from typing import Any

from geo.intake.demo_store import load_demo
from tests.world import BINH_SON, SON_TINH, communes_of, establishment, locate


def _establishment_in(conn: Any, district: str, key: str) -> int:
    commune = communes_of(conn, district)[0]
    eid = establishment(conn, key, name=f"Cơ sở {key}")
    locate(conn, "commune", establishment_id=eid, commune=commune)
    return eid


def test_products_by_role_and_district(client: Any, conn: Any, bearer: Any) -> None:
    own = _establishment_in(conn, BINH_SON, "P-OWN")
    other = _establishment_in(conn, SON_TINH, "P-OTHER")
    officer = bearer("district_officer", BINH_SON)
    body = {"name": "Mạch nha <b>Bình Sơn</b>", "establishment_id": own, "kind": "ocop",
            "stars": 4, "level": "provincial", "year": 2024}
    r = client.post("/api/products", json=body, headers=officer)
    assert r.status_code == 201, r.text
    product = r.json()
    assert product["district_code"] == BINH_SON and product["name"] == body["name"]
    assert client.post("/api/products", json={**body, "establishment_id": other},
                       headers=officer).status_code == 403
    assert client.post("/api/products", json=body, headers=bearer("viewer")).status_code == 403
    assert client.post("/api/products", json={**body, "stars": 2},
                       headers=officer).status_code == 422
    assert client.post("/api/products", json={**body, "kind": "cnnt", "level": "regional",
                                              "establishment_id": other},
                       headers=bearer("planner")).status_code == 201
    r = client.patch(f"/api/products/{product['id']}", json={"stars": 5, "level": "national"},
                     headers={**officer, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["stars"] == 5 and r.json()["version"] == 2
    r = client.patch(f"/api/products/{product['id']}", json={"stars": 3},
                     headers={**officer, "If-Match": '"1"'})
    assert r.status_code == 409
    listed = client.get(f"/api/products?district={BINH_SON}").json()
    assert [p["id"] for p in listed] == [product["id"]]
    per = {c["code"]: c for c in client.get("/api/products/per-commune").json()}
    commune = product["commune_code"]
    assert per[commune]["products"] == 1 and per[commune]["ocop"] == 1


def test_collaborators_personal_fields_and_gaps(client: Any, conn: Any, bearer: Any) -> None:
    load_demo(conn)
    planner = bearer("planner")
    missing = client.get(f"/api/collaborators/missing?district={BINH_SON}").json()
    assert missing, "demo leaves some communes without a collaborator"
    commune = missing[0]["code"]
    officer = bearer("district_officer", BINH_SON)
    r = client.post("/api/collaborators", json={"commune_code": commune,
                                                "full_name": "Nguyễn Văn Mẫu",
                                                "phone": "0900 111 222", "since_year": 2023},
                    headers=officer)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    assert r.json()["phone"] == "0900 111 222"
    after = client.get(f"/api/collaborators/missing?district={BINH_SON}").json()
    assert commune not in {c["code"] for c in after} and len(after) == len(missing) - 1
    other_commune = communes_of(conn, SON_TINH)[0]
    assert client.post("/api/collaborators", json={"commune_code": other_commune,
                                                   "full_name": "X"},
                       headers=officer).status_code == 403
    for headers in ({}, bearer("viewer")):
        rows = client.get(f"/api/collaborators?district={BINH_SON}", headers=headers).json()
        assert rows and all("full_name" not in k and "phone" not in k for k in rows)
        assert "0900 111 222" not in client.get("/api/collaborators", headers=headers).text
    rows = client.get(f"/api/collaborators?district={BINH_SON}", headers=planner).json()
    assert any(k.get("full_name") == "Nguyễn Văn Mẫu" for k in rows)
    r = client.patch(f"/api/collaborators/{cid}", json={"is_active": False}, headers=planner)
    assert r.status_code == 200
    again = client.get(f"/api/collaborators/missing?district={BINH_SON}").json()
    assert commune in {c["code"] for c in again}
    assert client.patch(f"/api/collaborators/{cid}", json={"phone": "gọi tôi"},
                        headers=planner).status_code == 422
