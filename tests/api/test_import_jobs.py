"""Commit and undo of a batch run as background jobs: the request answers 202 at once, a job
that fails part-way leaves nothing written and puts the batch back with a Vietnamese message,
a request accepted before a restart is carried out when the app starts again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo.intake import apply, batch_requests
from geo.intake.store import table_counts
from tests.api.test_imports_api import upload, write
from tests.geo.intake.test_importers import messy_workbook, places
from tests.world import one

__all__ = ["places"]


def _audit(conn: Any, batch_id: int, action: str) -> int:
    return int(one(conn, "SELECT count(*) FROM audit_log WHERE batch_id = %s AND action = %s",
                   (batch_id, action)))


def test_commit_failing_midway_writes_nothing(client: Any, conn: Any, bearer: Any,
                                              places: dict[str, Any], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    planner = bearer("planner")
    batch = upload(client, planner, messy_workbook(tmp_path / "co_so.xlsx", places))
    before = table_counts(conn)

    def broken(*args: Any, **kwargs: Any) -> None:  # after records, locations, states
        raise RuntimeError("disk gone")

    monkeypatch.setattr(apply, "write_audit", broken)
    failed = write(client, planner, batch["id"])
    assert failed["status"] == "ready"
    assert failed["message"] == f"Lỗi máy chủ khi ghi lô {batch['id']}: chưa ghi gì, hãy thử lại"
    assert table_counts(conn) == before
    assert one(conn, "SELECT count(*) FROM import_state") == 0
    assert one(conn, "SELECT count(*) FROM import_batch_row WHERE batch_id = %s "
                     "AND record_id IS NOT NULL", (batch["id"],)) == 0
    monkeypatch.undo()
    done = write(client, planner, batch["id"])
    assert done["status"] == "committed" and done["message"] is None
    assert table_counts(conn)["establishment"] == before["establishment"] + 8
    assert _audit(conn, batch["id"], "import") == 8


def test_undo_failing_midway_keeps_the_batch(client: Any, conn: Any, bearer: Any,
                                             places: dict[str, Any], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    planner = bearer("planner")
    batch = upload(client, planner, messy_workbook(tmp_path / "co_so.xlsx", places))
    write(client, planner, batch["id"])
    after = table_counts(conn)
    import geo.intake.undo as undo_module

    def broken(*args: Any, **kwargs: Any) -> None:  # after the records were removed
        raise RuntimeError("disk gone")

    monkeypatch.setattr(undo_module, "write_audit", broken)
    failed = write(client, planner, batch["id"], "undo")
    assert failed["status"] == "committed" and "chưa ghi gì" in failed["message"]
    assert table_counts(conn) == after
    assert _audit(conn, batch["id"], "import_undo") == 0
    monkeypatch.undo()
    assert write(client, planner, batch["id"], "undo")["status"] == "undone"
    assert _audit(conn, batch["id"], "import_undo") == 8


def test_conflicts_and_states_answer_at_once(client: Any, bearer: Any,
                                             places: dict[str, Any], tmp_path: Path) -> None:
    planner = bearer("planner")
    batch = upload(client, planner, messy_workbook(tmp_path / "co_so.xlsx", places))
    r = client.post(f"/api/imports/{batch['id']}/undo", headers=planner)
    assert r.status_code == 409 and "Chỉ hoàn tác" in r.json()["detail"]
    write(client, planner, batch["id"])
    r = client.post(f"/api/imports/{batch['id']}/commit", headers=planner)
    assert r.status_code == 409 and "không ở trạng thái chờ xác nhận" in r.json()["detail"]
    viewer = bearer("viewer")
    assert client.post(f"/api/imports/{batch['id']}/undo", headers=viewer).status_code == 403


def test_accepted_commit_is_carried_out_after_a_restart(client: Any, conn: Any, bearer: Any,
                                                        make_user: Any,
                                                        places: dict[str, Any],
                                                        tmp_path: Path) -> None:
    planner = bearer("planner")
    batch = upload(client, planner, messy_workbook(tmp_path / "co_so.xlsx", places))
    before = table_counts(conn)
    # accepted (committing, who and how recorded), then the server stopped before the job ran
    who = make_user("planner", username="nguoi-nhap")
    answer = batch_requests.request_commit(conn, who, batch["id"])
    assert answer == {"id": batch["id"], "status": "committing", "progress": 0.0}
    shown = client.get(f"/api/imports/{batch['id']}", headers=planner).json()
    assert shown["status"] == "committing" and shown["status_name"] == \
        "Đang ghi vào cơ sở dữ liệu"
    assert batch_requests.pending(conn) == [batch["id"]]
    client.app.state.import_jobs.resume()  # what the app does when it starts
    client.app.state.import_jobs.wait(batch["id"], 120)
    done = client.get(f"/api/imports/{batch['id']}", headers=planner).json()
    assert done["status"] == "committed" and done["progress"] == 1
    assert table_counts(conn)["establishment"] == before["establishment"] + 8
    assert one(conn, "SELECT DISTINCT username FROM audit_log WHERE batch_id = %s",
               (batch["id"],)) == "nguoi-nhap"
    assert batch_requests.pending(conn) == []
    # a second start (another worker) finds nothing left to do
    assert batch_requests.run_request(conn, batch["id"]) is None
