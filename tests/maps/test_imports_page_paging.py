"""A large batch is shown a page of rows at a time: the API pages and filters a batch's rows
(offset, limit, status) and says how many match; the /imports page in Chromium shows the
first 500 rows of a 1,200-row file with the count, loads more on demand, and filters the rows
that need a look. While a job runs the page polls without rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tests.api.test_imports_api import upload
from tests.geo.intake.test_importers import HOSTILE, places
from tests.maps.test_imports_page_decisions import clean, log_in

__all__ = ["places"]
ROWS = 1200


def big_workbook(path: Path, p: dict[str, Any]) -> Path:
    """ROWS establishments over the five test communes; every 100th has no name (rejected)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["STT", "Tên cơ sở", "Ngành nghề", "Xã/Phường/TT", "Huyện/TX/TP"])
    units = list(p.values())
    for i in range(1, ROWS + 1):
        unit = units[i % len(units)]
        name = None if i % 100 == 0 else (HOSTILE if i == 7 else f"Cơ sở mộc số {i}")
        ws.append([i, name, f"Mộc dân dụng {i}", unit["commune"], unit["district"]])
    wb.save(path)
    return path


def test_api_pages_and_filters_a_batch_rows(client: Any, bearer: Any, places: dict[str, Any],
                                            tmp_path: Path) -> None:
    planner = bearer("planner")
    batch = upload(client, planner, big_workbook(tmp_path / "lon.xlsx", places))
    assert batch["status"] == "ready" and batch["summary"]["total"] == ROWS
    assert batch["rows_total"] == ROWS and len(batch["rows"]) == 1000  # the default page
    assert [r["row"] for r in batch["rows"][:2]] == [2, 3]
    url = f"/api/imports/{batch['id']}"
    page = client.get(url, headers=planner, params={"offset": 1190, "limit": 50}).json()
    assert [r["row"] for r in page["rows"]] == list(range(1192, 1202))
    assert (page["rows_total"], page["rows_offset"], page["rows_limit"]) == (ROWS, 1190, 50)
    bad = client.get(url, headers=planner, params={"status": "rejected"}).json()
    assert bad["rows_total"] == 12 and {r["status"] for r in bad["rows"]} == {"rejected"}
    assert [r["row"] for r in bad["rows"][:2]] == [101, 201]
    two = client.get(url, headers=planner, params=[("status", "rejected"),
                                                   ("status", "conflict")]).json()
    assert two["rows_total"] == 12
    bare = client.get(url, headers=planner, params={"limit": 0}).json()
    assert bare["rows"] == [] and bare["rows_total"] == ROWS and bare["summary"]["total"] == ROWS
    for params in ({"status": "weird"}, {"limit": 6000}, {"offset": -1}):
        r = client.get(url, headers=planner, params=params)
        assert r.status_code == 422, params


def test_page_shows_a_large_batch_a_page_at_a_time(make_user: Any, live_server: str,
                                                   offline_page: Any, places: dict[str, Any],
                                                   tmp_path: Path) -> None:
    path = big_workbook(tmp_path / "lon.xlsx", places)
    page = offline_page.page
    log_in(page, live_server, make_user("planner").username)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/imports/" in r.url else None)
    page.set_input_files("#kc-file", str(path))
    page.select_option("#kc-kind", "establishments")
    page.click("#kc-read")
    page.wait_for_selector("#kc-preview-box:not([hidden]) #kc-rows tbody tr", timeout=60_000)
    assert page.locator("#kc-rows tbody tr").count() == 500
    assert "500 / 1200 dòng" in page.inner_text("#kc-rows-count")
    assert page.locator("#kc-rows img").count() == 0 and HOSTILE in page.inner_text("#kc-rows")
    page.click("#kc-more")
    page.locator("#kc-rows-count", has_text="1000 / 1200").wait_for(timeout=30_000)
    assert page.locator("#kc-rows tbody tr").count() == 1000
    assert page.locator("#kc-rows tbody tr").nth(999).get_attribute("data-row") == "1001"
    page.click("#kc-more")
    page.locator("#kc-rows-count", has_text="(1200 dòng)").wait_for(timeout=30_000)
    assert page.locator("#kc-more").is_hidden()
    page.select_option("#kc-row-filter", "rejected,conflict")
    page.locator("#kc-rows-count", has_text="(12 dòng)").wait_for(timeout=30_000)
    assert page.locator("#kc-rows tbody tr.kc-row-rejected").count() == 12
    assert page.locator("#kc-rows tbody tr").count() == 12
    polls = [u for u in asked if "limit=0" in u]
    assert polls, asked  # progress is followed without rows
    assert all("limit=0" in u or "limit=500" in u for u in asked if "/api/imports/" in u
               and "offset=" not in u), asked
    clean(offline_page)
