"""The briefing PDF (pdftotext reads its Vietnamese text and figures) and 300 dpi PNG maps."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from maps.core.format import format_int, format_vnd

VIEWS = ("coverage", "gaps", "projects", "establishments", "villages")


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "briefing.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = next(int(line.split()[-1]) for line in info.stdout.splitlines()
                 if line.startswith("Pages:"))
    assert pages == 2
    assert "841.68 x 595.44" in info.stdout or "842 x 595" in info.stdout  # A4 landscape
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout


def test_briefing_pdf_shows_the_key_figures(world: Any, client: Any, bearer: Any,
                                            tmp_path: Path) -> None:
    r = client.get("/reports/briefing.pdf?years=2021-2025", headers=bearer("viewer"))
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = _text(r.content, tmp_path)
    summary = client.get("/api/coverage?years=2021-2025").json()["summary"]
    gaps = client.get("/api/gaps?years=2021-2025").json()
    assert "Quảng Ngãi" in text and "BÁO CÁO TÓM TẮT" in text
    for figure in (format_vnd(summary["total_vnd"]), format_vnd(summary["allocated_vnd"]),
                   format_vnd(summary["unallocated_vnd"]),
                   format_vnd(summary["total_counterpart_vnd"]),
                   format_int(summary["establishments"]), format_int(summary["workers"]),
                   format_int(summary["projects"])):
        assert figure in text, figure
    for row in gaps["communes"][:10]:
        assert row["name"] in text
    assert "Ranh giới" in text and "DỮ LIỆU MẪU" in text and "Dữ liệu đến ngày" in text


def test_briefing_for_one_district(world: Any, client: Any, bearer: Any,
                                   tmp_path: Path) -> None:
    r = client.get("/reports/briefing.pdf?district=524&years=2021-2025",
                   headers=bearer("planner"))
    text = _text(r.content, tmp_path)
    district = next(f for f in client.get("/api/coverage?level=district").json()["features"]
                    if f["id"] == "524")["properties"]
    assert "Huyện Bình Sơn, tỉnh Quảng Ngãi" in text
    assert format_vnd(district["support_vnd"]) in text
    assert format_int(district["establishments"]) in text
    bad = client.get("/reports/briefing.pdf?district=999", headers=bearer("viewer"))
    assert bad.status_code == 422


def test_cli_writes_the_briefing(world: Any, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import typer
    from typer.testing import CliRunner

    from api.cli import report as cli_report

    monkeypatch.setattr(cli_report, "in_transaction", lambda work: work(world))
    kcmap = typer.Typer()  # as api/cli/main.py registers it: `kcmap report briefing`
    kcmap.add_typer(cli_report.app, name="report")
    out = tmp_path / "bao-cao.pdf"
    result = CliRunner().invoke(kcmap, ["report", "briefing", "--district", "524",
                                        "--years", "2021-2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Huyện Bình Sơn" in _text(out.read_bytes(), tmp_path)


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_exports_a_300_dpi_png(world: Any, client: Any, view: str) -> None:
    r = client.get(f"/maps/{view}.png?years=2021-2025")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(r.content))
    assert image.size == (3300, 2250)
    assert round(image.info["dpi"][0]) == 300


def test_png_of_the_2025_edition_and_a_district(world: Any, client: Any) -> None:
    for url in ("/maps/coverage.png?edition=2025&indicator=establishments",
                "/maps/gaps.png?edition=2025", "/maps/establishments.png?district=524",
                "/maps/coverage.png?level=district&classes=jenks"):
        r = client.get(url)
        assert r.status_code == 200, url
    assert client.get("/maps/coverage.png?indicator=nope").status_code == 422
