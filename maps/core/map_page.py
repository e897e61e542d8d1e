"""What every map page shares: side panel, fullscreen control, page scripts, safe JS data."""

from __future__ import annotations

import json
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from geo.core.settings import MapSettings
from maps.core.assets import own_url, vendor_url
from maps.core.base import offline_map
from maps.core.format import esc

NAV = (
    ("coverage", "/maps/coverage", "Độ phủ khuyến công"),
    ("gaps", "/maps/gaps", "Xã thiếu hỗ trợ"),
    ("establishments", "/maps/establishments", "Cơ sở CNNT"),
    ("projects", "/maps/projects", "Đề án khuyến công"),
    ("villages", "/maps/villages", "Làng nghề"),
)
# MarkerCluster needs a maxZoom even without a basemap; it builds one cluster level per zoom
# from MIN_ZOOM to MAX_ZOOM, so a narrower range clusters 30,000 points much faster.
# Zoom 7 shows the province with its neighbours, 17 a street.
MIN_ZOOM, MAX_ZOOM = 7, 17
PAGE_FUNCTIONS = ("points", "projects", "gapsList")
_JS_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
               ("\u2029", "\\u2029"), ("{{", "{\\u007b"), ("{%", "{\\u0025"),
               ("{#", "{\\u0023"))


def js_data(obj: Any) -> str:
    """JSON for inline JS that no text can break: no '</script>', no Jinja '{{', '{%', '{#'.

    Folium re-renders element output as a Jinja template. In JSON, '{' followed by '{', '%'
    or '#' can only occur inside a string, where the \\u escape keeps the value unchanged.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for raw, code in _JS_ESCAPES:
        text = text.replace(raw, code)
    return text


class Fullscreen(MacroElement):
    """kcmap's own fullscreen button (Element.requestFullscreen), no plugin needed."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        kcmap.fullscreen({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Fullscreen"


class PageScript(MacroElement):
    """A call of a kcmap.js page function with the map, the layer control and config data."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        kcmap.{{ this.function }}({{ this._parent.get_name() }},
            {{ this.control_name }}, {{ this.config }});
        {% endmacro %}
        """
    )

    def __init__(self, function: str, config: dict[str, Any],
                 layer_control: folium.LayerControl | None = None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        if function not in PAGE_FUNCTIONS:
            raise ValueError(f"unknown page function {function!r}")
        self._name = "PageScript"
        self.function = function
        self.config = js_data(config)
        self.control_name = layer_control.get_name() if layer_control is not None else "null"


def map_page(map_settings: MapSettings | None, title: str,
             bounds: list[list[float]] | None = None, cluster: bool = False,
             preload: str | None = None) -> folium.Map:
    """An offline map with kcmap.js, the fullscreen button, (if asked) MarkerCluster, and
    (if given) the data URL its script fetches, preloaded while the scripts load."""
    m = offline_map(map_settings or MapSettings(), title=title, bounds=bounds,
                     minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM)
    js = list(m.default_js)
    css = list(m.default_css)
    if cluster:
        js.append(("markercluster", vendor_url("markercluster", "leaflet.markercluster.js")))
        css[-1:-1] = [
            ("markercluster_css", vendor_url("markercluster", "MarkerCluster.css")),
            ("markercluster_default_css",
             vendor_url("markercluster", "MarkerCluster.Default.css"))]
    js.append(("kcmap_js", own_url("kcmap.js")))
    m.default_js, m.default_css = js, css
    if preload:
        root = m.get_root()
        assert isinstance(root, Figure)
        root.header.add_child(Element(
            f'<link rel="preload" href="{esc(preload)}" as="fetch" crossorigin="anonymous">'),
            name="kc_preload")
    Fullscreen().add_to(m)
    return m


def nav_html(current: str) -> str:
    """Links to the five maps and the index page; the current one is marked."""
    mark = ' aria-current="page"'
    links = "".join(
        f'<li><a href="{url}"{mark if key == current else ""}>{esc(label)}</a></li>'
        for key, url, label in NAV)
    return (f'<nav class="kc-mapnav"><a class="kc-home" href="/">kcmap</a>'
            f"<ul>{links}</ul></nav>")


def side_panel(m: folium.Map, current: str, body_html: str) -> None:
    """Put a panel (navigation + trusted, escaped BODY_HTML) beside the map."""
    root = m.get_root()
    assert isinstance(root, Figure)
    root.html.add_child(Element(
        f'<aside class="kc-aside" aria-label="Bảng điều khiển">{nav_html(current)}'
        f"{body_html}</aside>"), name="kc_aside")


def section(title: str, body_html: str, css_class: str = "") -> str:
    """A titled block of the side panel."""
    return (f'<section class="kc-section {esc(css_class)}"><h2>{esc(title)}</h2>'
            f"{body_html}</section>")
