"""`python benchmarks/peak.py OUT MODULE ARGS...`: run MODULE as `python -m MODULE ARGS...`
would, then write this process's peak resident memory in kB (VmHWM) to the file OUT.

Why not ru_maxrss from os.wait4: Linux records, when a forked child calls exec, the resident
size of the memory image it leaves (its parent's, shared until then) into the child's
maxrss, so a child started by a benchmark process holding a few hundred MB of reports
reports at least that much. VmHWM belongs to the image exec made: the program's own peak.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def _peak_kb() -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != here]  # not a
    # package root: benchmarks/maps.py must not hide the maps package
    out, module, *args = sys.argv[1:]
    sys.argv = [module, *args]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    finally:
        Path(out).write_text(str(_peak_kb()), encoding="ascii")


if __name__ == "__main__":
    main()
