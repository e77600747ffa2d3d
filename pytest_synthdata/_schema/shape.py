"""Column shapes: ``metadata={"synthdata": {...}}`` read into an immutable spec.

A shape says how the values of a column are spread (a distribution, a null
rate, weights over a finite domain); the checks still say which values are
allowed. Shapes are plain JSON-compatible dicts, so they survive files; keys
and values are checked here, once, with errors that name the column.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._generators.distributions import CONTINUOUS, DISCRETE, EMPIRICAL, FAMILIES
from ..errors import InvalidShapeError

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
# Parameters that may be given as time (or Decimal) literals: converted to
# the column's logical units by the reader, which knows the column.
LITERAL_PARAMS = {"mean", "std", "scale"}
LITERALS = (str, dt.date, dt.timedelta, np.datetime64, np.timedelta64, decimal.Decimal)
KEYS = {"dist", *(p for ps in PARAMS.values() for p in ps), "null_rate"}
KEYS |= {"weights", "p_true", "text", "locale"}
LINKS = {"given", "expr", "after", "gap", "sorted"}  # relations to other columns
# relations to other tables, read by the related-tables face (_related.py)
TABLE_LINKS = {"references", "per_parent", "optional", "after_parent"}
GAP_UNITS = {"s": 1, "min": 60, "h": 3600, "D": 86_400}  # temporal gaps
ORDERS = ("increasing", "decreasing")
MAX_LAM = 1e15  # numpy's Poisson sampler refuses much larger means


@dataclass(frozen=True)
class ColumnShape:
    """The declared shape of one column (everything optional)."""

    dist: str | None = None
    params: tuple[tuple[str, Any], ...] = ()
    null_rate: float | None = None
    weights: tuple[tuple[Any, float], ...] | None = None
    weights_key: str = "weights"  # or "p_true": how the user wrote them
    given: Any = None  # the column whose value picks one of ``cases``
    cases: tuple[tuple[Any, dict[str, Any]], ...] = ()  # (value, raw case shape)
    expr: str | None = None  # a pandas expression over other columns
    after: Any = None  # the column this one never precedes
    gap: ColumnShape | None = None  # how far after it (a dist)
    gap_unit: str = "s"  # unit of a temporal gap's numbers
    sorted: str | None = None  # "increasing" or "decreasing"
    text: str | None = None  # a realistic-text tag ("email", "name", ...)
    locale: str | None = None  # its locale ("en", "de", ...)
    source: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def links(self) -> tuple[Any, ...]:
        """The other columns this one is computed from or depends on."""
        return tuple(c for c in (self.given, self.after) if c is not None)

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
        if key not in KEYS | LINKS | TABLE_LINKS:
            raise InvalidShapeError(
                f"{label}: unknown shape key {key!r}; known keys are "
                f"{sorted(KEYS | LINKS | TABLE_LINKS)}."
            )
    links = _links(raw, label)
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
        free = {"null_rate", "weights", "p_true", "text", "locale"}
        stray = [k for k in raw if k in KEYS - free]
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
    _combinations(raw, links, label)
    text, locale = _text_tag(raw, label)
    return ColumnShape(
        dist=dist,
        params=tuple(params.items()),
        null_rate=null_rate,
        weights=weights,
        weights_key=weights_key,
        text=text,
        locale=locale,
        source=dict(raw),
        **links,
    )


def _text_tag(raw: dict[str, Any], label: str) -> tuple[str | None, str | None]:
    """The realistic-text tag and locale of a shape, checked."""
    if "locale" in raw and "text" not in raw:
        raise InvalidShapeError(
            f"{label}: a locale needs a 'text' tag (such as 'name') to apply to."
        )
    if "text" not in raw:
        return None, None
    from .._generators.realistic import TAGS, locales

    tag = raw["text"]
    if tag not in TAGS:
        raise InvalidShapeError(
            f"{label}: unknown text tag {tag!r}; use one of {sorted(TAGS)}."
        )
    for other in ("dist", "weights", "p_true", "expr", "given", "after", "sorted"):
        if other in raw:
            raise InvalidShapeError(
                f"{label}: text={tag!r} draws the values itself; drop {other!r} "
                "or the tag."
            )
    locale = raw.get("locale")
    if locale is not None and locale not in locales():
        raise InvalidShapeError(
            f"{label}: unknown locale {locale!r}; mimesis knows {locales()}."
        )
    return tag, locale


def _links(raw: dict[str, Any], label: str) -> dict[str, Any]:
    """The relation keys of a shape (given, expr, after, gap, sorted), checked."""
    out: dict[str, Any] = {}
    if "given" in raw:
        out["given"], out["cases"] = _given(raw["given"], label)
    if "expr" in raw:
        expr = raw["expr"]
        if not isinstance(expr, str) or not expr.strip():
            raise InvalidShapeError(
                f"{label}: expr must be a pandas expression over other columns, "
                f"such as 'quantity * unit_price', got {expr!r}."
            )
        out["expr"] = expr
    if "gap" in raw and "after" not in raw:
        raise InvalidShapeError(
            f"{label}: a gap needs 'after' (the column it is measured from)."
        )
    if "after" in raw:
        after = raw["after"]
        if after is None or isinstance(after, (dict, list, set)):
            raise InvalidShapeError(
                f"{label}: after must name another column, got {after!r}."
            )
        out["after"] = after
        if "gap" in raw:
            out["gap"], out["gap_unit"] = _gap(raw["gap"], label)
    if "sorted" in raw:
        if raw["sorted"] not in ORDERS:
            raise InvalidShapeError(
                f"{label}: sorted must be 'increasing' or 'decreasing', got "
                f"{raw['sorted']!r}."
            )
        out["sorted"] = raw["sorted"]
    return out


def _given(value: Any, label: str) -> tuple[Any, tuple[tuple[Any, dict], ...]]:
    example = (
        "{'column': 'tier', 'cases': {'gold': {'dist': 'normal', 'mean': 90, "
        "'std': 5}, 'basic': {'dist': 'normal', 'mean': 20, 'std': 5}}}"
    )
    if (
        not isinstance(value, dict)
        or set(value) != {"column", "cases"}
        or not isinstance(value["cases"], dict)
        or not value["cases"]
    ):
        raise InvalidShapeError(
            f"{label}: given must be a dict with 'column' and a non-empty "
            f"'cases' dict, such as {example}."
        )
    cases = []
    for case, shape in value["cases"].items():
        where = f"{label} (given {value['column']}={case!r})"
        if not isinstance(shape, dict):
            raise InvalidShapeError(
                f"{where}: a case must be a shape dict with a dist or weights, "
                f"got {shape!r}."
            )
        bad = [k for k in shape if k in LINKS or k == "null_rate"]
        if bad:
            raise InvalidShapeError(
                f"{where}: a case holds a dist, weights or p_true only, not {bad}."
            )
        case_shape = read_shape(shape, where)
        if case_shape is None or (case_shape.dist is None and not case_shape.weights):
            raise InvalidShapeError(f"{where}: a case needs a dist or weights.")
        cases.append((case, dict(shape)))
    return value["column"], tuple(cases)


def _gap(value: Any, label: str) -> tuple[ColumnShape, str]:
    if not isinstance(value, dict) or "dist" not in value:
        raise InvalidShapeError(
            f"{label}: gap must be a shape dict with a dist, such as "
            "{'dist': 'exponential', 'scale': 3600, 'unit': 's'}, got "
            f"{value!r}."
        )
    raw = dict(value)
    unit = raw.pop("unit", "s")
    if unit not in GAP_UNITS:
        raise InvalidShapeError(
            f"{label}: the gap's unit must be one of {list(GAP_UNITS)}, got {unit!r}."
        )
    bad = [k for k in raw if k in LINKS or k in ("null_rate", "weights", "p_true")]
    if bad:
        raise InvalidShapeError(f"{label}: a gap holds a dist only, not {bad}.")
    gap = read_shape(raw, f"{label} (gap)")
    assert gap is not None
    if gap.dist == "zipf":
        raise InvalidShapeError(
            f"{label}: a zipf gap is currently unsupported (its tail reaches past "
            "any window a gap is drawn in); use exponential, gamma, lognormal or "
            "empirical."
        )
    per = GAP_UNITS[unit]

    def duration(value: Any, name: str) -> Any:  # "2h": in the gap's unit
        if not isinstance(value, LITERALS):
            return value
        if name == "quantile value":
            return _seconds(value, name, label) / per
        return _scale(value, name, None, 1.0, label) / per

    params = []
    for k, v in gap.params:
        if k == "quantiles":
            pairs = tuple((q, duration(x, "quantile value")) for q, x in v)
            check_quantiles(pairs, f"{label} (gap)")
            params.append((k, pairs))
        else:
            params.append((k, duration(v, k)))
    gap = ColumnShape(**{**gap.__dict__, "params": tuple(params)})
    if gap.dist in ("uniform", "beta"):
        raise InvalidShapeError(
            f"{label}: a gap dist={gap.dist!r} has no bounds to spread over; use "
            "exponential, gamma, lognormal, normal, poisson or empirical."
        )
    return gap, unit


def _combinations(raw: dict[str, Any], links: dict[str, Any], label: str) -> None:
    """Refuse shape keys that contradict each other."""
    values = [k for k in ("dist", "weights", "p_true") if k in raw]
    derived = [k for k in ("expr", "given", "after") if k in links]
    if len(derived) > 1:
        raise InvalidShapeError(
            f"{label}: give one of expr, given and after, not {derived}."
        )
    if "expr" in links and values:
        raise InvalidShapeError(
            f"{label}: expr computes the column's values, so {values} cannot "
            "apply; drop them or the expr."
        )
    if "expr" in links and raw.get("null_rate"):
        raise InvalidShapeError(
            f"{label}: expr computes the column's values (null where a source "
            "is null), so it takes no null_rate; drop it."
        )
    if "after" in links and ("weights" in raw or "p_true" in raw):
        raise InvalidShapeError(
            f"{label}: after needs a range of values, not weights; drop the "
            "weights or the after."
        )
    if "gap" in links and "dist" in raw:
        raise InvalidShapeError(
            f"{label}: give either a gap (the column is after + gap) or a dist "
            "(drawn at or after the other column), not both."
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
    if name in LITERAL_PARAMS and isinstance(value, LITERALS):
        return value  # a time or Decimal literal: read with the column
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
        v = item[1]
        v = v if isinstance(v, LITERALS) else _number(v, "value", label)
        pairs.append((_number(item[0], "q", label), v))
    check_quantiles(tuple(pairs), label)
    return tuple(pairs)


def check_quantiles(pairs: tuple[tuple[float, Any], ...], label: str) -> None:
    """q rising from 0 to 1 and values not falling (literals: once converted)."""
    qs = [q for q, _ in pairs]
    vs = [v for _, v in pairs]
    rising = all(b > a for a, b in itertools.pairwise(qs))
    numeric = not any(isinstance(v, LITERALS) for v in vs)
    steady = not numeric or all(b >= a for a, b in itertools.pairwise(vs))
    if not rising or not steady or qs[0] != 0 or qs[-1] != 1:
        raise InvalidShapeError(
            f"{label}: empirical 'quantiles' must be a list of at least two [q, "
            "value] pairs, q rising from 0 to 1 and values not falling, for "
            "example [[0, 1.5], [0.5, 4.0], [1, 20.0]]."
        )


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


# --------------------------------------------------------------------------
# time, date and decimal columns: parameters in the column's logical units
# --------------------------------------------------------------------------

FROM_ANY_ORIGIN = ("uniform", "normal", "beta", "empirical")  # datetimes, dates
_NS_PER_SECOND = 10**9


def to_logical(shape: ColumnShape, info: Any, label: str) -> ColumnShape:
    """``shape`` with its parameters in the logical units of ``info``'s column.

    Datetimes count their unit since the epoch, dates days, timedeltas their
    unit, decimals unscaled integers. A location (``mean``, empirical values)
    may be a literal (a timestamp or timedelta string or object, a Decimal)
    or a number: seconds since the epoch or seconds for datetimes and
    timedeltas, days for dates, the value itself for decimals. A scale
    (``std``, ``scale``) may be a timedelta literal or such a number;
    lognormal's ``mu`` is the mean of the logarithm of those seconds.
    """
    from .dtypes import Kind

    kind = info.kind
    params = dict(shape.params)
    if kind in (Kind.INT, Kind.FLOAT):
        bad = [k for k, v in params.items() if isinstance(v, LITERALS)]
        if any(isinstance(v, LITERALS) for _, v in params.get("quantiles", ())):
            bad.append("quantiles")
        if bad:
            raise InvalidShapeError(
                f"{label}: shape parameters {bad} must be numbers on a "
                f"{kind.value} column."
            )
        return shape
    if kind in (Kind.DATETIME, Kind.DATE) and shape.dist not in FROM_ANY_ORIGIN:
        raise InvalidShapeError(
            f"{label}: dist={shape.dist!r} is measured from zero, which on a "
            f"{kind.value} column is the epoch; use one of {FROM_ANY_ORIGIN}, or "
            "after= with a gap to shape a distance from another column."
        )
    unit = _unit(kind, info)
    out: dict[str, Any] = {}
    for name, value in params.items():
        if name == "quantiles":
            pairs = tuple((q, _location(v, kind, info, unit, label)) for q, v in value)
            check_quantiles(pairs, label)
            out[name] = pairs
        elif name == "mean":
            out[name] = _location(value, kind, info, unit, label)
        elif name in ("std", "scale"):
            out[name] = _scale(value, name, kind, unit, label)
        elif name == "mu":
            out[name] = value + math.log(unit)
        else:
            out[name] = value
    return ColumnShape(**{**shape.__dict__, "params": tuple(out.items())})


def _unit(kind: Any, info: Any) -> float:
    """Logical units in one unit of a plain number (second, day, value)."""
    from .dtypes import Kind

    if kind in (Kind.DATETIME, Kind.TIMEDELTA):
        return {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[info.unit]
    if kind is Kind.DECIMAL:
        return 10**info.scale
    return 1  # dates: days


def _location(value: Any, kind: Any, info: Any, unit: float, label: str) -> float:
    import pandas as pd

    from .dtypes import Kind

    if not isinstance(value, LITERALS):
        return float(value) * unit
    try:
        if kind is Kind.DECIMAL:
            out = float(decimal.Decimal(str(value))) * unit
        elif kind is Kind.TIMEDELTA:
            td = pd.Timedelta(value)
            if td is pd.NaT:
                raise ValueError("NaT is no location")
            out = float(td.as_unit(info.unit).asm8.astype(np.int64))
        else:
            ts = pd.Timestamp(value)
            if ts is pd.NaT:
                raise ValueError("NaT is no location")
            if kind is Kind.DATE:
                day = np.datetime64(ts.tz_localize(None).date(), "D")
                out = float(day.astype(np.int64))
            else:
                if info.tz is not None:
                    ts = (
                        ts.tz_localize(info.tz)
                        if ts.tzinfo is None
                        else ts.tz_convert(info.tz)
                    )
                elif ts.tzinfo is not None:
                    ts = ts.tz_convert(None)
                out = float(ts.as_unit(info.unit).asm8.astype(np.int64))
        if not math.isfinite(out):
            raise ValueError("not finite")
        return out
    except (ValueError, TypeError, OverflowError, decimal.InvalidOperation) as exc:
        what, hint = {
            Kind.DECIMAL: ("a number", "one such as '12.50' or a number"),
            Kind.TIMEDELTA: ("a timedelta", "one such as '3h', '30D' or seconds"),
            Kind.DATE: ("a date", "one such as '2024-06-01' or days since 1970"),
        }.get(kind, ("a timestamp", "one such as '2024-06-01 12:00' or seconds"))
        raise InvalidShapeError(
            f"{label}: {value!r} is not {what} ({exc}); give {hint}."
        ) from None


def _seconds(value: Any, name: str, label: str) -> float:
    import pandas as pd

    try:
        return pd.Timedelta(value).total_seconds()
    except (ValueError, TypeError) as exc:
        raise InvalidShapeError(
            f"{label}: {name}={value!r} is not a duration ({exc}); give one such "
            "as '30D', '2h' or a number."
        ) from None


def _scale(value: Any, name: str, kind: Any, unit: float, label: str) -> float:
    import pandas as pd

    from .dtypes import Kind

    if isinstance(value, LITERALS):
        try:
            if kind is Kind.DECIMAL:
                x = float(decimal.Decimal(str(value)))
            else:
                seconds = pd.Timedelta(value).total_seconds()
                x = seconds / 86_400 if kind is Kind.DATE else seconds
        except (ValueError, TypeError, decimal.InvalidOperation) as exc:
            raise InvalidShapeError(
                f"{label}: {name}={value!r} is not a duration ({exc}); give one "
                "such as '30D', '2h' or a number."
            ) from None
    else:
        x = float(value)
    if not x > 0:
        raise InvalidShapeError(f"{label}: {name} must be positive, got {value!r}.")
    return x * unit
