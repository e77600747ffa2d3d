"""Import cost of the plugin in a run that never asks for data.

    python benchmarks/bench_import.py [--repeats 15]

pytest loads the plugin in every run of a project that has it installed, so
importing it must stay cheap: it imports pytest only, and pandas, pandera and
Hypothesis load when a test first asks for a frame. Each measurement is a fresh
interpreter; the median of ``import pytest`` alone is subtracted.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

PROBE = (
    "import time; t = time.perf_counter(); import {mod}; print(time.perf_counter() - t)"
)


def timed(module: str, repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(mod=module)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(float(out.stdout))
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    base = timed("pytest", args.repeats)
    plugin = timed("pytest, pytest_synthdata.plugin", args.repeats)
    heavy = timed("pytest, pytest_synthdata._api", args.repeats)
    print(f"import pytest:                      {base * 1e3:7.1f} ms")
    print(f"  + pytest_synthdata.plugin:        {(plugin - base) * 1e3:7.1f} ms")
    print(f"  + the generator (pandas, pandera): {(heavy - base) * 1e3:7.1f} ms")
    print(
        "target: the plugin adds under 50 ms:",
        "MET" if plugin - base < 0.05 else "NOT MET",
    )


if __name__ == "__main__":
    main()
