"""Programme targets (chỉ tiêu): entered by planners or imported from CSV, never invented.

CSV columns: period, activity, indicator, unit, target, district (optional). A period is a
year (2023) or a range (2021-2025); activity an activity type code or empty for all; district
a legacy district code or empty for the province. An import is all or nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from geo.accounts.authz import Actor, require_actor
from geo.core.db import Connection, dict_cursor
from geo.core.errors import Forbidden, InvalidInput, NotFound

INDICATORS: dict[str, tuple[str, str]] = {
    "projects": ("Số đề án khuyến công", "đề án"),
    "budget_vnd": ("Kinh phí khuyến công", "đồng"),
    "disbursed_vnd": ("Kinh phí đã giải ngân", "đồng"),
    "models": ("Mô hình trình diễn kỹ thuật", "mô hình"),
    "trainees": ("Số người được đào tạo, tập huấn", "người"),
    "machines": ("Máy móc thiết bị được hỗ trợ", "máy"),
    "products": ("Sản phẩm được công nhận", "sản phẩm"),
    "fairs": ("Hội chợ, triển lãm", "lượt"),
    "establishments": ("Cơ sở được hỗ trợ", "cơ sở"),
}
OUTPUT_INDICATORS = ("models", "trainees", "machines", "products", "fairs", "establishments")
MONEY_INDICATORS = ("budget_vnd", "disbursed_vnd")
MAX_ROWS = 5000
MAX_TARGET = 10**15
_RANGE = re.compile(r"^\s*(\d{4})\s*(?:\s*[-–—]\s*(\d{4}))?\s*$")
_HEADERS = {
    "period": "period", "giai đoạn": "period", "kỳ": "period", "năm": "period",
    "activity": "activity", "hoạt động": "activity", "loại hoạt động": "activity",
    "indicator": "indicator", "chỉ tiêu": "indicator",
    "unit": "unit", "đơn vị tính": "unit", "đơn vị": "unit",
    "target": "target", "mục tiêu": "target", "kế hoạch": "target",
    "district": "district", "huyện": "district", "mã huyện": "district",
}
_COLUMNS = """t.id, t.period_start, t.period_end, t.activity_type, a.name_vi AS activity_name,
    t.indicator, t.unit, t.target, t.district_code, d.name AS district_name, t.is_demo,
    t.source, t.updated_at"""
_SELECT = """SELECT @COLUMNS@ FROM programme_target t
LEFT JOIN activity_type a ON a.code = t.activity_type
LEFT JOIN admin_unit d ON d.edition = 'legacy' AND d.level = 'district'
                      AND d.code = t.district_code""".replace("@COLUMNS@", _COLUMNS)
_UPSERT = """
INSERT INTO programme_target (period_start, period_end, activity_type, indicator, unit, target,
                              district_code, is_demo, source, created_by)
VALUES (%(ps)s, %(pe)s, %(activity)s, %(indicator)s, %(unit)s, %(target)s, %(district)s,
        %(is_demo)s, %(source)s, %(user)s)
ON CONFLICT (period_start, period_end, COALESCE(activity_type, ''), indicator,
             COALESCE(district_code, ''))
DO UPDATE SET unit = EXCLUDED.unit, target = EXCLUDED.target, is_demo = EXCLUDED.is_demo,
              source = EXCLUDED.source, created_by = EXCLUDED.created_by, updated_at = now()
