"""Decisions on a batch through the API: a conflict settled by taking the file's value (the
person's edit then goes, audited, and undo brings it back), an ambiguous address placed by
picking one of its candidate communes, a column mapping saved under a name and reused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from geo.intake.store import table_counts
from tests.api.test_imports_api import edited_workbook, upload
from tests.api.test_imports_api import write as commit_or_undo
from tests.geo.intake.test_importers import messy_workbook, places
from tests.world import one

__all__ = ["places"]
EDITED = "Cơ sở mộc Thành Công (đã sửa)"
FROM_FILE = "Cơ sở mộc Thành Công mới"
AMBIGUOUS = "Phường Nguyễn Nghiêm"  # a ward of Thành phố Quảng Ngãi and of Thị xã Đức Phổ


def workbook(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def committed_and_edited(client: Any, conn: Any, bearer: Any, p: dict[str, Any],
                         path: Path) -> tuple[dict[str, str], int]:
    """The messy file imported by a planner, then one name corrected by PATCH."""
    planner = bearer("planner")
    first = upload(client, planner, messy_workbook(path, p))
    assert commit_or_undo(client, planner, first["id"])["status"] == "committed"
    rid = one(conn, "SELECT id FROM establishment WHERE name = 'Cơ sở mộc Thành Công'")
    officer = bearer("district_officer", one(
        conn, "SELECT district_code FROM location WHERE establishment_id = %s", (rid,)))
    version = client.get(f"/api/establishments/{rid}", headers=officer).json()["version"]
    r = client.patch(f"/api/establishments/{rid}", headers={**officer, "If-Match": str(version)},
                     json={"name": EDITED, "reason": "Sửa tên theo hồ sơ"})
    assert r.status_code == 200, r.text
    return planner, rid


def test_conflict_taken_from_the_file(client: Any, conn: Any, bearer: Any,
                                      places: dict[str, Any], tmp_path: Path) -> None:
    planner, rid = committed_and_edited(client, conn, bearer, places,
                                        tmp_path / "co_so_2024.xlsx")
    changed = upload(client, planner, edited_workbook(tmp_path / "co_so_2024.xlsx", places,
                                                      FROM_FILE))
    row = next(r for r in changed["rows"] if r["status"] == "conflict")
    assert row["record_id"] == rid and row["conflicts"][0]["current"] == EDITED
    url = f"/api/imports/{changed['id']}/rows/{row['row']}/decision"
    # a choice other than file/keep, or a field without conflict: refused in Vietnamese
    bad = client.post(url, headers=planner, json={"field": "name", "choice": "both"})
    assert bad.status_code == 422 and "Lựa chọn" in bad.json()["detail"]
    bad = client.post(url, headers=planner, json={"field": "phone", "choice": "file"})
    assert bad.status_code == 422 and "không có xung đột" in bad.json()["detail"]
    r = client.post(url, headers=planner, json={"field": "name", "choice": "file"})
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.text
    assert r.json()["conflicts"][0]["decided"] == "file"
    shown = client.get(f"/api/imports/{changed['id']}", headers=planner).json()
    assert {x["row"]: x for x in shown["rows"]}[row["row"]]["status"] == "accepted"
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (rid,)) == EDITED
    done = commit_or_undo(client, planner, changed["id"])
    assert done["summary"]["written"]["updated"] == 1, done
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (rid,)) == FROM_FILE
    assert one(conn, "SELECT after ->> 'name' FROM audit_log WHERE batch_id = %s "
                     "AND action = 'import' AND entity_id = %s", (changed["id"], rid)) == FROM_FILE
    assert one(conn, "SELECT before ->> 'name' FROM audit_log WHERE batch_id = %s "
                     "AND action = 'import' AND entity_id = %s", (changed["id"], rid)) == EDITED
    # the file's value is now the imported one: the same file again has no conflict
    again = upload(client, planner, tmp_path / "co_so_2024.xlsx")
    assert again["summary"]["conflict"] == 0
    # undo puts the person's name back
    done = commit_or_undo(client, planner, changed["id"], "undo")
    assert done["summary"]["undo"]["restored"] == 1, done
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (rid,)) == EDITED


def test_ambiguous_address_placed_by_picking_a_commune(client: Any, conn: Any, bearer: Any,
                                                        tmp_path: Path) -> None:
    planner = bearer("planner")
    path = workbook(tmp_path / "co_so_in.xlsx", ["Tên cơ sở", "Ngành nghề", "Xã/Phường/TT"],
                    [["Cơ sở in Nguyễn Nghiêm", "In ấn", AMBIGUOUS],
                     ["Cơ sở mộc Tịnh Hà", "Mộc", "Xã Tịnh Hà"]])
    batch = upload(client, planner, path)
    row = batch["rows"][0]
    assert row["geocode_status"] == "ambiguous" and row["precision"] != "commune"
    codes = {c["code"] for c in row["candidates"] if c["edition"] == "legacy"}
    assert codes == {"21025", "21439"}
    url = f"/api/imports/{batch['id']}/rows/{row['row']}/commune"
    # a commune that is not a candidate: refused
    bad = client.post(url, headers=planner, json={"commune_code": "21220"})
    assert bad.status_code == 422 and "không nằm trong các lựa chọn" in bad.json()["detail"]
    r = client.post(url, headers=planner, json={"commune_code": "21439"})
    assert r.status_code == 200, r.text
    assert (r.json()["commune_code"], r.json()["precision"]) == ("21439", "commune")
    shown = client.get(f"/api/imports/{batch['id']}", headers=planner).json()["rows"][0]
    assert (shown["commune_code"], shown["district_code"], shown["geocode_status"]) == \
        ("21439", "534", "ok")
    assert shown["lon"] is not None and shown["candidates"] == []
    done = commit_or_undo(client, planner, batch["id"])
    assert done["summary"]["written"]["inserted"] == 2, done
    assert one(conn, "SELECT l.commune_code || ' ' || l.precision || ' ' || l.method "
                     "FROM location l JOIN establishment e ON e.id = l.establishment_id "
                     "WHERE e.name = 'Cơ sở in Nguyễn Nghiêm'") == "21439 commune import_choice"
    # a committed batch takes no more choices
    again = client.post(url, headers=planner, json={"commune_code": "21025"})
    assert again.status_code == 409


VILLAGE_HEADER = ["Tên làng nghề", "Nghề", "Địa bàn xã", "Huyện", "Mã nội bộ"]


def test_saved_mapping_is_reused_by_name(client: Any, conn: Any, bearer: Any,
                                         tmp_path: Path) -> None:
    planner = bearer("planner")
    rows = [["Làng nghề bánh tráng Tịnh Hà", "Bánh tráng", "Tịnh Hà", "Sơn Tịnh", "LN-07"]]
    first = upload(client, planner, workbook(tmp_path / "lang_nghe.xlsx", VILLAGE_HEADER, rows),
                   kind="villages")
    unknown = [c["header"] for c in first["columns"] if c["field"] is None]
    assert {"Địa bàn xã", "Mã nội bộ"} <= set(unknown)
    assert first["rows"][0]["precision"] == "district"  # the commune column was not used
    # save a mapping under a name; a field that does not exist is refused in Vietnamese
    bad = client.post("/api/import-mappings", headers=planner, json={
        "name": "Mẫu làng nghề", "kind": "villages", "mapping": {"Địa bàn xã": "xa"}})
    assert bad.status_code == 422 and "không có trường" in bad.json()["detail"]
    r = client.post("/api/import-mappings", headers=planner, json={
        "name": "Mẫu làng nghề", "kind": "villages",
        "mapping": {"Địa bàn xã": "commune", "Mã nội bộ": "ignore"}})
    assert r.status_code == 200 and r.json() == {"name": "Mẫu làng nghề", "saved": True}
    listed = client.get("/api/import-mappings", headers=planner).json()
    assert {"name": "Mẫu làng nghề", "kind": "villages",
            "mapping": {"Địa bàn xã": "commune", "Mã nội bộ": "ignore"}} in listed
    # the next file of the same office, read with the saved mapping by its name
    rows2 = [["Làng nghề chiếu cói Tịnh Hà", "Chiếu cói", "Tịnh Hà", "Sơn Tịnh", "LN-08"]]
    second = upload(client, planner, workbook(tmp_path / "lang_nghe_2025.xlsx", VILLAGE_HEADER,
                                              rows2), kind="villages",
                    mapping_name="Mẫu làng nghề")
    fields = {c["header"]: c["field"] for c in second["columns"]}
    assert fields["Địa bàn xã"] == "commune" and fields["Mã nội bộ"] is None
    assert (second["rows"][0]["commune_code"], second["rows"][0]["precision"]) == \
        ("21220", "commune")
    counts = table_counts(conn)
    missing = client.post("/api/imports", headers=planner,
                          data={"kind": "villages", "mapping_name": "Không có"},
                          files={"file": ("x.xlsx", (tmp_path / "lang_nghe.xlsx").read_bytes(),
                                          "application/octet-stream")})
    assert missing.status_code == 404 and "Không có ánh xạ" in missing.json()["detail"]
    assert table_counts(conn) == counts
