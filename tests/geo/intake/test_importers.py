"""Spreadsheet importers: messy workbooks, idempotence, strict, dry run, broken inputs, CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from pyproj import Transformer
from typer.testing import CliRunner

from geo.core.errors import InvalidInput
from geo.intake.columns import (
    header_key,
    load_mapping,
    money_multiplier,
)
from geo.intake.importer import import_file
from geo.intake.results import ImportAborted, ImportResult
from geo.intake.sheet_reader import merge_headers
from geo.intake.store import table_counts
from geo.intake.values import (
    parse_activity,
    parse_count,
    parse_funding,
    parse_money,
    parse_status,
    parse_year,
)
from tests.world import one

HOSTILE = "<img src=x onerror=alert(1)>"
TEMPLATE = "{{7*7}}"
TO_VN2000 = Transformer.from_crs("EPSG:4326", "EPSG:5898", always_xy=True)


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(a))


def dms(value: float, hemi: str) -> str:
    """15.1234 → 15°07'24.24"N."""
    d = int(value)
    m = int((value - d) * 60)
    s = (value - d - m / 60) * 3600
    return f"{d}°{m:02d}'{s:05.2f}\"{hemi}"


def comma(value: float) -> str:
    """A decimal comma: 15,1234567."""
    return f"{value:.7f}".replace(".", ",")


@pytest.fixture()
def places(conn: Any, boundaries: Any) -> dict[str, dict[str, Any]]:
    """Approximate boundaries, and a point inside each of a few communes."""
    out = {}
    with conn.cursor() as cur:
        cur.execute(
            "SELECT u.code, u.name, d.name, ST_X(ST_PointOnSurface(b.geom)), "
            "ST_Y(ST_PointOnSurface(b.geom)) FROM admin_unit u "
            "JOIN admin_unit d ON d.edition = 'legacy' AND d.code = u.parent_code "
            "JOIN boundary b ON b.edition = 'legacy' AND b.code = u.code "
            "WHERE u.edition = 'legacy' AND u.code IN ('21082', '21133', '21220', '21349', "
            "'21475')")
        for code, name, district, lon, lat in cur.fetchall():
            out[code] = {"code": code, "commune": name, "district": district, "lon": lon,
                         "lat": lat, "district_code": None}
    assert len(out) == 5
    return out


MESSY_HEADER_UPPER = ["STT", "Tên cơ sở", "Chủ cơ sở", "Ngành nghề", "Địa chỉ", None, None,
                      "Tọa độ", None, "Số lao động (người)", "Điện thoại", "Ghi chú"]
MESSY_HEADER_LOWER = [None, None, None, None, "Thôn/Tổ", "Xã/Phường/TT", "Huyện/TX/TP",
                      "Vĩ độ", "Kinh độ", None, None, None]


def messy_rows(p: dict[str, dict[str, Any]]) -> list[list[Any]]:
    """Data rows of the messy establishments sheet (Excel rows 6 ...)."""
    bt, tl, th, ls, pk = (p[c] for c in ("21082", "21133", "21220", "21349", "21475"))
    e, n = TO_VN2000.transform(ls["lon"], ls["lat"])
    return [
        # 6: address only
        [1, "Cơ sở mộc Thành Công", "Nguyễn Văn A", "Mộc dân dụng", "Thôn 1", th["commune"],
         th["district"], None, None, "12 người", 905123456, None],
        # 7: decimal-comma coordinates
        [2, "HTX dệt thổ cẩm", "Đinh Thị B", "Dệt", "Thôn 2", bt["commune"], bt["district"],
         comma(bt["lat"]), comma(bt["lon"]), "1.200", "0255 3822 111", None],
        # 8: degrees, minutes, seconds
        [3, "Cơ sở chế biến quế", "Hồ Văn C", "Chế biến nông sản", None, tl["commune"],
         tl["district"], dms(tl["lat"], "N"), dms(tl["lon"], "E"), 7, None, None],
        # 9: VN-2000 metres typed in the lat/lon columns
        [4, "Cơ sở rèn Long Sơn", "Phạm Văn D", "Rèn", None, ls["commune"], ls["district"],
         f"{n:.2f}", f"{e:.2f}", 5, None, None],
        # 10: latitude and longitude swapped (numeric cells)
        [5, "Cơ sở nước mắm Phổ Khánh", None, "Nước mắm", "Thôn Hải Tân", pk["commune"],
         pk["district"], pk["lon"], pk["lat"], 20, None, None],
        # 11: blank row
        [None] * 12,
        # 12: exact copy of row 6 (its STT renumbered)
        [6, "Cơ sở mộc Thành Công", "Nguyễn Văn A", "Mộc dân dụng", "Thôn 1", th["commune"],
         th["district"], None, None, "12 người", 905123456, None],
        # 13: bad row: no name
        [7, None, "Trần Văn E", "Mây tre", "Thôn 3", th["commune"], th["district"], None, None,
         3, None, "thiếu tên"],
        # 14: point in Bình Trung, address in Trà Lâm: conflict
        [8, "Cơ sở gạch Bình Trung", None, "Gạch", None, tl["commune"], tl["district"],
         bt["lat"], bt["lon"], 15, None, None],
        # 15: address not found, no coordinates
        [9, HOSTILE, TEMPLATE, "Khác", "Khu phố Mặt Trăng", "Xã Không Có", None, None, None,
         None, None, None],
        # 16: unreadable worker count: kept, count left empty
        [10, "Cơ sở bánh tráng", None, "Thực phẩm", None, th["commune"], th["district"],
         None, None, "nhiều", None, None],
        # 17: totals row
        ["Tổng cộng", None, None, None, None, None, None, None, None, 1262, None, None],
    ]


