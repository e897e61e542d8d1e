"""Migrations on an empty database: all applied once, then a no-op; PostGIS and GiST indexes."""

from __future__ import annotations

import os

import psycopg2
import pytest

from geo.core.cluster import create_database
from geo.core.migrate import applied, available, migrate
from tests.databases import with_db


@pytest.fixture()
def empty_dsn(server_dsn: str):  # type: ignore[no-untyped-def]
    """A brand-new empty database, dropped afterwards."""
    admin = with_db(server_dsn, "postgres")
    name = f"kcmap_test_empty_{os.getpid()}"
    create_database(admin, name, drop_first=True)
    yield with_db(server_dsn, name)
    c = psycopg2.connect(admin)
    c.autocommit = True
    with c.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    c.close()


def test_migrations_apply_on_empty_db_then_are_no_op(empty_dsn: str) -> None:
    conn = psycopg2.connect(empty_dsn)
    try:
        names = migrate(conn)
        conn.commit()
        assert names == [name for _, name, _ in available()]
        assert applied(conn) == {v for v, _, _ in available()}
        assert migrate(conn) == []
        with conn.cursor() as cur:
            cur.execute("SELECT postgis_version()")
            assert cur.fetchone()[0].startswith("3.")
            cur.execute(
                "SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class c"
                " ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam WHERE a.amname='gist'"
            )
            gist = {r[0] for r in cur.fetchall()}
        assert {"boundary_geom_gix", "location_geom_gix"} <= gist
    finally:
        conn.close()
