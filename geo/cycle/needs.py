"""Support needs (nhu cầu hỗ trợ) of establishments: register, list, change; audited.

A district officer writes needs of establishments located in their own district, planners
and admins anywhere (geo.cycle.access). Every write records an audit row (entity
'support_need') and bumps the version; a PATCH names the version it was based on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geo.accounts.authz import Actor
from geo.core.db import Connection, dict_cursor
from geo.core.errors import Conflict, InvalidInput, NotFound, PreconditionRequired
from geo.cycle import values as v
from geo.cycle.access import check_need_write, check_read
from geo.cycle.words import PATCH_MOVES, NeedPriority, NeedStatus
from geo.records.archived import archive_note
from geo.records.audit import Change, record_change
from geo.records.edit import mark_edited
from geo.records.kinds import RecordKind
from geo.records.spec import SPECS

FIELDS = ("activity_type", "description", "total_cost_vnd", "requested_vnd",
          "counterpart_vnd", "desired_year", "priority")
NEED_COLUMNS = ("id", "establishment_id", "activity_type", "description", "total_cost_vnd",
                "requested_vnd", "counterpart_vnd", "desired_year", "priority", "status",
                "decline_reason", "project_id", "district_code", "commune_code", "is_demo",
                "version")
_SELECT = """
SELECT n.id, n.establishment_id, n.activity_type, n.description, n.total_cost_vnd,
       n.requested_vnd, n.counterpart_vnd, n.desired_year, n.priority, n.status,
       n.decline_reason, n.project_id, n.district_code, n.commune_code, n.is_demo, n.version,
       n.created_at, n.updated_at, e.name AS establishment_name, a.name_vi AS activity_name,
       e.archived_at IS NOT NULL AS establishment_archived,
       c.name AS commune_name, d.name AS district_name,
       ST_X(ST_PointOnSurface(l.geom)) AS lon, ST_Y(ST_PointOnSurface(l.geom)) AS lat
FROM support_need n
JOIN establishment e ON e.id = n.establishment_id
JOIN activity_type a ON a.code = n.activity_type
LEFT JOIN admin_unit c ON c.edition = 'legacy' AND c.code = n.commune_code
LEFT JOIN admin_unit d ON d.edition = 'legacy' AND d.code = n.district_code
LEFT JOIN LATERAL (SELECT geom FROM location WHERE establishment_id = e.id
                   ORDER BY id LIMIT 1) l ON true
