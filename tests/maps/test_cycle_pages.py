"""The /needs and /plans/{year} pages: forms with CSRF, scopes, escaping, Chromium offline."""

from __future__ import annotations

from typing import Any

from geo.cycle.plans import add_line, open_plan
from tests.conftest import TEST_PASSWORD
from tests.review_helpers import auth_client, form_token, login
from tests.world import BINH_SON, HOSTILE, SON_TINH, add_establishment, one

FORM = {"activity_type": "machinery", "description": "Máy sấy", "total_cost_vnd": "600.000.000",
        "requested_vnd": "200.000.000", "counterpart_vnd": "400.000.000",
        "desired_year": "2026", "priority": "high"}


def test_officer_registers_from_the_form(conn: Any, make_user: Any) -> None:
    own = add_establishment(conn, "PG-OWN", BINH_SON)
    other = add_establishment(conn, "PG-OTHER", SON_TINH)
    with conn.cursor() as cur:
        cur.execute("UPDATE establishment SET name = %s WHERE id = %s", (HOSTILE[0], own))
    officer = make_user("district_officer", BINH_SON)
    client = auth_client(conn)
    assert login(client, officer.username).status_code == 303
    page = client.get("/needs")
    assert page.status_code == 200
    assert 'id="kc-need-form"' in page.text
    assert f'<option value="{own}"' in page.text and f'value="{other}"' not in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    token = form_token(page.text)

    no_csrf = client.post("/needs", data={**FORM, "establishment_id": str(own)},
                          follow_redirects=False)
    assert no_csrf.status_code == 403
    made = client.post("/needs", data={**FORM, "establishment_id": str(own),
                                       "csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/needs?done=need"
    assert one(conn, "SELECT requested_vnd FROM support_need WHERE establishment_id = %s",
               (own,)) == 200_000_000
    listing = client.get("/needs?done=need").text
    assert "Đã đăng ký nhu cầu" in listing and "200.000.000 đ" in listing

    refused = client.post("/needs", data={**FORM, "establishment_id": str(other),
                                          "csrf_token": token})
    assert refused.status_code == 403
    assert "không thuộc huyện" in refused.text and "<html" in refused.text


def test_planner_opens_adds_and_approves_on_the_page(conn: Any, make_user: Any) -> None:
    eid = add_establishment(conn, "PG-PLAN", BINH_SON)
    planner = make_user("planner")
    client = auth_client(conn)
    login(client, planner.username)
    token = form_token(client.get("/needs").text)
    client.post("/needs", data={**FORM, "establishment_id": str(eid), "csrf_token": token})
    need_id = one(conn, "SELECT id FROM support_need WHERE establishment_id = %s", (eid,))

    empty = client.get("/plans/2026").text
    assert 'id="kc-plan-open"' in empty
    opened = client.post("/plans", data={"year": "2026", "KCQG": "0", "KCDP": "150.000.000",
                                         "csrf_token": token}, follow_redirects=False)
    assert opened.status_code == 303
    page = client.get("/plans/2026").text
    assert f'<option value="{need_id}"' in page and 'id="kc-approve"' in page
    client.post("/plans/2026/lines", data={"need_id": str(need_id), "funding_source": "KCDP",
                                           "csrf_token": token})
    page = client.get("/plans/2026").text
    assert "200.000.000 đ" in page and "Vượt trần nguồn KCDP" in page
    assert "VƯỢT TRẦN" in page and 'name="accept_over_ceiling"' in page
    refused = client.post("/plans/2026/approve", data={"csrf_token": token})
    assert refused.status_code == 409 and "vượt trần" in refused.text
    done = client.post("/plans/2026/approve", data={"csrf_token": token,
                                                    "accept_over_ceiling": "1",
                                                    "reason": "Bổ sung"},
                       follow_redirects=False)
    assert done.status_code == 303
    assert "Đã phê duyệt" in client.get("/plans/2026?done=approved").text
    assert one(conn, "SELECT status FROM support_need WHERE id = %s", (need_id,)) == "funded"


def test_viewer_reads_but_gets_no_forms(conn: Any, make_user: Any) -> None:
    viewer = make_user("viewer")
    client = auth_client(conn)
    login(client, viewer.username)
    assert 'id="kc-need-form"' not in client.get("/needs").text
    assert 'id="kc-plan-open"' not in client.get("/plans/2026").text
    anonymous = auth_client(conn, public_maps=True)
    assert anonymous.get("/needs", follow_redirects=False).status_code == 303


def test_needs_and_plan_pages_in_chromium_offline(conn: Any, make_user: Any, live_server: str,
                                                  offline_page: Any) -> None:
    eid = add_establishment(conn, "PG-CHROME", BINH_SON)
    officer = make_user("district_officer", BINH_SON)
    page = offline_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/needs")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/needs")
    page.select_option("select[name=establishment_id]", str(eid))
    page.fill("input[name=total_cost_vnd]", "900.000.000")
    page.fill("input[name=requested_vnd]", "300.000.000")
    page.fill("input[name=counterpart_vnd]", "600.000.000")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide at 390px"
    page.click("#kc-need-save")
    page.wait_for_url("**/needs?done=need")
    assert "300.000.000 đ" in page.inner_text("#kc-needs")
    assert one(conn, "SELECT status FROM support_need WHERE establishment_id = %s",
               (eid,)) == "registered"

    page.goto(f"{live_server}/plans/2026")
    assert "Chưa có kế hoạch năm 2026" in page.content()
    planner = make_user("planner")
    open_plan(conn, planner, {"year": 2026, "ceilings": {"KCQG": 0, "KCDP": 250_000_000}})
    need_id = one(conn, "SELECT id FROM support_need WHERE establishment_id = %s", (eid,))
    add_line(conn, planner, 2026, {"need_id": need_id, "funding_source": "KCDP"})
    page.goto(f"{live_server}/plans/2026")
    assert page.inner_text("#kc-plan-total") == "300.000.000 đ"
    assert "Vượt trần nguồn KCDP" in page.inner_text(".kc-flag-over")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"plan page is {width}px wide at 390px"
    assert offline_page.blocked == []
    assert offline_page.console_errors == []
