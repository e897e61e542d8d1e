"""Helpers of the account and review tests: clients with auth settings, logins, form tokens."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from api.web.app import create_app
from geo.core.db import SingleConnectionDatabase
from geo.core.settings import AuthSettings, MapSettings

from .conftest import TEST_PASSWORD


def auth_client(conn: Any, public_maps: bool = False, base_url: str = "https://testserver",
                **settings: Any) -> TestClient:
    """A client of an app with the given auth settings (https: Secure cookies are sent)."""
    app = create_app(database=SingleConnectionDatabase(conn),
                     map_settings=MapSettings(tiles="none"),
                     auth_settings=AuthSettings(public_maps=public_maps, **settings))
    return TestClient(app, base_url=base_url)


def form_token(html: str) -> str:
    """The csrf_token of the first form in a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


def login(client: TestClient, username: str, password: str = TEST_PASSWORD) -> Any:
    """Log in through the login form; returns the POST response (not followed)."""
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": form_token(page.text)},
                       follow_redirects=False)
