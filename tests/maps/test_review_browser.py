"""Real Chromium: an officer logs in, drags an establishment's marker, saves; the DB has it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import TEST_PASSWORD
from tests.world import BINH_SON, add_establishment, point_of


def test_officer_drags_a_marker_and_saves(conn: Any, make_user: Any, live_server: str,
                                          offline_page: Any) -> None:
    eid = add_establishment(conn, "B-DRAG", BINH_SON, precision="commune")
    officer = make_user("district_officer", BINH_SON)
    start = point_of(conn, eid)
    page = offline_page.page

    page.goto(f"{live_server}/review/{BINH_SON}")
    assert "/login" in page.url  # not logged in yet
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/review/{BINH_SON}")
    page.wait_for_selector("#kc-review-map .leaflet-interactive")  # the establishment's marker
    page.click(f"#est-{eid} a")
    page.wait_for_url(f"**/review/{BINH_SON}/establishments/{eid}")
    marker = page.locator(".leaflet-marker-icon.kc-edit-marker")
    marker.wait_for()
    box = marker.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + 12 * step, y + 6 * step)
    page.mouse.up()
    lat = page.input_value("#kc-lat")
    lon = page.input_value("#kc-lon")
    assert lat and lon
    assert "Vị trí mới" in page.inner_text("#kc-new-pos")
    page.fill("input[name=reason]", "kéo điểm trên bản đồ")
    page.click("#kc-save")
    page.wait_for_url("**?done=saved")
    assert "Đã lưu thay đổi" in page.content()

    moved = point_of(conn, eid)
    assert moved == pytest.approx((float(lon), float(lat)), abs=1e-6)
    assert moved[0] > start[0] and moved[1] < start[1]  # dragged right and down
    with conn.cursor() as cur:
        cur.execute("SELECT l.precision, l.method, e.version, e.reviewed_at IS NOT NULL "
                    "FROM location l JOIN establishment e ON e.id = l.establishment_id "
                    "WHERE e.id = %s", (eid,))
        assert cur.fetchone() == ("exact", "manual_review", 2, True)
        cur.execute("SELECT reason, username FROM audit_log WHERE entity_id = %s", (eid,))
        assert cur.fetchall() == [("kéo điểm trên bản đồ", officer.username)]
    assert offline_page.blocked == []
    assert offline_page.console_errors == []
