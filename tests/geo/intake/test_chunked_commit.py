"""Large files are planned and written a chunk of rows at a time (geo.intake.plan.CHUNK), so
memory stays bounded. With chunks of two rows: renamed records are still matched across
chunks, people's edits still stand, and a conflict that appears in a late chunk between the
preview and the commit leaves nothing written by the earlier chunks. Undo removes a batch's
new records a chunk per statement (geo.intake.undo.CHUNK) and restores the import states."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo.core.errors import Conflict
from geo.intake import plan, undo
from geo.intake.batch_flow import commit_batch, preview_batch, undo_batch
from geo.intake.batches import create_batch
from geo.intake.importer import import_file, read_file
from geo.intake.store import table_counts
from geo.records.edit import edit_record
from geo.records.kinds import RecordKind
from tests.api.test_import_decisions import workbook as sheet
from tests.geo.intake.test_importers import (
    MESSY_HEADER_LOWER,
    MESSY_HEADER_UPPER,
    messy_rows,
    messy_workbook,
    places,
)
from tests.world import one

__all__ = ["places"]


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan, "CHUNK", 2)


def workbook(path: Path, rows: list[list[Any]]) -> Path:
    """The messy rows under a one-row header (same sheet layout as the API tests)."""
    return sheet(path, [h or "" for h in MESSY_HEADER_UPPER[:4]]
                 + [str(h) for h in MESSY_HEADER_LOWER[4:9]]
                 + [h or "" for h in MESSY_HEADER_UPPER[9:]], rows)


def rename(rows: list[list[Any]], old: str, new: str) -> None:
    for row in rows:
        if row[1] == old:
            row[1] = new


def test_reimport_in_chunks_matches_renames_and_keeps_edits(
        conn: Any, make_user: Any, places: dict[str, Any], tmp_path: Path) -> None:
    admin = make_user("admin")
    first = import_file(conn, "establishments", messy_workbook(tmp_path / "a.xlsx", places),
                        actor=admin)
    assert first.written.inserted == 8
    counts = table_counts(conn)
    edited = one(conn, "SELECT id FROM establishment WHERE name = 'Cơ sở mộc Thành Công'")
    edit_record(conn, admin, "establishment", edited, 1,
                {"name": "Cơ sở mộc Thành Công (đã sửa)", "reason": "sửa tên"})
    renamed = one(conn, "SELECT id FROM establishment WHERE name = 'Cơ sở bánh tráng'")

    rows = messy_rows(places)
    rename(rows, "Cơ sở bánh tráng", "Cơ sở bánh tráng Thu Hà")  # the last chunk
    again = import_file(conn, "establishments", workbook(tmp_path / "a.xlsx", rows),
                        actor=admin)

    assert again.written.inserted == 0 and again.written.updated == 1
    assert table_counts(conn) == counts
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (renamed,)) == \
        "Cơ sở bánh tráng Thu Hà"
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (edited,)) == \
        "Cơ sở mộc Thành Công (đã sửa)"
    report = {r.name: r for r in again.rows if r.status == "accepted"}
    assert report["Cơ sở mộc Thành Công"].kept == ["name"]
    assert report["Cơ sở mộc Thành Công"].record_id == edited
    assert report["Cơ sở bánh tráng Thu Hà"].action == "update"
    assert report["Cơ sở bánh tráng Thu Hà"].record_id == renamed
    assert one(conn, "SELECT count(*) FROM audit_log WHERE batch_id = %s",
               (again.batch_id,)) == 1


def test_conflict_in_a_late_chunk_leaves_nothing_written(
        conn: Any, make_user: Any, places: dict[str, Any], tmp_path: Path) -> None:
    admin = make_user("admin")
    import_file(conn, "establishments", messy_workbook(tmp_path / "a.xlsx", places),
                actor=admin)
    weaver = one(conn, "SELECT id FROM establishment WHERE name = 'HTX dệt thổ cẩm'")
    baker = one(conn, "SELECT id FROM establishment WHERE name = 'Cơ sở bánh tráng'")
    rows = messy_rows(places)
    rows[1][9] = "1.300"  # first chunk: an update
    rename(rows, "Cơ sở bánh tráng", "Cơ sở bánh tráng Thu Hà")  # last chunk
    result, records = read_file(conn, "establishments", workbook(tmp_path / "b.xlsx", rows))
    batch = create_batch(conn, admin, RecordKind.ESTABLISHMENT, result.file, result.sheet)
    preview_batch(conn, admin, batch, result, records)
    assert {r.name: r.action for r in result.rows}["Cơ sở bánh tráng Thu Hà"] == "update"
    assert result.summary()["conflict"] == 0

    # between the preview and the commit a person renames the baker: now a conflict
    edit_record(conn, admin, "establishment", baker, 1,
                {"name": "Lò bánh tráng bà Năm", "reason": "tên đúng theo giấy phép"})
    audit_before = one(conn, "SELECT count(*) FROM audit_log")
    with pytest.raises(Conflict, match="xung đột"):
        commit_batch(conn, admin, batch, records=records)

    assert one(conn, "SELECT workers FROM establishment WHERE id = %s", (weaver,)) == 1200
    assert one(conn, "SELECT name FROM establishment WHERE id = %s", (baker,)) == \
        "Lò bánh tráng bà Năm"
    assert one(conn, "SELECT count(*) FROM audit_log") == audit_before
    assert one(conn, "SELECT status FROM import_batch WHERE id = %s", (batch,)) == "ready"
    assert one(conn, "SELECT count(*) FROM import_batch_row WHERE batch_id = %s "
                     "AND record_id IS NOT NULL AND prev_state IS NOT NULL", (batch,)) == 0


def states(conn: Any) -> dict[int, tuple[Any, ...]]:
    with conn.cursor() as cur:
        cur.execute("SELECT entity_id, imported, edited, place_key, source_row FROM "
                    "import_state WHERE entity = 'establishment'")
        return {int(r[0]): tuple(r[1:]) for r in cur.fetchall()}


def test_undo_in_chunks_restores_records_and_import_states(
        conn: Any, make_user: Any, places: dict[str, Any], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(undo, "CHUNK", 3)  # removals: 8 records in three statements
    admin = make_user("admin")
    before = table_counts(conn)
    first = import_file(conn, "establishments", messy_workbook(tmp_path / "a.xlsx", places),
                        actor=admin)
    after_first = (table_counts(conn), states(conn))
    rows = messy_rows(places)
    rows[1][9] = "1.300"
    second = import_file(conn, "establishments", workbook(tmp_path / "a.xlsx", rows),
                         actor=admin)
    assert second.written.updated == 1
    assert states(conn) != after_first[1]  # the states now hold the second file's rows

    done = undo_batch(conn, admin, second.batch_id)
    assert done["restored"] == 1 and done["removed"] == 0
    assert (table_counts(conn), states(conn)) == after_first
    assert one(conn, "SELECT workers FROM establishment WHERE name = 'HTX dệt thổ cẩm'") == 1200

    done = undo_batch(conn, admin, first.batch_id)
    assert done["removed"] == 8
    assert table_counts(conn) == before and states(conn) == {}
    assert one(conn, "SELECT count(*) FROM audit_log WHERE batch_id = %s AND action = "
                     "'import_undo' AND after = '{}'::jsonb AND before ? 'name' "
                     "AND before ? 'location'", (first.batch_id,)) == 8
    assert one(conn, "SELECT count(*) FROM establishment_point") == \
        one(conn, "SELECT count(*) FROM establishment WHERE archived_at IS NULL")
