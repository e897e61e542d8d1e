"""No new support need for an establishment an import archived: the API refuses it (409,
Vietnamese, saying how to bring the establishment back), the needs importer rejects a row
that names it by id, and a name finds live establishments only; a need registered before
stays, marked on the API and the needs page. Undoing the archiving makes it possible again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.intake.archive import archive_records, undo_archive
from geo.intake.batches import create_batch
from geo.intake.importer import import_needs_file
from geo.records.kinds import RecordKind
from tests.geo.intake.test_need_import import district_rows, district_world, needs_workbook
from tests.world import one

NEED = {"activity_type": "training", "description": "Đào tạo thợ", "total_cost_vnd": 10_000_000,
        "requested_vnd": 5_000_000, "desired_year": 2026}


def test_no_new_need_for_an_archived_establishment(client: Any, conn: Any, bearer: Any,
                                                   make_user: Any, tmp_path: Path) -> None:
    w = district_world(conn)
    rid = w["ids"]["B"]
    planner = bearer("planner")
    actor = make_user("planner")
    earlier = client.post("/api/needs", headers=planner,
                          json={"establishment_id": rid, **NEED, "desired_year": 2027})
    assert earlier.status_code == 201 and earlier.json()["establishment_archived"] is False
    batch = create_batch(conn, actor, RecordKind.ESTABLISHMENT.value, "co_so_2025.xlsx", None,
                         archive_absent=True)
    assert archive_records(conn, actor, batch, RecordKind.ESTABLISHMENT, [rid],
                           "co_so_2025.xlsx") == 1
    needs_before = one(conn, "SELECT count(*) FROM support_need")

    # a need registered before stays, marked: its establishment is archived
    need = earlier.json()["id"]
    assert client.get(f"/api/needs/{need}", headers=planner).json()["establishment_archived"]
    page = client.get("/needs", headers=planner)
    assert page.status_code == 200
    row = page.text.split(f'id="kc-need-{need}"')[1].split("</tr>")[0]
    assert "(cơ sở đã lưu trữ)" in row
    r = client.post("/api/needs", headers=planner, json={"establishment_id": rid, **NEED})
    assert r.status_code == 409, r.text
    assert "đã được lưu trữ" in r.json()["detail"] and "hoàn tác" in r.json()["detail"]

    rows = district_rows(w)  # row 5 names B by its id
    result = import_needs_file(conn, needs_workbook(tmp_path / "nhu_cau.xlsx", rows[1:2]),
                               actor=actor, dry_run=True)
    row = next(r for r in result.rows if r.status != "skipped")
    assert row.status == "rejected"
    assert "đã được lưu trữ" in row.issues[0]["message"]
    by_name = [[1, None, "Cơ sở NI-B", None, None, "x", "Tập huấn", 10, 5, 5, 2026, None, None]]
    result = import_needs_file(conn, needs_workbook(tmp_path / "ten.xlsx", by_name),
                               actor=actor, dry_run=True)
    assert "không tìm thấy cơ sở" in result.rows[-1].issues[0]["message"]
    assert one(conn, "SELECT count(*) FROM support_need") == needs_before

    assert undo_archive(conn, actor, batch, RecordKind.ESTABLISHMENT) == 1
    r = client.post("/api/needs", headers=planner, json={"establishment_id": rid, **NEED})
    assert r.status_code == 201, r.text
