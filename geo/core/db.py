"""PostGIS connections: a small self-healing pool and transaction scopes."""

from __future__ import annotations

import select
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeAlias

import psycopg2
import psycopg2.extensions
import psycopg2.extras

from geo.core.db_errors import UNREACHABLE, classify, connection_lost
from geo.core.errors import DatabaseUnavailable, NotFound

Connection: TypeAlias = psycopg2.extensions.connection


class TransactionSource(Protocol):
    """Anything that hands out a connection inside a transaction."""

    def transaction(self) -> Any:  # pragma: no cover - protocol
        """Return a context manager yielding a connection."""
        ...


def _quiet(conn: Connection) -> bool:
    """Whether an idle pooled connection has nothing to read, as a healthy idle one has.

    When the server ends a connection (restart, crash, administrator) its socket becomes
    readable (the FATAL message or end of file); that costs no round trip to notice.
    """
    try:
        readable, _, _ = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg2.Error):
        return False
    return not readable


def _answers(conn: Connection) -> bool:
    """Whether the connection answers a trivial query (one round trip)."""
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
        conn.rollback()
        return True
    except psycopg2.Error:
        return False


class Database:
    """A pool of PostGIS connections; a broken connection is dropped and replaced.

    A pooled connection is checked before it is handed out (a socket check every time; a
    `SELECT 1` when the socket has something to read or the connection sat idle longer than
    `verify_after` seconds), so the first request after PostGIS restarts gets a fresh
    connection instead of an error.
    """

    def __init__(self, dsn: str, pool_size: int = 8, connect_timeout: int = 3,
                 verify_after: float = 30.0) -> None:
        self.dsn = dsn
        self.pool_size = pool_size
        self.connect_timeout = connect_timeout
        self.verify_after = verify_after
        self._idle: list[tuple[Connection, float]] = []
        self._lock = threading.Lock()

    def _connect(self) -> Connection:
        try:
            conn = psycopg2.connect(
                self.dsn,
                connect_timeout=self.connect_timeout,
                application_name="kcmap",
                keepalives=1,
                keepalives_idle=10,
                keepalives_interval=5,
                keepalives_count=2,
            )
        except psycopg2.OperationalError as exc:
            raise DatabaseUnavailable(UNREACHABLE) from exc
        return conn

    def _checkout(self) -> Connection:
        while True:
            with self._lock:
                if not self._idle:
                    break
                conn, since = self._idle.pop()
            stale = time.monotonic() - since > self.verify_after
            # Something to read, or idle for long: ask the server before trusting it.
            if not conn.closed and ((_quiet(conn) and not stale) or _answers(conn)):
                return conn
            conn.close()
        return self._connect()

    def _checkin(self, conn: Connection) -> None:
        with self._lock:
            if not conn.closed and len(self._idle) < self.pool_size:
                self._idle.append((conn, time.monotonic()))
                return
        conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Yield a connection in a transaction; commit on success, roll back on error."""
        conn = self._checkout()
        try:
            yield conn
            conn.commit()
        except psycopg2.Error as exc:
            error = classify(exc)
            if error is None or not (conn.closed or connection_lost(error)):
                self._release_after_error(conn)
            else:
                conn.close()
            if error is None:
                raise
            raise error from exc
        except BaseException:
            self._release_after_error(conn)
            raise
        else:
            self._checkin(conn)

    def _release_after_error(self, conn: Connection) -> None:
        """Roll back and return the connection to the pool (closed if that fails)."""
        if not conn.closed:
            try:
                conn.rollback()
            except psycopg2.Error:
                conn.close()
        self._checkin(conn)

    def ping(self) -> bool:
        """Return True when PostGIS answers a trivial query."""
        try:
            with self.transaction() as conn, conn.cursor() as cur:
                cur.execute("SELECT 1")
                return cur.fetchone() == (1,)
        except DatabaseUnavailable:
            return False

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            for conn, _ in self._idle:
                conn.close()
            self._idle.clear()


class SingleConnectionDatabase:
    """Hands out one connection, using savepoints: lets tests roll everything back."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._lock = threading.RLock()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Yield the shared connection inside a savepoint."""
        with self._lock:
            with self.conn.cursor() as cur:
                cur.execute("SAVEPOINT kcmap_tx")
            try:
                yield self.conn
            except BaseException:
                with self.conn.cursor() as cur:
                    cur.execute("ROLLBACK TO SAVEPOINT kcmap_tx")
                raise
            else:
                with self.conn.cursor() as cur:
                    cur.execute("RELEASE SAVEPOINT kcmap_tx")

    def ping(self) -> bool:
        """Return True when the shared connection answers."""
        with self.transaction() as conn, conn.cursor() as cur:
            cur.execute("SELECT 1")
            return cur.fetchone() == (1,)

    def close(self) -> None:
        """Nothing to close: the owner of the connection closes it."""


def dict_cursor(conn: Connection) -> psycopg2.extras.RealDictCursor:
    """Return a cursor whose rows are dicts."""
    return conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)


def one_row(conn: Connection, query: str, params: tuple[Any, ...], missing: str,
            lock: bool = False) -> dict[str, Any]:
    """The row a (constant, parameterised) query finds, as a dict, locked FOR UPDATE if
    asked; NotFound with the message MISSING when there is none."""
    with dict_cursor(conn) as cur:
        cur.execute(query + (" FOR UPDATE" if lock else ""), params)
        row = cur.fetchone()
    if row is None:
        raise NotFound(missing)
    return dict(row)
