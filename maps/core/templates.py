"""The one Jinja2 environment of kcmap's HTML: pages and fragments from maps/templates/.

Autoescape is on for every template, so a value is HTML-escaped unless it is Markup (the
output of another template). Every value's braces are escaped too (`&#123;`, `&#125;`):
Folium re-renders an element's output as a Jinja template, and a name holding `{{ … }}`
must stay text there.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
_JS_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
               ("\u2029", "\\u2029"), ("{{", "{\\u007b"), ("{%", "{\\u0025"),
               ("{#", "{\\u0023"))


def text(value: object) -> Markup:
    """A value as HTML text: escaped, braces included; Markup passes unchanged."""
    if isinstance(value, Markup):
        return value
    escaped = str(escape("" if value is None else value))
    return Markup(escaped.replace("{", "&#123;").replace("}", "&#125;"))


def js_data(obj: Any) -> Markup:
    """JSON for inline JS that no text can break: no '</script>', no Jinja '{{', '{%', '{#'.

    Folium re-renders element output as a Jinja template. In JSON, '{' followed by '{', '%'
    or '#' can only occur inside a string, where the \\u escape keeps the value unchanged.
    """
    out = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for raw, code in _JS_ESCAPES:
        out = out.replace(raw, code)
    return Markup(out)


@cache
def environment() -> Environment:
    """The environment: templates from maps/templates/, autoescape on, strict undefined."""
    from maps.core.assets import own_url, vendor_url
    from maps.core.format import format_int, format_vnd

    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                      undefined=StrictUndefined, finalize=text, trim_blocks=True,
                      lstrip_blocks=True, auto_reload=False)
    env.filters.update(js_data=js_data, num=format_int, vnd=format_vnd)
    env.globals.update(own_url=own_url, vendor_url=vendor_url)
    return env


def render(name: str, /, **context: Any) -> Markup:
    """Render the template NAME (a path under maps/templates/) with CONTEXT."""
    return Markup(environment().get_template(name).render(**context))
