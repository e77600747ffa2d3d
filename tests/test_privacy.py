"""fit(epsilon=...): every exported number under one stated budget.

The mechanism is checked against its own distribution (two-sided geometric
noise, whose probability ratio between neighbouring counts is bounded by
epsilon), the budget against its sum, and the fitted shapes against the
data they were fitted to, with tolerances made of the added noise's scale
and the sample's own error. The noise is made repeatable here by replacing
``noise_source``; in use it comes from the operating system's entropy.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from pytest_synthdata import Shape, _privacy, fit, generate
from pytest_synthdata.__main__ import main
from pytest_synthdata.errors import InvalidArgumentError, UnsupportedSchemaError
from tests.conftest import assert_exact
from tests.test_fit import BARE, DECLARED, N

C = pa.Check


@pytest.fixture(autouse=True)
def repeatable_noise(monkeypatch):
    seeds = itertools.count(1000)
    monkeypatch.setattr(
        _privacy, "noise_source", lambda: np.random.default_rng(next(seeds))
    )


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    return generate(DECLARED, N, seed=11)


def _fit(df, schema, epsilon, seed=0):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_privacy, "noise_source", lambda: np.random.default_rng(seed))
        return fit(df, schema, epsilon=epsilon)


@pytest.fixture(scope="module")
def private(real) -> Shape:
    return _fit(real, BARE, 1.0)


# --------------------------------------------------------------------------
# the mechanism
# --------------------------------------------------------------------------


def test_the_noise_has_the_two_sided_geometric_distribution():
    scale, draws = 2.5, 400_000
    noise = _privacy.geometric_noise(np.random.default_rng(0), scale, draws)
    assert noise.dtype.kind == "i"
    q = math.exp(-1 / scale)
    for k in range(-6, 7):
        expected = (1 - q) / (1 + q) * q ** abs(k)
        seen = float(np.mean(noise == k))
        assert abs(seen - expected) < 5 * math.sqrt(expected / draws)


def test_neighbouring_histograms_are_within_e_to_the_epsilon():
    # one record moved from the first cell to the second: L1 distance 2
    epsilon, draws = 1.0, 300_000
    a = _privacy.noisy_counts(
        np.tile([5, 3], (draws, 1)), epsilon, np.random.default_rng(1)
    )
    b = _privacy.noisy_counts(
        np.tile([4, 4], (draws, 1)), epsilon, np.random.default_rng(2)
    )
    freq_a = pd.Series(map(tuple, a)).value_counts()
    freq_b = pd.Series(map(tuple, b)).value_counts()
    both = freq_a.index.intersection(freq_b.index)
    common = [o for o in both if min(freq_a[o], freq_b[o]) >= 2_000]
    assert len(common) > 10
    ratios = [freq_a[o] / freq_b[o] for o in common]
    slack = 1 + 5 / math.sqrt(2_000)
    bound = math.exp(epsilon)
    assert max(ratios) <= bound * slack
    assert max(ratios) >= bound / slack  # the bound is reached: no waste


def test_the_budget_adds_up_to_epsilon_and_is_read_from_the_schema(real, private):
    record = private.notes["privacy"]
    spent = sum(record["columns"].values()) + record["pairs"] * record["per_pair"]
    assert spent == pytest.approx(1.0, rel=1e-12)
    # amount, age, visits, ratio and flag are ordered: ten pairs
    assert record["pairs"] == 10
    assert "id" not in record["columns"]  # not nullable, unique: nothing out
    other = _fit(real.iloc[:1000], BARE, 1.0)
    assert other.notes["privacy"] == record  # the same split for other data
    assert "k" not in private.notes


def test_the_noise_is_fresh_however_the_seed_is_set(real, monkeypatch):
    monkeypatch.undo()  # the real noise source: OS entropy
    a = fit(real.iloc[:2000], BARE, epsilon=1.0, seed=3)
    b = fit(real.iloc[:2000], BARE, epsilon=1.0, seed=3)
    assert a.columns["status"]["weights"] != b.columns["status"]["weights"]
    assert fit(real.iloc[:2000], BARE, seed=3).to_dict() == (
        fit(real.iloc[:2000], BARE, seed=3).to_dict()
    )


# --------------------------------------------------------------------------
# what comes back
# --------------------------------------------------------------------------


def _noise(shape: Shape, column: str) -> float:
    """The scale of the noise on one of ``column``'s counts."""
    return 2 / shape.notes["privacy"]["columns"][column]


