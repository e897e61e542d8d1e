"""Controls on the cycle pages in real Chromium (offline): shortlist and decline a need in its
row on /needs (If-Match, reason asked in Vietnamese, no jump to the top), edit and remove plan
lines on /plans/{year}; hostile names stay text on both pages."""

from __future__ import annotations

from typing import Any

from geo.cycle.needs import create_need
from geo.cycle.plans import add_line, open_plan
from tests.conftest import TEST_PASSWORD
from tests.review_helpers import auth_client, form_token, login
from tests.world import BINH_SON, EVIL, SON_TINH, add_establishment, one

NEED = {"activity_type": "machinery", "description": EVIL, "total_cost_vnd": 900_000_000,
        "requested_vnd": 300_000_000, "counterpart_vnd": 600_000_000, "desired_year": 2026}


def _hostile_need(conn: Any, planner: Any, key: str, district: str = BINH_SON) -> dict[str, Any]:
    eid = add_establishment(conn, key, district)
    with conn.cursor() as cur:
        cur.execute("UPDATE establishment SET name = %s WHERE id = %s", (EVIL, eid))
    return create_need(conn, planner, {**NEED, "establishment_id": eid})


def _in_view(page: Any, selector: str) -> bool:
    """Whether the element is inside the viewport and the page is not back at its top."""
    return bool(page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return window.scrollY > 0 && r.bottom > 0 && r.top < window.innerHeight; }",
        selector))


def _login(page: Any, base: str, path: str, username: str) -> None:
    page.goto(f"{base}{path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{path}")


def test_officer_shortlists_and_declines_in_the_row(conn: Any, make_user: Any,
                                                    live_server: str,
                                                    offline_page: Any) -> None:
    planner = make_user("planner")
    own = _hostile_need(conn, planner, "CC-OWN")
    extra = [create_need(conn, planner, {**NEED, "description": f"Nhu cầu {i}",
                                         "establishment_id": add_establishment(
                                             conn, f"CC-X{i}", BINH_SON)})
             for i in range(25)]
    other = _hostile_need(conn, planner, "CC-OTHER", SON_TINH)
    officer = make_user("district_officer", BINH_SON)
    page = offline_page.page
    _login(page, live_server, "/needs", officer.username)
    assert page.locator("#kc-needs img").count() == 0
    assert EVIL in page.inner_text(f"#kc-need-{own['id']}")
    assert page.locator(f"#kc-need-{other['id']} button").count() == 0
    assert page.locator(f"#kc-need-{extra[0]['id']} button").count() == 2

    row = f"#kc-need-{own['id']}"
    page.locator(row).scroll_into_view_if_needed()
    assert _in_view(page, row)
    page.click(f"{row} button[data-move=shortlisted]")
    page.wait_for_selector(f"{row}[data-status=shortlisted]")
    assert "Đã chuyển sang «Được chọn sơ bộ»" in page.inner_text(f"{row} .kc-need-message")
    assert page.inner_text(f"{row} .kc-status-name") == "Được chọn sơ bộ"
    assert _in_view(page, row)
    assert one(conn, "SELECT status FROM support_need WHERE id = %s", (own["id"],)) == \
        "shortlisted"

    page.click(f"{row} button[data-move=declined]")
    assert "Lý do không chọn" in page.inner_text(row)
    page.click(f"{row} .kc-decline-confirm")
    assert "Cần ghi lý do" in page.inner_text(f"{row} .kc-need-message")
    assert one(conn, "SELECT status FROM support_need WHERE id = %s", (own["id"],)) == \
        "shortlisted"
    page.fill(f"{row} .kc-decline-reason", EVIL)
    page.click(f"{row} .kc-decline-confirm")
    page.wait_for_selector(f"{row}[data-status=declined]")
    assert page.inner_text(f"{row} .kc-need-reason") == EVIL
    assert page.locator("#kc-needs img").count() == 0
    assert one(conn, "SELECT decline_reason FROM support_need WHERE id = %s",
               (own["id"],)) == EVIL
    assert _in_view(page, row)

    # someone else changes the need meanwhile: the stale click is refused, the row catches up
    with conn.cursor() as cur:
        cur.execute("UPDATE support_need SET status = 'registered', decline_reason = NULL, "
                    "version = version + 1 WHERE id = %s", (extra[0]["id"],))
        cur.execute("UPDATE support_need SET status = 'shortlisted', version = version + 1 "
                    "WHERE id = %s", (extra[1]["id"],))
    stale = f"#kc-need-{extra[1]['id']}"
    page.click(f"{stale} button[data-move=shortlisted]")
    page.wait_for_selector(f"{stale} .kc-need-message.kc-error")
    assert "tải lại" in page.inner_text(f"{stale} .kc-need-message")
    assert page.get_attribute(stale, "data-status") == "shortlisted"
    page.click(f"{stale} button[data-move=registered]")
    page.wait_for_selector(f"{stale}[data-status=registered]")
    # the only console lines are Chromium's note of the refused (409) request
    assert [e for e in offline_page.console_errors if "409" not in e] == []
    assert offline_page.blocked == [] and offline_page.dialogs == []


