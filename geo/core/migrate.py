"""Numbered SQL migrations under geo/core/migrations, applied in order, each once."""

from __future__ import annotations

import re
from importlib import resources

from geo.core.db import Connection

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_LOCK_ID = 51_2021


def available() -> list[tuple[int, str, str]]:
    """Return (version, filename, sql) of every migration shipped with kcmap."""
    found = []
    for entry in resources.files("geo.core.migrations").iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def applied(conn: Connection) -> set[int]:
    """Return the versions already applied to this database."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('public.schema_migration') IS NOT NULL")
        row = cur.fetchone()
        if not row or not row[0]:
            return set()
        cur.execute("SELECT version FROM schema_migration")
        return {r[0] for r in cur.fetchall()}


def migrate(conn: Connection) -> list[str]:
    """Apply pending migrations inside the caller's transaction; return their names."""
    with conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migration ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
    done = applied(conn)
    names = []
    for version, name, body in available():
        if version in done:
            continue
        with conn.cursor() as cur:
            cur.execute(body)
            cur.execute(
                "INSERT INTO schema_migration (version, name) VALUES (%s, %s)", (version, name)
            )
        names.append(name)
    return names
