"""`make bench`: run every benchmark module; each prints its figures and ratios."""

from __future__ import annotations

import importlib
import sys

MODULES = ["coverage_page", "geocoder", "importer", "maps", "capacity"]


def main() -> int:
    """Run the benchmarks named on the command line, or all of them."""
    names = sys.argv[1:] or MODULES
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
