"""Differentially private fitting: every exported number under one epsilon.

Neighbouring data sets differ in the values of one record (replace-one, or
"bounded", differential privacy), so the row count is public. Two kinds of
measurement touch the data, both integer counts with two-sided geometric
noise (the discrete Laplace, which has no floating-point leak):

* per column, one histogram over cells read from the schema alone: null,
  then each allowed value of a finite column, or bins laid out from the
  column's declared bounds (and a fixed grid of powers of ten). One record
  moves one count down and another up, so the L1 sensitivity is 2;
* per pair of ordered columns, Kendall's ``S`` (concordant minus discordant
  pairs) over a row sample of fixed size ``m``; one record changes the sign
  of at most ``m - 1`` pairs, each by 2, so the sensitivity is ``2 (m - 1)``.

Null rates, weights, quantiles, the family chosen for a column and the rank
correlation are all computed from those noisy counts alone (post-processing
costs no budget). Sequential composition over the columns and pairs gives
the total epsilon; ``shape.notes["privacy"]`` says how it was spent.

The noise comes from the operating system's entropy, never from ``seed``:
noise anyone can reproduce can be subtracted again.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._fidelity import _codes
from ._fit import (
    SUBSAMPLE,
    _fit_numbers,
    _literal,
    _quantiles,
    _rank_values,
    _round,
    logical_values,
    orderable,
)
from ._schema.dtypes import Kind
from ._schema.spec import FieldSpec

CORRELATION_SHARE = 0.2  # of epsilon, when the schema has ordered pairs
MAX_CORRELATED = 20  # ordered columns whose pairs are measured (schema order)
CORRELATION_ROWS = 200_000  # the fixed-size row sample Kendall's S is taken on
LINEAR_BINS = 64  # fine bins over the span a number column's values were found in
TIME_BINS = 128  # fine bins over the span a time column's values were found in
RANGE_SHARE = 0.4  # of a column's epsilon, spent finding where its values lie
INTEGER_CELLS = 128  # int columns with at most this many values: one cell each
MIN_VALUES = 20  # noisy value counts below this are not fitted
DECADES = (-12, 30)  # the fixed grid: 1e-12 to 1e30, four steps a decade
MAX_SCALE = 2.0**50  # noise scales the geometric sampler draws exactly
MIN_EPSILON = 1e-9
GRID_END = 10.0 ** DECADES[1]
YEARS = (1900, 2100)  # time columns: one coarse cell a year between these


@dataclass(frozen=True)
class Budget:
    """How a total epsilon is split: one share per column that releases
    anything, one per measured pair of ordered columns."""

    epsilon: float
    columns: dict[str, float]
    pairs: list[tuple[FieldSpec, FieldSpec]]
    per_pair: float

    def record(self) -> dict[str, Any]:
        return {
            "epsilon": self.epsilon,
            "delta": 0,
            "neighbours": "data sets differing in one record's values; the row "
            "count is public",
            "mechanism": "two-sided geometric noise on counts",
            "columns": dict(self.columns),
            "pairs": len(self.pairs),
            "per_pair": self.per_pair,
        }


def check_epsilon(epsilon: Any) -> float:
    from .errors import InvalidArgumentError

    if isinstance(epsilon, bool) or not isinstance(
        epsilon, (int, float, np.integer, np.floating)
    ):
        raise InvalidArgumentError(
            f"fit(epsilon={epsilon!r}): epsilon must be a positive number, "
            "e.g. epsilon=1.0."
        )
    value = float(epsilon)
    if not math.isfinite(value) or value <= 0:
        raise InvalidArgumentError(
            f"fit(epsilon={epsilon!r}): epsilon must be a positive finite "
            "number, e.g. epsilon=1.0."
        )
    if value < MIN_EPSILON:
        raise InvalidArgumentError(
            f"fit(epsilon={epsilon!r}): below {MIN_EPSILON:g} the noise drowns "
            "every count; use a larger epsilon (0.1 to 10 is usual)."
        )
    return value


def fit_private(
    df: pd.DataFrame, spec: Any, epsilon: float, seed: int
) -> tuple[dict[str, dict[str, Any]], list[list[Any]], dict[str, Any]]:
    """Columns, correlations and notes of a shape, every number covered by
    ``epsilon``."""
    noise = noise_source()
    rng = np.random.default_rng(seed)  # post-processing only
    fields = [f for f in spec.columns if f.shape is None or f.shape.expr is None]
    for f in fields:
        if f.name not in df.columns:
            from .errors import InvalidArgumentError

            raise InvalidArgumentError(
                f"fit: the data has no column {f.name!r} of {spec.schema_name}."
            )
    budget = plan(fields, epsilon)
    _check_scales(budget, min(len(df), CORRELATION_ROWS))
    columns: dict[str, dict[str, Any]] = {}
    fitted: dict[str, str] = {}
    for f in fields:
        share = budget.columns.get(str(f.name))
        if share is None:
            fitted[str(f.name)] = (
                "nothing released (unique, or text that is not nullable)"
            )
            continue
        shape, note = _column(f, df[f.name], share, noise, rng)
        if shape:
            columns[f.name] = shape
        fitted[str(f.name)] = note
    pairs = _correlations(budget, df, columns, noise, rng)
    notes = {"rows": len(df), "fitted": fitted, "privacy": budget.record()}
    return columns, pairs, notes


def noise_source() -> np.random.Generator:
    """A generator seeded from the operating system's entropy (tests replace
    this function to make the noise repeatable)."""
    return np.random.default_rng()


def plan(fields: list[FieldSpec], epsilon: float) -> Budget:
    """The split of ``epsilon``, read from the schema alone."""
    releasing = [f for f in fields if _cells(f) is not None]
    ordered = [f for f in fields if orderable(f)][:MAX_CORRELATED]
    pairs = [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]
    corr = CORRELATION_SHARE * epsilon if pairs and releasing else 0.0
    if pairs and not releasing:
        corr = epsilon
    each = (epsilon - corr) / len(releasing) if releasing else 0.0
    per_pair = corr / len(pairs) if pairs else 0.0
    # shares rounded down until their exact sum is within epsilon
    while math.fsum([each] * len(releasing) + [per_pair] * len(pairs)) > epsilon:
        each, per_pair = math.nextafter(each, 0), math.nextafter(per_pair, 0)
    return Budget(epsilon, {str(f.name): each for f in releasing}, pairs, per_pair)


def _check_scales(budget: Budget, rows: int) -> None:
    """Refuse an epsilon so small that the noise would overflow the sampler
    (whose draws then cancel: no noise at all)."""
    from .errors import InvalidArgumentError

    needed = [2.0 / e for e in budget.columns.values()]
    if budget.pairs:
        needed.append(2.0 * max(rows - 1, 1) / budget.per_pair)
    worst = max(needed, default=0.0)
    if not worst < MAX_SCALE:
        raise InvalidArgumentError(
            f"fit(epsilon={budget.epsilon!r}): so small an epsilon needs noise of "
            f"scale {worst:.3g}, beyond the {MAX_SCALE:.3g} the sampler draws "
            f"exactly; use epsilon >= {budget.epsilon * worst / MAX_SCALE:.3g}."
        )


def geometric_noise(
    rng: np.random.Generator, scale: float, size: int | tuple[int, ...]
) -> np.ndarray:
    """Integers with P(k) proportional to exp(-|k| / scale)."""
    if not 0 < scale < MAX_SCALE:  # beyond, the draws saturate and cancel
        raise ValueError(f"noise scale {scale!r} is out of the sampler's range")
    p = -math.expm1(-1.0 / scale)
    return rng.geometric(p, size) - rng.geometric(p, size)


def noisy_counts(
    counts: np.ndarray, epsilon: float, rng: np.random.Generator, sensitivity: int = 2
) -> np.ndarray:
    """``counts`` with the noise that makes their release ``epsilon``-DP."""
    return counts + geometric_noise(rng, sensitivity / epsilon, counts.shape)


# -- columns ----------------------------------------------------------------


def _cells(f: FieldSpec) -> str | None:
    """What a column's histogram holds beyond the null cell, or None when
    it releases nothing at all."""
    if f.unique:  # at most one null (pandera counts nulls as duplicates)
        return None
    if f.domain.choices is not None:
        return "choices"
    kind = f.info.kind
    if kind in (
        Kind.INT,
        Kind.FLOAT,
        Kind.DECIMAL,
        Kind.TIMEDELTA,
        Kind.DATETIME,
        Kind.DATE,
    ):
        return "bins"
    return "nulls" if f.nullable else None


def _declared(f: FieldSpec) -> tuple[float, float] | None:
    """The column's bounds when its checks (not its dtype) set both."""
    lo, hi = f.domain.lo, f.domain.hi
    if lo is None or hi is None:
        return None
    if lo.source.startswith("dtype ") or hi.source.startswith("dtype "):
        return None
    a, b = float(lo.value), float(hi.value)
    return (a, b) if math.isfinite(b - a) and b > a else None


