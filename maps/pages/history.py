"""The history of changes (audit trail) as a table, with revert buttons for planners."""

from __future__ import annotations

from typing import Any

from geo.accounts.authz import Actor, can_revert
from maps.core.format import esc
from maps.pages.layout import hidden_csrf, layout
from maps.pages.review_words import ACTIONS, changes_html, local_time, word


def _revert_form(change: dict[str, Any], csrf: str, district: str, back: str) -> str:
    """A form undoing one change (only offered while it is not yet undone)."""
    return (f'<form method="post" action="/review/{esc(district)}/history/{esc(change["id"])}'
            f'/revert" class="kc-inline kc-revert">{hidden_csrf(csrf)}'
            f'<input type="hidden" name="back" value="{esc(back)}">'
            '<input name="reason" placeholder="Lý do hoàn tác" maxlength="1000">'
            '<button type="submit">Hoàn tác</button></form>')


def history_table(changes: list[dict[str, Any]], actor: Actor, csrf: str, district: str,
                  back: str) -> str:
    """Changes newest first: when, who, record, action, what changed, reason, revert."""
    if not changes:
        return '<p class="kc-note">Chưa có thay đổi nào.</p>'
    revert = can_revert(actor)
    rows = []
    for c in changes:
        state = ""
        if c["reverted_by_id"]:
            state = (f'<div class="kc-sub">đã hoàn tác (thay đổi số '
                     f'{esc(c["reverted_by_id"])})</div>')
        elif revert:
            state = _revert_form(c, csrf, district, back)
        name = c.get("current_name") or c["after"].get("name") or c["entity_id"]
        link = (f'<a href="/review/{esc(district)}/establishments/{esc(c["entity_id"])}">'
                f"{esc(name)}</a>")
        rows.append(
            f'<tr id="change-{esc(c["id"])}"><td>{esc(c["id"])}</td>'
            f'<td>{esc(local_time(c["at"]))}</td>'
            f'<td>{esc(c["username"])}</td><td>{link}</td>'
            f'<td>{esc(word(ACTIONS, c["action"]))}</td>'
            f'<td>{changes_html(c["before"], c["after"])}</td><td>{esc(c["reason"])}</td>'
            f"<td>{state}</td></tr>")
    return ('<table class="kc-table kc-history"><thead><tr><th>Số</th><th>Lúc</th>'
            "<th>Người sửa</th><th>Cơ sở</th><th>Việc</th><th>Thay đổi</th><th>Lý do</th>"
            f"<th></th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def history_page(district: dict[str, Any], changes: list[dict[str, Any]], actor: Actor,
                 csrf: str, message: str = "", error: str = "") -> str:
    """All recorded changes of a district's establishments."""
    notes = (f'<p class="kc-ok" role="status">{esc(message)}</p>' if message else "") + \
        (f'<p class="kc-error" role="alert">{esc(error)}</p>' if error else "")
    back = f"/review/{district['code']}/history"
    body = (f'<p><a href="/review/{esc(district["code"])}">← {esc(district["name"])}</a></p>'
            f"<h1>Lịch sử thay đổi – {esc(district['name'])}</h1>{notes}"
            + history_table(changes, actor, csrf, district["code"], back))
    return layout(f"Lịch sử {district['name']}", body, actor, csrf)
