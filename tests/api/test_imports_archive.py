"""Records absent from a re-sent file: listed as absent and never deleted; with the explicit
option (API `archive_absent` at commit or upload, CLI `--archive-absent`) archived, audited
with the user and the batch, out of maps, tiles, OGC and indicators, and back with undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from typer.testing import CliRunner

from api.cli import imports as cli_import
from geo.analytics.indicators import indicator_report
from geo.core.vocab import Level
from geo.publish import tile_sql
from tests.api.test_imports_api import upload
from tests.api.test_imports_api import write as commit_or_undo
from tests.geo.intake.test_importers import (
    MESSY_HEADER_LOWER,
    MESSY_HEADER_UPPER,
    messy_rows,
    places,
)
from tests.world import one

__all__ = ["places"]
GONE = "Cơ sở chế biến quế"


def write_sheet(path: Path, p: dict[str, Any], without: str | None = None) -> Path:
    """The messy establishments on one header row, the row named `without` left out."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([h or "" for h in MESSY_HEADER_UPPER[:4]] + MESSY_HEADER_LOWER[4:9]
              + MESSY_HEADER_UPPER[9:])
    for row in messy_rows(p):
        if row[1] != without or without is None:
            ws.append(row)
    wb.save(path)
    return path


def visible(conn: Any, client: Any, headers: dict[str, str], rid: int) -> dict[str, Any]:
    """Where the record shows: indicators, record_place, tiles, OGC items."""
    totals = indicator_report(conn, Level.district, geometry=False)["totals"]
    points = "SELECT count(*) FROM (" + tile_sql._ESTABLISHMENT_POINTS + ") s "  # noqa: S608
    in_tiles = one(conn, points + "WHERE s.id = %(rid)s", {"z": 0, "x": 0, "y": 0, "margin": 0.0,
                                             "trade": None, "district": None, "rid": rid})
    ogc = client.get(f"/ogc/collections/establishments/items/{rid}", headers=headers)
    points = client.get("/api/establishments.geojson", headers=headers)
    assert points.status_code == 200, points.text
    on_map = sum(1 for f in points.json()["features"] if f["id"] == rid)
    return {"establishments": totals["establishments"], "on_map": on_map,
            "record_place": one(conn, "SELECT count(*) FROM record_place "
                                      "WHERE establishment_id = %s", (rid,)),
            "tiles": in_tiles, "ogc": ogc.status_code}


def test_absent_listed_then_archived_on_request_and_undone(
        client: Any, conn: Any, bearer: Any, places: dict[str, Any], tmp_path: Path) -> None:
    planner = bearer("planner")
    path = write_sheet(tmp_path / "co_so.xlsx", places)
    first = upload(client, planner, path)
    assert commit_or_undo(client, planner, first["id"])["status"] == "committed"
    rid = one(conn, "SELECT id FROM establishment WHERE name = %s", (GONE,))
    live = visible(conn, client, planner, rid)
    assert live["record_place"] == 1 and live["tiles"] == 1 and live["ogc"] == 200
    assert live["on_map"] == 1

    # the re-sent file lacks one record: listed as absent; a plain commit leaves it alone
    write_sheet(path, places, without=GONE)
    plain = upload(client, planner, path)
    assert plain["absent"]["count"] == 1 and plain["absent"]["records"][0]["id"] == rid
    assert plain["archive_absent"] is False
    assert commit_or_undo(client, planner, plain["id"])["summary"]["written"]["archived"] == 0
    assert one(conn, "SELECT archived_at IS NULL FROM establishment WHERE id = %s", (rid,))
    assert visible(conn, client, planner, rid) == live

    # the explicit option archives it: not deleted, audited with the user and the batch
    again = upload(client, planner, path)
    assert again["absent"]["count"] == 1
    counts = one(conn, "SELECT count(*) FROM establishment")
    done = commit_or_undo(client, planner, again["id"], archive_absent=True)
    assert done["summary"]["written"]["archived"] == 1, done
    assert one(conn, "SELECT count(*) FROM establishment") == counts
    assert one(conn, "SELECT archived_batch_id FROM establishment WHERE id = %s",
               (rid,)) == again["id"]
    assert one(conn, "SELECT count(*) FROM audit_log WHERE action = 'import' AND "
                     "after ->> 'archived_batch_id' = %s::text AND "
                     "entity_id = %s AND batch_id = %s AND username = %s",
               (again["id"], rid, again["id"], again["username"])) == 1
    # the archiving is undone with its batch, not as a single change of the audit trail
    audit_id = one(conn, "SELECT id FROM audit_log WHERE batch_id = %s AND entity_id = %s",
                   (again["id"], rid))
    admin = bearer("admin")
    r = client.post(f"/api/audit/{audit_id}/revert", headers=admin, json={})
    assert r.status_code == 409 and "cùng lô nhập" in r.json()["detail"], r.text
    gone = visible(conn, client, planner, rid)
    assert gone == {"establishments": live["establishments"] - 1, "on_map": 0,
                    "record_place": 0, "tiles": 0, "ogc": 404}
    # an archived record is no longer listed as absent by the next preview
    assert upload(client, planner, path)["absent"]["count"] == 0

    # undo brings it back where it was
    done = commit_or_undo(client, planner, again["id"], "undo")
    assert done["summary"]["undo"]["archive_undone"] == 1, done
    assert one(conn, "SELECT archived_at IS NULL FROM establishment WHERE id = %s", (rid,))
    assert visible(conn, client, planner, rid) == live


