"""Time series per entity: regular timestamps, gaps, jitter, trend, season, AR."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from pytest_synthdata import generate, generate_chunks
from pytest_synthdata.errors import (
    InfeasibleRequestError,
    InvalidShapeError,
    UnsupportedSchemaError,
)

START = pd.Timestamp("2024-03-04")


def schema(series: dict | None = None, **extra) -> pa.DataFrameSchema:
    declared = {
        "entity": "sensor",
        "time": "t",
        "freq": "20min",
        "values": {"value": {"level": 20, "ar": 0.8, "noise": 1.0}},
    }
    declared.update(series or {})
    columns = {
        "sensor": pa.Column(str, pa.Check.isin(["A", "B", "C", "D"])),
        "t": pa.Column(
            "datetime64[ns]", pa.Check.in_range(START, pd.Timestamp("2024-04-30"))
        ),
        "value": pa.Column(float, pa.Check.in_range(-40, 125), nullable=True),
        "status": pa.Column(str, pa.Check.isin(["ok", "fault"])),
    }
    columns.update(extra)
    return pa.DataFrameSchema(columns, metadata={"synthdata": {"series": declared}})


def per_entity(df: pd.DataFrame):
    return {k: g for k, g in df.groupby("sensor", sort=True)}


def test_readings_are_regular_sorted_and_valid(exact):
    s = schema()
    df = exact(s, generate(s, 2000, seed=1), 2000)
    # sorted by entity, then time
    assert df["sensor"].is_monotonic_increasing
    for group in per_entity(df).values():
        steps = group["t"].diff().dropna()
        assert (steps == pd.Timedelta("20min")).all()
        assert group["t"].iloc[0] == START


def test_gaps_and_jitter():
    s = schema({"gaps": 0.1, "jitter": "2min", "start": "2024-03-05"})
    df = generate(s, 4000, seed=2)
    for group in per_entity(df).values():
        t = group["t"]
        assert t.is_monotonic_increasing
        assert t.min() >= pd.Timestamp("2024-03-05") - pd.Timedelta("2min")
        slots = ((t - pd.Timestamp("2024-03-05")) / pd.Timedelta("20min")).round()
        off = (t - pd.Timestamp("2024-03-05")) - slots * pd.Timedelta("20min")
        assert off.abs().max() <= pd.Timedelta("2min")
        missing = slots.max() + 1 - len(t)  # grid points left out
        assert missing / (slots.max() + 1) == pytest.approx(0.1, abs=0.04)


def test_autocorrelation_trend_and_season_are_as_declared():
    s = schema(
        {
            "freq": "1h",
            "values": {
                "value": {
                    "level": 30,
                    "trend": 0.5,
                    "ar": 0.7,
                    "noise": 2.0,
                    "season": {"period": "1D", "amplitude": 6},
                }
            },
        }
    )
    df = generate(s, 4 * 1000, seed=3)
    for group in per_entity(df).values():
        x = group["value"].to_numpy()
        days = ((group["t"] - START) / pd.Timedelta("1D")).to_numpy()
        # fit level + trend + season; the residual is the AR(1) noise
        design = np.column_stack(
            [
                np.ones_like(days),
                days,
                np.sin(2 * np.pi * days),
                np.cos(2 * np.pi * days),
            ]
        )
        ok = ~np.isnan(x)
        coef, *_ = np.linalg.lstsq(design[ok], x[ok], rcond=None)
        n = ok.sum()
        assert coef[0] == pytest.approx(30, abs=1.5)
        assert coef[1] == pytest.approx(0.5, abs=0.1)
        assert math.hypot(coef[2], coef[3]) == pytest.approx(6, abs=0.6)
        resid = x[ok] - design[ok] @ coef
        lag1 = np.corrcoef(resid[:-1], resid[1:])[0, 1]
        assert lag1 == pytest.approx(0.7, abs=5 / math.sqrt(n))
        assert resid.std() == pytest.approx(2.0, rel=0.15)


def test_a_level_beyond_the_bounds_is_clipped_with_a_warning():
    from pytest_synthdata.errors import ShapeWarning

    s = schema({"values": {"value": {"level": 500, "noise": 1}}})
    with pytest.warns(ShapeWarning, match="clipped"):
        df = generate(s, 200, seed=1)
    assert df["value"].dropna().eq(125).all()


def test_values_stay_within_their_bounds_and_nulls_stay():
    s = schema(
        {"values": {"value": {"level": 120, "noise": 10}}},
        value=pa.Column(
            float,
            pa.Check.in_range(-40, 125),
            nullable=True,
            metadata={"synthdata": {"null_rate": 0.2}},
        ),
    )
    from pytest_synthdata.errors import ShapeWarning

    with pytest.warns(ShapeWarning, match="clipped"):  # a level of 120 near 125
        df = generate(s, 2000, seed=4)
    assert df["value"].max() <= 125
    assert df["value"].isna().mean() == pytest.approx(0.2, abs=0.01)


def test_entity_weights_decide_how_many_readings_each_has():
    s = schema(
        sensor=pa.Column(
            str,
            pa.Check.isin(["A", "B"]),
            metadata={"synthdata": {"weights": {"A": 0.8, "B": 0.2}}},
        )
    )
    df = generate(s, 1000, seed=5)
    counts = df["sensor"].value_counts()
    assert counts["A"] == pytest.approx(800, abs=5 * math.sqrt(1000 * 0.16))


def test_the_same_seed_gives_the_same_series():
    s = schema({"jitter": "1min", "gaps": 0.05})
    pd.testing.assert_frame_equal(generate(s, 500, seed=9), generate(s, 500, seed=9))


def test_a_series_that_outruns_the_time_bound_is_refused():
    s = schema({"freq": "1D"})  # 2000 / 4 days per sensor: past April
    with pytest.raises(InfeasibleRequestError, match="upper bound"):
        generate(s, 2000, seed=1)


def test_int_value_columns_are_rounded():
    s = schema(
        {"values": {"count": {"level": 50, "noise": 5}}},
        count=pa.Column(int, pa.Check.in_range(0, 100)),
    )
    df = generate(s, 400, seed=1)
    assert df["count"].between(0, 100).all()
    assert df["count"].std() > 1


@pytest.mark.parametrize(
    ("series", "message"),
    [
        ({"entity": "nope"}, "column 'nope'"),
        ({"time": "status"}, "must hold datetimes"),
        ({"freq": "often"}, "freq must be a duration"),
        ({"jitter": "15min"}, "under half the freq"),
        ({"gaps": 1.2}, r"gaps must be in \[0, 1\)"),
        ({"values": {"value": {"ar": 1.0}}}, r"ar .* must be in \(-1, 1\)"),
        ({"values": {"value": {"season": {"period": "1D"}}}}, "season must be"),
        ({"values": {"status": {}}}, "series values are numbers"),
        ({"every": "1h"}, "unknown series keys"),
    ],
)
def test_bad_series_are_refused(series, message):
    with pytest.raises(InvalidShapeError, match=message):
        generate(schema(series), 10, seed=1)


def test_series_in_chunks_are_refused():
    with pytest.raises(UnsupportedSchemaError, match="series in chunks"):
        generate_chunks(schema(), 100, 10)


def test_readings_per_parent_in_related_tables():
    sensors = pa.DataFrameSchema(
        {"sensor": pa.Column(str, pa.Check.str_matches(r"^S\d{4}$"), unique=True)}
    )
    readings = schema(
        {"freq": "1h"},
        sensor=pa.Column(
            str,
            pa.Check.str_matches(r"^S\d{4}$"),
            metadata={
                "synthdata": {
                    "references": "sensors.sensor",
                    "per_parent": {"dist": "poisson", "lam": 24},
                }
            },
        ),
    )
    tables = generate(
        {"sensors": sensors, "readings": readings}, {"sensors": 30}, seed=2
    )
    r = tables["readings"]
    assert r["sensor"].isin(tables["sensors"]["sensor"]).all()
    for _, group in r.groupby("sensor"):
        assert (group["t"].diff().dropna() == pd.Timedelta("1h")).all()


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(20))
def test_autocorrelation_across_seeds(seed):
    s = schema({"values": {"value": {"level": 0, "ar": 0.6, "noise": 1.0}}})
    df = generate(s, 4000, seed=1000 + seed)
    for group in per_entity(df).values():
        x = group["value"].to_numpy()
        both = ~np.isnan(x[:-1]) & ~np.isnan(x[1:])  # pairs of present values
        lag1 = np.corrcoef(x[:-1][both], x[1:][both])[0, 1]
        assert lag1 == pytest.approx(0.6, abs=5 / math.sqrt(both.sum()))


@pytest.mark.parametrize(
    ("series", "columns", "message"),
    [
        ({}, {"t": pa.Column("datetime64[ns]")}, "give the series a start"),
        ({"start": "2024-01-01"}, {}, "before the column's lower bound"),
        ({"entity": "t"}, {}, "two columns"),
        (
            {},
            {
                "value": pa.Column(
                    float,
                    metadata={"synthdata": {"dist": "normal", "mean": 0, "std": 1}},
                )
            },
            "overridden",
        ),
    ],
)
def test_series_that_would_be_overridden_or_cannot_start_are_refused(
    series, columns, message
):
    with pytest.raises(InvalidShapeError, match=message):
        generate(schema(series, **columns), 10, seed=1)