def _column(
    f: FieldSpec,
    ser: pd.Series,
    epsilon: float,
    noise: np.random.Generator,
    rng: np.random.Generator,
) -> tuple[dict[str, Any], str]:
    cells = _cells(f)
    values = ser.dropna()
    nulls = len(ser) - len(values)
    budget = f"epsilon {epsilon:.4g}"
    if cells == "nulls":
        counts = noisy_counts(np.array([nulls, len(values)]), epsilon, noise)
        return _null_rate(f, counts), f"null rate only ({budget})"
    if cells == "choices":
        codes = _codes(f, values)
        k = len(f.domain.choices)
        raw = np.bincount(codes[codes >= 0], minlength=k)
        counts = noisy_counts(np.concatenate([[nulls], raw]), epsilon, noise)
        out = _null_rate(f, counts)
        kept = np.clip(counts[1:], 0, None).astype(float)
        if kept.sum() <= 0:
            return out, f"weights lost in the noise ({budget})"
        out["weights"] = {
            _plain_choice(v): _round(c / kept.sum())
            for v, c in zip(f.domain.choices.tolist(), kept, strict=True)
        }
        return out, f"weights ({budget})"
    logical = logical_values(f, values) if len(values) else np.empty(0)
    counts, edges, integer, zero = _binned(f, logical, nulls, epsilon, noise)
    out = _null_rate(f, counts)
    if edges is not None and max(abs(edges[0]), abs(edges[-1])) >= GRID_END:
        budget += f"; values beyond ±{GRID_END:g} are not counted"
    scale = 2 / (epsilon * (1 - RANGE_SHARE))
    bins = counts[1 : len(counts) - zero]
    kept = _denoised(bins, scale, math.log(10 * len(bins)))
    if zero:  # exact zeros: a cell of their own, kept beyond three noise
        # scales (noise alone reaches that one time in forty)
        kept = np.r_[kept, counts[-1] if counts[-1] >= 3 * scale else 0.0]
    total = kept.sum()
    if edges is None or total < MIN_VALUES:
        return out, f"too few values above the noise to fit ({budget})"
    draw = _pseudo_sample(edges, kept, integer, zero, rng, min(int(total), SUBSAMPLE))
    if f.info.kind in (Kind.INT, Kind.FLOAT):
        if f.info.kind is Kind.INT:
            draw = np.rint(draw)
            big = draw.min() >= 0 and draw.max() >= 2.0**63  # uint64's top half
            draw = draw.astype(np.uint64 if big else np.int64)
        # the noise moves the histogram's cumulative counts by about
        # sqrt(bins) * sqrt(2) * scale: a family may miss by three of those,
        # up to 0.02 (beyond, a family chosen is a guess: quantiles instead)
        slack = min(3 * math.sqrt(2 * len(kept)) * scale / total, 0.02)
        dist, note = _fit_numbers(f, pd.Series(draw), 1, rng, slack)
        out.update(dist)
        return out, f"{note} ({budget})"
    quantiles = _quantiles(np.sort(np.rint(draw)), 1, rounded=False)
    out["dist"] = "empirical"
    out["quantiles"] = [[q, _literal(f, v)] for q, v in quantiles]
    return out, f"empirical ({budget})"


