"""`make bench`: run every benchmark module; each prints its figures and ratios."""

from __future__ import annotations

import importlib
import os
import sys

MODULES = ["coverage_page", "geocoder", "importer", "maps", "capacity", "tiles"]


def main() -> int:
    """Run the benchmarks named on the command line, or all of them.

    `--scale N` sets the demo scale of the tiles benchmark (default 20; 700 for about a
    million establishments)."""
    args = sys.argv[1:]
    if "--scale" in args:
        i = args.index("--scale")
        os.environ["KCMAP_BENCH_TILES_SCALE"] = args[i + 1]
        del args[i:i + 2]
    names = args or MODULES
    for name in names:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError:
            print(f"[{name}] not available in this checkout")
            continue
        print(f"== {name}")
        module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
