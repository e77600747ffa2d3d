"""What a declared shape costs: shaped against unshaped generation at 1M rows.

A script, not a test: it asserts nothing about timings. Each family is timed
on a one-column schema (a float in [0.5, 1000], an int in [1, 1000] for the
discrete families, an isin of 20 strings for weights) with and without the
shape, interleaved, median of the repeats, after one untimed warm-up call of
each (compile, lazy imports). Frames from the warm-up are validated. A
second table times each family on one column of the core benchmark's schema
A (six columns) against schema A unshaped, and a last line every column of
schema A shaped at once.

    .venv/bin/python benchmarks/bench_shape.py            # ~1 minute
    .venv/bin/python benchmarks/bench_shape.py --rows 100000 --repeats 9
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import time
import warnings
from typing import Any

import pandas as pd
import pandera.pandas as pa

from pytest_synthdata import generate
from pytest_synthdata import shapes as sh

C = pa.Check
LABELS = [f"value_{i:02d}" for i in range(20)]
# (label, column kind, shape, allowed ratio): the targets.
FAMILIES = [
    ("uniform", "float", sh.uniform(), 2.0),
    ("normal", "float", sh.normal(300, 100), 2.0),
    ("lognormal", "float", sh.lognormal(4, 1), 2.0),
    ("exponential", "float", sh.exponential(50), 2.0),
    (
        "weights (20 values)",
        "str",
        {"weights": {v: 2.0**-i for i, v in enumerate(LABELS)}},
        2.0,
    ),
    ("gamma", "float", sh.gamma(2, 50), 4.0),
    ("beta", "float", sh.beta(2, 5), 4.0),
    (
        "empirical",
        "float",
        sh.empirical([[0, 0.5], [0.5, 20], [0.9, 200], [1, 1000]]),
        4.0,
    ),
    ("poisson", "int", sh.poisson(30), 4.0),
    ("zipf", "int", sh.zipf(2.0), 4.0),
]


def column(kind: str, shape: Any) -> pa.Column:
    """The benchmark column of ``kind``, with ``shape`` (a dict) if given."""
    meta = sh.column(shape) if shape is not None else None
    if kind == "float":
        return pa.Column(float, C.in_range(0.5, 1000), metadata=meta)
    if kind == "int":
        return pa.Column(int, C.in_range(1, 1000), metadata=meta)
    return pa.Column(str, C.isin(LABELS), metadata=meta)


def numpy_alone(label: str, rows: int) -> float:
    """numpy's own sampler for the family, untruncated: the floor of its cost."""
    import numpy as np

    rng = np.random.default_rng(0)
    p = np.array([2.0**-i for i in range(20)])
    calls = {
        "uniform": lambda: rng.random(rows),
        "normal": lambda: rng.normal(300, 100, rows),
        "lognormal": lambda: rng.lognormal(4, 1, rows),
        "exponential": lambda: rng.exponential(50, rows),
        "weights (20 values)": lambda: rng.choice(20, rows, p=p / p.sum()),
        "gamma": lambda: rng.gamma(2, 50, rows),
        "beta": lambda: rng.beta(2, 5, rows),
        "empirical": lambda: np.interp(
            rng.random(rows), [0, 0.5, 0.9, 1], [0.5, 20, 200, 1000]
        ),
        "poisson": lambda: rng.poisson(30, rows),
        "zipf": lambda: rng.zipf(2.0, rows),
    }
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        calls[label]()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def timed(schema: Any, rows: int, seed: int) -> float:
    gc.collect()
    t0 = time.perf_counter()
    generate(schema, rows, seed=seed)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    print(
        f"{args.rows:,} rows, median of {args.repeats}, python "
        f"{platform.python_version()}, pandas {pd.__version__}\n"
    )
    print(
        "| family | unshaped | shaped | shaped / unshaped | target | verdict "
        "| numpy's sampler alone / unshaped |"
    )
    print("|---|--:|--:|--:|--:|---|--:|")
    for label, kind, shape, target in FAMILIES:
        plain = pa.DataFrameSchema({"x": column(kind, None)})
        shaped = pa.DataFrameSchema({"x": column(kind, shape)})
        for schema in (plain, shaped):  # warm-up, validated
            schema.validate(generate(schema, 10_000, seed=0), lazy=True)
        base, ours = [], []
        for i in range(args.repeats):
            pair = [(base, plain), (ours, shaped)]
            for times, schema in pair if i % 2 == 0 else pair[::-1]:
                times.append(timed(schema, args.rows, i + 1))
        b, s = statistics.median(base), statistics.median(ours)
        ratio = s / b
        verdict = "MET" if ratio <= target else "NOT MET"
        floor = numpy_alone(label, args.rows) / b
        print(
            f"| {label} | {b * 1e3:.1f} ms | {s * 1e3:.1f} ms | {ratio:.2f}x "
            f"| ≤ {target:g}x | {verdict} | {floor:.2f}x |",
            flush=True,
        )
    per_family_in_a_frame(args.rows, args.repeats)
    b, s = frame_level(args.rows, args.repeats)
    print(
        f"\nWhole frame (benchmark schema A, every column shaped: poisson, "
        f"lognormal, weights, p_true, normal and a null rate): unshaped "
        f"{b * 1e3:.1f} ms, shaped {s * 1e3:.1f} ms, {s / b:.2f}x."
    )
    return 0


