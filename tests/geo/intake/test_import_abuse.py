"""Hostile and broken spreadsheets: refused with a message naming the file, nothing written.

Every malicious file is crafted here, small on disk: a zip entry that inflates a lot, XML
declarations in a part, corrupt deflate data, a sheet with more rows than allowed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from geo.core.errors import InvalidInput
from geo.core.settings import IntakeSettings
from geo.intake import file_limits
from geo.intake.importer import import_file
from geo.intake.store import table_counts

HEADER = ["STT", "Tên cơ sở", "Xã/Phường/TT", "Huyện/TX/TP"]
SHARED = "xl/sharedStrings.xml"
SHEET = "xl/worksheets/sheet1.xml"
LEAKS = ("Traceback", "File \"", "zlib.error", "lxml")


def _workbook(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "DS"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _plain(path: Path) -> Path:
    return _workbook(path, [[1, "Cơ sở Mộc Minh", "Tịnh Hà", "Sơn Tịnh"],
                            [2, "PLACEHOLDER", "Tịnh Hà", "Sơn Tịnh"]])


def _rewrite(src: Path, dst: Path, parts: dict[str, bytes]) -> Path:
    """A copy of the workbook `src` with some parts replaced or added (deflated)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, parts.get(info.filename, zin.read(info.filename)))
        for name, data in parts.items():
            if name not in zin.namelist():
                zout.writestr(name, data)
    return dst


DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" ' \
      b'uniqueCount="1"><si><t>%s</t></si></sst>'


