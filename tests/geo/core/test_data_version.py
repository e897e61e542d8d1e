"""The data version every write bumps, and the caches keyed on it: never stale, shared by
app instances (as uvicorn workers are) through PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest
from fastapi.testclient import TestClient

from geo.core.payload_cache import data_version
from geo.records.edit import edit_record
from tests.review_helpers import auth_client
from tests.world import BINH_SON, communes_of, establishment, locate, one, project

# A harmless statement per data table: statement-level triggers fire even for zero rows.
TOUCH = {"admin_unit": "name", "unit_alias": "note", "unit_crosswalk": "share",
         "boundary": "source", "activity_type": "name_vi", "establishment": "name",
         "craft_village": "name", "project": "title", "location": "method",
         "commune_priority": "note", "programme_target": "unit", "project_output": "quantity",
         "project_finance": "planned_vnd", "project_inspection": "finding",
         "recognised_product": "name", "collaborator": "full_name",
         "support_need": "description", "kc_plan": "status",
         "kc_plan_district_ceiling": "ceiling_vnd", "kc_plan_line": "title"}


@pytest.mark.parametrize("table", sorted(TOUCH))
def test_every_data_table_bumps_the_version(conn: Any, table: str) -> None:
    before = data_version(conn)
    with conn.cursor() as cur:
        cur.execute(f"UPDATE {table} SET {TOUCH[table]} = {TOUCH[table]} WHERE false")  # noqa: S608
    after = data_version(conn)
    assert after != before
    assert after.split(":")[0] == before.split(":")[0]  # same database token


def test_a_table_bumps_only_its_own_version(conn: Any) -> None:
    from geo.records.public_establishments import TABLES

    points, everything = data_version(conn, TABLES), data_version(conn)
    project(conn, "DV-P0", 1_000_000)
    assert data_version(conn, TABLES) == points  # the points payload stays cached
    assert data_version(conn) != everything
    establishment(conn, "DV-E0")
    assert data_version(conn, TABLES) != points


def test_reading_does_not_bump_and_rollback_never_reuses_a_number(conn: Any) -> None:
    first = data_version(conn)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM establishment")
    assert data_version(conn) == first
    with conn.cursor() as cur:
        cur.execute("SAVEPOINT s")
        establishment(conn, "DV-ROLLED-BACK")
        rolled = data_version(conn)
        cur.execute("ROLLBACK TO SAVEPOINT s")
    assert data_version(conn) == first
    establishment(conn, "DV-KEPT")
    assert data_version(conn) not in (first, rolled)


def test_patch_then_next_responses_reflect_the_write(conn: Any, bearer: Any) -> None:
    commune = communes_of(conn, BINH_SON)[0]
    pid = project(conn, "DV-P1", 500_000_000, year=2023)
    locate(conn, "commune", project_id=pid, commune=commune)
    eid = establishment(conn, "DV-E1", name="Cơ sở cũ")
    locate(conn, "commune", establishment_id=eid, commune=commune)
    c = auth_client(conn, public_maps=True)

    def total() -> int:
        return int(c.get("/api/coverage").json()["summary"]["total_vnd"])

    def gap_row() -> dict[str, Any]:
        rows = c.get("/api/gaps").json()["communes"]
        return next(r for r in rows if r["code"] == commune)

    assert total() == total() == 500_000_000  # second answer from the cache
    gap_before = gap_row()
    page_before = c.get("/maps/coverage").text
    gaps_before = c.get("/maps/gaps").text
    assert c.get("/maps/coverage").text == page_before
    assert "Cơ sở cũ" in c.get("/api/establishments.geojson").text
    version = data_version(conn)

    planner = bearer("planner")
    r = c.patch(f"/api/projects/{pid}", json={"kc_vnd": 750_000_000, "reason": "r"},
                headers={**planner, "If-Match": "1"})
    assert r.status_code == 200, r.text
    assert data_version(conn) != version
    assert total() == 750_000_000
    assert gap_row() != gap_before
    assert c.get("/maps/coverage").text != page_before
    assert c.get("/maps/gaps").text != gaps_before

    officer = bearer("district_officer", BINH_SON)
    r = c.patch(f"/api/establishments/{eid}", json={"name": "Cơ sở mới", "reason": "r"},
                headers={**officer, "If-Match": "1"})
    assert r.status_code == 200, r.text
    points = c.get("/api/establishments.geojson").text
    assert "Cơ sở mới" in points and "Cơ sở cũ" not in points


def test_a_geo_function_write_bumps_the_version(conn: Any, make_user: Any) -> None:
    eid = establishment(conn, "DV-E2", workers=3)
    locate(conn, "commune", establishment_id=eid, commune=communes_of(conn, BINH_SON)[0])
    version = data_version(conn)
    edit_record(conn, make_user("admin"), "establishment", eid, 1, {"workers": 9, "reason": "r"})
    assert data_version(conn) != version


@pytest.fixture()
def committed(test_dsn: str) -> Iterator[psycopg2.extensions.connection]:
    """An autocommit connection to the test database; records DV-SHARED-* removed after."""
    c = psycopg2.connect(test_dsn)
    c.autocommit = True
    try:
        yield c
    finally:
        with c.cursor() as cur:
            cur.execute("DELETE FROM establishment WHERE record_key LIKE 'DV-SHARED-%'")
        c.close()


def test_two_app_instances_share_the_version(test_dsn: str, committed: Any) -> None:
    from api.web.app import create_app
    from geo.core.db import Database
    from geo.core.settings import AuthSettings, MapSettings

    eid = establishment(committed, "DV-SHARED-1", name="Cơ sở chung")
    locate(committed, "commune", establishment_id=eid,
           commune=communes_of(committed, BINH_SON)[0])
    databases = [Database(test_dsn, pool_size=2), Database(test_dsn, pool_size=2)]
    clients = [TestClient(create_app(database=d, map_settings=MapSettings(tiles="none"),
                                     auth_settings=AuthSettings(public_maps=True)))
               for d in databases]
    try:
        first = [c.get("/api/establishments.geojson") for c in clients]
        assert all("Cơ sở chung" in r.text for r in first)
        assert first[0].headers["ETag"] == first[1].headers["ETag"]
        assert first[0].headers["ETag"] == clients[0].get(
            "/api/establishments.geojson").headers["ETag"]  # unchanged: same entry
        # A write committed elsewhere (another worker, the CLI): both see it at once.
        with committed.cursor() as cur:
            cur.execute("UPDATE establishment SET name = 'Cơ sở đổi tên' WHERE id = %s", (eid,))
        second = [c.get("/api/establishments.geojson") for c in clients]
        assert all("Cơ sở đổi tên" in r.text and "Cơ sở chung" not in r.text
                   for r in second)
        assert second[0].headers["ETag"] == second[1].headers["ETag"] != \
            first[0].headers["ETag"]
        assert one(committed, "SELECT count(*) FROM establishment WHERE id = %s", (eid,)) == 1
    finally:
        for c in clients:
            c.close()
        for d in databases:
            d.close()


def test_serve_with_workers_from_the_environment(test_dsn: str, committed: Any,
                                                 tmp_path: Any) -> None:
    """`kcmap serve` with KCMAP_WORKERS=2: two worker processes, each building its app from
    the environment; a write committed elsewhere shows in every next answer."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx

    from tests.conftest import free_port

    eid = establishment(committed, "DV-SHARED-2", name="Cơ sở trước")
    locate(committed, "commune", establishment_id=eid,
           commune=communes_of(committed, BINH_SON)[0])
    port = free_port()
    env = {**os.environ, "DATABASE_URL": test_dsn, "KCMAP_WORKERS": "2",
           "KCMAP_PUBLIC_MAPS": "1", "KCMAP_TILES": "none", "KCMAP_PORT": str(port)}
    log = tmp_path / "serve.log"
    kcmap = Path(sys.executable).parent / "kcmap"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(kcmap), "serve"], env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while log.read_text().count("Application startup complete") < 2:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)

        def names() -> list[str]:  # a new connection each: the workers share them out
            return [httpx.get(f"{base}/api/establishments.geojson", timeout=30).text
                    for _ in range(6)]

        assert all("Cơ sở trước" in t for t in names())
        with committed.cursor() as cur:
            cur.execute("UPDATE establishment SET name = 'Cơ sở sau' WHERE id = %s", (eid,))
        assert all("Cơ sở sau" in t and "Cơ sở trước" not in t for t in names())
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert log.read_text().count("Started server process") == 2
