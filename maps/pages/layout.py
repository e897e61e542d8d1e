"""Plain HTML pages of kcmap (login, review, history): templates extending pages/base.html.

Every page is rendered by maps.core.templates (autoescape on): a text from the database or a
user is escaped by the template, never by hand.
"""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import ROLE_NAMES, Actor
from maps.core.templates import render


def render_page(name: str, title: str, actor: Actor | None = None, csrf: str = "",
                leaflet: bool = False, scripts: tuple[str, ...] = (), cluster: bool = False,
                **context: Any) -> str:
    """A whole Vietnamese page from template NAME: head with local CSS (and Leaflet if asked),
    the top bar with the user and a logout button, the page's own scripts at the end;
    `cluster` adds the vendored Leaflet.markercluster."""
    user = None
    if actor is not None:
        user = {"name": actor.username, "role": ROLE_NAMES.get(actor.role, actor.role),
                "district": actor.district_code}
    return str(render(name, title=title, user=user, csrf=csrf, leaflet=leaflet, cluster=cluster,
                      scripts=scripts, **context))