"""
MAX_LIST = 5000


def establishment_place(conn: Connection, establishment_id: int) -> tuple[str | None, str | None]:
    """(district, commune) where an establishment is located (legacy codes); NotFound."""
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM establishment WHERE id = %s", (establishment_id,))
        if cur.fetchone() is None:
            raise NotFound(f"Không có cơ sở số {establishment_id}")
        cur.execute("""
            SELECT CASE WHEN l.precision IN ('exact', 'commune') THEN cu.code END,
                   CASE WHEN l.precision IN ('exact', 'commune', 'district')
                        THEN COALESCE(cu.parent_code, du.code) END
            FROM location l
            LEFT JOIN admin_unit cu ON cu.edition = 'legacy' AND cu.level = 'commune'
                                    AND cu.code = l.commune_code
            LEFT JOIN admin_unit du ON du.edition = 'legacy' AND du.level = 'district'
                                    AND du.code = l.district_code
            WHERE l.establishment_id = %s ORDER BY l.id LIMIT 1""", (establishment_id,))
        row = cur.fetchone()
    return (row[1], row[0]) if row else (None, None)


def check_live(conn: Connection, establishment_id: int) -> None:
    """Conflict when the establishment was archived by an import (no new needs for it)."""
    if archive_note(conn, SPECS[RecordKind.ESTABLISHMENT], establishment_id) is not None:
        raise Conflict(f"Cơ sở số {establishment_id} đã được lưu trữ (không còn trong tệp "
                       "danh sách đã nhập): không đăng ký nhu cầu mới; hoàn tác lô nhập trên "
                       "trang Nhập dữ liệu để đưa cơ sở trở lại")


def _row(r: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: r[k] for k in NEED_COLUMNS}
    out.update(establishment_name=r["establishment_name"], activity_name=r["activity_name"],
               establishment_archived=bool(r["establishment_archived"]),
               commune_name=r["commune_name"], district_name=r["district_name"],
               lon=r["lon"], lat=r["lat"], created_at=r["created_at"].isoformat(),
               updated_at=r["updated_at"].isoformat())
    return out


def get_need(conn: Connection, actor: Actor | None, need_id: int,
             lock: bool = False) -> dict[str, Any]:
    """One need with its establishment and place names; NotFound."""
    check_read(actor)
    with dict_cursor(conn) as cur:
        cur.execute(_SELECT + " WHERE n.id = %s" + (" FOR UPDATE OF n" if lock else ""),
                    (need_id,))
        row = cur.fetchone()
    if row is None:
        raise NotFound(f"Không có nhu cầu số {need_id}")
    return _row(row)


def list_needs(conn: Connection, actor: Actor | None, district: str | None = None,
               year: int | None = None, status: str | None = None) -> list[dict[str, Any]]:
    """Needs filtered by district, desired year and status, newest first."""
    check_read(actor)
    if status:
        status = v.choice(NeedStatus, status, "status")
    with dict_cursor(conn) as cur:
        cur.execute(_SELECT + """
            WHERE (%(d)s::text IS NULL OR n.district_code = %(d)s)
              AND (%(y)s::int IS NULL OR n.desired_year = %(y)s)
              AND (%(s)s::text IS NULL OR n.status = %(s)s)
            ORDER BY n.id DESC LIMIT %(limit)s""",
                    {"d": district or None, "y": year, "s": status or None, "limit": MAX_LIST})
        return [_row(r) for r in cur.fetchall()]


def _checked(conn: Connection, data: Mapping[str, Any], partial: bool) -> dict[str, Any]:
    """Checked need fields (all required unless PARTIAL)."""
    out: dict[str, Any] = {}

    def given(key: str) -> bool:
        return key in data if partial else True

    if given("activity_type"):
        out["activity_type"] = v.activity(conn, data.get("activity_type"))
    if given("description"):
        out["description"] = v.text(data.get("description"), "description", 2000)
    for key in ("total_cost_vnd", "requested_vnd", "counterpart_vnd"):
        if given(key):
            out[key] = v.money(data.get(key), key, required=key != "counterpart_vnd")
    if given("desired_year"):
        out["desired_year"] = v.year(data.get("desired_year"), "desired_year")
    if given("priority"):
        out["priority"] = v.choice(NeedPriority, data.get("priority") or "medium",
                                   "priority").value
    total = out.get("total_cost_vnd")
    if total is not None and out.get("requested_vnd", 0) + out.get("counterpart_vnd", 0) > total:
        raise InvalidInput("Kinh phí đề nghị hỗ trợ cộng vốn đối ứng vượt tổng chi phí dự kiến")
    return out


def _audit(conn: Connection, actor: Actor, action: str, before: dict[str, Any],
           after: dict[str, Any], reason: str = "") -> int:
    keep = {k: after.get(k) for k in NEED_COLUMNS}
    old = {k: before.get(k) for k in NEED_COLUMNS} if before else {}
    return record_change(conn, actor, Change(
        "support_need", int(after["id"]), action, int(before.get("version", 0)),
        int(after["version"]), old, keep, None, None, reason, after["district_code"]))


def create_need(conn: Connection, actor: Actor | None, data: Mapping[str, Any],
                is_demo: bool = False) -> dict[str, Any]:
    """Register a need for an establishment of the actor's district (planners: any)."""
    v.unknown_fields(data, {"establishment_id", *FIELDS})
    est = v.record_id(data.get("establishment_id"), "establishment_id")
    district, commune = establishment_place(conn, est)
    who = check_need_write(actor, district)
    check_live(conn, est)
    if district is None:
        raise InvalidInput("Cơ sở chưa có vị trí cấp huyện: hãy rà soát vị trí trước")
    fields = _checked(conn, data, partial=False)
    with conn.cursor() as cur:
        cur.execute("""
            INSERT INTO support_need (establishment_id, activity_type, description,
                total_cost_vnd, requested_vnd, counterpart_vnd, desired_year, priority,
                district_code, commune_code, is_demo, created_by)
            VALUES (%(e)s, %(activity_type)s, %(description)s, %(total_cost_vnd)s,
                    %(requested_vnd)s, %(counterpart_vnd)s, %(desired_year)s, %(priority)s,
                    %(d)s, %(c)s, %(demo)s, %(by)s) RETURNING id""",
                    {**fields, "e": est, "d": district, "c": commune, "demo": is_demo,
                     "by": who.user_id})
        row = cur.fetchone()
    assert row is not None
    need = get_need(conn, who, int(row[0]))
    _audit(conn, who, "create", {}, need)
    return need


