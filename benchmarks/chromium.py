"""Time to interactive of a map page in headless Chromium, shared by the maps and tiles benchmarks.

The app is served by uvicorn in a thread of this process on a free port; a page counts as
interactive when its script sets `window.kcmapReady` (every point or first tiles drawn).
"""

from __future__ import annotations

import os
import socket
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM = os.environ.get("KCMAP_CHROMIUM", "/usr/bin/chromium")
WIRE_JS = "performance.getEntries().reduce((s, e) => s + (e.transferSize || 0), 0)"


@contextmanager
def served(app: Any) -> Iterator[str]:
    """The base URL of APP served by uvicorn in a thread until the block ends."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def interactive(app: Any, path: str, runs: int, timeout_ms: int,
                first: Callable[[], None] | None = None) -> dict[str, Any] | None:
    """Seconds from navigation to `kcmapReady` of PATH: the first view (after FIRST ran, e.g.
    a data change or emptied caches) and the median of RUNS later views, with the most bytes
    on the wire of one view (`transferSize` of everything it loaded). None without Chromium;
    {"error": ...} when the page did not become interactive within TIMEOUT_MS."""
    if not os.path.exists(CHROMIUM):
        return None
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    times: list[float] = []
    wire = 0
    with served(app) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            if first is not None:
                first()
            for _ in range(runs + 1):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                try:
                    page.goto(base + path, timeout=timeout_ms)
                    page.wait_for_function("() => window.kcmapReady", timeout=timeout_ms)
                    times.append(page.evaluate("performance.now()") / 1000)
                    wire = max(wire, int(page.evaluate(WIRE_JS)))
                except PlaywrightError as exc:
                    return {"error": str(exc).splitlines()[0]}
                finally:
                    page.close()
        finally:
            browser.close()
    return {"first_s": times[0], "later_s": statistics.median(times[1:]), "wire_bytes": wire}
