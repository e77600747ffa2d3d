"""Fit, generate, compare: pytest-synthdata against copulas on public data.

Real data sets that ship inside PyPI packages (no downloads at run time):
palmerpenguins' penguins, statsmodels' ``fair`` and ``macrodata``,
scikit-learn's ``wine`` and ``diabetes``. For each, ``fit`` (no schema: one
is inferred) and ``generate`` as many rows as the data has; copulas'
``GaussianMultivariate`` is fitted to the number columns and sampled as
many rows. Reported: each number column's two-sample KS distance to the
real data, and the largest and mean absolute gap between the real and the
synthetic Spearman matrices over the number columns. One run, fixed seeds.

Then the same figures for ``fit(real, schema, epsilon=...)`` at epsilon 1
and 10, with statsmodels' ``randhie`` (20,190 rows) added, medians over five
noise draws (the noise is fresh each run, so these figures move a little).

Not a test: it asserts nothing. Needs, besides the project:

    .venv/bin/pip install palmerpenguins statsmodels scikit-learn
    .venv/bin/pip install --no-deps copulas   # it declares pandas < 3
    .venv/bin/python benchmarks/bench_fit.py
"""

from __future__ import annotations

import platform
import time
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from pytest_synthdata import compare, fit, generate


def datasets() -> dict[str, pd.DataFrame]:
    import statsmodels.api as sm
    from palmerpenguins import load_penguins
    from sklearn.datasets import load_diabetes, load_wine

    return {
        "penguins (palmerpenguins)": load_penguins(),
        "fair (statsmodels)": sm.datasets.fair.load_pandas().data,
        "macrodata (statsmodels)": sm.datasets.macrodata.load_pandas().data,
        "wine (scikit-learn)": load_wine(as_frame=True).frame,
        "diabetes (scikit-learn)": load_diabetes(as_frame=True, scaled=False).frame,
    }


def larger() -> dict[str, pd.DataFrame]:
    """A larger set for the privacy table only (copulas takes many minutes
    on it: 380 s already on fair's 6,366 rows)."""
    import statsmodels.api as sm

    return {"randhie (statsmodels)": sm.datasets.randhie.load_pandas().data}


def numbers(df: pd.DataFrame) -> list[str]:
    return [
        c
        for c in df.columns
        if pd.api.types.is_numeric_dtype(df[c])
        and not pd.api.types.is_bool_dtype(df[c])
    ]


def spearman_gaps(real: pd.DataFrame, synthetic: pd.DataFrame, cols: list[str]):
    a = real[cols].rank().corr().to_numpy()
    b = synthetic[cols].rank().corr().to_numpy()
    off = ~np.eye(len(cols), dtype=bool)
    gap = np.abs(a - b)[off]
    return float(np.nanmax(gap)), float(np.nanmean(gap))


DP_DRAWS = 5


def public_schema(real: pd.DataFrame):
    """A schema of what a team declares before the data arrives: dtypes,
    and for text columns the list of their values (a vocabulary, taken here
    from the data as a stand-in); no number bounds or sets, which would
    come from the data."""
    import pandera.pandas as pa

    inferred = pa.infer_schema(real)
    columns = {}
    for name, col in inferred.columns.items():
        ser = real[name]
        text = not pd.api.types.is_numeric_dtype(ser) and not (
            pd.api.types.is_bool_dtype(ser)
        )
        checks = [pa.Check.isin(sorted(ser.dropna().unique()))] if text else []
        columns[name] = pa.Column(
            col.dtype, checks, nullable=bool(ser.isna().any()), coerce=True
        )
    return pa.DataFrameSchema(columns, coerce=True)


def ks(a: pd.Series, b: pd.Series) -> float:
    x, y = a.dropna().to_numpy(float), b.dropna().to_numpy(float)
    return float(stats.ks_2samp(x, y).statistic)


