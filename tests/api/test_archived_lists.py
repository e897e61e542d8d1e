"""Records archived by an import (archive_absent) leave the review lists and their counts, the
establishments list of the API and the villages and projects lists; their JSON still opens
and says when, by which batch and file they were archived; edits and reverts are refused
(409, Vietnamese) until the batch's undo brings them back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.accounts.authz import Actor
from geo.analytics.filters import ProjectFilter
from geo.cycle.choices import district_establishments
from geo.cycle.progress import project_values
from geo.intake.archive import archive_records, undo_archive
from geo.intake.batches import create_batch
from geo.records.kinds import RecordKind
from tests.api.test_imports_api import upload
from tests.api.test_imports_api import write as commit_or_undo
from tests.api.test_imports_archive import GONE, places, write_sheet
from tests.world import one, rows

__all__ = ["places"]


def listed(client: Any, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    r = client.get("/api/establishments", headers=headers, params={"limit": 5000, **params})
    assert r.status_code == 200, r.text
    return dict(r.json())


def review_counts(client: Any, headers: dict[str, str], district: str) -> dict[str, Any]:
    """What the review lists and counts say about a district and one record."""
    whole = client.get("/api/review/progress", headers=headers).json()
    one_district = client.get("/api/review/progress", headers=headers,
                              params={"district": district}).json()
    row = next(r for r in whole if r["district_code"] == district)
    assert one_district == [row]
    return {"progress": row,
            "listed": {f: [i["id"] for i in listed(client, headers, district=district,
                                                   filter=[f] if f else [])["items"]]
                       for f in ("", "conflict", "commune_only", "unreviewed")},
            "all": [i["id"] for i in listed(client, headers)["items"]],
            "searched": [i["id"] for i in listed(client, headers, q=GONE[:12])["items"]]}


def test_archived_establishment_leaves_lists_and_is_not_edited(
        client: Any, conn: Any, bearer: Any, places: dict[str, Any], tmp_path: Path) -> None:
    planner = bearer("planner")
    path = write_sheet(tmp_path / "co_so_2025.xlsx", places)
    assert commit_or_undo(client, planner, upload(client, planner, path)["id"])["status"] \
        == "committed"
    rid = one(conn, "SELECT id FROM establishment WHERE name = %s", (GONE,))
    district = one(conn, "SELECT COALESCE(district_code, location_district_code) "
                         "FROM record_place WHERE establishment_id = %s", (rid,))
    officer = bearer("district_officer", district)
    # a person's correction before the record is archived (reverted later: refused)
    version = one(conn, "SELECT version FROM establishment WHERE id = %s", (rid,))
    r = client.patch(f"/api/establishments/{rid}", headers={**officer, "If-Match": str(version)},
                     json={"workers": 9, "reason": "đếm lại lao động"})
    assert r.status_code == 200, r.text
    edit_id = r.json()["audit_id"]
    before = review_counts(client, officer, district)
    assert before["listed"][""].count(rid) == 1 and rid in before["all"]
    assert rid in before["listed"]["unreviewed"] and before["searched"] == [rid]

    write_sheet(path, places, without=GONE)
    batch = upload(client, planner, path)
    done = commit_or_undo(client, planner, batch["id"], archive_absent=True)
    assert done["summary"]["written"]["archived"] == 1, done

    after = review_counts(client, officer, district)
    assert all(rid not in ids for ids in after["listed"].values())
    assert rid not in after["all"] and after["searched"] == []
    assert after["listed"] == {f: [i for i in ids if i != rid]
                               for f, ids in before["listed"].items()}
    assert after["progress"]["total"] == before["progress"]["total"] - 1
    assert after["progress"]["conflicts"] == before["progress"]["conflicts"]
    assert len(after["all"]) == len(before["all"]) - 1

    # its JSON still opens and says when, by which batch and file, by whom
    record = client.get(f"/api/establishments/{rid}", headers=officer)
    assert record.status_code == 200, record.text
    body = record.json()
    archived_at = one(conn, "SELECT archived_at FROM establishment WHERE id = %s", (rid,))
    assert body["archived_at"] == archived_at.isoformat()
    assert body["archived"]["batch_id"] == batch["id"]
    assert body["archived"]["file_name"] == "co_so_2025.xlsx"
    assert body["archived"]["username"] == one(
        conn, "SELECT username FROM audit_log WHERE batch_id = %s AND entity_id = %s",
        (batch["id"], rid))
    assert body["archived"]["district_code"] == district
    assert body["archived"]["batch_status"] == "committed"
    # anonymous readers (public maps) are not told who imported
    anonymous = client.get(f"/api/establishments/{rid}").json()["archived"]
    assert "username" not in anonymous and anonymous["batch_id"] == batch["id"]
    live = one(conn, "SELECT min(id) FROM establishment WHERE archived_at IS NULL")
    live_body = client.get(f"/api/establishments/{live}", headers=officer).json()
    assert live_body["archived_at"] is None and live_body["archived"] is None

    # not edited, by the officer of its district nor by a planner; nothing written
    state = one(conn, "SELECT (version, workers) FROM establishment WHERE id = %s", (rid,))
    audits = one(conn, "SELECT count(*) FROM audit_log WHERE entity_id = %s", (rid,))
    for who in (officer, planner):
        r = client.patch(f"/api/establishments/{rid}",
                         headers={**who, "If-Match": str(body["version"])},
                         json={"workers": 12, "reason": "sửa sau khi lưu trữ"})
        assert r.status_code == 409, r.text
        detail = r.json()["detail"]
        assert "đã được lưu trữ" in detail and "co_so_2025.xlsx" in detail
        assert f"lô nhập số {batch['id']}" in detail and "/imports" in detail
        assert r.json()["current"]["archived"]["batch_id"] == batch["id"]
    r = client.post(f"/api/audit/{edit_id}/revert", headers=bearer("admin"),
                    json={"reason": "thử hoàn tác"})
    assert r.status_code == 409 and "đã được lưu trữ" in r.json()["detail"], r.text
    assert one(conn, "SELECT (version, workers) FROM establishment WHERE id = %s",
               (rid,)) == state
    assert one(conn, "SELECT count(*) FROM audit_log WHERE entity_id = %s", (rid,)) == audits

    # the batch's undo brings it back to the lists and counts, and it can be edited again
    assert commit_or_undo(client, planner, batch["id"], "undo")["status"] == "undone"
    assert review_counts(client, officer, district) == before
    body = client.get(f"/api/establishments/{rid}", headers=officer).json()
    assert body["archived_at"] is None and body["archived"] is None
    r = client.patch(f"/api/establishments/{rid}",
                     headers={**officer, "If-Match": str(body["version"])},
                     json={"workers": 12, "reason": "sửa sau khi đưa trở lại"})
    assert r.status_code == 200 and r.json()["workers"] == 12, r.text


def test_archived_village_and_project_leave_lists_json_marks_them(
        client: Any, world: Any, bearer: Any, make_user: Any) -> None:
    conn = world
    planner = bearer("planner")
    actor: Actor = make_user("planner")
    village_id, village_district = rows(conn, """
        SELECT v.id, l.district_code FROM craft_village v
        JOIN record_place l ON l.village_id = v.id
        WHERE l.point IS NOT NULL ORDER BY v.id LIMIT 1""")[0]
    project_id, year, status = rows(conn, "SELECT id, year, status FROM project "
                                          "ORDER BY id LIMIT 1")[0]
    est_id, est_district = rows(conn, """
        SELECT e.id, l.district_code FROM establishment e
        JOIN record_place l ON l.establishment_id = e.id
        WHERE l.precision = 'exact' ORDER BY e.id LIMIT 1""")[0]
    flt = ProjectFilter(years=(year,), statuses=(status,))

    def counted() -> list[int]:
        """Projects the cycle progress counts; establishments the needs form offers."""
        return [r["id"] for r in project_values(conn, flt)] + [
            -int(r["id"]) for r in district_establishments(conn, est_district)]

    def villages() -> list[int]:
        r = client.get("/api/villages", params={"district": village_district})
        return [f["id"] for f in r.json()["features"]]

    def projects() -> dict[str, Any]:
        r = client.get("/api/projects", params={"years": str(year)})
        assert r.status_code == 200, r.text
        return dict(r.json())

    assert village_id in villages()
    before = projects()
    kc = one(conn, "SELECT kc_vnd FROM project WHERE id = %s", (project_id,))
    assert project_id in [f["id"] for f in before["features"]]
    assert project_id in counted() and -est_id in counted()
    counted_before = counted()
    batches = {}
    for kind, rid in ((RecordKind.CRAFT_VILLAGE, village_id), (RecordKind.PROJECT, project_id),
                      (RecordKind.ESTABLISHMENT, est_id)):
        batches[kind] = create_batch(conn, actor, kind.value, f"{kind.value}_2025.xlsx", None,
                                     archive_absent=True)
        assert archive_records(conn, actor, batches[kind], kind, [rid],
                               f"{kind.value}_2025.xlsx") == 1

    assert village_id not in villages()
    assert counted() == [i for i in counted_before if i not in (project_id, -est_id)]
    after = projects()
    assert project_id not in [f["id"] for f in after["features"]]
    assert after["summary"]["total_vnd"] == before["summary"]["total_vnd"] - kc
    for url, kind in ((f"/api/villages/{village_id}", RecordKind.CRAFT_VILLAGE),
                      (f"/api/projects/{project_id}", RecordKind.PROJECT)):
        page = client.get(url.replace("/api/", "/records/"), headers=planner)
        assert page.status_code == 200 and "Bản ghi đã được lưu trữ" in page.text
        assert f"«<span class=\"kc-archived-file\">{kind.value}_2025.xlsx</span>»" in page.text
        body = client.get(url, headers=planner).json()
        assert body["archived_at"] is not None, url
        assert body["archived"]["batch_id"] == batches[kind]
        assert body["archived"]["file_name"] == f"{kind.value}_2025.xlsx"
        assert body["archived"]["username"] == actor.username
        r = client.patch(url, headers={**planner, "If-Match": str(body["version"])},
                         json={"reason": "sửa sau khi lưu trữ", "workers": 5}
                         if kind == RecordKind.CRAFT_VILLAGE
                         else {"reason": "sửa sau khi lưu trữ", "status": "cancelled"})
        assert r.status_code == 409 and f"{kind.value}_2025.xlsx" in r.json()["detail"], r.text
    for kind, batch_id in batches.items():
        assert undo_archive(conn, actor, batch_id, kind) == 1
    assert village_id in villages() and projects() == before and counted() == counted_before
