"""A summary of what the database holds."""

from __future__ import annotations

from geo.core.db import Connection
from geo.core.migrate import applied


def database_status(conn: Connection) -> dict[str, object]:
    """Applied migrations and row counts of the main tables; records archived by an import
    (migration 0013) are counted apart (archived_records), not as establishments, villages
    or projects."""
    versions = sorted(applied(conn))
    result: dict[str, object] = {"migrations": versions}
    if not versions:
        return result
    with conn.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM admin_unit WHERE edition='legacy' AND level='district'),"
            " (SELECT count(*) FROM admin_unit WHERE edition='legacy' AND level='commune'),"
            " (SELECT count(*) FROM admin_unit WHERE edition='2025' AND level='commune'),"
            " (SELECT count(*) FROM boundary WHERE quality='official'),"
            " (SELECT count(*) FROM boundary WHERE quality='approximate'),"
            " (SELECT count(*) FROM establishment WHERE archived_at IS NULL),"
            " (SELECT count(*) FROM craft_village WHERE archived_at IS NULL),"
            " (SELECT count(*) FROM project WHERE archived_at IS NULL),"
            " (SELECT count(*) FROM establishment WHERE archived_at IS NOT NULL)"
            " + (SELECT count(*) FROM craft_village WHERE archived_at IS NOT NULL)"
            " + (SELECT count(*) FROM project WHERE archived_at IS NOT NULL)"
        )
        row = cur.fetchone()
    assert row is not None
    keys = ["legacy_districts", "legacy_communes", "communes_2025", "official_boundaries",
            "approximate_boundaries", "establishments", "craft_villages", "projects",
            "archived_records"]
    result.update(zip(keys, row, strict=True))
    result.update(_freshness(conn))
    return result


def _freshness(conn: Connection) -> dict[str, object]:
    """When the records last changed (data_date, a timestamp or None) and whether any are
    demo data (has_demo)."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT greatest((SELECT max(updated_at) FROM establishment),"
            " (SELECT max(updated_at) FROM craft_village), (SELECT max(updated_at) FROM project)),"
            " EXISTS (SELECT 1 FROM establishment WHERE is_demo)"
            " OR EXISTS (SELECT 1 FROM craft_village WHERE is_demo)"
            " OR EXISTS (SELECT 1 FROM project WHERE is_demo)")
        row = cur.fetchone()
    assert row is not None
    return {"data_date": row[0], "has_demo": bool(row[1])}
