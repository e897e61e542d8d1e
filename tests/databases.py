"""The test session's databases, copied from templates built once per session.

Three kinds, each a layer over the one before:
  plain       migrations and the gazetteer;
  boundaries  plain + approximate legacy polygons (world.build_boundaries);
  world       boundaries + 2025 polygons and the synthetic demo records (world.build_world).
Each kind's template is built at most once per session, only when a test asks for that kind, and
no test ever connects to a template: tests get a copy made with CREATE DATABASE ... TEMPLATE.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg2
from psycopg2 import sql

from geo.core.migrate import migrate
from geo.gazetteer import loader as gazetteer

from .world import build_boundaries, build_world

KINDS = ("plain", "boundaries", "world")


def with_db(dsn: str, name: str) -> str:
    """DSN of database NAME on the server of DSN."""
    return urlunparse(urlparse(dsn)._replace(path="/" + name))


def _prepare_plain(conn: Any) -> None:
    migrate(conn)
    gazetteer.load(conn)


def _new_token(dsn: str) -> None:
    """A copy's own data-version token: payload caches must tell it from its siblings."""
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("UPDATE data_version SET token = (SELECT gen_random_uuid())")
        conn.commit()
    finally:
        conn.close()


# kind -> (the kind its template is copied from, what is built on top of it)
LAYERS: dict[str, tuple[str | None, Callable[[Any], None]]] = {
    "plain": (None, _prepare_plain),
    "boundaries": ("plain", build_boundaries),
    "world": ("boundaries", build_world),
}


class TestDatabases:
    """Templates and per-session copies named after PREFIX (one prefix per pytest process)."""

    __test__ = False  # not a test class despite its name

    def __init__(self, server_dsn: str, prefix: str) -> None:
        self.server_dsn = server_dsn
        self.prefix = prefix
        self.made: list[str] = []
        self.templates: set[str] = set()
        self.copies: dict[str, str] = {}

    def name(self, kind: str, template: bool = False) -> str:
        """The database name of a kind's copy (the session's own prefix for plain)."""
        suffix = "" if kind == "plain" else f"_{kind}"
        return f"{self.prefix}{suffix}_tpl" if template else f"{self.prefix}{suffix}"

    def _admin(self, statement: sql.Composable) -> None:
        conn = psycopg2.connect(with_db(self.server_dsn, "postgres"), connect_timeout=5)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(statement)
        finally:
            conn.close()

    def _create(self, name: str, template: str | None) -> None:
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                    .format(sql.Identifier(name)))
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            create = sql.SQL("{} TEMPLATE {}").format(create, sql.Identifier(template))
        self._admin(create)
        self.made.append(name)

    def template(self, kind: str) -> str:
        """The name of KIND's template, built (once) from its parent's template."""
        name = self.name(kind, template=True)
        if name in self.templates:
            return name
        parent, build = LAYERS[kind]
        self._create(name, self.template(parent) if parent else None)
        conn = psycopg2.connect(with_db(self.server_dsn, name))
        try:
            build(conn)
            conn.commit()
        finally:
            conn.close()
        self.templates.add(name)
        return name

    def dsn(self, kind: str) -> str:
        """DSN of this session's copy of KIND, made on first use."""
        if kind not in self.copies:
            name = self.name(kind)
            self._create(name, self.template(kind))
            self.copies[kind] = with_db(self.server_dsn, name)
            _new_token(self.copies[kind])
        return self.copies[kind]

    def drop_all(self) -> None:
        """Drop every database this session made, all at once.

        Each DROP DATABASE waits for a checkpoint; issued together they share one or two.
        """
        drops = [sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(n))
                 for n in self.made]
        with ThreadPoolExecutor(max_workers=max(1, len(drops))) as pool:
            list(pool.map(self._admin, drops))
