"""First-run set-up of a database: schema, gazetteer, approximate boundaries, demo data."""

from __future__ import annotations

from geo.core.db import Connection
from geo.core.migrate import migrate
from geo.core.vocab import Edition
from geo.gazetteer import loader as gazetteer

_COUNTS = {
    "units": "SELECT count(*) FROM admin_unit",
    "boundaries": "SELECT count(*) FROM boundary WHERE edition = 'legacy'",
    "boundaries_2025": "SELECT count(*) FROM boundary WHERE edition = '2025'",
    "records": "SELECT (SELECT count(*) FROM establishment) + (SELECT count(*) FROM project)"
               " + (SELECT count(*) FROM craft_village)",
}


def _count(conn: Connection, what: str) -> int:
    with conn.cursor() as cur:
        cur.execute(_COUNTS[what])
        row = cur.fetchone()
    return int(row[0]) if row else 0


def bootstrap(conn: Connection, demo_scale: int = 1) -> list[str]:
    """Bring a database to a usable state, skipping every step already done; list the steps."""
    from geo.boundaries.approx import build_approximate
    from geo.intake.demo_store import load_demo

    steps = []
    applied = migrate(conn)
    steps.append(f"migrations applied: {', '.join(applied)}" if applied else "schema up to date")
    if _count(conn, "units") == 0:
        counts = gazetteer.load(conn)
        steps.append(f"gazetteer loaded: {counts.legacy_districts} districts, "
                     f"{counts.legacy_communes} communes, {counts.units_2025} communes (2025)")
    if _count(conn, "boundaries") == 0:
        build_approximate(conn)
        steps.append("approximate boundaries built (Ranh giới gần đúng)")
    if _count(conn, "boundaries_2025") == 0:
        build_approximate(conn, Edition.e2025)
        steps.append("approximate 2025 commune boundaries built (Ranh giới gần đúng)")
    if _count(conn, "records") == 0:
        load_demo(conn, scale=demo_scale)
        steps.append(f"demo data loaded (synthetic, scale {demo_scale})")
    return steps
