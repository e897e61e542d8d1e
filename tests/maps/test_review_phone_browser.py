"""Review on a 390×844 phone in real Chromium: no sideways scrolling, clustered markers, the pin
follows typed coordinates, "vị trí của tôi", confirm keeps the scroll position (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.conftest import TEST_PASSWORD
from tests.world import BINH_SON, add_establishment, one, point_of

PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth"


@pytest.fixture()
def phone(chromium: Any) -> Iterator[Any]:
    """A phone-sized page that may only talk to 127.0.0.1, located near Bình Sơn."""
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                   geolocation={"latitude": 15.29, "longitude": 108.77},
                                   permissions=["geolocation"])

    def route(r: Any) -> None:
        host = urlparse(r.request.url).hostname or ""
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    context.close()


def _login(page: Any, base: str, username: str, path: str) -> None:
    page.goto(base + path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + path)


def test_review_list_fits_a_phone(conn: Any, make_user: Any, live_server: str,
                                  phone: Any) -> None:
    long = "Hợp tác xã mây tre đan xuất khẩu truyền thống thôn Phú Lễ xã Bình Trung " * 2
    ids = [add_establishment(conn, f"PH-{n:03d}-{'X' * 40}", BINH_SON,
                             commune_index=n % 3, offset=(0.0003 * n, 0.0002 * n),
                             precision="commune" if n % 2 else "exact")
           for n in range(70)]
    with conn.cursor() as cur:
        cur.execute("UPDATE establishment SET name = %s || id WHERE id = ANY(%s)", (long, ids))
    officer = make_user("district_officer", BINH_SON)
    _login(phone, live_server, officer.username, f"/review/{BINH_SON}")
    phone.wait_for_selector("#kc-review-map .marker-cluster")  # 70 markers: clustered
    assert phone.locator(".kc-card").count() == 50
    assert phone.evaluate(OVERFLOW) <= 390
    for path in (f"/review/{BINH_SON}?page=2", f"/review/{BINH_SON}/history",
                 f"/review/{BINH_SON}/establishments/{ids[0]}",
                 f"/review/{BINH_SON}?filter=outside_district&q=khong-co"):
        phone.goto(live_server + path)
        assert phone.evaluate(OVERFLOW) <= 390, path

    # confirm the 30th card: the page comes back where it was, with the message on the card
    phone.goto(f"{live_server}/review/{BINH_SON}")
    card = phone.locator(".kc-card").nth(29)
    card.scroll_into_view_if_needed()
    before = phone.evaluate("() => window.scrollY")
    assert before > 1000
    card.locator("button[value=confirm]").click()
    phone.wait_for_url("**done=confirmed**")
    phone.wait_for_load_state("load")
    phone.wait_for_function(f"() => Math.abs(window.scrollY - {before}) < 200", timeout=5000)
    note = phone.locator(".kc-card .kc-done")
    assert note.count() == 1 and "Đã xác nhận vị trí" in note.inner_text()
    assert phone.errors == []


def test_pin_follows_typed_coordinates_and_my_location(conn: Any, make_user: Any,
                                                       live_server: str, phone: Any) -> None:
    eid = add_establishment(conn, "PIN-1", BINH_SON)
    lon, lat = point_of(conn, eid)
    officer = make_user("district_officer", BINH_SON)
    path = f"/review/{BINH_SON}/establishments/{eid}"
    _login(phone, live_server, officer.username, path)
    marker = phone.locator(".leaflet-marker-icon.kc-edit-marker")
    marker.wait_for()
    start = marker.bounding_box()
    phone.fill("#kc-lat", f"{lat + 0.002:.6f}".replace(".", ","))
    phone.fill("#kc-lon", f"{lon + 0.002:.6f}")
    phone.wait_for_function("() => document.getElementById('kc-new-pos').textContent !== ''")
    assert f"{lat + 0.002:.6f}" in phone.inner_text("#kc-new-pos")
    phone.wait_for_timeout(400)  # the pan animation
    moved = marker.bounding_box()
    assert start is not None and moved is not None
    assert (moved["x"], moved["y"]) != (start["x"], start["y"])

    phone.click("#kc-gps")
    phone.wait_for_function(
        "() => document.getElementById('kc-gps-note').textContent.startsWith('Đã lấy')")
    assert phone.input_value("#kc-lat") == "15.2900000"
    assert phone.input_value("#kc-lon") == "108.7700000"
    phone.fill("#kc-reason", "đứng tại cơ sở")
    phone.click("#kc-save")
    phone.wait_for_url("**?done=saved")
    assert point_of(conn, eid) == pytest.approx((108.77, 15.29), abs=1e-6)
    assert one(conn, "SELECT reason FROM audit_log WHERE entity_id = %s", (eid,)) == \
        "đứng tại cơ sở"
    assert phone.errors == []
