"""Every issue the importer puts in rows is Vietnamese: the API preview of messy files
(establishments and projects), the CLI's lines and its JSON report. No English word, no
sentence without a Vietnamese letter."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from typer.testing import CliRunner

from tests.api.test_imports_api import upload
from tests.geo.intake.test_importers import (
    MESSY_HEADER_LOWER,
    MESSY_HEADER_UPPER,
    messy_rows,
    places,
)

__all__ = ["places"]
ENGLISH = {
    "not", "missing", "invalid", "unknown", "ambiguous", "column", "row", "rows", "blank",
    "empty", "required", "stored", "position", "address", "point", "coordinates",
    "coordinate", "number", "amount", "year", "swapped", "outside", "province", "commune",
    "district", "found", "used", "kept", "the", "of", "and", "or", "is", "are", "from",
    "with", "without", "cannot", "left", "same", "record", "merge", "rename", "copy",
    "heading", "totals", "numbering", "spelling", "corrected", "boundary", "boundaries",
    "approximate", "converted", "metres", "reviewed", "inferred", "title", "unit", "units",
    "several", "equally", "rejected", "duplicate", "skipped", "accepted", "new", "updated",
    "unchanged", "batch", "undo", "readable", "mix", "degrees", "placed", "only", "settles",
    "names", "lies", "but", "recognised", "moved", "former", "exact", "whole", "negative",
    "split", "latitude", "longitude", "funding", "source", "status", "activity", "type",
    "other", "section", "more", "report", "sheet", "header",
}
WORD = re.compile(r"[A-Za-z]+")


def english_words(text: str) -> set[str]:
    """ASCII words of TEXT that are English words of the list."""
    return {w.lower() for w in WORD.findall(text)} & ENGLISH


def check_issue(message: str, where: str) -> None:
    assert not english_words(message), (where, message)
    assert not message.isascii(), (where, message)  # a sentence with Vietnamese letters


def messy_sheet(path: Path, p: dict[str, Any]) -> Path:
    """The messy establishments (one header row) with more troubles before the totals row."""
    th = p["21220"]
    rows = messy_rows(p)
    more = [
        [11, "Cơ sở A1", None, "Mộc", None, "Xã Không Có", None, "abc", "108.8", 3, None, None],
        [12, "Cơ sở A2", None, "Mộc", "Phường Bến Nghé", "Quận 1", "TP Hồ Chí Minh", None,
         None, 2, None, None],
        [13, "Cơ sở A3", None, "Mộc", None, th["commune"][:-1], th["district"], None, None, 2,
         None, None],
        [14, "Cơ sở A4", None, "Mộc", None, None, None, "21.0285", "105.8542", 2, None, None],
        [15, "Cơ sở A5", None, "Mộc", None, None, None, "15.12", "585791", 2, None, None],
        [16, "Cơ sở A6", None, "Mộc", None, th["commune"], th["district"], None, None, "-5",
         None, None],
        [17, "Cơ sở A7", None, "Mộc", None, th["commune"], th["district"], None, None,
         "5 hoặc 6", None, None],
        [18, "Cơ sở A8", None, "Mộc", None, None, th["district"], None, None, 2, None, None],
        ["II. Huyện Trà Bồng", None, None, None, None, None, None, None, None, None, None,
         None],
        [19, "Cơ sở A9", None, "Mộc", None, "Tịnh Hà", None, "15°07'99\"N", "108°48'E", 2, None,
         None],
        [20, "Cơ sở A10", None, "Mộc", None, None, None, None, None, 2, None, None],
        [21, "Cơ sở A1", None, "Mộc", None, "Xã Không Có", None, "abc", "108.8", 4, None, None],
    ]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "DS co so"
    ws.append([h or "" for h in MESSY_HEADER_UPPER[:4]] + MESSY_HEADER_LOWER[4:9]
              + MESSY_HEADER_UPPER[9:])
    for row in [*rows[:-1], *more, rows[-1]]:
        ws.append(row)
    wb.save(path)
    return path


def projects_csv(path: Path) -> Path:
    path.write_text(
        "Nội dung/Tên đề án;Năm;Kinh phí (triệu đồng);Vốn đối ứng;Nguồn vốn;Loại hoạt động;"
        "Đơn vị thụ hưởng;Tình trạng;Xã/Phường/TT;Huyện/TX/TP\n"
        "Đề án sai năm;20x3;100;;KCQG;Đào tạo nghề;;;Tịnh Hà;Sơn Tịnh\n"
        "Đề án vốn lạ;2023;100;;Ngân hàng;Đào tạo nghề;;;Tịnh Hà;Sơn Tịnh\n"
        "Đề án tình trạng lạ;2023;100;;KCQG;Đào tạo nghề;;Lung tung;Tịnh Hà;Sơn Tịnh\n"
        "Đào tạo nghề mây tre;2023;100;;KCQG;;;;Tịnh Hà;Sơn Tịnh\n"
        "Đề án hoạt động lạ;2023;100;;KCQG;Múa hát;;;Tịnh Hà;Sơn Tịnh\n"
        "Đề án tiền âm;2023;-100;;KCQG;Đào tạo nghề;;;Tịnh Hà;Sơn Tịnh\n"
        "Đề án thiếu vốn;2023;100;;;Đào tạo nghề;;;Tịnh Hà;Sơn Tịnh\n"
        "Đề án năm xa;1850;100;;KCQG;Đào tạo nghề;;;Tịnh Hà;Sơn Tịnh\n"
        "Đề án tiền lạ;2023;một trăm;;KCQG;Đào tạo nghề;;;Tịnh Hà;Sơn Tịnh\n"
        ";2023;100;;KCQG;Đào tạo nghề;;;Tịnh Hà;Sơn Tịnh\n"
        "Cộng;;1.000;;;;;;;\n",
        encoding="utf-8-sig")
    return path


def test_preview_issues_are_vietnamese(client: Any, bearer: Any, places: dict[str, Any],
                                       tmp_path: Path) -> None:
    planner = bearer("planner")
    seen = 0
    for kind, path in (("establishments", messy_sheet(tmp_path / "co_so_loi.xlsx", places)),
                       ("projects", projects_csv(tmp_path / "de_an_loi.csv"))):
        batch = upload(client, planner, path, kind=kind)
        assert batch["status"] == "ready", batch
        statuses = {r["status"] for r in batch["rows"]}
        assert {"accepted", "rejected", "skipped"} <= statuses, (kind, statuses)
        for row in batch["rows"]:
            for issue in row["issues"]:
                check_issue(issue["message"], f"{kind} row {row['row']}")
                seen += 1
    assert seen >= 30  # the files do carry many troubles


def test_cli_lines_and_report_are_vietnamese(conn: Any, database: Any, places: dict[str, Any],
                                             tmp_path: Path, monkeypatch: Any) -> None:
    from api.cli import imports as cli_import

    monkeypatch.setattr(cli_import, "database_from_env", lambda *a, **k: database)
    path = messy_sheet(tmp_path / "co_so_loi.xlsx", places)
    report = tmp_path / "bao_cao.json"
    res = CliRunner().invoke(cli_import.app, ["establishments", str(path), "--report",
                                              str(report)])
    assert res.exit_code == 0, res.output
    lines = [line for line in res.output.splitlines() if line.startswith("dòng ")]
    assert len(lines) >= 15, res.output
    for line in lines:
        check_issue(line, "CLI")
    data = json.loads(report.read_text(encoding="utf-8"))
    messages = [i["message"] for r in data["rows"] for i in r["issues"]]
    assert len(messages) >= 15
    for message in messages:
        check_issue(message, "report")


def test_needs_issues_are_vietnamese(conn: Any, tmp_path: Path) -> None:
    """The districts' needs spreadsheets: every row issue of a troubled file is Vietnamese."""
    from geo.intake.importer import import_needs_file
    from tests.geo.intake.test_need_import import district_rows, district_world, needs_workbook

    w = district_world(conn)
    more = [
        [11, None, "Cơ sở NI-B", None, None, "x", "Loại lạ", 10, 5, 5, 2026, None, None],
        [12, None, "Cơ sở NI-B", None, None, "x", "Tập huấn", -10, 5, 5, 2026, None, None],
        [13, None, "Cơ sở NI-B", None, None, "x", "Tập huấn", 10, 5, 5, 1890, "gấp", None],
        [14, None, None, None, None, "x", "Tập huấn", 10, 5, 5, 2026, None, None],
        [15, "NI-KHONG", None, None, None, "x", "Tập huấn", 10, None, 5, 2026, None, None],
    ]
    rows = district_rows(w)
    path = needs_workbook(tmp_path / "nhu_cau_loi.xlsx", rows[:-1] + more + rows[-1:])
    result = import_needs_file(conn, path, dry_run=True)
    statuses = {r.status for r in result.rows}
    assert {"accepted", "rejected", "duplicate", "skipped"} <= statuses
    messages = [(r.row, i["message"]) for r in result.rows for i in r.issues]
    for row, message in messages:
        check_issue(message, f"needs row {row}")
    assert len({row for row, _ in messages}) >= 10  # most rows carry a trouble
    # a place named in a message is written as the file has it, not in its folded search form
    assert any("(huyện Bình Sơn)" in m for _, m in messages), messages
    assert not any("binh son" in m for _, m in messages), messages
