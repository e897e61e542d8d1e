"""What a project produced, its money status and its inspection visits.

Planners and admins record them for any project, district officers for projects located in
their own district (first location), viewers never. Every write is audited (geo.cycle.cycle_audit).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from geo.accounts.authz import Actor, check_local_record
from geo.core.db import Connection, dict_cursor
from geo.core.errors import Forbidden, InvalidInput, NotFound, Unauthorized
from geo.cycle.cycle_audit import audit_write, project_district
from geo.cycle.targets import INDICATORS, OUTPUT_INDICATORS

MAX_QUANTITY = 10**9
MAX_VND = 10**15


def _project_row(conn: Connection, project_id: int) -> dict[str, Any]:
    with dict_cursor(conn) as cur:
        cur.execute("SELECT id, kc_vnd FROM project WHERE id = %s", (project_id,))
        row = cur.fetchone()
    if row is None:
        raise NotFound(f"không có đề án {project_id}")
    return dict(row)


def check_project_write(conn: Connection, actor: Actor | None, project_id: int) -> Actor:
    """The actor if it may record this project's outputs, money and inspections."""
    _project_row(conn, project_id)
    return check_local_record(actor, project_district(conn, project_id))


def can_write_project(conn: Connection, actor: Actor | None, project_id: int) -> bool:
    """Whether the actor may record this project's outputs, money and inspections."""
    try:
        check_project_write(conn, actor, project_id)
    except (Forbidden, Unauthorized):
        return False
    return True


def _outputs(conn: Connection, project_id: int) -> dict[str, int]:
    with conn.cursor() as cur:
        cur.execute("SELECT indicator, quantity FROM project_output WHERE project_id = %s "
                    "ORDER BY indicator", (project_id,))
        return {str(k): int(q) for k, q in cur.fetchall()}


def _money(conn: Connection, project_id: int) -> dict[str, int]:
    with dict_cursor(conn) as cur:
        cur.execute("SELECT planned_vnd, disbursed_vnd, settled_vnd FROM project_finance "
                    "WHERE project_id = %s", (project_id,))
        row = cur.fetchone()
    return {} if row is None else {k: int(v) for k, v in row.items()}


def _whole(value: Any, name: str, limit: int) -> int:
    """A non-negative whole number from an int or a text like '1.250.000'."""
    if isinstance(value, bool):
        raise InvalidInput(f"{name}: phải là số nguyên không âm")
    text = str(value).strip().replace(".", "").replace(" ", "").removesuffix("đ")
    if not text.isdigit() or len(text) > 16 or int(text) > limit:
        raise InvalidInput(f"{name}: {value!r} không phải số nguyên không âm hợp lệ")
    return int(text)


def project_cycle(conn: Connection, project_id: int, actor: Actor | None) -> dict[str, Any]:
    """Outputs, money status and inspections of a project (inspections for logged-in users)."""
    project = _project_row(conn, project_id)
    with dict_cursor(conn) as cur:
        cur.execute("SELECT indicator, quantity FROM project_output WHERE project_id = %s "
                    "ORDER BY indicator", (project_id,))
        outputs = {str(r["indicator"]): int(r["quantity"]) for r in cur.fetchall()}
        cur.execute("SELECT planned_vnd, disbursed_vnd, settled_vnd, updated_at "
                    "FROM project_finance WHERE project_id = %s", (project_id,))
        fin = cur.fetchone()
        cur.execute("SELECT id, visit_date, inspector, finding FROM project_inspection "
                    "WHERE project_id = %s ORDER BY visit_date, id", (project_id,))
        visits = [dict(r) for r in cur.fetchall()]
    money = {"planned_vnd": int(project["kc_vnd"]), "disbursed_vnd": 0, "settled_vnd": 0,
             "recorded": False}
    if fin is not None:
        money = {"planned_vnd": int(fin["planned_vnd"]), "disbursed_vnd": int(fin["disbursed_vnd"]),
                 "settled_vnd": int(fin["settled_vnd"]), "recorded": True}
    out: dict[str, Any] = {
        "project_id": project_id,
        "outputs": [{"indicator": k, "name": INDICATORS[k][0], "unit": INDICATORS[k][1],
                     "quantity": outputs[k]} for k in OUTPUT_INDICATORS if k in outputs],
        "money": money}
    if actor is not None:
        out["inspections"] = [{"id": v["id"], "visit_date": v["visit_date"].isoformat(),
                               "inspector": v["inspector"], "finding": v["finding"]}
                              for v in visits]
    return out


