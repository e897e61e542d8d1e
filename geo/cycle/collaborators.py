"""Khuyến công collaborators (cộng tác viên khuyến công) of communes.

Name and phone are personal fields: shown to admins, planners and district officers only,
never to viewers or anonymous visitors (as owners' names and phones).
"""

from __future__ import annotations

import uuid
from typing import Any

from geo.accounts.authz import Actor, can_see_personal, check_local_record
from geo.core.db import Connection, dict_cursor
from geo.core.errors import Conflict, InvalidInput, NotFound
from geo.cycle.cycle_audit import audit_write

PERSONAL = ("full_name", "phone")
FIELDS = ("commune_code", "full_name", "phone", "position", "since_year", "is_active")
AUDITED = (*FIELDS, "district_code", "version")

_SELECT = """
SELECT k.id, k.record_key, k.commune_code, c.name AS commune_name,
       c.parent_code AS district_code, d.name AS district_name, k.full_name, k.phone,
       k.position, k.since_year, k.is_active, k.is_demo, k.version,
       round(ST_X(c.centroid)::numeric, 5)::float AS lon,
       round(ST_Y(c.centroid)::numeric, 5)::float AS lat
FROM collaborator k
JOIN admin_unit c ON c.edition = 'legacy' AND c.code = k.commune_code
LEFT JOIN admin_unit d ON d.edition = 'legacy' AND d.code = c.parent_code
"""


def _public(row: dict[str, Any], actor: Actor | None) -> dict[str, Any]:
    out = dict(row)
    if not can_see_personal(actor):
        for key in PERSONAL:
            out.pop(key, None)
    return out


def list_collaborators(conn: Connection, actor: Actor | None,
                       district: str | None = None) -> list[dict[str, Any]]:
    """Collaborators by commune (personal fields only for those who may see them)."""
    with dict_cursor(conn) as cur:
        cur.execute(f"{_SELECT} WHERE (%(d)s::text IS NULL OR c.parent_code = %(d)s) "
                    "ORDER BY k.commune_code, k.id", {"d": district})
        return [_public(dict(r), actor) for r in cur.fetchall()]


def get_collaborator(conn: Connection, actor: Actor | None, collaborator_id: int
                     ) -> dict[str, Any]:
    """One collaborator."""
    with dict_cursor(conn) as cur:
        cur.execute(f"{_SELECT} WHERE k.id = %s", (collaborator_id,))
        row = cur.fetchone()
    if row is None:
        raise NotFound(f"không có cộng tác viên {collaborator_id}")
    return _public(dict(row), actor)


def _commune_district(conn: Connection, code: Any) -> str:
    with conn.cursor() as cur:
        cur.execute("SELECT parent_code FROM admin_unit WHERE edition = 'legacy' "
                    "AND level = 'commune' AND code = %s", (str(code or ""),))
        row = cur.fetchone()
    if row is None:
        raise InvalidInput(f"commune_code: không có xã {code!r}")
    return str(row[0])