RETURNING id, (xmax = 0) AS inserted
"""


@dataclass(frozen=True)
class Target:
    """One checked target row."""

    period_start: int
    period_end: int
    activity: str | None
    indicator: str
    unit: str
    target: int
    district: str | None


def parse_period(text: str) -> tuple[int, int]:
    """'2023' -> (2023, 2023); '2021-2025' -> (2021, 2025)."""
    m = _RANGE.match(text or "")
    if not m:
        raise InvalidInput(f"giai đoạn {text!r} không hợp lệ (ví dụ 2023 hoặc 2021-2025)")
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    if lo > hi or lo < 2000 or hi > 2100:
        raise InvalidInput(f"giai đoạn {text!r} không hợp lệ")
    return lo, hi


def _number(text: str) -> int:
    """'1.250.000.000', '1 250 000 000 đ' or '300' -> int."""
    clean = re.sub(r"[\s.,đ]|vnd|VND|đồng", "", str(text or ""))
    if not clean.isdigit() or len(clean) > 16:
        raise InvalidInput(f"mục tiêu {text!r} không phải số nguyên không âm")
    value = int(clean)
    if value > MAX_TARGET:
        raise InvalidInput(f"mục tiêu {text!r} quá lớn")
    return value


def _known(conn: Connection) -> tuple[set[str], set[str]]:
    with conn.cursor() as cur:
        cur.execute("SELECT code FROM activity_type")
        activities = {str(r[0]) for r in cur.fetchall()}
        cur.execute("SELECT code FROM admin_unit WHERE edition = 'legacy' AND level = 'district'")
        districts = {str(r[0]) for r in cur.fetchall()}
    return activities, districts


def check_target(conn: Connection, raw: dict[str, Any],
                 known: tuple[set[str], set[str]] | None = None) -> Target:
    """A Target from raw fields (strings or numbers); InvalidInput names the bad field."""
    activities, districts = known or _known(conn)
    ps, pe = parse_period(str(raw.get("period") or ""))
    activity = str(raw.get("activity") or "").strip() or None
    if activity in ("all", "tất cả"):
        activity = None
    if activity is not None and activity not in activities:
        raise InvalidInput(f"hoạt động {activity!r} không có trong danh mục")
    indicator = str(raw.get("indicator") or "").strip()
    if indicator not in INDICATORS:
        raise InvalidInput(f"chỉ tiêu {indicator!r} không hợp lệ; dùng một trong: "
                           f"{', '.join(INDICATORS)}")
    unit = str(raw.get("unit") or "").strip() or INDICATORS[indicator][1]
    if len(unit) > 40:
        raise InvalidInput("đơn vị tính quá dài")
    district = str(raw.get("district") or "").strip() or None
    if district is not None and district not in districts:
        raise InvalidInput(f"mã huyện {district!r} không tồn tại")
    return Target(ps, pe, activity, indicator, unit, _number(str(raw.get("target", ""))),
                  district)


def check_planner(actor: Actor | None) -> Actor:
    """The actor if it may write targets, outputs and money status (planners, admins)."""
    who = require_actor(actor)
    if who.role not in ("admin", "planner"):
        raise Forbidden("Chỉ cán bộ kế hoạch hoặc quản trị được nhập chỉ tiêu và kết quả")
    return who


def save_target(conn: Connection, actor: Actor | None, target: Target, source: str = "form",
                is_demo: bool = False, trusted: bool = False) -> tuple[int, bool]:
    """Insert or replace the target of the same period/activity/indicator/district;
    returns (id, inserted). TRUSTED (the operator's CLI, demo data) needs no actor."""
    who = actor if trusted or is_demo else check_planner(actor)
    with conn.cursor() as cur:
        cur.execute(_UPSERT, {"ps": target.period_start, "pe": target.period_end,
                              "activity": target.activity, "indicator": target.indicator,
                              "unit": target.unit, "target": target.target,
                              "district": target.district, "is_demo": is_demo,
                              "source": source[:200], "user": who.user_id if who else None})
        row = cur.fetchone()
    assert row is not None
    return int(row[0]), bool(row[1])


def _csv_rows(text: str) -> list[dict[str, str]]:
    """Rows of a CSV text (comma or semicolon), headers mapped to field names."""
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise InvalidInput("tệp CSV trống") from exc
    names = [_HEADERS.get(h.strip().lower()) for h in header]
    missing = [f for f in ("period", "indicator", "target") if f not in names]
    if missing:
        raise InvalidInput(f"tệp CSV thiếu cột: {', '.join(missing)} (cần period, activity, "
                           "indicator, unit, target, district)")
    rows: list[dict[str, str]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        rows.append({n: c for n, c in zip(names, cells, strict=False) if n})
        if len(rows) > MAX_ROWS:
            raise InvalidInput(f"tệp CSV có hơn {MAX_ROWS} dòng")
    return rows


def import_targets(conn: Connection, actor: Actor | None, text: str, source: str = "csv",
                   is_demo: bool = False, cli: bool = False) -> dict[str, int]:
    """Import every row of a targets CSV (all or nothing); counts of inserted and updated.
    From the CLI (the operator) or for demo data no actor is needed."""
    trusted = is_demo or cli
    if not trusted:
        check_planner(actor)
    known = _known(conn)
    checked: list[Target] = []
    for number, raw in enumerate(_csv_rows(text), start=2):
        try:
            checked.append(check_target(conn, raw, known))
        except InvalidInput as exc:
            raise InvalidInput(f"dòng {number}: {exc}") from exc
    inserted = updated = 0
    for t in checked:
        _, new = save_target(conn, actor, t, source, is_demo, trusted)
        inserted += new
        updated += not new
    return {"rows": len(checked), "inserted": inserted, "updated": updated}


def list_targets(conn: Connection, period: tuple[int, int] | None = None,
                 district: str | None = None) -> list[dict[str, Any]]:
    """Targets (overlapping the period; of one district, or all), in a stable order."""
    where: list[str] = ["true"]
    params: dict[str, Any] = {}
    if period:
        where.append("t.period_start <= %(pe)s AND t.period_end >= %(ps)s")
        params.update(ps=period[0], pe=period[1])
    if district:
        where.append("t.district_code = %(d)s")
        params["d"] = district
    with dict_cursor(conn) as cur:
        cur.execute(f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY t.period_start, "
                    "t.period_end DESC, t.district_code NULLS FIRST, t.activity_type NULLS FIRST,"
                    " t.indicator", params)
        rows = [dict(r) for r in cur.fetchall()]
    for r in rows:
        r["indicator_name"] = INDICATORS[r["indicator"]][0]
        r["updated_at"] = r["updated_at"].isoformat()
    return rows


def delete_target(conn: Connection, actor: Actor | None, target_id: int) -> None:
    """Remove one target (planners, admins)."""
    check_planner(actor)
    with conn.cursor() as cur:
        cur.execute("DELETE FROM programme_target WHERE id = %s", (target_id,))
        if cur.rowcount == 0:
            raise NotFound(f"không có chỉ tiêu {target_id}")
