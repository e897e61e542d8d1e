"""100,000-row establishments workbook through `kcmap import`: wall time and peak memory,
beside the importer as it was before it was made fast, measured in the same run.

The import runs as its own process (`kcmap import establishments ... --report`, which reads,
previews and commits the batch in one transaction, with DATABASE_URL set to a throw-away
database on the configured server); its peak memory is the importer's own VmHWM, written by
benchmarks/peak.py as it exits (ru_maxrss from os.wait4 would count this script's memory:
the child is forked from it), and its CPU seconds come from os.wait4.

The baseline is the code of commit BASELINE (openpyxl reading, every address geocoded again
for rows with coordinates, INSERT … VALUES pages through execute_values, the commit reading
the batch back), taken from git (`git archive`) into a temporary folder and run the same way
on a copy of the same database. KCMAP_BENCH_IMPORT_BASELINE=0 skips it.
Then the same file again (nothing changes) and `kcmap import undo` of the first batch (its
100,000 records removed), each measured the same way.
Targets: at most 30 s for the first import on a 2-core machine, under 500 MB resident memory.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg2

ROWS = 100_000
TARGET_SECONDS = 30.0
TARGET_MB = 500.0
BASELINE = "8785839"  # main before the importer used calamine, COPY and cached geocoding
ROOT = Path(__file__).resolve().parent.parent
TRADES = ("Mộc dân dụng", "Dệt thổ cẩm", "Chế biến quế", "Nước mắm", "Rèn", "Mây tre đan",
          "Bánh tráng", "Gạch nung", "Đá mỹ nghệ", "Chế biến gỗ")


def _with_db(dsn: str, name: str) -> str:
    return urlunparse(urlparse(dsn)._replace(path="/" + name))


def _units(conn: Any) -> list[tuple[str, str, float, float]]:
    """(commune, district, lon, lat) of every legacy commune with a point inside it."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT u.name, d.name, ST_X(ST_PointOnSurface(b.geom)), "
            "ST_Y(ST_PointOnSurface(b.geom)) FROM admin_unit u "
            "JOIN admin_unit d ON d.edition = u.edition AND d.code = u.parent_code "
            "JOIN boundary b ON b.edition = u.edition AND b.code = u.code "
            "WHERE u.edition = 'legacy' AND u.level = 'commune' ORDER BY u.code")
        return [(str(c), str(d), float(x), float(y)) for c, d, x, y in cur.fetchall()]


