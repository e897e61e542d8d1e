"""The project-local PostGIS cluster under $KCMAP_HOME, used when DATABASE_URL is not set."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from psycopg2 import sql

from geo.core.errors import ClusterError
from geo.core.settings import DatabaseSettings, HomeSettings

DB_USER = "kcmap"
DB_NAME = "kcmap"


def _is_root() -> bool:
    return os.geteuid() == 0


def pg_bindir() -> Path:
    """Return the newest PostgreSQL server bin directory installed on this machine."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise ClusterError(
        "Chưa cài máy chủ PostgreSQL (không tìm thấy initdb): chạy `make run` hoặc cài "
        "postgresql và postgis, hoặc đặt DATABASE_URL tới một PostGIS có sẵn"
    )


def _run(args: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    if _is_root():
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=check, capture_output=True, text=True)


def local_dsn(home: HomeSettings, dbname: str = DB_NAME) -> str:
    """Return the DSN of a database in the project-local cluster."""
    return f"postgresql://{DB_USER}@127.0.0.1:{home.pg_port}/{dbname}"


def resolve_dsn(db: DatabaseSettings, home: HomeSettings) -> str:
    """DATABASE_URL when set, else the project-local cluster's DSN."""
    return db.url or local_dsn(home)


def _postgres_can_enter(path: Path) -> bool:
    if not _is_root():
        return True
    res = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(path)], check=False)
    return res.returncode == 0


def cluster_dir(home: HomeSettings) -> Path:
    """Directory holding the cluster's data and log (created and owned by postgres if root)."""
    base = home.home.resolve()
    base.mkdir(parents=True, exist_ok=True)
    link = base / "pg"
    if link.is_symlink() or link.exists():
        return link.resolve()
    link.mkdir(mode=0o700)
    if _is_root():
        shutil.chown(link, "postgres", "postgres")
        if not _postgres_can_enter(link):
            # A parent directory is closed to the postgres user (e.g. under /root):
            # keep the cluster in /var/lib/kcmap and point $KCMAP_HOME/pg at it.
            link.rmdir()
            digest = hashlib.sha1(str(base).encode()).hexdigest()[:12]
            target = Path("/var/lib/kcmap") / digest
            target.mkdir(parents=True, exist_ok=True)
            shutil.chown(target, "postgres", "postgres")
            target.chmod(0o700)
            link.symlink_to(target)
            return target
    return link


@contextmanager
def _lock(home: HomeSettings) -> Iterator[None]:
    home.home.mkdir(parents=True, exist_ok=True)
    with open(home.home / "cluster.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _initdb(bindir: Path, data: Path, home: HomeSettings) -> None:
    res = _run(
        [str(bindir / "initdb"), "-D", str(data), "-U", DB_USER, "--auth=trust",
         "--encoding=UTF8", "--locale=C.UTF-8"],
        check=False,
    )
    if res.returncode != 0:
        raise ClusterError(
            f"Không tạo được cụm PostgreSQL tại {data} (initdb): {res.stderr.strip()}")
    conf = (
        f"\n# kcmap local cluster\nport = {home.pg_port}\nlisten_addresses = '127.0.0.1'\n"
        f"unix_socket_directories = '{data}'\nsynchronous_commit = on\n"
        "shared_buffers = 256MB\nmax_connections = 100\n"
    )
    with open(data / "postgresql.conf", "a", encoding="utf-8") as fh:
        fh.write(conf)


def _make_durable(data: Path) -> None:
    """Turn `synchronous_commit = off` (written by earlier kcmap versions) back on.

    Acknowledged must mean on disk: with it off, a crash loses commits already answered OK.
    """
    conf = data / "postgresql.conf"
    text = conf.read_text(encoding="utf-8")
    fixed = re.sub(r"(?m)^\s*synchronous_commit\s*=\s*'?off'?\s*(#.*)?$",
                   "synchronous_commit = on", text)
    if fixed != text:
        conf.write_text(fixed, encoding="utf-8")


def is_running(home: HomeSettings) -> bool:
    """True when the project-local cluster's postmaster is up."""
    data = cluster_dir(home) / "data"
    if not (data / "PG_VERSION").exists():
        return False
    res = _run([str(pg_bindir() / "pg_ctl"), "status", "-D", str(data)], check=False)
    return res.returncode == 0


def ensure_cluster(home: HomeSettings) -> str:
    """Create and start the project-local cluster if needed; return the kcmap DSN."""
    with _lock(home):
        bindir = pg_bindir()
        root = cluster_dir(home)
        data = root / "data"
        if not (data / "PG_VERSION").exists():
            _initdb(bindir, data, home)
        if not is_running(home):
            _make_durable(data)
            res = _run(
                [str(bindir / "pg_ctl"), "start", "-D", str(data), "-l", str(root / "server.log"),
                 "-w", "-t", "60"],
                check=False,
            )
            if res.returncode != 0:
                raise ClusterError(
                    f"PostgreSQL không khởi động được (xem nhật ký {root / 'server.log'}): "
                    f"{res.stderr.strip()}"
                )
        _wait_and_create_db(home)
    return local_dsn(home)


def _wait_and_create_db(home: HomeSettings) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = psycopg2.connect(local_dsn(home, "postgres"), connect_timeout=3)
            break
        except psycopg2.OperationalError as exc:
            if time.monotonic() > deadline:
                raise ClusterError(f"PostgreSQL không trả lời ở cổng {home.pg_port}") from exc
            time.sleep(0.3)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    finally:
        conn.close()


def stop_cluster(home: HomeSettings) -> bool:
    """Stop the project-local cluster; return True if it was running."""
    if not is_running(home):
        return False
    data = cluster_dir(home) / "data"
    _run([str(pg_bindir() / "pg_ctl"), "stop", "-D", str(data), "-m", "fast", "-w"], check=True)
    return True


def create_database(admin_dsn: str, name: str, drop_first: bool = False) -> None:
    """Create database NAME on the server of ADMIN_DSN (optionally dropping it first)."""
    conn = psycopg2.connect(admin_dsn, connect_timeout=5)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            if drop_first:
                cur.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()
