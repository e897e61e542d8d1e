"""PostGIS connections: a small self-healing pool and transaction scopes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeAlias

import psycopg2
import psycopg2.extensions
import psycopg2.extras

from geo.core.errors import DatabaseUnavailable

Connection: TypeAlias = psycopg2.extensions.connection


class TransactionSource(Protocol):
    """Anything that hands out a connection inside a transaction."""

    def transaction(self) -> Any:  # pragma: no cover - protocol
        """Return a context manager yielding a connection."""
        ...


class Database:
    """A pool of PostGIS connections; a broken connection is dropped and replaced."""

    def __init__(self, dsn: str, pool_size: int = 8, connect_timeout: int = 3) -> None:
        self.dsn = dsn
        self.pool_size = pool_size
        self.connect_timeout = connect_timeout
        self._idle: list[Connection] = []
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
            raise DatabaseUnavailable("Không kết nối được cơ sở dữ liệu PostGIS") from exc
        return conn

    def _checkout(self) -> Connection:
        with self._lock:
            while self._idle:
                conn = self._idle.pop()
                if not conn.closed:
                    return conn
        return self._connect()

    def _checkin(self, conn: Connection) -> None:
        with self._lock:
            if not conn.closed and len(self._idle) < self.pool_size:
                self._idle.append(conn)
                return
        conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Yield a connection in a transaction; commit on success, roll back on error."""
        conn = self._checkout()
        try:
            yield conn
            conn.commit()
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
            conn.close()
            raise DatabaseUnavailable("Mất kết nối cơ sở dữ liệu PostGIS") from exc
        except BaseException:
            if not conn.closed:
                try:
                    conn.rollback()
                except psycopg2.Error:
                    conn.close()
            self._checkin(conn)
            raise
        else:
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
            for conn in self._idle:
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
