"""Changing a draft plan's lines: edit (amount, source, title, beneficiary, activity, place)
and remove. An approved plan's lines stay as approved (Conflict). A removed line that came
from a need gives the need back the status it had before it went into the plan (registered
or shortlisted, read from the need's audit trail). Every change is audited on the plan
(actions 'edit_line', 'remove_line') and bumps the plan's version; a caller may name the
version it saw (If-Match) and gets a Conflict when the plan changed since.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geo.accounts.authz import Actor
from geo.core.db import Connection, dict_cursor
from geo.core.errors import Conflict, InvalidInput, NotFound
from geo.cycle import values as v
from geo.cycle.access import check_plan
from geo.cycle.needs import move_need
from geo.cycle.plans import line_place, plan_audit, plan_row, plan_view
from geo.cycle.words import FundingSource, NeedStatus, PlanStatus

EDITABLE = ("title", "funding_source", "kc_vnd", "counterpart_vnd", "beneficiary",
            "activity_type", "commune_code", "district_code")
LINE_COLUMNS = ("id", "year", "need_id", "title", "activity_type", "funding_source", "kc_vnd",
                "counterpart_vnd", "district_code", "commune_code", "beneficiary",
                "establishment_id", "project_id")
_SELECT_LINE = ("SELECT " + ", ".join(LINE_COLUMNS)  # noqa: S608 (fixed column names)
                + " FROM kc_plan_line WHERE id = %s AND year = %s FOR UPDATE")
BACK_TO = (NeedStatus.registered.value, NeedStatus.shortlisted.value)


def _draft(conn: Connection, year: int, expected_version: int | None, verb: str
           ) -> dict[str, Any]:
    plan = plan_row(conn, year, lock=True)
    if plan["status"] != PlanStatus.draft:
        raise Conflict(f"Kế hoạch năm {year} đã phê duyệt, không {verb} dòng được")
    if expected_version is not None and expected_version != plan["version"]:
        raise Conflict(f"Kế hoạch năm {year} đã thay đổi (phiên bản hiện tại "
                       f"{plan['version']}); tải lại để xem thay đổi")
    return plan


def _line(conn: Connection, year: int, line_id: int) -> dict[str, Any]:
    with dict_cursor(conn) as cur:
        cur.execute(_SELECT_LINE, (line_id, year))
        row = cur.fetchone()
    if row is None:
        raise NotFound(f"Kế hoạch năm {year} không có dòng số {line_id}")
    return dict(row)


def _bump(conn: Connection, year: int) -> int:
    with conn.cursor() as cur:
        cur.execute("UPDATE kc_plan SET version = version + 1 WHERE year = %s RETURNING version",
                    (year,))
        row = cur.fetchone()
    assert row is not None
    return int(row[0])


def _checked(conn: Connection, line: dict[str, Any], data: Mapping[str, Any]
             ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "title" in data:
        out["title"] = v.text(data["title"], "title", 500, required=True)
    if "funding_source" in data:
        out["funding_source"] = v.choice(FundingSource, data["funding_source"] or "",
                                         "funding_source").value
    if "kc_vnd" in data:
        out["kc_vnd"] = v.money(data["kc_vnd"], "kc_vnd")
        if out["kc_vnd"] <= 0:
            raise InvalidInput("Kinh phí khuyến công của dòng phải lớn hơn 0")
    if "counterpart_vnd" in data:
        out["counterpart_vnd"] = v.money(data["counterpart_vnd"], "counterpart_vnd",
                                         required=False)
    if "beneficiary" in data:
        out["beneficiary"] = v.text(data["beneficiary"], "beneficiary", 300) or None
    if "activity_type" in data:
        out["activity_type"] = v.activity(conn, data["activity_type"])
    if "commune_code" in data or "district_code" in data:
        if line["need_id"] is not None:
            raise InvalidInput("Dòng từ nhu cầu ở nơi cơ sở đặt; không đổi xã, huyện được")
        district, commune = line_place(conn, data.get("commune_code"),
                                       data.get("district_code"))
        out.update(district_code=district, commune_code=commune)
    return out


def edit_line(conn: Connection, actor: Actor | None, year: int, line_id: int,
              data: Mapping[str, Any], expected_version: int | None = None
              ) -> dict[str, Any]:
    """Change a line of a draft plan; returns the line and the plan's flags."""
    who = check_plan(actor)
    v.unknown_fields(data, set(EDITABLE))
    if not data:
        raise InvalidInput("Không có trường nào để sửa")
    _draft(conn, year, expected_version, "sửa")
    before = _line(conn, year, line_id)
    fields = _checked(conn, before, data)
    changed = {k: val for k, val in fields.items() if before.get(k) != val}
    if changed:
        sets = ", ".join(f"{k} = %({k})s" for k in changed)
        with conn.cursor() as cur:
            cur.execute(f"UPDATE kc_plan_line SET {sets} WHERE id = %(id)s",  # noqa: S608
                        {**changed, "id": line_id})
        version = _bump(conn, year)
        plan_audit(conn, who, year, "edit_line", version, {
            "line": line_id, "need_id": before["need_id"],
            "before": {k: before[k] for k in changed}, "after": changed},
            district=changed.get("district_code") or before["district_code"])
    view = plan_view(conn, who, year)
    return {"line": next(x for x in view["lines"] if x["id"] == line_id),
            "changed": sorted(changed), "version": view["version"],
            "over_ceiling": view["over_ceiling"], "flags": view["flags"],
            "totals": view["totals"]}


def status_before_plan(conn: Connection, need_id: int) -> str:
    """The status a need had before it was last put into a plan (registered if unknown)."""
    with conn.cursor() as cur:
        cur.execute("SELECT before ->> 'status' FROM audit_log WHERE entity = 'support_need' "
                    "AND entity_id = %s AND after ->> 'status' = 'in_plan' "
                    "AND before ->> 'status' IS DISTINCT FROM 'in_plan' "
                    "ORDER BY id DESC LIMIT 1", (need_id,))
        row = cur.fetchone()
    status = row[0] if row else None
    return status if status in BACK_TO else NeedStatus.registered.value


def remove_line(conn: Connection, actor: Actor | None, year: int, line_id: int,
                expected_version: int | None = None) -> dict[str, Any]:
    """Remove a line of a draft plan; its need (if any) goes back to its earlier status."""
    who = check_plan(actor)
    _draft(conn, year, expected_version, "xoá")
    line = _line(conn, year, line_id)
    with conn.cursor() as cur:
        cur.execute("DELETE FROM kc_plan_line WHERE id = %s", (line_id,))
    need_status = None
    if line["need_id"] is not None:
        need_status = status_before_plan(conn, line["need_id"])
        move_need(conn, who, line["need_id"], {"status": need_status},
                  f"Bỏ khỏi kế hoạch năm {year} (dòng {line_id})")
    version = _bump(conn, year)
    plan_audit(conn, who, year, "remove_line", version,
               {"line": line_id, "removed": line, "need_status": need_status},
               district=line["district_code"])
    view = plan_view(conn, who, year)
    return {"removed": line_id, "need_id": line["need_id"], "need_status": need_status,
            "version": view["version"], "over_ceiling": view["over_ceiling"],
            "flags": view["flags"], "totals": view["totals"]}
