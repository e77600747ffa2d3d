"""Statistical shapes on columns: distributions, null rates and weights.

Tolerances come from the sample size: a KS distance against the exact
(truncated, and for integer columns discretised) target stays below
``sqrt(ln(2 / alpha) / (2 n))`` with alpha = 1e-4; a weight's frequency
stays within four standard errors. The default suite runs fixed seeds; the
slow-marked sweep runs 20 seeds.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from scipy import stats

from pytest_synthdata import generate, shapes
from pytest_synthdata.errors import InvalidShapeError, UnsupportedSchemaError
from tests.conftest import assert_exact

C = pa.Check
ALPHA = 1e-4
N = 200_000


def ks_bound(n: int) -> float:
    return math.sqrt(math.log(2 / ALPHA) / (2 * n))


def truncated(dist, lo: float, hi: float):
    """The CDF of ``dist`` truncated to ``[lo, hi]``."""
    f_lo, f_hi = dist.cdf(lo), dist.cdf(hi)
    return lambda x: np.clip((dist.cdf(x) - f_lo) / (f_hi - f_lo), 0, 1)


def ks_discrete(values: np.ndarray, cdf) -> float:
    """KS distance at the integer support points (the discretised target)."""
    ks = np.arange(values.min(), values.max() + 1)
    ecdf = np.searchsorted(np.sort(values), ks, side="right") / len(values)
    return float(np.max(np.abs(ecdf - cdf(ks))))


def one(column: pa.Column) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({"x": column})


CONTINUOUS = [
    (
        "uniform",
        shapes.uniform(),
        (2.0, 9.0),
        lambda lo, hi: stats.uniform(lo, hi - lo).cdf,
    ),
    (
        "normal",
        shapes.normal(10, 4),
        (5.0, 30.0),
        lambda lo, hi: truncated(stats.norm(10, 4), lo, hi),
    ),
    (
        "normal-upper-tail",
        shapes.normal(0, 1),
        (2.5, 50.0),
        lambda lo, hi: truncated(stats.norm(0, 1), lo, hi),
    ),
    (
        "lognormal",
        shapes.lognormal(3, 0.8),
        (1.0, 500.0),
        lambda lo, hi: truncated(stats.lognorm(0.8, scale=math.exp(3)), lo, hi),
    ),
    (
        "exponential",
        shapes.exponential(20),
        (5.0, 1e9),
        lambda lo, hi: truncated(stats.expon(scale=20), lo, hi),
    ),
    (
        "gamma",
        shapes.gamma(2.5, 3),
        (0.0, 40.0),
        lambda lo, hi: truncated(stats.gamma(2.5, scale=3), lo, hi),
    ),
    (
        "gamma-far-tail",
        shapes.gamma(2, 1),
        (9.0, 30.0),
        lambda lo, hi: truncated(stats.gamma(2, scale=1), lo, hi),
    ),
    (
        "beta",
        shapes.beta(2, 5),
        (100.0, 200.0),
        lambda lo, hi: stats.beta(2, 5, loc=lo, scale=hi - lo).cdf,
    ),
    (
        "empirical",
        shapes.empirical([[0, 0.0], [0.5, 10.0], [0.9, 50.0], [1, 100.0]]),
        (0.0, 100.0),
        lambda lo, hi: lambda x: np.interp(x, [0, 10, 50, 100], [0, 0.5, 0.9, 1]),
    ),
]


def _continuous_distance(case, seed: int, n: int) -> float:
    _, dist, (lo, hi), target = case
    schema = one(pa.Column(float, C.in_range(lo, hi), metadata=shapes.column(dist)))
    df = generate(schema, n, seed=seed)
    assert_exact(schema, df, n)
    return stats.kstest(df["x"].to_numpy(), target(lo, hi)).statistic


@pytest.mark.parametrize("case", CONTINUOUS, ids=[c[0] for c in CONTINUOUS])
def test_continuous_families_match_their_truncated_targets(case) -> None:
    assert _continuous_distance(case, 7, N) <= min(ks_bound(N), 0.01)


INTEGER = [
    ("poisson", shapes.poisson(4), (0, 40), lambda: stats.poisson(4)),
    ("poisson-shifted", shapes.poisson(30), (25, 1000), lambda: stats.poisson(30)),
    ("zipf", shapes.zipf(2.2), (1, 10_000), lambda: stats.zipf(2.2)),
]


def _integer_distance(case, seed: int, n: int) -> float:
    _, dist, (lo, hi), target = case
    schema = one(pa.Column(int, C.in_range(lo, hi), metadata=shapes.column(dist)))
    df = generate(schema, n, seed=seed)
    assert_exact(schema, df, n)
    d = target()
    f_lo, f_hi = d.cdf(lo - 1), d.cdf(hi)
    return ks_discrete(df["x"].to_numpy(), lambda k: (d.cdf(k) - f_lo) / (f_hi - f_lo))


@pytest.mark.parametrize("case", INTEGER, ids=[c[0] for c in INTEGER])
def test_discrete_families_match_their_truncated_targets(case) -> None:
    assert _integer_distance(case, 11, N) <= min(ks_bound(N), 0.01)


def test_continuous_families_on_int_columns_match_the_discretised_target() -> None:
    lo, hi = 0, 100
    schema = one(
        pa.Column(
            "Int32", C.in_range(lo, hi), metadata=shapes.column(shapes.normal(40, 15))
        )
    )
    df = generate(schema, N, seed=2)
    assert_exact(schema, df, N)
    d = stats.norm(40, 15)
    f_lo, f_hi = d.cdf(lo - 0.5), d.cdf(hi + 0.5)
    distance = ks_discrete(
        df["x"].to_numpy(dtype=np.int64),
        lambda k: (d.cdf(k + 0.5) - f_lo) / (f_hi - f_lo),
    )
    assert distance <= ks_bound(N)


@pytest.mark.parametrize("rate", [0.0, 0.005, 0.25, 1.0])
def test_null_rates_are_met_to_the_row(rate) -> None:
    schema = one(
        pa.Column(float, nullable=True, metadata=shapes.column(null_rate=rate))
    )
    df = generate(schema, 10_000, seed=4)
    assert_exact(schema, df, 10_000)
    assert abs(df["x"].isna().sum() - rate * 10_000) < 1


def test_weights_give_the_declared_frequencies_and_keep_rare_values() -> None:
    weights = {"gold": 5, "silver": 30, "bronze": 64.9, "rare": 0.1}
    schema = one(
        pa.Column(
            str, C.isin([*weights, "never"]), metadata=shapes.column(weights=weights)
        )
    )
    df = generate(schema, N, seed=5)
    assert_exact(schema, df, N)
    freq = df["x"].value_counts(normalize=True)
    total = sum(weights.values())
    p = {k: w / total for k, w in weights.items()}
    tvd = 0.5 * sum(abs(freq.get(k, 0.0) - v) for k, v in p.items())
    noise = 0.5 * sum(4 * math.sqrt(v * (1 - v) / N) for v in p.values())
    assert tvd <= min(noise, 0.01)
    assert "never" not in freq  # left out: weight 0


def test_a_category_of_weight_one_in_a_thousand_appears_in_ten_thousand_rows() -> None:
    cats = pd.CategoricalDtype(["common", "uncommon", "rare"])
    schema = one(
        pa.Column(
            cats,
            metadata=shapes.column(weights={"common": 900, "uncommon": 99, "rare": 1}),
        )
    )
    df = generate(schema, 10_000, seed=6)
    assert_exact(schema, df, 10_000)
    assert (df["x"] == "rare").sum() >= 1


def test_p_true_and_weights_read_from_files_with_string_keys() -> None:
    schema = pa.DataFrameSchema(
        {
            "flag": pa.Column("boolean", metadata=shapes.column(p_true=0.9)),
            "level": pa.Column(
                int,
                C.isin([1, 2, 3]),
                metadata={"synthdata": {"weights": {"1": 1, "3": 3}}},
            ),
            "ok": pa.Column(bool, metadata={"synthdata": {"weights": {"true": 1}}}),
        }
    )
    df = generate(schema, 20_000, seed=8)
    assert_exact(schema, df, 20_000)
    assert abs(df["flag"].mean() - 0.9) < 4 * math.sqrt(0.09 / 20_000)
    assert set(df["level"]) == {1, 3}
    assert abs((df["level"] == 3).mean() - 0.75) < 4 * math.sqrt(0.75 * 0.25 / 20_000)
    assert df["ok"].all()


@pytest.mark.parametrize(
    "column",
    [
        pa.Column(
            "float32", C.in_range(0, 1), metadata=shapes.column(shapes.beta(2, 2))
        ),
        pa.Column(
            "Float64",
            C.gt(0),
            nullable=True,
            metadata=shapes.column(shapes.gamma(2, 1)),
        ),
        pa.Column("uint8", metadata=shapes.column(shapes.poisson(3))),
        pa.Column("int64[pyarrow]", C.ge(10), metadata=shapes.column(shapes.zipf(3))),
        pa.Column(
            float, C.gt(0), unique=True, metadata=shapes.column(shapes.lognormal(0, 1))
        ),
        pa.Column(
            int, C.ge(0), unique=True, metadata=shapes.column(shapes.normal(1e6, 1e5))
        ),
        pa.Column(
            float, C.notin([0.0, 1.0]), metadata=shapes.column(shapes.normal(0, 1))
        ),
        pa.Column(int, metadata=shapes.column(shapes.uniform())),
    ],
    ids=[
        "beta-f32",
        "gamma-Float64",
        "poisson-u8",
        "zipf-arrow",
        "unique-float",
        "unique-int",
        "notin",
        "uniform-int-unbounded",
    ],
)
@pytest.mark.parametrize("rows", [0, 1, 1_000])
def test_shaped_columns_of_every_kind_validate(column, rows) -> None:
    schema = one(column)
    assert_exact(schema, generate(schema, rows, seed=rows), rows)


def test_per_call_shapes_lay_over_the_declared_ones() -> None:
    schema = one(
        pa.Column(
            float,
            C.in_range(0, 100),
            nullable=True,
            metadata=shapes.column(shapes.normal(20, 5), null_rate=0.1),
        )
    )
    base = generate(schema, 10_000, seed=1)
    nulls = generate(schema, 10_000, seed=1, shape={"x": {"null_rate": 0.5}})
    moved = generate(schema, 10_000, seed=1, shape={"x": shapes.normal(80, 5)})
    assert base["x"].isna().mean() == pytest.approx(0.1, abs=1e-4)
    assert nulls["x"].isna().mean() == pytest.approx(0.5, abs=1e-4)
    assert abs(nulls["x"].mean() - 20) < 0.5  # the declared dist is kept
    assert abs(moved["x"].mean() - 80) < 0.5  # a dist replaces the declared one
    assert moved["x"].isna().mean() == pytest.approx(0.1, abs=1e-4)
    assert moved.attrs["synthdata"]["shape"] == {"x": shapes.normal(80, 5)}
    pd.testing.assert_frame_equal(base, generate(schema, 10_000, seed=1))


@pytest.mark.parametrize(
    ("column", "shape", "error", "message"),
    [
        (
            pa.Column(float),
            {"dist": "cauchy"},
            InvalidShapeError,
            "unknown distribution 'cauchy'",
        ),
        (
            pa.Column(float),
            {"dist": "normal", "mean": 0},
            InvalidShapeError,
            "needs 'std'",
        ),
        (
            pa.Column(float),
            {"dist": "normal", "mean": 0, "std": -1},
            InvalidShapeError,
            "must be positive",
        ),
        (pa.Column(float), {"mean": 3}, InvalidShapeError, "need a 'dist'"),
        (
            pa.Column(float),
            {"colour": "red"},
            InvalidShapeError,
            "unknown shape key 'colour'",
        ),
        (pa.Column(float), {"null_rate": 0.2}, InvalidShapeError, "cannot hold nulls"),
        (
            pa.Column(float, nullable=True),
            {"null_rate": 1.5},
            InvalidShapeError,
            "between 0 and 1",
        ),
        (
            pa.Column(float),
            {"weights": {"a": 1}},
            InvalidShapeError,
            "need a finite domain",
        ),
        (
            pa.Column(str, C.isin(["a"])),
            {"weights": {"b": 1}},
            InvalidShapeError,
            "weights give weight to 'b'",
        ),
        (
            pa.Column(str),
            {"dist": "normal", "mean": 0, "std": 1},
            UnsupportedSchemaError,
            "on a string column is currently unsupported",
        ),
        (
            pa.Column(float),
            {"dist": "poisson", "lam": 2},
            InvalidShapeError,
            "draws integers",
        ),
        (
            pa.Column(float, C.ge(0)),
            {"dist": "beta", "a": 1, "b": 1},
            InvalidShapeError,
            "at most one",
        ),
        (
            pa.Column(float, C.in_range(0, 1)),
            {"dist": "normal", "mean": 100, "std": 1},
            InvalidShapeError,
            "of its mass inside",
        ),
        (
            pa.Column(float),
            {"given": {}},
            InvalidShapeError,
            "given must be a dict with 'column'",
        ),
        (
            pa.Column(float),
            {"dist": "zipf", "a": 1},
            InvalidShapeError,
            "greater than 1",
        ),
        (
            pa.Column(float),
            {"dist": "empirical", "quantiles": [[0, 5], [1, 2]]},
            InvalidShapeError,
            "values not falling",
        ),
    ],
)
def test_bad_shapes_are_clear_errors_naming_the_column(
    column, shape, error, message
) -> None:
    declared = one(
        pa.Column(
            column.dtype,
            column.checks,
            nullable=column.nullable,
            metadata={"synthdata": shape},
        )
    )
    with pytest.raises(error) as info:
        generate(declared, 10, seed=0)
    assert message in str(info.value)
    assert "column 'x'" in str(info.value)
    with pytest.raises(error, match="column 'x'"):  # the same per call
        generate(one(column), 10, seed=0, shape={"x": shape})


def test_a_per_call_shape_for_an_unknown_column_is_an_error() -> None:
    with pytest.raises(InvalidShapeError, match="names 'y', which is not a column"):
        generate(one(pa.Column(float)), 5, seed=0, shape={"y": {"null_rate": 0.1}})


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(20))
def test_shapes_hold_across_seeds(seed) -> None:
    for case in CONTINUOUS:
        assert _continuous_distance(case, seed, N) <= ks_bound(N), case[0]
    for case in INTEGER:
        assert _integer_distance(case, seed, N) <= ks_bound(N), case[0]


# --------------------------------------------------------------------------
# found by a hostile round: extreme windows and parameters stay valid
# --------------------------------------------------------------------------

EXTREME = [
    pa.Column(
        "int64", C.in_range(0, 2**63 - 1), metadata=shapes.column(shapes.beta(1, 1e-3))
    ),
    pa.Column(
        "Int64",
        C.ge(0),
        metadata=shapes.column(shapes.normal(9.223372036854775e18, 1e3)),
    ),
    pa.Column(
        "int64[pyarrow]",
        C.ge(2**60 + 1),
        metadata=shapes.column(shapes.normal(2**60, 1e4)),
    ),
    pa.Column(
        "int64",
        [C.gt(-9 * 10**18), C.lt(0)],
        metadata=shapes.column(shapes.beta(0.1, 5)),
    ),
    pa.Column(
        float, C.in_range(-1e308, 1e308), metadata=shapes.column(shapes.uniform())
    ),
    pa.Column(
        float,
        C.in_range(-7.312715117751976, 1.1616222516203505),
        metadata=shapes.column(shapes.beta(1, 1e-3)),
    ),
    pa.Column("uint64", metadata=shapes.column(shapes.normal(1.5e19, 1e18))),
    pa.Column(
        "uint64[pyarrow]", C.gt(0), metadata=shapes.column(shapes.lognormal(0, 50))
    ),
    pa.Column(
        "int64", C.le(10**9 - 10**4), metadata=shapes.column(shapes.poisson(1e9))
    ),
]


@pytest.mark.parametrize(
    "column", EXTREME, ids=[f"extreme-{i}" for i in range(len(EXTREME))]
)
def test_extreme_windows_and_parameters_stay_valid(column) -> None:
    schema = one(column)
    df = generate(schema, 2_000, seed=1)
    assert_exact(schema, df, 2_000)


def test_uint64_values_above_int64_are_reached() -> None:
    schema = one(
        pa.Column("uint64", metadata=shapes.column(shapes.normal(1.5e19, 1e18)))
    )
    x = generate(schema, 10_000, seed=1)["x"].to_numpy()
    assert abs(x.astype(float).mean() - 1.5e19) < 1e17


def test_a_poisson_lower_tail_is_spread_not_piled_on_one_value() -> None:
    schema = one(
        pa.Column(int, C.le(10**7 - 100), metadata=shapes.column(shapes.poisson(1e7)))
    )
    x = generate(schema, 10_000, seed=1)["x"]
    assert x.nunique() > 100


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (
            pa.Column(
                "int64", C.le(10**12), metadata=shapes.column(shapes.poisson(1e14))
            ),
            "of its mass inside",
        ),
        (
            pa.Column("int64", metadata=shapes.column(shapes.poisson(1e19))),
            "at most 1e+15",
        ),
        (
            pa.Column(
                float,
                C.le(50),
                metadata=shapes.column(shapes.empirical([[0, 100], [1, 200]])),
            ),
            "of its mass inside",
        ),
        (
            pa.Column(
                float,
                metadata={
                    "synthdata": {"dist": "empirical", "quantiles": [[0.2, 1], [1, 2]]}
                },
            ),
            "q rising from 0 to 1",
        ),
        (
            pa.Column(
                float,
                C.ge(0),
                unique=True,
                nullable=True,
                metadata=shapes.column(null_rate=0.5),
            ),
            "holds at most one null",
        ),
        (pa.Column(int, metadata=shapes.column(shapes.beta(2, 2))), "at most one"),
    ],
    ids=[
        "poisson-far-above",
        "poisson-huge-lam",
        "empirical-outside",
        "empirical-q0",
        "unique-nulls",
        "beta-int-unbounded",
    ],
)
def test_shapes_no_window_can_meet_are_refused(column, message) -> None:
    with pytest.raises(InvalidShapeError, match=re.escape(message)):
        generate(one(column), 10, seed=0)


def test_weights_work_with_unique_values_eq_and_small_int_ranges() -> None:
    schema = pa.DataFrameSchema(
        {
            "x": pa.Column(
                str,
                C.unique_values_eq(["a", "b", "c"]),
                metadata=shapes.column(weights={"a": 98, "b": 1, "c": 1}),
            ),
            "k": pa.Column(
                int, C.in_range(0, 5), metadata=shapes.column(weights={5: 1})
            ),
        }
    )
    df = generate(schema, 10_000, seed=2)
    assert_exact(schema, df, 10_000)
    assert df["x"].value_counts(normalize=True)["a"] > 0.95
    assert set(df["k"]) == {5}


def test_per_call_shapes_are_cached_by_their_exact_keys() -> None:
    schema = pa.DataFrameSchema(
        {
            1: pa.Column(float, C.in_range(0, 100)),
            "1": pa.Column(float, C.in_range(0, 100)),
        }
    )
    near_top = {"dist": "normal", "mean": 99, "std": 1}
    a = generate(schema, 2_000, seed=1, shape={1: near_top})
    b = generate(schema, 2_000, seed=1, shape={"1": near_top})
    assert a[1].mean() > 95 > a["1"].mean()
    assert b["1"].mean() > 95 > b[1].mean()
    with pytest.raises(InvalidShapeError, match="give a shape dict"):
        generate(schema, 5, seed=0, shape={1: None})
