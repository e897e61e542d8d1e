"""Shared set-up of the issue-6 tests: both editions' approximate boundaries and demo data."""

from __future__ import annotations

from typing import Any


def load_world(conn: Any) -> None:
    """Approximate legacy and 2025 polygons, then the synthetic demo records (rolled back)."""
    from geo.boundaries.approx import build_approximate
    from geo.intake.demo_store import load_demo

    build_approximate(conn)
    build_approximate(conn, "2025")
    load_demo(conn, scale=1)


def one(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """The first column of the first row of a query."""
    with conn.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return row[0] if row else None
