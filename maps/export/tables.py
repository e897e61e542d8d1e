"""CSV and XLSX downloads of the indicator table and the underserved ranking."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from maps.export.labels import label


@dataclass(frozen=True)
class Column:
    """A column of a download: property key, Vietnamese header, kind of value."""

    key: str
    header: str
    kind: str = "text"  # text | int | vnd | share | score | bool


INDICATOR_COLUMNS = (
    Column("code", "Mã đơn vị"), Column("name", "Tên đơn vị"), Column("type", "Loại"),
    Column("district_code", "Mã huyện"), Column("district_name", "Huyện"),
    Column("priority", "Xã ưu tiên", "bool"),
    Column("support_vnd", "Kinh phí khuyến công (đ)", "vnd"),
    Column("direct_vnd", "Trong đó: đề án tại xã/huyện (đ)", "vnd"),
    Column("spread_vnd", "Trong đó: chia từ đề án cấp huyện (đ)", "vnd"),
    Column("counterpart_vnd", "Vốn đối ứng (đ)", "vnd"),
    Column("projects", "Số đề án", "int"),
    Column("beneficiaries", "Số đối tượng thụ hưởng", "int"),
    Column("establishments", "Số cơ sở CNNT", "int"), Column("workers", "Số lao động", "int"),
    Column("craft_villages", "Số làng nghề", "int"),
    Column("beneficiary_establishments", "Số cơ sở được hỗ trợ", "int"),
    Column("beneficiary_share", "Tỷ lệ cơ sở được hỗ trợ", "share"),
    Column("vnd_per_establishment", "Kinh phí bình quân một cơ sở (đ)", "vnd"),
    Column("vnd_per_worker", "Kinh phí bình quân một lao động (đ)", "vnd"),
    Column("boundary_quality", "Ranh giới"),
)
UNALLOCATED_COLUMNS = (
    Column("district_code", "Mã huyện"), Column("district_name", "Huyện"),
    Column("reason", "Lý do"), Column("kc_vnd", "Kinh phí khuyến công chưa phân bổ (đ)", "vnd"),
    Column("counterpart_vnd", "Vốn đối ứng chưa phân bổ (đ)", "vnd"),
    Column("projects", "Số đề án", "int"), Column("establishments", "Số cơ sở CNNT", "int"),
)
GAP_COLUMNS = (
    Column("rank", "Hạng", "int"), Column("code", "Mã xã"), Column("name", "Tên xã"),
    Column("district_code", "Mã huyện"), Column("district_name", "Huyện"),
    Column("priority", "Xã ưu tiên", "bool"), Column("priority_note", "Ghi chú ưu tiên"),
    Column("establishments", "Số cơ sở CNNT (E)", "int"),
    Column("workers", "Số lao động (L)", "int"),
    Column("craft_villages", "Số làng nghề (V)", "int"),
    Column("support_vnd", "Kinh phí khuyến công (K, đ)", "vnd"),
    Column("projects", "Số đề án", "int"),
    Column("need_share", "Tỷ trọng nhu cầu N", "score"),
    Column("support_share", "Tỷ trọng kinh phí S", "score"),
    Column("score", "Điểm thiếu hỗ trợ", "score"),
    Column("no_support", "Chưa được hỗ trợ", "bool"),
)
_DISTRICT_DROPS = ("district_code", "district_name", "priority", "priority_note")


def gap_columns(level: str = "commune", edition: str = "legacy") -> tuple[Column, ...]:
    """The ranking's columns for its units: legacy communes, legacy districts (no district
    columns, no priority list) or 2025 communes (the former units instead of a district)."""
    if edition == "2025":
        out: list[Column] = []
        for c in GAP_COLUMNS:
            if c.key in ("district_code", "district_name"):
                continue
            if c.key == "code":
                c = Column("code", "Mã xã (từ 1/7/2025)")
            out.append(c)
            if c.key == "name":
                out.append(Column("former", "Gồm các đơn vị trước 1/7/2025"))
        return tuple(out)
    if level == "district":
        names = {"code": "Mã huyện", "name": "Tên huyện"}
        return tuple(Column(c.key, names[c.key]) if c.key in names else c
                     for c in GAP_COLUMNS if c.key not in _DISTRICT_DROPS)
    return GAP_COLUMNS


REASONS = {"no_district": "Không xác định được huyện (cấp tỉnh, chưa có vị trí)",
           "no_communes": "Huyện không có đơn vị cấp xã",
           "no_weights": "Huyện không có cơ sở CNNT để chia theo",
           "district_precision": "Đề án chỉ xác định đến cấp huyện"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell_text(value: Any, kind: str, key: str = "") -> Any:
    """A value for CSV: plain numbers, 'có'/'không', text safe from formula injection."""
    if value is None:
        return ""
    if kind == "bool":
        return "có" if value else "không"
    if isinstance(value, str):
        value = label(key, value)
        assert isinstance(value, str)
        return "'" + value if value.startswith(_FORMULA_START) else value
    return value


def to_csv(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]]) -> bytes:
    """UTF-8 CSV with BOM (Excel opens Vietnamese text right), one header row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for r in rows:
        writer.writerow([_cell_text(r.get(c.key), c.kind, c.key) for c in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


FORMATS = {"vnd": "#,##0", "int": "#,##0", "share": "0.0%", "score": "0.0000"}


def _xlsx_cell(ws: WriteOnlyWorksheet, value: Any, kind: str, key: str = "") -> WriteOnlyCell:
    """A typed cell: numbers stay numbers, codes become labels, text is never a formula."""
    if kind == "bool" and value is not None:
        value = "có" if value else "không"
    value = label(key, value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif kind in FORMATS and value is not None:
        cell.number_format = FORMATS[kind]
    return cell


def _shown_width(value: Any, kind: str) -> int:
    """About how many characters a value takes once formatted (thousands separators)."""
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int | float) and kind in ("vnd", "int"):
        return len(f"{value:,.0f}")
    if isinstance(value, float):
        return 10
    return len(str(value))


def _widths(columns: Sequence[Column], rows: Sequence[Mapping[str, Any]]) -> list[float]:
    """Column widths that show the header and the values (amounts never as ####)."""
    widths = []
    for c in columns:
        longest = max((_shown_width(label(c.key, r.get(c.key)), c.kind) for r in rows),
                      default=0)
        widths.append(min(60.0, max(8.0, min(len(c.header), 30) + 2.0, longest + 3.0)))
    return widths


def _sheet(wb: Workbook, title: str, columns: Sequence[Column],
           rows: Sequence[Mapping[str, Any]]) -> None:
    """A sheet with a bold, frozen, filterable header row, fitted widths, one row per record."""
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    for i, width in enumerate(_widths(columns, rows), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(columns)))}{len(rows) + 1}"
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=c.header)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for r in rows:
        ws.append([_xlsx_cell(ws, r.get(c.key), c.kind, c.key) for c in columns])


def _notes_sheet(wb: Workbook, title: str, lines: Sequence[tuple[str, Any]]) -> None:
    """A two-column sheet of labelled values (filter, totals, formula)."""
    ws = wb.create_sheet(title)
    ws.column_dimensions["A"].width = min(60, max((len(n) for n, _ in lines), default=10) + 2)
    ws.column_dimensions["B"].width = 80
    for name, value in lines:
        kind = "vnd" if isinstance(value, int) and not isinstance(value, bool) else "text"
        ws.append([_xlsx_cell(ws, name, "text"), _xlsx_cell(ws, value, kind)])


def to_xlsx(sheets: Sequence[tuple[str, Sequence[Column], Sequence[Mapping[str, Any]]]],
            notes: tuple[str, Sequence[tuple[str, Any]]] | None = None) -> bytes:
    """An .xlsx workbook of table sheets and an optional notes sheet."""
    wb = Workbook(write_only=True)
    for title, columns, rows in sheets:
        _sheet(wb, title, columns, rows)
    if notes:
        _notes_sheet(wb, notes[0], notes[1])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def unallocated_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Unallocated rows with the reason in words."""
    return [dict(r, reason=REASONS.get(str(r.get("reason")), r.get("reason"))) for r in rows]
