"""Scenarios applied: a shaped spec, then outliers placed in the drawn frame."""

from __future__ import annotations

import dataclasses
import decimal
import threading
import warnings
from collections import OrderedDict
from typing import Any

import numpy as np
import pandas as pd

from .._schema.document import Shape
from .._schema.dtypes import Kind
from .._schema.reader import (
    _enumerated,
    _weight_position,
    choice_keys,
    shaped,
)
from .._schema.scenario import (
    Correlate,
    Frequency,
    Outliers,
    Reweight,
    Scenario,
    Shift,
)
from .._schema.shape import LITERALS, _unit
from .._schema.spec import FieldSpec, FrameSpec
from ..errors import (
    InvalidArgumentError,
    InvalidShapeError,
    ShapeWarning,
    UnsupportedSchemaError,
    caller_level,
)
from .assemble import _verify, draw_values, finish_field
from .links import compute_exprs, order_rows
from .plan import plan_field

PILOT = 100_001  # values drawn to read a column's distribution before a shift
PILOT_SEED = 0x5C3A
QUANTILES = 1025  # points of the shifted distribution (empirical)
_NUMERIC = (
    Kind.INT,
    Kind.FLOAT,
    Kind.DECIMAL,
    Kind.DATE,
    Kind.DATETIME,
    Kind.TIMEDELTA,
)

_CACHE: OrderedDict[tuple[int, str], tuple[FrameSpec, FrameSpec, tuple]] = OrderedDict()
_LOCK = threading.Lock()


def apply_scenario(
    spec: FrameSpec, scenario: Scenario
) -> tuple[FrameSpec, tuple[Outliers, ...]]:
    """``spec`` with the scenario's shape changes; the outlier steps, checked."""
    key = (id(spec), repr(scenario.steps))  # every field of every step
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None and hit[0] is spec:
        return hit[1], hit[2]
    post: list[Outliers] = []
    out = spec
    for step in scenario.steps:
        if isinstance(step, Correlate):
            out = _correlate(out, step)
            continue
        f = _field(out, step)
        if isinstance(step, Outliers):
            _check_outliers(out, f, step)
            post.append(step)
            continue
        if isinstance(step, Shift):
            extra = _shifted(f, step)
        elif isinstance(step, (Reweight, Frequency)):
            extra = {"weights": _weights(f, step)}
        else:  # NullRate
            extra = {"null_rate": step.rate}
        try:
            out = shaped(out, {f.name: extra})
        except InvalidShapeError as exc:
            raise InvalidShapeError(f"{step.describe()}: {_short(str(exc))}") from None
    with _LOCK:
        _CACHE[key] = (spec, out, tuple(post))
        while len(_CACHE) > 128:
            _CACHE.popitem(last=False)
    return out, tuple(post)


def _field(spec: FrameSpec, step: Any) -> FieldSpec:
    for f in spec.columns:
        if f.name == step.column:
            return f
    names = [f.name for f in spec.columns]
    if any(f.name == step.column for f in spec.index):
        raise UnsupportedSchemaError(
            f"{step.describe()}: {step.column!r} is an index level; scenarios on "
            "index levels are currently unsupported (they reach columns)."
        )
    raise InvalidArgumentError(
        f"{step.describe()}: {spec.schema_name} has no column {step.column!r}; its "
        f"columns are {names!r:.300}."
    )


def _short(text: str, width: int = 400) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _derived(f: FieldSpec) -> str | None:
    shape = f.shape
    if shape is None:
        return None
    if shape.expr is not None:
        return f"computed by expr {shape.expr!r}"
    if shape.given is not None:
        return f"drawn per value of {shape.given!r} (given)"
    if shape.after is not None:
        return f"drawn after {shape.after!r}"
    return None


# --------------------------------------------------------------------------
# shift
# --------------------------------------------------------------------------


def _shifted(f: FieldSpec, step: Shift) -> dict[str, Any]:
    """The column's distribution moved and stretched, as an empirical shape."""
    what = step.describe()
    if f.info.kind not in _NUMERIC or f.domain.choices is not None:
        raise InvalidArgumentError(
            f"{what}: {f.label} is not a number, time or decimal column with a "
            "range of values; shift those, and reweight finite columns."
        )
    why = _derived(f)
    if why is not None:
        raise UnsupportedSchemaError(
            f"{what}: shifting {f.label}, {why}, is currently unsupported; shift "
            "the columns it comes from."
        )
    unit = float(_unit(f.info.kind, f.info))  # logical units per user number
    by = _user_amount(step.by, f, what) * unit
    plan = plan_field(dataclasses.replace(f, unique=False))  # a sample, not rows
    pilot = np.asarray(draw_values(plan, PILOT_SEED, PILOT, 0), dtype=np.float64)
    probs = np.linspace(0.0, 1.0, QUANTILES)
    q = np.quantile(pilot, probs)
    center = float(np.median(pilot))
    with np.errstate(over="ignore", invalid="ignore"):
        moved = center + step.scale * (q - center) + by
    if not np.all(np.isfinite(moved)):
        raise InvalidArgumentError(f"{what}: the shifted values overflow {f.label}.")
    lo, hi = plan.fwindow if f.info.kind is Kind.FLOAT else plan.limits
    if moved[0] > hi or moved[-1] < lo:
        raise InvalidArgumentError(
            f"{what}: moves every value of {f.label} outside what its checks "
            f"allow ({_shown(f, lo)} to {_shown(f, hi)}); shift it less."
        )
    return {
        "dist": "empirical",
        "quantiles": [
            [float(p), float(v) / unit] for p, v in zip(probs, moved, strict=False)
        ],
    }


