"""Real Chromium, offline, on the batch page /imports: conflicts settled one by taking the
file's value and one by keeping the person's edit; an ambiguous address placed by picking a
commune; a column mapping saved under a name on the page and reused for the next file;
records absent from a re-sent file archived with the page's checkbox. No console errors."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from geo.intake.store import table_counts
from tests.api.test_import_decisions import AMBIGUOUS, VILLAGE_HEADER, workbook
from tests.api.test_imports_api import upload
from tests.api.test_imports_api import write as commit_or_undo
from tests.api.test_imports_archive import GONE, write_sheet
from tests.conftest import TEST_PASSWORD
from tests.geo.intake.test_importers import (
    MESSY_HEADER_LOWER,
    MESSY_HEADER_UPPER,
    messy_rows,
    places,
)
from tests.world import one

__all__ = ["places"]
FIRST, SECOND = "Cơ sở mộc Thành Công", "HTX dệt thổ cẩm"


def renamed(path: Path, p: dict[str, Any], names: dict[str, str]) -> Path:
    """The messy establishments on one header row, some names changed."""
    rows = messy_rows(p)
    for row in rows:
        row[1] = names.get(row[1], row[1])
    header = ([h or "" for h in MESSY_HEADER_UPPER[:4]] + [str(h) for h in MESSY_HEADER_LOWER[4:9]]
              + [h or "" for h in MESSY_HEADER_UPPER[9:]])
    return workbook(path, header, rows)


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/imports")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/imports")


def read(page: Any, path: Path, kind: str = "establishments", mapping: str | None = None
         ) -> None:
    page.set_input_files("#kc-file", str(path))
    page.select_option("#kc-kind", kind)
    if mapping is not None:
        page.select_option("#kc-mapping-name", mapping)
    page.click("#kc-read")
    page.wait_for_selector("#kc-preview-box:not([hidden]) #kc-rows tbody tr", timeout=60_000)


def row_of(page: Any, text: str) -> Any:
    return page.locator("#kc-rows tbody tr", has_text=text)


def decided(page: Any, name: str, choice: str) -> None:
    """Wait until the row of NAME shows the decision CHOICE."""
    page.wait_for_function("""([name, choice]) => [...document.querySelectorAll(
        '#kc-rows tbody tr')].some(tr => tr.textContent.includes(name)
                                         && tr.textContent.includes(choice))""",
                           arg=[name, choice])


def commit(page: Any) -> None:
    page.click("#kc-commit")
    page.wait_for_selector("#kc-undo:not([hidden])", timeout=30_000)


def clean(offline_page: Any, refused: int = 0) -> None:
    """No console errors but the `refused` 409 answers the test asked for."""
    assert offline_page.console_errors == ["Failed to load resource: the server responded "
                                           "with a status of 409 (Conflict)"] * refused
    assert offline_page.blocked == []
    assert offline_page.dialogs == []


def test_conflicts_decided_on_the_page(client: Any, conn: Any, bearer: Any, make_user: Any,
                                       live_server: str, offline_page: Any,
                                       places: dict[str, Any], tmp_path: Path) -> None:
    planner = bearer("planner")
    path = renamed(tmp_path / "co_so_2024.xlsx", places, {})
    first = upload(client, planner, path)
    assert commit_or_undo(client, planner, first["id"])["status"] == "committed"
    ids = {}
    for name in (FIRST, SECOND):  # each corrected by its district's officer
        rid = one(conn, "SELECT id FROM establishment WHERE name = %s", (name,))
        officer = bearer("district_officer", one(
            conn, "SELECT district_code FROM location WHERE establishment_id = %s", (rid,)))
        version = client.get(f"/api/establishments/{rid}", headers=officer).json()["version"]
        r = client.patch(f"/api/establishments/{rid}",
                         headers={**officer, "If-Match": str(version)},
                         json={"name": name + " (đã sửa)", "reason": "Sửa tên theo hồ sơ"})
        assert r.status_code == 200, r.text
        ids[name] = rid
    renamed(path, places, {FIRST: FIRST + " mới", SECOND: SECOND + " mới"})
    page = offline_page.page
    log_in(page, live_server, make_user("planner").username)
    read(page, path)
    take, keep = row_of(page, FIRST + " mới"), row_of(page, SECOND + " mới")
    for row in (take, keep):
        assert "Xung đột" in row.inner_text()
        assert "(đã sửa)" in row.inner_text()  # the person's value is shown beside the file's
    page.click("#kc-commit")  # refused while conflicts wait
    page.wait_for_selector("#kc-message.kc-error")
    assert "xung đột" in page.inner_text("#kc-message")
    take.locator("button", has_text="Lấy giá trị trong tệp").click()
    decided(page, "Thành Công mới", "lấy giá trị trong tệp")
    keep.locator("button", has_text="Giữ giá trị đã sửa").click()
    decided(page, "thổ cẩm mới", "giữ giá trị đã sửa")
    commit(page)
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (ids[FIRST],)) == \
        FIRST + " mới"
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (ids[SECOND],)) == \
        SECOND + " (đã sửa)"
    clean(offline_page, refused=1)


def test_ambiguous_address_picked_on_the_page(conn: Any, make_user: Any, live_server: str,
                                              offline_page: Any, tmp_path: Path) -> None:
    path = workbook(tmp_path / "co_so_in.xlsx", ["Tên cơ sở", "Ngành nghề", "Xã/Phường/TT"],
                    [["Cơ sở in Nguyễn Nghiêm", "In ấn", AMBIGUOUS]])
    page = offline_page.page
    log_in(page, live_server, make_user("planner").username)
    read(page, path)
    row = row_of(page, "Cơ sở in Nguyễn Nghiêm")
    options = row.locator("select option")
    assert sorted(options.evaluate_all("os => os.map(o => o.value)")) == ["21025", "21439"]
    row.locator("select").select_option("21439")
    row.locator("button", has_text="Chọn xã").click()
    page.wait_for_function("""() => [...document.querySelectorAll('#kc-rows tbody tr')]
        .some(tr => tr.textContent.includes('21439 / 534') && !tr.querySelector('select'))""")
    assert "cấp xã" in row_of(page, "Cơ sở in Nguyễn Nghiêm").inner_text()
    commit(page)
    assert one(conn, "SELECT l.commune_code FROM location l JOIN establishment e ON "
                     "e.id = l.establishment_id WHERE e.name = 'Cơ sở in Nguyễn Nghiêm'") == "21439"
    clean(offline_page)


def test_mapping_saved_on_the_page_and_reused(conn: Any, make_user: Any, live_server: str,
                                              offline_page: Any, tmp_path: Path) -> None:
    first = workbook(tmp_path / "lang_nghe.xlsx", VILLAGE_HEADER,
                     [["Làng nghề bánh tráng Tịnh Hà", "Bánh tráng", "Tịnh Hà", "Sơn Tịnh",
                       "LN-07"]])
    page = offline_page.page
    log_in(page, live_server, make_user("planner").username)
    read(page, first, kind="villages")
    page.wait_for_selector("#kc-columns-box:not([hidden])")
    column = page.locator("#kc-columns tbody tr", has_text="Địa bàn xã")
    assert "Xã/Phường/TT (commune)" in column.locator("select").inner_text()
    column.locator("select").select_option("commune")
    page.locator("#kc-columns tbody tr", has_text="Mã nội bộ").locator("select") \
        .select_option("ignore")
    page.fill("#kc-mapping-save", "Mẫu làng nghề <b>x</b>")
    page.click("#kc-reread")
    page.wait_for_function("""() => !document.querySelector('#kc-columns').textContent
        .includes('Địa bàn xã')""", timeout=60_000)  # the re-read file knows that column now
    page.wait_for_function("""() => document.querySelector('#kc-rows tbody tr')
        .textContent.includes('21220')""")
    saved = one(conn, "SELECT mapping FROM import_mapping WHERE name = %s",
                ("Mẫu làng nghề <b>x</b>",))
    assert {unicodedata.normalize("NFC", k): v for k, v in saved.items()} == \
        {"Địa bàn xã": "commune", "Mã nội bộ": "ignore"}
    # later: the saved mapping is offered by name and reads the next file
    second = workbook(tmp_path / "lang_nghe_2025.xlsx", VILLAGE_HEADER,
                      [["Làng nghề chiếu cói Tịnh Hà", "Chiếu cói", "Tịnh Hà", "Sơn Tịnh",
                        "LN-08"]])
    page.goto(f"{live_server}/imports")
    assert page.locator("#kc-mapping-name b").count() == 0  # the name stays text
    read(page, second, kind="villages", mapping="Mẫu làng nghề <b>x</b>")
    page.wait_for_function("""() => document.querySelector('#kc-rows tbody tr')
        .textContent.includes('21220')""")
    assert "cấp xã" in row_of(page, "chiếu cói").inner_text()
    commit(page)
    assert one(conn, "SELECT count(*) FROM craft_village WHERE name = %s",
               ("Làng nghề chiếu cói Tịnh Hà",)) == 1
    clean(offline_page)


def test_absent_records_archived_with_the_checkbox(client: Any, conn: Any, bearer: Any,
                                                   make_user: Any, live_server: str,
                                                   offline_page: Any, places: dict[str, Any],
                                                   tmp_path: Path) -> None:
    planner = bearer("planner")
    path = write_sheet(tmp_path / "co_so.xlsx", places)
    first = upload(client, planner, path)
    assert commit_or_undo(client, planner, first["id"])["status"] == "committed"
    write_sheet(path, places, without=GONE)
    counts = table_counts(conn)
    page = offline_page.page
    log_in(page, live_server, make_user("planner").username)
    read(page, path)
    assert "1 bản ghi" in page.inner_text("#kc-absent")
    page.wait_for_selector("#kc-archive-box:not([hidden])")
    page.check("#kc-archive-absent")
    commit(page)
    assert "lưu trữ" in page.inner_text("#kc-message")
    assert one(conn, "SELECT archived_at IS NOT NULL FROM establishment WHERE name = %s",
               (GONE,))
    assert table_counts(conn) == counts  # archived, not deleted
    page.click("#kc-undo")  # a background job: the page polls until the batch is undone
    page.wait_for_function("() => document.getElementById('kc-message').textContent"
                           ".includes('Đã hoàn tác')", timeout=30_000)
    assert one(conn, "SELECT archived_at IS NULL FROM establishment WHERE name = %s", (GONE,))
    clean(offline_page)