def test_weights_and_null_rates_are_within_the_noise(private):
    status = private.columns["status"]["weights"]
    # each count carries noise of scale b; 10 b is passed once in 20,000
    reach = 10 * _noise(private, "status") / N
    for value, p in {"ok": 0.9, "late": 0.09, "lost": 0.01, "never": 0.0}.items():
        assert abs(status[value] - p) < 5 * math.sqrt(p * (1 - p) / N) + 2 * reach
    null_rate = private.columns["note"]["null_rate"]
    reach = 10 * _noise(private, "note") / N
    assert abs(null_rate - 0.3) < 5 * math.sqrt(0.21 / N) + 2 * reach
    flag = private.columns["flag"]["weights"][True]
    assert (
        abs(flag - 0.2) < 5 * math.sqrt(0.16 / N) + 2 * 10 * _noise(private, "flag") / N
    )


def test_families_and_parameters_are_recovered_through_the_noise(private):
    cols = private.columns
    assert cols["amount"]["dist"] == "lognormal"
    assert abs(cols["amount"]["mu"] - 3) < 0.05
    assert abs(cols["amount"]["sigma"] - 0.8) < 0.05
    assert cols["visits"]["dist"] == "poisson"
    assert abs(cols["visits"]["lam"] - 4) < 0.1
    assert cols["ratio"]["dist"] == "beta"
    assert cols["age"]["dist"] == "normal"
    # 82 one-year cells, each with noise of sd ~25 counts: the variance
    # moves by about 6, the std by about 0.25; five of those
    assert abs(cols["age"]["mean"] - 40) < 1.0
    assert abs(cols["age"]["std"] - 12) < 1.25


def test_correlations_come_back_and_noise_alone_makes_none(private, real):
    pairs = {frozenset(p[:2]): p[2] for p in private.correlations}
    assert abs(pairs[frozenset(["amount", "age"])] - 0.4) < 0.05
    assert abs(pairs[frozenset(["ratio", "visits"])] + 0.3) < 0.05
    assert len(pairs) == 2


def test_a_private_shape_saves_loads_and_generates_valid_frames(private, tmp_path):
    path = private.save(tmp_path / "private.yaml")
    loaded = Shape.load(path)
    assert loaded.notes["privacy"]["epsilon"] == 1.0
    frame = generate(BARE, 5_000, seed=1, shape=path)
    assert_exact(BARE, frame, 5_000)


def test_no_identifier_and_no_lone_extreme_reaches_a_private_export(real):
    rng = np.random.default_rng(5)
    df = pd.DataFrame(
        {
            "key": [f"K{i:07d}" for i in rng.permutation(5_000)],
            "serial": pd.array(rng.permutation(5_000) + 7_000_000, "Int64"),
            "x": np.r_[rng.normal(100, 5, 4_999), 987_654.321],
            "when": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(np.r_[rng.integers(0, 300, 4_999), 20_000], "D"),
        }
    )
    schema = pa.DataFrameSchema(
        {
            "key": pa.Column(str, unique=True),
            "serial": pa.Column("Int64", unique=True, nullable=True),
            "x": pa.Column(float),
            "when": pa.Column("datetime64[ns]"),
        }
    )
    shape = _fit(df, schema, 1.0)
    text = json.dumps(shape.to_dict())
    assert not any(k in text for k in df["key"])
    assert not any(str(s) in text for s in df["serial"])
    assert "987" not in text
    x = shape.columns["x"]
    if x["dist"] == "empirical":  # the lone record's bin stays below the noise
        assert x["quantiles"][-1][1] < 1_000
    else:
        assert abs(x["mean"] - 100) < 1
        assert x["std"] < 6
    # the bulk ends in 2024, the lone record lies in 2078
    assert shape.columns["when"]["quantiles"][-1][1] < "2027"
    assert "serial" not in shape.columns  # unique: nothing is released
    frame = generate(schema, 2_000, seed=1, shape=shape)
    assert_exact(schema, frame, 2_000)


