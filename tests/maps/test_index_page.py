"""The index page is for people: maps, review, briefing, login, data date, demo notice."""

from __future__ import annotations

from typing import Any


def test_index_counts_with_dot_thousands_and_names_demo_data(conn: Any, client: Any) -> None:
    with conn.cursor() as cur:
        cur.execute("INSERT INTO establishment (record_key, name, is_demo) "
                    "SELECT 'IDX-' || n, 'Cơ sở ' || n, true FROM generate_series(1, 1500) n")
    html = client.get("/").text
    assert ">1.500<" in html and ">1500<" not in html
    assert "dữ liệu mẫu (tổng hợp)" in html
    assert "Dữ liệu cập nhật lần cuối: " in html
    assert 'href="/login' in html and 'href="/reports/briefing.pdf"' in html


def test_index_without_records(client: Any) -> None:
    html = client.get("/").text
    assert "dữ liệu mẫu" not in html and "Chưa có dữ liệu" in html
