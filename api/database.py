"""Build the Database the app and the CLI use, starting the local cluster when needed."""

from __future__ import annotations

from geo.core.cluster import ensure_cluster, resolve_dsn
from geo.core.db import Database
from geo.core.settings import DatabaseSettings, HomeSettings


def database_from_env(start_local: bool = True) -> Database:
    """A Database for DATABASE_URL, or for the project-local cluster (started if asked)."""
    db = DatabaseSettings()
    home = HomeSettings()
    dsn = db.url if db.url else (ensure_cluster(home) if start_local else resolve_dsn(db, home))
    return Database(dsn, pool_size=db.pool_size, connect_timeout=db.connect_timeout)
