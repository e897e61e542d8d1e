"""The /progress and /projects/{id} pages: in Chromium a planner adds a target and imports a
CSV; outputs, money and inspections through CSRF forms; user text stays text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from geo.intake.demo_store import load_demo
from tests.conftest import TEST_PASSWORD
from tests.review_helpers import auth_client, form_token, login

HOSTILE = '<img src=x onerror="window.kcHacked=1">'


def _login(page: Any, base: str, path: str, username: str) -> None:
    page.goto(f"{base}{path}")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{path}")


def test_planner_adds_and_imports_targets_in_chromium(conn: Any, make_user: Any,
                                                      live_server: str, offline_page: Any,
                                                      tmp_path: Path) -> None:
    load_demo(conn)
    planner = make_user("planner")
    page = offline_page.page
    _login(page, live_server, "/progress", planner.username)
    assert "Tỷ lệ hoàn thành = Thực hiện ÷ Mục tiêu" in page.inner_text("#kc-formula")
    page.wait_for_selector("#kc-progress-map .leaflet-interactive")
    page.fill("#kc-target-form input[name=period]", "2021-2025")
    page.select_option("#kc-target-form select[name=activity]", "machinery")
    page.select_option("#kc-target-form select[name=indicator]", "machines")
    page.fill("#kc-target-form input[name=target]", "1.234")
    page.click("#kc-target-form button[type=submit]")
    page.wait_for_url("**done=target**")
    assert "Đã lưu chỉ tiêu" in page.content()
    row = page.locator("#kc-targets tr", has_text="1.234")
    assert "Máy móc thiết bị được hỗ trợ" in row.inner_text()

    csv_file = tmp_path / "chi-tieu.csv"
    csv_file.write_text("period,activity,indicator,unit,target,district\n"
                        "2024,,fairs,lượt,7,522\n", encoding="utf-8")
    page.set_input_files("#kc-csv-file", str(csv_file))
    # expect() polls from Playwright's own script (a string predicate polled in the page
    # would be eval'd, which the page's CSP refuses when the file is not read at once).
    expect(page.locator("#kc-csv-text")).to_have_value(re.compile("fairs"))
    page.click("#kc-import-form button[type=submit]")
    page.wait_for_url("**done=import")
    with conn.cursor() as cur:
        cur.execute("SELECT target, is_demo, source FROM programme_target WHERE indicator = "
                    "'fairs' AND district_code = '522' AND period_start = 2024")
        assert cur.fetchone() == (7, False, "csv:form")
    assert offline_page.blocked == []
    assert offline_page.console_errors == []


def test_project_page_forms_and_hostile_text(conn: Any, make_user: Any, live_server: str,
                                             offline_page: Any) -> None:
    load_demo(conn)
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM project WHERE is_demo ORDER BY id LIMIT 1")
        pid = cur.fetchone()[0]
    planner = make_user("planner")
    page = offline_page.page
    _login(page, live_server, f"/projects/{pid}", planner.username)
    page.fill("#kc-outputs-form input[name=trainees]", "42")
    page.click("#kc-outputs-form button[type=submit]")
    page.wait_for_url("**done=outputs")
    assert "42 người" in page.inner_text("#kc-outputs")
    page.fill("#kc-money-form input[name=disbursed_vnd]", "1250000000")
    page.fill("#kc-money-form input[name=settled_vnd]", "0")
    page.click("#kc-money-form button[type=submit]")
    page.wait_for_url("**done=money")
    assert "1.250.000.000 đ" in page.inner_text("#kc-money")
    page.fill("#kc-inspection-form input[name=visit_date]", "2025-03-04")
    page.fill("#kc-inspection-form input[name=inspector]", HOSTILE)
    page.fill("#kc-inspection-form input[name=finding]", "Đúng đối tượng {{ 7*7 }}")
    page.click("#kc-inspection-form button[type=submit]")
    page.wait_for_url("**done=inspection")
    table = page.inner_text("#kc-inspections")
    assert HOSTILE in table and "04/03/2025" in table and "{{ 7*7 }}" in table
    assert page.evaluate("window.kcHacked") is None
    assert offline_page.console_errors == []


def test_page_roles_csrf_and_html_errors(conn: Any, make_user: Any) -> None:
    load_demo(conn)
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM project WHERE is_demo ORDER BY id LIMIT 1")
        pid = cur.fetchone()[0]
    viewer = make_user("viewer")
    c = auth_client(conn)
    assert c.get("/progress", follow_redirects=False).status_code == 303  # to the login
    login(c, viewer.username)
    page = c.get("/progress")
    assert page.status_code == 200 and "kc-target-form" not in page.text
    r = c.post("/progress/targets", data={"period": "2025", "indicator": "projects",
                                          "target": "5", "csrf_token": form_token(page.text)})
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]
    assert "kc-outputs-form" not in c.get(f"/projects/{pid}").text

    planner = make_user("planner")
    p = auth_client(conn)
    login(p, planner.username)
    page = p.get(f"/projects/{pid}")
    assert p.post(f"/projects/{pid}/outputs", data={"trainees": "3"}).status_code == 403
    bad = p.post(f"/projects/{pid}/money", data={"disbursed_vnd": "5", "settled_vnd": "9",
                                                 "csrf_token": form_token(page.text)})
    assert bad.status_code == 422 and "quyết toán" in bad.text and "<html" in bad.text
    r = p.post("/progress/targets", data={"period": "2030-2020", "indicator": "projects",
                                          "target": "5", "csrf_token": form_token(page.text)})
    assert r.status_code == 422 and "<html" in r.text
    missing = p.get("/projects/999999999")
    assert missing.status_code == 404 and "Không có đề án" in missing.text
