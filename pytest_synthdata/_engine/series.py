"""Time series per entity: the ``series`` shape laid over a drawn frame.

See :mod:`.._schema.series` for the declaration. The frame is drawn as usual;
then its rows are grouped by entity (as drawn, so entity weights and foreign
keys decide how many readings each entity has), each entity's rows take
timestamps on the regular grid from ``start`` (a ``gaps`` share of grid
points left out, each timestamp moved by up to ``jitter`` either way) in
increasing order, and each value column becomes level + trend (per day) + a
sine of the season + AR(1) noise, per entity. Values are clipped into the
column's bounds; the column's nulls stay where they were drawn. Rows come out
sorted by entity, then time.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from .._schema.dtypes import Kind
from .._schema.series import Series, ValueShape, _column, bound_ns, stamp_ns
from .._schema.spec import FrameSpec
from ..errors import InfeasibleRequestError, ShapeWarning, caller_level
from .plan import plan_field

_DAY_NS = 86_400 * 10**9
CLIP_WARNING = 0.1  # a ShapeWarning when more of a column's values are clipped


def apply_series(
    spec: FrameSpec, frame: pd.DataFrame, series: Series, seed: int
) -> pd.DataFrame:
    """``frame`` with the series laid over it, sorted by entity and time."""
    if not len(frame):
        return frame
    rng = np.random.default_rng([seed, 0x5E41E5])
    time = _column(spec, series.time, "its time")
    entity = frame[series.entity]
    codes, _ = pd.factorize(entity, use_na_sentinel=True, sort=True)
    order = np.lexsort((np.arange(len(frame)), codes))  # entity, then as drawn
    codes = codes[order]
    out = frame.iloc[order]
    if not spec.index:  # a declared index keeps its values, in the new order
        out = out.reset_index(drop=True)
    bounds = (codes[1:] != codes[:-1]).nonzero()[0] + 1
    starts = np.concatenate([[0], bounds])
    stops = np.concatenate([bounds, [len(out)]])
    tz = getattr(out[series.time].dtype, "tz", None)
    start = series.start
    lo_ns = bound_ns(time.domain.lo, time)
    hi_ns = bound_ns(time.domain.hi, time)
    first = stamp_ns(start, tz) if start is not None else lo_ns
    stamps = np.zeros(len(out), dtype=np.int64)
    elapsed = np.zeros(len(out), dtype=np.float64)
    for a, b in zip(starts, stops, strict=True):
        m = b - a
        slots = math.ceil(m / (1 - series.gaps)) if series.gaps else m
        picked = (
            np.sort(rng.choice(slots, size=m, replace=False))
            if slots > m
            else np.arange(m)
        )
        jitter = (
            rng.integers(-series.jitter_ns, series.jitter_ns, size=m, endpoint=True)
            if series.jitter_ns
            else 0
        )
        stamps[a:b] = first + picked * series.freq_ns + jitter
        elapsed[a:b] = picked * series.freq_ns
    if lo_ns is not None and stamps.min() < lo_ns:
        stamps = np.maximum(stamps, lo_ns)  # a jitter before the first bound
    if hi_ns is not None and stamps.max() > hi_ns:
        longest = int((stops - starts).max())
        raise InfeasibleRequestError(
            f"{time.label}: an entity's {longest} readings every "
            f"{pd.Timedelta(series.freq_ns, unit='ns')} (with {series.gaps:.0%} "
            "gaps) run past the column's upper bound; ask for fewer rows, more "
            "entities or a shorter freq, or widen the bound."
        )
    out[series.time] = _as_times(stamps, out[series.time])
    days = elapsed / _DAY_NS
    for name, shape in series.values:
        out[name] = _values(
            spec, out[name], name, shape, days, elapsed, starts, stops, rng
        )
    return out


def _as_times(stamps: np.ndarray, like: pd.Series) -> Any:
    dtype = like.dtype
    values = pd.to_datetime(
        stamps, unit="ns", utc=getattr(dtype, "tz", None) is not None
    )
    if getattr(dtype, "tz", None) is not None:
        values = values.tz_convert(dtype.tz)
    return pd.Series(values).astype(dtype).array


def _values(
    spec: FrameSpec,
    current: pd.Series,
    name: str,
    shape: ValueShape,
    days: np.ndarray,
    elapsed: np.ndarray,
    starts: np.ndarray,
    stops: np.ndarray,
    rng: np.random.Generator,
) -> Any:
    from scipy.signal import lfilter

    f = _column(spec, name, "a value column")
    n = len(current)
    noise = np.zeros(n)
    gain = shape.noise * math.sqrt(1 - shape.ar**2)
    for a, b in zip(starts, stops, strict=True):
        z = rng.standard_normal(b - a)
        z[0] /= math.sqrt(1 - shape.ar**2) if shape.ar else 1.0  # stationary start
        noise[a:b] = lfilter([gain], [1.0, -shape.ar], z)
    phase = np.zeros(n)
    if shape.period_ns:
        offsets = rng.uniform(0, 2 * math.pi, size=len(starts))
        phase = np.repeat(offsets, stops - starts)
    season = (
        shape.amplitude * np.sin(2 * math.pi * elapsed / shape.period_ns + phase)
        if shape.period_ns
        else 0.0
    )
    x = shape.level + shape.trend * days + season + noise
    if f.info.kind is Kind.FLOAT:
        floor, ceiling = plan_field(f).fwindow  # closed, in the column's dtype
    else:  # ints: the domain's bounds are closed already (the dtype's at most)
        x = np.rint(x)
        floor, ceiling = f.domain.lo.value, f.domain.hi.value  # type: ignore[union-attr]
    beyond = float(((x < floor) | (x > ceiling)).mean()) if len(x) else 0.0
    if beyond > CLIP_WARNING:
        warnings.warn(
            ShapeWarning(
                f"{f.label}: {beyond:.0%} of its series values fell beyond its "
                "bounds and were clipped to them; move the level (or the trend) "
                "inside the bounds."
            ),
            stacklevel=caller_level(),
        )
    x = np.clip(x, floor, ceiling)
    out = pd.Series(x, index=current.index).astype(current.dtype)
    return out.where(current.notna(), current).array
