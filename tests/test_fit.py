"""fit(): a shape from real data, its files, and what must never leave.

Recovery: data drawn from known shapes are fitted, and each parameter must
come back within five standard errors (the sample's, at 50,000 rows), each
family chosen as the one drawn. Privacy: no identifier value, no single
record's extreme and no rare value stands out in the export.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from pytest_synthdata import Shape, fit, generate
from pytest_synthdata.errors import (
    InvalidArgumentError,
    InvalidShapeError,
    UnsupportedSchemaError,
)
from tests.conftest import assert_exact, meta

C = pa.Check
N = 50_000

DECLARED = pa.DataFrameSchema(
    {
        "amount": pa.Column(
            float, C.gt(0), metadata=meta(dist="lognormal", mu=3, sigma=0.8)
        ),
        "age": pa.Column(
            int, C.in_range(18, 99), metadata=meta(dist="normal", mean=40, std=12)
        ),
        "visits": pa.Column(int, C.ge(0), metadata=meta(dist="poisson", lam=4)),
        "ratio": pa.Column(
            float, C.in_range(0, 1), metadata=meta(dist="beta", a=2, b=5)
        ),
        "status": pa.Column(
            str,
            C.isin(["ok", "late", "lost", "never"]),
            metadata=meta(weights={"ok": 90, "late": 9, "lost": 1, "never": 0}),
        ),
        "note": pa.Column(str, nullable=True, metadata=meta(null_rate=0.3)),
        "id": pa.Column(str, C.str_matches(r"^ID-[0-9]{8}$"), unique=True),
        "flag": pa.Column(bool, metadata=meta(p_true=0.2)),
    },
    metadata={
        "synthdata": {
            "correlations": [["amount", "age", 0.4], ["ratio", "visits", -0.3]]
        }
    },
)


def _bare(schema: pa.DataFrameSchema) -> pa.DataFrameSchema:
    """The same columns and checks, no shapes: what a team has before data."""
    return pa.DataFrameSchema(
        {
            name: pa.Column(
                col.dtype, col.checks, nullable=col.nullable, unique=col.unique
            )
            for name, col in schema.columns.items()
        }
    )


BARE = _bare(DECLARED)


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    return generate(DECLARED, N, seed=11)


@pytest.fixture(scope="module")
def fitted(real) -> Shape:
    return fit(real, BARE)


def test_each_family_is_recovered_with_its_parameters(fitted):
    cols = fitted.columns
    assert cols["amount"]["dist"] == "lognormal"
    assert abs(cols["amount"]["mu"] - 3) < 5 * 0.8 / math.sqrt(N)
    assert abs(cols["amount"]["sigma"] - 0.8) < 5 * 0.8 / math.sqrt(2 * N)
    assert cols["age"]["dist"] == "normal"  # truncated to 18..99, read as such
    assert abs(cols["age"]["mean"] - 40) < 5 * 12 / math.sqrt(N) + 0.05
    assert abs(cols["age"]["std"] - 12) < 5 * 12 / math.sqrt(2 * N) + 0.05
    assert cols["visits"] == {
        "dist": "poisson",
        "lam": pytest.approx(4, abs=5 * 2 / math.sqrt(N)),
    }
    assert cols["ratio"]["dist"] == "beta"
    assert abs(cols["ratio"]["a"] - 2) < 0.1
    assert abs(cols["ratio"]["b"] - 5) < 0.25


def test_weights_null_rates_and_correlations_are_recovered(fitted):
    weights = fitted.columns["status"]["weights"]
    for value, p in {"ok": 0.9, "late": 0.09, "lost": 0.01}.items():
        assert abs(weights[value] - p) < 5 * math.sqrt(p * (1 - p) / N)
    assert weights["never"] == 0.0
    assert abs(fitted.columns["note"]["null_rate"] - 0.3) < 0.001
    assert abs(fitted.columns["flag"]["weights"][True] - 0.2) < 5 * math.sqrt(0.16 / N)
    pairs = {frozenset(p[:2]): p[2] for p in fitted.correlations}
    assert abs(pairs[frozenset(["amount", "age"])] - 0.4) < 0.03
    assert abs(pairs[frozenset(["ratio", "visits"])] + 0.3) < 0.03
    assert fitted.notes["fitted"]["amount"].startswith("lognormal")


def test_a_fitted_shape_generates_frames_like_the_data(real, fitted, tmp_path):
    path = fitted.save(tmp_path / "claims.yaml")
    synthetic = generate(BARE, N, seed=12, shape=path)
    assert_exact(BARE, synthetic, N)
    for column in ("amount", "age", "ratio"):
        gap = abs(synthetic[column].median() - real[column].median())
        assert gap < 5 * 1.2533 * real[column].std() / math.sqrt(N) * 1.5
    rho = synthetic[["amount", "age"]].rank().corr().iloc[0, 1]
    assert abs(rho - 0.4) < 0.03
    assert synthetic.attrs["synthdata"]["shape"]["synthdata_shape"] == 1


def test_values_no_family_fits_fall_back_to_coarsened_quantiles():
    rng = np.random.default_rng(3)
    both = np.concatenate([rng.normal(10, 1, 5000), rng.normal(50, 2, 5000)])
    schema = pa.DataFrameSchema({"x": pa.Column(float)})
    shape = fit(pd.DataFrame({"x": both}), schema, k=10)
    q = shape.columns["x"]
    assert q["dist"] == "empirical"
    ends = sorted(both)
    assert q["quantiles"][0][1] == pytest.approx(ends[9], rel=1e-3)  # 10th smallest
    assert q["quantiles"][-1][1] == pytest.approx(ends[-10], rel=1e-3)
    synthetic = generate(schema, 20_000, seed=1, shape=shape)
    assert abs(synthetic["x"].median() - np.median(both)) < 3


# --------------------------------------------------------------------------
# privacy
# --------------------------------------------------------------------------


def test_a_family_is_taken_only_where_a_ks_test_would_keep_it():
    # 100 values from two humps: the nearest normal is off by about 0.18,
    # beyond the 5% critical value 1.358 / sqrt(100)
    schema = pa.DataFrameSchema({"x": pa.Column(float)})
    for seed in range(5):
        rng = np.random.default_rng(seed)
        x = np.r_[rng.normal(0, 1, 50), rng.normal(6, 1, 50)]
        shape = fit(pd.DataFrame({"x": x}), schema)
        assert shape.columns["x"]["dist"] == "empirical", shape.notes


def test_no_identifier_and_no_single_extreme_reaches_the_export(real, fitted, tmp_path):
    text = (fitted.save(tmp_path / "x.json")).read_text()
    assert not any(i in text for i in real["id"])
    skewed = pd.DataFrame(
        {"x": np.r_[np.random.default_rng(1).uniform(0, 1, 999), 1e9]}
    )
    shape = fit(skewed, pa.DataFrameSchema({"x": pa.Column(float)}))
    dumped = json.dumps(shape.to_dict())
    assert "1000000000" not in dumped
    assert "1e+09" not in dumped


def test_rare_values_are_pooled_so_none_stands_out():
    schema = pa.DataFrameSchema(
        {"s": pa.Column(str, C.isin(["common", "a", "b", "c"]))}
    )
    values = ["common"] * 500 + ["a"] * 6 + ["b"] * 5
    weights = fit(pd.DataFrame({"s": values}), schema, k=10).columns["s"]["weights"]
    # a (6), b (5) and c (never) share the rare total (11) alike
    assert weights["a"] == weights["b"] == weights["c"]
    assert weights["a"] == pytest.approx(11 / 3 / 511, rel=1e-3)
    # a rare total under k would point at those few records: dropped
    few = ["common"] * 500 + ["a"] * 3 + ["b"] * 1
    weights = fit(pd.DataFrame({"s": few}), schema, k=10).columns["s"]["weights"]
    assert weights["a"] == weights["b"] == weights["c"] == 0.0
    flags = pd.DataFrame({"f": [True] + [False] * 199})
    assert fit(flags).columns["f"]["weights"][True] == 0.0


def test_so_few_values_that_a_mean_would_show_one_are_not_fitted():
    shape = fit(
        pd.DataFrame({"x": [0.3, 123456.0]}),
        pa.DataFrameSchema({"x": pa.Column(float)}),
    )
    assert "123456" not in json.dumps(shape.to_dict())
    assert shape.columns.get("x", {}).get("dist") is None


# --------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_shape_files_round_trip(fitted, tmp_path, suffix):
    path = fitted.save(tmp_path / f"shape{suffix}")
    again = Shape.load(path)
    a = generate(BARE, 500, seed=3, shape=fitted)
    b = generate(BARE, 500, seed=3, shape=str(path))
    c = generate(BARE, 500, seed=3, shape=again.to_dict())
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_a_document_s_correlations_replace_the_schema_s():
    doc = {
        "synthdata_shape": 1,
        "columns": {},
        "correlations": [["amount", "age", -0.5]],
    }
    df = generate(DECLARED, 20_000, seed=4, shape=doc)
    assert abs(df[["amount", "age"]].rank().corr().iloc[0, 1] + 0.5) < 0.03
    kept = generate(
        DECLARED, 20_000, seed=4, shape={"synthdata_shape": 1, "columns": {}}
    )
    assert abs(kept[["amount", "age"]].rank().corr().iloc[0, 1] - 0.4) < 0.03


@pytest.mark.parametrize(
    ("write", "match"),
    [
        (lambda p: p.with_suffix(".txt"), "ends in"),
        (lambda p: p, "starts with 'synthdata_shape: 1'"),
    ],
)
def test_bad_shape_files_are_named(tmp_path, write, match):
    path = tmp_path / "s.yaml"
    path.write_text("columns: {}\n")
    target = write(path)
    if target != path:
        target.write_text("x")
    with pytest.raises(InvalidShapeError, match=match):
        generate(BARE, 5, seed=1, shape=target)


def test_a_failed_save_leaves_no_file(tmp_path):
    bad = Shape({"x": {"dist": object()}})
    with pytest.raises(InvalidShapeError, match="cannot write this shape"):
        bad.save(tmp_path / "s.yaml")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"k": 0}, "k must be a positive int"), ({"k": True}, "k must be")],
)
def test_fit_arguments_are_checked(real, kwargs, match):
    with pytest.raises(InvalidArgumentError, match=match):
        fit(real, BARE, **kwargs)


def test_fit_needs_the_schema_s_columns(real):
    with pytest.raises(InvalidArgumentError, match="does not meet the schema"):
        fit(real.drop(columns="amount"), BARE)


# --------------------------------------------------------------------------
# no schema: one is inferred, under the same rules
# --------------------------------------------------------------------------


def _people(n: int = 5000) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {
            "id": [f"P{i:06d}" for i in rng.permutation(n)],
            "age": rng.integers(18, 90, n),
            "income": np.r_[rng.lognormal(10, 0.5, n - 1), 5e7],
            "city": rng.choice(
                ["Oslo", "Bergen", "Tromsø", "Hamar"], n, p=[0.5, 0.3, 0.199, 0.001]
            ),
            "joined": pd.Timestamp("2015-01-01")
            + pd.to_timedelta(rng.integers(0, 3000, n), "D"),
            "vip": rng.random(n) < 0.1,
            "score": np.where(rng.random(n) < 0.2, np.nan, rng.normal(50, 10, n)),
        }
    )


def test_without_a_schema_one_is_inferred_and_generates_valid_frames():
    people = _people()
    shape = fit(people)
    schema = shape.schema
    assert schema.columns["id"].unique
    assert schema.columns["score"].nullable
    assert shape.columns["income"]["dist"] == "lognormal"
    assert (
        abs(shape.columns["score"]["null_rate"] - people["score"].isna().mean()) < 1e-3
    )
    synthetic = generate(schema, 2000, seed=1, shape=shape)
    assert_exact(schema, synthetic, 2000)
    assert set(synthetic["city"]) == {"Oslo", "Bergen", "Tromsø"}


def test_the_inferred_schema_names_no_single_record():
    people = _people()
    shape = fit(people)
    text = shape.schema.to_yaml() + json.dumps(shape.to_dict(), default=str)
    assert "Hamar" not in text  # seen 5 times: fewer than k
    assert not any(i in text for i in people["id"])
    assert "50000000" not in text
    assert "5e+07" not in text
    income = shape.schema.columns["income"].checks[0].statistics
    # the 10th largest income, rounded up to two significant digits
    tenth = np.sort(people["income"])[-10]
    assert tenth <= income["max_value"] < tenth * 1.1
    raw = pa.infer_schema(people).columns["income"].checks[1].statistics
    assert raw["max_value"] == 5e7  # what pandera alone would have written


def test_time_and_decimal_columns_are_fitted_as_quantiles_they_read_back():
    import datetime as dt
    import decimal

    from pytest_synthdata import compare

    rng = np.random.default_rng(1)
    n = 5000
    real = pd.DataFrame(
        {
            "t": pd.Timestamp("2020-01-01")
            + pd.to_timedelta(rng.normal(0, 30, n), "D"),
            "tz": pd.Timestamp("2020-01-01", tz="Europe/Oslo")
            + pd.to_timedelta(rng.uniform(0, 100, n), "D"),
            "d": [
                dt.date(2020, 1, 1) + dt.timedelta(days=int(x))
                for x in rng.integers(0, 400, n)
            ],
            "td": pd.to_timedelta(rng.exponential(3600, n), "s"),
            "dec": [decimal.Decimal(f"{x:.2f}") for x in rng.uniform(0, 100, n)],
        }
    )
    schema = pa.DataFrameSchema(
        {
            "t": pa.Column("datetime64[ns]"),
            "tz": pa.Column(pd.DatetimeTZDtype(tz="Europe/Oslo")),
            "d": pa.Column(pa.Date),
            "td": pa.Column("timedelta64[ns]"),
            "dec": pa.Column(pa.Decimal(5, 2)),
        }
    )
    shape = fit(real, schema)
    assert shape.columns["d"]["quantiles"][-1][1] == "2021-02-03"  # an ISO date
    synthetic = generate(schema, n, seed=1, shape=shape)
    assert_exact(schema, synthetic, n)
    table = compare(real, synthetic).table.set_index("column")
    # quantiles at 11 points, linear between: within a few percent
    assert (table["ks"] < 0.04).all()


@pytest.mark.parametrize(
    ("frame", "error", "match"),
    [
        (pd.DataFrame(), InvalidArgumentError, "no columns"),
        (
            pd.DataFrame([[1, 2]], columns=["a", "a"]),
            InvalidArgumentError,
            "repeats the columns",
        ),
        (
            pd.DataFrame({"l": [[1, 2], [3]] * 20}),
            UnsupportedSchemaError,
            "nested values",
        ),
    ],
)
def test_frames_fit_cannot_read_are_refused_clearly(frame, error, match):
    with pytest.raises(error, match=match):
        fit(frame)


def test_inferred_identifiers_and_integer_categories_generate():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(
        {
            "id": np.arange(1, 201),
            "cat": pd.Categorical(rng.choice([10, 20], 200)),
            0: rng.normal(size=200),
        }
    )
    shape = fit(frame)
    synthetic = generate(shape.schema, 200, seed=1, shape=shape)
    assert_exact(shape.schema, synthetic, 200)


def test_data_that_breaks_the_given_schema_is_refused():
    schema = pa.DataFrameSchema({"x": pa.Column(float, C.in_range(0, 1))})
    with pytest.raises(InvalidArgumentError, match="does not meet the schema"):
        fit(pd.DataFrame({"x": np.linspace(5, 50, 100)}), schema)


@pytest.mark.parametrize("epsilon", [None, 1.0])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_fits_with_point_masses_save_and_load(tmp_path, epsilon, suffix):
    # Exact zeros put quantile knots where the point mass starts and ends;
    # their positions were numpy floats, which YAML could not write.
    rng = np.random.default_rng(3)
    amounts = np.where(rng.random(5000) < 0.3, 0.0, rng.lognormal(3, 1, 5000))
    real = pd.DataFrame({"amount": amounts, "age": rng.integers(18, 90, 5000)})
    schema = pa.DataFrameSchema(
        {
            "amount": pa.Column(float, pa.Check.ge(0)),
            "age": pa.Column(int, pa.Check.in_range(0, 120)),
        }
    )
    shape = fit(real, schema, epsilon=epsilon)
    path = shape.save(tmp_path / f"shape{suffix}")
    back = Shape.load(path)
    assert back.columns == json.loads(json.dumps(shape.to_dict()))["columns"]
    assert_exact(schema, generate(schema, 500, seed=1, shape=back), 500)


def test_inferred_bounds_are_written_as_short_decimals():
    rng = np.random.default_rng(8)
    real = pd.DataFrame({"x": rng.uniform(3.81, 9.47, 2000)})
    shape = fit(real)
    check = shape.schema.columns["x"].checks[0]
    lo, hi = check.statistics["min_value"], check.statistics["max_value"]
    assert repr(lo) == "3.8"
    assert repr(hi) == "9.5"
    assert "00000" not in shape.schema.to_yaml()


def test_formatted_identifiers_keep_their_format_and_no_value():
    rng = np.random.default_rng(4)
    ids = [f"CUST-{i:06d}" for i in rng.choice(10**6, 3000, replace=False)]
    emails = [
        "".join(rng.choice(list("abcdefgh"), rng.integers(3, 9))) + "@example.com"
        for _ in range(3000)
    ]
    real = pd.DataFrame({"customer_id": ids, "email": emails})
    shape = fit(real)
    checks = {n: c.checks for n, c in shape.schema.columns.items()}
    assert checks["customer_id"][0].statistics["pattern"] == r"^CUST\-[0-9]{6}$"
    assert checks["email"][0].statistics["pattern"] == r"^[a-z]{3,8}@example\.com$"
    text = shape.schema.to_yaml() + json.dumps(shape.to_dict())
    assert not any(value in text for value in ids)
    synthetic = generate(shape.schema, 3000, seed=1, shape=shape)
    assert synthetic["customer_id"].is_unique
    assert synthetic["customer_id"].str.fullmatch(r"CUST-\d{6}").all()


def test_text_without_one_format_gets_no_pattern():
    real = pd.DataFrame(
        {
            "note": [
                f"call back {'soon' if i % 3 else 'at 5'} pls {i}" for i in range(500)
            ]
        }
    )
    assert not shape_checks(fit(real), "note")


def shape_checks(shape, name):
    return [c for c in shape.schema.columns[name].checks if c.name == "str_matches"]
