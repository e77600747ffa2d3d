"""Examples per second of the Hypothesis strategies, beside pandera's.

A script, not a test: it asserts nothing about timings. For each schema it
runs a ``@given`` test that only counts the frames it receives, at
``max_examples`` examples in the generate phase (no shrinking, no database,
no deadline, health checks off so that a slow peer is timed rather than
stopped), and reports valid examples per second:

- ``frames(schema, max_rows=100)``: ours, 0 to 100 rows a frame;
- ``frames(schema, min_rows=100, max_rows=100)``: ours, exactly 100 rows;
- ``schema.strategy(size=100)``: pandera's own strategy, exactly 100 rows,
  in a forked child killed after ``--pandera-timeout`` seconds (the examples
  it completed by then are counted).

Schemas: A, B and C of ``../shared/bench/baseline.py`` (pandera gets C', with
the category column as str + isin, since it cannot draw categories) and two corpus schemas
of about ten columns (s38: 11 columns, s15: 9). Frames of ours from a separate,
untimed run are validated against their schema (every one of them).

    .venv/bin/python benchmarks/bench_strategies.py            # ~5 minutes
    .venv/bin/python benchmarks/bench_strategies.py --examples 50 --pandera-timeout 20
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing as mp
import platform
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
CORPUS = ("s38", "s15")
TARGET_PER_S = 50.0  # at least this many examples a second on a 10-column schema


def _load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


PANDERA_STAND_INS: dict[str, Any] = {}


def schemas() -> dict[str, Any]:
    base = _load(SHARED / "bench" / "baseline.py")
    # pandera cannot draw categories: it gets C with the category column as
    # str + isin (baseline.py's C'), as in bench_core.py.
    PANDERA_STAND_INS["C"] = base.SCHEMA_C_STRSEG
    out = {f"{k} ({len(s.columns)} cols)": s for k, s in base.SCHEMAS.items()}
    for stem in CORPUS:
        path = next((SHARED / "corpus").glob(f"{stem}_*.py"))
        schema = _load(path).schema()
        out[f"{stem} ({len(schema.columns)} cols)"] = schema
    return out


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        phases=(Phase.generate,),
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


def run_strategy(strategy: Any, examples: int, counter: Any = None) -> tuple:
    """(valid examples, seconds) of a @given test that only counts its frames."""
    seen = [0]

    @_settings(examples)
    @given(strategy)
    def count(df: pd.DataFrame) -> None:
        seen[0] += 1
        if counter is not None:
            counter.value = seen[0]

    t0 = time.perf_counter()
    count()
    return seen[0], time.perf_counter() - t0


def _pandera_child(schema: Any, examples: int, counter: Any, done: Any, conn) -> None:
    warnings.simplefilter("ignore")
    try:
        _, secs = run_strategy(schema.strategy(size=100), examples, counter)
    except Exception as exc:  # reported in the table, as the peer's outcome
        conn.send(f"{type(exc).__name__}: {str(exc).splitlines()[0][:60]}")
        return
    done.value = secs


def run_pandera(schema: Any, examples: int, timeout: float) -> tuple:
    """(examples, seconds, what went wrong or None) for pandera's strategy."""
    ctx = mp.get_context("fork")
    counter, done = ctx.Value("l", 0), ctx.Value("d", -1.0)
    here, there = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_pandera_child, args=(schema, examples, counter, done, there)
    )
    t0 = time.perf_counter()
    proc.start()
    proc.join(timeout)
    elapsed = time.perf_counter() - t0
    if proc.is_alive():
        proc.kill()
        proc.join()
        return counter.value, elapsed, "TIMEOUT"
    if here.poll():
        return counter.value, elapsed, here.recv()
    if done.value < 0:
        return counter.value, elapsed, f"child exited with {proc.exitcode}"
    return counter.value, done.value, None


def validate_all(schema: Any, strategy: Any, examples: int) -> int:
    """Draw ``examples`` frames untimed and validate each; how many."""
    seen = [0]

    @_settings(examples)
    @given(strategy)
    def check(df: pd.DataFrame) -> None:
        pd.testing.assert_frame_equal(df, schema.validate(df, lazy=True))
        seen[0] += 1

    check()
    return seen[0]


def rate(n: int, secs: float) -> str:
    return f"{n / secs:,.1f}" if secs > 0 and n else "0"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=200)
    ap.add_argument("--pandera-timeout", type=float, default=60.0)
    ap.add_argument("--validate", type=int, default=50)
    args = ap.parse_args(argv)

    import hypothesis
    import pandera

    from pytest_synthdata import __version__
    from pytest_synthdata.strategies import frames

    warnings.simplefilter("ignore")
    print(
        f"pytest-synthdata {__version__}, hypothesis {hypothesis.__version__}, "
        f"pandera {pandera.__version__}, pandas {pd.__version__}, python "
        f"{platform.python_version()}, {platform.machine()}; {args.examples} "
        f"examples a cell, pandera timeout {args.pandera_timeout:.0f} s\n"
    )
    print(
        "| schema | ours 0-100 rows (ex/s) | ours 100 rows (ex/s) "
        "| pandera 100 rows (ex/s) | ours 100 / pandera | validated |"
    )
    print("|---|--:|--:|--:|--:|---|")
    ten_col: list[float] = []
    for label, schema in schemas().items():
        print(f"{label} ...", file=sys.stderr, flush=True)
        frames(schema, max_rows=100)  # warm the compile cache (untimed)
        run_strategy(frames(schema, max_rows=100), 3)
        n_any, t_any = run_strategy(frames(schema, max_rows=100), args.examples)
        n_100, t_100 = run_strategy(
            frames(schema, min_rows=100, max_rows=100), args.examples
        )
        peer = PANDERA_STAND_INS.get(label.split()[0], schema)
        n_pa, t_pa, out = run_pandera(peer, args.examples, args.pandera_timeout)
        ok = validate_all(schema, frames(schema, max_rows=100), args.validate)
        ours_100 = n_100 / t_100
        pa_rate = n_pa / t_pa if n_pa and t_pa > 0 else 0.0
        ratio = f"{ours_100 / pa_rate:,.0f}x" if pa_rate else "∞ (none in time)"
        pa_cell = rate(n_pa, t_pa) + (
            f" ({n_pa} in {t_pa:.0f} s, {out})" if out else ""
        )
        if label.startswith(CORPUS):
            ten_col.append(min(n_any / t_any, ours_100))
        print(
            f"| {label} | {rate(n_any, t_any)} | {rate(n_100, t_100)} | {pa_cell} "
            f"| {ratio} | {ok}/{args.validate} |",
            flush=True,
        )
    worst = min(ten_col)
    verdict = "MET" if worst >= TARGET_PER_S else "NOT MET"
    print(
        f"\nTarget: at least {TARGET_PER_S:.0f} examples a second on a ~10-column "
        f"schema: slowest of ours on {', '.join(CORPUS)} is {worst:,.1f}/s, "
        f"{verdict}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
