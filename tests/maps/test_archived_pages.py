"""Review and record pages of a record archived by an import: gone from the district's review
list, map and counts; its pages still open and say in Vietnamese when, by which batch and
file it was archived and how to bring it back; no edit form, a forged save is refused; the
file's name stays text (Chromium)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from api.cli import imports as cli_import
from tests.api.test_imports_api import upload
from tests.api.test_imports_api import write as commit_or_undo
from tests.api.test_imports_archive import GONE, places, write_sheet
from tests.conftest import TEST_PASSWORD
from tests.review_helpers import auth_client, form_token, login
from tests.world import one, rows

__all__ = ["places"]
NOTICE = "Bản ghi đã được lưu trữ"
HOSTILE_FILE = "{{7*7}}<img src=x onerror=alert(1)>.xlsx"


def _session(conn: Any, make_user: Any, role: str, district: str | None = None) -> Any:
    c = auth_client(conn)
    assert login(c, make_user(role, district).username).status_code == 303
    return c


def _file_in_notice(page: str) -> str:
    found = re.search(r'«<span class="kc-archived-file">(.*?)</span>»', page)
    assert found, "the notice names no file"
    return found.group(1)


def _district_of(conn: Any, rid: int) -> str:
    return str(one(conn, "SELECT COALESCE(district_code, location_district_code) "
                         "FROM record_place WHERE establishment_id = %s", (rid,)))


def _map_ids(page: str) -> list[int]:
    """Ids of the establishments in the district page's map data."""
    found = re.search(r'<script type="application/json" id="kc-review-data">(.*?)</script>',
                      page, re.S)
    assert found, "no map data on the page"
    return [int(i["id"]) for i in json.loads(found.group(1))["items"]]


def _progress_total(page: str, district: str) -> int:
    row = re.search(rf'<tr data-district="{district}">.*?<td class="kc-num">([\d.]+)</td>',
                    page)
    assert row, district
    return int(row.group(1).replace(".", ""))


def _index_counts(page: str) -> dict[str, int]:
    """The index page's counts of records, by label."""
    return {k: int(v.replace(".", "")) for k, v in re.findall(
        r'<th scope="row">([^<]+)</th><td class="kc-num">([\d.]+)</td>', page)}


def test_archived_record_leaves_review_page_and_its_page_says_so(
        client: Any, conn: Any, bearer: Any, make_user: Any, places: dict[str, Any],
        tmp_path: Path) -> None:
    planner = bearer("planner")
    path = write_sheet(tmp_path / "co_so_huyen.xlsx", places)
    commit_or_undo(client, planner, upload(client, planner, path)["id"])
    rid = one(conn, "SELECT id FROM establishment WHERE name = %s", (GONE,))
    district = _district_of(conn, rid)
    officer = _session(conn, make_user, "district_officer", district)
    overview = _session(conn, make_user, "planner")
    page = officer.get(f"/review/{district}").text
    assert GONE in page and rid in _map_ids(page)
    total = _progress_total(overview.get("/review").text, district)
    counts = _index_counts(client.get("/").text)
    archived_row = "Bản ghi đã lưu trữ khi nhập tệp (không tính ở trên)"
    assert archived_row not in counts

    write_sheet(path, places, without=GONE)
    batch = upload(client, planner, path)
    assert commit_or_undo(client, planner, batch["id"],
                          archive_absent=True)["summary"]["written"]["archived"] == 1

    page = officer.get(f"/review/{district}").text
    assert GONE not in page and rid not in _map_ids(page) and f"est-{rid}" not in page
    for flag in ("unreviewed", "commune_only", "conflict"):
        assert f"est-{rid}\"" not in officer.get(f"/review/{district}?filter={flag}").text
    assert _progress_total(overview.get("/review").text, district) == total - 1
    assert _index_counts(client.get("/").text) == {
        **counts, "Cơ sở công nghiệp nông thôn": counts["Cơ sở công nghiệp nông thôn"] - 1,
        archived_row: 1}

    # its review page opens: the notice, no form; a forged save is refused (409)
    detail = officer.get(f"/review/{district}/establishments/{rid}")
    assert detail.status_code == 200
    text = html.unescape(detail.text)
    assert NOTICE in text and _file_in_notice(text) == "co_so_huyen.xlsx"
    assert "Nơi ghi trước khi lưu trữ: Xã" in text and "bản ghi đã lưu trữ" in text
    assert f"lô nhập số {batch['id']}" in text and 'href="/imports"' in text
    assert "không còn hiện trên bản đồ" in text and "không được tính vào các số liệu" in text
    assert 'id="kc-edit-form"' not in detail.text and "kc-confirm" not in detail.text
    version = one(conn, "SELECT version FROM establishment WHERE id = %s", (rid,))
    r = officer.post(f"/review/{district}/establishments/{rid}",
                     data={"csrf_token": form_token(page), "version": str(version),
                           "action": "confirm"})
    assert r.status_code == 409 and "đã được lưu trữ" in html.unescape(r.text)
    assert rows(conn, "SELECT version, reviewed_at IS NULL FROM establishment "
                      "WHERE id = %s", (rid,)) == [(version, True)]
    # the history names the archiving; it is undone with its batch, not by a button
    audit_id = one(conn, "SELECT id FROM audit_log WHERE batch_id = %s AND entity_id = %s",
                   (batch["id"], rid))
    history = overview.get(f"/review/{district}/history").text
    row = re.search(rf'<tr id="change-{audit_id}">.*?</tr>', history, re.S)
    assert row and "hoàn tác cùng lô nhập" in row.group(0) and "<form" not in row.group(0)
    # the record page says it too, without the review button
    record = overview.get(f"/records/establishments/{rid}")
    assert record.status_code == 200 and NOTICE in record.text
    assert _file_in_notice(html.unescape(record.text)) == "co_so_huyen.xlsx"
    assert f"/review/{district}/establishments/{rid}" not in record.text

    # undone: back on the review page, without the notice
    commit_or_undo(client, planner, batch["id"], "undo")
    assert rid in _map_ids(officer.get(f"/review/{district}").text)
    assert NOTICE not in officer.get(f"/review/{district}/establishments/{rid}").text
    assert _progress_total(overview.get("/review").text, district) == total
    assert _index_counts(client.get("/").text) == counts


