"""Real Chromium under the Content-Security-Policy: map and review pages work, nothing refused."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import TEST_PASSWORD
from tests.world import (
    BINH_SON,
    add_establishment,
    build_boundaries,
    communes_of,
    locate,
    project,
    village,
)

# Every CSP violation, also those Chromium would not log (recorded before any page script).
WATCH = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
         "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
MAP_PAGES = ["/maps/coverage", "/maps/coverage?level=district", "/maps/establishments",
             "/maps/gaps", "/maps/projects", "/maps/villages"]


@pytest.fixture()
def world(conn: Any) -> dict[str, int]:
    """Boundaries, establishments in Bình Sơn, a project and a village."""
    build_boundaries(conn)
    commune = communes_of(conn, BINH_SON)[0]
    eid = add_establishment(conn, "CSP-1", BINH_SON)
    add_establishment(conn, "CSP-2", BINH_SON, precision="commune", commune_index=1)
    locate(conn, "exact", project_id=project(conn, "CSP-P", 200_000_000), commune=commune)
    locate(conn, "exact", village_id=village(conn, "CSP-V"), commune=commune)
    return {"establishment": eid}


def _violations(offline_page: Any) -> list[str]:
    page = offline_page.page
    page.wait_for_timeout(200)
    found: list[str] = page.evaluate("() => window.__csp || []")
    return found + [m for m in offline_page.console_errors if "Content Security Policy" in m]


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/review/{BINH_SON}")


def test_pages_run_under_the_policy(world: dict[str, int], make_user: Any, live_server: str,
                                    offline_page: Any) -> None:
    page = offline_page.page
    page.add_init_script(WATCH)
    officer = make_user("district_officer", BINH_SON)
    _login(page, live_server, officer.username)
    for path in MAP_PAGES:
        response = page.goto(live_server + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy
        page.wait_for_function("() => window.L && (window.kcmapReady "
                               "|| document.querySelector('path.kc-unit'))", timeout=20000)
        assert page.locator(".leaflet-control-zoom").count() == 1, path  # the map ran
        assert _violations(offline_page) == [], path
    for path in (f"/review/{BINH_SON}",
                 f"/review/{BINH_SON}/establishments/{world['establishment']}",
                 f"/review/{BINH_SON}/history", "/"):
        response = page.goto(live_server + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
        assert response.headers["x-frame-options"] == "DENY"
        assert _violations(offline_page) == [], path
    page.goto(f"{live_server}/review/{BINH_SON}", wait_until="networkidle")
    page.wait_for_selector("#kc-review-map .leaflet-interactive")  # review.js drew markers
    assert offline_page.console_errors == [] and offline_page.blocked == []


def test_a_script_not_allowed_by_hash_is_refused(world: dict[str, int], live_server: str,
                                                 offline_page: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: without the hashes the map's inline script is blocked (the check can fail)."""
    monkeypatch.setattr("api.web.security_headers.inline_script_hashes", lambda html: [])
    page = offline_page.page
    page.add_init_script(WATCH)
    page.goto(live_server + "/maps/coverage", wait_until="networkidle")
    assert any("script-src" in v for v in _violations(offline_page))
    assert page.locator(".leaflet-control-zoom").count() == 0  # the map did not run
