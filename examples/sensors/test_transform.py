"""Tests of ``hourly_readings`` on synthetic sensor readings.

Most tests share ``sensor_readings_df``, registered in ``conftest.py`` and
generated once for the module (one frame for all of them, so a test that edits
it works on a copy); tests that need frames of their own (one per
sensor) build them with ``synth_factory`` or ``pytest_synthdata.generate``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from examples.sensors.schemas import END, START, HourlyReadings, SensorReadings
from examples.sensors.transform import GROUP_KEYS, hour_grid, hourly_readings
from pytest_synthdata import generate

WEEK_HOURS = 7 * 24


def valid_values(readings: pd.DataFrame) -> pd.Series:
    return readings["value"].where(readings["status"] != "fault").dropna()


def test_module_frame_is_reproducible_and_copied_before_editing(sensor_readings_df):
    # Same seed and size as the conftest: the module frame is that frame.
    pd.testing.assert_frame_equal(
        sensor_readings_df, generate(SensorReadings, 2_000, seed=20240304)
    )
    # The frame is shared by the module's tests: edit a copy, never the frame.
    readings = sensor_readings_df.copy()
    readings.loc[:, "value"] = np.nan
    assert readings["value"].isna().all()
    assert sensor_readings_df["value"].notna().any()


def test_output_validates_and_covers_every_sensor_hour(sensor_readings_df):
    hourly = hourly_readings(sensor_readings_df)

    HourlyReadings.validate(hourly)
    n_sensors = sensor_readings_df["sensor_id"].nunique()
    n_hours = len(hour_grid(sensor_readings_df))
    assert len(hourly) == n_sensors * n_hours
    assert hourly.groupby("sensor_id").size().eq(n_hours).all()
    assert isinstance(hourly.index, pd.RangeIndex)
    # With this seed the week has both gaps and hours with data.
    assert hourly["is_gap"].any()
    assert not hourly["is_gap"].all()


def test_counts_and_values_are_preserved(sensor_readings_df):
    readings = sensor_readings_df
    hourly = hourly_readings(readings)

    assert hourly["n_readings"].sum() == len(readings)
    valid = valid_values(readings)
    assert hourly["n_valid"].sum() == len(valid)
    # The hourly means, weighted by their counts, give back the total.
    has_valid = hourly["n_valid"] > 0
    weighted = (hourly["mean_value"] * hourly["n_valid"])[has_valid].sum()
    assert weighted == pytest.approx(valid.sum(), rel=1e-9)
    assert hourly["min_value"].min() == valid.min()
    assert hourly["max_value"].max() == valid.max()


def test_gap_flag_marks_hours_without_readings(sensor_readings_df):
    readings = sensor_readings_df
    # The sensor goes offline for three hours on Wednesday morning.
    outage_start = pd.Timestamp("2024-03-06 06:00")
    outage_end = outage_start + pd.Timedelta(hours=3)
    in_outage = (
        (readings["sensor_id"] == "TEMP-01")
        & (readings["reading_time"] >= outage_start)
        & (readings["reading_time"] < outage_end)
    )
    assert in_outage.any()

    hourly = hourly_readings(readings[~in_outage])
    before = hourly_readings(readings)

    is_outage = (hourly["sensor_id"] == "TEMP-01") & hourly["hour"].between(
        outage_start, outage_end, inclusive="left"
    )
    outage = hourly[is_outage]
    assert len(outage) == 3
    assert outage["is_gap"].all()
    assert (outage["n_readings"] == 0).all()
    assert outage["mean_value"].isna().all()
    # Every other (sensor, hour) is untouched.
    pd.testing.assert_frame_equal(hourly[~is_outage], before[~is_outage])


def test_hour_of_only_missing_or_faulty_readings_is_not_a_gap(sensor_readings_df):
    readings = sensor_readings_df
    first = readings.sort_values("reading_time").iloc[0]
    hour = first["reading_time"].floor("h")
    same_hour = (readings["sensor_id"] == first["sensor_id"]) & (
        readings["reading_time"].dt.floor("h") == hour
    )
    # Half of the hour's readings lose their value, the rest are faulty.
    half = same_hour & (np.arange(len(readings)) % 2 == 0)
    readings = readings.assign(
        value=readings["value"].mask(half),
        status=readings["status"].mask(same_hour & ~half, "fault"),
    )
    SensorReadings.validate(readings)

    hourly = hourly_readings(readings).set_index(GROUP_KEYS)

    row = hourly.loc[(first["sensor_id"], hour)]
    assert row["n_readings"] == same_hour.sum()
    assert row["n_valid"] == 0
    assert not row["is_gap"]
    assert pd.isna(row["mean_value"])
    assert pd.isna(row["min_value"])
    assert pd.isna(row["max_value"])


def test_sensors_are_summarised_independently(synth_factory):
    # One frame per sensor, each from its own stream of the factory.
    temp = synth_factory(SensorReadings, rows=300, seed=11).assign(sensor_id="TEMP-01")
    # The humidity sensor only reports in the first half of the week.
    hum = synth_factory(SensorReadings, rows=120, seed=12).assign(sensor_id="HUM-01")
    hum = hum[hum["reading_time"] < START + pd.Timedelta(days=3, hours=12)]
    assert len(hum) > 0
    both = pd.concat([temp, hum], ignore_index=True)
    SensorReadings.validate(both)

    hourly = hourly_readings(both, start=START, end=END)

    HourlyReadings.validate(hourly)
    assert len(hourly) == 2 * WEEK_HOURS
    # Rolling up the feed equals rolling up each sensor on the same hours.
    separate = pd.concat(
        [
            hourly_readings(hum, start=START, end=END),
            hourly_readings(temp, start=START, end=END),
        ],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(hourly, separate)
    # The humidity sensor's silent half-week is all gaps.
    last_hour = hum["reading_time"].max().floor("h")
    late = hourly[(hourly["sensor_id"] == "HUM-01") & (hourly["hour"] > last_hour)]
    assert late["is_gap"].all()
    assert len(late) >= WEEK_HOURS // 2


def test_explicit_window_adds_leading_gaps_and_drops_outside_readings():
    readings = generate(SensorReadings, 200, seed=21)
    start = START + pd.Timedelta(days=1)
    end = START - pd.Timedelta(hours=1) + pd.Timedelta(days=2)
    inside = readings["reading_time"].between(
        start, end + pd.Timedelta(hours=1), inclusive="left"
    )

    hourly = hourly_readings(readings, start=start, end=end)

    HourlyReadings.validate(hourly)
    assert hourly["hour"].min() == start
    assert hourly["hour"].max() == end
    assert hourly.groupby("sensor_id").size().eq(24).all()
    assert hourly["n_readings"].sum() == inside.sum()


def test_does_not_mutate_input(sensor_readings_df):
    before = sensor_readings_df.copy(deep=True)

    hourly_readings(sensor_readings_df)

    pd.testing.assert_frame_equal(sensor_readings_df, before)
    assert sensor_readings_df.attrs == before.attrs


def test_empty_input_gives_empty_valid_result():
    readings = generate(SensorReadings, 0, seed=1)

    hourly = hourly_readings(readings)

    assert hourly.empty
    HourlyReadings.validate(hourly)
    assert list(hourly.columns) == list(HourlyReadings.to_schema().columns)
    # With a window but no sensors there is still nothing to report.
    assert hourly_readings(readings, start=START, end=END).empty


def test_single_reading_gives_single_hour():
    readings = generate(SensorReadings, 1, seed=3)
    reading = readings.iloc[0]

    hourly = hourly_readings(readings)

    HourlyReadings.validate(hourly)
    assert len(hourly) == 1
    row = hourly.iloc[0]
    assert row["sensor_id"] == reading["sensor_id"]
    assert row["hour"] == reading["reading_time"].floor("h")
    assert row["n_readings"] == 1
    assert not row["is_gap"]
    if pd.isna(reading["value"]) or reading["status"] == "fault":
        assert row["n_valid"] == 0
        assert pd.isna(row["mean_value"])
    else:
        assert row["n_valid"] == 1
        assert row["mean_value"] == row["min_value"] == reading["value"]
