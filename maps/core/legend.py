"""Boxes on the map (title, legend, notes) as plain HTML placed in Leaflet controls, no CDN.

Branca's colormaps load d3 from a CDN, so the legend is our own HTML. Every box is written
into the page as static HTML (readable, printable, searchable) and a few lines of JS move it
into a Leaflet control so it stacks with the zoom, scale and layer controls.
A box's content is Markup rendered from a template of maps/templates/ (escaped there).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from branca.element import MacroElement
from folium.template import Template
from markupsafe import Markup

from maps.core.templates import render

POSITIONS = ("topleft", "topright", "bottomleft", "bottomright")
CSS_CLASS = re.compile(r"[a-z0-9 _-]*")


class MapBox(MacroElement):
    """A block of template-rendered HTML shown in a Leaflet control corner of its parent map."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        {{ this.box_html() }}
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var box = document.getElementById({{ this.get_name()|tojson }});
            var control = L.control({position: {{ this.position|tojson }}});
            control.onAdd = function () {
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                return box;
            };
            control.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, content: Markup, position: str = "topright",
                 css_class: str = "") -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        if position not in POSITIONS:
            raise ValueError(f"position must be one of {POSITIONS}")
        if not CSS_CLASS.fullmatch(css_class):
            raise ValueError(f"not a CSS class list: {css_class!r}")
        self._name = "MapBox"
        self.content = content
        self.position = position
        self.css_class = css_class

    def box_html(self) -> Markup:
        """The box's element: its id, classes and content."""
        return render("boxes/box.html", id=self.get_name(), css_class=self.css_class,
                      content=self.content)


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a fill colour and its label (plain text)."""

    color: str
    label: str


def legend_html(title: str, entries: Sequence[LegendEntry], note: str = "") -> Markup:
    """HTML of a legend: a title, colour swatches with labels, an optional note."""
    return render("boxes/legend.html", title=title, entries=entries, note=note)


class LegendBox(MapBox):
    """A legend on the map that folds (never a truncated list): a "Chú giải" button over its
    whole content. It starts open when it fits in a tenth of the map, else folded; the
    reader's choice is remembered (kcpanels.js, under KEY, like the other folding boxes)."""

    def __init__(self, content: Markup, position: str = "bottomright", css_class: str = "",
                 key: str = "legend") -> None:
        super().__init__(content, position, f"kc-legend {css_class}".strip())
        if not CSS_CLASS.fullmatch(key):
            raise ValueError(f"not a fold key: {key!r}")
        self.key = key

    def box_html(self) -> Markup:
        """The box with its fold button and body."""
        body_id = f"{self.get_name()}-body"
        return render("boxes/box.html", id=self.get_name(), css_class=self.css_class,
                      content=render("boxes/legend_box.html", id=body_id, key=self.key,
                                     content=self.content))


def legend_box(content: Markup, position: str = "bottomright", css_class: str = "",
               key: str = "legend") -> LegendBox:
    """A folding legend box around template-rendered CONTENT (KEY: where its open state is
    remembered)."""
    return LegendBox(content, position, css_class, key)


def legend(title: str, entries: Sequence[LegendEntry], note: str = "",
           position: str = "bottomright") -> LegendBox:
    """A folding legend box for a map: title, swatches, note."""
    return legend_box(legend_html(title, entries, note), position)


def title_box(title: str, subtitle: str) -> MapBox:
    """The map's title and subtitle, top right."""
    return MapBox(render("boxes/title.html", title=title, subtitle=subtitle), "topright",
                  "kc-title")
