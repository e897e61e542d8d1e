"""Index, health, units API, error mapping and recovery after the database goes away."""

from __future__ import annotations

import time
from urllib.parse import urlparse

from fastapi.testclient import TestClient

from api.web.app import create_app
from geo.core.db import Database
from geo.core.settings import AuthSettings, MapSettings
from tests.conftest import free_port
from tests.tcp_proxy import TcpProxy


def test_index_is_vietnamese(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/")
    assert r.status_code == 200
    assert 'lang="vi"' in r.text
    assert "Bản đồ khuyến công tỉnh Quảng Ngãi" in r.text
    assert "/maps/coverage?level=commune" in r.text


def test_healthz_ok(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["database"] is True


def test_units_districts_and_communes(client) -> None:  # type: ignore[no-untyped-def]
    d = client.get("/api/units", params={"level": "district"}).json()
    assert d["type"] == "FeatureCollection"
    assert len(d["features"]) == 13
    props = d["features"][0]["properties"]
    assert set(props) >= {"code", "name", "type", "parent_code", "quality"}
    c = client.get("/api/units", params={"level": "commune", "edition": "legacy"}).json()
    assert len(c["features"]) == 170
    assert {f["properties"]["parent_code"] for f in c["features"]} <= {
        f["properties"]["code"] for f in d["features"]}
    n = client.get("/api/units", params={"level": "commune", "edition": "2025"}).json()
    assert len(n["features"]) == 96


def test_units_bad_parameters_are_422_without_internals(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/units", params={"level": "hamlet"})
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["detail"]] == [["query", "level"]]
    r = client.get("/api/units", params={"level": "district", "edition": "2025"})
    assert r.status_code == 422
    assert "Traceback" not in r.text and "SELECT" not in r.text


def test_app_recovers_when_database_comes_back(test_dsn: str) -> None:
    target = urlparse(test_dsn)
    port = free_port()
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432, port)
    proxy.start()
    dsn = test_dsn.replace(f":{target.port}/", f":{port}/")
    database = Database(dsn, pool_size=2, connect_timeout=2)
    app = create_app(database=database, map_settings=MapSettings(tiles="none"),
                     auth_settings=AuthSettings(public_maps=True))
    try:
        with TestClient(app) as c:
            assert c.get("/healthz").status_code == 200
            assert c.get("/api/units?level=district").status_code == 200
            proxy.stop()
            r = c.get("/healthz")
            assert r.status_code == 503
            assert c.get("/api/units?level=district").status_code == 503
            proxy.start()
            deadline = time.monotonic() + 10
            status = 0
            while time.monotonic() < deadline:
                status = c.get("/healthz").status_code
                if status == 200:
                    break
                time.sleep(0.2)
            assert status == 200
            assert len(c.get("/api/units?level=district").json()["features"]) == 13
    finally:
        proxy.stop()
        database.close()


def test_units_api_serves_imported_file_over_approximate(conn, boundaries, client) -> None:  # type: ignore[no-untyped-def]
    from geo.boundaries.file_import import import_boundaries
    from tests.conftest import SHARED_DATA

    before = client.get("/api/units?level=district").json()["features"]
    assert {f["properties"]["quality"] for f in before} == {"approximate"}
    import_boundaries(conn, SHARED_DATA / "quang_ngai_districts.geojson", "district")
    after = client.get("/api/units?level=district").json()["features"]
    assert {f["properties"]["quality"] for f in after} == {"official"}
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in after)
    assert {f["properties"]["boundary_source"] for f in after} == {"quang_ngai_districts.geojson"}
    communes = client.get("/api/units?level=commune").json()["features"]
    assert {f["properties"]["quality"] for f in communes} == {"approximate"}