def test_hostile_file_name_stays_text_in_chromium(
        conn: Any, database: Any, places: dict[str, Any], make_user: Any, live_server: str,
        offline_page: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(cli_import, "database_from_env", lambda *a, **k: database)
    path = write_sheet(tmp_path / HOSTILE_FILE, places)
    runner = CliRunner()
    assert runner.invoke(cli_import.app, ["establishments", str(path)]).exit_code == 0
    write_sheet(path, places, without=GONE)
    done = runner.invoke(cli_import.app, ["establishments", str(path), "--archive-absent"])
    assert done.exit_code == 0, done.output
    [(rid, batch)] = rows(conn, "SELECT id, archived_batch_id FROM establishment "
                                "WHERE name = %s AND archived_at IS NOT NULL", (GONE,))
    assert one(conn, "SELECT file_name FROM import_batch WHERE id = %s", (batch,)) \
        == HOSTILE_FILE
    district = _district_of_location(conn, rid)
    officer = make_user("district_officer", district)
    page = offline_page.page

    page.goto(f"{live_server}/records/establishments/{rid}")
    notice = page.locator("#kc-archived")
    notice.wait_for()
    words = notice.inner_text()
    assert NOTICE in words and f"«{HOSTILE_FILE}»" in words and f"lô nhập số {batch}" in words
    assert page.locator("#kc-archived .kc-archived-file").text_content() == HOSTILE_FILE
    assert page.locator("#kc-archived img").count() == 0  # {{7*7}} not evaluated: the span above

    page.goto(f"{live_server}/review/{district}/establishments/{rid}")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/review/{district}/establishments/{rid}")
    page.locator("#kc-archived").wait_for()
    assert page.locator("#kc-archived .kc-archived-file").text_content() == HOSTILE_FILE
    assert page.locator("#kc-edit-form").count() == 0
    assert page.locator("img[src=x]").count() == 0
    page.goto(f"{live_server}/review/{district}")
    page.wait_for_selector("#kc-review-map")
    assert page.locator(f"#est-{rid}").count() == 0 and GONE not in page.content()
    assert offline_page.dialogs == [] and offline_page.console_errors == []
    assert offline_page.blocked == []


def _district_of_location(conn: Any, rid: int) -> str:
    """The district of an archived record's first location (record_place hides it)."""
    return str(one(conn, """
        SELECT COALESCE(u.parent_code, l.district_code) FROM location l
        LEFT JOIN admin_unit u ON u.edition = 'legacy' AND u.code = l.commune_code
        WHERE l.establishment_id = %s ORDER BY l.id LIMIT 1""", (rid,)))
