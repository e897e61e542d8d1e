"""Cursors for whole-table aggregations: hash joins only, no JIT, whatever the statistics say.

Right after rows are inserted (an import, the demo loader, a test) the planner's statistics
can claim the tables are empty; it then picks nested loops that re-scan whole tables per row
and a query over 30,000 establishments takes minutes. For queries that read whole tables,
hash joins are always the right plan, so they are forced for the duration of the block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2.extensions
import psycopg2.extras

from geo.core.db import Connection

_SAVE = "SELECT current_setting('enable_nestloop'), current_setting('jit')"
_FORCE = "SELECT set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)"
_RESTORE = "SELECT set_config('enable_nestloop', %s, true), set_config('jit', %s, true)"


@contextmanager
def bulk_cursor(conn: Connection, dict_rows: bool = False) -> Iterator[Any]:
    """A cursor (rows as dicts if asked) whose queries use no nested loops and no JIT."""
    with conn.cursor() as settings:
        settings.execute(_SAVE)
        saved = settings.fetchone()
        settings.execute(_FORCE)
    factory = psycopg2.extras.RealDictCursor if dict_rows else None
    try:
        with conn.cursor(cursor_factory=factory) as cur:
            yield cur
    finally:
        if conn.info.transaction_status != psycopg2.extensions.TRANSACTION_STATUS_INERROR:
            with conn.cursor() as settings:
                settings.execute(_RESTORE, saved)
