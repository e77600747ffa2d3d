"""Time series per entity: the ``series`` shape of a schema, read and checked.

A schema declares a series in its own metadata::

    metadata={"synthdata": {"series": {
        "entity": "sensor_id", "time": "reading_time",
        "start": "2024-03-04", "freq": "20min", "jitter": "1min", "gaps": 0.05,
        "values": {"value": {"level": 20, "trend": 0.5, "ar": 0.8, "noise": 1.5,
                             "season": {"period": "1D", "amplitude": 4}}},
    }}}

The frame is drawn as usual; then its rows are grouped by entity (as drawn,
so entity weights and foreign keys decide how many readings each entity
has), each entity's rows take timestamps on the regular grid from ``start``
(a ``gaps`` share of grid points left out, each timestamp moved by up to
``jitter`` either way) in increasing order, and each value column becomes
level + trend (per day) + a sine of the season + AR(1) noise, per entity.
Values are clipped into the column's bounds; the column's nulls stay where
they were drawn. Rows come out sorted by entity, then time.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pandas as pd

from ..errors import InvalidShapeError
from .dtypes import Kind
from .spec import FieldSpec, FrameSpec

KEYS = {"entity", "time", "start", "freq", "jitter", "gaps", "values"}
VALUE_KEYS = {"level", "trend", "ar", "noise", "season"}
_DAY_NS = 86_400 * 10**9


@dataclasses.dataclass(frozen=True)
class ValueShape:
    level: float = 0.0
    trend: float = 0.0  # per day
    ar: float = 0.0
    noise: float = 1.0
    period_ns: int | None = None
    amplitude: float = 0.0


@dataclasses.dataclass(frozen=True)
class Series:
    entity: str
    time: str
    start: pd.Timestamp | None
    freq_ns: int
    jitter_ns: int
    gaps: float
    values: tuple[tuple[str, ValueShape], ...]


def _duration(value: Any, what: str, label: str) -> int:
    try:
        ns = pd.Timedelta(value).value
    except (TypeError, ValueError):
        ns = None
    if ns is None or ns < 0:
        raise InvalidShapeError(
            f"{label}: series {what} must be a duration such as '15min' or '1D', "
            f"got {value!r}."
        )
    return int(ns)


def _number(value: Any, what: str, label: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidShapeError(
            f"{label}: series {what} must be a number, got {value!r}."
        )
    if not math.isfinite(value):
        raise InvalidShapeError(
            f"{label}: series {what} must be finite, got {value!r}."
        )
    return float(value)


def read_series(raw: Any, label: str) -> Series:
    """A schema's ``series`` shape, checked (columns are checked at compile)."""
    if not isinstance(raw, dict) or not {"entity", "time", "freq"} <= set(raw):
        raise InvalidShapeError(
            f"{label}: a series needs at least 'entity', 'time' and 'freq', such as "
            "{'entity': 'sensor_id', 'time': 'reading_time', 'freq': '15min'}."
        )
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise InvalidShapeError(
            f"{label}: unknown series keys {unknown}; known keys are {sorted(KEYS)}."
        )
    freq = _duration(raw["freq"], "freq", label)
    if freq == 0:
        raise InvalidShapeError(f"{label}: series freq must be longer than zero.")
    jitter = _duration(raw.get("jitter", 0), "jitter", label)
    if 2 * jitter >= freq:
        raise InvalidShapeError(
            f"{label}: series jitter ({raw.get('jitter')}) must be under half the "
            f"freq ({raw['freq']}), or readings could swap places."
        )
    gaps = _number(raw.get("gaps", 0.0), "gaps", label)
    if not 0 <= gaps < 1:
        raise InvalidShapeError(f"{label}: series gaps must be in [0, 1), got {gaps}.")
    start = raw.get("start")
    if start is not None:
        try:
            start = pd.Timestamp(start)
        except (TypeError, ValueError):
            raise InvalidShapeError(
                f"{label}: series start must be a time such as '2024-03-04', got "
                f"{start!r}."
            ) from None
    values = []
    declared = raw.get("values", {})
    if not isinstance(declared, dict):
        raise InvalidShapeError(
            f"{label}: series values map value columns to their shape, such as "
            "{'value': {'level': 20, 'trend': 0.1, 'ar': 0.8}}."
        )
    for column, shape in declared.items():
        where = f"{label}, series values of {column!r}"
        if not isinstance(shape, dict) or not set(shape) <= VALUE_KEYS:
            raise InvalidShapeError(
                f"{where}: give a dict of {sorted(VALUE_KEYS)}, got {shape!r}."
            )
        season = shape.get("season")
        period = amplitude = None
        if season is not None:
            if not isinstance(season, dict) or set(season) != {"period", "amplitude"}:
                raise InvalidShapeError(
                    f"{where}: season must be {{'period': '1D', 'amplitude': 3}}, "
                    f"got {season!r}."
                )
            period = _duration(season["period"], "season period", where)
            amplitude = abs(_number(season["amplitude"], "season amplitude", where))
            if period == 0:
                raise InvalidShapeError(f"{where}: the season's period must be > 0.")
        ar = _number(shape.get("ar", 0.0), "ar", where)
        if not -1 < ar < 1:
            raise InvalidShapeError(
                f"{where}: ar (the autocorrelation) must be in (-1, 1), got {ar}."
            )
        noise = _number(shape.get("noise", 1.0), "noise", where)
        if noise < 0:
            raise InvalidShapeError(f"{where}: noise must not be negative.")
        values.append(
            (
                column,
                ValueShape(
                    _number(shape.get("level", 0.0), "level", where),
                    _number(shape.get("trend", 0.0), "trend", where),
                    ar,
                    noise,
                    period,
                    amplitude or 0.0,
                ),
            )
        )
    return Series(
        str(raw["entity"]), str(raw["time"]), start, freq, jitter, gaps, tuple(values)
    )


