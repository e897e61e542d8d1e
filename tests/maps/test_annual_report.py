"""The annual report: PDF text (pdftotext) holds target and progress figures in Vietnamese;
XLSX sheets; the CLI commands `kcmap report annual` and `kcmap targets import`."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli.common import fail
from geo.core.errors import KcmapError
from geo.intake.demo_store import load_demo
from maps.core.format import format_int, format_vnd

CSV = """period,activity,indicator,unit,target,district
2021-2025,training,trainees,người,2000,
2025,,budget_vnd,đồng,"12.500.000.000",
"""


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout


def _cli(conn: Any, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    from api.cli import report as cli_report
    from api.cli import targets as cli_targets

    def in_transaction(work: Any) -> Any:  # the test's connection, errors as the CLI's
        try:
            return work(conn)
        except KcmapError as exc:
            raise fail(exc) from exc

    monkeypatch.setattr(cli_report, "in_transaction", in_transaction)
    monkeypatch.setattr(cli_targets, "in_transaction", in_transaction)
    kcmap = typer.Typer()  # as api/cli/main.py registers them
    kcmap.add_typer(cli_report.app, name="report")
    kcmap.add_typer(cli_targets.app, name="targets")
    return kcmap


def test_annual_pdf_holds_targets_and_progress(client: Any, conn: Any, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    load_demo(conn)
    kcmap = _cli(conn, monkeypatch)
    csv_file = tmp_path / "chi-tieu.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(kcmap, ["targets", "import", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "2 dòng, 0 thêm mới, 2 cập nhật" in result.output  # they replace demo targets

    r = client.get("/reports/annual.pdf?year=2025")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = _text(r.content, tmp_path)
    progress = client.get("/api/progress?period=2021-2025").json()
    year = client.get("/api/progress?period=2025").json()
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CÔNG TÁC KHUYẾN CÔNG" in text
    assert "Kết quả so với chỉ tiêu của chương trình" in text
    trainees = next(t for t in progress["targets"] if t["indicator"] == "trainees"
                    and t["activity_type"] == "training" and not t["is_demo"])
    assert "Số người được đào tạo, tập huấn" in text
    assert format_int(2000) in text and format_int(trainees["achieved"]) in text
    assert format_int(trainees["by_year"]["2025"]) in text
    assert format_vnd(12_500_000_000) in text
    assert format_vnd(year["totals"]["budget_vnd"]) in text
    assert format_vnd(year["totals"]["disbursed_vnd"]) in text
    assert "Tỷ lệ hoàn thành = Thực hiện ÷ Mục tiêu" in " ".join(text.split())
    assert "DỮ LIỆU MẪU" in text
    assert "Theo huyện" in text and "Huyện Bình Sơn" in text

    out = tmp_path / "bao-cao-2025.pdf"
    result = CliRunner().invoke(kcmap, ["report", "annual", "--year", "2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert format_vnd(12_500_000_000) in _text(out.read_bytes(), tmp_path)


def test_annual_xlsx(client: Any, conn: Any) -> None:
    load_demo(conn)
    r = client.get("/reports/annual.xlsx?year=2024")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Chỉ tiêu", "Theo huyện", "Theo hoạt động", "Tổng hợp"]
    year = client.get("/api/progress?period=2024").json()
    sheet = wb["Theo hoạt động"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    for code, sums in year["by_activity"].items():
        assert rows[code][2] == sums["projects"]
        assert rows[code][4] == sums["budget_vnd"]
    assert client.get("/reports/annual.xlsx?year=1800").status_code == 422


def test_cli_bad_targets_file(conn: Any, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    kcmap = _cli(conn, monkeypatch)
    bad = tmp_path / "bad.csv"
    bad.write_text("period,indicator,target\n2021-2025,projects,nhiều\n", encoding="utf-8")
    result = CliRunner().invoke(kcmap, ["targets", "import", str(bad)])
    assert result.exit_code == 1
    assert "dòng 2" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(kcmap, ["targets", "import", str(tmp_path / "none.csv")])
    assert result.exit_code == 1 and "không tồn tại" in result.output


def test_annual_report_holds_the_years_plan(client: Any, conn: Any, bearer: Any,
                                            tmp_path: Path) -> None:
    """A plan made through the API (issue 13 first half) is in the report of its year."""
    from tests.world import BINH_SON, add_establishment

    planner = bearer("planner")
    eid = add_establishment(conn, "AR-PLAN", BINH_SON)
    need = client.post("/api/needs", headers=planner, json={
        "establishment_id": eid, "activity_type": "machinery", "description": "Máy sấy",
        "total_cost_vnd": 900_000_000, "requested_vnd": 400_000_000,
        "counterpart_vnd": 500_000_000, "desired_year": 2025, "priority": "high"})
    assert need.status_code == 201, need.text
    opened = client.post("/api/plans", headers=planner,
                         json={"year": 2025, "ceilings": {"KCQG": 0, "KCDP": 900_000_000}})
    assert opened.status_code == 201, opened.text
    line = client.post("/api/plans/2025/lines", headers=planner,
                       json={"need_id": need.json()["id"], "funding_source": "KCDP"})
    assert line.status_code == 201, line.text

    text = " ".join(_text(client.get("/reports/annual.pdf?year=2025").content,
                          tmp_path).split())
    assert "Kế hoạch khuyến công năm 2025 (1 nội dung)" in text
    assert format_vnd(400_000_000) in text
    wb = load_workbook(io.BytesIO(client.get("/reports/annual.xlsx?year=2025").content))
    cells = [c for row in wb["Tổng hợp"].iter_rows(values_only=True) for c in row]
    assert 400_000_000 in cells
