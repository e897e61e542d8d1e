"""A PostGIS cluster of the test's own (own KCMAP_HOME and port) that it may stop and kill."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

from geo.core.cluster import cluster_dir, ensure_cluster, stop_cluster
from geo.core.errors import ClusterError
from geo.core.settings import HomeSettings


def start(home: HomeSettings, timeout: float = 60) -> str:
    """Start the cluster (again), waiting out backends orphaned by a killed postmaster."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return ensure_cluster(home)
        except ClusterError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def postmaster_pid(home: HomeSettings) -> int:
    """The pid of the running postmaster (first line of postmaster.pid)."""
    pidfile = cluster_dir(home) / "data" / "postmaster.pid"
    return int(pidfile.read_text(encoding="utf-8").splitlines()[0])


def kill_postmaster(home: HomeSettings) -> None:
    """SIGKILL the postmaster, as the OOM killer or a power cut would end it; wait till gone."""
    pid = postmaster_pid(home)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise RuntimeError(f"postmaster {pid} survived SIGKILL")


def remove(home: HomeSettings) -> None:
    """Stop the cluster and delete its files (also when they live under /var/lib/kcmap)."""
    try:
        stop_cluster(home)
    except Exception:  # noqa: BLE001 - best effort on teardown
        pass
    data_root: Path = cluster_dir(home)
    shutil.rmtree(data_root, ignore_errors=True)
    shutil.rmtree(home.home, ignore_errors=True)
