"""Needs imported from a district's registration workbook (made here, Vietnamese headers):
establishments found by id, code or name and commune, errors naming file, row and column in
Vietnamese, re-imports without duplicates that keep people's edits, strict, dry run, the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from geo.accounts.authz import Actor
from geo.core.errors import InvalidInput
from geo.cycle.needs import patch_need
from geo.intake.importer import import_needs_file
from geo.intake.results import ImportAborted
from tests.world import BINH_SON, EVIL, SON_TINH, add_establishment, communes_of, one

HEADER = ["STT", "Mã cơ sở", "Tên cơ sở", "Xã/Phường/TT", "Huyện/TX/TP", "Nội dung hỗ trợ",
          "Loại hoạt động", "Tổng kinh phí (triệu đồng)",
          "Kinh phí khuyến công đề nghị (triệu đồng)", "Vốn đối ứng (triệu đồng)", "Năm",
          "Ưu tiên", "Ghi chú"]
PLANNER = Actor(0, "kcmap-cli", "admin")


def needs_workbook(path: Path, rows: list[list[Any]]) -> Path:
    """Title, blank line, one header row, then the rows (as a district office sends it)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Nhu cau 2026"
    ws.append(["DANH SÁCH ĐĂNG KÝ NHU CẦU HỖ TRỢ KHUYẾN CÔNG NĂM 2026"])
    ws.append([])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def commune_name(conn: Any, code: str) -> str:
    return str(one(conn, "SELECT name FROM admin_unit WHERE edition = 'legacy' AND code = %s",
                   (code,)))


def district_world(conn: Any) -> dict[str, Any]:
    """Establishments of Bình Sơn (one with a hostile name, two namesakes) and one of Sơn Tịnh."""
    ids = {k: add_establishment(conn, f"NI-{k}", BINH_SON, commune_index=i)
           for i, k in enumerate(("A", "B", "C", "D1", "D2"))}
    ids["S"] = add_establishment(conn, "NI-S", SON_TINH)
    with conn.cursor() as cur:
        cur.execute("UPDATE establishment SET name = %s WHERE id = %s", (EVIL, ids["A"]))
        cur.execute("UPDATE establishment SET name = 'Cơ sở trùng tên' WHERE id = ANY(%s)",
                    ([ids["D1"], ids["D2"]],))
    communes = communes_of(conn, BINH_SON)
    return {"ids": ids, "commune_a": commune_name(conn, communes[0]),
            "commune_d2": commune_name(conn, communes[4]),
            "commune_s": commune_name(conn, communes_of(conn, SON_TINH)[0])}


def district_rows(w: dict[str, Any]) -> list[list[Any]]:
    ids = w["ids"]
    return [
        [1, None, EVIL, w["commune_a"], "Huyện Bình Sơn", EVIL, "Ứng dụng máy móc thiết bị",
         900, 300, 600, 2026, "Cao", None],                                          # row 4
        [2, ids["B"], None, None, None, "Đào tạo thợ đan", "Đào tạo nghề", 1200, 400, 800,
         "Năm 2026", "Trung bình", None],                                            # row 5
        [3, "NI-C", None, None, None, "Gian hàng hội chợ", "Hội chợ, triển lãm", 100, 50,
         None, 2026, "Thấp", None],                                                  # row 6
        [4, None, "Cơ sở không có", None, "Bình Sơn", "x", "Đào tạo nghề", 10, 5, 5, 2026,
         None, None],                                                                # row 7
        [5, None, "Cơ sở NI-B", None, None, "x", "Tập huấn", "mười triệu", 5, 0, 2026, None,
         None],                                                                      # row 8
        [6, None, "Cơ sở NI-B", None, None, "x", "Tập huấn", 10, 8, 5, 2026, None, None],  # 9
        [1, None, EVIL, w["commune_a"], "Huyện Bình Sơn", EVIL, "Ứng dụng máy móc thiết bị",
         900, 300, 600, 2026, "Cao", None],                                          # row 10
        [7, None, EVIL, w["commune_a"], "Huyện Bình Sơn", EVIL, "Ứng dụng máy móc thiết bị",
         900, 350, 550, 2026, "Cao", None],                                          # row 11
        [8, None, "Cơ sở NI-S", w["commune_s"], "Sơn Tịnh", "Máy sấy", "Máy móc", 500, 200,
         300, 2026, "cao", None],                                                    # row 12
        [9, None, "Cơ sở trùng tên", None, "Bình Sơn", "x", "Đào tạo nghề", 10, 5, 5, 2026,
         None, None],                                                                # row 13
        [10, None, "Cơ sở trùng tên", w["commune_d2"], None, "y", "Đào tạo nghề", 10, 5, 5,
         2026, None, None],                                                          # row 14
        [None, None, "Tổng cộng", None, None, None, None, 3620, 1318, None, None, None, None],
    ]