def messy_workbook(path: Path, p: dict[str, dict[str, Any]], sheet: str = "DS co so") -> Path:
    """Title row, subtitle, merged two-row header, numbering row, then the data."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(["DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN TỈNH QUẢNG NGÃI NĂM 2024"])
    ws.merge_cells("A1:L1")
    ws.append(["(Kèm theo Báo cáo số 15/BC-SCT)"])
    ws.merge_cells("A2:L2")
    ws.append(MESSY_HEADER_UPPER)
    ws.append(MESSY_HEADER_LOWER)
    for col in "ABCDJKL":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("E3:G3")
    ws.merge_cells("H3:I3")
    ws.append([f"({i})" for i in range(1, 13)])
    for row in messy_rows(p):
        ws.append(row)
    wb.save(path)
    return path


def by_row(result: ImportResult) -> dict[int, Any]:
    """Row results keyed by Excel row number."""
    return {r.row: r for r in result.rows}


def fields_of(row: Any) -> set[str]:
    """Fields named by a row's issues."""
    return {i["field"] for i in row.issues}


def test_messy_workbook(conn: Any, places: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "co_so_2024.xlsx", places)
    result = import_file(conn, "establishments", path)
    assert result.sheet == "DS co so"
    assert result.header_rows == (3, 4)
    rows = by_row(result)
    assert sorted(rows) == list(range(5, 18))
    status = {n: r.status for n, r in rows.items()}
    assert status == {5: "skipped", 6: "accepted", 7: "accepted", 8: "accepted",
                      9: "accepted", 10: "accepted", 11: "skipped", 12: "duplicate",
                      13: "rejected", 14: "accepted", 15: "accepted", 16: "accepted",
                      17: "skipped"}
    assert result.summary() == {"accepted": 8, "rejected": 1, "duplicate": 1, "skipped": 3,
                                "conflict": 0, "total": 13}
    assert "numbering" in rows[5].issues[0]["message"]
    assert "totals" in rows[17].issues[0]["message"]
    assert "row 6" in rows[12].issues[0]["message"]
    assert fields_of(rows[13]) == {"name"}
    assert rows[13].issues[0]["column"] == "Tên cơ sở (B)"
    # commune and position of each located row
    th = places["21220"]
    assert (rows[6].commune_code, rows[6].precision, rows[6].geocode_status) == \
        ("21220", "commune", "ok")
    expected = {7: "21082", 8: "21133", 9: "21349", 10: "21475"}
    for n, code in expected.items():
        r = rows[n]
        assert (r.commune_code, r.precision, r.geocode_status) == (code, "exact", "ok"), n
        assert metres(r.lon, r.lat, places[code]["lon"], places[code]["lat"]) < 5, n
    assert rows[9].method.startswith("vn2000")
    assert rows[10].method == "wgs84_swapped"
    assert any("swapped" in i["message"] for i in rows[10].issues)
    # conflict: point in Bình Trung, address in Trà Lâm
    conflict = rows[14]
    # the polygons are approximate: the address's commune is kept, the point stays exact
    assert (conflict.commune_code, conflict.geocode_status, conflict.precision) == \
        ("21133", "conflict", "exact")
    assert metres(conflict.lon, conflict.lat, places["21082"]["lon"],
                  places["21082"]["lat"]) < 5
    assert any(i["field"] == "lat,lon" and "Trà Lâm" in i["message"] for i in conflict.issues)
    # not found: kept without a position
    lost = rows[15]
    assert (lost.precision, lost.geocode_status, lost.lon) == ("none", "not_found", None)
    assert "address" in fields_of(lost)
    assert any(i["field"] == "workers" for i in rows[16].issues)
    # what was stored
    assert result.written.inserted == 8
    assert one(conn, "SELECT count(*) FROM establishment WHERE NOT is_demo") == 8
    stored = {}
    with conn.cursor() as cur:
        cur.execute(
            "SELECT e.name, e.owner_name, e.phone, e.workers, e.is_demo, l.precision, "
            "l.commune_code, l.source_file, l.source_row, l.raw_lat, l.raw_lon, l.method, "
            "l.geocode_status, l.geom IS NULL, l.raw_address "
            "FROM establishment e JOIN location l ON l.establishment_id = e.id")
        for row in cur.fetchall():
            stored[row[8]] = row
    assert sorted(stored) == [6, 7, 8, 9, 10, 14, 15, 16]
    assert stored[6][:5] == ("Cơ sở mộc Thành Công", "Nguyễn Văn A", "0905123456", 12, False)
    assert stored[6][14] == f"Thôn 1, {th['commune']}, {th['district']}"
    assert stored[7][3] == 1200 and stored[7][9] == comma(places["21082"]["lat"])
    assert stored[7][7] == "co_so_2024.xlsx"
    assert abs(float(stored[10][9]) - places["21475"]["lon"]) < 1e-12  # as typed: swapped
    assert stored[14][12] == "conflict"
    assert stored[15][:2] == (HOSTILE, TEMPLATE)
    assert stored[15][5] == "none" and stored[15][13] is True
    assert stored[16][3] is None