def write_workbook(path: Path, units: list[tuple[str, str, float, float]], rows: int = ROWS,
                   seed: int = 2021) -> None:
    """A title row, a merged two-row header and `rows` establishments (openpyxl write_only)."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    for ref in ("A1:L1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:G2", "H2:I2", "J2:J3",
                "K2:K3", "L2:L3"):
        ws.merged_cells.add(ref)
    ws.append(["DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN (dữ liệu thử)"])
    ws.append(["STT", "Tên cơ sở", "Chủ cơ sở", "Ngành nghề", "Địa chỉ", None, None,
               "Tọa độ", None, "Số lao động", "Điện thoại", "Ghi chú"])
    ws.append([None, None, None, None, "Thôn/Tổ", "Xã/Phường/TT", "Huyện/TX/TP", "Vĩ độ",
               "Kinh độ", None, None, None])
    for i in range(1, rows + 1):
        commune, district, lon, lat = units[rng.randrange(len(units))]
        lat_cell: object = None
        lon_cell: object = None
        kind = rng.random()
        if kind < 0.25:  # decimal degrees in numeric cells
            lat_cell, lon_cell = round(lat, 6), round(lon, 6)
        elif kind < 0.40:  # decimal commas typed as text
            lat_cell, lon_cell = f"{lat:.6f}".replace(".", ","), f"{lon:.6f}".replace(".", ",")
        trade = TRADES[i % len(TRADES)]
        ws.append([i, f"Cơ sở {trade.lower()} số {i}", f"Chủ hộ {i}", trade,
                   f"Thôn {rng.randint(1, 12)}", commune, district, lat_cell, lon_cell,
                   f"{rng.randint(1, 80)} người", f"09{rng.randint(10_000_000, 99_999_999)}",
                   None])
    ws.append(["Tổng cộng"])
    wb.save(path)


def _import(kcmap: list[str], dsn: str, path: Path, report: Path, log: Path,
            code: Path | None = None) -> tuple[float, float, int, float]:
    """Run one import process: (seconds, peak resident MB, exit code, CPU seconds of the
    process: user + system, which other load on the machine hardly changes); `code`: the folder
    whose geo/api/maps packages run (the baseline), else this checkout."""
    return _cli(kcmap, dsn, ["import", "establishments", str(path), "--report", str(report)],
                log, code)


def _cli(kcmap: list[str], dsn: str, args: list[str], log: Path, code: Path | None = None
         ) -> tuple[float, float, int, float]:
    """One `kcmap ARGS` process, measured as _import says; the peak memory is the program's
    own (benchmarks/peak.py: VmHWM), not ru_maxrss, which counts this process's memory."""
    env = {**os.environ, "DATABASE_URL": dsn, "PYTHONPATH": str(code or ROOT)}
    peak = log.with_suffix(".peak")
    with open(log, "w", encoding="utf-8") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen([kcmap[0], str(ROOT / "benchmarks" / "peak.py"), str(peak),
                                 *kcmap[1:], *args], env=env, stdout=out,
                                stderr=subprocess.STDOUT, cwd=code or ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    mb = int(peak.read_text(encoding="ascii")) / 1024 if peak.exists() else float("nan")
    return seconds, mb, proc.returncode, usage.ru_utime + usage.ru_stime


def _baseline_code(folder: Path) -> Path | None:
    """The packages of commit BASELINE, unpacked under folder (None without git history)."""
    if os.environ.get("KCMAP_BENCH_IMPORT_BASELINE", "1") == "0":
        return None
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", BASELINE,
                              "geo", "api", "maps"], capture_output=True, check=False)
    if archive.returncode != 0:
        print(f"  (no baseline: git archive {BASELINE} failed: "
              f"{archive.stderr.decode(errors='replace').strip()})")
        return None
    folder.mkdir()
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def _clone(server: str, name: str, copy: str) -> None:
    admin = psycopg2.connect(_with_db(server, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    admin.close()


def _checked(result: tuple[float, float, int, float], log: Path
             ) -> tuple[float, float, float]:
    seconds, mb, code, cpu = result
    if code != 0:
        raise RuntimeError(log.read_text(encoding="utf-8"))
    return seconds, mb, cpu


def run() -> dict[str, float]:
    """Generate, import twice (new, then unchanged) into a throw-away database; print figures."""
    from api.database import database_from_env
    from geo.boundaries.approx import build_approximate
    from geo.core.cluster import create_database
    from geo.core.migrate import migrate
    from geo.gazetteer import loader as gazetteer

    server = database_from_env().dsn
    name = f"kcmap_bench_import_{os.getpid()}"
    old_name = name + "_baseline"
    create_database(_with_db(server, "postgres"), name, drop_first=True)
    dsn = _with_db(server, name)
    kcmap = [sys.executable, "api.cli.main"]  # python and the module: the same for both codes
    base_s = base_mb = base_cpu = 0.0
    try:
        conn = psycopg2.connect(dsn)
        try:
            migrate(conn)
            gazetteer.load(conn)
            build_approximate(conn)
            conn.commit()
            units = _units(conn)
        finally:
            conn.close()
        with tempfile.TemporaryDirectory(prefix="kcmap-bench-") as tmp:
            path = Path(tmp) / "co_so_100k.xlsx"
            t0 = time.perf_counter()
            write_workbook(path, units)
            gen_s = time.perf_counter() - t0
            report = Path(tmp) / "report.json"
            old_code = _baseline_code(Path(tmp) / "baseline")
            if old_code is not None:  # a copy of the prepared database, same file
                _clone(server, name, old_name)
                log = Path(tmp) / "0.log"
                old_dsn = _with_db(server, old_name)
                base_s, base_mb, base_cpu = _checked(
                    _import(kcmap, old_dsn, path, report, log, old_code), log)
                base = json.loads(report.read_text(encoding="utf-8"))
            log = Path(tmp) / "1.log"
            first_s, first_mb, first_cpu = _checked(_import(kcmap, dsn, path, report, log), log)
            data = json.loads(report.read_text(encoding="utf-8"))
            lines = [x for x in log.read_text(encoding="utf-8").splitlines()
                     if "đã đọc" in x]
            log = Path(tmp) / "2.log"
            again_s, again_mb, again_cpu = _checked(_import(kcmap, dsn, path, report, log), log)
            again = json.loads(report.read_text(encoding="utf-8"))
            log = Path(tmp) / "3.log"  # undo the first batch: its 100,000 records removed
            undo_s, undo_mb, undo_cpu = _checked(
                _cli(kcmap, dsn, ["import", "undo", str(data["batch_id"])], log), log)
            undone = log.read_text(encoding="utf-8").strip().splitlines()[-1]
            size_mb = path.stat().st_size / 1e6
            if old_code is not None and (base["summary"], base["records"]) != (
                    data["summary"], data["records"]):
                raise RuntimeError(f"baseline and new importer disagree: {base['summary']} "
                                   f"{base['records']} vs {data['summary']} {data['records']}")
    finally:
        admin = psycopg2.connect(_with_db(server, "postgres"))
        admin.autocommit = True
        with admin.cursor() as cur:
            for db in (name, old_name):
                cur.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        admin.close()
    result = {"rows": float(ROWS), "generate_s": gen_s, "baseline_import_s": base_s,
              "baseline_peak_mb": base_mb, "baseline_cpu_s": base_cpu,
              "import_s": first_s, "import_cpu_s": first_cpu, "reimport_cpu_s": again_cpu,
              "import_peak_mb": first_mb, "reimport_s": again_s, "reimport_peak_mb": again_mb,
              "undo_s": undo_s, "undo_peak_mb": undo_mb, "undo_cpu_s": undo_cpu,
              "accepted": float(data["summary"]["accepted"]),
              "reimport_unchanged": float(again["records"]["unchanged"])}
    print(f"importer: {ROWS:,} establishments, .xlsx {size_mb:.1f} MB (generated in "
          f"{gen_s:.1f} s), {os.cpu_count()} CPUs")
    if base_s:
        print(f"  baseline     : {base_s:7.1f} s  peak {base_mb:7.0f} MB  cpu {base_cpu:5.1f} s  "
              f"(commit {BASELINE}: openpyxl, per-row geocoding, execute_values, commit "
              "re-reads the batch)")
    print(f"  first import : {first_s:7.1f} s  peak {first_mb:7.0f} MB  cpu {first_cpu:5.1f} s  "
          f"accepted {data['summary']['accepted']:,}, records {data['records']}, "
          f"positions {data['precision']}")
    print(f"  re-import    : {again_s:7.1f} s  peak {again_mb:7.0f} MB  cpu {again_cpu:5.1f} s  "
          f"records {again['records']}, locations {again['locations']}")
    print(f"  undo first   : {undo_s:7.1f} s  peak {undo_mb:7.0f} MB  cpu {undo_cpu:5.1f} s  "
          f"({undone})")
    if base_s:
        print(f"  speed-up     : {base_s / first_s:7.1f}x time, {base_cpu / first_cpu:.1f}x "
              f"importer CPU, {base_mb / first_mb:.1f}x memory")
    print(f"  load average : {os.getloadavg()[0]:.1f} (other work on the machine stretches the "
          "wall times, not the CPU seconds)")
    print(f"  progress     : {len(lines)} plain progress lines in the log (stderr not a TTY)")
    print(f"  targets      : <= {TARGET_SECONDS:.0f} s (first import), < {TARGET_MB:.0f} MB "
          f"(every run) -> {'met' if first_s <= TARGET_SECONDS else 'MISSED'} (time), "
          f"{'met' if max(first_mb, again_mb, undo_mb) < TARGET_MB else 'MISSED'} (memory)")
    print(json.dumps({"importer": result}))
    return result