def set_outputs(conn: Connection, actor: Actor | None, project_id: int,
                values: dict[str, Any]) -> None:
    """Record output quantities (an empty value removes that output)."""
    who = check_project_write(conn, actor, project_id)
    unknown = [k for k in values if k not in OUTPUT_INDICATORS]
    if unknown:
        raise InvalidInput(f"kết quả {unknown[0]!r} không hợp lệ; dùng: "
                           f"{', '.join(OUTPUT_INDICATORS)}")
    before = _outputs(conn, project_id)
    with conn.cursor() as cur:
        for key, raw in values.items():
            if raw is None or str(raw).strip() == "":
                cur.execute("DELETE FROM project_output WHERE project_id = %s AND indicator = %s",
                            (project_id, key))
                continue
            qty = _whole(raw, INDICATORS[key][0], MAX_QUANTITY)
            cur.execute("""INSERT INTO project_output (project_id, indicator, quantity)
                           VALUES (%s, %s, %s) ON CONFLICT (project_id, indicator)
                           DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()""",
                        (project_id, key, qty))
    after = _outputs(conn, project_id)
    if after != before:
        audit_write(conn, who, "project_output", project_id, "edit", before, after,
                    project_district(conn, project_id))


def set_money(conn: Connection, actor: Actor | None, project_id: int, planned: Any,
              disbursed: Any, settled: Any) -> None:
    """Record planned, disbursed and settled amounts (settled never above disbursed)."""
    who = check_project_write(conn, actor, project_id)
    project = _project_row(conn, project_id)
    p = _whole(planned, "Kinh phí kế hoạch", MAX_VND) if str(planned or "").strip() \
        else int(project["kc_vnd"])
    d = _whole(disbursed or 0, "Đã giải ngân", MAX_VND)
    s = _whole(settled or 0, "Đã quyết toán", MAX_VND)
    if s > d:
        raise InvalidInput("Số đã quyết toán không được lớn hơn số đã giải ngân")
    before = _money(conn, project_id)
    with conn.cursor() as cur:
        cur.execute("""INSERT INTO project_finance (project_id, planned_vnd, disbursed_vnd,
                                                    settled_vnd) VALUES (%s, %s, %s, %s)
                       ON CONFLICT (project_id) DO UPDATE SET planned_vnd = EXCLUDED.planned_vnd,
                           disbursed_vnd = EXCLUDED.disbursed_vnd,
                           settled_vnd = EXCLUDED.settled_vnd, updated_at = now()""",
                    (project_id, p, d, s))
    after = _money(conn, project_id)
    if after != before:
        audit_write(conn, who, "project_finance", project_id, "create" if not before else "edit",
                    before, after, project_district(conn, project_id))


def add_inspection(conn: Connection, actor: Actor | None, project_id: int, visit_date: str,
                   inspector: str, finding: str) -> int:
    """Record an inspection visit; returns its id."""
    who = check_project_write(conn, actor, project_id)
    try:
        day = date.fromisoformat(str(visit_date).strip())
    except ValueError as exc:
        raise InvalidInput("Ngày kiểm tra phải có dạng YYYY-MM-DD") from exc
    if not (2000 <= day.year <= 2100):
        raise InvalidInput("Ngày kiểm tra không hợp lệ")
    inspector, finding = str(inspector or "").strip(), str(finding or "").strip()
    if not inspector or len(inspector) > 300:
        raise InvalidInput("Người kiểm tra: bắt buộc, tối đa 300 ký tự")
    if not finding or len(finding) > 4000:
        raise InvalidInput("Kết luận kiểm tra: bắt buộc, tối đa 4000 ký tự")
    with conn.cursor() as cur:
        cur.execute("INSERT INTO project_inspection (project_id, visit_date, inspector, finding,"
                    " created_by) VALUES (%s, %s, %s, %s, %s) RETURNING id",
                    (project_id, day, inspector, finding, who.user_id))
        row = cur.fetchone()
    assert row is not None
    audit_write(conn, who, "project_inspection", project_id, "create", {},
                {"id": int(row[0]), "visit_date": day, "inspector": inspector,
                 "finding": finding}, project_district(conn, project_id))
    return int(row[0])
