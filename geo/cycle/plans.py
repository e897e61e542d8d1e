"""The annual plan (kế hoạch khuyến công năm N): ceilings, lines, totals against ceilings.

A planner opens the plan of a year with a ceiling per source (KCQG, KCĐP) and optionally per
district, then adds lines: a registered need (which moves to 'in_plan') or a new proposal
(activity, commune or district, amount, source). Totals by source, district, commune and
activity are compared with the ceilings: a line that takes the plan over a ceiling is kept
but flagged, and approval refuses a plan over its ceilings unless told to accept it (with a
reason). Every write is audited (entity 'kc_plan', entity_id = year).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from geo.accounts.authz import Actor
from geo.core.db import Connection, dict_cursor, one_row
from geo.core.errors import Conflict, InvalidInput
from geo.cycle import values as v
from geo.cycle.access import check_plan, check_read
from geo.cycle.needs import get_need, move_need
from geo.cycle.words import FundingSource, NeedStatus, PlanStatus
from geo.gazetteer.places import check_district
from geo.records.audit import Change, record_change

LINE_FIELDS = ("need_id", "title", "activity_type", "funding_source", "kc_vnd",
               "counterpart_vnd", "commune_code", "district_code", "beneficiary")


def plan_audit(conn: Connection, actor: Actor, year: int, action: str, version: int,
               after: dict[str, Any], reason: str = "", district: str | None = None) -> int:
    """An audit row of a plan operation."""
    return record_change(conn, actor, Change("kc_plan", year, action, max(version - 1, 0),
                                             version, {}, after, None, None, reason, district))


def plan_row(conn: Connection, year: int, lock: bool = False) -> dict[str, Any]:
    """The plan's table row; NotFound if the year has none."""
    return one_row(conn, "SELECT * FROM kc_plan WHERE year = %s", (year,),
                   f"Chưa có kế hoạch khuyến công năm {year}", lock)


def _district(conn: Connection, code: object) -> str:
    text = v.text(code, "district_code", 10, required=True)
    check_district(conn, text)
    return text


def open_plan(conn: Connection, actor: Actor | None, data: Mapping[str, Any],
              is_demo: bool = False) -> dict[str, Any]:
    """Open the plan of a year with its ceilings; Conflict if it exists."""
    who = check_plan(actor)
    v.unknown_fields(data, {"year", "ceilings", "district_ceilings"})
    year = v.year(data.get("year"))
    ceilings = data.get("ceilings") or {}
    if not isinstance(ceilings, Mapping):
        raise InvalidInput("ceilings phải là {\"KCQG\": số, \"KCDP\": số}")
    ceilings = {str(k).replace("Đ", "D"): n for k, n in ceilings.items()}  # KCĐP = KCDP
    v.unknown_fields(ceilings, {s.value for s in FundingSource})
    kcqg = v.money(ceilings.get("KCQG", 0), "ceilings.KCQG")
    kcdp = v.money(ceilings.get("KCDP", 0), "ceilings.KCDP")
    per_district = data.get("district_ceilings") or {}
    if not isinstance(per_district, Mapping):
        raise InvalidInput("district_ceilings phải là {\"mã huyện\": số}")
    districts = {_district(conn, k): v.money(n, f"district_ceilings.{k}")
                 for k, n in per_district.items()}
    with conn.cursor() as cur:
        cur.execute("INSERT INTO kc_plan (year, ceiling_kcqg_vnd, ceiling_kcdp_vnd, is_demo, "
                    "created_by) VALUES (%s, %s, %s, %s, %s) ON CONFLICT (year) DO NOTHING",
                    (year, kcqg, kcdp, is_demo, who.user_id))
        if cur.rowcount == 0:
            raise Conflict(f"Kế hoạch năm {year} đã có")
        for code, amount in districts.items():
            cur.execute("INSERT INTO kc_plan_district_ceiling (year, district_code, ceiling_vnd)"
                        " VALUES (%s, %s, %s)", (year, code, amount))
    plan_audit(conn, who, year, "create", 1, {"year": year, "ceilings": {
        "KCQG": kcqg, "KCDP": kcdp}, "district_ceilings": districts})
    return plan_view(conn, who, year)


