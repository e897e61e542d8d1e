"""The issue's Must-show walkthrough, through the API as a planner, for each legacy format of
the messy establishments workbook (.xls, Windows-1258 CSV, UTF-16 text, TCVN3 .xlsx):
every row's status and place right and names back in Unicode; commit; a name edited with
PATCH /api/establishments/{id}; the same file again: the edit stands, no conflict; a file in
which that name changed: its row is `conflict`, the name still the person's; the audit log
holds the import's changes; undo returns the counts to what they were before."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from geo.intake.store import table_counts
from tests.api.test_import_formats import as_csv, iconv, table, tcvn3, write_xls, write_xlsx
from tests.api.test_imports_api import upload
from tests.api.test_imports_api import write as commit_or_undo
from tests.geo.intake.test_importers import messy_rows, metres, places
from tests.world import one

__all__ = ["places"]
EDITED = "Cơ sở mộc Thành Công (đã sửa)"
CHANGED = "Cơ sở mộc Thành Công mới"


def _csv_1258(path: Path, rows: list[list[Any]]) -> Path:
    path.write_bytes(iconv(as_csv(rows, ";"), "CP1258"))
    return path


def _utf16(path: Path, rows: list[list[Any]]) -> Path:
    path.write_bytes(as_csv(rows, "\t").encode("utf-16"))
    return path


def _vntime(path: Path, rows: list[list[Any]]) -> Path:
    return write_xlsx(path, [[tcvn3(v) for v in row] for row in rows])


FORMATS: dict[str, Callable[[Path, list[list[Any]]], Path]] = {
    "co_so.xls": write_xls, "co_so_1258.csv": _csv_1258, "co_so_unicode.txt": _utf16,
    "co_so_vntime.xlsx": _vntime}


def expected(p: dict[str, Any]) -> dict[int, tuple[Any, ...]]:
    """Sheet row (one header row) -> status, name, commune, precision, point's commune."""
    names = [r[1] for r in messy_rows(p)]
    want = {2: ("accepted", "21220", "commune", None), 3: ("accepted", "21082", "exact", "21082"),
            4: ("accepted", "21133", "exact", "21133"), 5: ("accepted", "21349", "exact", "21349"),
            6: ("accepted", "21475", "exact", "21475"), 8: ("duplicate", None, None, None),
            9: ("rejected", None, None, None), 10: ("accepted", "21133", "exact", "21082"),
            11: ("accepted", None, "none", None), 12: ("accepted", "21220", "commune", None)}
    return {n: (s, names[n - 2] if s == "accepted" else None, c, pr, pt)
            for n, (s, c, pr, pt) in want.items()}


def check_preview(batch: dict[str, Any], p: dict[str, Any], name: str) -> None:
    rows = {r["row"]: r for r in batch["rows"]}
    assert {n for n, r in rows.items() if r["status"] == "skipped"} == {7, 13}, name
    for n, (status, unicode_name, commune, precision, point) in expected(p).items():
        r = rows[n]
        assert r["status"] == status, (name, n, r)
        if status != "accepted":
            continue
        assert (r["name"], r["commune_code"], r["precision"]) == \
            (unicode_name, commune, precision), (name, n, r)
        if point is not None:
            assert metres(r["lon"], r["lat"], p[point]["lon"], p[point]["lat"]) < 5, (name, n)


def test_walkthrough_for_each_legacy_format(client: Any, conn: Any, bearer: Any,
                                            places: dict[str, Any], tmp_path: Path) -> None:
    planner = bearer("planner")
    rows = table(places)
    changed = [[CHANGED if v == "Cơ sở mộc Thành Công" else v for v in row] for row in rows]
    for name, write in FORMATS.items():
        path = write(tmp_path / name, rows)
        before = table_counts(conn)
        batch = upload(client, planner, path)
        assert batch["status"] == "ready", (name, batch.get("message"))
        check_preview(batch, places, name)
        assert table_counts(conn) == before, name  # a preview writes nothing
        done = commit_or_undo(client, planner, batch["id"])
        assert done["summary"]["written"]["inserted"] == 8, (name, done)

        rid = one(conn, "SELECT id FROM establishment WHERE name = 'Cơ sở mộc Thành Công'")
        officer = bearer("district_officer", one(
            conn, "SELECT district_code FROM location WHERE establishment_id = %s", (rid,)))
        version = client.get(f"/api/establishments/{rid}", headers=officer).json()["version"]
        r = client.patch(f"/api/establishments/{rid}",
                         headers={**officer, "If-Match": str(version)},
                         json={"name": EDITED, "reason": "Sửa tên theo hồ sơ"})
        assert r.status_code == 200, (name, r.text)

        same = upload(client, planner, path)
        assert same["summary"]["conflict"] == 0, name
        row = {x["row"]: x for x in same["rows"]}[2]
        assert row["kept"] == ["name"] and row["record_id"] == rid, (name, row)
        assert commit_or_undo(client, planner, same["id"])["status"] == "committed"
        assert one(conn, "SELECT name FROM establishment WHERE id = %s", (rid,)) == EDITED

        other = upload(client, planner, write(path, changed))
        conflicts = [x for x in other["rows"] if x["status"] == "conflict"]
        assert [(c["row"], c["record_id"]) for c in conflicts] == [(2, rid)], name
        assert conflicts[0]["conflicts"][0]["file"] == CHANGED
        assert one(conn, "SELECT name FROM establishment WHERE id = %s", (rid,)) == EDITED

        audited = one(conn, "SELECT count(*) FROM audit_log WHERE batch_id = %s AND "
                            "action = 'import' AND username = %s",
                      (batch["id"], batch["username"]))
        assert audited == 8, name
        done = commit_or_undo(client, planner, batch["id"], "undo")
        assert done["summary"]["undo"]["removed"] == 8, (name, done)
        assert table_counts(conn) == before, name