def _denoised(
    counts: np.ndarray,
    scale: float,
    reach: float,
    weak: float = 1.0,
    bridge: bool = True,
    share: float = 0.0,
    peak: bool = False,
) -> np.ndarray:
    """Counts with the bins that hold noise alone set to 0 (post-processing).

    Bins of at least ``weak`` noise scales form runs (with ``bridge``, a
    single bin below that between two of them does not cut one); a run is
    kept when its total (with ``peak``, its highest bin) reaches ``reach``
    noise scales, which noise alone seldom does, and its total is ``share``
    of the largest run's: the tails stay joined to the body, and lone bins
    of noise far from it go.
    """
    reach = reach * scale
    weak = counts >= weak * scale
    # a lone bin the noise pushed down between two others does not cut a run
    joined = weak.copy()
    if bridge and len(weak) >= 3:
        joined[1:-1] |= weak[:-2] & weak[2:]
    run = np.cumsum(~joined)  # the bins of one run share a number
    positive = np.clip(counts, 0, None).astype(float)
    totals = np.bincount(run[joined], weights=positive[joined], minlength=run[-1] + 1)
    peaks = np.zeros(run[-1] + 1)
    np.maximum.at(peaks, run[joined], positive[joined])
    # a run's total grows with its length even in pure noise, its highest
    # bin does not: with ``peak``, a run is judged by that bin (where most
    # cells hold noise alone), else by its total (within a span of data)
    tall = (peaks if peak else totals)[run] >= reach
    keep = joined & tall & (totals[run] >= share * float(totals.max(initial=0.0)))
    return np.where(keep, positive, 0.0)