def patch_need(conn: Connection, actor: Actor | None, need_id: int,
               expected_version: int | None, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Change fields or status (registered/shortlisted/declined with reason); If-Match."""
    v.unknown_fields(changes, {*FIELDS, "status", "decline_reason", "reason"})
    before = get_need(conn, actor, need_id, lock=True)
    current_district, _ = establishment_place(conn, before["establishment_id"])
    who = check_need_write(actor, current_district or before["district_code"])
    if expected_version is None:
        raise PreconditionRequired("Cần phiên bản bản ghi (If-Match: <version>, lấy từ GET)")
    if expected_version != before["version"]:
        raise Conflict(f"Nhu cầu đã được sửa (phiên bản hiện tại {before['version']}); "
                       "tải lại để xem thay đổi")
    fields = _checked(conn, changes, partial=True)
    status = NeedStatus(before["status"])
    if fields and status not in (NeedStatus.registered, NeedStatus.shortlisted):
        raise Conflict("Chỉ sửa được nhu cầu đang ở trạng thái đã đăng ký hoặc được chọn sơ bộ")
    reason_text = v.text(changes.get("decline_reason"), "decline_reason", 1000)
    if "status" in changes:
        new = v.choice(NeedStatus, changes["status"], "status")
        if new != status and new not in PATCH_MOVES[status]:
            raise Conflict(f"Không chuyển được nhu cầu từ '{status}' sang '{new}'")
        if new == NeedStatus.declined and not reason_text:
            raise InvalidInput("Không chọn nhu cầu thì cần ghi lý do (decline_reason)")
        fields["status"] = new.value
        fields["decline_reason"] = reason_text if new == NeedStatus.declined else None
    merged = {**before, **fields}
    if merged["requested_vnd"] + merged["counterpart_vnd"] > merged["total_cost_vnd"]:
        raise InvalidInput("Kinh phí đề nghị hỗ trợ cộng vốn đối ứng vượt tổng chi phí dự kiến")
    if all(before.get(k) == val for k, val in fields.items()):
        return {**before, "changed": False}
    write_need(conn, need_id, fields)
    mark_edited(conn, "support_need", need_id,
                [k for k in FIELDS if k in fields and before.get(k) != fields[k]])
    after = get_need(conn, who, need_id)
    audit_id = _audit(conn, who, "edit", before, after,
                      v.text(changes.get("reason"), "reason", 1000))
    return {**after, "changed": True, "audit_id": audit_id}


def write_need(conn: Connection, need_id: int, fields: Mapping[str, Any]) -> None:
    """Set columns of a need (names from NEED_COLUMNS), next version, now as updated_at."""
    cols = [k for k in fields if k in NEED_COLUMNS and k not in ("id", "version")]
    sets = "".join(f"{k} = %({k})s, " for k in cols)
    with conn.cursor() as cur:
        cur.execute(f"UPDATE support_need SET {sets}version = version + 1, "  # noqa: S608
                    "updated_at = now() WHERE id = %(id)s", {**fields, "id": need_id})


def move_need(conn: Connection, actor: Actor, need_id: int, fields: Mapping[str, Any],
              reason: str) -> dict[str, Any]:
    """A plan operation's change of a need (in plan, funded): written and audited."""
    before = get_need(conn, actor, need_id, lock=True)
    write_need(conn, need_id, fields)
    after = get_need(conn, actor, need_id)
    _audit(conn, actor, "edit", before, after, reason)
    return after


def unmet_by_commune(conn: Connection, year: int | None = None) -> list[dict[str, Any]]:
    """Requested VND of needs neither funded nor declined, per legacy commune (of the year)."""
    with dict_cursor(conn) as cur:
        cur.execute("""
            SELECT n.commune_code AS code, c.name, n.district_code, d.name AS district_name,
                   count(*) AS needs, sum(n.requested_vnd)::bigint AS unmet_requested_vnd
            FROM support_need n
            LEFT JOIN admin_unit c ON c.edition = 'legacy' AND c.code = n.commune_code
            LEFT JOIN admin_unit d ON d.edition = 'legacy' AND d.code = n.district_code
            WHERE n.status IN ('registered', 'shortlisted', 'in_plan')
              AND (%(y)s::int IS NULL OR n.desired_year = %(y)s)
            GROUP BY 1, 2, 3, 4 ORDER BY 6 DESC, 1""", {"y": year})
        return [dict(r) for r in cur.fetchall()]