def _check(values: dict[str, Any]) -> dict[str, Any]:
    unknown = [k for k in values if k not in FIELDS]
    if unknown:
        raise InvalidInput(f"trường không hợp lệ: {unknown[0]}")
    name = str(values.get("full_name") or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput("full_name: họ tên bắt buộc, tối đa 200 ký tự")
    phone = str(values.get("phone") or "").strip() or None
    if phone is not None and (len(phone) > 30 or not all(ch.isdigit() or ch in " +.-()"
                                                         for ch in phone)):
        raise InvalidInput("phone: số điện thoại không hợp lệ")
    position = str(values.get("position") or "").strip()[:200] or None
    since = values.get("since_year")
    if since is not None and (not isinstance(since, int) or isinstance(since, bool)
                              or not 2000 <= since <= 2100):
        raise InvalidInput("since_year: năm không hợp lệ")
    active = values.get("is_active", True)
    if not isinstance(active, bool):
        raise InvalidInput("is_active: phải là true hoặc false")
    return {"commune_code": str(values.get("commune_code") or ""), "full_name": name,
            "phone": phone, "position": position, "since_year": since, "is_active": active}


def create_collaborator(conn: Connection, actor: Actor | None, values: dict[str, Any]) -> int:
    """Add the collaborator of a commune (district officers: communes of their district)."""
    v = _check(values)
    who = check_local_record(actor, _commune_district(conn, v["commune_code"]))
    with conn.cursor() as cur:
        cur.execute("""INSERT INTO collaborator (record_key, commune_code, full_name, phone,
                position, since_year, is_active) VALUES (%s, %s, %s, %s, %s, %s, %s)
                RETURNING id""",
                    (f"form:{uuid.uuid4()}", v["commune_code"], v["full_name"], v["phone"],
                     v["position"], v["since_year"], v["is_active"]))
        row = cur.fetchone()
    assert row is not None
    after = _audited(conn, int(row[0]))
    audit_write(conn, who, "collaborator", int(row[0]), "create", {}, after,
                after["district_code"], (0, after["version"]))
    return int(row[0])


def _audited(conn: Connection, collaborator_id: int) -> dict[str, Any]:
    """The collaborator's fields as the audit trail keeps them (personal ones included:
    the trail is read by those who may see them, geo.records.audit)."""
    with dict_cursor(conn) as cur:
        cur.execute(f"{_SELECT} WHERE k.id = %s", (collaborator_id,))
        row = cur.fetchone()
    assert row is not None
    return {k: row[k] for k in AUDITED}


def update_collaborator(conn: Connection, actor: Actor | None, collaborator_id: int,
                        changes: dict[str, Any], version: int | None) -> None:
    """Change a collaborator (If-Match version checked when given)."""
    with dict_cursor(conn) as cur:
        cur.execute(f"{_SELECT} WHERE k.id = %s", (collaborator_id,))
        row = cur.fetchone()
    if row is None:
        raise NotFound(f"không có cộng tác viên {collaborator_id}")
    current = dict(row)
    who = check_local_record(actor, current["district_code"])
    if version is not None and version != current["version"]:
        raise Conflict("Cộng tác viên đã được người khác sửa; hãy tải lại")
    v = _check({**{k: current[k] for k in FIELDS}, **changes})
    if v["commune_code"] != current["commune_code"]:
        check_local_record(actor, _commune_district(conn, v["commune_code"]))
    with conn.cursor() as cur:
        cur.execute("""UPDATE collaborator SET commune_code = %s, full_name = %s, phone = %s,
                position = %s, since_year = %s, is_active = %s, version = version + 1,
                updated_at = now() WHERE id = %s""",
                    (v["commune_code"], v["full_name"], v["phone"], v["position"],
                     v["since_year"], v["is_active"], collaborator_id))
    after = _audited(conn, collaborator_id)
    audit_write(conn, who, "collaborator", collaborator_id, "edit",
                {k: current[k] for k in AUDITED}, after, after["district_code"],
                (current["version"], after["version"]))


def communes_without_collaborator(conn: Connection, district: str | None = None
                                  ) -> list[dict[str, Any]]:
    """Indicator: legacy communes with no active collaborator."""
    with dict_cursor(conn) as cur:
        cur.execute("""
            SELECT c.code, c.name, c.parent_code AS district_code, d.name AS district_name,
                   round(ST_X(c.centroid)::numeric, 5)::float AS lon,
                   round(ST_Y(c.centroid)::numeric, 5)::float AS lat
            FROM admin_unit c
            LEFT JOIN admin_unit d ON d.edition = 'legacy' AND d.code = c.parent_code
            WHERE c.edition = 'legacy' AND c.level = 'commune'
              AND (%(d)s::text IS NULL OR c.parent_code = %(d)s)
              AND NOT EXISTS (SELECT 1 FROM collaborator k
                              WHERE k.commune_code = c.code AND k.is_active)
            ORDER BY c.code""", {"d": district})
        return [dict(r) for r in cur.fetchall()]


def district_communes(conn: Connection, district: str) -> list[dict[str, Any]]:
    """The legacy communes of a district (code, name), by name: the form's choices."""
    with dict_cursor(conn) as cur:
        cur.execute("SELECT code, name FROM admin_unit WHERE edition = 'legacy' "
                    "AND level = 'commune' AND parent_code = %s ORDER BY name, code",
                    (district,))
        return [dict(r) for r in cur.fetchall()]
