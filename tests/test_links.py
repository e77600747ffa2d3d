"""Relations between columns: given, expr, after, sorted and correlations.

Tolerances come from the sample size: a KS distance below
``sqrt(ln(2 / alpha) / (2 n))`` (alpha = 1e-4), a mean within five standard
errors, a Spearman correlation within ±0.02 (its standard error at 200,000
rows is about 0.002). The default suite runs fixed seeds; the slow sweep
runs 20 seeds.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from scipy import stats

from pytest_synthdata import describe, generate
from pytest_synthdata.errors import (
    ChecksUnmetError,
    InvalidShapeError,
    ShapeWarning,
    SlowPathWarning,
    UnsupportedSchemaError,
)
from tests.conftest import assert_exact, ks_bound, meta

C = pa.Check
N = 200_000


def shifted_by(source: str, case, mean: float) -> pa.Column:
    """normal(0, 1), but normal(mean, 1) where ``source`` holds ``case``."""
    cases = {case: {"dist": "normal", "mean": mean, "std": 1}}
    return pa.Column(
        float,
        metadata=meta(
            dist="normal", mean=0, std=1, given={"column": source, "cases": cases}
        ),
    )


def quiet_generate(schema, rows, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SlowPathWarning)
        return generate(schema, rows, **kw)


# --------------------------------------------------------------------------
# given
# --------------------------------------------------------------------------

TIERS = pa.DataFrameSchema(
    {
        "tier": pa.Column(
            str,
            C.isin(["gold", "silver", "basic"]),
            metadata=meta(weights={"gold": 1, "silver": 3, "basic": 6}),
        ),
        "spend": pa.Column(
            float,
            C.ge(0),
            metadata=meta(
                dist="normal",
                mean=20,
                std=5,
                given={
                    "column": "tier",
                    "cases": {
                        "gold": {"dist": "normal", "mean": 100, "std": 10},
                        "silver": {"dist": "lognormal", "mu": 3.5, "sigma": 0.5},
                    },
                },
            ),
        ),
        "channel": pa.Column(
            str,
            C.isin(["web", "store", "phone"]),
            metadata=meta(
                given={
                    "column": "tier",
                    "cases": {"gold": {"weights": {"phone": 8, "web": 2}}},
                }
            ),
        ),
    }
)


def test_given_draws_each_case_from_its_own_shape():
    check_given(11)


def check_given(seed: int) -> None:
    df = generate(TIERS, N, seed=seed)
    assert_exact(TIERS, df)
    gold = df.loc[df["tier"] == "gold", "spend"].to_numpy()
    silver = df.loc[df["tier"] == "silver", "spend"].to_numpy()
    basic = df.loc[df["tier"] == "basic", "spend"].to_numpy()
    # conditional means within five standard errors
    assert abs(gold.mean() - 100) < 5 * 10 / math.sqrt(len(gold))
    lognorm = stats.lognorm(0.5, scale=math.exp(3.5))
    assert abs(silver.mean() - lognorm.mean()) < 5 * lognorm.std() / math.sqrt(
        len(silver)
    )
    # the values of no case keep the column's own (truncated) shape
    base = stats.truncnorm((0 - 20) / 5, np.inf, loc=20, scale=5)
    assert stats.kstest(basic, base.cdf).statistic < ks_bound(len(basic))
    assert stats.kstest(gold, stats.norm(100, 10).cdf).statistic < ks_bound(len(gold))


def test_given_with_weights_per_case_and_uniform_elsewhere():
    df = generate(TIERS, N, seed=12)
    gold = df.loc[df["tier"] == "gold", "channel"].value_counts(normalize=True)
    assert gold.get("store", 0) == 0
    assert abs(gold["phone"] - 0.8) < 5 * math.sqrt(0.16 / (df["tier"] == "gold").sum())
    others = df.loc[df["tier"] != "gold", "channel"].value_counts(normalize=True)
    assert (others - 1 / 3).abs().max() < 0.01


def test_given_fidelity_report_names_each_case():
    df = generate(TIERS, 20_000, seed=13)
    report = describe(df, TIERS)
    text = str(report)
    assert "spend | tier='gold'" in text
    assert "spend | other" in text
    table = report.table
    ks = table[table["measure"] == "ks"]
    assert (ks["distance"] < 2 * ks["noise"]).all(), text


@pytest.mark.parametrize(
    ("shape", "error", "match"),
    [
        (
            {"given": {"column": "nope", "cases": {"a": {"dist": "uniform"}}}},
            InvalidShapeError,
            "given='nope' is not a column",
        ),
        (
            {"given": {"column": "level", "cases": {"a": {"dist": "uniform"}}}},
            InvalidShapeError,
            "needs a column with a finite set of values",
        ),
        (
            {"given": {"column": "kind", "cases": {"z": {"dist": "uniform"}}}},
            InvalidShapeError,
            "given case 'z' is not a value",
        ),
        (
            {"given": {"column": "kind", "cases": {"a": {"null_rate": 0.1}}}},
            InvalidShapeError,
            "a case holds a dist, weights or p_true only",
        ),
        (
            {"given": {"column": "kind", "cases": {"a": {}}}},
            InvalidShapeError,
            "a case needs a dist or weights",
        ),
        (
            {
                "given": {"column": "kind", "cases": {"a": {"dist": "uniform"}}},
                "expr": "level * 2",
            },
            InvalidShapeError,
            "give one of expr, given and after",
        ),
    ],
)
def test_given_errors_name_the_column(shape, error, match):
    schema = pa.DataFrameSchema(
        {
            "kind": pa.Column(str, C.isin(["a", "b"])),
            "level": pa.Column(float, C.in_range(0, 10)),
            "x": pa.Column(float, C.in_range(0, 1)),
        }
    )
    with pytest.raises(error, match=match) as info:
        generate(schema, 10, seed=1, shape={"x": shape})
    assert "column 'x'" in str(info.value)


def test_given_on_a_unique_column_is_refused():
    schema = pa.DataFrameSchema(
        {
            "kind": pa.Column(str, C.isin(["a", "b"])),
            "x": pa.Column(float, C.in_range(0, 1), unique=True),
        }
    )
    shape = {"x": {"given": {"column": "kind", "cases": {"a": {"dist": "uniform"}}}}}
    with pytest.raises(UnsupportedSchemaError, match="currently unsupported"):
        generate(schema, 10, seed=1, shape=shape)


# --------------------------------------------------------------------------
# expr
# --------------------------------------------------------------------------

ORDERS = pa.DataFrameSchema(
    {
        "quantity": pa.Column(int, C.in_range(1, 20)),
        "unit_price": pa.Column(float, C.in_range(0.5, 50), nullable=True),
        "total": pa.Column(
            float,
            C.le(1000),
            nullable=True,
            metadata=meta(expr="quantity * unit_price"),
        ),
        "doubled": pa.Column(int, metadata=meta(expr="quantity * 2")),
    },
    checks=C(lambda d: d["total"].isna() | (d["total"] <= 1000), name="cap"),
)


@pytest.mark.parametrize("rows", [0, 1, 2, 10, 5000])
def test_expr_columns_are_exact_and_valid(rows):
    df = quiet_generate(ORDERS, rows, seed=rows)
    assert_exact(ORDERS, df)
    expected = df["quantity"] * df["unit_price"]
    assert ((df["total"] == expected) | (df["total"].isna() & expected.isna())).all()
    assert (df["doubled"] == 2 * df["quantity"]).all()
    assert df["doubled"].dtype == np.int64


def test_expr_nulls_follow_their_sources():
    df = quiet_generate(ORDERS, 5000, seed=3)
    assert df["unit_price"].isna().any()
    assert (df["total"].isna() == df["unit_price"].isna()).all()


def test_expr_rows_outside_the_columns_checks_are_redrawn():
    # quantity * unit_price reaches 1000 only sometimes; le(1000) holds anyway
    df = quiet_generate(ORDERS, 5000, seed=4)
    assert df["total"].max() <= 1000
    schema = ORDERS.update_column("total", checks=[C.le(100)])
    df = quiet_generate(schema, 2000, seed=4)
    assert df["total"].dropna().max() <= 100
    assert_exact(schema, df)


def test_expr_makes_a_derived_column_schema_generable():
    # corpus s47: col3 == col1 * col2 as a frame check; with the expr declared
    # every row passes, whatever the number of rows
    sys.path.insert(0, str(Path(__file__).parents[2] / "shared" / "corpus"))
    module = pytest.importorskip("s47_pipeline_derived_product_column")
    schema = module.schema()
    df = quiet_generate(
        schema, 100_000, seed=5, shape={"col3": {"expr": "col1 * col2"}}
    )
    schema.validate(df)
    assert len(df) == 100_000


@pytest.mark.parametrize(
    ("shape", "match"),
    [
        ({"expr": "quantity * 1.5"}, "not whole"),
        ({"expr": "nothing + 1"}, "names no other column"),
        ({"expr": "quantity +* 2"}, "could not be evaluated"),
        ({"expr": "doubled + 1"}, "refers to the column itself"),
        ({"expr": ""}, "expr must be a pandas expression"),
        ({"expr": "quantity", "dist": "normal", "mean": 0, "std": 1}, "cannot apply"),
    ],
)
def test_expr_errors_name_the_column(shape, match):
    with pytest.raises(InvalidShapeError, match=match) as info:
        quiet_generate(ORDERS, 50, seed=1, shape={"doubled": shape})
    assert "column 'doubled'" in str(info.value)


def test_a_cycle_of_exprs_is_an_error_naming_it():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(float, metadata=meta(expr="b + 1")),
            "b": pa.Column(float, metadata=meta(expr="a + 1")),
        }
    )
    with pytest.raises(InvalidShapeError, match=r"cycle.*'a'.*'b'"):
        generate(schema, 5, seed=1)


def test_exprs_chain_in_dependency_order():
    schema = pa.DataFrameSchema(
        {
            "c": pa.Column(float, metadata=meta(expr="b * 2")),
            "b": pa.Column(float, metadata=meta(expr="a + 1")),
            "a": pa.Column(float, C.in_range(0, 1)),
        }
    )
    df = generate(schema, 100, seed=2)
    assert (df["b"] == df["a"] + 1).all()
    assert (df["c"] == df["b"] * 2).all()


# --------------------------------------------------------------------------
# after
# --------------------------------------------------------------------------

STAYS = pa.DataFrameSchema(
    {
        "admitted": pa.Column(
            "datetime64[s]",
            C.in_range(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")),
        ),
        "discharged": pa.Column(
            "datetime64[ns]",
            C.le(pd.Timestamp("2025-01-31")),
            metadata=meta(
                after="admitted",
                gap={"dist": "gamma", "shape": 2, "scale": 3, "unit": "D"},
            ),
        ),
        "start": pa.Column(int, C.in_range(0, 1000)),
        "stop": pa.Column(int, C.le(1200), metadata=meta(after="start")),
        "x": pa.Column(float, C.in_range(0, 10)),
        "y": pa.Column(
            float,
            C.in_range(0, 10),
            metadata=meta(after="x", dist="normal", mean=6, std=2),
        ),
    },
    checks=[
        C(lambda d: d["discharged"] >= d["admitted"], name="discharge_after_admission"),
        C(lambda d: d["stop"] >= d["start"], name="stop_after_start"),
    ],
)


@pytest.mark.parametrize("rows", [0, 1, 3, 10, 2000])
def test_after_columns_never_precede_and_stay_valid(rows):
    df = quiet_generate(STAYS, rows, seed=rows)
    assert_exact(STAYS, df)
    assert (df["discharged"] >= df["admitted"]).all()
    assert (df["stop"] >= df["start"]).all()
    assert (df["y"] >= df["x"]).all()


def test_after_gap_follows_its_distribution():
    check_after_gap(21)


def check_after_gap(seed: int) -> None:
    df = quiet_generate(STAYS, N, seed=seed)
    days = (df["discharged"] - df["admitted"]).dt.total_seconds() / 86_400
    # the gap's upper truncation (by 2025-01-31) is far in the tail for most
    # rows; compare where no truncation can bite
    early = df["admitted"] < pd.Timestamp("2024-11-01")
    target = stats.gamma(2, scale=3)
    assert stats.kstest(days[early], target.cdf).statistic < ks_bound(int(early.sum()))
    assert days.min() >= 0


def test_after_without_gap_draws_the_columns_own_shape_above_the_start():
    df = quiet_generate(STAYS, N, seed=22)
    # y | x ~ normal(6, 2) truncated to [x, 10], row by row
    sample = df.sample(2000, random_state=0)
    u = []
    for x, y in zip(sample["x"], sample["y"], strict=True):
        d = stats.norm(6, 2)
        lo, hi = d.cdf(x), d.cdf(10)
        u.append((d.cdf(y) - lo) / (hi - lo))
    # probability integral transform: uniform if the conditional law is right
    assert stats.kstest(u, "uniform").statistic < ks_bound(len(u))


def test_after_mixes_datetime_units_and_rounds_up():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column("datetime64[ns]"),
            "b": pa.Column("datetime64[s]", metadata=meta(after="a")),
        }
    )
    df = generate(schema, 5000, seed=3)
    assert (df["b"] >= df["a"]).all()
    assert_exact(schema, df)


@pytest.mark.parametrize(
    ("columns", "shape", "match"),
    [
        (
            {"a": pa.Column(str), "b": pa.Column(float)},
            {"after": "a"},
            "after needs number, datetime, date or timedelta",
        ),
        (
            {"a": pa.Column("datetime64[ns]"), "b": pa.Column(float)},
            {"after": "a"},
            "compares a number with a datetime",
        ),
        (
            {
                "a": pa.Column(pd.DatetimeTZDtype("ns", "UTC")),
                "b": pa.Column("datetime64[ns]"),
            },
            {"after": "a"},
            "timezone-aware with a naive",
        ),
        (
            {"a": pa.Column(float), "b": pa.Column(float)},
            {"gap": {"dist": "exponential", "scale": 1}},
            "a gap needs 'after'",
        ),
        (
            {"a": pa.Column(float), "b": pa.Column(float)},
            {"after": "a", "gap": {"dist": "uniform"}},
            "has no bounds to spread over",
        ),
        (
            {"a": pa.Column(float), "b": pa.Column(float)},
            {"after": "a", "gap": {"dist": "exponential", "scale": 1, "unit": "week"}},
            "the gap's unit",
        ),
        (
            {"a": pa.Column(float), "b": pa.Column(float)},
            {
                "after": "a",
                "gap": {"dist": "exponential", "scale": 1},
                "dist": "normal",
                "mean": 0,
                "std": 1,
            },
            "either a gap",
        ),
        (
            {"a": pa.Column(float), "b": pa.Column(float)},
            {"after": "b"},
            "after names the column itself",
        ),
    ],
)
def test_after_errors_name_the_column(columns, shape, match):
    schema = pa.DataFrameSchema(columns)
    with pytest.raises((InvalidShapeError, UnsupportedSchemaError), match=match) as e:
        generate(schema, 10, seed=1, shape={"b": shape})
    assert "column 'b'" in str(e.value)


# --------------------------------------------------------------------------
# sorted
# --------------------------------------------------------------------------


def _is_sorted(s: pd.Series) -> bool:
    return bool(s.is_monotonic_increasing)


EVENTS = pa.DataFrameSchema(
    {
        "ts": pa.Column(
            "datetime64[ns]",
            C(_is_sorted, name="monotonic_ts"),
            metadata=meta(sorted="increasing"),
        ),
        "seq": pa.Column(int, C.ge(0), unique=True),
        "level": pa.Column(float, C.in_range(0, 1), nullable=True),
        "countdown": pa.Column(
            int,
            [
                C.in_range(0, 10**6),
                C(lambda s: s.is_monotonic_decreasing, name="falling"),
            ],
            metadata=meta(sorted="decreasing"),
        ),
    }
)


@pytest.mark.parametrize("rows", [0, 1, 2, 10, 10_000])
def test_sorted_columns_meet_monotonic_checks_without_rejection(rows):
    df = quiet_generate(EVENTS, rows, seed=rows)
    assert_exact(EVENTS, df)
    assert df["ts"].is_monotonic_increasing
    assert df["countdown"].is_monotonic_decreasing


def test_sorting_rows_keeps_row_relations():
    schema = pa.DataFrameSchema(
        {
            "start": pa.Column(
                float, C.in_range(0, 100), metadata=meta(sorted="increasing")
            ),
            "end": pa.Column(float, C.in_range(0, 200), metadata=meta(after="start")),
            "label": pa.Column(float, metadata=meta(expr="end - start")),
        }
    )
    df = generate(schema, 3000, seed=7)
    assert df["start"].is_monotonic_increasing
    assert (df["end"] >= df["start"]).all()
    assert (df["label"] == df["end"] - df["start"]).all()


def test_two_sorted_columns_related_by_after_stay_in_order():
    schema = pa.DataFrameSchema(
        {
            "start": pa.Column("datetime64[ns]", metadata=meta(sorted="increasing")),
            "end": pa.Column(
                "datetime64[ns]",
                metadata=meta(
                    sorted="increasing",
                    after="start",
                    gap={"dist": "exponential", "scale": 30, "unit": "min"},
                ),
            ),
        }
    )
    df = generate(schema, 5000, seed=8)
    assert df["start"].is_monotonic_increasing
    assert df["end"].is_monotonic_increasing
    assert (df["end"] >= df["start"]).all()


def test_unrelated_second_sorted_column_in_another_direction_is_refused():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(float, metadata=meta(sorted="increasing")),
            "b": pa.Column(float, metadata=meta(sorted="decreasing", after="c")),
            "c": pa.Column(float),
        }
    )
    with pytest.raises(UnsupportedSchemaError, match="a second sorted column"):
        generate(schema, 5, seed=1)


def test_a_sorted_index_meets_a_monotonic_index_check_without_rejection():
    schema = pa.DataFrameSchema(
        {"a": pa.Column(float, C.in_range(0, 1)), "b": pa.Column(float)},
        index=pa.Index(
            "datetime64[ns]",
            C(lambda s: s.is_monotonic_increasing, name="ordered_index"),
            unique=True,
            metadata=meta(sorted="increasing"),
        ),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no rejection, so no SlowPathWarning
        for rows in (0, 1, 2, 50, 5000):
            df = generate(schema, rows, seed=rows)
            assert_exact(schema, df)
            assert df.index.is_monotonic_increasing


def test_a_sorted_multiindex_level_orders_the_rows():
    schema = pa.DataFrameSchema(
        {"a": pa.Column(float)},
        index=pa.MultiIndex(
            [
                pa.Index(str, C.isin(["x", "y"]), name="k"),
                pa.Index(int, C.ge(0), name="t", metadata=meta(sorted="decreasing")),
            ]
        ),
    )
    df = generate(schema, 500, seed=3)
    assert_exact(schema, df)
    assert df.index.get_level_values("t").is_monotonic_decreasing


@pytest.mark.parametrize(
    ("index", "match"),
    [
        (
            pa.MultiIndex(
                [
                    pa.Index(int, name="a", metadata=meta(sorted="increasing")),
                    pa.Index(int, name="b", metadata=meta(sorted="increasing")),
                ]
            ),
            "sorted on more than one index level",
        ),
        (
            pa.Index(float, name="i", metadata=meta(expr="x * 2")),
            "given, after and expr on an index level",
        ),
    ],
)
def test_unsupported_index_relations_are_refused_clearly(index, match):
    schema = pa.DataFrameSchema({"x": pa.Column(float)}, index=index)
    with pytest.raises(UnsupportedSchemaError, match=match):
        generate(schema, 5, seed=1)


def test_a_second_sorted_column_cannot_be_correlated():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(float, metadata=meta(sorted="increasing")),
            "b": pa.Column(float, metadata=meta(sorted="increasing")),
            "c": pa.Column(float),
        },
        metadata={"synthdata": {"correlations": [["b", "c", 0.5]]}},
    )
    with pytest.raises(UnsupportedSchemaError, match="undo its correlations"):
        generate(schema, 5, seed=1)


def test_bad_sorted_value_is_an_error():
    with pytest.raises(InvalidShapeError, match="sorted must be 'increasing'"):
        generate(
            pa.DataFrameSchema({"a": pa.Column(float, metadata=meta(sorted="up"))}), 3
        )


# --------------------------------------------------------------------------
# correlations
# --------------------------------------------------------------------------

TARGETS = [["age", "income", 0.6], ["income", "spend", 0.75], ["age", "spend", 0.3]]
TARGETS += [["risk", "income", -0.4], ["opened", "age", 0.5]]


def correlated(targets=TARGETS) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "age": pa.Column(
                int, C.in_range(18, 90), metadata=meta(dist="normal", mean=45, std=15)
            ),
            "income": pa.Column(
                float,
                C.in_range(0, 500_000),
                metadata=meta(dist="lognormal", mu=10.5, sigma=0.6),
            ),
            "spend": pa.Column(float, [C.ge(0), C.le(50_000)], nullable=True),
            "risk": pa.Column(
                float, C.in_range(0, 1), metadata=meta(dist="beta", a=2, b=5)
            ),
            "opened": pa.Column(
                "datetime64[ns]",
                C.in_range(pd.Timestamp("2010-01-01"), pd.Timestamp("2024-12-31")),
            ),
            "note": pa.Column(str, C.str_length(1, 5)),
        },
        metadata={"synthdata": {"correlations": targets}},
    )


def _spearman(df: pd.DataFrame, a: str, b: str) -> float:
    pair = df[[a, b]].dropna()
    if pd.api.types.is_datetime64_any_dtype(pair[a]):
        pair[a] = pair[a].astype("int64")
    if pd.api.types.is_datetime64_any_dtype(pair[b]):
        pair[b] = pair[b].astype("int64")
    return float(stats.spearmanr(pair[a], pair[b]).statistic)


def check_correlations(seed: int) -> None:
    schema = correlated()
    df = generate(schema, N, seed=seed)
    assert_exact(schema, df)
    for a, b, rho in TARGETS:
        assert abs(_spearman(df, a, b) - rho) < 0.02, (a, b, rho, seed)
    # the marginals keep their own shapes
    report = describe(df, schema)
    ks = report.table[report.table["measure"] == "ks"]
    assert (ks["distance"] < ks["n"].map(ks_bound)).all(), str(report)


def test_correlations_meet_spearman_targets_with_bounds_and_shapes():
    check_correlations(31)


def test_correlations_in_a_model_config_and_on_ordered_categories():
    class Model(pa.DataFrameModel):
        grade: pd.CategoricalDtype = pa.Field(
            dtype_kwargs={"categories": ["low", "mid", "high"], "ordered": True}
        )
        score: float = pa.Field(in_range={"min_value": 0, "max_value": 100})
        flag: bool

        class Config:
            metadata = {  # noqa: RUF012 (pandera reads a plain class attribute)
                "synthdata": {
                    "correlations": [["grade", "score", 0.6], ["flag", "score", -0.3]]
                }
            }

    df = generate(Model, 50_000, seed=9)
    Model.validate(df)
    codes = df["grade"].cat.codes
    # three levels and a bool leave many ties; the copula counts them in
    assert abs(stats.spearmanr(codes, df["score"]).statistic - 0.6) < 0.02
    assert abs(stats.spearmanr(df["flag"], df["score"]).statistic + 0.3) < 0.02


@pytest.mark.parametrize("seed", [1, 2])
def test_ties_are_counted_in_for_weighted_categories_and_small_int_ranges(seed):
    schema = pa.DataFrameSchema(
        {
            "tier": pa.Column(
                pd.CategoricalDtype(["basic", "plus", "gold"], ordered=True),
                metadata=meta(weights={"basic": 70, "plus": 25, "gold": 5}),
            ),
            "churned": pa.Column(bool, metadata=meta(p_true=0.12)),
            "visits": pa.Column(
                int, C.in_range(0, 30), metadata=meta(dist="poisson", lam=2)
            ),
            "income": pa.Column(float, C.in_range(0, 300_000)),
        },
        metadata={
            "synthdata": {
                "correlations": [
                    ["tier", "income", 0.5],
                    ["income", "churned", -0.3],
                    ["visits", "income", 0.4],
                ]
            }
        },
    )
    df = generate(schema, N, seed=seed)
    assert (
        abs(_spearman(df.assign(tier=df["tier"].cat.codes), "tier", "income") - 0.5)
        < 0.02
    )
    assert abs(_spearman(df, "income", "churned") + 0.3) < 0.02
    assert abs(_spearman(df, "visits", "income") - 0.4) < 0.02


def test_targets_ties_cannot_reach_are_capped_with_a_warning():
    schema = pa.DataFrameSchema(
        {"flag": pa.Column(bool, metadata=meta(p_true=0.05)), "x": pa.Column(float)},
        metadata={"synthdata": {"correlations": [["flag", "x", 0.9]]}},
    )
    with pytest.warns(
        ShapeWarning,
        match=r"ties among a column's few values .*'flag'~'x' \+0.900 -> \+0.[0-9]+",
    ):
        df = generate(schema, 50_000, seed=1)
    report = describe(df, schema)
    assert report.distance("x", "spearman") < 0.02  # against the capped target


def test_correlated_unique_columns_stay_unique():
    schema = pa.DataFrameSchema(
        {
            "id": pa.Column(int, C.ge(0), unique=True),
            "x": pa.Column(float, unique=True),
        },
        metadata={"synthdata": {"correlations": [["id", "x", 0.9]]}},
    )
    df = generate(schema, 20_000, seed=4)
    assert_exact(schema, df)
    assert abs(_spearman(df, "id", "x") - 0.9) < 0.02


def test_an_invalid_matrix_is_repaired_with_a_warning_naming_the_pairs():
    targets = [["a", "b", 0.9], ["b", "c", 0.9], ["a", "c", -0.9]]
    schema = pa.DataFrameSchema(
        {k: pa.Column(float, C.in_range(0, 1)) for k in "abc"},
        metadata={"synthdata": {"correlations": targets}},
    )
    with pytest.warns(ShapeWarning, match=r"'a'~'b' \+0.900 -> .*'a'~'c' -0.900 ->"):
        df = generate(schema, 50_000, seed=5)
    report = describe(df, schema)
    corr = report.table[report.table["measure"] == "spearman"]
    # the repaired targets are met, and they are a valid correlation matrix
    assert (corr["distance"] < 0.02).all(), str(report)
    achieved = df.corr("spearman").to_numpy()
    assert np.linalg.eigvalsh(achieved).min() > 0


@pytest.mark.parametrize(
    ("targets", "match"),
    [
        ([["age", "nope", 0.5]], "name 'nope', which is not a column"),
        ([["age", "income", 1.5]], "between -1 and 1"),
        ([["age", "age", 0.5]], "pair 'age' with itself"),
        ([["age", "note", 0.5]], "string column, which has no rank correlation"),
        ([["age", "income", 0.5], ["income", "age", 0.4]], "two values"),
        ([["age", "income"]], r"\[column, column, rho\] triples"),
        ("age~income", "non-empty list"),
    ],
)
def test_bad_correlations_are_clear_errors(targets, match):
    with pytest.raises(InvalidShapeError, match=match):
        generate(correlated(targets), 10, seed=1)


def test_unknown_schema_level_keys_are_refused():
    schema = pa.DataFrameSchema(
        {"a": pa.Column(float)}, metadata={"synthdata": {"correlation": []}}
    )
    with pytest.raises(InvalidShapeError, match="unknown schema-level shape keys"):
        generate(schema, 3)


def test_correlating_a_derived_column_is_refused():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(float),
            "b": pa.Column(float, metadata=meta(expr="a * 2")),
        },
        metadata={"synthdata": {"correlations": [["a", "b", 0.5]]}},
    )
    with pytest.raises(
        UnsupportedSchemaError, match="correlate the column it depends on"
    ):
        generate(schema, 3)


# --------------------------------------------------------------------------
# every relation together: determinism and validity
# --------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [0, 1, 7, 500])
def test_relations_are_deterministic_per_seed(rows):
    for schema in (TIERS, ORDERS, STAYS, EVENTS, correlated()):
        a = quiet_generate(schema, rows, seed=99)
        b = quiet_generate(schema, rows, seed=99)
        pd.testing.assert_frame_equal(a, b)


def test_a_frame_check_met_by_a_declared_relation_draws_no_slow_path_warning():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(float, C.in_range(0, 1)),
            "b": pa.Column(float, metadata=meta(expr="a * 3")),
        },
        checks=C(lambda d: d["b"] == d["a"] * 3, name="b_is_3a"),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = generate(schema, 1000, seed=1)
    assert (df["b"] == df["a"] * 3).all()
    # a check the relation does not cover still warns
    other = schema.add_columns({"c": pa.Column(int, C(lambda s: s % 2 == 0))})
    with pytest.warns(SlowPathWarning, match="custom check"):
        generate(other, 1000, seed=1)


def test_frames_keep_declared_relations_and_model_correlations():
    from hypothesis import HealthCheck, given, settings

    from pytest_synthdata.strategies import frames

    class Model(pa.DataFrameModel):
        a: int = pa.Field(in_range={"min_value": 0, "max_value": 100})
        b: float = pa.Field(in_range={"min_value": -5, "max_value": 5})
        c: float = pa.Field(metadata=meta(expr="a * b"))
        t: float = pa.Field(
            in_range={"min_value": 0, "max_value": 10},
            metadata=meta(sorted="increasing"),
        )
        u: float = pa.Field(
            in_range={"min_value": 0, "max_value": 20}, metadata=meta(after="t")
        )

        class Config:
            metadata = {"synthdata": {"correlations": [["a", "b", 0.9]]}}  # noqa: RUF012

        @pa.dataframe_check
        def relations(cls, d: pd.DataFrame) -> pd.Series:
            ordered = d["t"].is_monotonic_increasing
            return (d["c"] == d["a"] * d["b"]) & (d["u"] >= d["t"]) & ordered

    seen = []

    @settings(max_examples=60, suppress_health_check=list(HealthCheck))
    @given(frames(Model, max_rows=30))
    def check(df):
        Model.validate(df)
        seen.append(df)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SlowPathWarning)
        check()
    assert len(seen) == 60
    pooled = pd.concat(seen)
    assert len(pooled) >= 100
    # the pools carry the model's correlation (edge injections add noise)
    assert _spearman(pooled, "a", "b") > 0.5


# --------------------------------------------------------------------------
# hostile and fresh-user rounds: each of these failed before its fix
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "columns",
    [
        {  # a computed unique column whose values repeat: repeats redrawn
            "a": pa.Column(int, C.in_range(0, 1000)),
            "c": pa.Column(int, unique=True, metadata=meta(expr="a % 700")),
        },
        {  # after on a unique column
            "s": pa.Column(int),
            "e": pa.Column(int, unique=True, metadata=meta(after="s")),
        },
        {  # expr into Decimal (rounded to its places) and Date
            "a": pa.Column(int, C.in_range(0, 100)),
            "d": pa.Column(pa.Decimal(10, 2), metadata=meta(expr="a * 1.234")),
            "t": pa.Column("datetime64[ns]"),
            "day": pa.Column(pa.Date, metadata=meta(expr="t")),
        },
        {  # expr into a narrower float and a nullable boolean with NA
            "a": pa.Column(float),
            "c": pa.Column("float32", metadata=meta(expr="a / 3")),
            "b": pa.Column("boolean", nullable=True),
            "nb": pa.Column("boolean", nullable=True, metadata=meta(expr="~b")),
            "i": pa.Column("Int64", nullable=True),
            "pos": pa.Column("boolean", nullable=True, metadata=meta(expr="i > 0")),
        },
        {  # numpy warnings of the expression stay inside
            "a": pa.Column(float),
            "r": pa.Column(float, nullable=True, metadata=meta(expr="sqrt(a)")),
        },
    ],
)
def test_computed_columns_stay_valid_in_every_dtype(columns):
    schema = pa.DataFrameSchema(columns)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        df = generate(schema, 600, seed=2)
    assert_exact(schema, df)


def test_joint_unique_nullable_columns_get_no_late_nulls():
    schema = pa.DataFrameSchema(
        {
            "n": pa.Column(int, C.in_range(0, 5)),
            "s": pa.Column(float, nullable=True),
            "z": pa.Column(float, metadata=meta(sorted="increasing")),
        },
        unique=["n", "s"],
    )
    df = generate(schema, 1000, seed=1)
    assert_exact(schema, df)


def test_a_second_sorted_column_in_a_joint_unique_group_is_refused():
    schema = pa.DataFrameSchema(
        {
            "x": pa.Column(int, C.in_range(0, 1)),
            "y": pa.Column(int, metadata=meta(sorted="decreasing")),
            "z": pa.Column(int, C.in_range(0, 99), metadata=meta(sorted="increasing")),
        },
        unique=["x", "z"],
    )
    with pytest.raises(UnsupportedSchemaError, match="unique together"):
        generate(schema, 150, seed=1)


@pytest.mark.parametrize(
    ("shape", "error", "match"),
    [
        (
            {"after": "a", "gap": {"dist": "zipf", "a": 2}},
            InvalidShapeError,
            "zipf gap",
        ),
        ({"after": "a", "dist": "zipf", "a": 2}, InvalidShapeError, "zipf"),
        (
            {"after": "a", "gap": {"dist": "exponential", "scale": 1, "unit": "h"}},
            InvalidShapeError,
            "a gap's unit applies to time columns",
        ),
    ],
)
def test_after_refusals(shape, error, match):
    schema = pa.DataFrameSchema({"a": pa.Column(int), "b": pa.Column(int)})
    with pytest.raises(error, match=match):
        generate(schema, 10, seed=1, shape={"b": shape})


def test_after_beyond_int64_is_refused_clearly():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column("uint64", C.ge(2**63 + 5)),
            "b": pa.Column("uint64", metadata=meta(after="a")),
        }
    )
    with pytest.raises(UnsupportedSchemaError, match="beyond 2"):
        generate(schema, 10, seed=1)


def test_empirical_gap_with_duration_literals():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column("datetime64[ns]"),
            "b": pa.Column(
                "datetime64[ns]",
                metadata=meta(
                    after="a",
                    gap={
                        "dist": "empirical",
                        "quantiles": [[0, "0s"], [0.5, "1h"], [1, "30h"]],
                    },
                ),
            ),
        }
    )
    df = generate(schema, 20_000, seed=1)
    hours = (df["b"] - df["a"]).dt.total_seconds() / 3600
    assert abs((hours <= 1).mean() - 0.5) < 0.02
    assert hours.max() <= 30


@pytest.mark.parametrize(
    ("column", "key"),
    [
        (pa.Column(pd.CategoricalDtype([1, 2, 3])), "1"),
        (
            pa.Column(
                pa.Decimal(4, 1),
                C.isin([decimal.Decimal("1.5"), decimal.Decimal("2.5")]),
            ),
            "1.5",
        ),
        (
            pa.Column(pa.Date, C.isin([dt.date(2020, 1, 1), dt.date(2020, 2, 1)])),
            "2020-01-01",
        ),
    ],
)
def test_case_keys_read_from_files_as_strings(column, key):
    schema = pa.DataFrameSchema(
        {
            "a": column,
            "x": shifted_by("a", key, 50),
        }
    )
    df = generate(schema, 3000, seed=1)
    means = df.groupby(df["a"].astype(str), observed=True)["x"].mean()
    assert means[key] > 45
    assert (means.drop(key) < 5).all()


def test_rows_whose_given_column_turns_null_keep_the_columns_own_shape():
    schema = pa.DataFrameSchema(
        {
            "tier": pa.Column(str, C.isin(["gold", "basic"]), nullable=True),
            "spend": shifted_by("tier", "gold", 100),
        }
    )
    df = generate(schema, 10_000, seed=1)
    orphans = df.loc[df["tier"].isna(), "spend"]
    assert len(orphans) == 1000
    assert abs(orphans.mean()) < 5 / math.sqrt(len(orphans))


def test_correlations_survive_custom_checks_that_drop_rows():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(
                float, [C.in_range(-10, 10), C(lambda s: s > 0, name="positive")]
            ),
            "b": pa.Column(float, C.in_range(-10, 10)),
        },
        metadata={"synthdata": {"correlations": [["a", "b", 0.8]]}},
    )
    df = quiet_generate(schema, 20_000, seed=3)
    assert_exact(schema, df)
    assert abs(_spearman(df, "a", "b") - 0.8) < 0.02


def test_pairs_left_out_of_the_correlations_are_free():
    targets = [["t", "ice", 0.8], ["t", "heat", -0.7], ["t", "hum", -0.3]]
    schema = pa.DataFrameSchema(
        {k: pa.Column(float, C.in_range(0, 1)) for k in ["t", "ice", "heat", "hum"]},
        metadata={"synthdata": {"correlations": targets}},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ShapeWarning)  # a valid completion exists
        df = generate(schema, 50_000, seed=1)
    for a, b, rho in targets:
        assert abs(_spearman(df, a, b) - rho) < 0.02
    assert set(describe(df, schema).table["column"]) == {
        "t ~ ice",
        "t ~ heat",
        "t ~ hum",
    }


def test_a_declared_null_rate_on_a_source_of_a_non_nullable_expr_is_refused():
    schema = pa.DataFrameSchema(
        {
            "q": pa.Column(int, C.in_range(1, 5)),
            "p": pa.Column(float, nullable=True, metadata=meta(null_rate=0.3)),
            "t": pa.Column(float, metadata=meta(expr="q * p")),
        }
    )
    with pytest.raises(
        InvalidShapeError,
        match=r"column 'p': null_rate=0.3 .* make column 't' nullable",
    ):
        generate(schema, 10, seed=1)
    # without a declared rate the source simply gets no nulls, and says so
    plain = schema.update_column("p", metadata=None)
    df = generate(plain, 2000, seed=1)
    assert df["p"].notna().all()
    report = describe(df, plain)
    assert report.table.query("measure == 'null_rate'")["distance"].max() == 0


def test_correlating_a_given_column_names_how_it_is_drawn():
    schema = pa.DataFrameSchema(
        {
            "k": pa.Column(bool),
            "x": pa.Column(
                float,
                metadata=meta(
                    given={
                        "column": "k",
                        "cases": {True: {"dist": "normal", "mean": 1, "std": 1}},
                    }
                ),
            ),
            "y": pa.Column(float),
        },
        metadata={"synthdata": {"correlations": [["x", "y", 0.5]]}},
    )
    with pytest.raises(
        UnsupportedSchemaError, match=r"drawn per value of 'k' \(given\)"
    ):
        generate(schema, 10, seed=1)


def test_an_unreachable_computed_column_says_what_to_change():
    schema = pa.DataFrameSchema(
        {
            "q": pa.Column(int, C.in_range(1, 10)),
            "p": pa.Column(float, C.in_range(1, 100)),
            "t": pa.Column(float, C.gt(5000), metadata=meta(expr="q * p")),
        }
    )
    with pytest.raises(
        ChecksUnmetError,
        match=r"expr 'q \* p' on column 't' \(0.0%\).*widen those checks",
    ):
        generate(schema, 50, seed=1)


def test_describe_skips_what_the_frame_lacks_and_finds_cases_and_pairs():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(float, C.in_range(0, 1)),
            "b": pa.Column(float, metadata=meta(after="a")),
            "c": pa.Column(float, metadata=meta(expr="a * 2")),
            "k": pa.Column(bool),
            "x": shifted_by("k", True, 5),
            "y": pa.Column(float, C.in_range(0, 1)),
        },
        metadata={"synthdata": {"correlations": [["a", "y", 0.5]]}},
    )
    df = generate(schema, 5000, seed=1)
    for column in schema.columns:
        describe(df.drop(columns=column), schema)  # no KeyError
    report = describe(df, schema)
    assert "x | k=True" in str(report)
    assert report.distance("x", "ks") < 0.05
    assert report.distance("y", "spearman") == report.distance("a", "spearman")


def test_describe_reads_the_per_call_shape_a_frame_records():
    schema = pa.DataFrameSchema({"s": pa.Column(str, C.isin(["a", "b"]))})
    df = generate(schema, 5000, seed=1, shape={"s": {"weights": {"a": 9, "b": 1}}})
    assert describe(df, schema).distance("s", "tvd") < 0.02


def test_describe_zipf_without_an_upper_bound():
    schema = pa.DataFrameSchema(
        {"x": pa.Column(int, C.ge(1), metadata=meta(dist="zipf", a=2))}
    )
    df = generate(schema, 20_000, seed=1)
    assert describe(df, schema).distance("x", "ks") < ks_bound(20_000)


@pytest.mark.parametrize(
    ("column", "spread"),
    [
        (pa.Column(int, C.ge(0), metadata=meta(dist="poisson", lam=2)), None),
        (pa.Column(int, metadata=meta(dist="normal", mean=5, std=1)), None),
        (
            pa.Column(
                "datetime64[ns]",
                C.in_range(
                    pd.Timestamp("2024-01-01"),
                    pd.Timestamp("2024-01-01") + pd.Timedelta(5, "ns"),
                ),
            ),
            "ns",
        ),
    ],
    ids=["poisson-dtype-bound", "normal-unbounded", "datetime-few-values"],
)
def test_ties_are_counted_wherever_a_column_has_few_values(column, spread):
    # a concentrated distribution on an int column bounded only by its dtype,
    # or a time range of a few values, ties as much as a short isin list
    schema = pa.DataFrameSchema(
        {"a": column, "b": pa.Column(float)},
        metadata={"synthdata": {"correlations": [["a", "b", 0.6]]}},
    )
    df = generate(schema, N, seed=3)
    schema.validate(df)
    noise = 5 * (1 - 0.6**2) / math.sqrt(N)
    assert df["a"].nunique() < 20
    ranks = df.rank()  # exact for nanosecond timestamps, unlike floats
    assert abs(_spearman(ranks, "a", "b") - 0.6) < noise


def test_custom_checks_that_drop_rows_keep_given_columns_on_their_case():
    # rows a custom check drops weaken a correlation; restoring it must not
    # move a column away from the rows whose case it was drawn for
    cases = {
        "a": {"dist": "normal", "mean": 10, "std": 1},
        "b": {"dist": "normal", "mean": 90, "std": 1},
    }
    schema = pa.DataFrameSchema(
        {
            "x": pa.Column(
                float, [C.in_range(0, 100), C(lambda s: s > 30, name="above_30")]
            ),
            "c": pa.Column(pd.CategoricalDtype(["a", "b"], ordered=True)),
            "g": pa.Column(
                float,
                C.in_range(0, 100),
                metadata=meta(given={"column": "c", "cases": cases}),
            ),
            "t": pa.Column(int, metadata=meta(sorted="increasing")),
        },
        metadata={"synthdata": {"correlations": [["x", "c", 0.7], ["x", "t", 0.3]]}},
    )
    df = quiet_generate(schema, 5000, seed=1)
    schema.validate(df)
    means = df.groupby("c", observed=True)["g"].mean()
    assert abs(means["a"] - 10) < 0.2
    assert abs(means["b"] - 90) < 0.2
    assert df["t"].is_monotonic_increasing


@pytest.mark.parametrize(
    ("dtype", "unit", "starts"),
    [
        (
            "datetime64[ns]",
            "D",
            C.in_range(pd.Timestamp("2029-11-01"), pd.Timestamp("2029-12-31")),
        ),
        (int, None, C.in_range(9_950, 10_000)),
        (float, None, C.in_range(90.0, 100.0)),
    ],
)
def test_a_gap_is_not_cut_short_where_the_column_has_no_upper_check(
    dtype, unit, starts
):
    # starts at the top of the window an unchecked column is drawn from by
    # default: their ends still get the whole gap
    gap = {"dist": "exponential", "scale": 30}
    if unit:
        gap["unit"] = unit
    schema = pa.DataFrameSchema(
        {
            "start": pa.Column(dtype, starts),
            "end": pa.Column(dtype, metadata=meta(after="start", gap=gap)),
        }
    )
    df = generate(schema, 50_000, seed=2)
    schema.validate(df)
    diff = df["end"] - df["start"]
    if unit:
        diff = diff.dt.total_seconds() / 86_400
    assert abs(diff.mean() - 30) < 5 * 30 / math.sqrt(len(df))
    assert stats.kstest(diff, stats.expon(scale=30).cdf).statistic < ks_bound(
        50_000
    ) + (1 / 86_400 if unit else 1 / 30)


def test_float_gaps_draw_without_numpy_warnings():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(float, C.le(100)),
            "b": pa.Column(
                float,
                C.le(100),
                metadata=meta(
                    after="a", gap={"dist": "lognormal", "mu": 0, "sigma": 1}
                ),
            ),
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        df = generate(schema, 20_000, seed=1)
    assert (df["b"] >= df["a"]).all()


# the statistical checks above, over 20 seeds each (slow)
SWEEPS = {"given": check_given, "after_gap": check_after_gap}
SWEEPS["correlations"] = check_correlations


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SWEEPS))
@pytest.mark.parametrize("seed", range(20))
def test_sweep(name: str, seed: int) -> None:
    SWEEPS[name](1000 * (1 + list(SWEEPS).index(name)) + seed)
