"""Priority communes (mountainous / disadvantaged): imported from a CSV of legacy codes."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.core.db import Connection, dict_cursor
from geo.core.errors import InvalidInput
from geo.core.textnorm import fold

CODE_HEADERS = ("code", "ma", "ma xa", "ma don vi", "commune code", "commune_code", "ma_xa")
NOTE_HEADERS = ("note", "ghi chu", "loai", "category", "reason", "ly do", "nhom")
MAX_BYTES = 5 * 1024 * 1024
COMMUNE_CODE_DIGITS = 5


@dataclass(frozen=True)
class PriorityRow:
    """One commune code read from the file, with its row number and optional note."""

    row: int
    code: str
    note: str | None


def _code(text: str) -> str:
    """'21052', ' 21052.0 ' (Excel) or '1052' (lost leading zero) -> '21052'-style code."""
    t = text.strip().replace("\ufeff", "")
    if t.endswith(".0") and t[:-2].isdigit():
        t = t[:-2]
    if t.isdigit() and len(t) < COMMUNE_CODE_DIGITS:
        t = t.zfill(COMMUNE_CODE_DIGITS)
    return t


def parse_priority_csv(text: str) -> list[PriorityRow]:
    """Rows of a CSV of commune codes: a header naming the code column, or codes from row 1."""
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [r for r in csv.reader(io.StringIO(text), dialect)]
    if not rows:
        raise InvalidInput("Tệp không có mã xã nào")
    code_col, note_col, start = 0, 1, 0
    header = [fold(c) for c in rows[0]]
    if header and not _code(rows[0][0]).isdigit():
        start = 1
        code_col = next((i for i, h in enumerate(header) if h in CODE_HEADERS), -1)
        if code_col < 0:
            raise InvalidInput("Không có cột mã xã: đặt tên cột là 'code' hoặc 'Mã xã' "
                               "(hoặc để mã ở cột đầu tiên, không có dòng tiêu đề)")
        note_col = next((i for i, h in enumerate(header) if h in NOTE_HEADERS), -1)
    out: list[PriorityRow] = []
    for n, r in enumerate(rows[start:], start + 1):
        if not r or not any(c.strip() for c in r):
            continue
        code = _code(r[code_col]) if code_col < len(r) else ""
        if not code:
            raise InvalidInput(f"Dòng {n}: thiếu mã xã")
        note = r[note_col].strip() if 0 <= note_col < len(r) and r[note_col].strip() else None
        out.append(PriorityRow(n, code, note))
    if not out:
        raise InvalidInput("Tệp không có mã xã nào")
    return out


def read_priority_file(path: Path) -> list[PriorityRow]:
    """Read and parse a UTF-8 CSV (with or without BOM) of commune codes."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{path}: tệp lớn hơn {MAX_BYTES // (1024 * 1024)} MB")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise InvalidInput(f"{path}: không tìm thấy tệp") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: không phải văn bản UTF-8 (hãy lưu CSV dạng UTF-8)") from exc
    return parse_priority_csv(text)


def import_priority(conn: Connection, rows: list[PriorityRow], source_file: str | None = None,
                    replace: bool = True) -> int:
    """Flag the communes of ROWS (replacing all flags unless replace=False); return how many.

    Every code must be a legacy commune, else nothing is written and InvalidInput lists the
    bad rows.
    """
    with conn.cursor() as cur:
        cur.execute("SELECT code FROM admin_unit WHERE edition = 'legacy' AND level = 'commune'")
        known = {r[0] for r in cur.fetchall()}
    bad = [r for r in rows if r.code not in known]
    if bad:
        listed = ", ".join(f"dòng {r.row}: {r.code!r}" for r in bad[:10])
        more = f" và {len(bad) - 10} dòng khác" if len(bad) > 10 else ""
        raise InvalidInput(f"Không phải mã xã (trước 1/7/2025) của Quảng Ngãi: {listed}{more}")
    by_code = {r.code: r.note for r in rows}
    with conn.cursor() as cur:
        if replace:
            cur.execute("DELETE FROM commune_priority")
        for code, note in by_code.items():
            cur.execute(
                "INSERT INTO commune_priority (code, note, source_file) VALUES (%s, %s, %s) "
                "ON CONFLICT (edition, code) DO UPDATE SET note = EXCLUDED.note, "
                "source_file = EXCLUDED.source_file, imported_at = now()",
                (code, note, source_file))
    return len(by_code)


def list_priority(conn: Connection) -> list[dict[str, Any]]:
    """Flagged communes with their names and districts, by code."""
    with dict_cursor(conn) as cur:
        cur.execute("""
            SELECT p.code, u.name, d.name AS district_name, p.note, p.source_file
            FROM commune_priority p
            JOIN admin_unit u ON u.edition = p.edition AND u.code = p.code
            LEFT JOIN admin_unit d ON d.edition = u.edition AND d.code = u.parent_code
            ORDER BY p.code""")
        return [dict(r) for r in cur.fetchall()]


def clear_priority(conn: Connection) -> int:
    """Remove every priority flag; return how many there were."""
    with conn.cursor() as cur:
        cur.execute("DELETE FROM commune_priority")
        return int(cur.rowcount)