def test_unbounded_time_decimal_and_timedelta_columns_are_fitted():
    rng = np.random.default_rng(6)
    n = 20_000
    df = pd.DataFrame(
        {
            "day": pd.Timestamp("2021-06-01")
            + pd.to_timedelta(rng.normal(0, 30, n).round(), "D"),
            "wait": pd.to_timedelta(rng.exponential(600, n).round(), "s"),
            "count": rng.poisson(200, n),
        }
    )
    schema = pa.DataFrameSchema(
        {
            "day": pa.Column("datetime64[ns]"),
            "wait": pa.Column("timedelta64[ns]", C.ge(pd.Timedelta(0))),
            "count": pa.Column(int),
        }
    )
    shape = _fit(df, schema, 2.0)
    quantiles = dict(map(tuple, shape.columns["day"]["quantiles"]))
    median = pd.Timestamp(quantiles[0.5])
    assert abs(median - pd.Timestamp("2021-06-01")) < pd.Timedelta(days=3)
    wait = dict(map(tuple, shape.columns["wait"]["quantiles"]))
    assert abs(wait[0.5] - 600 * math.log(2)) < 60
    assert abs(shape.columns["count"].get("lam", 200) - 200) < 3
    assert_exact(schema, generate(schema, 3_000, seed=2, shape=shape), 3_000)


def test_columns_lost_in_the_noise_say_so_and_still_generate():
    df = pd.DataFrame({"x": np.linspace(0, 1, 40)})
    schema = pa.DataFrameSchema({"x": pa.Column(float)})
    shape = _fit(df, schema, 0.05)
    assert "noise" in shape.notes["fitted"]["x"]
    assert "dist" not in shape.columns.get("x", {})
    assert_exact(schema, generate(schema, 100, seed=0, shape=shape), 100)


def test_declared_bounds_close_the_span_the_noise_left_open():
    # four uniform columns on 0..100 at 3,000 rows: the thin cells at the
    # low end fall under the noise, and the span reaches the bound instead
    rng = np.random.default_rng(8)
    names = ["a", "b", "c", "d"]
    df = pd.DataFrame({c: rng.uniform(0, 100, 3_000) for c in names})
    schema = pa.DataFrameSchema(
        {c: pa.Column(float, C.in_range(0, 100)) for c in names}
    )
    for seed in range(3):
        shape = _fit(df, schema, 1.0, seed=seed)
        frame = generate(schema, 20_000, seed=seed, shape=shape)
        # about 4.5 bins below 10, each count with noise of sd sqrt(2) *
        # 2 / (0.2 * 0.6): the share below 10 moves by about 1.7%; three of those
        for c in names:
            below = (frame[c] < 10).mean()
            above = (frame[c] > 90).mean()
            assert abs(below - 0.1) < 0.05, (c, shape.columns[c])
            assert abs(above - 0.1) < 0.05, (c, shape.columns[c])


def test_noise_alone_makes_no_tail_far_from_the_data():
    rng = np.random.default_rng(9)
    df = pd.DataFrame(
        {
            "at": pd.Timestamp("2023-01-01")
            + pd.to_timedelta(rng.integers(0, 365 * 86_400, 3_000), "s")
        }
    )
    schema = pa.DataFrameSchema({"at": pa.Column("datetime64[ns]")})
    for seed in range(3):
        shape = _fit(df, schema, 1.0, seed=seed)
        frame = generate(schema, 20_000, seed=seed, shape=shape)
        outside = (frame["at"].dt.year != 2023).mean()
        assert outside < 0.03, shape.columns["at"]


