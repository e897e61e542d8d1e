"""What every map page shares: side panel, fullscreen control, page scripts, safe JS data."""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from geo.core.settings import MapSettings
from maps.core.assets import own_url, vendor_url
from maps.core.base import offline_map
from maps.core.panel import side_panel
from maps.core.templates import js_data, render

__all__ = ["Fullscreen", "MapContext", "PageScript", "add_context", "map_page",
           "side_panel"]

# MarkerCluster needs a maxZoom even without a basemap; it builds one cluster level per zoom
# from MIN_ZOOM to MAX_ZOOM, so a narrower range clusters 30,000 points much faster.
# Zoom 7 shows the province with its neighbours, 17 a street.
MIN_ZOOM, MAX_ZOOM = 7, 17
PAGE_FUNCTIONS = ("points", "projects", "gapsList")
# maps/static scripts of every map page, in load order: kcmap.js (namespace, formatting,
# popups) first, then the view (URL hash, fullscreen), the page functions, the context
# outlines and the side panels.
PAGE_SCRIPTS = ("kcmap.js", "kcmap_view.js", "kcmap_points.js", "kcmap_projects.js",
                "kcmap_gaps.js", "kccontext.js", "kcpanels.js")


class Fullscreen(MacroElement):
    """kcmap's own fullscreen button (Element.requestFullscreen), no plugin needed; also keeps
    the map view (zoom, centre) in the URL hash (kcmap.keepView)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        kcmap.fullscreen({{ this._parent.get_name() }});
        kcmap.keepView({{ this._parent.get_name() }});
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
    js += [(name.replace(".", "_"), own_url(name)) for name in PAGE_SCRIPTS]
    m.default_js, m.default_css = js, css
    if preload:
        root = m.get_root()
        assert isinstance(root, Figure)
        root.header.add_child(Element(render("map/preload.html", url=preload)),
                              name="kc_preload")
    Fullscreen().add_to(m)
    return m


class MapContext(MacroElement):
    """District and commune outlines with names (kccontext.js, /api/units/context) beneath
    the map's data, listed in the layer control if one is given."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        setTimeout(function () {
            kcmapContext.add({{ this._parent.get_name() }}, {{ this.control_name }},
                             {{ this.config }});
        }, 0);
        {% endmacro %}
        """
    )

    def __init__(self, layer_control: folium.LayerControl | None = None,
                 edition: str = "legacy") -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "MapContext"
        self.control_name = layer_control.get_name() if layer_control is not None else "null"
        self.set_edition(edition)

    def set_edition(self, edition: str) -> None:
        """Draw the units of EDITION ('legacy' or '2025')."""
        self.config = js_data({"url": f"/api/units/context?edition={edition}"})


def add_context(m: folium.Map, layer_control: folium.LayerControl | None,
                edition: str = "legacy") -> MapContext:
    """Add the outlines-with-names context to a map page."""
    context = MapContext(layer_control, edition)
    context.add_to(m)
    return context
