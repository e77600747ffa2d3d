"""Shared synthetic readings for the sensor tests.

``register`` turns the schema into a fixture named ``sensor_readings_df``. With
``scope="module"`` the frame is generated once per test module and shared by its
tests: a test that changes it in place must copy it first.
"""

from __future__ import annotations

from examples.sensors.schemas import SensorReadings
from pytest_synthdata import register

# About three readings per sensor and hour over the week: most hours have data,
# some are gaps.
sensor_readings_df = register(SensorReadings, rows=2_000, seed=20240304, scope="module")