def test_exact_zeros_keep_their_share():
    # 70% of the amounts are exactly 0 (nothing owed): a cell of their own
    rng = np.random.default_rng(12)
    owed = np.where(rng.random(20_000) < 0.7, 0.0, rng.lognormal(4, 1, 20_000))
    schema = pa.DataFrameSchema({"owed": pa.Column(float, C.ge(0))})
    shape = _fit(pd.DataFrame({"owed": owed}), schema, 1.0)
    frame = generate(schema, 20_000, seed=3, shape=shape)
    # the zero count's noise is ~2 / 0.6 per 20,000; sampling 5 binomial sds
    assert abs((frame["owed"] == 0).mean() - 0.7) < 5 * math.sqrt(0.21 / 20_000)
    plain = generate(
        schema, 20_000, seed=3, shape=fit(pd.DataFrame({"owed": owed}), schema)
    )
    assert abs((plain["owed"] == 0).mean() - 0.7) < 5 * math.sqrt(0.21 / 20_000)
    positive = pa.DataFrameSchema({"owed": pa.Column(float, C.gt(0))})
    shape = _fit(pd.DataFrame({"owed": owed[owed > 0]}), positive, 1.0)
    assert (generate(positive, 5_000, seed=3, shape=shape)["owed"] > 0).all()


def test_values_beyond_the_grid_are_named_in_the_notes():
    df = pd.DataFrame({"x": np.geomspace(1e40, 1e45, 500)})
    shape = _fit(df, pa.DataFrameSchema({"x": pa.Column(float)}), 1.0)
    assert "values beyond ±1e+30 are not counted" in shape.notes["fitted"]["x"]


def test_the_top_half_of_uint64_stays_positive():
    df = pd.DataFrame({"u": np.full(2_000, 2**63 + 5, dtype=np.uint64)})
    df.loc[:999, "u"] = np.uint64(2**63 + 2**60)
    schema = pa.DataFrameSchema({"u": pa.Column("uint64")})
    shape = _fit(df, schema, 1.0)
    column = shape.columns["u"]
    low = column["quantiles"][0][1] if "quantiles" in column else column["mean"]
    assert low > 2**62


def test_times_beyond_the_column_s_range_are_refused_without_showing_them():
    at = pd.Series(pd.date_range("2023-01-01", periods=100, freq="h"))
    df = at.astype("datetime64[s]").to_frame("at")
    df.iloc[0, 0] = np.datetime64("3000-01-01", "s")
    schema = pa.DataFrameSchema({"at": pa.Column("datetime64[s]")})
    for epsilon in (None, 1.0):
        with pytest.raises(UnsupportedSchemaError, match="beyond the range") as info:
            fit(df, schema, epsilon=epsilon)
        assert "3000" not in str(info.value)


def test_only_declared_order_makes_a_pair():
    rng = np.random.default_rng(4)
    x = rng.normal(size=2_000)
    ordered = pd.CategoricalDtype(["lo", "mid", "hi"], ordered=True)
    df = pd.DataFrame(
        {
            "grade": pd.Categorical(
                np.array(["lo", "mid", "hi"])[np.digitize(x, [-0.5, 0.5])],
                dtype=ordered,
            ),
            "y": x + rng.normal(0, 0.3, 2_000),
        }
    )
    loose = pa.DataFrameSchema({"grade": pa.Column("category"), "y": pa.Column(float)})
    for epsilon in (None, 5.0):
        shape = (
            fit(df, loose, epsilon=epsilon)
            if epsilon is None
            else _fit(df, loose, epsilon)
        )
        assert shape.correlations == []
        assert_exact(loose, generate(loose, 300, seed=0, shape=shape), 300)
    declared = pa.DataFrameSchema({"grade": pa.Column(ordered), "y": pa.Column(float)})
    shape = _fit(df, declared, 5.0)
    assert shape.notes["privacy"]["pairs"] == 1
    assert [p[:2] for p in shape.correlations] == [["grade", "y"]]


def test_the_shares_never_add_up_beyond_epsilon():
    schema = pa.DataFrameSchema({f"c{i}": pa.Column(float) for i in range(100)})
    df = pd.DataFrame(np.random.default_rng(0).normal(size=(50, 100)))
    df.columns = [f"c{i}" for i in range(100)]
    for epsilon in (1.0, 0.3, 7.0):
        record = _fit(df, schema, epsilon).notes["privacy"]
        shares = list(record["columns"].values())
        shares += [record["per_pair"]] * record["pairs"]
        assert math.fsum(shares) <= epsilon
        assert math.fsum(shares) == pytest.approx(epsilon, rel=1e-12)


