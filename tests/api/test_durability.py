"""Durability and recovery on a private cluster: crash after an acknowledged write, restart with
a warm pool, error pages during an outage, backup and restore."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.web.app import create_app
from geo.core.cluster import cluster_dir, create_database, stop_cluster
from geo.core.db import Database
from geo.core.migrate import available, migrate
from geo.core.settings import AuthSettings, HomeSettings, MapSettings
from tests import private_cluster
from tests.conftest import TEST_PASSWORD, free_port
from tests.databases import with_db as _with_db


class Private:
    """The private cluster, its kcmap DSN, a planner's token and one project."""

    def __init__(self, home: HomeSettings, dsn: str, token: str, project_id: int) -> None:
        self.home, self.dsn, self.token, self.project_id = home, dsn, token, project_id

    def app_client(self, dsn: str | None = None, pool_size: int = 8) -> tuple[TestClient,
                                                                              Database]:
        """A client of the app on a real pool (not the rolled-back test connection)."""
        database = Database(dsn or self.dsn, pool_size=pool_size, connect_timeout=2)
        app = create_app(database=database, map_settings=MapSettings(tiles="none"),
                         auth_settings=AuthSettings(public_maps=True))
        return TestClient(app), database


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Private]:
    """A fresh cluster with schema, gazetteer, demo data, a planner and a project."""
    from geo.accounts import users as accounts
    from geo.gazetteer import loader as gazetteer
    from geo.intake.demo_store import load_demo

    home = HomeSettings(home=tmp_path_factory.mktemp("kcmap-home"), pg_port=free_port())
    try:
        dsn = private_cluster.start(home)
        conn = psycopg2.connect(dsn)
        try:
            migrate(conn)
            gazetteer.load(conn)
            load_demo(conn, scale=1)
            accounts.add_user(conn, "kehoach-ben", TEST_PASSWORD, "planner")
            token = accounts.issue_token(conn, "kehoach-ben")
            with conn.cursor() as cur:
                cur.execute("""INSERT INTO project (record_key, title, year, funding_source,
                                                   activity_type, kc_vnd)
                               VALUES ('DUR-1', 'Đề án bền', 2024, 'KCDP', 'machinery',
                                       100000000) RETURNING id""")
                row = cur.fetchone()
            conn.commit()
        finally:
            conn.close()
        assert row is not None
        yield Private(home, dsn, token, int(row[0]))
    finally:
        private_cluster.remove(home)


def _one(dsn: str, sql: str, params: Any = None) -> Any:
    conn = psycopg2.connect(dsn, connect_timeout=5)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            row = cur.fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def test_local_cluster_commits_synchronously(private: Private) -> None:
    assert _one(private.dsn, "SHOW synchronous_commit") == "on"
    conf = (cluster_dir(private.home) / "data" / "postgresql.conf").read_text()
    assert "synchronous_commit = off" not in conf


def test_acknowledged_patch_survives_killed_postmaster(private: Private) -> None:
    url = f"/api/projects/{private.project_id}"
    auth = {"Authorization": f"Bearer {private.token}"}
    for attempt in range(1, 4):
        client, database = private.app_client()
        with client:
            version = client.get(url, headers=auth).json()["version"]
            title = f"Đề án sau sự cố {attempt}"
            r = client.patch(url, json={"title": title, "reason": f"lần {attempt}"},
                             headers={**auth, "If-Match": str(version)})
            assert r.status_code == 200, r.text
            private_cluster.kill_postmaster(private.home)  # at once, nothing flushed by hand
        database.close()
        private_cluster.start(private.home)
        assert _one(private.dsn, "SELECT title FROM project WHERE id = %s",
                    (private.project_id,)) == title, f"attempt {attempt}: acknowledged write lost"
        assert _one(private.dsn, "SELECT count(*) FROM audit_log WHERE entity = 'project' "
                    "AND entity_id = %s AND reason = %s",
                    (private.project_id, f"lần {attempt}")) == 1