def test_reimport_is_idempotent(conn: Any, places: dict[str, dict[str, Any]],
                                tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "co_so.xlsx", places)
    first = import_file(conn, "establishments", path)
    counts = table_counts(conn)

    def ids() -> list[tuple[int, ...]]:
        with conn.cursor() as cur:
            cur.execute("SELECT e.id, e.version, l.id FROM establishment e "
                        "JOIN location l ON l.establishment_id = e.id ORDER BY e.id")
            return list(cur.fetchall())

    before = ids()
    second = import_file(conn, "establishments", path)
    assert table_counts(conn) == counts
    assert ids() == before
    assert (second.written.inserted, second.written.updated, second.written.unchanged) == \
        (0, 0, first.written.inserted)
    assert second.written.locations_written == 0
    assert [r.record_key for r in second.rows] == [r.record_key for r in first.rows]
    # a corrected value updates the same record (new version), nothing is added
    wb_rows = messy_rows(places)
    wb_rows[0][9] = "13 người"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([h or "" for h in MESSY_HEADER_UPPER[:4]] + MESSY_HEADER_LOWER[4:9]
              + MESSY_HEADER_UPPER[9:])
    for row in wb_rows:
        ws.append(row)
    fixed = tmp_path / "co_so_sua.xlsx"
    wb.save(fixed)
    # a district officer moved one establishment in the review workflow
    with conn.cursor() as cur:
        cur.execute("UPDATE location SET geom = ST_SetSRID(ST_MakePoint(108.7, 15.0), 4326), "
                    "precision = 'exact', method = 'manual_review' WHERE establishment_id = "
                    "(SELECT id FROM establishment WHERE name = 'Cơ sở rèn Long Sơn')")
    third = import_file(conn, "establishments", fixed)
    assert third.written.inserted == 0 and third.written.updated == 1
    assert len(third.written.locations_kept) == 1
    assert table_counts(conn) == counts
    assert one(conn, "SELECT ST_X(l.geom) FROM location l JOIN establishment e ON "
               "e.id = l.establishment_id WHERE e.name = 'Cơ sở rèn Long Sơn'") == 108.7
    kept = [r for r in third.rows if any("reviewed" in i["message"] for i in r.issues)]
    assert len(kept) == 1
    assert one(conn, "SELECT workers FROM establishment WHERE name = 'Cơ sở mộc Thành Công'") \
        == 13
    assert one(conn, "SELECT version FROM establishment WHERE name = 'Cơ sở mộc Thành Công'") \
        == 2