def _shown(f: FieldSpec, logical: float) -> str:
    """A logical value in the column's user units, for messages."""
    return f"{float(logical) / float(_unit(f.info.kind, f.info)):g}"


def _user_amount(by: Any, f: FieldSpec, what: str) -> float:
    """``by`` in the column's user units: seconds, days or values."""
    kind = f.info.kind
    try:
        if isinstance(by, LITERALS) or isinstance(by, pd.Timedelta):
            if kind is Kind.DECIMAL:
                return float(decimal.Decimal(str(by)))
            if kind in (Kind.DATETIME, Kind.TIMEDELTA, Kind.DATE):
                seconds = pd.Timedelta(by).total_seconds()
                return seconds / 86_400 if kind is Kind.DATE else seconds
            raise ValueError("a number is needed")
        if isinstance(by, (int, float, np.integer, np.floating, decimal.Decimal)):
            return float(by)
        raise ValueError("not a number")
    except (ValueError, TypeError, decimal.InvalidOperation) as exc:
        raise InvalidArgumentError(
            f"{what}: by={by!r} is not an amount for {f.label} ({exc}); give a "
            "number, or a duration such as '30D' for time columns."
        ) from None


# --------------------------------------------------------------------------
# weights
# --------------------------------------------------------------------------


def _weights(f: FieldSpec, step: Reweight | Frequency) -> dict[Any, float]:
    what = step.describe()
    f = _enumerated(f)  # a small int range counts as its values
    choices = f.domain.choices
    if choices is None:
        raise InvalidArgumentError(
            f"{what}: {f.label} has no finite set of values (isin, category, "
            "bool, a small int range); reweight those, or shift a numeric column."
        )
    why = _derived(f)
    if why is not None:
        raise UnsupportedSchemaError(
            f"{what}: reweighting {f.label}, {why}, is currently unsupported."
        )
    values = choices.tolist()
    keys = choice_keys(values)
    base = (
        np.asarray(f.code_weights, dtype=float)
        if f.code_weights is not None
        else np.full(len(values), 1.0 / len(values))
    )

    def position(value: Any) -> int:
        pos = _weight_position(value, keys, f)
        if pos is None:
            raise InvalidArgumentError(
                f"{what}: {value!r} is not among the values of {f.label} "
                f"({values!r:.200})."
            )
        return pos

    w = base.copy()
    if isinstance(step, Reweight):
        for value, factor in step.factors:
            w[position(value)] *= factor
        if w.sum() <= 0:
            raise InvalidArgumentError(
                f"{what}: every value of {f.label} gets weight 0."
            )
    else:
        pos = position(step.value)
        others = np.delete(base, pos)
        if others.sum() <= 0:
            others = np.full(len(others), 1.0)
        w = np.insert(others / others.sum() * (1.0 - step.p), pos, step.p)
    return {v: float(x) for v, x in zip(values, w, strict=True)}


# --------------------------------------------------------------------------
# correlations
# --------------------------------------------------------------------------


def _correlate(spec: FrameSpec, step: Correlate) -> FrameSpec:
    what = step.describe()
    names = {f.name for f in spec.columns}
    for name in (step.column, step.other):
        if name not in names:
            raise InvalidArgumentError(
                f"{what}: {spec.schema_name} has no column {name!r}."
            )
    pairs = [list(p) for p in spec.frame_shape.get("correlations", ())]
    pair = {step.column, step.other}
    found = [p for p in pairs if {p[0], p[1]} == pair]
    if step.rho is not None:
        rho = step.rho
    elif found:
        rho = max(-1.0, min(1.0, float(found[0][2]) * step.factor))
    else:
        raise InvalidArgumentError(
            f"{what}: {spec.schema_name} declares no correlation between "
            f"{step.column!r} and {step.other!r} to scale; give rho= instead."
        )
    pairs = [p for p in pairs if {p[0], p[1]} != pair]
    pairs.append([step.column, step.other, rho])
    return shaped(spec, Shape(columns={}, correlations=pairs))  # as a shape file


