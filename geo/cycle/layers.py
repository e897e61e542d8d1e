"""What the khuyến công year's map (/maps/cycle) draws above its choropleth: recognised
products, communes with and without a collaborator, and unmet support needs.

The page is shared by every logged-in user (cached), so it holds nothing that depends on who
asks: collaborators come without their personal fields (name, phone) for everyone, as an
anonymous caller of /api/collaborators gets them; needs are read as any logged-in user may.
"""

from __future__ import annotations

from typing import Any, TypedDict

from geo.accounts.authz import Actor
from geo.core.db import Connection
from geo.cycle.access import check_read
from geo.cycle.collaborators import communes_without_collaborator, list_collaborators
from geo.cycle.needs import list_needs
from geo.cycle.products import list_products
from geo.cycle.words import OPEN_STATUSES

UNMET = OPEN_STATUSES  # neither funded nor declined
NEED_KEYS = ("id", "establishment_name", "establishment_archived", "activity_name",
             "requested_vnd", "status", "desired_year", "commune_name", "district_name", "lon",
             "lat")


class CycleLayers(TypedDict):
    """The points of the cycle map's overlays (lon/lat in WGS 84; None when not placed)."""

    products: list[dict[str, Any]]
    collaborators: list[dict[str, Any]]
    missing: list[dict[str, Any]]
    needs: list[dict[str, Any]]


def cycle_layers(conn: Connection, actor: Actor | None) -> CycleLayers:
    """Products, active collaborators (public fields), communes without one, unmet needs."""
    who = check_read(actor)
    collaborators = [k for k in list_collaborators(conn, None) if k["is_active"]]
    needs = [{k: n[k] for k in NEED_KEYS} for status in UNMET
             for n in list_needs(conn, who, status=status.value)]
    for n in needs:
        for key in ("lon", "lat"):
            n[key] = None if n[key] is None else round(float(n[key]), 5)
    return {"products": list_products(conn), "collaborators": collaborators,
            "missing": communes_without_collaborator(conn), "needs": needs}