def line_place(conn: Connection, commune: object, district: object) -> tuple[str, str | None]:
    """(district, commune) of a new proposal: a legacy commune, or a district alone."""
    if commune not in (None, ""):
        code = v.text(commune, "commune_code", 10)
        with conn.cursor() as cur:
            cur.execute("SELECT parent_code FROM admin_unit WHERE edition = 'legacy' "
                        "AND level = 'commune' AND code = %s", (code,))
            row = cur.fetchone()
        if row is None:
            raise InvalidInput(f"Không có xã mã {code} (đơn vị trước 1/7/2025)")
        if district not in (None, "") and district != row[0]:
            raise InvalidInput(f"Xã {code} không thuộc huyện {district}")
        return str(row[0]), code
    return _district(conn, district), None


def add_line(conn: Connection, actor: Actor | None, year: int,
             data: Mapping[str, Any]) -> dict[str, Any]:
    """Add a need or a new proposal to a draft plan; returns the line and the plan's flags."""
    who = check_plan(actor)
    v.unknown_fields(data, set(LINE_FIELDS))
    plan = plan_row(conn, year, lock=True)
    if plan["status"] != PlanStatus.draft:
        raise Conflict(f"Kế hoạch năm {year} đã phê duyệt, không thêm được dòng")
    source = v.choice(FundingSource, data.get("funding_source") or "", "funding_source").value
    line: dict[str, Any] = {"year": year, "funding_source": source, "need_id": None,
                            "establishment_id": None}
    need_id = data.get("need_id")
    if need_id not in (None, ""):
        need_id = v.record_id(need_id, "need_id")
        need = get_need(conn, who, need_id, lock=True)
        if need["status"] not in (NeedStatus.registered, NeedStatus.shortlisted):
            raise Conflict(f"Nhu cầu số {need_id} đang ở trạng thái '{need['status']}', "
                           "không đưa vào kế hoạch được")
        line.update(need_id=need_id, establishment_id=need["establishment_id"],
                    district_code=need["district_code"], commune_code=need["commune_code"],
                    activity_type=need["activity_type"],
                    title=v.text(data.get("title"), "title", 500) or
                    f"{need['activity_name']}: {need['establishment_name']}"[:500],
                    beneficiary=need["establishment_name"],
                    kc_vnd=v.money(data.get("kc_vnd") or need["requested_vnd"], "kc_vnd"),
                    counterpart_vnd=v.money(data.get("counterpart_vnd")
                                            or need["counterpart_vnd"], "counterpart_vnd",
                                            required=False))
    else:
        district, commune = line_place(conn, data.get("commune_code"),
                                        data.get("district_code"))
        line.update(district_code=district, commune_code=commune,
                    activity_type=v.activity(conn, data.get("activity_type")),
                    title=v.text(data.get("title"), "title", 500, required=True),
                    beneficiary=v.text(data.get("beneficiary"), "beneficiary", 300) or None,
                    kc_vnd=v.money(data.get("kc_vnd"), "kc_vnd"),
                    counterpart_vnd=v.money(data.get("counterpart_vnd"), "counterpart_vnd",
                                            required=False))
    if line["kc_vnd"] <= 0:
        raise InvalidInput("Kinh phí khuyến công của dòng phải lớn hơn 0")
    with conn.cursor() as cur:
        cur.execute("""
            INSERT INTO kc_plan_line (year, need_id, title, activity_type, funding_source,
                kc_vnd, counterpart_vnd, district_code, commune_code, beneficiary,
                establishment_id, is_demo, created_by)
            VALUES (%(year)s, %(need_id)s, %(title)s, %(activity_type)s, %(funding_source)s,
                    %(kc_vnd)s, %(counterpart_vnd)s, %(district_code)s, %(commune_code)s,
                    %(beneficiary)s, %(establishment_id)s, %(demo)s, %(by)s) RETURNING id""",
                    {**line, "demo": plan["is_demo"], "by": who.user_id})
        row = cur.fetchone()
        cur.execute("UPDATE kc_plan SET version = version + 1 WHERE year = %s RETURNING version",
                    (year,))
        version_row = cur.fetchone()
    assert row is not None and version_row is not None
    line["id"] = int(row[0])
    if line["need_id"] is not None:
        move_need(conn, who, line["need_id"], {"status": NeedStatus.in_plan.value},
                  f"Đưa vào kế hoạch năm {year}, dòng {line['id']}")
    plan_audit(conn, who, year, "add_line", int(version_row[0]), line,
               district=line["district_code"])
    view = plan_view(conn, who, year)
    return {"line": next(x for x in view["lines"] if x["id"] == line["id"]),
            "over_ceiling": view["over_ceiling"], "flags": view["flags"]}


