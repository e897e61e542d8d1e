"""Database errors are classified: each its own Vietnamese message and HTTP status; pages get
an HTML error page, the API JSON; the pool keeps working connections after such errors."""

from __future__ import annotations

import psycopg2
import psycopg2.errors as pgerr
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.web import errors as web_errors
from geo.core.db import Database
from geo.core.db_errors import classify
from geo.core.errors import (
    DatabaseBusy,
    DatabaseDiskFull,
    DatabasePermission,
    DatabaseReadOnly,
    DatabaseRetry,
    DatabaseUnavailable,
    KcmapError,
)


@pytest.fixture()
def pool(test_dsn: str):  # type: ignore[no-untyped-def]
    database = Database(test_dsn, pool_size=2)
    yield database
    database.close()


def _raises(pool: Database, *sql: str) -> KcmapError:
    with pytest.raises(KcmapError) as caught:
        with pool.transaction() as conn, conn.cursor() as cur:
            for statement in sql:
                cur.execute(statement)
    return caught.value


def test_real_server_errors_are_classified(pool: Database) -> None:
    write = "UPDATE schema_migration SET name = name WHERE false"
    ro = _raises(pool, "SET TRANSACTION READ ONLY", write)
    assert type(ro) is DatabaseReadOnly and "chỉ đọc" in str(ro)
    busy = _raises(pool, "SET LOCAL statement_timeout = '50ms'", "SELECT pg_sleep(3)")
    assert type(busy) is DatabaseBusy and "quá thời gian" in str(busy)
    denied = _raises(pool, "SET LOCAL ROLE pg_read_all_stats", write)
    assert type(denied) is DatabasePermission and "quyền" in str(denied)
    # The connections were rolled back and kept: the pool still answers.
    assert pool.ping() and len(pool._idle) >= 1


def test_kcmap_own_errors_stay_unclassified(pool: Database) -> None:
    with pytest.raises(psycopg2.errors.UndefinedTable):
        with pool.transaction() as conn, conn.cursor() as cur:
            cur.execute("SELECT * FROM no_such_table_here")
    assert pool.ping()


@pytest.mark.parametrize(("error", "kind", "words"), [
    (pgerr.DiskFull("could not extend file"), DatabaseDiskFull, "Ổ đĩa"),
    (pgerr.SerializationFailure("could not serialize"), DatabaseRetry, "thử lại"),
    (pgerr.DeadlockDetected("deadlock detected"), DatabaseRetry, "thử lại"),
    (pgerr.AdminShutdown("terminating connection"), DatabaseUnavailable, "Mất kết nối"),
    (psycopg2.OperationalError("server closed the connection unexpectedly"),
     DatabaseUnavailable, "Mất kết nối"),
])
def test_error_classes(error: psycopg2.Error, kind: type[KcmapError], words: str) -> None:
    found = classify(error)
    assert type(found) is kind and words in str(found)


@pytest.mark.parametrize(("error", "status"), [
    (DatabaseDiskFull("đầy"), 503), (DatabaseReadOnly("chỉ đọc"), 503),
    (DatabaseBusy("bận"), 503), (DatabaseUnavailable("mất"), 503),
    (DatabasePermission("quyền"), 500), (DatabaseRetry("thử lại"), 409),
])
def test_status_and_form_per_path(error: KcmapError, status: int) -> None:
    app = FastAPI()
    web_errors.install(app)

    @app.get("/maps/x")
    @app.get("/api/x")
    @app.get("/ogc/x")
    def _fail() -> None:
        raise error

    client = TestClient(app)
    page = client.get("/maps/x")
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    assert str(error) in page.text and 'lang="vi"' in page.text
    for path in ("/api/x", "/ogc/x"):
        r = client.get(path)
        assert r.status_code == status and r.json() == {
            "error": type(error).__name__, "detail": str(error)}


def test_error_page_escapes_its_message() -> None:
    from maps.pages.error_page import error_page

    html = error_page(422, "<script>alert(1)</script>")
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_errors_raised_in_a_middleware_are_mapped_too() -> None:
    app = FastAPI()
    web_errors.install(app)

    @app.middleware("http")
    async def _busy(request, call_next):  # type: ignore[no-untyped-def]
        raise DatabaseRetry("thử lại")

    client = TestClient(app, raise_server_exceptions=False)
    r = client.get("/review")
    assert r.status_code == 409 and r.headers["content-type"].startswith("text/html")
    assert client.get("/api/x").json()["error"] == "DatabaseRetry"
