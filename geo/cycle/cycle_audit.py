"""Audit rows of the cycle's own records: recognised products, collaborators, project outputs,
money status and inspection visits go into audit_log like record edits (migration 0015).

entity_id is the product's or collaborator's id; for project_output, project_finance and
project_inspection it is the project's id. Those three have no version column: their rows
carry version 0 before and after.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from geo.accounts.authz import Actor
from geo.core.db import Connection
from geo.records.audit import Change, record_change


def _plain(value: Any) -> Any:
    """A JSON-ready copy of a value read from the database."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def audit_write(conn: Connection, actor: Actor, entity: str, entity_id: int, action: str,
                before: dict[str, Any], after: dict[str, Any], district: str | None,
                versions: tuple[int, int] = (0, 0)) -> int:
    """Record one write of the cycle (who from ACTOR, when now); returns the audit row id."""
    return record_change(conn, actor, Change(
        entity, entity_id, action, versions[0], versions[1], _plain(before), _plain(after),
        None, None, "", district))


def project_district(conn: Connection, project_id: int) -> str | None:
    """The legacy district of a project's first location (None when it has none)."""
    with conn.cursor() as cur:
        cur.execute("SELECT district_code FROM record_place WHERE project_id = %s "
                    "ORDER BY location_id LIMIT 1", (project_id,))
        row = cur.fetchone()
    return None if row is None or row[0] is None else str(row[0])
