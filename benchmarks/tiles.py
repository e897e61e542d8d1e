"""Vector tiles against the GeoJSON path, measured in the same run.

A throw-away database on the same PostGIS server gets the gazetteer, approximate boundaries
and `load_demo(scale=SCALE)` (default 20, about 30,000 establishments; `python -m benchmarks
tiles --scale 700` for about 1,050,000), dropped at the end. KCMAP_BENCH_TILES_DSN names an
already loaded database to use instead (kept).

Measured: establishment tile latency at zoom 8, 11 and 14 over the province (cold: the tile
cache emptied before each request, so the SQL runs; warm: the same tile again), p50/p95 and
bytes; the establishments page (HTML size, data on the wire, time to interactive in Chromium)
drawn from tiles and, with the tile threshold raised, from the GeoJSON document; the largest
resident memory of this process (app server in-process, Chromium apart).
Targets at ~1,000,000 establishments: warm p95 ≤ 100 ms, cold p95 ≤ 500 ms, page < 1 MB and
interactive ≤ 2 s, server memory < 1 GB.
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import statistics
import time
from typing import Any

from benchmarks.maps import CHROMIUM, _drop_database, _with_db

SCALE = int(os.environ.get("KCMAP_BENCH_TILES_SCALE", "20"))
ZOOMS = (8, 11, 14)
SAMPLE = 40  # tiles per zoom (those holding data), chosen at random with a fixed seed
RUNS = 3
MAX_WARM_P95_S, MAX_COLD_P95_S = 0.1, 0.5
MAX_PAGE_BYTES, MAX_INTERACTIVE_S, MAX_RSS_MB = 1024 * 1024, 2.0, 1024
WAIT_MS = 180_000


def _make_database(name: str, scale: int) -> str:
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


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 1 << z
    return (int((lon + 180) / 360 * n),
            int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n))


def _province_tiles(dsn: str, z: int) -> list[tuple[int, int]]:
    import psycopg2

    conn = psycopg2.connect(dsn)
    with conn.cursor() as cur:
        cur.execute("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT "
                    "ST_Extent(geom)::geometry e FROM boundary WHERE edition = 'legacy') b")
        w, s, e, n = cur.fetchone()
    conn.close()
    x0, y0 = _tile_of(w, n, z)
    x1, y1 = _tile_of(e, s, z)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def _tile_latency(client: Any, dsn: str) -> dict[int, dict[str, float]]:
    """Cold (tile cache emptied; the cluster grid of the data version kept, see
    geo.publish.tile_grid) and warm latency of SAMPLE tiles per zoom."""
    from geo.publish import tiles

    rng = random.Random(14)
    out: dict[int, dict[str, float]] = {}
    for z in ZOOMS:
        candidates = _province_tiles(dsn, z)
        rng.shuffle(candidates)
        cold: list[float] = []
        warm: list[float] = []
        sizes: list[int] = []
        empty = 0
        for x, y in candidates:
            if len(cold) >= SAMPLE:
                break
            url = f"/tiles/establishments/{z}/{x}/{y}.mvt"
            tiles.clear(grids=False)
            t0 = time.perf_counter()
            r = client.get(url)
            took = time.perf_counter() - t0
            if r.status_code == 204:
                empty += 1
                continue
            cold.append(took)
            sizes.append(len(r.content))
            for _ in range(RUNS):
                t0 = time.perf_counter()
                client.get(url)
                warm.append(time.perf_counter() - t0)
        if cold:
            out[z] = {"tiles": len(cold), "empty_skipped": empty,
                      "cold_p50_ms": _pct(cold, 0.5) * 1000, "cold_p95_ms": _pct(cold, 0.95) * 1000,
                      "warm_p50_ms": _pct(warm, 0.5) * 1000, "warm_p95_ms": _pct(warm, 0.95) * 1000,
                      "bytes_p50": _pct([float(s) for s in sizes], 0.5),
                      "bytes_max": float(max(sizes))}
    return out


def _page_in_chromium(app: Any) -> dict[str, Any] | None:
    """Time to interactive (first view after the caches were emptied, then the median of
    RUNS views) and bytes on the wire of the establishments page with everything it loads."""
    if not os.path.exists(CHROMIUM):
        return None
    import socket
    import threading

    import uvicorn
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from geo.core.payload_cache import clear
    from geo.publish import tiles

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    clear()
    tiles.clear()
    times: list[float] = []
    wire = 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox", "--disable-gpu"])
            for _ in range(RUNS + 1):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                try:
                    page.goto(f"http://127.0.0.1:{port}/maps/establishments",
                              timeout=WAIT_MS)
                    page.wait_for_function("() => window.kcmapReady", timeout=WAIT_MS)
                except PlaywrightError as exc:
                    page.close()
                    browser.close()
                    return {"error": str(exc).splitlines()[0]}
                times.append(page.evaluate("performance.now()") / 1000)
                wire = max(wire, int(page.evaluate(
                    "performance.getEntries().reduce((s, e) => s + (e.transferSize || 0), 0)")))
                page.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return {"first_s": times[0], "later_s": statistics.median(times[1:]), "wire_bytes": wire}


def _page(client: Any) -> tuple[int, float]:
    from geo.core.payload_cache import clear

    clear()
    t0 = time.perf_counter()
    r = client.get("/maps/establishments")
    assert r.status_code == 200
    return len(r.content), time.perf_counter() - t0


def run() -> dict[str, Any]:
    """Measure tiles and both page paths; print figures against the targets."""
    from fastapi.testclient import TestClient

    from api.web.app import create_app
    from geo.core.db import Database
    from geo.core.settings import AuthSettings, MapSettings

    given = os.environ.get("KCMAP_BENCH_TILES_DSN")
    name = f"kcmap_bench_tiles_{os.getpid()}"
    t0 = time.perf_counter()
    dsn = given or _make_database(name, SCALE)
    where = f"database {dsn.rsplit('/', 1)[-1]} (given)" if given else \
        f"throw-away database {name}: demo scale {SCALE}"
    print(f"{where} ready in {time.perf_counter() - t0:.1f} s")
    database = Database(dsn)
    result: dict[str, Any] = {}
    try:
        auth = AuthSettings(public_maps=True)
        tiled = create_app(database=database, map_settings=MapSettings(tiles="none"),
                           auth_settings=auth)
        plain = create_app(database=database,
                           map_settings=MapSettings(tiles="none", tile_threshold=10**9),
                           auth_settings=auth)
        from geo.publish import tiles

        with TestClient(tiled) as client:
            tiles.clear()
            t0 = time.perf_counter()  # first tile after a data change: builds the grid
            client.get("/tiles/establishments/8/205/117.mvt")
            result["grid_build_s"] = time.perf_counter() - t0
            result["tiles"] = _tile_latency(client, dsn)
            result["tile_page_bytes"], result["tile_page_s"] = _page(client)
        result["tile_chromium"] = _page_in_chromium(tiled)
        # before the GeoJSON path, which holds every point in memory
        result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with TestClient(plain) as client:
            result["geojson_page_bytes"], result["geojson_page_s"] = _page(client)
            t0 = time.perf_counter()
            r = client.get("/api/establishments.geojson", headers={"Accept-Encoding": "gzip"})
            result["geojson_s"] = time.perf_counter() - t0
            result["geojson_bytes"] = len(r.content)  # decompressed by the client
        result["geojson_chromium"] = _page_in_chromium(plain)
    finally:
        database.close()
        if not given:
            _drop_database(dsn, name)
    result["max_rss_all_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _report(result)
    print(json.dumps({"tiles": result}, default=str))
    return result


def _ok(good: bool) -> str:
    return "ok" if good else "OVER TARGET"


def _report(r: dict[str, Any]) -> None:
    print("establishment tiles (in-process HTTP; cold = tile built by SQL, warm = kept tile)")
    print(f"  first tile after a data change (builds the cluster grid of all points): "
          f"{r['grid_build_s'] * 1000:.0f} ms")
    for z, t in r["tiles"].items():
        print(f"  z{z:<2} {int(t['tiles']):3d} tiles: cold p50 {t['cold_p50_ms']:7.1f} ms "
              f"p95 {t['cold_p95_ms']:7.1f} ms {_ok(t['cold_p95_ms'] <= MAX_COLD_P95_S * 1000)}"
              f"; warm p50 {t['warm_p50_ms']:5.1f} ms p95 {t['warm_p95_ms']:5.1f} ms "
              f"{_ok(t['warm_p95_ms'] <= MAX_WARM_P95_S * 1000)}; "
              f"{int(t['bytes_p50']):,} bytes median, {int(t['bytes_max']):,} max")
    print(f"  /maps/establishments from tiles: {r['tile_page_bytes']:,} bytes, built in "
          f"{r['tile_page_s'] * 1000:.0f} ms (cold)")
    print(f"  /maps/establishments from GeoJSON: {r['geojson_page_bytes']:,} bytes, built in "
          f"{r['geojson_page_s'] * 1000:.0f} ms; /api/establishments.geojson "
          f"{r['geojson_bytes']:,} bytes (uncompressed) in {r['geojson_s'] * 1000:.0f} ms (cold)")
    for label, key in (("tiles", "tile_chromium"), ("GeoJSON", "geojson_chromium")):
        c = r[key]
        if c is None:
            print(f"  Chromium ({label}): no Chromium found, not measured")
        elif "error" in c:
            print(f"  Chromium ({label}): not interactive within {WAIT_MS / 1000:.0f} s "
                  f"({c['error']})")
        else:
            good = max(c["first_s"], c["later_s"]) <= MAX_INTERACTIVE_S and \
                c["wire_bytes"] <= MAX_PAGE_BYTES
            print(f"  Chromium ({label}): interactive first view (caches empty, as after a data "
                  f"change) {c['first_s']:.2f} s, later {c['later_s']:.2f} s; "
                  f"{c['wire_bytes']:,} bytes on the wire  {_ok(good)}")
    print(f"  largest resident memory of this process (server in-process) on the tile path: "
          f"{r['max_rss_mb']:.0f} MB  {_ok(r['max_rss_mb'] <= MAX_RSS_MB)}; after the GeoJSON "
          f"path too: {r['max_rss_all_mb']:.0f} MB")
    try:
        load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
        print(f"  load average during the run: {load} on {os.cpu_count()} CPUs (shared)")
    except OSError:
        pass