def _binned(
    f: FieldSpec,
    logical: np.ndarray,
    nulls: int,
    epsilon: float,
    noise: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray | None, bool, bool]:
    """Noisy counts of nulls, of values in bins and (where the span holds
    zero) of exact zeros; the bins' edges (None when no bin rose above the
    noise); whether each bin is one integer; whether the zero cell is there.

    A declared int range of at most ``INTEGER_CELLS`` values is counted value
    by value. Otherwise a share of the budget first counts the values on a
    coarse grid (powers of ten, and the declared range cut in 16) to find
    where they lie, and the rest counts them on a fine grid over that span:
    the second layout depends only on the first release.
    """
    declared = _declared(f)
    if f.info.kind is Kind.INT and declared is not None:
        edges = _integer_edges(*declared)
        if edges is not None:
            raw = np.bincount(_bin(edges, logical), minlength=len(edges) - 1)
            return noisy_counts(np.r_[nulls, raw], epsilon, noise), edges, True, False
    first = epsilon * RANGE_SHARE
    coarse = _coarse_edges(f, declared)
    found = noisy_counts(
        np.bincount(_bin(coarse, logical), minlength=len(coarse) - 1), first, noise
    )
    # cells far from the data hold noise only: keep the runs whose total
    # is beyond what noise reaches in any of them but one time in fifty
    # (a cell joins a run only at two noise scales: one in fifteen noise
    # cells reaches that, against one in five at one scale)
    cleaned = _denoised(
        found, 2 / first, math.log(50 * len(found)), weak=2.0, share=0.01, peak=True
    )
    above = np.flatnonzero(cleaned)
    if len(above):
        lo, hi = _toward_bounds(
            f, float(coarse[above[0]]), float(coarse[above[-1] + 1])
        )
    elif declared is not None:  # lost in the noise: the declared range is public
        lo, hi = declared
    else:
        counts = np.array([nulls, len(logical)])
        return noisy_counts(counts, epsilon - first, noise), None, False, False
    edges = _integer_edges(lo, hi) if f.info.kind is Kind.INT else None
    integer = edges is not None
    if edges is None:
        # as many bins as hold about four noise scales of values each, read
        # off the first release's total
        most = LINEAR_BINS if f.info.kind in (Kind.INT, Kind.FLOAT) else TIME_BINS
        total = float(np.clip(found, 0, None).sum())
        bins = int(np.clip(total * (epsilon - first) / 8, 8, most))
        middle = _middle(coarse, cleaned) if len(above) else (lo + hi) / 2
        edges = _fine_edges(lo, hi, bins, middle)
    inside = logical[(logical >= edges[0]) & (logical <= edges[-1])]
    # exact zeros (a public point: counts, amounts not owed, days without
    # rain) get a cell of their own where the span holds zero
    zero = not integer and edges[0] <= 0 <= edges[-1] and _allows_zero(f)
    cells = [nulls]
    if zero:
        cells.append(int((inside == 0).sum()))
        inside = inside[inside != 0]
    raw = np.bincount(_bin(edges, inside), minlength=len(edges) - 1)
    counts = np.r_[cells[0], raw, cells[1:]]
    return noisy_counts(counts, epsilon - first, noise), edges, integer, zero


