"""A file whose required column is not recognised (the name column headed 'Đơn vị sản xuất')
fails to read, but the batch keeps the columns it found: the API lists them, and the /imports
page offers to map them, then reads the file again with the mapping. Headers stay text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.intake.store import table_counts
from tests.api.test_import_decisions import workbook
from tests.api.test_imports_api import upload
from tests.geo.intake.test_importers import HOSTILE
from tests.maps.test_imports_page_decisions import clean, log_in
from tests.world import one

HEADER = ["Đơn vị sản xuất", "Ngành nghề", "Xã/Phường/TT", "Huyện/TX/TP", HOSTILE]
ROWS = [["Cơ sở đan lát Tịnh Hà", "Mây tre đan", "Tịnh Hà", "Sơn Tịnh", "x"],
        ["Cơ sở rèn Nghĩa Kỳ", "Rèn", "Nghĩa Kỳ", "Tư Nghĩa", "y"]]


def test_api_failed_batch_lists_the_columns_found(client: Any, conn: Any, bearer: Any,
                                                 tmp_path: Path) -> None:
    before = table_counts(conn)
    batch = upload(client, bearer("planner"), workbook(tmp_path / "co_so.xlsx", HEADER, ROWS))
    assert batch["status"] == "failed"
    assert "co_so.xlsx" in batch["message"] and "thiếu cột bắt buộc" in batch["message"]
    assert "Tên cơ sở" in batch["message"]
    columns = {c["header"]: c["field"] for c in batch["columns"]}
    assert columns["Đơn vị sản xuất"] is None and columns["Ngành nghề"] == "trade"
    assert columns[HOSTILE] is None
    assert batch["rows"] == [] and table_counts(conn) == before


def test_page_offers_the_mapping_when_a_required_column_is_missing(
        conn: Any, make_user: Any, live_server: str, offline_page: Any, tmp_path: Path) -> None:
    path = workbook(tmp_path / "co_so.xlsx", HEADER, ROWS)
    page = offline_page.page
    log_in(page, live_server, make_user("planner").username)
    page.set_input_files("#kc-file", str(path))
    page.select_option("#kc-kind", "establishments")
    page.click("#kc-read")
    page.wait_for_selector("#kc-columns-box:not([hidden])", timeout=60_000)
    assert "thiếu cột bắt buộc" in page.inner_text("#kc-message")
    assert page.locator("#kc-preview-box").is_hidden()
    assert page.locator("#kc-columns img").count() == 0  # a header is text, never markup
    assert HOSTILE in page.inner_text("#kc-columns")
    page.locator("#kc-columns tbody tr", has_text="Đơn vị sản xuất").locator("select") \
        .select_option("name")
    page.click("#kc-reread")
    page.wait_for_selector("#kc-preview-box:not([hidden]) #kc-rows tbody tr", timeout=60_000)
    assert "2 nhận" in page.inner_text("#kc-summary")
    assert "Cơ sở rèn Nghĩa Kỳ" in page.inner_text("#kc-rows")
    with page.expect_response(lambda r: r.url.endswith("/commit")):
        page.click("#kc-commit")
    page.wait_for_selector("#kc-undo:not([hidden])", timeout=60_000)
    assert one(conn, "SELECT count(*) FROM establishment WHERE name = %s",
               ("Cơ sở đan lát Tịnh Hà",)) == 1
    clean(offline_page)
