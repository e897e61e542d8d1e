"""Boxes on the map (title, legend, notes) as plain HTML placed in Leaflet controls, no CDN.

Branca's colormaps load d3 from a CDN, so the legend is our own HTML. Every box is written
into the page as static HTML (readable, printable, searchable) and a few lines of JS move it
into a Leaflet control so it stacks with the zoom, scale and layer controls.
MapBox takes trusted HTML whose texts were passed through maps.core.format.esc; the helpers here
escape every text they receive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from branca.element import MacroElement
from folium.template import Template

from maps.core.format import esc

POSITIONS = ("topleft", "topright", "bottomleft", "bottomright")


class MapBox(MacroElement):
    """A block of trusted HTML shown in a Leaflet control corner of its parent map."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div id="{{ this.get_name() }}" class="kc-box {{ this.css_class }}">{{ this.content }}</div>
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

    def __init__(self, content_html: str, position: str = "topright",
                 css_class: str = "") -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        if position not in POSITIONS:
            raise ValueError(f"position must be one of {POSITIONS}")
        self._name = "MapBox"
        self.content = content_html
        self.position = position
        self.css_class = esc(css_class)


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a fill colour and its label (plain text)."""

    color: str
    label: str


def legend_html(title: str, entries: Sequence[LegendEntry], note: str = "") -> str:
    """HTML of a legend: a title, colour swatches with labels, an optional note."""
    rows = "".join(
        f'<li><span class="kc-swatch" style="background:{esc(e.color)}"></span>'
        f"{esc(e.label)}</li>"
        for e in entries
    )
    note_html = f'<p class="kc-legend-note">{esc(note)}</p>' if note else ""
    return (f'<div class="kc-legend-title">{esc(title)}</div>'
            f'<ul class="kc-legend-list">{rows}</ul>{note_html}')


def legend(title: str, entries: Sequence[LegendEntry], note: str = "",
           position: str = "bottomright") -> MapBox:
    """A legend box for a map."""
    return MapBox(legend_html(title, entries, note), position, "kc-legend")
