"""A per-process cache of computed payloads (JSON, GeoJSON, HTML), keyed on data versions.

Every write to a table the maps and indicators read bumps that table's row of `data_version`
in the same transaction (statement-level triggers, migration 0007), with a number from a
sequence that is never reused. A payload is stored under (kind, parameters, database token,
versions of the tables it reads; all of them unless the caller names them), so:
- it is never stale: a request reads the version first (READ COMMITTED: the data it then reads
  is at least that new), and after any committed write every process sees a new version;
- it works across uvicorn workers and app instances: each keeps its own entries, but they
  all key them on the version PostgreSQL holds;
- a transaction sees its own uncommitted writes and their version, which nobody else can see.
Reading the version is one primary-key lookup. Concurrent requests for the same missing entry
build it once (the others wait for it).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from geo.core.db import Connection

MAX_ENTRIES = 64
MAX_BYTES = 96 * 1024 * 1024  # per process; the largest payload (all points) is a few MB


@dataclass(frozen=True)
class Payload:
    """A serialised body and a tag naming its content (for ETag and compression)."""

    text: str
    tag: str


_entries: OrderedDict[str, Payload] = OrderedDict()
_size = 0
_lock = threading.Lock()
_building: dict[str, threading.Lock] = {}


def data_version(conn: Connection, tables: tuple[str, ...] | None = None) -> str:
    """'token:table=version,…' of TABLES (None: every data table) as this connection sees
    them; changes with every write to one of them."""
    with conn.cursor() as cur:
        cur.execute("SELECT min(token::text) || ':' || string_agg(table_name || '=' || version,"
                    " ',' ORDER BY table_name) FROM data_version"
                    " WHERE %(t)s::text[] IS NULL OR table_name = ANY(%(t)s::text[])",
                    {"t": list(tables) if tables is not None else None})
        row = cur.fetchone()
    if row is None or row[0] is None:  # pragma: no cover - migration 0007 inserts the rows
        raise RuntimeError("data_version rows missing")
    return str(row[0])


def _get(key: str) -> Payload | None:
    with _lock:
        hit = _entries.get(key)
        if hit is not None:
            _entries.move_to_end(key)
        return hit


def _put(key: str, payload: Payload) -> None:
    global _size
    with _lock:
        if key in _entries:
            return
        _entries[key] = payload
        _size += len(payload.text)
        while _entries and (len(_entries) > MAX_ENTRIES or _size > MAX_BYTES):
            _, old = _entries.popitem(last=False)
            _size -= len(old.text)


def cached_payload(conn: Connection, kind: str, params: tuple[object, ...],
                   build: Callable[[], str], tables: tuple[str, ...] | None = None) -> Payload:
    """The payload of KIND for PARAMS at the data versions CONN sees: cached, else built.

    BUILD must read the database only through CONN (after the versions were read here), and
    only the TABLES named (None: any data table)."""
    version = data_version(conn, tables)
    key = hashlib.sha256(repr((kind, params, version)).encode()).hexdigest()[:32]
    hit = _get(key)
    if hit is not None:
        return hit
    with _lock:
        gate = _building.setdefault(key, threading.Lock())
    try:
        with gate:
            hit = _get(key)
            if hit is None:
                hit = Payload(build(), key)
                _put(key, hit)
    finally:
        with _lock:
            _building.pop(key, None)
    return hit


def clear() -> None:
    """Forget every cached payload (as after a restart)."""
    global _size
    with _lock:
        _entries.clear()
        _size = 0
