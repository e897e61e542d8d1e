"""The side panel beside a map page: navigation, the page's body, export links and the boxes
docked into it (notes, review progress) so that nothing large covers the map.

A box docked before the panel exists waits on the map as a small collapsible box; the panel,
once added, takes it in. Everything is rendered from templates (autoescape).
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
from branca.element import Element, Figure
from folium.template import Template
from markupsafe import Markup

from maps.core.legend import MapBox
from maps.core.templates import render

NAV = (
    ("coverage", "/maps/coverage", "Độ phủ khuyến công"),
    ("gaps", "/maps/gaps", "Xã thiếu hỗ trợ"),
    ("establishments", "/maps/establishments", "Cơ sở CNNT"),
    ("projects", "/maps/projects", "Đề án khuyến công"),
    ("villages", "/maps/villages", "Làng nghề"),
    ("cycle", "/maps/cycle", "Năm khuyến công"),
)


@dataclass(frozen=True)
class Docked:
    """A section of the panel: title, template-rendered content, CSS class, whether it folds
    (a <details> whose open state the page remembers under `key`)."""

    title: str
    content: Markup
    css_class: str = ""
    key: str = ""


class SidePanel(Element):
    """The <aside> of a map page, rendered when the page is (docked sections included)."""

    _template = Template("{{ this.html() }}")

    def __init__(self, current: str, body: Markup, map_id: str = "") -> None:
        super().__init__()
        self._name = "SidePanel"
        self.map_id = map_id
        self.current = current
        self.body = body
        self.sections: list[Docked] = []
        self.exports: Markup = Markup("")

    def html(self) -> Markup:
        """The panel's HTML."""
        return render("map/aside.html", nav=NAV, current=self.current, body=self.body,
                      map_id=self.map_id,
                      exports=self.exports, sections=self.sections)


def _panel(m: folium.Map) -> SidePanel | None:
    panel = getattr(m, "kc_panel", None)
    return panel if isinstance(panel, SidePanel) else None


def side_panel(m: folium.Map, current: str, body: Markup) -> SidePanel:
    """Put a panel (navigation + BODY, rendered from a template) beside the map; boxes docked
    earlier move into it."""
    root = m.get_root()
    assert isinstance(root, Figure)
    panel = SidePanel(current, body, m.get_name())
    previous = _panel(m)
    if previous is not None:
        panel.sections = previous.sections
    panel.exports = getattr(m, "kc_exports", Markup(""))
    root.html.add_child(panel, name="kc_aside")
    m.kc_panel = panel  # type: ignore[attr-defined]
    for key, child in list(m._children.items()):
        docked = getattr(child, "kc_docked", None)
        if isinstance(child, MapBox) and isinstance(docked, Docked):
            del m._children[key]
            panel.sections.append(docked)
    return panel


def dock(m: folium.Map, title: str, content: Markup, css_class: str = "",
         key: str = "") -> None:
    """Show CONTENT in the side panel (or, until there is one, in a small collapsible box at
    the bottom left of the map)."""
    section = Docked(title, content, css_class, key)
    panel = _panel(m)
    if panel is not None:
        panel.sections.append(section)
        return
    box = MapBox(render("boxes/folding.html", title=title, content=content,
                        key=key or css_class), "bottomleft", f"kc-folding {css_class}".strip())
    box.kc_docked = section  # type: ignore[attr-defined]
    box.add_to(m)


def set_exports(m: folium.Map, exports: Markup) -> None:
    """The export links of the page (PDF, PNG, data) shown at the top of the panel."""
    m.kc_exports = exports  # type: ignore[attr-defined]
    panel = _panel(m)
    if panel is not None:
        panel.exports = exports


BRIEFING_KEYS = ("years", "source", "activity", "allocation", "district")


def export_links(view: str, query: dict[str, str]) -> Markup:
    """'Báo cáo PDF', 'Ảnh PNG' (and 16:9 for slides) and 'Tải dữ liệu' links carrying the
    page's filters QUERY (empty values dropped)."""
    from maps.core.map_forms import url_with

    briefing = {k: v for k, v in query.items() if k in BRIEFING_KEYS}
    links = [("Báo cáo PDF", url_with("/reports/briefing.pdf", briefing), "pdf"),
             ("Ảnh PNG", url_with(f"/maps/{view}.png", query), "png"),
             ("PNG 16:9 (trình chiếu)", url_with(f"/maps/{view}.png",
                                                {**query, "aspect": "16:9"}), "png169"),
             ("Tải dữ liệu", url_with(f"/maps/{view}.xlsx", query), "data")]
    return render("map/exports.html", links=links)
