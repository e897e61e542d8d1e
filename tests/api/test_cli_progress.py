"""`kcmap import` without a terminal (log file, cron): a progress line at least every 5 s
(one every 4 s),
while rows are read and while nothing reports (the database writes). The clock is injected:
no test waits for real seconds."""

from __future__ import annotations

import subprocess
import sys
import threading

from api.cli.progress_lines import (
    BEAT_SECONDS,
    LINE_SECONDS,
    PROMISED_SECONDS,
    ProgressLines,
    heartbeat,
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_lines_every_five_seconds_while_reading_and_writing() -> None:
    clock, out = Clock(), []
    lines = ProgressLines("establishments co_so.xlsx", out.append, clock)
    done = 0
    for _ in range(40):  # 20 s of reading: 500 rows every half second
        clock.now += 0.5
        done += 500
        lines(done, 50_000)
    assert out == [f"establishments co_so.xlsx: đã đọc {n} / ~50000 dòng ({s} s)"
                   for n, s in ((4000, 4), (8000, 8), (12000, 12), (16000, 16), (20000, 20))]
    lines(20_000, 20_000)  # reading done: the importer says so, then writes for a while
    out.clear()
    for _ in range(24):  # 12 s without any report: the heartbeat ticks every half second
        clock.now += BEAT_SECONDS
        lines.tick()
    assert out == ["establishments co_so.xlsx: đã đọc 20000 dòng, đang ghi vào cơ sở dữ liệu "
                   f"({s} s)" for s in (24, 28, 32)]
    # between two lines: the period plus one heartbeat, within the promised 5 s
    assert LINE_SECONDS + BEAT_SECONDS <= PROMISED_SECONDS


def test_no_line_before_five_seconds() -> None:
    clock, out = Clock(), []
    lines = ProgressLines("x", out.append, clock)
    clock.now += LINE_SECONDS - 0.01
    lines(10, None)
    lines.tick()
    assert out == []
    clock.now += 0.01
    lines.tick()
    assert out == ["x: đã đọc 10 dòng (4 s)"]


def test_heartbeat_thread_prints_without_reports() -> None:
    # the thread only calls tick(); with a clock moved past the interval it prints, and it
    # stops with the block
    clock, out, printed = Clock(), [], threading.Event()

    def echo(line: str) -> None:
        out.append(line)
        printed.set()

    lines = ProgressLines("y", echo, clock)
    with heartbeat(lines, seconds=0.01) as beating:
        assert beating is lines
        clock.now += LINE_SECONDS
        assert printed.wait(30)  # the heartbeat thread prints once it sees the clock moved
    assert out == ["y: đã đọc 0 dòng (4 s)"]
    clock.now += 10 * LINE_SECONDS
    assert out == ["y: đã đọc 0 dòng (4 s)"]  # stopped: nothing more


def test_cli_without_terminal_uses_plain_lines() -> None:
    # stderr is a pipe here: the CLI takes the plain-line progress, not the rich bar
    run = subprocess.run(
        [sys.executable, "-c", "import sys; from api.cli.imports import _progress\n"
         "with _progress('lbl') as p:\n"
         "    print(type(p).__name__, sys.stderr.isatty())"],
        capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.split() == ["ProgressLines", "False"]