def test_option_given_at_upload_and_record_carried_again_comes_back(
        client: Any, conn: Any, bearer: Any, places: dict[str, Any], tmp_path: Path) -> None:
    planner = bearer("planner")
    path = write_sheet(tmp_path / "lang.xlsx", places)
    first = upload(client, planner, path)
    commit_or_undo(client, planner, first["id"])
    rid = one(conn, "SELECT id FROM establishment WHERE name = %s", (GONE,))
    write_sheet(path, places, without=GONE)
    batch = upload(client, planner, path, archive_absent="true")
    assert batch["archive_absent"] is True
    assert commit_or_undo(client, planner, batch["id"])["summary"]["written"]["archived"] == 1
    # the full file again: the record is carried again and comes back (audited, undoable)
    write_sheet(path, places)
    back = upload(client, planner, path)
    written = commit_or_undo(client, planner, back["id"])["summary"]["written"]
    assert written["revived"] == 1 and written["archived"] == 0
    assert one(conn, "SELECT archived_at IS NULL FROM establishment WHERE id = %s", (rid,))
    assert commit_or_undo(client, planner, back["id"], "undo")["status"] == "undone"
    assert one(conn, "SELECT archived_batch_id FROM establishment WHERE id = %s",
               (rid,)) == batch["id"]


def test_cli_archive_absent(conn: Any, database: Any, places: dict[str, Any], tmp_path: Path,
                            monkeypatch: Any) -> None:
    monkeypatch.setattr(cli_import, "database_from_env", lambda *a, **k: database)
    path = write_sheet(tmp_path / "co_so_cli.xlsx", places)
    runner = CliRunner()
    done = runner.invoke(cli_import.app, ["establishments", str(path)])
    assert done.exit_code == 0, done.output
    write_sheet(path, places, without=GONE)
    listed = runner.invoke(cli_import.app, ["establishments", str(path)])
    assert listed.exit_code == 0, listed.output
    assert one(conn, "SELECT archived_at IS NULL FROM establishment WHERE name = %s", (GONE,))
    archived = runner.invoke(cli_import.app, ["establishments", str(path),
                                       "--archive-absent"])
    assert archived.exit_code == 0, archived.output
    assert "lưu trữ" in archived.output
    assert one(conn, "SELECT archived_at IS NOT NULL FROM establishment WHERE name = %s",
               (GONE,))
    batch = one(conn, "SELECT archived_batch_id FROM establishment WHERE name = %s", (GONE,))
    undone = runner.invoke(cli_import.app, ["undo", str(batch)])
    assert undone.exit_code == 0, undone.output
    assert one(conn, "SELECT archived_at IS NULL FROM establishment WHERE name = %s", (GONE,))
