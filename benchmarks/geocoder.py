"""Address geocoder: kcmap's geocode_address against vietnamadminunits.parse_address, same run."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "data" / "addresses_labelled.csv"
TARGET = 5000  # addresses per timed pass


def _addresses() -> list[str]:
    with LABELLED.open(encoding="utf-8") as fh:
        labelled = [row["address"] for row in csv.DictReader(fh)]
    return (labelled * (TARGET // len(labelled) + 1))[:TARGET]


def _rate(fn: Callable[[str], object], addresses: list[str]) -> float:
    start = time.perf_counter()
    for address in addresses:
        try:
            fn(address)
        except Exception:  # noqa: BLE001 - the reference refuses some messy input
            pass
    return len(addresses) / (time.perf_counter() - start)


def run() -> dict[str, float]:
    """Addresses per second of both geocoders on the labelled set repeated to ~5,000; print."""
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
    _rate(lambda a: geocode_address(index, a), addresses[:200])  # warm caches alike
    _rate(lambda a: parse_address(a, mode="LEGACY", level=3), addresses[:200])
    ours = _rate(lambda a: geocode_address(index, a), addresses)
    theirs = _rate(lambda a: parse_address(a, mode="LEGACY", level=3), addresses)
    figures = {"addresses": float(len(addresses)), "index_load_s": round(load_s, 3),
               "kcmap_per_s": round(ours, 1), "parse_address_per_s": round(theirs, 1),
               "ratio": round(ours / theirs, 2)}
    print(f"index loaded in {load_s:.3f} s (once per process)")
    print(f"kcmap geocode_address:                {ours:10.0f} addresses/s")
    print(f"vietnamadminunits parse_address(L3):  {theirs:10.0f} addresses/s")
    print(f"ratio: {figures['ratio']:.2f}x on {len(addresses)} addresses")
    return figures


if __name__ == "__main__":  # pragma: no cover
    run()
