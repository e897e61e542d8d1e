"""The five map pages at demo scale 20 against a naive Folium page, measured in the same run.

A throw-away database on the same PostGIS server gets the gazetteer, approximate boundaries
and `load_demo(scale=20)` (~30,000 establishments, ~6,000 projects); it is dropped at the end.
Baseline: one folium.Marker (with a popup) per establishment in a MarkerCluster, 10,000
points, Folium defaults. Targets: each page ≤ 1 s server time and ≤ 2 MB of HTML; the
establishments page interactive in Chromium (all points clustered) ≤ 3 s.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from typing import Any
from urllib.parse import urlparse, urlunparse

from benchmarks.chromium import interactive

SCALE = 20
NAIVE_POINTS = 10_000
RUNS = 3
PAGES = ("/maps/coverage?level=commune", "/maps/coverage?level=district",
         "/maps/gaps", "/maps/establishments", "/maps/projects", "/maps/villages")
DATA = ("/api/establishments.geojson", "/api/projects", "/api/coverage?level=commune")
MAX_PAGE_S, MAX_PAGE_BYTES, MAX_INTERACTIVE_S = 1.0, 2 * 1024 * 1024, 3.0


def _with_db(dsn: str, name: str) -> str:
    return urlunparse(urlparse(dsn)._replace(path="/" + name))


def _make_database(name: str, scale: int = SCALE) -> str:
    """Create and fill the throw-away database (demo SCALE); return its DSN."""
    import psycopg2

    from geo.boundaries.approx import build_approximate
    from geo.core.cluster import create_database, ensure_cluster
    from geo.core.migrate import migrate
    from geo.core.settings import DatabaseSettings, HomeSettings
    from geo.gazetteer import loader as gazetteer
    from geo.intake.demo_store import load_demo

    server = DatabaseSettings().url or ensure_cluster(HomeSettings())
    create_database(_with_db(server, "postgres"), name, drop_first=True)
    dsn = _with_db(server, name)
    conn = psycopg2.connect(dsn)
    try:
        migrate(conn)
        gazetteer.load(conn)
        build_approximate(conn)
        load_demo(conn, scale=scale)
        conn.commit()
    finally:
        conn.close()
    return dsn


def _drop_database(dsn: str, name: str) -> None:
    import psycopg2

    admin = psycopg2.connect(_with_db(dsn, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _cold(client: Any, path: str) -> float:
    """Seconds of a GET right after the payload cache was emptied (as after a data change)."""
    from geo.core.payload_cache import clear

    clear()
    t0 = time.perf_counter()
    assert client.get(path).status_code == 200
    return time.perf_counter() - t0


def _timed(client: Any, path: str) -> tuple[int, int, float]:
    """(raw bytes, gzip bytes on the wire, mean server seconds) of a GET, after a warm-up."""
    client.get(path)
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        r = client.get(path)
        times.append(time.perf_counter() - t0)
        assert r.status_code == 200, (path, r.status_code)
    wire = r.headers.get("content-length")
    return len(r.content), int(wire) if wire else len(r.content), statistics.mean(times)


def _naive_page(dsn: str) -> tuple[int, float]:
    """Bytes and seconds of the naive Folium page of NAIVE_POINTS establishments."""
    import folium
    import psycopg2
    from folium.plugins import MarkerCluster

    t0 = time.perf_counter()
    conn = psycopg2.connect(dsn)
    with conn.cursor() as cur:
        cur.execute("SELECT e.name, ST_Y(l.geom), ST_X(l.geom) FROM establishment e "
                    "JOIN location l ON l.establishment_id = e.id "
                    "WHERE l.precision IN ('exact', 'commune') ORDER BY e.id LIMIT %s",
                    (NAIVE_POINTS,))
        rows = cur.fetchall()
    conn.close()
    m = folium.Map(location=[15.0, 108.75], zoom_start=9)
    cluster = MarkerCluster().add_to(m)
    for name, lat, lon in rows:
        folium.Marker([lat, lon], popup=name).add_to(cluster)
    html = m.get_root().render()
    return len(html.encode()), time.perf_counter() - t0


def _interactive(app: Any) -> tuple[float, float] | None:
    """Seconds from navigation to all establishments clustered, in Chromium: the first view
    after the payload cache was emptied, and the median of RUNS later views."""
    from geo.core.payload_cache import clear

    timed = interactive(app, "/maps/establishments", RUNS, 60_000, first=clear)
    if timed is None:
        return None
    if "error" in timed:
        raise RuntimeError(timed["error"])
    return timed["first_s"], timed["later_s"]


def run() -> dict[str, Any]:
    """Measure every page and the naive baseline; print figures, ratios and targets."""
    from fastapi.testclient import TestClient

    from api.web.app import create_app
    from geo.core.db import Database
    from geo.core.settings import AuthSettings, MapSettings

    name = f"kcmap_bench_maps_{os.getpid()}"
    t0 = time.perf_counter()
    dsn = _make_database(name)
    print(f"throw-away database {name}: demo scale {SCALE} loaded in "
          f"{time.perf_counter() - t0:.1f} s")
    database = Database(dsn)
    try:
        app = create_app(database=database, map_settings=MapSettings(tiles="none"),
                         auth_settings=AuthSettings(public_maps=True))
        client = TestClient(app)
        pages = {p: _timed(client, p) for p in PAGES}
        cold = {p: _cold(client, p) for p in DATA}
        data = {p: _timed(client, p) for p in DATA}
        naive_bytes, naive_s = _naive_page(dsn)
        interactive = _interactive(app)
        client.close()
    finally:
        database.close()
        _drop_database(dsn, name)

    print(f"map pages at scale {SCALE}, mean of {RUNS} runs (server time incl. rendering)")
    for path, (raw, _, secs) in pages.items():
        ok = "ok" if raw <= MAX_PAGE_BYTES and secs <= MAX_PAGE_S else "OVER TARGET"
        print(f"  {path:34s} {raw:>11,} bytes {secs * 1000:8.1f} ms  {ok}")
    print("data loaded by the pages' scripts (gzip on the wire; first request after a data "
          "change, then cached)")
    for path, (raw, wire, secs) in data.items():
        print(f"  {path:34s} {raw:>11,} bytes ({wire:,} gzip) {cold[path] * 1000:8.1f} ms, "
              f"then {secs * 1000:.1f} ms")
    est_raw, est_wire, est_s = data["/api/establishments.geojson"]
    page_raw, _, page_s = pages["/maps/establishments"]
    print(f"naive folium baseline ({NAIVE_POINTS:,} folium.Marker in a MarkerCluster)")
    print(f"  {'naive page':34s} {naive_bytes:>11,} bytes {naive_s * 1000:8.1f} ms")
    print(f"  ratio kcmap/naive, establishments page: {page_raw / naive_bytes:.4f} size, "
          f"{page_s / naive_s:.4f} time")
    est_cold = cold["/api/establishments.geojson"]
    print(f"  ratio incl. its GeoJSON (all points, not {NAIVE_POINTS:,}): "
          f"{(page_raw + est_raw) / naive_bytes:.3f} size raw, "
          f"{(page_raw + est_wire) / naive_bytes:.3f} gzip, "
          f"{(page_s + est_cold) / naive_s:.3f} time (uncached data)")
    if interactive is None:
        print("  establishments page in Chromium: no Chromium found, not measured")
    else:
        first, later = interactive
        ok = "ok" if max(first, later) <= MAX_INTERACTIVE_S else "OVER TARGET"
        print(f"  establishments page interactive in Chromium (scale {SCALE}): "
              f"first view {first:.2f} s, later views {later:.2f} s (median of {RUNS})  {ok}")
    try:
        load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
        print(f"  load average during the run: {load} on {os.cpu_count()} CPUs")
    except OSError:
        pass
    result = {"pages": {p: {"bytes": v[0], "ms": round(v[2] * 1000, 1)}
                        for p, v in pages.items()},
              "data": {p: {"bytes": v[0], "gzip_bytes": v[1],
                           "ms_first": round(cold[p] * 1000, 1),
                           "ms_cached": round(v[2] * 1000, 1)} for p, v in data.items()},
              "naive": {"points": NAIVE_POINTS, "bytes": naive_bytes,
                        "ms": round(naive_s * 1000, 1)},
              "interactive_s": None if interactive is None else
              {"first": round(interactive[0], 2), "later": round(interactive[1], 2)}}
    print(json.dumps({"maps": result}))
    return result
