"""Capacity: 50 concurrent clients over the map/API mix, one worker against N, same run.

A dedicated database `kcmap_bench` on the same PostgreSQL server (never `kcmap`) gets the
gazetteer, approximate boundaries and demo data at scale 20 (~30,000 establishments); it is
dropped at the end (KCMAP_BENCH_KEEP=1 keeps it, and a later run with KCMAP_BENCH_REUSE=1
uses it again). The app is served by `kcmap serve --workers W` (the real product path, access
log included) once with one worker (today's set-up) and once with KCMAP_WORKERS (default:
one per core). Each run starts with empty caches, so the first requests compute everything;
then CLIENTS clients (aiohttp, lighter than httpx: the load generator shares the CPUs with
the server) loop over the mix for SECONDS seconds. Bodies are read but not decompressed (the
client asks for gzip as browsers do). Server and client CPU per request are shown too: they
depend less than requests/s and latency on whatever else runs on the machine. Every
KCMAP_BENCH_WRITE_EVERY seconds (default 10; 0 = never) a planner's PATCH changes a project,
bumping the data version, so the caches are rebuilt during the run as they would be in use.
Target: p95 ≤ 1 s and ≥ 60 requests/s with 50 clients, no errors.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.maps import SCALE, _drop_database, _make_database, _with_db

NAME = "kcmap_bench"
CLIENTS = int(os.environ.get("KCMAP_BENCH_CLIENTS", "50"))
SECONDS = float(os.environ.get("KCMAP_BENCH_SECONDS", "30"))
WRITE_EVERY = float(os.environ.get("KCMAP_BENCH_WRITE_EVERY", "10"))
MIX = ("/maps/coverage", "/api/coverage", "/maps/gaps", "/api/gaps",
       "/api/establishments.geojson", "/maps/establishments",
       "/maps/coverage?level=district&indicator=establishments", "/api/coverage?level=district",
       "/maps/coverage?years=2023", "/api/gaps?source=KCDP",
       "/maps/establishments?district=524", "/api/establishments.geojson?district=524")
TARGET_P95_S, TARGET_RPS = 1.0, 60.0


def _database() -> str:
    """The DSN of kcmap_bench, filled afresh unless KCMAP_BENCH_REUSE=1 finds it filled."""
    import psycopg2

    from geo.core.cluster import ensure_cluster
    from geo.core.settings import DatabaseSettings, HomeSettings

    server = DatabaseSettings().url or ensure_cluster(HomeSettings())
    dsn = _with_db(server, NAME)
    if os.environ.get("KCMAP_BENCH_REUSE") == "1":
        try:
            conn = psycopg2.connect(dsn)
            with conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM establishment")
                row = cur.fetchone()
            conn.close()
            if row and row[0] > 1000:
                print(f"reusing database {NAME} ({row[0]:,} establishments)")
                return dsn
        except psycopg2.Error:
            pass
    t0 = time.perf_counter()
    dsn = _make_database(NAME)
    print(f"database {NAME}: demo scale {SCALE} loaded in {time.perf_counter() - t0:.1f} s")
    return dsn


def _planner_token(dsn: str) -> tuple[str, int]:
    """An API token of a benchmark planner and a project id it may edit."""
    import psycopg2

    from geo.accounts import users as accounts

    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT min(id), (SELECT count(*) FROM app_user"
                        " WHERE username = 'bench-planner') FROM project")
            row = cur.fetchone()
        if row and not row[1]:
            accounts.add_user(conn, "bench-planner", "bench-planner-password-51", "planner")
        token = accounts.issue_token(conn, "bench-planner")
        conn.commit()
    finally:
        conn.close()
    return token, int(row[0]) if row and row[0] else 0


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by PID and its living descendants."""
    total, todo = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(dsn: str, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start `kcmap serve --workers W`; return the process and its base URL once all answer."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": dsn, "KCMAP_PUBLIC_MAPS": "1", "KCMAP_TILES": "none"}
    kcmap = Path(sys.executable).parent / "kcmap"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(kcmap), "serve", "--port", str(port), "--workers",
                                 str(workers)], env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while log.read_text(errors="replace").count("Application startup complete") < workers:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(log.read_text(errors="replace"))
        time.sleep(0.2)
    return proc, f"http://127.0.0.1:{port}"


async def _client(http: Any, base: str, start: int, until: float,
                  results: list[tuple[float, int]]) -> None:
    i = start
    while time.perf_counter() < until:
        path = MIX[i % len(MIX)]
        i += 1
        t0 = time.perf_counter()
        try:
            async with http.get(base + path, auto_decompress=False) as r:
                await r.read()
                status = r.status
        except Exception:  # noqa: BLE001 - a refused/timed-out request counts as an error
            status = 0
        results.append((time.perf_counter() - t0, status))


async def _writer(http: Any, base: str, token: str, project_id: int, until: float) -> int:
    """PATCH a project every WRITE_EVERY seconds (bumps the data version); return count."""
    writes = 0
    headers = {"Authorization": f"Bearer {token}"}
    while WRITE_EVERY > 0 and project_id:
        await asyncio.sleep(WRITE_EVERY)
        if time.perf_counter() >= until:
            break
        async with http.get(f"{base}/api/projects/{project_id}", headers=headers) as got:
            version = (await got.json())["version"]
        async with http.patch(f"{base}/api/projects/{project_id}", headers={
                **headers, "If-Match": str(version)},
                json={"counterpart_vnd": 1000 * (writes + 1)}) as r:
            writes += r.status == 200
    return writes


