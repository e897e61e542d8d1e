"""Progress of a long CLI command without a terminal (log file, cron): a plain line at least
every PROMISED_SECONDS (aiming at one every LINE_SECONDS), also while nothing reports (the
database writes after the reading), from a heartbeat thread. The clock and the output are
injectable, so tests need no real waiting."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PROMISED_SECONDS = 5.0  # never longer than this between two lines
# a line this often: the heartbeat's period and a busy machine's delays fit in the promise
LINE_SECONDS = 4.0
BEAT_SECONDS = 0.5  # how often the heartbeat looks at the clock


class ProgressLines:
    """A Progress callback (done, total) that prints '<label>: đã đọc N / ~M dòng (12 s)'
    lines; once the reading is done, '<label>: đã đọc N dòng, đang ghi vào cơ sở dữ liệu
    (20 s)'."""

    def __init__(self, label: str, echo: Callable[[str], None],
                 clock: Callable[[], float] = time.monotonic,
                 every: float = LINE_SECONDS) -> None:
        self.label, self.echo, self.clock, self.every = label, echo, clock, every
        self.start = self.last = clock()
        self.done, self.read = 0, False
        self.total: int | None = None
        self.lock = threading.Lock()

    def __call__(self, done: int, total: int | None) -> None:
        with self.lock:
            self.done, self.total = done, total
            self.read = self.read or (total is not None and done >= total)
        self.tick()

    def tick(self) -> None:
        """Print a line when LINE_SECONDS have passed since the last one."""
        with self.lock:
            now = self.clock()
            if now - self.last < self.every:
                return
            self.last = now
            elapsed = f"({now - self.start:.0f} s)"
            if self.read:
                line = (f"{self.label}: đã đọc {self.done} dòng, đang ghi vào cơ sở dữ liệu "
                        f"{elapsed}")
            else:
                of = f" / ~{self.total}" if self.total else ""
                line = f"{self.label}: đã đọc {self.done}{of} dòng {elapsed}"
            self.echo(line)


@contextmanager
def heartbeat(lines: ProgressLines, seconds: float = BEAT_SECONDS) -> Iterator[ProgressLines]:
    """Tick `lines` from a daemon thread until the block ends."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(seconds):
            lines.tick()

    thread = threading.Thread(target=beat, name="kcmap-progress", daemon=True)
    thread.start()
    try:
        yield lines
    finally:
        stop.set()
        thread.join()
