"""Map legends fold (a "Chú giải" button, keyboard-usable, remembered) instead of being cut to
a scrolling strip: folded they cover at most a tenth of the map at 1280 × 800, open they show
every entry."""

from __future__ import annotations

from typing import Any

import pytest

LEGEND = """() => {
    const map = document.querySelector('.folium-map').getBoundingClientRect();
    const box = document.querySelector('.folium-map .kc-legend');
    const r = box.getBoundingClientRect();
    const body = box.querySelector('.kc-legend-body');
    const button = box.querySelector('button.kc-legend-toggle');
    return {share: r.width * r.height / (map.width * map.height),
            expanded: button.getAttribute('aria-expanded'), hidden: body.hidden,
            visible: body.getBoundingClientRect().height > 0,
            clipped: body.scrollHeight > body.clientHeight + 1,
            entries: box.querySelectorAll('.kc-legend-list li').length,
            cut: Array.from(box.querySelectorAll('.kc-legend-list li, .kc-legend-title'))
                .some(e => e.scrollWidth > e.clientWidth + 1)};
}"""


def _open(offline_page: Any, url: str) -> Any:
    page = offline_page.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector(".folium-map .kc-legend button.kc-legend-toggle")
    return page


@pytest.mark.parametrize("path", ["/maps/establishments", "/maps/projects",
                                  "/maps/coverage", "/maps/gaps"])
def test_legend_folds_by_keyboard_and_remembers(world: Any, live_server: str,
                                                offline_page: Any, path: str) -> None:
    page = _open(offline_page, f"{live_server}{path}")
    first = page.evaluate(LEGEND)
    # Open by default only when it fits in a tenth of the map; never a cut list.
    assert first["share"] <= 0.10, first
    assert first["expanded"] == ("false" if first["hidden"] else "true")
    button = page.locator(".folium-map button.kc-legend-toggle")
    assert button.inner_text().strip().endswith("Chú giải")
    if first["expanded"] == "true":
        button.focus()
        page.keyboard.press("Enter")
    folded = page.evaluate(LEGEND)
    assert folded["expanded"] == "false" and folded["hidden"] and not folded["visible"]
    assert folded["share"] <= 0.10, folded
    button.focus()
    page.keyboard.press("Space")
    opened = page.evaluate(LEGEND)
    assert opened["expanded"] == "true" and opened["visible"] and opened["entries"] >= 2
    assert not opened["clipped"], opened  # every entry shown, no scrolling strip
    assert not opened["cut"], opened  # and every label whole
    assert opened["share"] > folded["share"]
    # The choice is remembered: open again after a reload, then folded after folding.
    page.reload(wait_until="networkidle")
    page.wait_for_selector(".folium-map button.kc-legend-toggle")
    assert page.evaluate(LEGEND)["expanded"] == "true"
    page.locator(".folium-map button.kc-legend-toggle").click()
    page.reload(wait_until="networkidle")
    page.wait_for_selector(".folium-map button.kc-legend-toggle")
    again = page.evaluate(LEGEND)
    assert again["expanded"] == "false" and again["share"] <= 0.10
    assert offline_page.console_errors == []