def _middle(edges: np.ndarray, counts: np.ndarray) -> float:
    """The upper edge of the cell that holds the middle of ``counts``."""
    cum = np.cumsum(counts)
    return float(edges[np.searchsorted(cum, cum[-1] / 2) + 1])


def _fine_edges(lo: float, hi: float, bins: int, middle: float) -> np.ndarray:
    """Equal bins over the span, or bins growing geometrically away from a
    zero-side end when the values crowd there (a long tail: lognormal
    amounts, waiting times), so the crowded end is counted finely."""
    width = hi - lo
    if lo >= 0 and hi > 0 and middle - lo < width / 8:
        inner = np.geomspace(max(lo, hi * 1e-4), hi, bins)
        return np.unique(np.r_[lo, inner])
    if hi <= 0 and lo < 0 and hi - middle < width / 8:
        inner = -np.geomspace(max(-hi, -lo * 1e-4), -lo, bins)[::-1]
        return np.unique(np.r_[inner, hi])
    return np.linspace(lo, hi, bins + 1)


def _allows_zero(f: FieldSpec) -> bool:
    """Whether the column's built-in checks allow the value 0."""
    lo, hi = f.domain.lo, f.domain.hi
    if lo is not None and (float(lo.value) > 0 or (lo.value == 0 and lo.open)):
        return False
    if hi is not None and (float(hi.value) < 0 or (hi.value == 0 and hi.open)):
        return False
    return not any(v == 0 for v in f.domain.forbidden)


def _toward_bounds(f: FieldSpec, lo: float, hi: float) -> tuple[float, float]:
    """The span found, reaching to a bound the checks declare where that
    bound is nearer than the span is wide (the cells between were too thin
    to rise above the noise, not empty)."""
    width = hi - lo
    for bound, low in ((f.domain.lo, True), (f.domain.hi, False)):
        if bound is None or bound.source.startswith("dtype "):
            continue
        value = float(bound.value)
        if low and 0 <= lo - value <= width / 4:
            lo = value
        elif not low and 0 <= value - hi <= width / 4:
            hi = value
    return lo, hi


def _integer_edges(lo: float, hi: float) -> np.ndarray | None:
    """One cell per integer in ``[lo, hi]``, when there are few enough."""
    a, b = math.ceil(lo), math.floor(hi)
    if b < a or b - a + 1 > INTEGER_CELLS:
        return None
    return np.arange(a, b + 2) - 0.5


def _coarse_edges(f: FieldSpec, declared: tuple[float, float] | None) -> np.ndarray:
    """Powers of ten (four steps a decade, both signs; for times, one cell a
    year from 1900 to 2100 instead), the declared range cut in 16, and the
    column's bounds, from the schema alone."""
    steps = 10.0 ** (np.arange(DECADES[0] * 4, DECADES[1] * 4 + 1) / 4)
    edges = np.concatenate([-steps[::-1], [0.0], steps])
    if f.info.kind in (Kind.DATETIME, Kind.DATE):  # years, where times cluster
        years = pd.date_range(f"{YEARS[0]}-01-01", f"{YEARS[1]}-01-01", freq="YS")
        if f.info.kind is Kind.DATE:
            calendar = years.to_numpy().astype("datetime64[D]").astype(np.float64)
        else:
            calendar = years.as_unit(f.info.unit).asi8.astype(np.float64)
        outside = (edges < calendar[0]) | (edges > calendar[-1])
        edges = np.concatenate([edges[outside], calendar])
    if declared is not None:
        # inside the declared range, powers of ten only in its end cells
        # (to find values crowded at an end); elsewhere they would cut the
        # sixteenths into slivers too thin to rise above the noise
        cut = np.linspace(*declared, 17)
        middle = (edges > cut[1]) & (edges < cut[-2])
        edges = np.concatenate([edges[~middle], cut])
    lo = float(f.domain.lo.value) if f.domain.lo is not None else -math.inf
    hi = float(f.domain.hi.value) if f.domain.hi is not None else math.inf
    edges = edges[(edges >= lo) & (edges <= hi)]
    ends = [v for v in (lo, hi) if math.isfinite(v) and abs(v) < GRID_END]
    return np.unique(np.concatenate([edges, ends]))


def _null_rate(f: FieldSpec, counts: np.ndarray) -> dict[str, Any]:
    if not f.nullable:
        return {}
    nulls = max(float(counts[0]), 0.0)
    present = float(np.clip(counts[1:], 0, None).sum())
    if nulls + present <= 0:
        return {}
    return {"null_rate": _round(nulls / (nulls + present))}


