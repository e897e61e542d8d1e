"""Hostile names (HTML, script, Jinja) on every page, in real Chromium and in the HTML sent.

Names a user or an import can set (establishment, craft village, project title and
beneficiary, commune and district names, activity labels) hold payloads that set
`window.__xss`; every page is opened, every tooltip and popup rendered, and the payloads
must show as text without running.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from geo.records.edit import edit_establishment
from maps.core.templates import render, text
from tests.conftest import TEST_PASSWORD
from tests.review_helpers import auth_client, login
from tests.world import BINH_SON, TP_QNG, add_establishment, communes_of, locate, project, village

X_IMG = '<img src=x onerror="window.__xss=1">'
X_SCRIPT = '"><script>window.__xss=1</script>'
X_SVG = "</script><svg onload=window.__xss=1>"
JINJA = "{{ 7*7 }}"
RAW = ("<img src=x onerror", "<script>window.__xss", "<svg onload")
FIND_MAP = "(window.__kcMaps || Object.values(window).filter(v => v instanceof L.Map))[0]"
# Records every Leaflet map a page creates (review.js keeps its map in a closure).
KEEP_MAPS = """(() => {
    let leaflet;
    Object.defineProperty(window, 'L', {configurable: true, get: () => leaflet, set: v => {
        leaflet = v;
        v.Map.addInitHook(function () { (window.__kcMaps = window.__kcMaps || []).push(this); });
    }});
})();"""
MAP_PAGES = ["/maps/coverage", "/maps/coverage?level=district", "/maps/coverage?edition=2025",
             "/maps/gaps", "/maps/establishments", f"/maps/establishments?district={BINH_SON}",
             "/maps/projects", "/maps/villages", f"/maps/villages?district={TP_QNG}"]
# Open every tooltip and popup of the layers on the map (as hovering and clicking would),
# and return the texts they showed.
EXERCISE = """() => {
    const map = FIND_MAP;
    const texts = [];
    const layers = [];
    map.eachLayer(l => layers.push(l));
    for (const l of layers) {
        if (!(l.feature || l.kcItem || (l.getTooltip && l.getTooltip())
              || (l.getPopup && l.getPopup()))) continue;
        const at = l.getLatLng ? l.getLatLng()
            : (l.getBounds && l.getBounds().isValid() ? l.getBounds().getCenter() : null);
        if (!at) continue;
        l.fire('mouseover', {latlng: at}, true);
        document.querySelectorAll('.leaflet-tooltip').forEach(t => texts.push(t.textContent));
        l.fire('click', {latlng: at}, true);
        document.querySelectorAll('.leaflet-popup-content')
            .forEach(t => texts.push(t.textContent));
        map.closePopup();
        l.fire('mouseout', {latlng: at}, true);
    }
    return texts;
}""".replace("FIND_MAP", FIND_MAP)


@pytest.fixture()
def hostile(conn: Any, boundaries: Any, make_user: Any) -> dict[str, Any]:
    """Both editions' boundaries and records whose every user-visible name is a payload."""
    from geo.boundaries.approx import build_approximate

    build_approximate(conn, "2025")
    a = communes_of(conn, TP_QNG)[0]
    b = communes_of(conn, BINH_SON)[0]
    with conn.cursor() as cur:
        for code, name in ((a, f"Xã {X_IMG} {JINJA}"), (b, f"Xã {X_SVG}"),
                           (BINH_SON, f"Huyện {X_SCRIPT}")):
            cur.execute("UPDATE admin_unit SET name = %s WHERE edition = 'legacy' "
                        "AND code = %s", (name, code))
        cur.execute("UPDATE admin_unit SET name = %s WHERE edition = '2025' AND code IN "
                    "(SELECT code FROM admin_unit WHERE edition = '2025' AND level = 'commune' "
                    "ORDER BY code LIMIT 1)", (f"Xã {X_IMG}",))
        cur.execute("UPDATE admin_unit SET name = %s WHERE edition = '2025' AND code IN "
                    "(SELECT code FROM admin_unit WHERE edition = '2025' AND level = 'commune' "
                    "ORDER BY code DESC LIMIT 1)", (f"Xã {X_SVG}",))
        cur.execute("UPDATE activity_type SET name_vi = %s WHERE code = 'machinery'",
                    (f"Máy {X_SCRIPT} {JINJA}",))
    officer = make_user("district_officer", BINH_SON)
    ids = []
    for i, (name, trade) in enumerate(((X_IMG, f"{X_SCRIPT} {JINJA}"),
                                       (f"{X_SVG} {JINJA}", X_IMG))):
        eid = add_establishment(conn, f"H-{i}", BINH_SON, offset=(0.001 * i, 0.0))
        edit_establishment(conn, officer, eid, 1, {"name": name, "trade": trade,
                                                   "address_raw": X_SVG, "reason": X_SCRIPT})
        ids.append(eid)
    locate(conn, "exact", village_id=village(conn, "V-H", X_SCRIPT, X_IMG), commune=a)
    locate(conn, "exact", project_id=project(conn, "P-H", 500_000_000, title=X_SVG,
                                             beneficiary=X_IMG), commune=a)
    locate(conn, "district", project_id=project(conn, "P-D", 300_000_000, title=X_IMG),
           district=BINH_SON)
    planner = make_user("planner")
    return {"a": a, "b": b, "establishments": ids, "planner": planner.username,
            "officer": officer.username}


