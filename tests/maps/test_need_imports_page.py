"""Real Chromium, offline: a district officer imports the district's needs workbook on /imports;
rows of another district are refused in Vietnamese, hostile names stay text, commit writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import TEST_PASSWORD
from tests.geo.intake.test_need_import import district_rows, district_world, needs_workbook
from tests.world import BINH_SON, EVIL, one


def test_officer_imports_needs_on_the_page(conn: Any, make_user: Any, live_server: str,
                                           offline_page: Any, tmp_path: Path) -> None:
    path = needs_workbook(tmp_path / "nhu_cau_2026.xlsx", district_rows(district_world(conn)))
    officer = make_user("district_officer", BINH_SON)
    page = offline_page.page
    page.goto(f"{live_server}/imports")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/imports")
    page.set_input_files("#kc-file", str(path))
    page.select_option("#kc-kind", "needs")
    page.click("#kc-read")
    page.wait_for_selector("#kc-rows tbody tr[data-row='12']", timeout=60_000)
    assert "không thuộc huyện của bạn" in page.inner_text("#kc-rows tbody tr[data-row='12']")
    assert "dòng 8, cột 'Tổng kinh phí (triệu đồng)'" in page.inner_text(
        "#kc-rows tbody tr[data-row='8']")
    assert "4 nhận" in page.inner_text("#kc-summary")
    assert EVIL in page.inner_text("#kc-rows tbody tr[data-row='4']")
    assert page.locator("#kc-rows img").count() == 0
    assert one(conn, "SELECT count(*) FROM support_need") == 0
    page.click("#kc-commit")
    page.wait_for_selector("#kc-undo:not([hidden])", timeout=30_000)
    assert one(conn, "SELECT count(*) FROM support_need WHERE district_code = %s",
               (BINH_SON,)) == 4
    assert offline_page.console_errors == [] and offline_page.blocked == []
    assert offline_page.dialogs == []
