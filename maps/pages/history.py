"""The history of changes (audit trail) as a table, with revert buttons for planners."""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import Actor, can_revert
from maps.pages.layout import render_page
from maps.pages.review_words import ACTIONS, changed_fields, local_time, word


def history_rows(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Changes newest first as table rows: when, who, record, action, what changed, reason."""
    return [{"id": c["id"], "at": local_time(c["at"]), "username": c["username"],
             "entity_id": c["entity_id"],
             "name": c.get("current_name") or c["after"].get("name") or c["entity_id"],
             "action": word(ACTIONS, c["action"]),
             "changes": changed_fields(c["before"], c["after"]), "reason": c["reason"],
             "reverted_by_id": c["reverted_by_id"]} for c in changes]


def history_page(district: dict[str, Any], changes: list[dict[str, Any]], actor: Actor,
                 csrf: str, message: str = "", error: str = "") -> str:
    """All recorded changes of a district's establishments."""
    return render_page("review/history.html", f"Lịch sử {district['name']}", actor, csrf,
                       district=district, message=message, error=error,
                       rows=history_rows(changes), can_revert=can_revert(actor),
                       back=f"/review/{district['code']}/history")