def test_an_epsilon_too_small_for_the_sampler_is_refused(real):
    from pytest_synthdata._schema.reader import compile_schema

    with pytest.raises(InvalidArgumentError, match="below 1e-09"):
        fit(real, BARE, epsilon=1e-300)
    _, spec = compile_schema(BARE)
    budget = _privacy.plan(list(spec.columns), 2e-9)
    with pytest.raises(InvalidArgumentError, match="use epsilon >="):
        _privacy._check_scales(budget, 200_000)
    with pytest.raises(ValueError, match="out of the sampler's range"):
        _privacy.geometric_noise(np.random.default_rng(0), 2.0**60, 3)


@pytest.mark.parametrize(
    ("epsilon", "match"),
    [
        (0, "positive"),
        (-1.0, "positive"),
        (math.nan, "positive"),
        (math.inf, "positive"),
        (True, "positive number"),
        ("1", "positive number"),
    ],
)
def test_bad_epsilons_are_refused(real, epsilon, match):
    with pytest.raises(InvalidArgumentError, match=match):
        fit(real, BARE, epsilon=epsilon)


def test_epsilon_needs_a_declared_schema(real):
    with pytest.raises(InvalidArgumentError, match="needs a schema"):
        fit(real, epsilon=1.0)


def test_the_command_line_fits_under_a_stated_epsilon(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "claims_schema.py").write_text(
        "import pandera.pandas as pa\n"
        "SCHEMA = pa.DataFrameSchema({\n"
        "    'amount': pa.Column(float, pa.Check.gt(0)),\n"
        "    'status': pa.Column(str, pa.Check.isin(['ok', 'late'])),\n"
        "})\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    rng = np.random.default_rng(3)
    pd.DataFrame(
        {
            "amount": rng.lognormal(3, 1, 3_000),
            "status": rng.choice(["ok", "late"], 3_000),
        }
    ).to_csv("claims.csv", index=False)
    args = ["fit", "claims.csv", "--schema", "claims_schema:SCHEMA", "-o", "s.yaml"]
    assert main([*args, "--epsilon", "0.5"]) == 0
    out = capsys.readouterr().out
    assert "total epsilon 0.5" in out
    assert Shape.load(tmp_path / "s.yaml").notes["privacy"]["epsilon"] == 0.5
    assert main(["fit", "claims.csv", "-o", "t.yaml", "--epsilon", "1"]) == 2
    assert "--epsilon needs --schema" in capsys.readouterr().err
    assert main([*args[:-1], "u.yaml", "--epsilon", "nan"]) == 2
    assert "epsilon" in capsys.readouterr().err
    for bad in ("-1", "0"):
        assert main([*args[:-1], "u.yaml", "--epsilon", bad]) == 2
        err = capsys.readouterr().err
        assert f"--epsilon {bad}: give a positive number" in err
        assert "reading" not in err  # refused before the data is read
    assert not (tmp_path / "t.yaml").exists()
    assert not (tmp_path / "u.yaml").exists()


# --------------------------------------------------------------------------
# many noise draws
# --------------------------------------------------------------------------


@pytest.mark.slow
def test_across_twenty_noise_draws_the_shape_stays_within_its_noise(real):
    spurious = 0
    for seed in range(20):
        shape = _fit(real, BARE, 1.0, seed=100 + seed)
        status = shape.columns["status"]["weights"]
        reach = 10 * _noise(shape, "status") / N
        assert abs(status["ok"] - 0.9) < 5 * math.sqrt(0.09 / N) + 2 * reach
        pairs = {frozenset(p[:2]): p[2] for p in shape.correlations}
        assert abs(pairs[frozenset(["amount", "age"])] - 0.4) < 0.05
        assert shape.columns["amount"]["dist"] == "lognormal"
        # the release rule lets noise through in one fit of fifty
        spurious += len(pairs) > 2
    assert spurious <= 3
