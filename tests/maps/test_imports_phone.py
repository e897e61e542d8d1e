"""/imports on a 390×844 phone in real Chromium, as a district officer uses it: upload, the
preview with its row filter and count, no sideways scrolling of the page (the rows table
scrolls inside its own box)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.geo.intake.test_importers import messy_workbook, places
from tests.maps.test_review_phone_browser import OVERFLOW, PHONE, _login, phone
from tests.world import one

__all__ = ["phone", "places"]


def test_imports_page_fits_a_phone(conn: Any, make_user: Any, live_server: str, phone: Any,
                                   places: dict[str, Any], tmp_path: Path) -> None:
    district = next(iter(places.values()))["district"]
    officer = make_user("district_officer", one(
        conn, "SELECT code FROM admin_unit WHERE edition = 'legacy' AND level = 'district' "
              "AND name = %s", (district,)))
    _login(phone, live_server, officer.username, "/imports")
    assert phone.evaluate(OVERFLOW) <= PHONE["width"]
    phone.set_input_files("#kc-file", str(messy_workbook(tmp_path / "co_so.xlsx", places)))
    phone.click("#kc-read")
    phone.wait_for_selector("#kc-preview-box:not([hidden]) #kc-rows tbody tr", timeout=60_000)
    assert phone.locator("#kc-row-filter").is_visible()
    assert "dòng" in phone.inner_text("#kc-rows-count")
    assert phone.evaluate(OVERFLOW) <= PHONE["width"], phone.evaluate(OVERFLOW)
    assert phone.errors == []
