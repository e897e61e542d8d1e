"""Read a need registration sheet: find its header, parse each row, find its establishment.

Rows are skipped, copied, rejected or accepted like the record importers' rows (blank,
numbering, headings and totals rows skipped; an exact copy is a duplicate). A row is rejected,
with a Vietnamese message naming the file, the row and the column, when a required value is
missing or unreadable, when its establishment is not found (or several match), when the
establishment has no district yet, or when a district officer imports it for an establishment
outside their district. Two rows of the same establishment, activity and year are one need:
the second is a duplicate when equal, rejected when it differs. Nothing is written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.accounts.authz import Actor
from geo.core.db import Connection, dict_cursor
from geo.core.errors import InvalidInput
from geo.core.settings import IntakeSettings
from geo.core.textnorm import fold, strip_type
from geo.intake.need_columns import (
    NeedColumns,
    check_need_mapping,
    match_need_columns,
    need_header_score,
    need_label,
    parse_priority,
)
from geo.intake.results import ImportResult, MissingColumns, Progress, RowResult
from geo.intake.rows import BLANK_ROW, PROGRESS_EVERY, row_signature, skip_reason
from geo.intake.sheet_reader import Sheet, cell_text, open_sheet
from geo.intake.values import parse_activity, parse_money, parse_text, parse_year

KIND_PLURAL = "needs"
MAX_DESCRIPTION = 2000


@dataclass(frozen=True)
class Est:
    """An establishment as the needs importer finds it."""

    id: int
    name: str
    district_code: str | None
    commune_code: str | None
    commune: str  # folded commune name without its type word
    district: str
    archived: bool = False  # archived by an import (0013): no new needs for it


@dataclass(frozen=True)
class NeedRow:
    """One accepted row: the need it registers."""

    row: int
    establishment_id: int
    establishment_name: str
    district_code: str
    commune_code: str | None
    values: dict[str, Any]  # activity_type, description, money, desired_year, priority

    @property
    def key(self) -> str:
        """Establishment, activity and year: one need per key."""
        return (f"need:{self.establishment_id}:{self.values['activity_type']}:"
                f"{self.values['desired_year']}")

    def to_json(self) -> dict[str, Any]:
        """As stored with the batch row."""
        return {"establishment_id": self.establishment_id,
                "establishment_name": self.establishment_name,
                "district_code": self.district_code, "commune_code": self.commune_code,
                "values": self.values}

    @classmethod
    def from_json(cls, row: int, data: dict[str, Any]) -> NeedRow:
        """Back from the batch row."""
        return cls(row, int(data["establishment_id"]), str(data["establishment_name"]),
                   str(data["district_code"]), data.get("commune_code"), dict(data["values"]))


_ESTABLISHMENTS = """
SELECT e.id, e.record_key, e.name, e.archived_at IS NOT NULL AS archived,
       CASE WHEN l.precision IN ('exact', 'commune') THEN cu.code END AS commune_code,
       CASE WHEN l.precision IN ('exact', 'commune', 'district')
            THEN COALESCE(cu.parent_code, du.code) END AS district_code,
       cu.name AS commune_name, dn.name AS district_name
FROM establishment e
LEFT JOIN LATERAL (SELECT * FROM location WHERE establishment_id = e.id ORDER BY id LIMIT 1) l
       ON true
LEFT JOIN admin_unit cu ON cu.edition = 'legacy' AND cu.level = 'commune'
                       AND cu.code = l.commune_code
LEFT JOIN admin_unit du ON du.edition = 'legacy' AND du.level = 'district'
                       AND du.code = l.district_code
