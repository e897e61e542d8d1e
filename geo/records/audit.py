"""The audit trail: one row per change (who, when, before and after, geometry, reason)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from geo.accounts.authz import ENTITIES, Actor, audit_scope, can_see_personal, require_actor
from geo.core.db import Connection, dict_cursor, one_row
from geo.core.errors import InvalidInput
from geo.records.spec import PERSONAL_FIELDS

MAX_HISTORY = 500
# Personal fields of the trail's states: the records' (spec) and a collaborator's name.
HIDDEN = frozenset({*PERSONAL_FIELDS, "full_name"})


@dataclass(frozen=True)
class Change:
    """What a write did, to be written to the audit trail."""

    entity: str
    entity_id: int
    action: str
    version_before: int
    version_after: int
    before: dict[str, Any]
    after: dict[str, Any]
    geom_before: str | None  # hex EWKB as read from PostGIS
    geom_after: str | None
    reason: str
    district_code: str | None
    reverts_id: int | None = None


def record_change(conn: Connection, actor: Actor, change: Change) -> int:
    """Insert an audit row for the change; returns its id."""
    with conn.cursor() as cur:
        cur.execute("""
            INSERT INTO audit_log (user_id, username, entity, entity_id, action, version_before,
                                   version_after, before, after, geom_before, geom_after, reason,
                                   district_code, reverts_id)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::geometry, %s::geometry, %s, %s, %s)
            RETURNING id""",
                    (actor.user_id, actor.username, change.entity, change.entity_id,
                     change.action, change.version_before, change.version_after,
                     json.dumps(change.before, ensure_ascii=False),
                     json.dumps(change.after, ensure_ascii=False), change.geom_before,
                     change.geom_after, change.reason, change.district_code, change.reverts_id))
        row = cur.fetchone()
        assert row is not None
        if change.reverts_id is not None:
            cur.execute("UPDATE audit_log SET reverted_by_id = %s WHERE id = %s",
                        (row[0], change.reverts_id))
    return int(row[0])


_HISTORY = """
SELECT a.id, a.at, a.username, a.entity, a.entity_id, a.action, a.version_before,
       a.version_after, a.before, a.after, a.reason, a.district_code, a.reverts_id,
       a.reverted_by_id,
       ST_AsGeoJSON(a.geom_before, 7) AS geom_before, ST_AsGeoJSON(a.geom_after, 7) AS geom_after,
       COALESCE(e.name, v.name, p.title, rp.name, kc.name) AS current_name
FROM audit_log a
LEFT JOIN establishment e ON a.entity = 'establishment' AND e.id = a.entity_id
LEFT JOIN craft_village v ON a.entity = 'craft_village' AND v.id = a.entity_id
LEFT JOIN project p ON a.entity IN ('project', 'project_output', 'project_finance',
                                    'project_inspection') AND p.id = a.entity_id
LEFT JOIN recognised_product rp ON a.entity = 'recognised_product' AND rp.id = a.entity_id
LEFT JOIN collaborator k ON a.entity = 'collaborator' AND k.id = a.entity_id
LEFT JOIN admin_unit kc ON kc.edition = 'legacy' AND kc.code = k.commune_code
WHERE (%(entity)s::text IS NULL OR a.entity = %(entity)s)
  AND (%(entity_id)s::bigint IS NULL OR a.entity_id = %(entity_id)s)
  AND (%(district)s::text IS NULL OR a.district_code = %(district)s
       OR a.before ->> 'district_code' = %(district)s)
ORDER BY a.id DESC
LIMIT %(limit)s
"""


def _redacted(state: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """A before/after state without personal fields unless the actor may see them."""
    if can_see_personal(actor):
        return state
    return {k: v for k, v in state.items() if k not in HIDDEN}


def history(conn: Connection, actor: Actor | None, entity: str | None = None,
            entity_id: int | None = None, district: str | None = None,
            limit: int = 100) -> list[dict[str, Any]]:
    """Recorded changes, newest first, for a record, a district or everything.

    District officers see only changes in their own district (geo.accounts.authz.audit_scope).
    """
    who = require_actor(actor)
    district = audit_scope(who, district)
    if entity is not None and entity not in ENTITIES:
        raise InvalidInput(f"entity phải là một trong: {', '.join(ENTITIES)}")
    if not 1 <= limit <= MAX_HISTORY:
        raise InvalidInput(f"limit phải từ 1 đến {MAX_HISTORY}")
    with dict_cursor(conn) as cur:
        cur.execute(_HISTORY, {"entity": entity, "entity_id": entity_id, "district": district,
                               "limit": limit})
        rows = cur.fetchall()
    return [{
        "id": r["id"], "at": r["at"].isoformat(), "username": r["username"],
        "entity": r["entity"], "entity_id": r["entity_id"], "action": r["action"],
        "version_before": r["version_before"], "version_after": r["version_after"],
        "before": _redacted(r["before"], who), "after": _redacted(r["after"], who),
        "geometry_before": json.loads(r["geom_before"]) if r["geom_before"] else None,
        "geometry_after": json.loads(r["geom_after"]) if r["geom_after"] else None,
        "reason": r["reason"], "district_code": r["district_code"],
        "reverts_id": r["reverts_id"], "reverted_by_id": r["reverted_by_id"],
        "current_name": r["current_name"],
    } for r in rows]


def audit_row(conn: Connection, audit_id: int, lock: bool = False) -> dict[str, Any]:
    """One raw audit row (with hex EWKB geometries); NotFound if missing."""
    sql = ("SELECT id, user_id, entity, entity_id, action, version_before, version_after, before, "
           "after, "
           "geom_before::text AS geom_before, geom_after::text AS geom_after, district_code, "
           "reverted_by_id FROM audit_log WHERE id = %s")
    return one_row(conn, sql, (audit_id,), f"Không có thay đổi số {audit_id}", lock)