# --------------------------------------------------------------------------
# outliers
# --------------------------------------------------------------------------


def _check_outliers(spec: FrameSpec, f: FieldSpec, step: Outliers) -> None:
    what = step.describe()
    if (
        f.info.kind not in (Kind.INT, Kind.FLOAT)
        or f.domain.choices is not None
        or (f.info.kind is Kind.INT and plan_field(f).limits[1] > 2**62)
    ):
        raise InvalidArgumentError(
            f"{what}: outliers go into int and float columns with a range of "
            f"values within int64; {f.label} is not one (outliers in time, "
            "decimal and near-full-range int columns are currently unsupported)."
        )
    why = _derived(f)
    if why is not None:
        raise UnsupportedSchemaError(
            f"{what}: outliers in {f.label}, {why}, are currently unsupported."
        )
    if f.unique:
        raise UnsupportedSchemaError(
            f"{what}: outliers in the unique column {f.label} are currently "
            "unsupported."
        )
    if spec.links is not None and any(g is f for g, _ in spec.links.sort_by):
        raise UnsupportedSchemaError(
            f"{what}: outliers in the sorted column {f.label} are currently "
            "unsupported (sorting moves them to the ends)."
        )


def place_outliers(
    spec: FrameSpec,
    frame: pd.DataFrame,
    steps: tuple[Outliers, ...],
    seed: int,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Outliers in a fraction of each step's column; how many went in.

    Rows where an outlier would break a rule beyond the column's own checks
    (a relation, a custom or frame-level check) keep their value.
    """
    from .stress import _violations

    placed: dict[str, int] = {}
    out = frame
    for i, step in enumerate(steps):
        f = next(g for g in spec.columns if g.name == step.column)
        plan = plan_field(f)
        rng = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(0x0071, i)))
        )
        ser = out[f.name]
        present = np.flatnonzero(ser.notna().to_numpy())
        m = round(step.rate * len(present))
        name = str(f.name)
        placed.setdefault(name, 0)
        if m == 0:
            continue
        values = ser.to_numpy(dtype=np.float64, na_value=np.nan)[present]
        center = float(np.median(values))
        q25, q75 = np.quantile(values, [0.25, 0.75])
        spread = float(q75 - q25) or float(np.std(values)) or 1.0
        rows = np.sort(rng.choice(present, size=m, replace=False))
        k = rng.uniform(*step.spread, size=m)
        if step.side == "both":
            sign = np.where(rng.random(m) < 0.5, -1.0, 1.0)
        else:
            sign = np.full(m, 1.0 if step.side == "high" else -1.0)
        lo, hi = plan.fwindow if f.info.kind is Kind.FLOAT else plan.limits
        with np.errstate(over="ignore", invalid="ignore"):
            x = np.clip(center + sign * k * spread, lo, hi)
            ok = _verify(f, _logical(f, x))
            if step.side == "both" and not ok.all():  # the other side, if allowed
                flipped = np.clip(center - sign * k * spread, lo, hi)
                x = np.where(ok, x, flipped)
                ok = _verify(f, _logical(f, x))
        ok &= _logical(f, x) != _logical(f, np.full(1, center))  # moved at all
        rows, x = rows[ok], x[ok]
        finished = pd.Series(finish_field(plan, _logical(f, x), None))
        changed = _with_values(spec, out, f, rows, finished)
        failing, whole = _violations(spec, changed)
        bad = rows.tolist() if whole else [r for r in failing if r in set(rows)]
        if bad:  # rows where an outlier breaks a rule keep their value
            keep = ~np.isin(rows, bad)
            rows, finished = rows[keep], finished[keep]
            changed = _with_values(spec, out, f, rows, finished)
        out = order_rows(spec, changed)
        placed[name] += len(rows)
        if len(rows) < m:
            warnings.warn(
                ShapeWarning(
                    f"{step.describe()}: {len(rows)} of {m} outliers placed; the "
                    f"bounds or checks of {f.label}, or a rule of the frame, leave "
                    "no room for the others."
                ),
                stacklevel=caller_level(),
            )
    return out, placed


def _with_values(
    spec: FrameSpec,
    frame: pd.DataFrame,
    f: FieldSpec,
    rows: np.ndarray,
    values: pd.Series,
) -> pd.DataFrame:
    """``frame`` with ``f``'s ``rows`` set to ``values``, exprs recomputed."""
    out = frame.copy(deep=False)
    col = out[f.name].array.copy()
    col[rows] = values.array
    out[f.name] = col
    if spec.links is not None and spec.links.exprs:
        out = compute_exprs(spec, out)
    return out


def _logical(f: FieldSpec, x: np.ndarray) -> np.ndarray:
    if f.info.kind is Kind.FLOAT:
        return x
    return np.rint(x).astype(np.int64)