def _rows(result: Any) -> dict[int, Any]:
    return {r.row: r for r in result.rows}


def test_workbook_rows_and_vietnamese_errors(conn: Any, tmp_path: Path) -> None:
    w = district_world(conn)
    path = needs_workbook(tmp_path / "nhu_cau_binh_son.xlsx", district_rows(w))
    result = import_needs_file(conn, path)
    rows = _rows(result)
    assert {n: r.status for n, r in rows.items()} == {
        4: "accepted", 5: "accepted", 6: "accepted", 7: "rejected", 8: "rejected",
        9: "rejected", 10: "duplicate", 11: "rejected", 12: "accepted", 13: "rejected",
        14: "accepted", 15: "skipped"}
    assert result.written.inserted == 5
    ids = w["ids"]
    with conn.cursor() as cur:
        cur.execute("SELECT establishment_id, activity_type, description, total_cost_vnd, "
                    "requested_vnd, counterpart_vnd, desired_year, priority, status "
                    "FROM support_need ORDER BY id")
        got = cur.fetchall()
    assert got == [
        (ids["A"], "machinery", EVIL, 900_000_000, 300_000_000, 600_000_000, 2026, "high",
         "registered"),
        (ids["B"], "training", "Đào tạo thợ đan", 1_200_000_000, 400_000_000, 800_000_000,
         2026, "medium", "registered"),
        (ids["C"], "trade_fair", "Gian hàng hội chợ", 100_000_000, 50_000_000, 0, 2026, "low",
         "registered"),
        (ids["S"], "machinery", "Máy sấy", 500_000_000, 200_000_000, 300_000_000, 2026, "high",
         "registered"),
        (ids["D2"], "training", "y", 10_000_000, 5_000_000, 5_000_000, 2026, "medium",
         "registered")]

    def message(n: int) -> str:
        return " | ".join(i["message"] for i in rows[n].issues)

    assert "Tệp nhu_cau_binh_son.xlsx, dòng 7" in message(7)
    assert "không tìm thấy cơ sở 'Cơ sở không có'" in message(7)
    assert "dòng 8, cột 'Tổng kinh phí (triệu đồng)' (H)" in message(8)
    assert "không đọc được" in message(8)
    assert "vượt tổng kinh phí" in message(9)
    assert "chép y hệt dòng 4" in message(10)
    assert "cùng cơ sở, loại hoạt động và năm với dòng 4" in message(11)
    assert "có 2 cơ sở tên 'Cơ sở trùng tên'" in message(13)
    assert rows[4].name == EVIL and rows[4].district_code == BINH_SON
    assert one(conn, "SELECT count(*) FROM audit_log WHERE entity = 'support_need' "
                     "AND action = 'import' AND batch_id = %s", (result.batch_id,)) == 5
    report = json.dumps(result.to_dict(), ensure_ascii=False)
    assert "Kinh phí khuyến công đề nghị" in report


