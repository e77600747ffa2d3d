"""Column shapes: ``metadata={"synthdata": {...}}`` read into an immutable spec.

A shape says how the values of a column are spread (a distribution, a null
rate, weights over a finite domain); the checks still say which values are
allowed. Shapes are plain JSON-compatible dicts, so they survive files; keys
and values are checked here, once, with errors that name the column.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._generators.distributions import CONTINUOUS, DISCRETE, EMPIRICAL, FAMILIES
from ..errors import InvalidShapeError, UnsupportedSchemaError

META_KEY = "synthdata"
PARAMS: dict[str, tuple[str, ...]] = {
    "uniform": (),
    "normal": ("mean", "std"),
    "lognormal": ("mu", "sigma"),
    "exponential": ("scale",),
    "gamma": ("shape", "scale"),
    "beta": ("a", "b"),
    "poisson": ("lam",),
    "zipf": ("a",),
    "empirical": ("quantiles",),
}
POSITIVE = {"std", "sigma", "scale", "shape", "a", "b", "lam"}
KEYS = {"dist", *(p for ps in PARAMS.values() for p in ps), "null_rate"}
KEYS |= {"weights", "p_true"}
NOT_YET = ("given", "expr", "after", "sorted")
MAX_LAM = 1e15  # numpy's Poisson sampler refuses much larger means


@dataclass(frozen=True)
class ColumnShape:
    """The declared shape of one column (everything optional)."""

    dist: str | None = None
    params: tuple[tuple[str, Any], ...] = ()
    null_rate: float | None = None
    weights: tuple[tuple[Any, float], ...] | None = None
    weights_key: str = "weights"  # or "p_true": how the user wrote them
    source: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def param_dict(self) -> dict[str, Any]:
        return dict(self.params)


def read_shape(raw: Any, label: str) -> ColumnShape | None:
    """Check a column's shape dict and freeze it; None when there is none."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InvalidShapeError(
            f"{label}: the synthdata shape must be a dict such as "
            f"{{'dist': 'normal', 'mean': 0, 'std': 1}}, got {type(raw).__name__}."
        )
    for key in raw:
        if key in NOT_YET:
            raise UnsupportedSchemaError(
                f"{label}: the shape key {key!r} is not yet supported by this "
                "version of pytest-synthdata; remove it for now."
            )
        if key not in KEYS:
            raise InvalidShapeError(
                f"{label}: unknown shape key {key!r}; known keys are {sorted(KEYS)}."
            )
    dist = raw.get("dist")
    params: dict[str, Any] = {}
    if "dist" in raw:
        if not isinstance(dist, str) or dist not in FAMILIES:
            raise InvalidShapeError(
                f"{label}: unknown distribution {dist!r}; use one of {list(FAMILIES)}."
            )
        for name in PARAMS[dist]:
            if name not in raw:
                raise InvalidShapeError(
                    f"{label}: dist {dist!r} needs {name!r} "
                    f"(it takes {', '.join(PARAMS[dist]) or 'no parameters'})."
                )
            params[name] = _param(dist, name, raw[name], label)
        extra = [k for k in raw if k in KEYS - {"dist", "null_rate", "weights"}]
        extra = [k for k in extra if k not in PARAMS[dist] and k != "p_true"]
        if extra:
            raise InvalidShapeError(
                f"{label}: dist {dist!r} does not take {extra}; it takes "
                f"{', '.join(PARAMS[dist]) or 'no parameters'}."
            )
    else:
        stray = [k for k in raw if k in KEYS - {"null_rate", "weights", "p_true"}]
        if stray:
            raise InvalidShapeError(
                f"{label}: shape parameters {stray} need a 'dist' to belong to."
            )
    null_rate = raw.get("null_rate")
    if null_rate is not None:
        null_rate = _fraction(null_rate, "null_rate", label)
    weights = None
    if "weights" in raw and "p_true" in raw:
        raise InvalidShapeError(f"{label}: give either weights or p_true, not both.")
    weights_key = "p_true" if "p_true" in raw else "weights"
    if "p_true" in raw:
        p = _fraction(raw["p_true"], "p_true", label)
        weights = ((True, p), (False, 1.0 - p))
    elif "weights" in raw:
        weights = _weights(raw["weights"], label)
    if weights is not None and dist is not None:
        raise InvalidShapeError(
            f"{label}: give either a dist or weights, not both (weights already "
            "say how often each value appears)."
        )
    return ColumnShape(
        dist=dist,
        params=tuple(params.items()),
        null_rate=null_rate,
        weights=weights,
        weights_key=weights_key,
        source=dict(raw),
    )


