"""WCAG AA on the main pages in real Chromium: every visible text's colour against its effective
background has a contrast ratio of at least 4.5:1 (3:1 for large text: 24 px, or 18.66 px
bold); every page declares lang="vi" and starts with a skip link.

The background is found by walking up the ancestors and compositing their background colours
(the page canvas is white). One explicit exception: place names drawn on the map carry their own
white halo (text-shadow) instead of a box, so that halo is their background."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import TEST_PASSWORD
from tests.world import BINH_SON

CONTRAST = """() => {
    function parse(c) {
        const m = /rgba?\\(([^)]+)\\)/.exec(c || '');
        if (!m) return null;
        const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(parseFloat);
        return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    }
    function over(top, bottom) {
        const a = top.a;
        return {r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a),
                b: top.b * a + bottom.b * (1 - a), a: 1};
    }
    function lum(c) {
        const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92
                                                        : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    }
    function halo(el) {
        for (let e = el; e; e = e.parentElement) {
            if (e.classList && e.classList.contains('kc-label')) {
                const s = getComputedStyle(e).textShadow;
                return s && s !== 'none' ? parse(s) : null;
            }
        }
        return null;
    }
    function background(el) {
        const h = halo(el);
        if (h) return h;
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
        }
        let bg = {r: 255, g: 255, b: 255, a: 1};
        for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
        return bg;
    }
    function shown(el) {
        for (let e = el; e; e = e.parentElement) {
            const cs = getComputedStyle(e);
            if (cs.display === 'none' || cs.visibility === 'hidden' || cs.opacity === '0')
                return false;
        }
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
    }
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
        if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'OPTION', 'TEMPLATE'].includes(el.tagName)) continue;
        const text = Array.from(el.childNodes).filter(n => n.nodeType === 3)
            .map(n => n.textContent.trim()).join(' ').trim();
        if (!text || !shown(el)) continue;
        if (el.disabled || el.closest('[disabled]')) continue;  // inactive controls: exempt
        const cs = getComputedStyle(el);
        const bg = background(el);
        const fg = over(parse(cs.color), bg);
        const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
        const ratio = (l1 + 0.05) / (l2 + 0.05);
        const size = parseFloat(cs.fontSize);
        const bold = parseInt(cs.fontWeight, 10) >= 700;
        const large = size >= 24 || (size >= 18.66 && bold);
        out.push({text: text.slice(0, 40), tag: el.tagName, cls: String(el.className),
                  ratio: Math.round(ratio * 100) / 100, need: large ? 3 : 4.5,
                  color: cs.color, bg: `rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ` +
                                       `${Math.round(bg.b)})`});
    }
    return out;
}"""

PUBLIC = ("/", "/login", "/maps/coverage", "/maps/gaps", "/maps/establishments",
          "/maps/projects", "/maps/villages", "/maps/gaps?level=district",
          "/maps/coverage?edition=2025")
SIGNED_IN = (f"/review/{BINH_SON}", "/imports", "/needs", "/progress")


def _check(page: Any, path: str) -> int:
    page.wait_for_timeout(600)  # labels and late boxes drawn
    assert page.evaluate("document.documentElement.lang") == "vi", path
    first = page.evaluate("""() => {
        const a = document.querySelector('body a[href]');
        return a ? [a.getAttribute('href'), a.textContent.trim(), a.className] : null;
    }""")
    assert first is not None and first[0].startswith("#") and "Bỏ qua" in first[1], (path, first)
    target = page.evaluate(f"() => !!document.getElementById({first[0][1:]!r})")
    assert target, (path, first)
    page.evaluate("""() => {  // folded text counts too: open every fold first
        document.querySelectorAll('details').forEach(d => { d.open = true; });
        document.querySelectorAll('button.kc-box-toggle[aria-expanded="false"]')
            .forEach(b => b.click());
    }""")
    texts = page.evaluate(CONTRAST)
    assert len(texts) > 10, path
    failing = sorted({f"{t['tag']}.{t['cls']} {t['color']} on {t['bg']}: {t['ratio']} < "
                      f"{t['need']} ({t['text']})" for t in texts if t["ratio"] < t["need"]})
    assert failing == [], (path, failing)
    return len(texts)


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_pass_wcag_aa_contrast(world: Any, live_server: str, offline_page: Any,
                                            path: str) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server + path, wait_until="networkidle")
    if path.startswith("/maps/"):
        assert page.locator(".kc-legend").count() == 1, path
        page.wait_for_selector("[data-kc-context='1']", timeout=20000)
    _check(page, path)


def test_signed_in_pages_pass_wcag_aa_contrast(world: Any, make_user: Any, live_server: str,
                                               offline_page: Any) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    admin = make_user("admin")
    page.goto(live_server + "/login")
    page.fill("input[name=username]", admin.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    for path in SIGNED_IN:
        page.goto(live_server + path, wait_until="networkidle")
        assert page.url.startswith(live_server + path), (path, page.url)
        _check(page, path)
