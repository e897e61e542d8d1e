"""Needs through /api/imports (kind=needs): a district officer's batch, rows outside the district
rejected, commit, a person's correction that a re-import meets as a conflict, decisions, undo;
the /imports page offers needs; mappings for needs are checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.api.test_imports_api import upload, write
from tests.geo.intake.test_need_import import district_rows, district_world, needs_workbook
from tests.review_helpers import auth_client, login
from tests.world import BINH_SON, EVIL, one


def test_officer_imports_needs_of_the_district(client: Any, conn: Any, bearer: Any,
                                              tmp_path: Path) -> None:
    w = district_world(conn)
    rows = district_rows(w)
    officer = bearer("district_officer", BINH_SON)
    path = needs_workbook(tmp_path / "nhu_cau.xlsx", rows)
    batch = upload(client, officer, path, kind="needs")
    assert batch["status"] == "ready", batch
    assert batch["kind"] == "needs" and batch["district_code"] == BINH_SON
    assert batch["summary"]["accepted"] == 4 and batch["summary"]["actions"]["new"] == 4
    by_row = {r["row"]: r for r in batch["rows"]}
    assert by_row[12]["status"] == "rejected"
    assert "không thuộc huyện của bạn" in by_row[12]["issues"][0]["message"]
    assert by_row[4]["name"] == EVIL
    assert one(conn, "SELECT count(*) FROM support_need") == 0

    done = write(client, officer, batch["id"])  # 202, then the background job
    assert done["status"] == "committed", done
    assert done["summary"]["written"]["inserted"] == 4
    listed = client.get(f"/api/needs?district={BINH_SON}", headers=officer).json()
    assert len(listed) == 4 and {n["status"] for n in listed} == {"registered"}

    # the officer corrects B's requested amount; the district sends the sheet again, changed
    b_need = next(n for n in listed if n["establishment_id"] == w["ids"]["B"])
    fixed = client.patch(f"/api/needs/{b_need['id']}", json={"requested_vnd": 350_000_000},
                         headers={**officer, "If-Match": str(b_need["version"])})
    assert fixed.status_code == 200
    rows[1][8] = 380
    again = upload(client, officer, needs_workbook(tmp_path / "nhu_cau.xlsx", rows),
                   kind="needs")
    row = next(r for r in again["rows"] if r["row"] == 5)
    assert row["status"] == "conflict" and row["conflicts"][0]["field"] == "requested_vnd"
    assert again["summary"]["actions"] == {"new": 0, "update": 0, "unchanged": 3,
                                           "conflict": 1}
    waiting = client.post(f"/api/imports/{again['id']}/commit", json={}, headers=officer)
    assert waiting.status_code == 409 and "xung đột" in waiting.json()["detail"]
    decided = client.post(f"/api/imports/{again['id']}/rows/5/decision",
                          json={"field": "requested_vnd", "choice": "file"}, headers=officer)
    assert decided.status_code == 200
    assert write(client, officer, again["id"])["status"] == "committed"
    assert one(conn, "SELECT requested_vnd FROM support_need WHERE id = %s",
               (b_need["id"],)) == 380_000_000
    assert one(conn, "SELECT count(*) FROM support_need") == 4

    undo = write(client, officer, again["id"], "undo")
    assert undo["status"] == "undone" and undo["summary"]["undo"]["restored"] == 1
    assert one(conn, "SELECT requested_vnd FROM support_need WHERE id = %s",
               (b_need["id"],)) == 350_000_000
    first = write(client, officer, batch["id"], "undo")
    assert first["status"] == "undone"
    # B's need was changed by a person since: kept; the three others are removed
    assert first["summary"]["undo"]["removed"] == 3
    assert first["summary"]["undo"]["kept_fields"] == 1
    assert one(conn, "SELECT count(*) FROM support_need") == 1
    audit = one(conn, "SELECT count(*) FROM audit_log WHERE entity = 'support_need' "
                      "AND action = 'import_undo'")
    assert audit == 4


def test_needs_import_roles_page_and_mappings(client: Any, conn: Any, bearer: Any,
                                             make_user: Any, tmp_path: Path) -> None:
    w = district_world(conn)
    path = needs_workbook(tmp_path / "nhu_cau.xlsx", district_rows(w))
    with path.open("rb") as fh:
        refused = client.post("/api/imports", headers=bearer("viewer"),
                              data={"kind": "needs"}, files={"file": ("nhu_cau.xlsx", fh)})
    assert refused.status_code == 403
    planner = bearer("planner")
    batch = upload(client, planner, path, kind="needs")
    assert batch["summary"]["accepted"] == 5
    bad = client.post("/api/import-mappings", headers=planner, json={
        "name": "nhu cau", "kind": "needs", "mapping": {"Số tiền xin": "budget"}})
    assert bad.status_code == 422 and "không có trường 'budget'" in bad.json()["detail"]
    good = client.post("/api/import-mappings", headers=planner, json={
        "name": "nhu cau", "kind": "needs", "mapping": {"Số tiền xin": "requested_vnd"}})
    assert good.status_code == 200
    saved = client.get("/api/import-mappings", headers=planner).json()
    assert {"name": "nhu cau", "kind": "needs",
            "mapping": {"Số tiền xin": "requested_vnd"}} in saved

    officer = make_user("district_officer", BINH_SON)
    web = auth_client(conn)
    login(web, officer.username)
    page = web.get("/imports").text
    assert '<option value="needs">' in page and '<option value="projects">' not in page
    fields = json.loads(page.split('id="kc-fields">', 1)[1].split("</script>", 1)[0])
    assert "requested_vnd" in fields["needs"]
