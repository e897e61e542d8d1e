"""Bulk writes of an import: rows streamed to PostgreSQL with COPY as they are generated
(bounded memory), instead of one INSERT statement text per page of rows.

Values are written in COPY's text format: None is NULL, booleans t/f, numbers as text, lists of
text as arrays; JSON columns get their text from the caller (json.dumps). Tables and columns
are identifiers (psycopg2.sql), never user text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from psycopg2 import sql

READ_SIZE = 1 << 18  # bytes handed to the server at a time


def _array(items: Sequence[Any]) -> str:
    quoted = ('"' + str(i).replace("\\", "\\\\").replace('"', '\\"') + '"' for i in items)
    return "{" + ",".join(quoted) + "}"


def _escaped(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace(
            "\n", "\\n").replace("\r", "\\r")
    return text


def copy_text(value: Any) -> str:
    """One value in COPY text format."""
    if isinstance(value, str):
        return _escaped(value)
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return _escaped(_array(value))
    return _escaped(str(value))


class _Lines:
    """A file-like reader over rows turned into COPY lines as psycopg2 asks for them."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self.rows = iter(rows)
        self.pending = b""
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        parts = [self.pending]
        length = len(self.pending)
        while size < 0 or length < size:
            row = next(self.rows, None)
            if row is None:
                break
            line = ("\t".join(copy_text(v) for v in row) + "\n").encode()
            parts.append(line)
            length += len(line)
            self.count += 1
        data = b"".join(parts)
        if size < 0 or len(data) <= size:
            self.pending = b""
            return data
        self.pending = data[size:]
        return data[:size]

    readline = read


def copy_rows(cur: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
              ) -> int:
    """COPY the rows into table(columns), streamed (rows are generated as they are sent);
    returns how many were written."""
    query = sql.SQL("COPY {t} ({cols}) FROM STDIN").format(
        t=sql.Identifier(table), cols=sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    source = _Lines(rows)
    cur.copy_expert(query.as_string(cur), source, size=READ_SIZE)
    return source.count


def point_ewkt(lon: float | None, lat: float | None) -> str | None:
    """A WGS 84 point as EWKT for a geometry column (None without coordinates)."""
    if lon is None or lat is None:
        return None
    return f"SRID=4326;POINT({float(lon)!r} {float(lat)!r})"


def next_ids(cur: Any, sequence_of: str, count: int) -> list[int]:
    """`count` new ids from the id sequence of a table."""
    if count == 0:
        return []
    cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                (sequence_of, count))
    return [int(r[0]) for r in cur.fetchall()]


def staging(cur: Any, name: str, like: str, columns: Sequence[str]) -> None:
    """A temporary table (dropped at commit) with some columns of another table."""
    cur.execute(sql.SQL("CREATE TEMP TABLE {n} ON COMMIT DROP AS SELECT {cols} FROM {t} "
                        "WITH NO DATA").format(
        n=sql.Identifier(name), t=sql.Identifier(like),
        cols=sql.SQL(", ").join(sql.Identifier(c) for c in columns)))
