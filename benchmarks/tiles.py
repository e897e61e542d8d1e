"""Vector tiles against the GeoJSON path, measured in the same run.

A throw-away database on the same PostGIS server gets the gazetteer, approximate boundaries
and `load_demo(scale=SCALE)` (default 20, about 30,000 establishments; `python -m benchmarks
tiles --scale 700` for about 1,050,000), dropped at the end. KCMAP_BENCH_TILES_DSN names an
already loaded database to use instead (kept). KCMAP_BENCH_TILES_GEOJSON=0 leaves out the
GeoJSON path (at scale 700 it ships a million points and takes minutes).

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
import time
from typing import Any

from benchmarks.chromium import interactive
from benchmarks.maps import _drop_database, _make_database

SCALE = int(os.environ.get("KCMAP_BENCH_TILES_SCALE", "20"))
ZOOMS = (8, 11, 14)
SAMPLE = 40  # tiles per zoom (those holding data), chosen at random with a fixed seed
RUNS = 3
MAX_WARM_P95_S, MAX_COLD_P95_S = 0.1, 0.5
MAX_PAGE_BYTES, MAX_INTERACTIVE_S, MAX_RSS_MB = 1024 * 1024, 2.0, 1024
WAIT_MS = 180_000
GEOJSON = os.environ.get("KCMAP_BENCH_TILES_GEOJSON", "1") != "0"


def _data_change(dsn: str) -> None:
    """Commit a write to one establishment (a new data version, as after any edit or import):
    every page and tile cached under the old version is stale from here on."""
    import psycopg2

    conn = psycopg2.connect(dsn)
    try:
        with conn, conn.cursor() as cur:
            cur.execute("UPDATE establishment SET workers = workers "
                        "WHERE id = (SELECT min(id) FROM establishment)")
    finally:
        conn.close()


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
    """Cold (tile cache emptied, so the SQL runs) and warm latency of SAMPLE tiles per zoom."""
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
            tiles.clear()
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


def _page_in_chromium(app: Any, dsn: str) -> dict[str, Any] | None:
    """Time to interactive of the establishments page with everything it loads: the first
    view after a data change, then the median of RUNS views; the most bytes on the wire."""
    return interactive(app, "/maps/establishments", RUNS, WAIT_MS,
                       first=lambda: _data_change(dsn))


def _page(client: Any, dsn: str) -> tuple[int, float]:
    """Bytes and server seconds of the establishments page right after a data change."""
    _data_change(dsn)
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

        with TestClient(tiled) as client:
            _data_change(dsn)
            x, y = _tile_of(108.8, 15.0, 8)  # the province's tile at zoom 8
            t0 = time.perf_counter()
            client.get(f"/tiles/establishments/8/{x}/{y}.mvt")
            result["first_tile_s"] = time.perf_counter() - t0
            result["tiles"] = _tile_latency(client, dsn)
            result["tile_page_bytes"], result["tile_page_s"] = _page(client, dsn)
        result["tile_chromium"] = _page_in_chromium(tiled, dsn)
        # before the GeoJSON path, which holds every point in memory
        result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if GEOJSON:
            with TestClient(plain) as client:
                result["geojson_page_bytes"], result["geojson_page_s"] = _page(client, dsn)
                t0 = time.perf_counter()
                r = client.get("/api/establishments.geojson",
                               headers={"Accept-Encoding": "gzip"})
                result["geojson_s"] = time.perf_counter() - t0
                result["geojson_bytes"] = len(r.content)  # decompressed by the client
            result["geojson_chromium"] = _page_in_chromium(plain, dsn)
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
    print(f"  first zoom-8 tile after a data change: {r['first_tile_s'] * 1000:.0f} ms")
    for z, t in r["tiles"].items():
        print(f"  z{z:<2} {int(t['tiles']):3d} tiles: cold p50 {t['cold_p50_ms']:7.1f} ms "
              f"p95 {t['cold_p95_ms']:7.1f} ms {_ok(t['cold_p95_ms'] <= MAX_COLD_P95_S * 1000)}"
              f"; warm p50 {t['warm_p50_ms']:5.1f} ms p95 {t['warm_p95_ms']:5.1f} ms "
              f"{_ok(t['warm_p95_ms'] <= MAX_WARM_P95_S * 1000)}; "
              f"{int(t['bytes_p50']):,} bytes median, {int(t['bytes_max']):,} max")
    print(f"  /maps/establishments from tiles: {r['tile_page_bytes']:,} bytes, built in "
          f"{r['tile_page_s'] * 1000:.0f} ms (after a data change)")
    if "geojson_s" not in r:
        print("  GeoJSON path not measured (KCMAP_BENCH_TILES_GEOJSON=0)")
    else:
        print(f"  /maps/establishments from GeoJSON: {r['geojson_page_bytes']:,} bytes, built "
              f"in {r['geojson_page_s'] * 1000:.0f} ms; /api/establishments.geojson "
              f"{r['geojson_bytes']:,} bytes (uncompressed) in {r['geojson_s'] * 1000:.0f} ms "
              f"(after a data change)")
    for label, key in (("tiles", "tile_chromium"), ("GeoJSON", "geojson_chromium")):
        if key not in r:
            continue
        c = r[key]
        if c is None:
            print(f"  Chromium ({label}): no Chromium found, not measured")
        elif "error" in c:
            print(f"  Chromium ({label}): not interactive within {WAIT_MS / 1000:.0f} s "
                  f"({c['error']})")
        else:
            good = max(c["first_s"], c["later_s"]) <= MAX_INTERACTIVE_S and \
                c["wire_bytes"] <= MAX_PAGE_BYTES
            print(f"  Chromium ({label}): interactive on the first view after a data change "
                  f"{c['first_s']:.2f} s, later views {c['later_s']:.2f} s; "
                  f"{c['wire_bytes']:,} bytes on the wire  {_ok(good)}")
    print(f"  largest resident memory of this process (server in-process) on the tile path: "
          f"{r['max_rss_mb']:.0f} MB  {_ok(r['max_rss_mb'] <= MAX_RSS_MB)}; at the end of the "
          f"run: {r['max_rss_all_mb']:.0f} MB")
    try:
        load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
        print(f"  load average during the run: {load} on {os.cpu_count()} CPUs (shared)")
    except OSError:
        pass
