"""The session's databases: each kind holds what it promises, and copies are told apart."""

from __future__ import annotations

from typing import Any

from geo.core.payload_cache import data_version
from tests.databases import TestDatabases
from tests.world import one

COUNTS = ("SELECT count(*) FROM admin_unit WHERE edition = 'legacy'",
          "SELECT count(*) FROM boundary WHERE edition = 'legacy'",
          "SELECT count(*) FROM boundary WHERE edition = '2025'",
          "SELECT count(*) FROM establishment WHERE is_demo")


def _counts(conn: Any) -> tuple[int, ...]:
    return tuple(int(one(conn, q)) for q in COUNTS)


def test_plain_has_the_gazetteer_only(conn: Any) -> None:
    units, legacy, new, demo = _counts(conn)
    assert units == 184 and (legacy, new, demo) == (0, 0, 0)


def test_boundaries_has_legacy_polygons_and_no_records(boundaries: Any) -> None:
    units, legacy, new, demo = _counts(boundaries)
    assert (units, legacy, new, demo) == (184, 183, 0, 0)  # every unit but the province


def test_world_has_both_editions_and_the_demo_records(world: Any) -> None:
    units, legacy, new, demo = _counts(world)
    assert (units, legacy) == (184, 183) and new > 90 and 1350 <= demo <= 1650


def test_copies_of_one_template_have_their_own_data_version_token(
        databases: TestDatabases) -> None:
    import psycopg2

    tokens = set()
    for kind in ("plain", "boundaries", "world"):
        conn = psycopg2.connect(databases.dsn(kind))
        try:
            tokens.add(data_version(conn).split(":")[0])
        finally:
            conn.close()
    assert len(tokens) == 3
