"""The history of changes (audit trail) as a table, with revert buttons for planners."""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import Actor, can_revert
from maps.pages.layout import render_page
from maps.pages.review_words import ACTIONS, changed_fields, local_time, word


def _own_last(changes: list[dict[str, Any]], actor: Actor | None) -> set[int]:
    """Ids of changes the actor may undo as their own: the newest change of each record, made
    by the actor, not a revert and not reverted."""
    if actor is None:
        return set()
    newest: dict[tuple[str, int], dict[str, Any]] = {}
    for c in changes:  # newest first
        newest.setdefault((c["entity"], c["entity_id"]), c)
    return {c["id"] for c in newest.values() if c["username"] == actor.username
            and c["action"] != "revert" and c["reverted_by_id"] is None}


def history_rows(changes: list[dict[str, Any]], actor: Actor | None = None
                 ) -> list[dict[str, Any]]:
    """Changes newest first as table rows: when, who, record, action, what changed, reason,
    and whether the actor may undo it as their own last change."""
    own = _own_last(changes, actor)
    return [{"id": c["id"], "at": local_time(c["at"]), "username": c["username"],
             "entity_id": c["entity_id"],
             "name": c.get("current_name") or c["after"].get("name") or c["entity_id"],
             "action": word(ACTIONS, c["action"]),
             "changes": changed_fields(c["before"], c["after"]), "reason": c["reason"],
             "reverted_by_id": c["reverted_by_id"], "own": c["id"] in own,
             # archived or brought back by an import: undone with its batch only (/imports)
             "batch_only": "archived_at" in (c["after"] or {})} for c in changes]


def history_page(district: dict[str, Any], changes: list[dict[str, Any]], actor: Actor,
                 csrf: str, message: str = "", error: str = "") -> str:
    """All recorded changes of a district's establishments."""
    return render_page("review/history.html", f"Lịch sử {district['name']}", actor, csrf,
                       district=district, message=message, error=error,
                       rows=history_rows(changes, actor), can_revert=can_revert(actor),
                       back=f"/review/{district['code']}/history")
