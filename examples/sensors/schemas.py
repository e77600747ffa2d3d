"""Pandera schemas for a sensor-reading feed and its hourly roll-up.

``SensorReadings`` describes one row per reading as the gateway delivers it: naive
local-plant timestamps, values that are missing when a sensor reported no number.
``HourlyReadings`` is the contract of
:func:`examples.sensors.transform.hourly_readings`.
"""

from __future__ import annotations

from typing import ClassVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

SENSOR_IDS = ("TEMP-01", "TEMP-02", "HUM-01", "PRES-01")

#: ``fault`` readings are kept in the feed but their values are not trusted.
STATUSES = ("ok", "degraded", "fault")

#: Range of the plant's sensors, in their own units.
MIN_VALUE = -40.0
MAX_VALUE = 125.0

#: Rounding allowed between an hour's mean and its extremes.
MEAN_TOLERANCE = 1e-9

#: One week of readings, plant local time (naive timestamps).
START = pd.Timestamp("2024-03-04 00:00:00")
END = pd.Timestamp("2024-03-10 23:59:59")


class SensorReadings(pa.DataFrameModel):
    """One row per reading sent by a sensor."""

    sensor_id: Series[str] = pa.Field(isin=list(SENSOR_IDS))
    reading_time: Series[pd.Timestamp] = pa.Field(ge=START, le=END)
    # Null when the sensor reported without a value.
    value: Series[float] = pa.Field(ge=MIN_VALUE, le=MAX_VALUE, nullable=True)
    status: Series[str] = pa.Field(isin=list(STATUSES))

    class Config:
        strict = True


class HourlyReadings(pa.DataFrameModel):
    """One row per (sensor, hour) of the observed span, gaps included."""

    sensor_id: Series[str] = pa.Field(isin=list(SENSOR_IDS))
    hour: Series[pd.Timestamp]
    n_readings: Series[int] = pa.Field(ge=0)
    # Readings with a value and a status other than ``fault``.
    n_valid: Series[int] = pa.Field(ge=0)
    # Mean of the valid readings; null when the hour has none.
    mean_value: Series[float] = pa.Field(ge=MIN_VALUE, le=MAX_VALUE, nullable=True)
    min_value: Series[float] = pa.Field(ge=MIN_VALUE, le=MAX_VALUE, nullable=True)
    max_value: Series[float] = pa.Field(ge=MIN_VALUE, le=MAX_VALUE, nullable=True)
    # True when the sensor sent nothing at all in the hour.
    is_gap: Series[bool]

    class Config:
        strict = True
        ordered = True
        unique: ClassVar[list[str]] = ["sensor_id", "hour"]

    @pa.check("hour")
    def on_the_hour(cls, hour: pd.Series) -> pd.Series:
        return hour == hour.dt.floor("h")

    @pa.dataframe_check
    def counts_and_nulls_agree(cls, df: pd.DataFrame) -> pd.Series:
        no_valid = df["n_valid"] == 0
        return (
            (df["n_valid"] <= df["n_readings"])
            & (df["is_gap"] == (df["n_readings"] == 0))
            & (df["mean_value"].isna() == no_valid)
            & (df["min_value"].isna() == no_valid)
            # A mean can land an ulp outside its inputs; allow for rounding.
            & (no_valid | (df["mean_value"] - df["min_value"] >= -MEAN_TOLERANCE))
            & (no_valid | (df["max_value"] - df["mean_value"] >= -MEAN_TOLERANCE))
        )


class SensorSeries(SensorReadings):
    """The same feed as each sensor really sends it: a reading every 20
    minutes from the start of the week (5% of them lost, each up to a minute
    late or early), temperatures around 21 degrees with a daily cycle of 4
    degrees, a slow drift and autocorrelated noise."""

    class Config:
        strict = True
        metadata: ClassVar[dict] = {
            "synthdata": {
                "series": {
                    "entity": "sensor_id",
                    "time": "reading_time",
                    "start": "2024-03-04 00:00:00",
                    "freq": "20min",
                    "jitter": "1min",
                    "gaps": 0.05,
                    "values": {
                        "value": {
                            "level": 21.0,
                            "trend": 0.2,
                            "ar": 0.8,
                            "noise": 0.5,
                            "season": {"period": "1D", "amplitude": 4.0},
                        }
                    },
                }
            }
        }
