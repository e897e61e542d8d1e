"""Address geocoder: kcmap's geocode_address against vietnamadminunits.parse_address, same run."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "data" / "addresses_labelled.csv"
TARGET = 5000  # addresses per timed pass
CHUNK = 250  # both geocoders take turns on chunks of this size, so load drift hits both


def _addresses() -> list[str]:
    """The labelled set, then copies of it behind a house number ('Số 3, ...'): all distinct."""
    with LABELLED.open(encoding="utf-8") as fh:
        labelled = [row["address"] for row in csv.DictReader(fh)]
    out: list[str] = []
    copy = 0
    while len(out) < TARGET:
        out.extend(labelled if copy == 0 else [f"Số {copy}, {a}" for a in labelled])
        copy += 1
    return out[:TARGET]


def _seconds(fn: Callable[[str], object], addresses: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one pass."""
    start, cpu = time.perf_counter(), time.process_time()
    for address in addresses:
        try:
            fn(address)
        except Exception:  # noqa: BLE001 - the reference refuses some messy input
            pass
    return time.perf_counter() - start, time.process_time() - cpu


def _rates(ours: Callable[[str], object], theirs: Callable[[str], object],
           addresses: list[str]) -> tuple[float, float, float]:
    """Addresses per second of each (wall clock), taking turns chunk by chunk (who goes first
    alternates), and the ratio of their CPU times (steadier on a loaded machine)."""
    wall = [0.0, 0.0]
    cpu = [0.0, 0.0]
    for n, start in enumerate(range(0, len(addresses), CHUNK)):
        chunk = addresses[start:start + CHUNK]
        order = ((0, ours), (1, theirs)) if n % 2 == 0 else ((1, theirs), (0, ours))
        for slot, fn in order:
            w, c = _seconds(fn, chunk)
            wall[slot] += w
            cpu[slot] += c
    return len(addresses) / wall[0], len(addresses) / wall[1], cpu[1] / cpu[0]


def run() -> dict[str, float]:
    """Addresses per second of both geocoders on ~5,000 distinct addresses; print."""
    from vietnamadminunits import parse_address

    from api.database import database_from_env
    from geo.gazetteer.index import load_index
    from geo.geocoding.geocoder import geocode_address

    database = database_from_env()
    start = time.perf_counter()
    with database.transaction() as conn:
        index = load_index(conn)
    load_s = time.perf_counter() - start
    addresses = _addresses()
    assert len(set(addresses)) == len(addresses)  # no answer can be remembered from a repeat
    warm = [f"Thôn {n}, {a}" for n, a in enumerate(addresses[:200])]  # not timed below
    _seconds(lambda a: geocode_address(index, a), warm)  # load lazy data alike
    _seconds(lambda a: parse_address(a, mode="LEGACY", level=3), warm)
    ours, theirs, cpu_ratio = _rates(lambda a: geocode_address(index, a),
                                     lambda a: parse_address(a, mode="LEGACY", level=3),
                                     addresses)
    figures = {"addresses": float(len(addresses)), "index_load_s": round(load_s, 3),
               "kcmap_per_s": round(ours, 1), "parse_address_per_s": round(theirs, 1),
               "ratio": round(ours / theirs, 2), "cpu_ratio": round(cpu_ratio, 2)}
    print(f"index loaded in {load_s:.3f} s (once per process)")
    print(f"kcmap geocode_address:                {ours:10.0f} addresses/s")
    print(f"vietnamadminunits parse_address(L3):  {theirs:10.0f} addresses/s")
    print(f"ratio: {figures['ratio']:.2f}x on {len(addresses)} distinct addresses "
          f"(turns of {CHUNK}); CPU-time ratio {figures['cpu_ratio']:.2f}x")
    return figures


if __name__ == "__main__":  # pragma: no cover
    run()