def _number(value: Any, name: str, label: str) -> float:
    numeric = (int, float, np.integer, np.floating)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numeric):
        raise InvalidShapeError(
            f"{label}: shape parameter {name!r} must be a number, got {value!r}."
        )
    if not math.isfinite(value):
        raise InvalidShapeError(
            f"{label}: shape parameter {name!r} must be finite, got {value!r}."
        )
    return float(value)


def _param(dist: str, name: str, value: Any, label: str) -> Any:
    if name == "quantiles":
        return _quantiles(value, label)
    x = _number(value, name, label)
    if name in POSITIVE and x <= 0:
        raise InvalidShapeError(
            f"{label}: {dist} parameter {name!r} must be positive, got {value!r}."
        )
    if dist == "poisson" and x > MAX_LAM:
        raise InvalidShapeError(
            f"{label}: poisson parameter 'lam' must be at most {MAX_LAM:g}, got "
            f"{value!r}; use a normal dist for counts that large."
        )
    if dist == "zipf" and x <= 1:
        raise InvalidShapeError(
            f"{label}: zipf parameter 'a' must be greater than 1, got {value!r}."
        )
    return x


def _quantiles(value: Any, label: str) -> tuple[tuple[float, float], ...]:
    bad = InvalidShapeError(
        f"{label}: empirical 'quantiles' must be a list of at least two [q, value] "
        "pairs, q rising from 0 to 1 and values not falling, for example "
        "[[0, 1.5], [0.5, 4.0], [1, 20.0]]."
    )
    if not isinstance(value, (list, tuple)) or len(value) < 2:
        raise bad
    pairs = []
    for item in value:
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise bad
        pairs.append((_number(item[0], "q", label), _number(item[1], "value", label)))
    qs = [q for q, _ in pairs]
    vs = [v for _, v in pairs]
    rising = all(b > a for a, b in itertools.pairwise(qs))
    steady = all(b >= a for a, b in itertools.pairwise(vs))
    if not rising or not steady or qs[0] != 0 or qs[-1] != 1:
        raise bad
    return tuple(pairs)


def _fraction(value: Any, name: str, label: str) -> float:
    x = _number(value, name, label)
    if not 0.0 <= x <= 1.0:
        raise InvalidShapeError(f"{label}: {name} must be between 0 and 1, got {x}.")
    return x


def _weights(value: Any, label: str) -> tuple[tuple[Any, float], ...]:
    if not isinstance(value, dict) or not value:
        raise InvalidShapeError(
            f"{label}: weights must be a non-empty dict of value to weight, such "
            "as {'gold': 1, 'silver': 5}."
        )
    out = []
    for key, w in value.items():
        x = _number(w, f"weight of {key!r}", label)
        if x < 0:
            raise InvalidShapeError(f"{label}: the weight of {key!r} is negative.")
        out.append((key, x))
    if sum(w for _, w in out) <= 0:
        raise InvalidShapeError(f"{label}: the weights add up to zero.")
    return tuple(out)


def column_shapes(overrides: Any) -> dict[Any, Any]:
    """A per-call ``shape={column: {...}}`` mapping, checked for its form."""
    if overrides is None:
        return {}
    if not isinstance(overrides, dict):
        raise InvalidShapeError(
            "shape= must map column names to shape dicts, got "
            f"{type(overrides).__name__}."
        )
    return dict(overrides)


__all__ = ["CONTINUOUS", "DISCRETE", "EMPIRICAL", "ColumnShape", "read_shape"]
