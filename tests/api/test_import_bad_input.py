"""Bad uploads through the API: too large → 413, empty, disguised or corrupt → 415, each with
a Vietnamese message naming the file; a zip bomb, a corrupt .xls or .ods that pass the upload
check fail in the background with such a message. Nothing is written in any case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.intake.store import table_counts
from tests.api.test_import_issues_vietnamese import english_words
from tests.geo.intake.test_import_abuse import _plain, _shared
from tests.world import one

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def written(conn: Any) -> dict[str, int]:
    """Records, locations, batch rows and audit entries."""
    return {**table_counts(conn),
            "batch_rows": one(conn, "SELECT count(*) FROM import_batch_row"),
            "audit": one(conn, "SELECT count(*) FROM audit_log")}


def vietnamese(message: str, name: str) -> None:
    assert name in message, message
    assert not english_words(message.replace(name, "")), message
    assert not message.isascii(), message


def test_refused_uploads(client: Any, conn: Any, bearer: Any) -> None:
    planner = bearer("planner")
    before = {**written(conn), "batches": one(conn, "SELECT count(*) FROM import_batch")}
    r = client.post("/api/imports", headers=planner, data={"kind": "establishments"},
                    files={"file": ("lon_qua.csv", b"a;b\n" * (6 * 1024 * 1024), "text/csv")})
    assert r.status_code == 413, r.text  # refused before the body (and its file) is read
    assert "quá lớn" in r.json()["detail"] and "20 MB" in r.json()["detail"]
    vietnamese(r.json()["detail"], "")
    for name, data in (("rong.xlsx", b""), ("rong.txt", b""), ("hong.xlsx", b"PK\x03\x04 hong"),
                       ("anh.xls", b"\x89PNG\r\n\x1a\n"), ("nen.ods", b"PK\x03\x04 x"),
                       ("nhi_phan.csv", bytes(range(256)) * 4), ("tep.exe", b"MZ\x90\x00")):
        r = client.post("/api/imports", headers=planner, data={"kind": "establishments"},
                        files={"file": (name, data, "application/octet-stream")})
        assert r.status_code == 415, (name, r.text)
        vietnamese(r.json()["detail"], name)
    assert {**written(conn), "batches": one(conn, "SELECT count(*) FROM import_batch")} == \
        before


def test_bad_files_fail_in_the_background(client: Any, conn: Any, bearer: Any,
                                          tmp_path: Path) -> None:
    planner = bearer("planner")
    src = _plain(tmp_path / "src.xlsx")
    bomb = _shared(src, tmp_path / "bom_nen.xlsx", b"A" * 20_000_000)
    before = written(conn)
    for name, data in (("bom_nen.xlsx", bomb.read_bytes()),
                       ("hong.xls", OLE2 + b"\x00" * 600),
                       ("khong_co_cot.csv", "Một;Hai\n1;2\n".encode())):
        with_file = client.post("/api/imports", headers=planner,
                                data={"kind": "establishments"},
                                files={"file": (name, data, "application/octet-stream")})
        assert with_file.status_code == 202, (name, with_file.text)
        batch_id = with_file.json()["id"]
        client.app.state.import_jobs.wait(batch_id, 120)
        batch = client.get(f"/api/imports/{batch_id}", headers=planner).json()
        assert batch["status"] == "failed", (name, batch)
        vietnamese(batch["message"], name)
        assert batch["rows"] == []
        assert client.post(f"/api/imports/{batch_id}/commit",
                           headers=planner).status_code == 409
    assert written(conn) == before