def _no_script_ran(offline_page: Any) -> None:
    page = offline_page.page
    page.wait_for_timeout(300)  # let any image error or load event fire
    assert page.evaluate("() => window.__xss") is None
    assert offline_page.dialogs == []
    assert page.locator("img[onerror], img[src=x], svg[onload]").count() == 0


def _visible(texts: list[str], *wanted: str) -> None:
    joined = "\n".join(texts)
    for w in wanted:
        assert w in joined, (w, joined[:2000])


def _search_and_open(page: Any) -> list[str]:
    """Search the point map for the payloads; open the popup and tooltip of each result."""
    texts = []
    page.locator("#kc-search").fill("xss")
    page.locator("#kc-results .kc-result").first.wait_for()
    texts.append(page.inner_text("#kc-results"))
    for i in range(page.locator("#kc-results .kc-result").count()):
        page.locator("#kc-results .kc-result").nth(i).click()
        page.locator(".leaflet-popup-content").first.wait_for()
        texts.append(page.inner_text(".leaflet-popup-content"))
        page.evaluate(f"{FIND_MAP}.closePopup()")
    return texts


def test_map_pages_show_hostile_names_as_text(hostile: dict[str, Any], live_server: str,
                                              offline_page: Any) -> None:
    page = offline_page.page
    for path in ["/", f"/login?next={X_SCRIPT}", *MAP_PAGES]:
        page.goto(live_server + path, wait_until="networkidle")
        texts = [page.inner_text("body")]
        if path.startswith("/maps/"):
            page.wait_for_function("() => window.L && (window.kcmapReady "
                                   "|| document.querySelector('path.kc-unit'))", timeout=20000)
            texts += page.evaluate(EXERCISE)
            if page.locator("#kc-search").count():
                texts += _search_and_open(page)
        _no_script_ran(offline_page)
        if path.startswith("/maps/coverage") and "edition" not in path:
            _visible(texts, X_SCRIPT if "district" in path else f"{X_IMG} {JINJA}")
        elif path == "/maps/coverage?edition=2025":
            _visible(texts, f"Xã {X_IMG}", f"Xã {X_SVG}")
        elif path == "/maps/gaps":
            _visible(texts, f"Xã {X_IMG} {JINJA}", f"Xã {X_SVG}", f"Huyện {X_SCRIPT}")
        elif path.startswith("/maps/establishments"):
            _visible(texts, X_IMG, f"{X_SVG} {JINJA}", f"{X_SCRIPT} {JINJA}", X_SCRIPT)
        elif path == "/maps/projects":
            _visible(texts, X_SVG, X_IMG, f"Máy {X_SCRIPT} {JINJA}", f"Huyện {X_SCRIPT}")
        elif path.startswith("/maps/villages"):
            _visible(texts, X_SCRIPT, X_IMG)
    assert offline_page.blocked == []


