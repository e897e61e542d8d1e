"""Jinja2 environment of the needs and plan pages (templates in maps/templates/cycle/).

Autoescape is on: every value from the database or a user is escaped by the template.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from geo.accounts.authz import ROLE_NAMES, Actor
from maps.core.assets import own_url, vendor_url
from maps.core.format import format_int, format_vnd

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment() -> Environment:
    """Templates from maps/templates/, autoescape on, undefined names refused."""
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(num=format_int, vnd=format_vnd)
    env.globals.update(own_url=own_url, vendor_url=vendor_url)
    return env


def render_page(name: str, title: str, actor: Actor | None, csrf: str, **context: Any) -> str:
    """A whole page from template NAME with the top bar of the user."""
    user = None
    if actor is not None:
        user = {"name": actor.username, "role": ROLE_NAMES.get(actor.role, actor.role),
                "district": actor.district_code}
    return environment().get_template(name).render(title=title, user=user, csrf=csrf,
                                                   **context)