def test_warm_pool_recovers_after_restart_and_outage_pages(private: Private) -> None:
    client, database = private.app_client(pool_size=8)
    auth = {"Authorization": f"Bearer {private.token}"}
    urls = ["/healthz", f"/api/projects/{private.project_id}", "/api/units?level=district",
            "/maps/coverage", "/api/coverage"]
    try:
        with client:
            with ExitStack() as stack:  # eight connections at once: the whole pool is warm
                for _ in range(8):
                    stack.enter_context(database.transaction())
            assert len(database._idle) == 8
            assert client.get("/healthz").status_code == 200
            stop_cluster(private.home)

            page = client.get("/maps/coverage")
            assert page.status_code == 503
            assert page.headers["content-type"].startswith("text/html")
            assert 'lang="vi"' in page.text and "cơ sở dữ liệu" in page.text
            assert "Nên làm gì tiếp" in page.text and "Traceback" not in page.text
            api = client.get("/api/units?level=district")
            assert api.status_code == 503
            assert api.headers["content-type"].startswith("application/json")
            assert "PostGIS" in api.json()["detail"]
            assert client.get("/healthz").status_code == 503

            private_cluster.start(private.home)
            with ExitStack() as stack:  # warm again: all eight now point at the old server
                for _ in range(8):
                    stack.enter_context(database.transaction())
            stop_cluster(private.home)
            private_cluster.start(private.home)
            statuses = [client.get(urls[i % len(urls)], headers=auth).status_code
                        for i in range(10)]
            assert statuses == [200] * 10
    finally:
        database.close()


def test_backup_then_restore_into_fresh_database(private: Private, tmp_path: Path) -> None:
    from api.cli.main import app

    runner = CliRunner()
    dump = tmp_path / "kcmap.dump"
    r = runner.invoke(app, ["backup", "-o", str(dump)], env={"DATABASE_URL": private.dsn})
    assert r.exit_code == 0, r.output
    newest = max(version for version, _, _ in available())
    assert dump.stat().st_size > 0 and f"phiên bản {newest})" in r.output

    restored = _with_db(private.dsn, "kcmap_restored")
    create_database(_with_db(private.dsn, "postgres"), "kcmap_restored", drop_first=True)
    r = runner.invoke(app, ["restore", str(dump)], env={"DATABASE_URL": restored})
    assert r.exit_code == 0, r.output

    def coverage(dsn: str) -> Any:
        client, database = private.app_client(dsn)
        with client:
            body = client.get("/api/coverage?level=commune").json()
        database.close()
        return json.dumps(body, sort_keys=True)

    before, after = coverage(private.dsn), coverage(restored)
    assert '"features"' in before and before == after

    again = runner.invoke(app, ["restore", str(dump)], env={"DATABASE_URL": restored})
    assert again.exit_code == 1 and "không trống" in again.output
    forced = runner.invoke(app, ["restore", str(dump), "--force"],
                           env={"DATABASE_URL": restored})
    assert forced.exit_code == 0, forced.output
    assert coverage(restored) == before

    _one(restored, "SELECT 1")
    conn = psycopg2.connect(restored)
    with conn, conn.cursor() as cur:
        cur.execute("INSERT INTO schema_migration (version, name) VALUES (9999, '9999_x.sql')")
    conn.close()
    future = tmp_path / "future.dump"
    assert runner.invoke(app, ["backup", "-o", str(future)],
                         env={"DATABASE_URL": restored}).exit_code == 0
    fresh = _with_db(private.dsn, "kcmap_future")
    create_database(_with_db(private.dsn, "postgres"), "kcmap_future", drop_first=True)
    refused = runner.invoke(app, ["restore", str(future)], env={"DATABASE_URL": fresh})
    assert refused.exit_code == 1 and "mới hơn" in refused.output
    assert _one(fresh, "SELECT to_regclass('public.schema_migration') IS NULL") is True


def test_clusters_made_by_older_versions_are_made_durable(tmp_path: Path) -> None:
    from geo.core.cluster import _make_durable

    conf = tmp_path / "postgresql.conf"
    conf.write_text("port = 5\nsynchronous_commit = off\nshared_buffers = 256MB\n")
    _make_durable(tmp_path)
    text = conf.read_text()
    assert "synchronous_commit = on" in text and "= off" not in text and "port = 5" in text