_LINES = """
SELECT l.id, l.need_id, l.title, l.activity_type, a.name_vi AS activity_name,
       l.funding_source, l.kc_vnd, l.counterpart_vnd, l.district_code, d.name AS district_name,
       l.commune_code, c.name AS commune_name, l.beneficiary, l.establishment_id, l.project_id,
       l.is_demo
FROM kc_plan_line l
JOIN activity_type a ON a.code = l.activity_type
LEFT JOIN admin_unit d ON d.edition = 'legacy' AND d.code = l.district_code
LEFT JOIN admin_unit c ON c.edition = 'legacy' AND c.code = l.commune_code
WHERE l.year = %s ORDER BY l.id
"""


def plan_lines(conn: Connection, year: int) -> list[dict[str, Any]]:
    """The lines of a year's plan with unit and activity names."""
    with dict_cursor(conn) as cur:
        cur.execute(_LINES, (year,))
        return [dict(r) for r in cur.fetchall()]


def _totals(lines: list[dict[str, Any]], key: str, name: str | None) -> list[dict[str, Any]]:
    acc: dict[Any, dict[str, Any]] = defaultdict(lambda: {"kc_vnd": 0, "counterpart_vnd": 0,
                                                         "lines": 0})
    for line in lines:
        a = acc[line[key]]
        a["kc_vnd"] += line["kc_vnd"]
        a["counterpart_vnd"] += line["counterpart_vnd"]
        a["lines"] += 1
        if name:
            a["name"] = line[name]
    return [{"code": k, **a} for k, a in sorted(acc.items(), key=lambda kv: str(kv[0] or ""))]


def plan_view(conn: Connection, actor: Actor | None, year: int) -> dict[str, Any]:
    """The plan: lines, totals by source, district, commune and activity, against ceilings."""
    check_read(actor)
    plan = plan_row(conn, year)
    lines = plan_lines(conn, year)
    with dict_cursor(conn) as cur:
        cur.execute("SELECT c.district_code, d.name, c.ceiling_vnd FROM kc_plan_district_ceiling c"
                    " LEFT JOIN admin_unit d ON d.edition = 'legacy' AND d.code = c.district_code"
                    " WHERE c.year = %s ORDER BY 1", (year,))
        district_ceilings = {r["district_code"]: r for r in cur.fetchall()}
    ceilings = {"KCQG": plan["ceiling_kcqg_vnd"], "KCDP": plan["ceiling_kcdp_vnd"]}
    by_source = []
    flags = []
    for source, ceiling in ceilings.items():
        total = sum(x["kc_vnd"] for x in lines if x["funding_source"] == source)
        over = total > ceiling
        by_source.append({"code": source, "kc_vnd": total, "ceiling_vnd": ceiling,
                          "remaining_vnd": ceiling - total, "over_ceiling": over})
        if over:
            flags.append({"kind": "source", "code": source, "total_vnd": total,
                          "ceiling_vnd": ceiling, "over_by_vnd": total - ceiling,
                          "message": f"Vượt trần nguồn {source}"})
    by_district = _totals(lines, "district_code", "district_name")
    for row in by_district:
        dc = district_ceilings.get(row["code"])
        row["ceiling_vnd"] = dc["ceiling_vnd"] if dc else None
        row["over_ceiling"] = bool(dc and row["kc_vnd"] > dc["ceiling_vnd"])
        if row["over_ceiling"]:
            flags.append({"kind": "district", "code": row["code"], "total_vnd": row["kc_vnd"],
                          "ceiling_vnd": row["ceiling_vnd"],
                          "over_by_vnd": row["kc_vnd"] - row["ceiling_vnd"],
                          "message": f"Vượt trần của huyện {row.get('name') or row['code']}"})
    return {
        "year": year, "status": plan["status"], "version": plan["version"],
        "is_demo": plan["is_demo"],
        "approved_at": plan["approved_at"].isoformat() if plan["approved_at"] else None,
        "ceilings": ceilings,
        "district_ceilings": [{"code": k, "name": r["name"], "ceiling_vnd": r["ceiling_vnd"]}
                              for k, r in district_ceilings.items()],
        "lines": lines,
        "totals": {
            "kc_vnd": sum(x["kc_vnd"] for x in lines),
            "counterpart_vnd": sum(x["counterpart_vnd"] for x in lines),
            "lines": len(lines),
            "by_source": by_source,
            "by_district": by_district,
            "by_commune": _totals([x for x in lines if x["commune_code"]], "commune_code",
                                  "commune_name"),
            "by_activity": _totals(lines, "activity_type", "activity_name"),
        },
        "over_ceiling": bool(flags),
        "flags": flags,
    }
