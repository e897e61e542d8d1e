"""Shared fixtures: PostGIS test databases from templates, per-test rollback, app, browser."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import psycopg2
import pytest

from geo.core.cluster import ensure_cluster
from geo.core.db import SingleConnectionDatabase
from geo.core.settings import HomeSettings

from .databases import TestDatabases

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
TEST_DB = f"kcmap_test_{os.getpid()}"  # one per pytest process: sessions never collide
CHROMIUM = os.environ.get("KCMAP_CHROMIUM", "/usr/bin/chromium")
TEST_PASSWORD = "kiem-thu-mat-khau-51"  # only for users made by the make_user fixture


@pytest.fixture(scope="session")
def server_dsn() -> str:
    """DSN of the server the tests use: DATABASE_URL's, else the project-local cluster."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return ensure_cluster(HomeSettings())


@pytest.fixture(scope="session")
def databases(server_dsn: str) -> Iterator[TestDatabases]:
    """This session's databases (tests/databases.py), all dropped at the end."""
    made = TestDatabases(server_dsn, TEST_DB)
    yield made
    made.drop_all()


@pytest.fixture(scope="session")
def test_dsn(databases: TestDatabases) -> str:
    """This session's plain database: migrated, gazetteer loaded, no boundaries, no records."""
    return databases.dsn("plain")


@pytest.fixture()
def conn(request: pytest.FixtureRequest,
         databases: TestDatabases) -> Iterator[psycopg2.extensions.connection]:
    """A connection in a transaction that is rolled back after the test.

    It reaches the `world` database when the test (or a fixture it uses) asks for `world`,
    the `boundaries` one when it asks for `boundaries`, else the plain one.
    """
    kind = next((k for k in ("world", "boundaries") if k in request.fixturenames), "plain")
    c = psycopg2.connect(databases.dsn(kind))
    try:
        yield c
    finally:
        c.rollback()
        c.close()


@pytest.fixture()
def boundaries(conn: psycopg2.extensions.connection) -> psycopg2.extensions.connection:
    """The test's connection, to a database with approximate legacy polygons."""
    return conn


@pytest.fixture()
def world(conn: psycopg2.extensions.connection) -> psycopg2.extensions.connection:
    """The test's connection, to a database with both editions' polygons and the demo records."""
    return conn


@pytest.fixture()
def database(conn: psycopg2.extensions.connection) -> SingleConnectionDatabase:
    """A Database whose every transaction lives inside the test's rolled-back transaction."""
    return SingleConnectionDatabase(conn)


@pytest.fixture()
def app(database: SingleConnectionDatabase):  # type: ignore[no-untyped-def]
    """The FastAPI app bound to the test database, with no basemap and public maps."""
    from api.web.app import create_app
    from geo.core.settings import AuthSettings, MapSettings

    return create_app(database=database, map_settings=MapSettings(tiles="none"),
                      auth_settings=AuthSettings(public_maps=True))


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    """An HTTP client for the app."""
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture()
def make_user(conn: psycopg2.extensions.connection):  # type: ignore[no-untyped-def]
    """make_user(role, district=None, username=None) -> Actor, password TEST_PASSWORD."""
    from geo.accounts import users as accounts
    from geo.accounts.authz import Actor

    made: list[str] = []

    def make(role: str, district: str | None = None, username: str | None = None) -> Actor:
        name = username or f"{role.replace('_', '-')}-{district or 'all'}-{len(made) + 1}"
        made.append(name)
        return accounts.add_user(conn, name, TEST_PASSWORD, role, district)

    return make


@pytest.fixture()
def bearer(conn: psycopg2.extensions.connection, make_user):  # type: ignore[no-untyped-def]
    """bearer(role, district=None) -> headers with a fresh API token of a new user."""
    from geo.accounts import users as accounts

    def headers(role: str, district: str | None = None) -> dict[str, str]:
        actor = make_user(role, district)
        return {"Authorization": f"Bearer {accounts.issue_token(conn, actor.username)}"}

    return headers


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def live_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app served by uvicorn in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


class OfflinePage:
    """A page whose non-local requests are blocked and recorded, with console errors."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.blocked: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture()
def offline_page(chromium) -> Iterator[OfflinePage]:  # type: ignore[no-untyped-def]
    """A fresh browser page that may only talk to 127.0.0.1."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    holder = OfflinePage(page)

    def route(r):  # type: ignore[no-untyped-def]
        host = urlparse(r.request.url).hostname or ""
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            holder.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: holder.console_errors.append(m.text) if m.type == "error"
            else None)
    page.on("pageerror", lambda e: holder.console_errors.append(str(e)))

    def on_dialog(d):  # type: ignore[no-untyped-def]
        holder.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    yield holder
    context.close()