def test_planner_edits_and_removes_lines_on_the_plan_page(conn: Any, make_user: Any,
                                                         live_server: str,
                                                         offline_page: Any) -> None:
    planner = make_user("planner")
    need = _hostile_need(conn, planner, "CC-PLAN")
    open_plan(conn, planner, {"year": 2026, "ceilings": {"KCQG": 0, "KCDP": 250_000_000}})
    line = add_line(conn, planner, 2026, {"need_id": need["id"], "funding_source": "KCDP"})
    line_id = line["line"]["id"]
    page = offline_page.page
    _login(page, live_server, "/plans/2026", planner.username)
    assert page.locator("#kc-plan-lines img").count() == 0
    assert EVIL in page.inner_text(f"#kc-line-{line_id}")
    assert page.inner_text("#kc-plan-total") == "300.000.000 đ"
    assert "Vượt trần nguồn KCDP" in page.inner_text(".kc-flag-over")

    page.click(f"#kc-line-{line_id} summary")
    page.fill(f"#kc-line-{line_id} input[name=kc_vnd]", "200.000.000")
    page.click(f"#kc-line-{line_id} .kc-line-save")
    page.wait_for_url("**/plans/2026?done=line_saved*")
    assert "Đã sửa dòng kế hoạch" in page.content()
    assert page.inner_text("#kc-plan-total") == "200.000.000 đ"
    assert page.locator(".kc-flag-over").count() == 0
    assert one(conn, "SELECT kc_vnd FROM kc_plan_line WHERE id = %s", (line_id,)) == 200_000_000

    page.click(f"#kc-line-{line_id} summary")
    page.click(f"#kc-line-{line_id} .kc-line-delete")
    page.wait_for_url("**/plans/2026?done=line_removed*")
    assert page.locator(f"#kc-line-{line_id}").count() == 0
    assert page.inner_text("#kc-plan-total") == "0 đ"
    assert one(conn, "SELECT status FROM support_need WHERE id = %s", (need["id"],)) == \
        "registered"
    assert "Xoá dòng" in page.inner_text("#kc-plan-history")
    assert page.locator("#kc-plan-history img, #kc-line-from-need img").count() == 0
    assert offline_page.console_errors == [] and offline_page.blocked == []


def test_plan_line_forms_need_csrf_and_a_draft(conn: Any, make_user: Any) -> None:
    planner = make_user("planner")
    need = _hostile_need(conn, planner, "CC-FORM")
    open_plan(conn, planner, {"year": 2026, "ceilings": {"KCQG": 0, "KCDP": 10**9}})
    line_id = add_line(conn, planner, 2026, {"need_id": need["id"],
                                             "funding_source": "KCDP"})["line"]["id"]
    client = auth_client(conn)
    login(client, planner.username)
    page = client.get("/plans/2026").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and EVIL not in page
    token = form_token(page)
    url = f"/plans/2026/lines/{line_id}"
    assert client.post(url, data={"kc_vnd": "1"}).status_code == 403
    stale = client.post(url, data={"kc_vnd": "1.000.000", "version": "1", "csrf_token": token})
    assert stale.status_code == 409 and "đã thay đổi" in stale.text and "<html" in stale.text
    client.post("/plans/2026/approve", data={"csrf_token": token})
    refused = client.post(f"{url}/remove", data={"csrf_token": token})
    assert refused.status_code == 409 and "đã phê duyệt" in refused.text
    assert "kc-line-form" not in client.get("/plans/2026").text