def main(privacy_only: bool = False) -> None:
    from copulas.multivariate import GaussianMultivariate

    warnings.simplefilter("ignore")
    print(
        f"python {platform.python_version()}, pandas {pd.__version__}; "
        "one run, seeds fixed\n"
    )
    summary = []
    for name, real in ({} if privacy_only else datasets()).items():
        cols = numbers(real)
        start = time.perf_counter()
        shape = fit(real)
        ours = generate(shape.schema, len(real), seed=1, shape=shape)
        t_ours = time.perf_counter() - start
        start = time.perf_counter()
        model = GaussianMultivariate(random_state=1)
        complete = real[cols].dropna()
        model.fit(complete)
        theirs = model.sample(len(real))
        t_theirs = time.perf_counter() - start
        print(f"## {name}: {len(real)} rows, {len(real.columns)} columns\n")
        print("| column | pytest-synthdata KS | copulas KS |")
        print("|---|--:|--:|")
        for c in cols:
            print(
                f"| {c} | {ks(real[c], ours[c]):.3f} | {ks(real[c], theirs[c]):.3f} |"
            )
        others = [c for c in real.columns if c not in cols]
        if others:
            table = compare(real[others], ours[others]).table.set_index("column")
            tvd = ", ".join(f"{c} {table.loc[str(c), 'tvd']:.3f}" for c in others)
            print(
                f"\nOther columns, TVD (pytest-synthdata only; copulas takes "
                f"numbers): {tvd}"
            )
        ours_max, ours_mean = spearman_gaps(real, ours, cols)
        theirs_max, theirs_mean = spearman_gaps(real, theirs, cols)
        print(
            f"\nSpearman matrix gap over the number columns, largest / mean: "
            f"pytest-synthdata {ours_max:.3f} / {ours_mean:.3f}, copulas "
            f"{theirs_max:.3f} / {theirs_mean:.3f}. Time (fit + sample): "
            f"{t_ours:.2f} s and {t_theirs:.2f} s.\n"
        )
        summary.append(
            (
                name,
                np.median([ks(real[c], ours[c]) for c in cols]),
                np.median([ks(real[c], theirs[c]) for c in cols]),
                ours_mean,
                theirs_mean,
            )
        )
    print("## Differential privacy\n")
    print(
        "fit(real, schema, epsilon=...) for a schema of dtypes, nullability "
        "and text vocabularies (no number bounds or sets: those would come "
        "from the data), then as many rows generated. Medians over "
        f"{DP_DRAWS} noise draws (the noise is fresh each time).\n"
    )
    print(
        "| data set | epsilon | median KS | mean Spearman gap | columns "
        "fitted to a family or quantiles |"
    )
    print("|---|--:|--:|--:|--:|")
    for name, real in {**datasets(), **larger()}.items():
        cols = numbers(real)
        schema = public_schema(real)
        for epsilon in (None, 10.0, 1.0):
            kss, gaps, fitted = [], [], []
            for draw in range(DP_DRAWS):
                shape = fit(real, schema, epsilon=epsilon)
                synthetic = generate(schema, len(real), seed=draw, shape=shape)
                kss.append(np.median([ks(real[c], synthetic[c]) for c in cols]))
                gaps.append(spearman_gaps(real, synthetic, cols)[1])
                fitted.append(sum("dist" in v for v in shape.columns.values()))
            print(
                f"| {name} | {'none (k = 10)' if epsilon is None else f'{epsilon:g}'} "
                f"| {np.median(kss):.3f} | "
                f"{np.median(gaps):.3f} | {int(np.median(fitted))} of "
                f"{len(cols)} |"
            )
    print()
    if not summary:
        return
    print("## Summary\n")
    print(
        "| data set | median KS, ours | median KS, copulas | mean Spearman gap, "
        "ours | mean Spearman gap, copulas |"
    )
    print("|---|--:|--:|--:|--:|")
    for name, a, b, c, d in summary:
        print(f"| {name} | {a:.3f} | {b:.3f} | {c:.3f} | {d:.3f} |")


if __name__ == "__main__":
    import sys

    main(privacy_only="--privacy-only" in sys.argv[1:])
