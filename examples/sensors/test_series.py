"""The hourly roll-up on readings shaped as each sensor sends them.

``SensorSeries`` declares a per-sensor time series: a reading every 20
minutes, 5% lost, a daily cycle and autocorrelated noise. The frame is still a
valid ``SensorReadings`` frame, sorted by sensor and time.
"""

from __future__ import annotations

import numpy as np
import pytest

from examples.sensors.schemas import HourlyReadings, SensorReadings, SensorSeries
from examples.sensors.transform import hourly_readings

#: Four sensors, most of a week of 20-minute readings each (the sensors are
#: drawn at random, so some send more readings than others).
ROWS = 4 * 7 * 24 * 3 * 85 // 100


@pytest.mark.synthdata(SensorSeries, rows=ROWS, seed=11)
def test_regular_readings_give_three_per_hour_and_few_gaps(synth_df):
    SensorReadings.validate(synth_df)
    hourly = hourly_readings(synth_df)
    HourlyReadings.validate(hourly)

    covered = hourly[~hourly["is_gap"]]
    # Three readings an hour, minus the lost ones: mostly 3, sometimes 2.
    assert covered["n_readings"].between(1, 4).all()
    assert covered["n_readings"].mode().iloc[0] == 3
    # Within each sensor's own span, whole-hour gaps (all three readings
    # lost, at 5% each) are rare.
    for sensor, rows in hourly.groupby("sensor_id"):
        times = synth_df.loc[synth_df["sensor_id"] == sensor, "reading_time"]
        span = rows[rows["hour"].between(times.min().floor("h"), times.max())]
        assert span["is_gap"].mean() < 0.02


@pytest.mark.synthdata(SensorSeries, rows=ROWS, seed=12)
def test_hourly_means_follow_the_daily_cycle(synth_df):
    hourly = hourly_readings(synth_df).dropna(subset=["mean_value"])
    hourly = hourly.assign(hour_of_day=hourly["hour"].dt.hour)
    for _, sensor in hourly.groupby("sensor_id"):
        profile = sensor.groupby("hour_of_day")["mean_value"].mean()
        swing = profile.max() - profile.min()
        # the declared amplitude is 4 (a swing of 8), noise on top
        assert 6 < swing < 10


def test_each_sensors_readings_are_in_order(synth_factory):
    readings = synth_factory(SensorSeries, rows=600)
    for _, sensor in readings.groupby("sensor_id"):
        assert sensor["reading_time"].is_monotonic_increasing
        gaps = np.diff(sensor["reading_time"].to_numpy()).astype("timedelta64[m]")
        assert (gaps >= np.timedelta64(18, "m")).all()