LEFT JOIN admin_unit dn ON dn.edition = 'legacy' AND dn.code = COALESCE(cu.parent_code, du.code)
"""


def _place(text: str | None) -> str:
    return strip_type(fold(text or ""))


class Directory:
    """The establishments kcmap holds, by id, record code and folded name."""

    def __init__(self, conn: Connection) -> None:
        self.by_id: dict[int, Est] = {}
        self.by_code: dict[str, Est] = {}
        self.by_name: dict[str, list[Est]] = {}
        with dict_cursor(conn) as cur:
            cur.execute(_ESTABLISHMENTS)
            for r in cur.fetchall():
                est = Est(int(r["id"]), str(r["name"]), r["district_code"], r["commune_code"],
                          _place(r["commune_name"]), _place(r["district_name"]),
                          bool(r["archived"]))
                self.by_id[est.id] = est
                self.by_code[str(r["record_key"])] = est
                if not est.archived:  # a name finds live establishments only
                    self.by_name.setdefault(fold(est.name), []).append(est)

    def find(self, ident: str, name: str, commune_typed: str, district_typed: str
             ) -> Est | str:
        """The establishment a row names (commune and district as typed in the file), or a
        message saying why none (or many)."""
        commune = _place(commune_typed) if commune_typed else ""
        district = _place(district_typed) if district_typed else ""
        if ident:
            if ident.isdigit() and int(ident) in self.by_id:
                return self.by_id[int(ident)]
            if ident in self.by_code:
                return self.by_code[ident]
            return f"không có cơ sở mã '{ident}' trong kcmap"
        if not name:
            return "thiếu tên cơ sở (hoặc mã cơ sở)"
        found = self.by_name.get(fold(name), [])
        if commune:
            found = [e for e in found if commune in (e.commune, e.commune_code)]
        if district:
            found = [e for e in found if district in (e.district, e.district_code)]
        if len(found) == 1:
            return found[0]
        where = ", ".join(x for x in (commune_typed and f"xã {commune_typed}",
                                      district_typed and f"huyện {district_typed}") if x)
        if not found:
            return (f"không tìm thấy cơ sở '{name}'" + (f" ({where})" if where else "")
                    + " trong kcmap: nhập cơ sở trước hoặc ghi mã cơ sở")
        return (f"có {len(found)} cơ sở tên '{name}'" + (f" ({where})" if where else "")
                + ": ghi thêm xã, huyện hoặc mã cơ sở")


class _Row:
    """Parsing one sheet row: its cells and the issues found."""

    def __init__(self, file: str, number: int, values: list[object], cols: NeedColumns) -> None:
        self.file, self.number, self.values, self.cols = file, number, values, cols
        self.issues: list[dict[str, str]] = []

    def cell(self, name: str) -> object:
        header = self.cols.by_field.get(name)
        if header is None or header.column >= len(self.values):
            return None
        return self.values[header.column]

    def text(self, name: str) -> str:
        return cell_text(self.cell(name))

    def issue(self, name: str, message: str) -> None:
        where = "" if name == "row" else f", {self.cols.where(name)}"
        entry = {"field": name,
                 "message": f"Tệp {self.file}, dòng {self.number}{where}: {message}"}
        header = self.cols.by_field.get(name)
        if header is not None:
            entry["column"] = f"{header.text} ({header.letter})"
        self.issues.append(entry)

    def money(self, name: str, required: bool) -> int | None:
        try:
            amount = parse_money(self.cell(name), self.cols.multiplier.get(name, 1))
        except ValueError:
            self.issue(name, f"số tiền '{self.text(name)}' không đọc được "
                             "(ví dụ 1.250.000.000 hoặc 1,25 tỷ)")
            return None
        if amount is None and required:
            self.issue(name, "thiếu số tiền")
        return amount if amount is not None else (None if required else 0)


def _parse(row: _Row, codes: set[str]) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    activity_text = row.text("activity_type")
    activity = parse_activity(row.cell("activity_type"), codes)
    if activity is None:
        row.issue("activity_type", f"loại hoạt động '{activity_text}' không nhận ra"
                  if activity_text else "thiếu loại hoạt động")
    out["activity_type"] = activity
    description = parse_text(row.cell("description")) or ""
    if len(description) > MAX_DESCRIPTION:
        row.issue("description", f"dài {len(description)} ký tự, quá {MAX_DESCRIPTION}")
    out["description"] = description
    out["total_cost_vnd"] = row.money("total_cost_vnd", True)
    out["requested_vnd"] = row.money("requested_vnd", True)
    out["counterpart_vnd"] = row.money("counterpart_vnd", False)
    try:
        out["desired_year"] = parse_year(row.cell("desired_year"))
        if out["desired_year"] is None:
            row.issue("desired_year", "thiếu năm đề nghị")
    except ValueError:
        row.issue("desired_year", f"năm '{row.text('desired_year')}' không đọc được (2000–2100)")
    try:
        out["priority"] = parse_priority(row.cell("priority"))
    except ValueError as exc:
        row.issue("priority", str(exc))
    if row.issues:
        return None
    if out["requested_vnd"] + out["counterpart_vnd"] > out["total_cost_vnd"]:
        row.issue("requested_vnd", "kinh phí đề nghị hỗ trợ cộng vốn đối ứng vượt tổng kinh phí")
        return None
    return out


def _establishment(row: _Row, directory: Directory, actor: Actor) -> Est | None:
    found = directory.find(row.text("establishment_id"), row.text("establishment_name"),
                           row.text("commune"), row.text("district"))
    name = "establishment_id" if row.text("establishment_id") else "establishment_name"
    if isinstance(found, str):
        row.issue(name, found)
        return None
    if found.archived:
        row.issue(name, f"cơ sở '{found.name}' đã được lưu trữ (không còn trong danh sách cơ "
                        "sở đã nhập): không đăng ký nhu cầu mới cho cơ sở này")
        return None
    if found.district_code is None:
        row.issue(name, f"cơ sở '{found.name}' chưa có vị trí cấp huyện: rà soát vị trí trước")
        return None
    if actor.role == "district_officer" and found.district_code != actor.district_code:
        row.issue(name, f"cơ sở '{found.name}' không thuộc huyện của bạn: cán bộ huyện chỉ nhập "
                        "nhu cầu của cơ sở trong huyện mình")
        return None
    return found


def _check_columns(sheet: Sheet, cols: NeedColumns) -> None:
    found = ", ".join(f"'{h.text}'" for h in sheet.headers if h.text) or "không có"
    where = f"Tệp {sheet.file}, trang '{sheet.name}'"
    if "establishment_id" not in cols.by_field and "establishment_name" not in cols.by_field:
        raise InvalidInput(f"{where}: thiếu cột '{need_label('establishment_name')}' hoặc "
                           f"'{need_label('establishment_id')}'; các cột có: {found}")
    for name in ("activity_type", "total_cost_vnd", "requested_vnd", "desired_year"):
        if name not in cols.by_field:
            raise InvalidInput(f"{where}: thiếu cột '{need_label(name)}'; các cột có: {found}")


def _columns_report(sheet: Sheet, cols: NeedColumns) -> list[dict[str, str | None]]:
    fields = {h.column: name for name, h in cols.by_field.items()}
    ignored = {h.column for h in cols.ignored}
    return [{"column": h.letter, "header": h.text, "field": fields.get(h.column),
             "note": None if h.column in fields else
             "bỏ qua" if h.column in ignored else "tiêu đề không nhận ra, không dùng"}
            for h in sheet.headers if h.text]


def read_needs(conn: Connection, actor: Actor, path: str | Path, *, sheet: str | None = None,
               mapping: dict[str, str] | None = None, progress: Progress | None = None,
               limits: IntakeSettings | None = None, file_name: str | None = None
               ) -> tuple[ImportResult, list[NeedRow]]:
    """Read one sheet of needs: the row-by-row result and the needs to write."""
    table = check_need_mapping(mapping) if mapping else None
    opened = open_sheet(path, sheet, need_header_score(table), limits)
    if file_name:
        opened.file = file_name
    cols = match_need_columns(opened.headers, table)
    try:
        _check_columns(opened, cols)
    except InvalidInput as exc:  # the page offers to map the columns it found
        raise MissingColumns(str(exc), _columns_report(opened, cols),
                             list(opened.sheet_names)) from exc
    with conn.cursor() as cur:
        cur.execute("SELECT code FROM activity_type")
        codes = {str(c) for (c,) in cur.fetchall()}
    directory = Directory(conn)
    result = ImportResult(KIND_PLURAL, opened.file, opened.name, opened.header_rows,
                          _columns_report(opened, cols))
    result.conversions = list(opened.conversions)
    result.sheets = list(opened.sheet_names)
    needs: list[NeedRow] = []
    by_key: dict[str, NeedRow] = {}
    seen: dict[bytes, int] = {}
    first, done, blank = True, 0, []
    name_col = cols.by_field.get("establishment_name") or cols.by_field.get("establishment_id")
    label_columns = max(2, name_col.column + 1) if name_col is not None else 2
    for number, values in opened.rows:
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, opened.estimated_rows)
        skip = skip_reason(values, first, label_columns)
        if skip is not None and skip[1] == BLANK_ROW:
            blank.append(RowResult(number, "skipped", [{"field": "row", "message": "dòng trống"}]))
            continue
        result.rows.extend(blank)
        blank, first = [], False
        if skip is not None:
            result.rows.append(RowResult(number, "skipped", [{"field": "row",
                                                              "message": skip[1]}]))
            continue
        signature = row_signature(values, set())
        if signature in seen:
            result.rows.append(RowResult(number, "duplicate", [{
                "field": "row", "message": f"dòng {number} chép y hệt dòng {seen[signature]}"}]))
            continue
        seen[signature] = number
        row = _Row(opened.file, number, values, cols)
        est = _establishment(row, directory, actor)
        parsed = _parse(row, codes)
        out = RowResult(number, "rejected", row.issues, name=est.name if est else
                        row.text("establishment_name") or None)
        result.rows.append(out)
        if est is None or parsed is None:
            continue
        assert est.district_code is not None
        need = NeedRow(number, est.id, est.name, est.district_code, est.commune_code, parsed)
        out.record_key, out.commune_code, out.district_code = (need.key, need.commune_code,
                                                               need.district_code)
        other = by_key.get(need.key)
        if other is not None:
            same = other.values == need.values
            out.status = "duplicate" if same else "rejected"
            row.issue("row" if same else "establishment_name",
                      f"cùng cơ sở, loại hoạt động và năm với dòng {other.row}"
                      + ("" if same else " nhưng khác số liệu: gộp hoặc sửa một trong hai dòng"))
            continue
        out.status = "accepted"
        by_key[need.key] = need
        needs.append(need)
    if progress is not None:
        progress(done, done)
    return result, needs
