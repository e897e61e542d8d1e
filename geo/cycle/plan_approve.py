"""Approving a year's plan: its lines become projects (status 'approved'), needs are funded.

A plan over one of its ceilings is refused unless the approver accepts it with a reason. Each
project is located at its line's commune (precision 'commune') or district ('district'),
method 'plan'; the plan keeps its lines and its history (audit rows of entity 'kc_plan').
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from geo.accounts.authz import Actor
from geo.core.db import Connection, dict_cursor
from geo.core.errors import Conflict, InvalidInput
from geo.cycle import values as v
from geo.cycle.access import check_plan, check_read
from geo.cycle.needs import move_need
from geo.cycle.plans import plan_audit, plan_lines, plan_row, plan_view
from geo.cycle.words import NeedStatus, PlanStatus

_PROJECT = """
INSERT INTO project (record_key, title, year, funding_source, activity_type, kc_vnd,
                     counterpart_vnd, beneficiary, beneficiary_establishment_id, status, is_demo)
VALUES (%(key)s, %(title)s, %(year)s, %(funding_source)s, %(activity_type)s, %(kc_vnd)s,
        %(counterpart_vnd)s, %(beneficiary)s, %(establishment_id)s, 'approved', %(is_demo)s)
RETURNING id
"""
_LOCATION = """
INSERT INTO location (project_id, geom, precision, commune_code, district_code, method)
SELECT %(project)s, centroid, %(precision)s, %(commune)s, %(district)s, 'plan'
FROM admin_unit WHERE edition = 'legacy' AND code = %(unit)s AND centroid IS NOT NULL
"""


def approve_plan(conn: Connection, actor: Actor | None, year: int,
                 data: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Approve a draft plan: create its projects, fund its needs, audit every step."""
    who = check_plan(actor)
    data = data or {}
    v.unknown_fields(data, {"accept_over_ceiling", "reason"})
    reason = v.text(data.get("reason"), "reason", 1000)
    plan = plan_row(conn, year, lock=True)
    if plan["status"] != PlanStatus.draft:
        raise Conflict(f"Kế hoạch năm {year} đã được phê duyệt")
    view = plan_view(conn, who, year)
    if not view["lines"]:
        raise InvalidInput(f"Kế hoạch năm {year} chưa có dòng nào")
    if view["over_ceiling"]:
        if data.get("accept_over_ceiling") is not True or not reason:
            raise Conflict("Kế hoạch vượt trần: " + "; ".join(f["message"] for f in view["flags"])
                           + ". Giảm kinh phí, hoặc phê duyệt kèm lý do chấp nhận vượt trần")
    created = []
    for line in plan_lines(conn, year):
        if line["project_id"] is not None:
            continue
        with conn.cursor() as cur:
            cur.execute(_PROJECT, {**line, "key": f"plan-{year}-line-{line['id']}",
                                   "year": year, "is_demo": plan["is_demo"]})
            row = cur.fetchone()
            assert row is not None
            project_id = int(row[0])
            commune = line["commune_code"]
            cur.execute(_LOCATION, {"project": project_id, "commune": commune,
                                    "district": line["district_code"],
                                    "precision": "commune" if commune else "district",
                                    "unit": commune or line["district_code"]})
            cur.execute("UPDATE kc_plan_line SET project_id = %s WHERE id = %s",
                        (project_id, line["id"]))
        if line["need_id"] is not None:
            move_need(conn, who, line["need_id"], {"status": NeedStatus.funded.value,
                                                   "project_id": project_id},
                      f"Kế hoạch năm {year} được phê duyệt: đề án số {project_id}")
        created.append({"line_id": line["id"], "project_id": project_id})
    with conn.cursor() as cur:
        cur.execute("UPDATE kc_plan SET status = 'approved', approved_at = now(), "
                    "approved_by = %s, version = version + 1 WHERE year = %s RETURNING version",
                    (who.user_id, year))
        version_row = cur.fetchone()
    assert version_row is not None
    plan_audit(conn, who, year, "approve", int(version_row[0]),
               {"projects": created, "totals": view["totals"]["by_source"],
                "over_ceiling": view["over_ceiling"]}, reason)
    return {**plan_view(conn, who, year), "projects_created": created}


def plan_history(conn: Connection, actor: Actor | None, year: int) -> list[dict[str, Any]]:
    """The audit rows of a year's plan, oldest first."""
    check_read(actor)
    with dict_cursor(conn) as cur:
        cur.execute("SELECT id, at, username, action, version_after, after, reason "
                    "FROM audit_log WHERE entity = 'kc_plan' AND entity_id = %s ORDER BY id",
                    (year,))
        rows = cur.fetchall()
    return [{"id": r["id"], "at": r["at"].isoformat(), "username": r["username"],
             "action": r["action"], "version": r["version_after"],
             "after": r["after"] if isinstance(r["after"], dict) else json.loads(r["after"]),
             "reason": r["reason"]} for r in rows]
