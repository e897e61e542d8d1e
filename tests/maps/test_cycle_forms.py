"""Forms of the cycle's records: in Chromium a district officer adds a recognised product
(and changes it), a collaborator, a project's outputs, money status and an inspection visit
through the pages; each write leaves its audit row. Roles, CSRF and HTML errors over HTTP."""

from __future__ import annotations

from typing import Any

from tests.conftest import TEST_PASSWORD
from tests.review_helpers import auth_client, form_token, login
from tests.world import BINH_SON, SON_TINH, add_establishment, communes_of, locate, project

HOSTILE = '<img src=x onerror="window.kcHacked=1">'


def _audited(conn: Any, entity: str) -> list[tuple[str, str]]:
    with conn.cursor() as cur:
        cur.execute("SELECT action, username FROM audit_log WHERE entity = %s ORDER BY id",
                    (entity,))
        return [(str(a), str(u)) for a, u in cur.fetchall()]


def _project_in(conn: Any, district: str, key: str) -> int:
    pid = project(conn, key, 300_000_000, year=2024)
    locate(conn, "commune", project_id=pid, commune=communes_of(conn, district)[0])
    return pid


def test_officer_creates_one_of_each_in_chromium(conn: Any, make_user: Any, live_server: str,
                                                 offline_page: Any) -> None:
    eid = add_establishment(conn, "F-1", BINH_SON)
    pid = _project_in(conn, BINH_SON, "F-P")
    officer = make_user("district_officer", BINH_SON)
    page = offline_page.page
    page.goto(f"{live_server}/login?next=/products")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/products")

    form = "#kc-product-form"
    page.fill(f"{form} input[name=name]", f"Mạch nha {HOSTILE}")
    page.select_option(f"{form} select[name=establishment_id]", str(eid))
    page.select_option(f"{form} select[name=kind]", "ocop")
    page.select_option(f"{form} select[name=stars]", "4")
    page.fill(f"{form} input[name=year]", "2024")
    page.click(f"{form} button[type=submit]")
    page.wait_for_url("**done=created**")
    row = page.locator("#kc-products tr", has_text="Mạch nha")
    assert HOSTILE in row.inner_text() and "4 sao" in row.inner_text()
    row.locator("a", has_text="Sửa").click()
    page.select_option("#kc-product-edit select[name=stars]", "5")
    page.click("#kc-product-edit button[type=submit]")
    page.wait_for_url("**done=saved")
    assert "5 sao" in page.inner_text("#kc-product")

    commune = communes_of(conn, BINH_SON)[1]
    page.goto(f"{live_server}/collaborators")
    form = "#kc-collaborator-form"
    page.select_option(f"{form} select[name=commune_code]", commune)
    page.fill(f"{form} input[name=full_name]", f"Phạm Văn {HOSTILE}")
    page.fill(f"{form} input[name=phone]", "0912 345 678")
    page.fill(f"{form} input[name=position]", "Cán bộ địa chính")
    page.fill(f"{form} input[name=since_year]", "2023")
    page.click(f"{form} button[type=submit]")
    page.wait_for_url("**done=created**")
    row = page.locator("#kc-collaborators tr", has_text="0912 345 678")
    assert f"Phạm Văn {HOSTILE}" in row.inner_text()

    page.goto(f"{live_server}/projects/{pid}")
    page.fill("#kc-outputs-form input[name=trainees]", "25")
    page.click("#kc-outputs-form button[type=submit]")
    page.wait_for_url("**done=outputs")
    assert "25 người" in page.inner_text("#kc-outputs")
    page.fill("#kc-money-form input[name=disbursed_vnd]", "200.000.000")
    page.fill("#kc-money-form input[name=settled_vnd]", "150000000")
    page.click("#kc-money-form button[type=submit]")
    page.wait_for_url("**done=money")
    assert "150.000.000 đ" in page.inner_text("#kc-money")
    page.fill("#kc-inspection-form input[name=visit_date]", "2024-11-05")
    page.fill("#kc-inspection-form input[name=inspector]", "Phòng Kinh tế huyện")
    page.fill("#kc-inspection-form input[name=finding]", f"Đúng đối tượng {HOSTILE}")
    page.click("#kc-inspection-form button[type=submit]")
    page.wait_for_url("**done=inspection")
    assert f"Đúng đối tượng {HOSTILE}" in page.inner_text("#kc-inspections")
    assert page.evaluate("window.kcHacked") is None
    assert page.locator("img[onerror]").count() == 0
    assert offline_page.blocked == [] and offline_page.console_errors == []

    who = officer.username
    assert _audited(conn, "recognised_product") == [("create", who), ("edit", who)]
    assert _audited(conn, "collaborator") == [("create", who)]
    for entity, action in (("project_output", "edit"), ("project_finance", "create"),
                           ("project_inspection", "create")):
        assert _audited(conn, entity) == [(action, who)], entity