async def _load(base: str, token: str, project_id: int) -> dict[str, Any]:
    import aiohttp  # a light client: the load generator shares the machine with the server

    results: list[tuple[float, int]] = []
    connector = aiohttp.TCPConnector(limit=CLIENTS + 2)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=60),
                                     headers={"Accept-Encoding": "gzip"}) as http:
        t0 = time.perf_counter()
        until = t0 + SECONDS
        tasks = [_client(http, base, k, until, results) for k in range(CLIENTS)]
        done = await asyncio.gather(_writer(http, base, token, project_id, until), *tasks)
        elapsed = time.perf_counter() - t0
    times = sorted(t for t, _ in results)
    errors = sum(1 for _, s in results if s != 200)
    kinds = sorted({s for _, s in results if s != 200})
    by_status = {str(k): sum(1 for _, s in results if s == k) for k in kinds}
    q = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
    return {"requests": len(results), "rps": len(results) / elapsed, "p50": q[49],
            "p95": q[94], "max": times[-1] if times else 0.0, "errors": errors,
            "writes": done[0], "error_statuses": by_status, "elapsed": elapsed}


def _run_one(dsn: str, workers: int, token: str, project_id: int) -> dict[str, Any]:
    log = Path(f"/tmp/kcmap-bench-capacity-{os.getpid()}-{workers}.log")
    proc, base = _serve(dsn, workers, log)
    try:
        server0, client0 = _tree_cpu(proc.pid), time.process_time()
        result = asyncio.run(_load(base, token, project_id))
        server_s, client_s = _tree_cpu(proc.pid) - server0, time.process_time() - client0
        n = max(result["requests"], 1)
        result.update(server_cpu_ms=1000 * server_s / n, client_cpu_ms=1000 * client_s / n,
                      server_cores=server_s / result["elapsed"])
        if result["errors"]:
            lines = log.read_text(errors="replace").splitlines()
            result["log_tail"] = [x for x in lines if " 200 OK" not in x][-8:]
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.unlink(missing_ok=True)


def run() -> dict[str, Any]:
    """Measure 1 worker and N workers; print figures side by side and the ratio."""
    from geo.core.settings import ServerSettings

    many = ServerSettings().workers
    dsn = _database()
    try:
        token, project_id = _planner_token(dsn)
        one = _run_one(dsn, 1, token, project_id)
        load_one = os.getloadavg()
        multi = _run_one(dsn, many, token, project_id)
        load_multi = os.getloadavg()
    finally:
        if os.environ.get("KCMAP_BENCH_KEEP") != "1":
            _drop_database(dsn, NAME)
    writes = (f"a project PATCH every {WRITE_EVERY:.0f} s (caches rebuilt)" if WRITE_EVERY > 0
              else "no writes")
    print(f"{CLIENTS} clients, {SECONDS:.0f} s each, mix of {len(MIX)} map pages and API "
          f"calls at demo scale {SCALE}, {writes}; {os.cpu_count()} CPUs, shared with other "
          "users of the machine")
    print(f"  {'':18s} {'1 worker':>12s} {f'{many} workers':>12s} {'ratio':>7s}")
    rows = (("requests/s", "rps", "{:.1f}"), ("p50 ms", "p50", "{:.0f}"),
            ("p95 ms", "p95", "{:.0f}"), ("max ms", "max", "{:.0f}"),
            ("requests", "requests", "{:d}"), ("errors", "errors", "{:d}"),
            ("writes", "writes", "{:d}"), ("server CPU ms/req", "server_cpu_ms", "{:.2f}"),
            ("client CPU ms/req", "client_cpu_ms", "{:.2f}"),
            ("server cores used", "server_cores", "{:.2f}"))
    for label, key, fmt in rows:
        a, b = one[key], multi[key]
        scale = 1000 if key in ("p50", "p95", "max") else 1
        ratio = f"{b / a:7.2f}" if a else "      -"
        print(f"  {label:18s} {fmt.format(a * scale):>12s} {fmt.format(b * scale):>12s} {ratio}")
    print(f"  load average after each run: {load_one[0]:.2f} / {load_multi[0]:.2f} "
          "(requests/s and latency depend on the machine's other load; CPU per request less)")
    for label, r in (("1 worker", one), (f"{many} workers", multi)):
        if r["errors"]:
            print(f"  errors with {label} by status (0 = no answer): {r['error_statuses']}")
            for line in r.get("log_tail", []):
                print(f"    {line[:160]}")
    for label, r in (("1 worker", one), (f"{many} workers", multi)):
        ok = r["p95"] <= TARGET_P95_S and r["rps"] >= TARGET_RPS and r["errors"] == 0
        print(f"  target p95 ≤ {TARGET_P95_S:.0f} s, ≥ {TARGET_RPS:.0f} req/s, no errors, "
              f"{label}: {'met' if ok else 'NOT MET'}")
    result = {"one": one, "many": multi, "workers": many, "clients": CLIENTS}
    print(json.dumps({"capacity": result}))
    return result
