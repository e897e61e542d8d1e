"""Imports through the API: batches read in the background, preview, commit, re-imports that
keep people's edits (conflicts wait for a decision), audit, undo, roles, bad uploads."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from geo.intake.store import table_counts
from tests.geo.intake.test_importers import (
    MESSY_HEADER_LOWER,
    MESSY_HEADER_UPPER,
    messy_rows,
    messy_workbook,
    places,
)
from tests.world import one

__all__ = ["places"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client: Any, headers: dict[str, str], path: Path, kind: str = "establishments",
           name: str | None = None, **form: str) -> dict[str, Any]:
    """POST the file, wait for its batch to leave 'running'; the batch."""
    with path.open("rb") as fh:
        r = client.post("/api/imports", headers=headers, data={"kind": kind, **form},
                        files={"file": (name or path.name, fh, XLSX)})
    assert r.status_code == 202, r.text
    started = r.json()
    assert set(started) == {"id", "status", "progress"} and started["status"] == "running"
    client.app.state.import_jobs.wait(started["id"], 120)
    deadline = time.monotonic() + 60
    while True:
        batch = client.get(f"/api/imports/{started['id']}", headers=headers).json()
        if batch["status"] != "running" or time.monotonic() > deadline:
            return dict(batch)
        time.sleep(0.1)


def write(client: Any, headers: dict[str, str], batch_id: int, action: str = "commit",
          **body: Any) -> dict[str, Any]:
    """POST a commit or undo: 202 at once (the job writes in the background); wait for the
    job; the batch as the page then polls it."""
    r = client.post(f"/api/imports/{batch_id}/{action}", headers=headers,
                    **({"json": body} if body else {}))
    assert r.status_code == 202, r.text
    assert r.json() == {"id": batch_id, "status": "committing" if action == "commit"
                        else "undoing", "progress": 0.0}
    assert r.headers["location"] == f"/api/imports/{batch_id}"
    client.app.state.import_jobs.wait(batch_id, 120)
    return dict(client.get(f"/api/imports/{batch_id}", headers=headers).json())


def edited_workbook(path: Path, p: dict[str, Any], new_name: str) -> Path:
    """The messy sheet with the first establishment renamed, same layout on one header row."""
    rows = messy_rows(p)
    for row in rows:  # the row and its copy further down
        if row[1] == "Cơ sở mộc Thành Công":
            row[1] = new_name
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "DS co so"
    ws.append([h or "" for h in MESSY_HEADER_UPPER[:4]] + MESSY_HEADER_LOWER[4:9]
              + MESSY_HEADER_UPPER[9:])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_planner_commit_edit_reimport_conflict_undo(client: Any, conn: Any, bearer: Any,
                                                    places: dict[str, Any],
                                                    tmp_path: Path) -> None:
    planner = bearer("planner")
    path = messy_workbook(tmp_path / "co_so_2024.xlsx", places)
    counts_before = table_counts(conn)
    batch = upload(client, planner, path)
    assert batch["status"] == "ready", batch
    rows = {r["row"]: r for r in batch["rows"]}
    assert rows[6]["status"] == "accepted" and rows[6]["name"] == "Cơ sở mộc Thành Công"
    assert rows[13]["status"] == "rejected"
    for key in ("row", "status", "issues", "commune_code", "district_code", "precision",
                "lon", "lat", "name"):
        assert key in rows[6]
    assert batch["summary"]["actions"]["new"] == 8
    assert table_counts(conn) == counts_before  # a preview writes no record
    done = write(client, planner, batch["id"])
    assert done["status"] == "committed" and done["progress"] == 1
    assert done["summary"]["written"]["inserted"] == 8
    assert table_counts(conn)["establishment"] == counts_before["establishment"] + 8
    listed = client.get("/api/imports", headers=planner).json()
    assert listed[0]["id"] == batch["id"] and listed[0]["status"] == "committed"

    # a district officer corrects the name of one establishment (PATCH, audited)
    rid = one(conn, "SELECT id FROM establishment WHERE name = 'Cơ sở mộc Thành Công'")
    district = one(conn, "SELECT district_code FROM location WHERE establishment_id = %s",
                   (rid,))
    officer = bearer("district_officer", district)
    version = client.get(f"/api/establishments/{rid}", headers=officer).json()["version"]
    r = client.patch(f"/api/establishments/{rid}", headers={**officer, "If-Match": str(version)},
                     json={"name": "Cơ sở mộc Thành Công (đã sửa)",
                           "reason": "sửa tên"})
    assert r.status_code == 200, r.text

    # the same file again: the edit stands, no conflict, nothing changes
    again = upload(client, planner, path)
    assert again["summary"]["conflict"] == 0
    row = {r["row"]: r for r in again["rows"]}[6]
    assert row["status"] == "accepted" and row["kept"] == ["name"] and row["record_id"] == rid
    assert write(client, planner, again["id"])["status"] == "committed"
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (rid,)) == \
        "Cơ sở mộc Thành Công (đã sửa)"

    # a file in which that name changed too: conflict, waiting; the person's name stays
    changed = upload(client, planner, edited_workbook(tmp_path / "co_so_2024.xlsx", places,
                                                      "Cơ sở mộc Thành Công mới"))
    conflicts = [r for r in changed["rows"] if r["status"] == "conflict"]
    assert len(conflicts) == 1 and conflicts[0]["record_id"] == rid
    assert conflicts[0]["conflicts"][0]["field"] == "name"
    assert conflicts[0]["conflicts"][0]["file"] == "Cơ sở mộc Thành Công mới"
    r = client.post(f"/api/imports/{changed['id']}/commit", headers=planner)
    assert r.status_code == 409 and "xung đột" in r.json()["detail"]
    r = client.post(f"/api/imports/{changed['id']}/rows/{conflicts[0]['row']}/decision",
                    headers=planner, json={"field": "name", "choice": "keep"})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert write(client, planner, changed["id"])["status"] == "committed"
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (rid,)) == \
        "Cơ sở mộc Thành Công (đã sửa)"

    # the audit log holds the import's changes, with the importing user and the batch
    assert one(conn, "SELECT count(*) FROM audit_log WHERE batch_id = %s AND action = 'import'",
               (batch["id"],)) == 8
    assert one(conn, "SELECT DISTINCT username FROM audit_log WHERE batch_id = %s",
               (batch["id"],)) == listed[0]["username"]

    # undo the first batch: the counts are back to what they were before it
    undone = write(client, planner, batch["id"], "undo")
    assert undone["status"] == "undone" and undone["summary"]["undo"]["removed"] == 8
    assert table_counts(conn) == counts_before
    assert one(conn, "SELECT count(*) FROM audit_log WHERE batch_id = %s "
                     "AND action = 'import_undo'", (batch["id"],)) == 8
    assert client.post(f"/api/imports/{batch['id']}/undo", headers=planner).status_code == 409


def test_undo_restores_changed_values(client: Any, conn: Any, bearer: Any,
                                      places: dict[str, Any], tmp_path: Path) -> None:
    planner = bearer("planner")
    first = upload(client, planner, messy_workbook(tmp_path / "a.xlsx", places))
    write(client, planner, first["id"])
    rows = messy_rows(places)
    rows[0][9] = "13 người"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([h or "" for h in MESSY_HEADER_UPPER[:4]] + MESSY_HEADER_LOWER[4:9]
              + MESSY_HEADER_UPPER[9:])
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "a.xlsx")
    second = upload(client, planner, tmp_path / "a.xlsx")
    assert second["summary"]["actions"]["update"] == 1
    write(client, planner, second["id"])
    sql = "SELECT workers FROM establishment WHERE name = 'Cơ sở mộc Thành Công'"
    assert one(conn, sql) == 13
    undo = write(client, planner, second["id"], "undo")["summary"]["undo"]
    assert undo["restored"] == 1 and undo["removed"] == 0
    assert one(conn, sql) == 12


def test_roles_and_bad_uploads(client: Any, conn: Any, bearer: Any, places: dict[str, Any],
                               tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "co_so.xlsx", places)
    viewer = bearer("viewer")
    with path.open("rb") as fh:
        r = client.post("/api/imports", headers=viewer, data={"kind": "establishments"},
                        files={"file": ("co_so.xlsx", fh, XLSX)})
    assert r.status_code == 403
    officer = bearer("district_officer", one(
        conn, "SELECT parent_code FROM admin_unit WHERE edition = 'legacy' AND code = '21220'"))
    with path.open("rb") as fh:
        r = client.post("/api/imports", headers=officer, data={"kind": "projects"},
                        files={"file": ("co_so.xlsx", fh, XLSX)})
    assert r.status_code == 403 and "Cán bộ huyện" in r.json()["detail"]
    # an officer's batch: rows outside the district are rejected, never written
    batch = upload(client, officer, path)
    statuses = {r["row"]: r["status"] for r in batch["rows"]}
    assert statuses[6] == "accepted" and statuses[7] == "rejected"
    planner = bearer("planner")
    assert client.get(f"/api/imports/{batch['id']}", headers=planner).status_code == 200
    other = bearer("district_officer", one(
        conn, "SELECT parent_code FROM admin_unit WHERE edition = 'legacy' AND code = '21082'"))
    assert client.get(f"/api/imports/{batch['id']}", headers=other).status_code == 403
    # corrupt, disguised, empty: a Vietnamese message naming the file, nothing written
    for name, data in (("hong.xlsx", b"PK\x03\x04 not a zip"), ("rong.csv", b""),
                       ("anh.xlsx", b"\x89PNG\r\n")):
        r = client.post("/api/imports", headers=planner, data={"kind": "establishments"},
                        files={"file": (name, data, XLSX)})
        assert r.status_code == 415 and name in r.json()["detail"], r.text
    r = client.post("/api/imports", headers=planner, data={"kind": "establishments"},
                    files={"file": ("lon.csv", b"a" * (21 * 1024 * 1024), "text/csv")})
    assert r.status_code == 413 and "quá lớn" in r.json()["detail"]