def test_roles_csrf_and_html_errors(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "F-2", BINH_SON)
    other = add_establishment(conn, "F-3", SON_TINH)
    elsewhere = _project_in(conn, SON_TINH, "F-Q")
    commune = communes_of(conn, BINH_SON)[0]
    officer = auth_client(conn)
    login(officer, make_user("district_officer", BINH_SON).username)
    page = officer.get("/products")
    token = form_token(page.text)
    product = {"name": "Chổi đót", "establishment_id": str(eid), "kind": "cnnt",
               "level": "provincial", "year": "2023", "csrf_token": token,
               "district": BINH_SON}
    assert officer.post("/products", data={**product, "csrf_token": ""}).status_code == 403
    r = officer.post("/products", data={**product, "establishment_id": str(other)})
    assert r.status_code == 403 and "<html" in r.text and "không thuộc huyện" in r.text
    r = officer.post("/products", data={**product, "year": "20x3"})
    assert r.status_code == 422 and "<html" in r.text and 'value="Chổi đót"' in r.text
    assert officer.post("/products", data=product, follow_redirects=False).status_code == 303
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM recognised_product WHERE name = 'Chổi đót'")
        pid = cur.fetchone()[0]
    stale = {**product, "version": "7", "level": "national"}
    r = officer.post(f"/products/{pid}", data=stale)
    assert r.status_code == 409 and "<html" in r.text
    r = officer.post("/collaborators", data={"commune_code": commune, "full_name": "Võ Thị Ba",
                                             "phone": "gọi tôi", "csrf_token": token})
    assert r.status_code == 422 and "phone" in r.text and "<html" in r.text
    r = officer.post("/collaborators", data={"commune_code": commune, "full_name": "Võ Thị Ba",
                                             "phone": "0905 111 222", "csrf_token": token},
                     follow_redirects=False)
    assert r.status_code == 303
    r = officer.post(f"/projects/{elsewhere}/outputs",
                     data={"trainees": "3", "csrf_token": token})
    assert r.status_code == 403 and "<html" in r.text
    assert "kc-outputs-form" not in officer.get(f"/projects/{elsewhere}").text

    viewer = auth_client(conn)
    login(viewer, make_user("viewer").username)
    for path, form in (("/products", "kc-product-form"), ("/collaborators",
                                                         "kc-collaborator-form"),
                       (f"/products/{pid}", "kc-product-edit")):
        page = viewer.get(path)
        assert page.status_code == 200 and form not in page.text, path
    listing = viewer.get("/collaborators").text
    assert "Võ Thị Ba" not in listing and "0905 111 222" not in listing
    assert "Chổi đót" in viewer.get("/products").text
    token = form_token(viewer.get("/products").text)
    r = viewer.post("/products", data={**product, "csrf_token": token})
    assert r.status_code == 403 and "<html" in r.text
    assert [a for a, _ in _audited(conn, "recognised_product")] == ["create"]

    planner = auth_client(conn)
    login(planner, make_user("planner").username)
    assert "kc-product-form" not in planner.get("/products").text  # no district chosen yet
    assert "kc-product-form" in planner.get(f"/products?district={SON_TINH}").text
    assert "Võ Thị Ba" in planner.get(f"/collaborators?district={BINH_SON}").text
    assert planner.get("/products/999999999").status_code == 404
    assert auth_client(conn).get("/products", follow_redirects=False).status_code == 303
