"""Plain HTML pages of kcmap (login, review, history): one layout, local assets only.

Every text that may come from the database or a user goes through maps.core.format.esc.
"""

from __future__ import annotations

import json
from typing import Any

from geo.accounts.authz import ROLE_NAMES, Actor
from maps.core.assets import own_url, vendor_url
from maps.core.format import esc


def hidden_csrf(csrf: str) -> str:
    """The hidden CSRF field every form carries."""
    return f'<input type="hidden" name="csrf_token" value="{esc(csrf)}">'


def json_island(element_id: str, data: Any) -> str:
    """Data for page scripts as a JSON script block that no text inside can break out of."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, code)
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


def _nav(actor: Actor | None, csrf: str) -> str:
    """The top bar: links, the user and a logout button."""
    links = ['<a href="/">Trang chủ</a>', '<a href="/maps/coverage">Bản đồ</a>']
    if actor is None:
        return (f'<nav class="kc-nav">{" · ".join(links)}'
                '<span class="kc-user"><a href="/login">Đăng nhập</a></span></nav>')
    links.append('<a href="/review">Rà soát vị trí</a>')
    role = ROLE_NAMES.get(actor.role, actor.role)
    district = f", huyện {esc(actor.district_code)}" if actor.district_code else ""
    return (f'<nav class="kc-nav">{" · ".join(links)}<span class="kc-user">'
            f"{esc(actor.username)} ({esc(role)}{district}) "
            f'<form method="post" action="/logout" class="kc-inline">{hidden_csrf(csrf)}'
            '<button type="submit">Đăng xuất</button></form></span></nav>')


def layout(title: str, body: str, actor: Actor | None = None, csrf: str = "",
           leaflet: bool = False, scripts: tuple[str, ...] = ()) -> str:
    """A whole Vietnamese page: head with local CSS (and Leaflet if asked), nav, body."""
    head = [f'<link rel="stylesheet" href="{own_url("kcpages.css")}">']
    if leaflet:
        head.insert(0, f'<link rel="stylesheet" href="{vendor_url("leaflet", "leaflet.css")}">')
        scripts = (vendor_url("leaflet", "leaflet.js"), *scripts)
    tail = "".join(f'<script src="{esc(s)}"></script>' for s in scripts)
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>{esc(title)} – kcmap</title>
<link rel="icon" type="image/svg+xml" href="{own_url('favicon.svg')}">
{''.join(head)}</head>
<body class="kc-page">{_nav(actor, csrf)}
<main>{body}</main>{tail}</body></html>"""