def test_reimport_adds_nothing_and_keeps_edits(conn: Any, tmp_path: Path,
                                               make_user: Any) -> None:
    w = district_world(conn)
    rows = district_rows(w)
    path = needs_workbook(tmp_path / "nhu_cau.xlsx", rows)
    import_needs_file(conn, path)
    count = one(conn, "SELECT count(*) FROM support_need")
    again = import_needs_file(conn, path)
    assert one(conn, "SELECT count(*) FROM support_need") == count == 5
    assert (again.written.inserted, again.written.updated, again.written.unchanged) == (0, 0, 5)
    assert {r.action for r in again.rows if r.status == "accepted"} == {"unchanged"}

    # a district officer corrects the requested amount of B's need; the planner shortlists C's
    officer = make_user("district_officer", BINH_SON)
    b_need = one(conn, "SELECT id FROM support_need WHERE establishment_id = %s",
                 (w["ids"]["B"],))
    patch_need(conn, officer, b_need, 1, {"requested_vnd": 350_000_000})
    c_need = one(conn, "SELECT id FROM support_need WHERE establishment_id = %s",
                 (w["ids"]["C"],))
    patch_need(conn, officer, c_need, 1, {"status": "declined", "decline_reason": "Trùng"})
    rows[1][8], rows[1][5] = 380, "Đào tạo thợ đan mây"  # the file changes both
    rows[2][7] = 120  # C's need is declined: the file's new total is not applied
    changed = import_needs_file(conn, needs_workbook(tmp_path / "nhu_cau.xlsx", rows))
    by_row = _rows(changed)
    assert by_row[5].changes == ["description"] and by_row[5].conflicts[0]["field"] == \
        "requested_vnd"
    assert by_row[5].conflicts[0]["file"] == 380_000_000
    assert by_row[6].kept == ["total_cost_vnd"]
    assert "không cập nhật từ tệp" in by_row[6].issues[-1]["message"]
    with conn.cursor() as cur:
        cur.execute("SELECT requested_vnd, description FROM support_need WHERE id = %s",
                    (b_need,))
        assert cur.fetchone() == (350_000_000, "Đào tạo thợ đan mây")
    assert one(conn, "SELECT total_cost_vnd FROM support_need WHERE id = %s",
               (c_need,)) == 100_000_000
    assert one(conn, "SELECT count(*) FROM support_need") == 5


def test_strict_dry_run_and_bad_files(conn: Any, tmp_path: Path) -> None:
    w = district_world(conn)
    path = needs_workbook(tmp_path / "nhu_cau.xlsx", district_rows(w))
    with pytest.raises(ImportAborted) as caught:
        import_needs_file(conn, path, strict=True)
    assert "dòng bị loại" in str(caught.value) and "dòng 7" in str(caught.value)
    dry = import_needs_file(conn, path, dry_run=True)
    assert dry.written.inserted == 5
    assert one(conn, "SELECT count(*) FROM support_need") == 0
    bare = tmp_path / "thieu_cot.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Tên cơ sở", "Nội dung hỗ trợ", "Năm"])
    ws.append(["Cơ sở NI-B", "x", 2026])
    wb.save(bare)
    with pytest.raises(InvalidInput) as missing:
        import_needs_file(conn, bare)
    assert "thieu_cot.xlsx" in str(missing.value) and "thiếu cột 'Loại hoạt động'" in str(
        missing.value)


def test_officer_imports_only_own_district(conn: Any, tmp_path: Path, make_user: Any) -> None:
    w = district_world(conn)
    officer = make_user("district_officer", BINH_SON)
    path = needs_workbook(tmp_path / "nhu_cau.xlsx", district_rows(w))
    result = import_needs_file(conn, path, actor=officer)
    row = _rows(result)[12]
    assert row.status == "rejected"
    assert "không thuộc huyện của bạn" in row.issues[0]["message"]
    assert "dòng 12" in row.issues[0]["message"]
    assert result.written.inserted == 4
    assert one(conn, "SELECT count(*) FROM support_need WHERE district_code = %s",
               (SON_TINH,)) == 0


def test_cli_imports_needs(conn: Any, database: Any, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli import imports as cli_import

    monkeypatch.setattr(cli_import, "database_from_env", lambda *a, **k: database)
    w = district_world(conn)
    path = needs_workbook(tmp_path / "nhu_cau.xlsx", district_rows(w))
    report = tmp_path / "bao_cao.json"
    runner = CliRunner()
    res = runner.invoke(cli_import.app, ["needs", str(path), "--report", str(report)])
    assert res.exit_code == 0, res.output
    assert "5 nhận, 5 từ chối, 1 trùng, 1 bỏ qua" in res.output
    assert "nhu cầu: 5 mới" in res.output and "vị trí:" not in res.output
    assert "dòng 7" in res.output and "Traceback" not in res.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["kind"] == "needs" and data["records"]["inserted"] == 5
    batch = data["batch_id"]
    res = runner.invoke(cli_import.app, ["needs", str(path)])
    assert res.exit_code == 0 and "0 mới, 0 cập nhật, 5 không đổi" in res.output
    res = runner.invoke(cli_import.app, ["undo", str(batch)])
    assert res.exit_code == 0 and "xóa 5 bản ghi" in res.output, res.output
    assert one(conn, "SELECT count(*) FROM support_need") == 0
    res = runner.invoke(cli_import.app, ["needs", str(tmp_path / "khong_co.xlsx")])
    assert res.exit_code == 1 and "Traceback" not in res.output