def test_review_pages_show_hostile_names_as_text(hostile: dict[str, Any], live_server: str,
                                                 offline_page: Any) -> None:
    page = offline_page.page
    page.add_init_script(KEEP_MAPS)
    _login(page, live_server, hostile["planner"])
    first = hostile["establishments"][0]
    for path in ["/review", f"/review/{BINH_SON}", f"/review/{BINH_SON}/history",
                 f"/review/{BINH_SON}?q=xss",
                 *[f"/review/{BINH_SON}/establishments/{e}" for e in hostile["establishments"]],
                 f"/review/{BINH_SON}/establishments/{first}?done=saved"]:
        page.goto(live_server + path, wait_until="networkidle")
        texts = [page.inner_text("body"), page.title()]
        if page.locator("#kc-review-map, #kc-edit-map").count():
            page.wait_for_function("() => document.querySelector('.leaflet-interactive')")
            texts += page.evaluate(EXERCISE)
            if page.locator("#kc-review-map").count():  # hover a marker with the mouse too
                page.locator("#kc-review-map path.leaflet-interactive").last.hover(force=True)
                page.locator(".leaflet-tooltip").first.wait_for()
                texts.append(page.inner_text(".leaflet-tooltip"))
        _no_script_ran(offline_page)
        _visible(texts, f"Huyện {X_SCRIPT}")
        if "/establishments/" in path:
            name = X_IMG if path.split("?")[0].endswith(f"/{first}") else f"{X_SVG} {JINJA}"
            _visible(texts, name, X_SCRIPT)  # the name; the reason in the history
            assert page.title() == f"{name} – kcmap"
        elif path != "/review":
            _visible(texts, X_IMG, f"{X_SVG} {JINJA}")
    page.click("form[action='/logout'] button")
    page.wait_for_load_state("networkidle")
    _login(page, live_server, hostile["officer"])  # the officer may edit: the form, filled
    for eid, name in zip(hostile["establishments"], (X_IMG, f"{X_SVG} {JINJA}"), strict=True):
        page.goto(f"{live_server}/review/{BINH_SON}/establishments/{eid}",
                  wait_until="networkidle")
        assert page.input_value("input[name=name]") == name
        assert page.input_value("input[name=address_raw]") == X_SVG
        assert page.input_value("input[name=trade]") in (X_IMG, f"{X_SCRIPT} {JINJA}")
        _no_script_ran(offline_page)
    assert offline_page.blocked == [] and offline_page.console_errors == []


def _login(page: Any, live_server: str, username: str) -> None:
    page.goto(f"{live_server}/login", wait_until="networkidle")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login" not in page.url, page.inner_text("body")  # logged in


def _outside_scripts(html: str) -> str:
    return re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S)


def test_pages_send_names_escaped(hostile: dict[str, Any], conn: Any) -> None:
    public = auth_client(conn, public_maps=True)
    planner = auth_client(conn)
    login(planner, hostile["planner"])
    eid = hostile["establishments"][0]
    pages = {path: public.get(path).text for path in MAP_PAGES}
    for path in ("/review", f"/review/{BINH_SON}", f"/review/{BINH_SON}/history",
                 f"/review/{BINH_SON}/establishments/{eid}"):
        pages[path] = planner.get(path).text
    pages["/login"] = login(public, X_SCRIPT).text  # refused: the form shows the name again
    for path, html in pages.items():
        assert "&gt; 49" not in html.replace("\\u0026", "&"), path  # no Jinja evaluated
        outside = _outside_scripts(html)
        for raw in RAW:
            assert raw not in outside, (path, raw)
        # script data: folium tooltips hold entity-escaped HTML, never a raw tag
        assert "\\u003cimg src=x onerror" not in html or "kc-review" in html \
            or "kc-edit" in html or path.startswith(("/maps/projects", "/maps/establishments",
                                                     "/maps/villages")), path
    for path in (f"/review/{BINH_SON}", f"/review/{BINH_SON}/history",
                 f"/review/{BINH_SON}/establishments/{eid}", "/maps/gaps"):
        assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in pages[path], path
        assert "&#123;&#123; 7*7 &#125;&#125;" in pages[path], path
    for path in ("/maps/coverage", "/maps/gaps", "/maps/coverage?edition=2025"):
        tips = pages[path].replace("\\u0026", "&")
        assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in tips, path
    assert 'value="&#34;&gt;&lt;script&gt;window.__xss=1&lt;/script&gt;"' in pages["/login"]
    assert "\\u003cimg src=x onerror" in pages[f"/review/{BINH_SON}"]  # JSON island, as data


def test_templates_escape_markup_and_braces() -> None:
    assert text("{{ x }}<b>") == "&#123;&#123; x &#125;&#125;&lt;b&gt;"
    assert render("boxes/title.html", title=X_IMG, subtitle=JINJA) == (
        "<div>&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;</div>"
        '<div class="kc-subtitle">&#123;&#123; 7*7 &#125;&#125;</div>')
