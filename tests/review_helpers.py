"""Helpers of the account and review tests: records in districts, logins, form tokens."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from api.web.app import create_app
from geo.core.db import SingleConnectionDatabase
from geo.core.settings import AuthSettings, MapSettings

from .conftest import TEST_PASSWORD
from .kc_records import communes_of, one  # noqa: F401  (re-exported to tests)

BINH_SON, SON_TINH = "524", "527"
HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% raw %}{# c #}",
    "'; DROP TABLE establishment; --",
    "Robert\u202e gnp.exe \u2028 &amp; &lt;b&gt;",
]


def add_establishment(conn: Any, key: str, district: str, precision: str = "exact",
                      status: str = "ok", commune_index: int = 0,
                      offset: tuple[float, float] = (0.0, 0.0)) -> int:
    """An establishment (owner, phone) at a commune centroid (plus an offset) of a district."""
    commune = communes_of(conn, district)[commune_index]
    eid = int(one(conn, "INSERT INTO establishment (record_key, name, owner_name, phone, trade, "
                        "workers, address_raw) VALUES (%s, %s, 'Nguyễn Văn Chủ', '0905123456', "
                        "'Mây tre đan', 12, 'Thôn 1') RETURNING id",
                  (key, f"Cơ sở {key}")))
    with conn.cursor() as cur:
        cur.execute("""
            INSERT INTO location (establishment_id, geom, precision, commune_code, district_code,
                                  method, geocode_status)
            SELECT %s, ST_Translate(centroid, %s, %s), %s, code, parent_code, 'test', %s
            FROM admin_unit WHERE edition = 'legacy' AND code = %s""",
                    (eid, offset[0], offset[1], precision, status, commune))
    return eid


def point_of(conn: Any, eid: int) -> tuple[float, float]:
    """(lon, lat) of an establishment's location."""
    with conn.cursor() as cur:
        cur.execute("SELECT ST_X(geom), ST_Y(geom) FROM location WHERE establishment_id = %s",
                    (eid,))
        row = cur.fetchone()
    assert row is not None
    return float(row[0]), float(row[1])


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
