"""Underserved ranking (analytics.gaps), priority communes (CSV, CLI), downloads and /maps/gaps."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from geo.analytics.gaps import PRIORITY_WEIGHT, gap_ranking
from geo.analytics.priority import import_priority, list_priority, parse_priority_csv
from geo.core.errors import InvalidInput
from tests.world import (
    BINH_SON,
    TP_QNG,
    communes_of,
    establishment,
    locate,
    project,
    village,
)


def _establishments(conn: Any, commune: str, key: str, n: int, workers: int) -> None:
    """N establishments in a commune sharing WORKERS workers (first one takes the rest)."""
    each = workers // n
    for i in range(n):
        w = workers - each * (n - 1) if i == 0 else each
        locate(conn, "exact", establishment_id=establishment(conn, f"{key}{i}", workers=w),
               commune=commune)


@pytest.fixture()
def underserved(conn: Any) -> dict[str, str]:
    """x: most establishments and workers, a craft village, no support; s1, s2 supported."""
    x = communes_of(conn, BINH_SON)[3]
    s1, s2 = communes_of(conn, TP_QNG)[:2]
    _establishments(conn, x, "X", 5, 100)
    locate(conn, "exact", village_id=village(conn, "VX"), commune=x)
    _establishments(conn, s1, "S1-", 3, 30)
    _establishments(conn, s2, "S2-", 2, 20)
    locate(conn, "exact", project_id=project(conn, "PS1", 500_000_000), commune=s1)
    locate(conn, "exact", project_id=project(conn, "PS2", 300_000_000), commune=s2)
    return {"x": x, "s1": s1, "s2": s2}


def test_known_underserved_commune_ranks_first(conn: Any,
                                                underserved: dict[str, str]) -> None:
    ranking = gap_ranking(conn)
    rows = ranking["communes"]
    assert [r["code"] for r in rows] == [underserved["x"], underserved["s2"], underserved["s1"]]
    first = rows[0]
    assert first["rank"] == 1 and first["no_support"] is True and first["support_vnd"] == 0
    need = (5 / 10 + 100 / 150 + 1 / 1) / 3
    assert first["need_share"] == round(need, 6)
    assert first["score"] == round(100 * need, 4)
    s1 = rows[2]
    assert s1["support_share"] == 0.625 and s1["no_support"] is False
    assert s1["score"] == round(100 * ((3 / 10 + 30 / 150 + 0) / 3 - 0.625), 4)
    assert ranking["ranked"] == 3 and ranking["no_support"] == 1
    assert "100 × (k × N − S)" in ranking["formula"]


@pytest.fixture()
def close_pair(conn: Any) -> dict[str, str]:
    """p and q unsupported, q with a little more need; r supported."""
    p, q, r = communes_of(conn, BINH_SON)[:3]
    _establishments(conn, p, "P", 2, 20)
    _establishments(conn, q, "Q", 3, 24)
    _establishments(conn, r, "R", 5, 56)
    locate(conn, "exact", project_id=project(conn, "PR", 100_000_000), commune=r)
    return {"p": p, "q": q, "r": r}


def test_priority_flag_raises_the_rank(conn: Any, close_pair: dict[str, str]) -> None:
    p, q = close_pair["p"], close_pair["q"]
    assert [r["code"] for r in gap_ranking(conn)["communes"]][:2] == [q, p]
    import_priority(conn, parse_priority_csv(f"code,note\n{p},miền núi\n"))
    rows = gap_ranking(conn)["communes"]
    assert [r["code"] for r in rows][:2] == [p, q]
    assert rows[0]["priority"] is True and rows[0]["priority_note"] == "miền núi"
    assert rows[0]["score"] == round(100 * PRIORITY_WEIGHT * (2 / 10 + 20 / 100) / 2, 4)
    assert rows[1]["score"] == round(100 * (3 / 10 + 24 / 100) / 2, 4)


def test_priority_csv_forms(conn: Any) -> None:
    a, b, c = communes_of(conn, TP_QNG)[:3]
    rows = parse_priority_csv(f"\ufeffSTT;Mã xã;Ghi chú\n1;{a};miền núi\n2;{b}.0;\n\n")
    assert [(r.row, r.code, r.note) for r in rows] == [(2, a, "miền núi"), (3, b, None)]
    assert [r.code for r in parse_priority_csv(f"{a}\n{c}\n")] == [a, c]
    assert import_priority(conn, rows) == 2
    assert [r["code"] for r in list_priority(conn)] == [a, b]
    import_priority(conn, parse_priority_csv(f"{c}\n"), replace=False)
    assert [r["code"] for r in list_priority(conn)] == [a, b, c]
    import_priority(conn, parse_priority_csv(f"{c}\n"))
    assert [r["code"] for r in list_priority(conn)] == [c]
    with pytest.raises(InvalidInput, match="dòng 2: '99999'"):
        import_priority(conn, parse_priority_csv(f"ma_xa\n99999\n{a}\n"))
    with pytest.raises(InvalidInput, match="dòng 1"):  # a district code is not a commune
        import_priority(conn, parse_priority_csv(f"{TP_QNG}\n"))
    assert [r["code"] for r in list_priority(conn)] == [c]  # nothing written by the failures
    with pytest.raises(InvalidInput, match="Không có cột mã xã"):
        parse_priority_csv("ten,ghi chu\nXã A,x\n")


def test_priority_cli(test_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.cli.main import app

    monkeypatch.setenv("DATABASE_URL", test_dsn)
    check = psycopg2.connect(test_dsn)
    try:
        with check.cursor() as cur:
            cur.execute("SELECT code FROM admin_unit WHERE edition = 'legacy' "
                        "AND level = 'commune' ORDER BY code LIMIT 2")
            a, b = (r[0] for r in cur.fetchall())
        good = tmp_path / "uu_tien.csv"
        good.write_text(f"Mã xã,Ghi chú\n{a},miền núi\n{b},đặc biệt khó khăn\n",
                        encoding="utf-8-sig")
        runner = CliRunner()
        result = runner.invoke(app, ["priority", "import", str(good)])
        assert result.exit_code == 0, result.output
        assert "đánh dấu 2 xã" in result.output
        listed = runner.invoke(app, ["priority", "list"])
        assert a in listed.output and "đặc biệt khó khăn" in listed.output
        bad = tmp_path / "sai.csv"
        bad.write_text("code\n12345\n", encoding="utf-8")
        failed = runner.invoke(app, ["priority", "import", str(bad)])
        assert failed.exit_code == 1 and "12345" in failed.output
        missing = runner.invoke(app, ["priority", "import", str(tmp_path / "none.csv")])
        assert missing.exit_code == 1 and "không tìm thấy tệp" in missing.output
        with check.cursor() as cur:
            cur.execute("SELECT count(*) FROM commune_priority")
            assert cur.fetchone() == (2,)  # the failed import changed nothing
    finally:
        result = CliRunner().invoke(app, ["priority", "clear"])
        check.close()
    assert result.exit_code == 0 and "ưu tiên: 2" in result.output


def test_gaps_api_and_downloads(conn: Any, client: TestClient,
                                underserved: dict[str, str]) -> None:
    x = underserved["x"]
    with conn.cursor() as cur:
        cur.execute("UPDATE admin_unit SET name = %s WHERE edition = 'legacy' AND code = %s",
                    ('=HYPERLINK("http://example.org","Xã")', x))
    data = client.get("/api/gaps").json()
    assert data["communes"][0]["code"] == x and data["communes"][0]["rank"] == 1
    assert data["filter"]["years"] == [2021, 2022, 2023, 2024, 2025]
    assert "k × N − S" in data["formula"]

    r = client.get("/api/gaps.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["Hạng", "Mã xã", "Tên xã"]
    assert table[1][:3] == ["1", x, "'=HYPERLINK(\"http://example.org\",\"Xã\")"]
    assert table[1][-1] == "có"

    r = client.get("/api/gaps.xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb["Xếp hạng"]
    assert [c.value for c in ws[1]][:3] == ["Hạng", "Mã xã", "Tên xã"]
    assert ws["A2"].value == 1 and ws["B2"].value == x
    assert ws["C2"].data_type == "s" and ws["C2"].value.startswith("=HYPERLINK")
    assert "Cách tính" in wb.sheetnames

    cov = client.get("/api/coverage.xlsx?level=commune&allocation=even")
    wb = load_workbook(io.BytesIO(cov.content))
    assert wb.sheetnames == ["Chỉ số", "Chưa phân bổ", "Đối chiếu"]
    notes = {row[0].value: row[1].value for row in wb["Đối chiếu"].iter_rows()}
    assert notes["Tổng kinh phí khuyến công (đ)"] == 800_000_000
    assert notes["Đã phân bổ cho đơn vị (đ)"] + notes["Chưa phân bổ (đ)"] == 800_000_000
    rows = list(csv.reader(io.StringIO(client.get("/api/coverage.csv?level=district")
                                       .content.decode("utf-8-sig"))))
    assert rows[0][0] == "Mã đơn vị" and len(rows) == 14
    assert client.get("/api/gaps.csv?allocation=weird").status_code == 422


def test_gaps_page_has_formula_and_ranking(boundaries: Any, client: TestClient,
                                           underserved: dict[str, str]) -> None:
    html = client.get("/maps/gaps").text
    assert "Điểm thiếu hỗ trợ = 100 × (k × N − S)" in html
    assert "N = (E/ΣE + L/ΣL + V/ΣV) / 3" in html and "k = 1,5" in html
    first = html.index('<ol class="kc-gaplist">')
    assert html.index(f'data-code="{underserved["x"]}"', first) \
        < html.index(f'data-code="{underserved["s1"]}"', first)
    assert "chưa được hỗ trợ" in html
    assert "/api/gaps.csv" in html and "/api/gaps.xlsx" in html