def test_strict_aborts_and_dry_run_rolls_back(conn: Any, database: Any,
                                              places: dict[str, dict[str, Any]],
                                              tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "co_so.xlsx", places)
    counts = table_counts(conn)
    with pytest.raises(ImportAborted) as caught:
        with database.transaction() as tx:
            import_file(tx, "establishments", path, strict=True)
    message = str(caught.value)
    assert "co_so.xlsx" in message and "dòng 13" in message and "name" in message
    assert caught.value.result.aborted and caught.value.result.summary()["rejected"] == 1
    assert table_counts(conn) == counts
    with database.transaction() as tx:
        dry = import_file(tx, "establishments", path, dry_run=True)
    assert dry.written.inserted == 8 and dry.dry_run
    assert table_counts(conn) == counts


def test_broken_inputs(conn: Any, tmp_path: Path) -> None:
    counts = table_counts(conn)
    fake = tmp_path / "bao_cao.xlsx"
    fake.write_text("Tên cơ sở,Xã\nA,B\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="bao_cao.xlsx"):
        import_file(conn, "establishments", fake)

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.append(["STT", "Chủ cơ sở", "Xã/Phường/TT", "Huyện/TX/TP"])
    ws.append([1, "Nguyễn Văn A", "Tịnh Hà", "Sơn Tịnh"])
    no_name = tmp_path / "thieu_ten.xlsx"
    wb.save(no_name)
    with pytest.raises(InvalidInput) as caught:
        import_file(conn, "establishments", no_name)
    message = str(caught.value)
    assert "thieu_ten.xlsx" in message and "Sheet1" in message and "Tên cơ sở" in message

    with pytest.raises(InvalidInput) as caught:
        import_file(conn, "establishments", no_name, sheet="Danh sách")
    message = str(caught.value)
    assert "thieu_ten.xlsx" in message and "Danh sách" in message and "Sheet1" in message

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Tên đề án", "Năm", "Nguồn vốn", "Xã"])
    ws.append(["Máy móc", 2023, "KCQG", "Tịnh Hà"])
    no_money = tmp_path / "de_an.xlsx"
    wb.save(no_money)
    with pytest.raises(InvalidInput, match="Kinh phí"):
        import_file(conn, "projects", no_money)
    assert table_counts(conn) == counts


def test_projects_csv_semicolon(conn: Any, tmp_path: Path) -> None:
    path = tmp_path / "de_an_2023.csv"
    path.write_text(
        "KẾ HOẠCH KHUYẾN CÔNG NĂM 2023;;;;;;;;\n"
        "Nội dung/Tên đề án;Năm;Kinh phí (triệu đồng);Vốn đối ứng;Nguồn vốn;Loại hoạt động;"
        "Đơn vị thụ hưởng;Xã/Phường/TT;Huyện/TX/TP\n"
        "Hỗ trợ máy cưa CNC;2023;250;1,2 tỷ;Quốc gia;Ứng dụng máy móc thiết bị;"
        "Cơ sở mộc Thành Công;Tịnh Hà;Sơn Tịnh\n"
        "Tập huấn nâng cao năng lực quản lý;2023;85,5;;KCĐP;;Sở Công Thương;;Mộ Đức\n"
        "Hội chợ hàng CNNT tiêu biểu;Năm 2023;1.250;0;Địa phương;Hội chợ, triển lãm;;;\n"
        "Đề án sai năm;20x3;100;;KCQG;Đào tạo nghề;;Tịnh Hà;Sơn Tịnh\n"
        "Cộng;;1.585,5;;;;;;\n",
        encoding="utf-8-sig")
    result = import_file(conn, "projects", path)
    rows = by_row(result)
    assert [r.status for r in result.rows] == ["accepted", "accepted", "accepted", "rejected",
                                               "skipped"]
    assert rows[6].issues[0]["field"] == "year"
    assert rows[4].precision == "district" and rows[4].district_code == "533"
    assert rows[5].precision == "none"
    assert any(i["field"] == "activity_type" for i in rows[4].issues)  # inferred from title
    with conn.cursor() as cur:
        cur.execute("SELECT title, year, kc_vnd, counterpart_vnd, funding_source, activity_type, "
                    "beneficiary, status, is_demo FROM project WHERE NOT is_demo ORDER BY kc_vnd")
        got = cur.fetchall()
    assert got == [
        ("Tập huấn nâng cao năng lực quản lý", 2023, 85_500_000, 0, "KCDP", "capacity",
         "Sở Công Thương", "completed", False),
        ("Hỗ trợ máy cưa CNC", 2023, 250_000_000, 1_200_000_000, "KCQG", "machinery",
         "Cơ sở mộc Thành Công", "completed", False),
        ("Hội chợ hàng CNNT tiêu biểu", 2023, 1_250_000_000, 0, "KCDP", "trade_fair", None,
         "completed", False),
    ]


def test_csv_two_row_header_comma(conn: Any, places: dict[str, dict[str, Any]],
                                  tmp_path: Path) -> None:
    bt = places["21082"]
    path = tmp_path / "co_so.csv"
    path.write_text(
        "STT,Tên cơ sở,Địa chỉ,,Tọa độ,,Ghi chú\n"
        ",,Xã/Phường/TT,Huyện/TX/TP,Vĩ độ,Kinh độ,\n"
        f'1,Cơ sở A,{bt["commune"]},{bt["district"]},"{comma(bt["lat"])}",'
        f'"{comma(bt["lon"])}",Tổng cộng 3 lao động\n'
        f"2,Cơ sở B,{bt['commune']},{bt['district']},,,\n"
        "Cộng,,,,,,\n",
        encoding="utf-8")
    result = import_file(conn, "establishments", path)
    assert result.sheet == "csv" and result.header_rows == (1, 2)
    assert {c["header"]: c["field"] for c in result.columns}["Tọa độ / Kinh độ"] == "lon"
    assert [(r.row, r.status, r.precision, r.commune_code) for r in result.rows] == [
        (3, "accepted", "exact", "21082"), (4, "accepted", "commune", "21082"),
        (5, "skipped", None, None)]
    first = result.rows[0]
    assert first.lon is not None and first.lat is not None
    assert metres(first.lon, first.lat, bt["lon"], bt["lat"]) < 5


def test_villages_with_mapping_file(conn: Any, tmp_path: Path) -> None:
    mapping = tmp_path / "cot.json"
    mapping.write_text(json.dumps({"Tên LN": "name", "Địa bàn xã": "commune",
                                   "Mã nội bộ": "ignore"}, ensure_ascii=False),
                       encoding="utf-8")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Làng nghề"
    ws.append(["Tên LN", "Nghề", "Địa bàn xã", "Huyện", "Số hộ", "Quyết định công nhận",
               "Mã nội bộ"])
    ws.append(["Làng nghề bánh tráng Tịnh Hà", "Bánh tráng", "Tịnh Hà", "Sơn Tịnh", "120 hộ",
               "QĐ 123/QĐ-UBND ngày 5/3/2015", "LN-07"])
    path = tmp_path / "lang_nghe.xlsx"
    wb.save(path)
    with pytest.raises(InvalidInput, match="Tên làng nghề"):
        import_file(conn, "villages", path)
    result = import_file(conn, "villages", path, mapping=mapping)
    assert result.summary()["accepted"] == 1
    assert result.rows[0].commune_code == "21220"
    assert {c["header"]: c["field"] for c in result.columns}["Mã nội bộ"] is None
    with conn.cursor() as cur:
        cur.execute("SELECT name, trade, households, recognised_year, decision FROM "
                    "craft_village WHERE NOT is_demo")
        assert cur.fetchall() == [("Làng nghề bánh tráng Tịnh Hà", "Bánh tráng", 120, 2015,
                                   "QĐ 123/QĐ-UBND ngày 5/3/2015")]
    csv_mapping = tmp_path / "cot.csv"
    csv_mapping.write_text("header,field\nTên LN,name\nCột lạ,khong_co\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="cot.csv, dòng 3"):
        load_mapping(csv_mapping, "villages")


def test_cli_end_to_end(conn: Any, database: Any, places: dict[str, dict[str, Any]],
                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli import imports as cli_import

    monkeypatch.setattr(cli_import, "database_from_env", lambda *a, **k: database)
    runner = CliRunner()
    path = messy_workbook(tmp_path / "co_so.xlsx", places)
    report = tmp_path / "report.json"
    counts = table_counts(conn)
    res = runner.invoke(cli_import.app, ["establishments", str(path), "--report", str(report),
                                         "--strict"])
    assert res.exit_code == 1, res.output
    assert "dòng 13" in res.output
    assert table_counts(conn) == counts
    assert json.loads(report.read_text(encoding="utf-8"))["aborted"] is True

    res = runner.invoke(cli_import.app, ["establishments", str(path), "--report", str(report),
                                         "--sheet", "DS co so", "--crs", "EPSG:5898"])
    assert res.exit_code == 0, res.output
    assert "8 nhận, 1 từ chối, 1 trùng, 3 bỏ qua" in res.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"] == {"accepted": 8, "rejected": 1, "duplicate": 1, "skipped": 3,
                               "conflict": 0, "total": 13}
    assert data["records"] == {"inserted": 8, "updated": 0, "unchanged": 0}
    entries = {e["row"]: e for e in data["rows"]}
    assert set(entries[7]) >= {"row", "status", "issues", "commune_code", "district_code",
                               "precision", "lon", "lat", "geocode_status"}
    assert entries[7]["commune_code"] == "21082" and entries[7]["precision"] == "exact"
    assert entries[13]["status"] == "rejected"
    assert all("field" in i and "message" in i for e in data["rows"] for i in e["issues"])
    assert entries[14]["geocode_status"] == "conflict"
    after = table_counts(conn)
    assert after["establishment"] == counts["establishment"] + 8
    batch = data["batch_id"]
    assert f"lượt nhập {batch}" in res.output

    res = runner.invoke(cli_import.app, ["undo", str(batch)])
    assert res.exit_code == 0 and "xóa 8 bản ghi" in res.output, res.output
    assert table_counts(conn) == counts
    res = runner.invoke(cli_import.app, ["undo", str(batch)])
    assert res.exit_code == 1 and "hoàn tác" in res.output
    res = runner.invoke(cli_import.app, ["establishments", str(path)])
    assert res.exit_code == 0 and "8 mới" in res.output

    res = runner.invoke(cli_import.app, ["establishments", str(path), "--dry-run"])
    assert res.exit_code == 0 and "0 mới, 0 cập nhật, 8 không đổi" in res.output
    assert table_counts(conn) == after

    res = runner.invoke(cli_import.app, ["establishments", str(path), "--sheet", "Khác"])
    assert res.exit_code == 1 and "co_so.xlsx" in res.output and "Khác" in res.output
    res = runner.invoke(cli_import.app, ["establishments", str(path), "--crs", "EPSG:99999"])
    assert res.exit_code == 1 and "--crs" in res.output
    assert table_counts(conn) == after


def test_headers_and_values() -> None:
    headers = merge_headers(["STT", "Địa chỉ", "", "", "Tọa độ", "", "Ghi chú"],
                            ["", "Thôn/Tổ", "Xã/Phường/TT", "Huyện/TX/TP", "Vĩ độ", "Kinh độ",
                             ""])
    assert [h.text for h in headers] == [
        "STT", "Địa chỉ / Thôn/Tổ", "Địa chỉ / Xã/Phường/TT", "Địa chỉ / Huyện/TX/TP",
        "Tọa độ / Vĩ độ", "Tọa độ / Kinh độ", "Ghi chú"]
    assert header_key("  SỐ LĐ (người) ") == "sold"
    assert money_multiplier("Kinh phí (triệu đồng)") == 1_000_000
    assert parse_money("1.250.000.000 đ") == 1_250_000_000
    assert parse_money("1,25 tỷ") == 1_250_000_000
    assert parse_money("1 tỷ 250 triệu") == 1_250_000_000
    assert parse_money("85,5", 1_000_000) == 85_500_000
    assert parse_money(1.5, 1_000_000) == 1_500_000
    assert parse_money("-") is None
    with pytest.raises(ValueError):
        parse_money("100 hoặc 200")
    assert parse_count("12 người") == 12 and parse_count("1.200 lao động") == 1200
    with pytest.raises(ValueError):
        parse_count("12,5")
    assert parse_year("Năm 2023") == 2023 and parse_year("15/03/2021") == 2021
    with pytest.raises(ValueError):
        parse_year("1990")
    assert parse_funding("Quốc gia") == "KCQG" and parse_funding("KCĐP") == "KCDP"
    assert parse_funding("Khuyến công địa phương") == "KCDP"
    with pytest.raises(ValueError):
        parse_funding("ODA")
    codes = ["demonstration", "machinery", "training", "capacity", "cleaner_production",
             "trade_fair", "product_award", "industrial_cluster", "other"]
    assert parse_activity("Mô hình trình diễn kỹ thuật", codes) == "demonstration"
    assert parse_activity("Sản xuất sạch hơn, tiết kiệm năng lượng", codes) == \
        "cleaner_production"
    assert parse_activity("Sản phẩm CNNT tiêu biểu", codes) == "product_award"
    assert parse_activity("Đào tạo nghề", codes) == "training"
    assert parse_activity("???", codes) is None
    assert parse_status("Đang thực hiện") == "in_progress"
    assert parse_status("Đã nghiệm thu") == "completed"
    with pytest.raises(ValueError):
        parse_status("không rõ")