def _bin(edges: np.ndarray, x: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(edges, x, side="right") - 1
    return np.clip(idx, 0, len(edges) - 2)


def _pseudo_sample(
    edges: np.ndarray,
    counts: np.ndarray,
    integer: bool,
    zero: bool,
    rng: np.random.Generator,
    size: int,
) -> np.ndarray:
    """Values drawn from the noisy histogram, uniform within each bin (the
    zero cell, when there is one, last: exact zeros)."""
    which = rng.choice(len(counts), size, p=counts / counts.sum())
    if integer:
        return edges[which] + 0.5
    zeros = which == len(edges) - 1 if zero else np.zeros(size, dtype=bool)
    which = np.minimum(which, len(edges) - 2)
    left, right = edges[which], edges[which + 1]
    return np.where(zeros, 0.0, left + rng.random(size) * (right - left))


def _plain_choice(value: Any) -> Any:
    from ._fit import _plain

    return _plain(value)


# -- correlations -----------------------------------------------------------


def _correlations(
    budget: Budget,
    df: pd.DataFrame,
    columns: dict[str, dict[str, Any]],
    noise: np.random.Generator,
    rng: np.random.Generator,
) -> list[list[Any]]:
    """Rank correlations from noisy Kendall counts, those beyond the noise."""
    from scipy import stats

    if not budget.pairs:
        return []
    n = len(df)
    rows = (
        np.sort(rng.choice(n, CORRELATION_ROWS, replace=False))
        if n > CORRELATION_ROWS
        else np.arange(n)
    )
    m = len(rows)
    if m < 2:
        return []
    ranked = {}
    for a, b in budget.pairs:
        for f in (a, b):
            if f.name not in ranked:
                ranked[f.name] = _rank_values(f, df[f.name].iloc[rows]).to_numpy()
    scale = 2 * (m - 1) / budget.per_pair
    out = []
    for a, b in budget.pairs:
        x, y = ranked[a.name], ranked[b.name]
        both = ~(np.isnan(x) | np.isnan(y))
        s = _kendall_s(x[both], y[both], stats)
        s_noisy = s + int(geometric_noise(noise, scale, 1)[0])
        # what follows reads only the noisy count and other released numbers
        present = m * _present(columns, a) * _present(columns, b)
        pairs_n = present * (present - 1) / 2
        denom = math.sqrt(
            max(pairs_n - _tied(columns, a, present), 1.0)
            * max(pairs_n - _tied(columns, b, present), 1.0)
        )
        tau = max(-1.0, min(1.0, s_noisy / denom))
        rho = 6 / math.pi * math.asin(math.sin(math.pi * tau / 2) / 2)
        # beyond sampling noise, and beyond what the added noise reaches in
        # any of the pairs but one time in fifty (rho is about 1.5 tau)
        reach = 1.5 * scale * math.log(50 * len(budget.pairs)) / denom
        if abs(rho) >= max(0.05, 3 / math.sqrt(max(present, 1)) + reach):
            out.append([a.name, b.name, round(rho, 2)])
    return out


def _kendall_s(x: np.ndarray, y: np.ndarray, stats: Any) -> int:
    """Concordant minus discordant pairs (ties count as neither)."""
    c = len(x)
    if c < 2:
        return 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tau_b = stats.kendalltau(x, y).statistic
    if not math.isfinite(tau_b):
        return 0
    n0 = c * (c - 1) / 2
    denom = math.sqrt((n0 - _ties(x)) * (n0 - _ties(y)))
    return round(tau_b * denom)


def _ties(x: np.ndarray) -> float:
    _, counts = np.unique(x, return_counts=True)
    return float((counts * (counts - 1) / 2).sum())


def _present(columns: dict[str, dict[str, Any]], f: FieldSpec) -> float:
    return 1.0 - float(columns.get(f.name, {}).get("null_rate", 0.0))


def _tied(columns: dict[str, dict[str, Any]], f: FieldSpec, present: float) -> float:
    """Tied pairs of a finite column, from its released weights."""
    weights = columns.get(f.name, {}).get("weights")
    if not weights:
        return 0.0
    return sum((present * w) ** 2 / 2 for w in weights.values())
