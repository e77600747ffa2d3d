"""Fit a shape to real data: aggregates only, safe to commit beside the tests.

Per column: the null rate; for a finite column (isin, category, bool) the
frequency of each value, values seen fewer than ``k`` times pooled; for a
number column the family among the candidates its values allow with the
smallest KS distance, or quantiles (coarsened at the tails) when none fits;
for the frame, the rank correlations of number, ordered and bool columns.
No row, and no value only one record holds, reaches the result.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ._fidelity import _codes, _ks_row, _logical
from ._schema.document import Shape
from ._schema.dtypes import Kind
from ._schema.reader import compile_schema, with_shape
from ._schema.spec import FieldSpec
from .errors import InvalidArgumentError, SynthDataError, UnsupportedSchemaError

SUBSAMPLE = 50_000  # values a family is fitted and judged on
SIGNIFICANT = 4  # digits kept of every fitted number
MIN_CORRELATION = 0.05  # smaller rank correlations are left out
QUANTILE_GRID = (0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0)


def fit(
    df: pd.DataFrame,
    schema: Any = None,
    *,
    k: int = 10,
    seed: int = 0,
    epsilon: float | None = None,
) -> Shape:
    """Fit a shape to ``df``, a frame of ``schema``'s columns.

    Parameters
    ----------
    df : pandas.DataFrame
        The real data (it stays where it is: only aggregates are returned).
    schema : pandera.pandas.DataFrameSchema or DataFrameModel subclass, optional
        The schema the data and the synthetic frames share. Without one, a
        schema is inferred (pandera's ``infer_schema``, with bounds at the
        ``k``-th extremes rounded outward, rare values left out of allowed
        sets, all-distinct columns unique) and returned as ``shape.schema``.
    k : int, default 10
        A value seen fewer than ``k`` times is pooled with the other rare
        values, and the outer quantiles are those of the ``k``-th smallest
        and largest values, so no single record shows.
    seed : int, default 0
        The seed of the subsample large columns are fitted on.
    epsilon : float, optional
        Fit under differential privacy with this total epsilon: every number
        in the shape comes from counts with two-sided geometric noise, the
        budget split over the columns and the pairs of ordered columns
        (``shape.notes["privacy"]`` says how). Needs ``schema``: its bounds
        and allowed values lay out what is counted, and an inferred schema
        would read them from the data. ``k`` is not used (the noise hides
        rare values), and the noise comes from the operating system's
        entropy, not ``seed``.

    Returns
    -------
    Shape
        Per-column shapes and correlations; ``shape.save("x.yaml")`` writes
        them, and ``shape=`` takes the shape or the file.
    """
    if not isinstance(df, pd.DataFrame):
        raise InvalidArgumentError(f"fit(df=...) must be a DataFrame, got {type(df)}.")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InvalidArgumentError(f"fit(k={k!r}): k must be a positive int.")
    k = int(k)
    if df.columns.duplicated().any():
        dup = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
        raise InvalidArgumentError(f"fit: the data repeats the columns {dup}.")
    if not len(df.columns):
        raise InvalidArgumentError("fit: the data has no columns.")
    if epsilon is not None:
        from ._privacy import check_epsilon, fit_private

        epsilon = check_epsilon(epsilon)
        if schema is None:
            raise InvalidArgumentError(
                "fit(epsilon=...) needs a schema: its bounds and allowed values "
                "lay out what is counted, and a schema inferred from the data "
                "would leak them. Pass schema=YourModel."
            )
        _check_against(df, schema)
        _, spec = compile_schema(schema)
        columns, pairs, notes = fit_private(df, spec, epsilon, seed)
        return Shape(columns, pairs, notes, None)
    if schema is not None:
        _check_against(df, schema)
    inferred = None
    if schema is None:
        from ._infer import infer_private_schema

        try:
            schema = inferred = infer_private_schema(df, k)
        except TypeError as exc:  # unhashable values: lists, dicts, arrays
            raise UnsupportedSchemaError(
                f"fit: a column holds values pandera cannot infer a schema for "
                f"({exc}); nested values are currently unsupported."
            ) from None
    _, spec = compile_schema(schema)
    rng = np.random.default_rng(seed)
    columns: dict[str, dict[str, Any]] = {}
    families: dict[str, Any] = {}
    for f in spec.columns:
        if f.name not in df.columns:
            raise InvalidArgumentError(
                f"fit: the data has no column {f.name!r} of {spec.schema_name}."
            )
        if f.shape is not None and f.shape.expr is not None:
            continue  # computed: its sources carry the shape
        shape, note = _fit_column(f, df[f.name], k, rng)
        if shape:
            columns[f.name] = shape
        if note:
            families[str(f.name)] = note
    pairs = _correlations(spec, df, k)
    notes = {"rows": len(df), "k": k, "fitted": families}
    return Shape(columns, pairs, notes, inferred)


def _fit_column(
    f: FieldSpec, ser: pd.Series, k: int, rng: np.random.Generator
) -> tuple[dict[str, Any], Any]:
    if f.unique:  # at most one null (pandera counts nulls as duplicates)
        return {}, "unique: not fitted"
    out: dict[str, Any] = {}
    if f.nullable:
        out["null_rate"] = _round(float(ser.isna().mean()))
    values = ser.dropna()
    if not len(values):
        return out, "no values"
    if f.domain.choices is not None:
        weights, pooled = _weights(f, values, k)
        if weights:
            out["weights"] = weights
        return out, f"weights ({pooled} rare values pooled)" if pooled else "weights"
    if f.info.kind in (Kind.INT, Kind.FLOAT):
        dist, note = _fit_numbers(f, values, k, rng)
        out.update(dist)
        return out, note
    if f.info.kind in (Kind.DATETIME, Kind.DATE, Kind.TIMEDELTA, Kind.DECIMAL):
        logical = np.sort(logical_values(f, values))
        quantiles = _quantiles(logical, k, rounded=False)
        if quantiles is None:
            return out, "too few values to fit"
        out["dist"] = "empirical"
        out["quantiles"] = [[q, _literal(f, v)] for q, v in quantiles]
        return out, "empirical (time and decimal columns are read as quantiles)"
    if f.info.kind is Kind.ARROW:
        return out, "null rate only (nested and binary values are not fitted)"
    return out, "null rate only (text is not fitted yet)"


def _literal(f: FieldSpec, logical: float) -> Any:
    """A logical value as the shape reads it back: an ISO timestamp or date,
    seconds for a timedelta, the number for a decimal."""
    from ._schema.shape import _unit

    kind, info = f.info.kind, f.info
    if kind is Kind.DATE:
        return str(pd.Timestamp(round(logical), unit="D").date())
    if kind is Kind.DATETIME:
        ts = pd.Timestamp(round(logical), unit=info.unit, tz="UTC").floor("s")
        if info.tz is not None:
            return ts.tz_convert(info.tz).isoformat()
        return ts.tz_localize(None).isoformat()
    if kind is Kind.DECIMAL:
        return round(logical / float(_unit(kind, info)), info.scale)
    return round(logical / float(_unit(kind, info)), 3)  # timedelta: seconds


def _weights(f: FieldSpec, values: pd.Series, k: int) -> tuple[dict[Any, float], int]:
    """Relative frequencies; values seen fewer than ``k`` times share theirs."""
    choices = f.domain.choices.tolist()
    codes = _codes(f, values)
    counts = np.bincount(codes[codes >= 0], minlength=len(choices)).astype(float)
    rare = (counts > 0) & (counts < k)
    pooled = int(rare.sum())
    if pooled:
        # the rare values' total spread over every value seen fewer than k
        # times (never seen included), so none of them stands out; a total
        # under k would itself point at a few records, and is dropped
        low = counts < k
        total = counts[rare].sum()
        counts[low] = total / low.sum() if total >= k else 0.0
    total = counts.sum()
    if total <= 0:
        return {}, pooled
    return {
        _plain(v): _round(c / total) for v, c in zip(choices, counts, strict=True)
    }, pooled


def _fit_numbers(
    f: FieldSpec,
    values: pd.Series,
    k: int,
    rng: np.random.Generator,
    slack: float = 0.0,
) -> tuple[dict[str, Any], str]:
    """A family (or quantiles) for ``values``; ``slack`` widens the KS
    distance a family may keep by the noise the values already carry."""
    if len(values) < 2 * k:  # a mean of so few values would show one of them
        return {}, f"fewer than {2 * k} values: not fitted"
    x = values.to_numpy(dtype=np.float64)
    if len(x) > SUBSAMPLE:
        x = rng.choice(x, SUBSAMPLE, replace=False)
    sample = pd.Series(x)
    scored: list[tuple[float, dict[str, Any]]] = []
    for candidate in _candidates(f, x):
        try:
            shaped = with_shape(f, candidate)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                row = _ks_row(shaped, sample.astype(values.dtype), "fit")
        except (SynthDataError, ValueError, OverflowError, ZeroDivisionError):
            continue
        d = row["distance"]
        if math.isfinite(d):
            scored.append((d, candidate))
    n = len(x)
    best = _simplest(scored, n)
    good_enough = max(0.02, 1.358 / math.sqrt(n)) + slack  # a 5% KS test
    if best is not None and best[0] <= good_enough:
        return best[1], f"{best[1]['dist']} (KS {best[0]:.3f})"
    quantiles = _quantiles(np.sort(values.to_numpy(dtype=np.float64)), k)
    if quantiles is None:
        return {}, "too few values to fit"
    why = f"none fits (best {best[1]['dist']}, KS {best[0]:.3f})" if best else ""
    return {"dist": "empirical", "quantiles": quantiles}, f"empirical; {why}".strip(
        "; "
    )


PREFERENCE = (
    "uniform",
    "normal",
    "exponential",
    "poisson",
    "lognormal",
    "gamma",
    "beta",
)


def _simplest(
    scored: list[tuple[float, dict[str, Any]]], n: int
) -> tuple[float, dict[str, Any]] | None:
    """The simplest family whose KS distance is within half the sampling
    noise of the smallest (a beta with a = b = 1 is a uniform)."""
    if not scored:
        return None
    least = min(d for d, _ in scored)
    near = [(d, c) for d, c in scored if d <= least + 0.5 * 1.358 / math.sqrt(n)]
    return min(near, key=lambda dc: PREFERENCE.index(dc[1]["dist"]))


def _candidates(f: FieldSpec, x: np.ndarray) -> list[dict[str, Any]]:
    """The families the values allow, each fitted (moments or MLE)."""
    from scipy import stats

    out: list[dict[str, Any]] = []
    lo, _hi = float(x.min()), float(x.max())
    mean, std = float(x.mean()), float(x.std())
    if std > 0:
        mu, sigma = _truncated_normal(f, x, mean, std)
        out.append({"dist": "normal", "mean": _round(mu), "std": _round(sigma)})
    if lo > 0:
        logs = np.log(x)
        if logs.std() > 0:
            out.append(
                {
                    "dist": "lognormal",
                    "mu": _round(float(logs.mean())),
                    "sigma": _round(float(logs.std())),
                }
            )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                a, _, scale = stats.gamma.fit(x[: min(len(x), 20_000)], floc=0)
        except (ValueError, RuntimeError, FloatingPointError):
            a = math.nan
        if math.isfinite(a) and a > 0:
            out.append({"dist": "gamma", "shape": _round(a), "scale": _round(scale)})
    if lo >= 0 and mean > 0:
        out.append({"dist": "exponential", "scale": _round(mean)})
    dom = f.domain
    bounded = dom.lo is not None and dom.hi is not None
    if bounded and not dom.lo.source.startswith("dtype ") and std > 0:
        b_lo, b_hi = float(dom.lo.value), float(dom.hi.value)
        if math.isfinite(b_hi - b_lo) and b_hi > b_lo:
            u = np.clip((x - b_lo) / (b_hi - b_lo), 1e-9, 1 - 1e-9)
            m, v = float(u.mean()), float(u.var())
            common = m * (1 - m) / v - 1 if v > 0 else 0
            if common > 0:
                out.append(
                    {
                        "dist": "beta",
                        "a": _round(m * common),
                        "b": _round((1 - m) * common),
                    }
                )
            out.append({"dist": "uniform"})
    if f.info.kind is Kind.INT and lo >= 0 and mean > 0:
        out.append({"dist": "poisson", "lam": _round(mean)})
    return out


def _truncated_normal(
    f: FieldSpec, x: np.ndarray, mean: float, std: float
) -> tuple[float, float]:
    """The normal whose truncation to the column's bounds has the sample's
    mean and spread (the sample's own moments, where nothing truncates)."""
    from scipy import optimize, stats

    dom = f.domain
    lo = float(dom.lo.value) if dom.lo is not None else -math.inf
    hi = float(dom.hi.value) if dom.hi is not None else math.inf
    if f.info.kind is Kind.INT:  # values are rounded: the window is half wider
        lo, hi = lo - 0.5, hi + 0.5
    if (mean - lo) / std > 6 and (hi - mean) / std > 6:
        return mean, std

    def gap(p: np.ndarray) -> np.ndarray:
        mu, log_sigma = p
        sigma = math.exp(min(max(log_sigma, -50.0), 50.0))
        m, v = stats.truncnorm.stats(
            (lo - mu) / sigma, (hi - mu) / sigma, loc=mu, scale=sigma, moments="mv"
        )
        return np.array([(m - mean) / std, (math.sqrt(v) - std) / std])

    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            res = optimize.least_squares(gap, [mean, math.log(std)], method="lm")
    except (ValueError, FloatingPointError, OverflowError, ZeroDivisionError):
        return mean, std
    if not res.success or np.abs(res.fun).max() > 1e-4 or abs(res.x[1]) > 50:
        return mean, std
    return float(res.x[0]), math.exp(float(res.x[1]))


def _quantiles(x: np.ndarray, k: int, rounded: bool = True) -> list[list[float]] | None:
    """Quantiles at a coarse grid; the ends are the k-th smallest and largest
    values, and a point ``q`` is kept only where ``k`` values lie beyond it."""
    n = len(x)
    if n < 2 * k:
        return None
    keep = _round if rounded else float
    lowest, highest = x[k - 1], x[n - k]
    out = [[0.0, keep(float(lowest))]]
    for q in QUANTILE_GRID[1:-1]:
        if min(q, 1 - q) * n < k:
            continue
        out.append([q, keep(float(np.quantile(x, q)))])
    out.append([1.0, keep(float(highest))])
    out = _with_point_masses(out, x, k, keep)
    for i in range(1, len(out)):  # rounding must not make them fall
        out[i][1] = max(out[i][1], out[i - 1][1])
    return out


def _with_point_masses(
    out: list[list[float]], x: np.ndarray, k: int, keep: Any
) -> list[list[float]]:
    """Knots where a value held by at least ``k`` records and 2% of them
    (a point mass: many exact zeros, a default) starts and ends, so that
    the piecewise-linear quantiles give it its whole share."""
    n = len(x)
    values, starts, counts = np.unique(x, return_index=True, return_counts=True)
    heavy = counts >= max(k, 0.02 * n)
    knots = {q: v for q, v in out}
    for value, start, count in zip(
        values[heavy], starts[heavy], counts[heavy], strict=True
    ):
        v = keep(float(value))
        for q in (round(int(start) / n, 4), round(int(start + count) / n, 4)):
            if 0.0 < q < 1.0:
                knots[q] = v
    return [[q, knots[q]] for q in sorted(knots)]


def _correlations(spec: Any, df: pd.DataFrame, k: int) -> list[list[Any]]:
    """Spearman correlations of number, ordered and bool columns, those
    beyond sampling noise (three standard errors, and at least 0.05)."""
    usable = [f for f in spec.columns if orderable(f)]
    if len(usable) < 2:
        return []
    ranks = pd.DataFrame(
        {i: _rank_values(f, df[f.name]) for i, f in enumerate(usable)}
    ).rank()
    ranks = ranks.loc[:, ranks.nunique() > 1]
    matrix = ranks.corr(min_periods=max(k, 3))
    counts = ranks.notna().astype(float)
    pairs_n = counts.T @ counts
    pairs = []
    cols = list(matrix.columns)
    for a_pos, a in enumerate(cols):
        for b in cols[a_pos + 1 :]:
            rho = matrix.loc[a, b]
            n = pairs_n.loc[a, b]
            if not math.isfinite(rho) or n < max(k, 3):
                continue
            if abs(rho) >= max(MIN_CORRELATION, 3 / math.sqrt(n)):
                pairs.append([usable[a].name, usable[b].name, round(float(rho), 2)])
    return pairs


def _check_against(df: pd.DataFrame, schema: Any) -> None:
    """The data must meet the schema it is fitted under; say where not."""
    from ._schema.reader import as_schema, explain_failure, pandera_errors

    try:
        as_schema(schema).validate(df, lazy=True)
    except pandera_errors() as exc:
        raise InvalidArgumentError(
            f"fit: the data does not meet the schema (its assumptions were off "
            f"there; fix the schema or the data):\n{explain_failure(exc)}"
        ) from None


def orderable(f: FieldSpec) -> bool:
    """Whether the schema gives ``f``'s values an order a rank correlation
    can use: numbers (sets of them too), times, bools, and categories the
    schema declares ordered."""
    if f.unique or (f.shape is not None and f.shape.expr is not None):
        return False
    if isinstance(f.info.dtype, pd.CategoricalDtype):
        return bool(f.info.dtype.ordered) and f.info.categories is not None
    return f.info.kind in (Kind.BOOL, Kind.INT, Kind.FLOAT, Kind.DATETIME, Kind.DATE)


def logical_values(f: FieldSpec, values: pd.Series) -> np.ndarray:
    """``_logical``, with times beyond the column's unit refused without
    showing them."""
    try:
        return _logical(f, values)
    except (pd.errors.OutOfBoundsDatetime, OverflowError):
        raise UnsupportedSchemaError(
            f"fit: column {f.name!r} holds a time beyond the range of "
            f"{f.info.dtype} that the column is generated in; currently "
            "unsupported (narrow the data or the dtype)."
        ) from None


def _rank_values(f: FieldSpec, ser: pd.Series) -> pd.Series:
    if isinstance(ser.dtype, pd.CategoricalDtype):
        codes = ser.cat.codes.astype(float)
        return codes.where(codes >= 0)
    if f.info.kind in (Kind.DATETIME, Kind.DATE):
        out = pd.Series(np.nan, index=ser.index)
        present = ser.notna()
        out[present] = logical_values(f, ser[present])
        return out
    return ser.astype(float)


def _round(x: float) -> float:
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return x
    digits = SIGNIFICANT - 1 - math.floor(math.log10(abs(x)))
    return round(x, digits) if digits > 0 else float(round(x, digits))


def _plain(value: Any) -> Any:
    """A value as YAML and JSON write it: numpy scalars as Python ones,
    timestamps, dates and decimals as text the column's dtype reads back."""
    import datetime
    import decimal

    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (pd.Timestamp, datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, pd.Timedelta)):
        return str(value)
    return value