def _shared(src: Path, dst: Path, text: bytes, prolog: bytes = DECL,
            encoding: str = "utf-8") -> Path:
    """`src` (from _plain) with cell B3 as shared string 0 holding `text` (as Excel does)."""
    sheet = _part(src, SHEET).replace(
        b'<c r="B3" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>', b'<c r="B3" t="s"><v>0</v></c>')
    assert b'<v>0</v>' in sheet
    types = _part(src, "[Content_Types].xml").replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    rels = _part(src, "xl/_rels/workbook.xml.rels").replace(b"</Relationships>", (
        b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    shared = (prolog + SST % text).decode("utf-8").encode(encoding)
    return _rewrite(src, dst, {SHEET: sheet, "[Content_Types].xml": types,
                               "xl/_rels/workbook.xml.rels": rels, SHARED: shared})


def _part(src: Path, name: str) -> bytes:
    with zipfile.ZipFile(src) as z:
        return z.read(name)


def _refused(conn: Any, path: Path, *words: str,
             limits: IntakeSettings | None = None) -> str:
    counts = table_counts(conn)
    with pytest.raises(InvalidInput) as caught:
        import_file(conn, "establishments", path, limits=limits)
    message = str(caught.value)
    assert path.name in message
    for word in words:
        assert word in message, (word, message)
    assert table_counts(conn) == counts
    return message


def test_corrupt_deflate_is_refused(conn: Any, tmp_path: Path) -> None:
    path = _plain(tmp_path / "hong.xlsx")
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 5, start + info.compress_size - 5):
        raw[i] ^= 0x5A  # scramble the deflate stream of the sheet
    path.write_bytes(bytes(raw))
    _refused(conn, path, "không có gì được ghi")


def test_not_a_zip_at_all(conn: Any, tmp_path: Path) -> None:
    path = tmp_path / "gia.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    _refused(conn, path)


def test_xxe_workbook_is_refused(conn: Any, tmp_path: Path) -> None:
    src = _plain(tmp_path / "src.xlsx")
    path = _shared(src, tmp_path / "xxe.xlsx", b"&xxe;", DECL + (
        b'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))
    _refused(conn, path, "DOCTYPE/ENTITY", SHARED)


def test_billion_laughs_is_refused(conn: Any, tmp_path: Path) -> None:
    src = _plain(tmp_path / "src.xlsx")
    entities = b'<!ENTITY l0 "ha">' + b"".join(
        b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
    sheet = DECL + b"<!DOCTYPE worksheet [" + entities + b"]>" + _part(src, SHEET).replace(
        b"PLACEHOLDER", b"&l9;")
    path = _rewrite(src, tmp_path / "cuoi.xlsx", {SHEET: sheet})
    _refused(conn, path, "DOCTYPE/ENTITY", SHEET)


def test_doctype_without_xml_declaration_and_utf16_are_refused(conn: Any,
                                                               tmp_path: Path) -> None:
    src = _plain(tmp_path / "src.xlsx")
    path = _shared(src, tmp_path / "dtd.xlsx", b"x", b"<!DOCTYPE sst>")
    _refused(conn, path, "DOCTYPE/ENTITY")
    path = _shared(src, tmp_path / "u16.xlsx", b"x", DECL.replace(b"UTF-8", b"UTF-16"),
                   "utf-16")
    _refused(conn, path, "UTF-8")
    path = _shared(src, tmp_path / "u7.xlsx", b"x", DECL.replace(b"UTF-8", b"UTF-7"))
    _refused(conn, path, "UTF-7")
    fine = _shared(src, tmp_path / "ok.xlsx", "Cơ sở B".encode())  # the same, well-formed
    assert import_file(conn, "establishments", fine).summary()["accepted"] == 2


def test_shared_string_bomb_is_refused_by_ratio(conn: Any, tmp_path: Path) -> None:
    src = _plain(tmp_path / "src.xlsx")
    path = _shared(src, tmp_path / "bom_chuoi.xlsx", b"A" * 20_000_000)
    assert path.stat().st_size < 60_000  # 23 KB-ish on disk, 20 MB inside
    _refused(conn, path, SHARED, "bom nén")


def test_long_cell_is_refused_naming_row_and_column(conn: Any, tmp_path: Path) -> None:
    src = _plain(tmp_path / "src.xlsx")
    path = _shared(src, tmp_path / "o_dai.xlsx", b"A" * 20_000_000)
    lax = IntakeSettings(import_max_ratio=100_000)  # the ratio alone would stop it first
    _refused(conn, path, "dòng 3, cột B", "20000000 ký tự", limits=lax)


def test_unzipped_size_limit(conn: Any, tmp_path: Path) -> None:
    src = _plain(tmp_path / "src.xlsx")
    path = _shared(src, tmp_path / "to.xlsx", bytes(range(65, 91)) * 100_000)
    _refused(conn, path, "KCMAP_IMPORT_MAX_UNZIPPED_MB",
             limits=IntakeSettings(import_max_unzipped_mb=1, import_max_ratio=100_000))


def test_too_many_rows_refused_before_reading(conn: Any, tmp_path: Path) -> None:
    rows = [[i, f"Cơ sở {i}", "Tịnh Hà", "Sơn Tịnh"] for i in range(1, 301)]
    src = _workbook(tmp_path / "src.xlsx", rows)
    sheet = _part(src, SHEET)
    start = sheet.index(b"<dimension")
    no_dimension = sheet[:start] + sheet[sheet.index(b">", start) + 1:]
    path = _rewrite(src, tmp_path / "nhieu_dong.xlsx", {SHEET: no_dimension})
    _refused(conn, path, "KCMAP_IMPORT_MAX_ROWS", "trang 'DS'",
             limits=IntakeSettings(import_max_rows=100))


def test_million_row_sheet_is_refused(conn: Any, tmp_path: Path) -> None:
    src = _plain(tmp_path / "src.xlsx")
    sheet = _part(src, SHEET)
    end = sheet.index(b"</sheetData>")
    # one million empty <row/> elements after the real ones: 6 MB inside, a small zip
    bulk = b"<row/>" * 1_000_000
    path = _rewrite(src, tmp_path / "trieu_dong.xlsx", {SHEET: sheet[:end] + bulk + sheet[end:]})
    assert path.stat().st_size < 100_000
    _refused(conn, path, "1000003 dòng", "200000",
             limits=IntakeSettings(import_max_ratio=100_000))


def test_csv_row_limit_and_long_field(conn: Any, tmp_path: Path) -> None:
    path = tmp_path / "nhieu.csv"
    lines = [",".join(HEADER)] + [f"{i},Cơ sở {i},Tịnh Hà,Sơn Tịnh" for i in range(1, 60)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _refused(conn, path, "KCMAP_IMPORT_MAX_ROWS", limits=IntakeSettings(import_max_rows=20))
    huge = tmp_path / "o_rat_dai.csv"
    huge.write_text(",".join(HEADER) + "\n1," + "B" * 200_000 + ",Tịnh Hà,Sơn Tịnh\n",
                    encoding="utf-8")
    _refused(conn, huge, "dòng 2")


def test_time_budget(conn: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [[i, f"Cơ sở {i}", "Tịnh Hà", "Sơn Tịnh"] for i in range(1, 600)]
    path = _workbook(tmp_path / "cham.xlsx", rows)
    clock = iter(range(0, 10**6, 100))  # every look at the clock: 100 s later
    monkeypatch.setattr(file_limits.time, "monotonic", lambda: float(next(clock)))
    _refused(conn, path, "KCMAP_IMPORT_MAX_SECONDS", limits=IntakeSettings(import_max_seconds=60))


def test_over_long_fields_reject_the_row_naming_the_field(conn: Any, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "dai.xlsx", [
        [1, "Cơ sở Mộc Minh", "Tịnh Hà", "Sơn Tịnh"],
        [2, "N" * 301, "Tịnh Hà", "Sơn Tịnh"],
        [3, "Cơ sở Gốm", "X" * 201, "Sơn Tịnh"],
        [4, "Cơ sở " + "đ" * 294, "Tịnh Hà", "Sơn Tịnh"],  # exactly 300: accepted
    ])
    counts = table_counts(conn)
    result = import_file(conn, "establishments", path)
    rows = {r.row: r for r in result.rows}
    assert rows[3].status == "rejected"
    assert [(i["field"], "301 ký tự" in i["message"]) for i in rows[3].issues] == [
        ("name", True)]
    assert rows[4].status == "rejected" and rows[4].issues[0]["field"] == "commune"
    assert rows[2].status == "accepted" and rows[5].status == "accepted"
    assert table_counts(conn)["establishment"] == counts["establishment"] + 2
    with conn.cursor() as cur:
        cur.execute("SELECT max(length(name)) FROM establishment")
        row = cur.fetchone()
    assert row is not None and row[0] == 300


def test_cli_import_of_a_bomb_exits_non_zero_without_traceback(
        conn: Any, database: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli import imports as cli_import

    monkeypatch.setattr(cli_import, "database_from_env", lambda *a, **k: database)
    src = _plain(tmp_path / "src.xlsx")
    bomb = _shared(src, tmp_path / "bom.xlsx", b"A" * 20_000_000)
    xxe = _shared(src, tmp_path / "xxe.xlsx", b"&e;", DECL + (
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'))
    counts = table_counts(conn)
    runner = CliRunner()
    for path in (bomb, xxe):
        res = runner.invoke(cli_import.app, ["establishments", str(path)])
        assert res.exit_code == 1, res.output
        assert path.name in res.output
        for leak in LEAKS:
            assert leak not in res.output
        assert len(res.output.strip().splitlines()) == 1
    assert table_counts(conn) == counts