def _column(spec: FrameSpec, name: str, label: str) -> FieldSpec:
    f = next((c for c in spec.columns if str(c.name) == name), None)
    if f is None:
        raise InvalidShapeError(
            f"{spec.schema_name}: the series names column {name!r} ({label}), "
            "which the schema does not have."
        )
    return f


def check_series(spec: FrameSpec, series: Series) -> None:
    """The series' columns exist, have the kinds it needs, and nothing else
    decides their values."""
    _column(spec, series.entity, "its entity")
    time = _column(spec, series.time, "its time")
    if series.entity == series.time:
        raise InvalidShapeError(
            f"{time.label}: a series' entity and time must be two columns."
        )
    if time.info.kind is not Kind.DATETIME:
        raise InvalidShapeError(
            f"{time.label}: a series' time column must hold datetimes, not "
            f"{time.info.kind.value}."
        )
    if time.unique:
        raise InvalidShapeError(
            f"{time.label} is unique, but each entity's readings share the grid; "
            "drop unique=True (or make the entity one per row)."
        )
    lo_ns = bound_ns(time.domain.lo, time)
    if series.start is None and lo_ns is None:
        raise InvalidShapeError(
            f"{time.label}: give the series a start, or the column a lower bound "
            "(such as ge=pd.Timestamp('2024-01-01'))."
        )
    if series.start is not None and lo_ns is not None:
        if stamp_ns(series.start, time.info.tz) < lo_ns:
            raise InvalidShapeError(
                f"{time.label}: the series starts at {series.start}, before the "
                f"column's lower bound ({time.domain.lo.source}); start at or "
                "after it."
            )
    owned = [(time, "time")] + [
        (_column(spec, name, "a value column"), "values") for name, _ in series.values
    ]
    for f, role in owned:
        shape = f.shape
        if shape is not None and (
            shape.links or shape.expr or shape.dist or shape.sorted
        ):
            what = "a dist" if shape.dist else "a relation (after, given, expr)"
            raise InvalidShapeError(
                f"{f.label}: the series sets its {role}, so {what} on it would be "
                "overridden; drop one of the two."
            )
        if shape is not None and "after_parent" in shape.source:
            raise InvalidShapeError(
                f"{f.label}: the series sets its {role}, so after_parent on it "
                "would be overridden; drop one of the two."
            )
        if role == "values" and f.info.kind not in (Kind.FLOAT, Kind.INT):
            raise InvalidShapeError(
                f"{f.label}: series values are numbers; it is {f.info.kind.value}."
            )


NS_PER_UNIT = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}


def bound_ns(bound: Any, f: FieldSpec) -> int | None:
    """A datetime column's declared bound in nanoseconds (None: undeclared,
    or only the dtype's)."""
    if bound is None or bound.source.startswith("dtype "):
        return None
    return int(bound.value) * NS_PER_UNIT[f.info.unit]


def stamp_ns(stamp: pd.Timestamp, tz: Any) -> int:
    """``stamp`` in nanoseconds since the epoch, read in ``tz`` when naive."""
    if tz is not None and stamp.tzinfo is None:
        stamp = stamp.tz_localize(tz)
    return int(stamp.as_unit("ns").value)
