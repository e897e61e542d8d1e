"""A summary of what the database holds."""

from __future__ import annotations

from geo.core.db import Connection
from geo.core.migrate import applied


def database_status(conn: Connection) -> dict[str, object]:
    """Applied migrations and row counts of the main tables."""
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
            " (SELECT count(*) FROM establishment), (SELECT count(*) FROM craft_village),"
            " (SELECT count(*) FROM project)"
        )
        row = cur.fetchone()
    assert row is not None
    keys = ["legacy_districts", "legacy_communes", "communes_2025", "official_boundaries",
            "approximate_boundaries", "establishments", "craft_villages", "projects"]
    result.update(zip(keys, row, strict=True))
    return result
