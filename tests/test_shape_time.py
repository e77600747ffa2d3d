"""Distributions on datetime, date, timedelta and decimal columns.

Parameters may be literals ('2024-06-01', '30D', Decimal('9.99')) or numbers
(seconds, days for dates, the value for decimals). The KS bound is the one of
tests/test_shape.py, against the truncated target in the column's logical
units (discretised: those columns are integral underneath).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.engines import pandas_engine as pe
from scipy import stats

from pytest_synthdata import describe, generate, shapes
from pytest_synthdata.errors import InvalidShapeError, UnsupportedSchemaError
from tests.conftest import assert_exact, ks_bound, meta

C = pa.Check
N = 200_000


SCHEMA = pa.DataFrameSchema(
    {
        "when": pa.Column(
            "datetime64[ns]",
            C.ge(pd.Timestamp("2024-05-01")),
            metadata=shapes.column(shapes.normal("2024-06-01", "30D")),
        ),
        "when_tz": pa.Column(
            pd.DatetimeTZDtype("ns", "Europe/Paris"),
            metadata=meta(dist="normal", mean="2024-06-01 12:00", std="2h"),
        ),
        "day": pa.Column(
            pe.Date,
            metadata=meta(
                dist="empirical",
                quantiles=[[0, "2024-01-01"], [0.9, "2024-03-01"], [1, "2024-12-31"]],
            ),
        ),
        "wait": pa.Column(
            "timedelta64[ns]",
            C.le(pd.Timedelta("2h")),
            metadata=meta(dist="lognormal", mu=math.log(600), sigma=1),
        ),
        "dur": pa.Column(
            "timedelta64[ns]", metadata=meta(dist="gamma", shape=2, scale="1h")
        ),
        "amount": pa.Column(
            pe.Decimal(10, 2),
            C.ge(decimal.Decimal("0")),
            metadata=meta(dist="normal", mean=decimal.Decimal("100.00"), std=25),
        ),
    }
)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return generate(SCHEMA, N, seed=41)


def test_time_and_decimal_shapes_are_valid(frame):
    assert_exact(SCHEMA, frame.head(5000))
    SCHEMA.validate(frame)


def _truncated(dist, lo, hi):
    f_lo, f_hi = dist.cdf(lo), dist.cdf(hi)
    return lambda x: np.clip((dist.cdf(x) - f_lo) / (f_hi - f_lo), 0, 1)


def test_datetime_normal_follows_its_truncated_target(frame):
    seconds = frame["when"].astype("int64").to_numpy() / 1e9
    mean = pd.Timestamp("2024-06-01").value / 1e9
    lo = pd.Timestamp("2024-05-01").value / 1e9
    target = _truncated(stats.norm(mean, 30 * 86_400), lo, np.inf)
    assert stats.kstest(seconds, target).statistic < ks_bound(N)
    assert seconds.min() >= lo


def test_tz_aware_mean_is_read_in_the_columns_zone(frame):
    local = frame["when_tz"].dt.tz_convert("Europe/Paris")
    hours = (
        local - pd.Timestamp("2024-06-01 12:00", tz="Europe/Paris")
    ).dt.total_seconds()
    assert abs(hours.mean()) < 5 * 7200 / math.sqrt(N)
    assert abs(hours.std() - 7200) < 0.01 * 7200


def test_date_empirical_quantiles(frame):
    days = pd.to_datetime(frame["day"])
    # whole days: a value within half a day of a date rounds to it
    assert abs((days <= pd.Timestamp("2024-03-01")).mean() - 0.9) < 0.005
    assert days.min() >= pd.Timestamp("2024-01-01")
    assert days.max() <= pd.Timestamp("2024-12-31")


def test_timedelta_lognormal_and_gamma_in_seconds(frame):
    wait = frame["wait"].dt.total_seconds().to_numpy()
    target = _truncated(stats.lognorm(1, scale=600), 0, 7200)
    assert stats.kstest(wait, target).statistic < ks_bound(N)
    dur = frame["dur"].dt.total_seconds().to_numpy()
    assert stats.kstest(dur, stats.gamma(2, scale=3600).cdf).statistic < ks_bound(N)


def test_decimal_normal_in_the_columns_values(frame):
    amount = frame["amount"].map(float).to_numpy()
    target = _truncated(stats.norm(100, 25), -0.005, np.inf)
    # two decimal places: compare at the cent grid's midpoints
    assert stats.kstest(amount + 0.005, target).statistic < ks_bound(N)


def test_describe_reads_time_columns_in_their_units(frame):
    report = describe(frame, SCHEMA)
    ks = report.table[report.table["measure"] == "ks"]
    assert len(ks) == 6
    assert (ks["distance"] < ks["n"].map(ks_bound)).all(), str(report)
    assert "normal(mean=2024-06-01, std=30D)" in str(report)


def test_gap_literals_are_durations():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column("datetime64[ns]"),
            "b": pa.Column(
                "datetime64[ns]",
                metadata=meta(after="a", gap={"dist": "exponential", "scale": "90min"}),
            ),
        }
    )
    df = generate(schema, 50_000, seed=3)
    gap = (df["b"] - df["a"]).dt.total_seconds()
    assert abs(gap.mean() - 5400) < 5 * 5400 / math.sqrt(len(gap))


@pytest.mark.parametrize(
    ("column", "shape", "error", "match"),
    [
        (
            pa.Column("datetime64[ns]"),
            {"dist": "exponential", "scale": "1D"},
            InvalidShapeError,
            "measured from zero",
        ),
        (
            pa.Column("datetime64[ns]"),
            {"dist": "normal", "mean": "not a date", "std": "1D"},
            InvalidShapeError,
            "'not a date' is not a timestamp",
        ),
        (
            pa.Column("datetime64[ns]"),
            {"dist": "normal", "mean": "NaT", "std": "1D"},
            InvalidShapeError,
            "'NaT' is not a timestamp",
        ),
        (
            pa.Column("datetime64[ns]"),
            {"dist": "normal", "mean": "0500-01-01", "std": "1D"},
            InvalidShapeError,
            "'0500-01-01' is not a timestamp .*overflow",
        ),
        (
            pa.Column("timedelta64[ns]"),
            {"dist": "normal", "mean": "NaT", "std": "1D"},
            InvalidShapeError,
            "'NaT' is not a timedelta .*'3h', '30D'",
        ),
        (
            pa.Column("timedelta64[ns]"),
            {"dist": "normal", "mean": "1h", "std": "-5min"},
            InvalidShapeError,
            "std must be positive",
        ),
        (
            pa.Column("timedelta64[ns]"),
            {"dist": "normal", "mean": "1h", "std": "soon"},
            InvalidShapeError,
            "std='soon' is not a duration",
        ),
        (
            pa.Column(float),
            {"dist": "normal", "mean": "2024-01-01", "std": 1},
            InvalidShapeError,
            "must be numbers on a float column",
        ),
        (
            pa.Column("timedelta64[ns]"),
            {"dist": "poisson", "lam": 3},
            InvalidShapeError,
            "draws integers",
        ),
        (
            pa.Column(bool),
            {"dist": "normal", "mean": 0, "std": 1},
            UnsupportedSchemaError,
            "currently unsupported",
        ),
    ],
)
def test_time_shape_errors_name_the_column(column, shape, error, match):
    with pytest.raises(error, match=match) as info:
        generate(pa.DataFrameSchema({"x": column}), 10, seed=1, shape={"x": shape})
    assert "column 'x'" in str(info.value)


def test_numbers_are_seconds_for_datetimes_and_days_for_dates():
    schema = pa.DataFrameSchema(
        {
            "t": pa.Column(
                "datetime64[s]",
                metadata=meta(dist="normal", mean=1_700_000_000, std=60),
            ),
            "d": pa.Column(pe.Date, metadata=meta(dist="normal", mean=19_000, std=3)),
        }
    )
    df = generate(schema, 20_000, seed=5)
    t = df["t"].astype("datetime64[s]").astype("int64")
    assert abs(t.mean() - 1_700_000_000) < 5
    days = (pd.to_datetime(df["d"]) - pd.Timestamp(0)).dt.days
    assert abs(days.mean() - 19_000) < 0.2
    assert isinstance(df["d"].iloc[0], dt.date)