def _baseline() -> Any:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "shared" / "bench" / "baseline.py"
    spec = importlib.util.spec_from_file_location("baseline", path)
    base = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(base)
    return base


# Each family on the column of schema A it fits (both bounds for uniform and
# beta, ints for the discrete families, the categories for weights).
IN_A = {
    "uniform": "f_nullable",
    "normal": "b_float",
    "lognormal": "b_float",
    "exponential": "b_float",
    "weights (20 values)": "c_cat",
    "gamma": "b_float",
    "beta": "f_nullable",
    "empirical": "b_float",
    "poisson": "a_int",
    "zipf": "a_int",
}


def per_family_in_a_frame(rows: int, repeats: int) -> None:
    """Schema A of the core benchmark with one column shaped, against unshaped."""
    base = _baseline()
    plain = base.SCHEMAS["A"]
    cats = base.CATS5
    print(
        "\nSchema A (six columns) with one column shaped, against schema A unshaped:\n"
    )
    print("| family | column | unshaped | shaped | shaped / unshaped | target |")
    print("|---|---|--:|--:|--:|---|")
    for label, _, shape, target in FAMILIES:
        column = IN_A[label]
        if column == "c_cat":
            shape = {"weights": {c: 2.0**-i for i, c in enumerate(cats)}}
        if label == "poisson":
            shape = sh.poisson(300)
        per_call = {column: shape}
        plain.validate(generate(plain, 10_000, seed=0, shape=per_call), lazy=True)
        generate(plain, 10_000, seed=0)
        base_t, shaped_t = [], []
        for i in range(repeats):
            runs = [(base_t, {}), (shaped_t, {"shape": per_call})]
            for times, kw in runs if i % 2 == 0 else runs[::-1]:
                gc.collect()
                t0 = time.perf_counter()
                generate(plain, rows, seed=i + 1, **kw)
                times.append(time.perf_counter() - t0)
        b, s = statistics.median(base_t), statistics.median(shaped_t)
        verdict = "MET" if s / b <= target else "NOT MET"
        print(
            f"| {label.split(' (')[0]} | {column} | {b * 1e3:.1f} ms | "
            f"{s * 1e3:.1f} ms | "
            f"{s / b:.2f}x | ≤ {target:g}x {verdict} |",
            flush=True,
        )


def frame_level(rows: int, repeats: int) -> tuple[float, float]:
    """Schema A of the core benchmark, plain and with every column shaped."""
    base = _baseline()
    plain = base.SCHEMAS["A"]
    cats = base.CATS5
    shape = {
        "a_int": sh.poisson(200),
        "b_float": sh.lognormal(3, 1),
        "c_cat": {"weights": {c: 2.0**-i for i, c in enumerate(cats)}},
        "d_bool": {"p_true": 0.1},
        "f_nullable": {**sh.normal(0.5, 0.2), "null_rate": 0.3},
    }
    plain.validate(generate(plain, 10_000, seed=0, shape=shape), lazy=True)
    generate(plain, 10_000, seed=0)
    base_t, shaped_t = [], []
    for i in range(repeats):
        for times, kw in [(base_t, {}), (shaped_t, {"shape": shape})][
            :: 1 - 2 * (i % 2)
        ]:
            gc.collect()
            t0 = time.perf_counter()
            generate(plain, rows, seed=i + 1, **kw)
            times.append(time.perf_counter() - t0)
    return statistics.median(base_t), statistics.median(shaped_t)


if __name__ == "__main__":
    raise SystemExit(main())
