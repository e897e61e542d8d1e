"""Downloads of any map view: XLSX (openpyxl), CSV, GeoPackage (pyogrio) and GeoJSON."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from openpyxl import load_workbook

from tests.world import one

SUPPORT = "Kinh phí khuyến công (đ)"


def _sheet(body: bytes, title: str) -> tuple[list[str], list[tuple[Any, ...]], Any]:
    wb = load_workbook(io.BytesIO(body))
    ws = wb[title]
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[0]), rows[1:], ws


def _notes(body: bytes) -> dict[str, Any]:
    wb = load_workbook(io.BytesIO(body))
    return {r[0]: r[1] for r in wb["Ghi chú"].iter_rows(values_only=True)}


@pytest.mark.parametrize("edition", ["legacy", "2025"])
def test_coverage_xlsx_totals_match_api_coverage(world: Any, client: Any, edition: str) -> None:
    query = "years=2021-2025&allocation=even"
    r = client.get(f"/maps/coverage.xlsx?{query}&edition={edition}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in r.headers["content-disposition"]
    api = client.get(f"/api/coverage?{query}" if edition == "legacy"
                     else f"/api/coverage/2025?{query}").json()
    header, rows, ws = _sheet(r.content, "Chỉ số")
    assert header[:2] == ["Mã đơn vị", "Tên đơn vị"] and SUPPORT in header
    col = header.index(SUPPORT)
    assert len(rows) == len(api["features"])
    assert sum(row[col] or 0 for row in rows) == api["summary"]["allocated_vnd"]
    assert ws.cell(row=2, column=col + 1).number_format == "#,##0"
    est = header.index("Số cơ sở CNNT")
    assert sum(row[est] or 0 for row in rows) == sum(
        f["properties"]["establishments"] or 0 for f in api["features"])
    notes = _notes(r.content)
    assert notes["Tổng kinh phí khuyến công (đ)"] == api["summary"]["total_vnd"]
    assert notes["Chưa phân bổ (đ)"] == api["summary"]["unallocated_vnd"]
    assert notes["Đã phân bổ cho đơn vị (đ)"] + notes["Chưa phân bổ (đ)"] \
        == notes["Tổng kinh phí khuyến công (đ)"]


def test_projects_xlsx_and_csv_match_api_projects(world: Any, client: Any) -> None:
    api = client.get("/api/projects?years=2022-2023&source=KCQG").json()
    body = client.get("/maps/projects.xlsx?years=2022-2023&source=KCQG").content
    header, rows, _ = _sheet(body, "Đề án")
    col = header.index(SUPPORT)
    assert len(rows) == len(api["features"]) > 0
    assert sum(row[col] for row in rows) == api["summary"]["total_vnd"]
    csv = client.get("/maps/projects.csv?years=2022-2023&source=KCQG")
    assert csv.headers["content-type"].startswith("text/csv")
    text = csv.content.decode("utf-8")
    assert text.startswith("\ufeffMã bản ghi,Khóa bản ghi,Tên đề án")
    assert len(text.strip().splitlines()) == len(rows) + 1


def test_gaps_and_villages_tables(world: Any, client: Any) -> None:
    gaps = client.get("/api/gaps").json()
    header, rows, _ = _sheet(client.get("/maps/gaps.xlsx").content, "Xếp hạng")
    assert header[0] == "Hạng"
    ranked = [r for r in rows if r[0] is not None]
    assert [r[2] for r in ranked[:10]] == [c["name"] for c in gaps["communes"][:10]]
    header, rows, _ = _sheet(client.get("/maps/villages.xlsx?district=524").content,
                             "Làng nghề")
    assert "Tên làng nghề" in header and rows
    assert {r[header.index("Mã huyện")] for r in rows} == {"524"}


def test_geopackage_and_geojson_of_each_view(world: Any, client: Any, tmp_path: Path) -> None:
    expected = {"establishments": one(world, "SELECT count(*) FROM establishment"),
                "villages": one(world, "SELECT count(*) FROM craft_village"),
                "coverage": 170}
    for view, n in expected.items():
        r = client.get(f"/maps/{view}.gpkg")
        assert r.status_code == 200 and r.headers["content-type"] == \
            "application/geopackage+sqlite3"
        path = tmp_path / f"{view}.gpkg"
        path.write_bytes(r.content)
        assert pyogrio.list_layers(path)[0][0] == view
        frame = pyogrio.read_dataframe(path)
        assert len(frame) == n, view
        assert frame.crs.to_epsg() == 4326
    cov = pyogrio.read_dataframe(tmp_path / "coverage.gpkg")
    api = client.get("/api/coverage").json()
    assert int(cov["support_vnd"].sum()) == api["summary"]["allocated_vnd"]
    gj = client.get("/maps/coverage.geojson?edition=2025")
    assert gj.headers["content-type"] == "application/geo+json"
    data = gj.json()
    assert len(data["features"]) == one(world, "SELECT count(*) FROM admin_unit WHERE "
                                               "edition = '2025' AND level = 'commune'")
    assert data["summary"]["edition"] == "2025"
    projects = tmp_path / "projects.gpkg"
    projects.write_bytes(client.get("/maps/projects.gpkg?years=2021-2025").content)
    assert len(pyogrio.read_dataframe(projects)) == len(
        client.get("/api/projects?years=2021-2025").json()["features"])


def test_personal_fields_follow_the_role(world: Any, client: Any, bearer: Any) -> None:
    anonymous, _, _ = _sheet(client.get("/maps/establishments.xlsx").content, "Cơ sở CNNT")
    assert "Chủ cơ sở" not in anonymous and "Điện thoại" not in anonymous
    viewer, _, _ = _sheet(client.get("/maps/establishments.xlsx",
                                     headers=bearer("viewer")).content, "Cơ sở CNNT")
    assert "Chủ cơ sở" not in viewer
    planner, rows, _ = _sheet(client.get("/maps/establishments.xlsx",
                                         headers=bearer("planner")).content, "Cơ sở CNNT")
    assert "Chủ cơ sở" in planner and "Điện thoại" in planner
    assert any(r[planner.index("Chủ cơ sở")] for r in rows)
    text = client.get("/maps/establishments.geojson").text
    assert "owner_name" not in text and "phone" not in text


def test_bad_view_or_format(client: Any) -> None:
    assert client.get("/maps/nope.xlsx").status_code == 422
    assert client.get("/maps/coverage.zip").status_code == 422
    assert client.get("/maps/coverage.xlsx?edition=1999").status_code == 422


def test_xlsx_reads_well_and_file_names_carry_the_filters(world: Any, client: Any) -> None:
    query = "years=2022-2023&source=KCQG&activity=training"
    r = client.get(f"/maps/projects.xlsx?{query}")
    assert r.status_code == 200
    header, rows, ws = _sheet(r.content, "Đề án")
    assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(header)).column_letter}" \
                                 f"{len(rows) + 1}"
    assert ws.freeze_panes == "A2"
    amount = ws.cell(row=1, column=header.index(SUPPORT) + 1).column_letter
    widest = max(len(f"{row[header.index(SUPPORT)]:,}") for row in rows)
    assert ws.column_dimensions[amount].width > widest  # no ####
    sources = {row[header.index("Nguồn kinh phí")] for row in rows}
    assert sources == {"Khuyến công quốc gia"}  # a label, not the code KCQG
    assert {row[header.index("Trạng thái")] for row in rows} <= {
        "Đã phê duyệt", "Đang thực hiện", "Hoàn thành"}
    names = {client.get(f"/maps/projects.xlsx?years=2022-2023&source={s}")
             .headers["content-disposition"] for s in ("KCQG", "KCDP")}
    assert len(names) == 2 and any("kcqg" in n.lower() for n in names)
    assert "training" in r.headers["content-disposition"]
    gaps = load_workbook(io.BytesIO(client.get("/api/gaps.xlsx?source=KCDP").content))
    formula = {row[0]: row[1] for row in gaps["Cách tính"].iter_rows(values_only=True)}
    assert formula["Công thức"].startswith("điểm = 100 × (k × N − S)")
    assert formula["Nguồn kinh phí"] == "Khuyến công địa phương"
    est, _, _ = _sheet(client.get("/maps/establishments.xlsx").content, "Cơ sở CNNT")
    body = _sheet(client.get("/maps/establishments.xlsx").content, "Cơ sở CNNT")[1]
    precisions = {row[est.index("Độ chính xác vị trí")] for row in body}
    assert precisions and not precisions & {"exact", "commune", "district", "approximate"}
