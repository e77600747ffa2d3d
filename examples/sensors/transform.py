"""Hourly roll-up of sensor readings, with the hours a sensor went silent."""

from __future__ import annotations

import pandas as pd

GROUP_KEYS = ["sensor_id", "hour"]

HOURLY_COLUMNS = [
    *GROUP_KEYS,
    "n_readings",
    "n_valid",
    "mean_value",
    "min_value",
    "max_value",
    "is_gap",
]


def hour_grid(
    readings: pd.DataFrame,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> pd.DatetimeIndex:
    """Every hour from ``start`` to ``end``, both floored to the hour.

    Without bounds, the span of ``reading_time`` in ``readings``; an empty frame
    without bounds has no hours.
    """
    times = readings["reading_time"]
    if start is None:
        start = times.min()
    if end is None:
        end = times.max()
    if pd.isna(start) or pd.isna(end):
        return pd.DatetimeIndex([], dtype="datetime64[ns]", name="hour")
    return pd.date_range(
        pd.Timestamp(start).floor("h"),
        pd.Timestamp(end).floor("h"),
        freq="h",
        unit="ns",
        name="hour",
    )


def hourly_readings(
    readings: pd.DataFrame,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Roll readings up to one row per sensor and hour, gaps included.

    Every sensor present in ``readings`` gets a row for every hour of
    :func:`hour_grid` (the observed span, or ``start`` to ``end``), so an hour in
    which a sensor sent nothing shows up with ``n_readings == 0`` and ``is_gap``
    set instead of being silently absent. Readings outside the grid are dropped.

    A reading is *valid* when it has a value and its status is not ``fault``;
    ``mean_value``, ``min_value`` and ``max_value`` are over valid readings only
    and are null for an hour without any (a gap, or an hour of only missing or
    faulty readings).

    The input is not modified. The result is sorted by sensor and hour with a
    fresh ``RangeIndex``; an empty input gives an empty result with the same
    columns and dtypes.
    """
    hours = hour_grid(readings, start, end)
    lines = readings.assign(
        hour=readings["reading_time"].dt.floor("h").dt.as_unit("ns"),
        valid_value=readings["value"].where(readings["status"] != "fault"),
    )

    grouped = lines.groupby(GROUP_KEYS, sort=True)
    per_hour = pd.DataFrame(
        {
            "n_readings": grouped.size(),
            "n_valid": grouped["valid_value"].count(),
            "mean_value": grouped["valid_value"].mean(),
            "min_value": grouped["valid_value"].min(),
            "max_value": grouped["valid_value"].max(),
        }
    )

    sensors = pd.Index(
        sorted(readings["sensor_id"].unique()), dtype="str", name="sensor_id"
    )
    grid = pd.MultiIndex.from_product([sensors, hours])
    hourly = per_hour.reindex(grid)
    counts = ["n_readings", "n_valid"]
    hourly[counts] = hourly[counts].fillna(0).astype("int64")
    hourly = hourly.assign(is_gap=hourly["n_readings"] == 0).reset_index()

    return hourly[HOURLY_COLUMNS]
