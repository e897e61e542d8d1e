"""Real Chromium, offline: a planner uploads a messy workbook on /imports, sees the preview
row by row, commits and undoes (both accepted at once, the page polls the background job);
the records are in the database, then gone; no console errors. Hostile names from
the file stay text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.intake.store import table_counts
from tests.conftest import TEST_PASSWORD
from tests.geo.intake.test_importers import HOSTILE, messy_workbook, places
from tests.world import one

__all__ = ["places"]


def test_planner_uploads_previews_and_commits(conn: Any, make_user: Any, live_server: str,
                                              offline_page: Any, places: dict[str, Any],
                                              tmp_path: Path) -> None:
    planner = make_user("planner")
    path = messy_workbook(tmp_path / "co_so_2024.xlsx", places)
    before = table_counts(conn)
    page = offline_page.page
    page.goto(f"{live_server}/imports")
    assert "/login" in page.url
    page.fill("input[name=username]", planner.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/imports")
    page.set_input_files("#kc-file", str(path))
    page.select_option("#kc-kind", "establishments")
    page.click("#kc-read")
    page.wait_for_selector("#kc-rows tbody tr[data-row='6']", timeout=60_000)
    assert "Nhận" in page.inner_text("#kc-rows tbody tr[data-row='6']")
    assert "Loại" in page.inner_text("#kc-rows tbody tr[data-row='13']")
    assert "8 nhận" in page.inner_text("#kc-summary")
    # the hostile name from the file is shown as text, never as markup
    assert page.locator("#kc-rows img").count() == 0
    assert HOSTILE in page.inner_text("#kc-rows")
    assert table_counts(conn) == before
    # the commit is accepted at once (202) and written in the background; the page polls
    with page.expect_response(lambda r: r.url.endswith("/commit")) as answer:
        page.click("#kc-commit")
    assert answer.value.status == 202 and answer.value.json()["status"] == "committing"
    page.wait_for_selector("#kc-undo:not([hidden])", timeout=60_000)
    assert "Đã nhập lô" in page.inner_text("#kc-message")
    assert "8 thêm mới" in page.inner_text("#kc-message")
    assert "Đã nhập" in page.inner_text("#kc-batch-title")
    assert page.locator("#kc-progress-box").is_hidden()
    assert table_counts(conn)["establishment"] == before["establishment"] + 8
    assert one(conn, "SELECT count(*) FROM audit_log WHERE action = 'import'") >= 8
    # undo the same way: 202, polled until undone
    with page.expect_response(lambda r: r.url.endswith("/undo")) as answer:
        page.click("#kc-undo")
    assert answer.value.status == 202 and answer.value.json()["status"] == "undoing"
    page.locator("#kc-message", has_text="Đã hoàn tác lô").wait_for(timeout=60_000)
    assert "8 bản ghi bị gỡ" in page.inner_text("#kc-message")
    assert page.locator("#kc-undo").is_hidden() and page.locator("#kc-commit").is_hidden()
    assert table_counts(conn) == before
    assert offline_page.console_errors == []
    assert offline_page.blocked == []
    assert offline_page.dialogs == []


def test_viewer_is_refused_the_page(client: Any, bearer: Any) -> None:
    r = client.get("/imports", headers=bearer("viewer"))
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]
    assert "không được nhập" in r.text
