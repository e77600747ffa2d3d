"""Draws from declared distributions, truncated to a window by inverse CDF.

A distribution is truncated to ``[lo, hi]`` by drawing ``u`` uniformly between
``F(lo)`` and ``F(hi)`` and returning ``F^-1(u)``: no spikes at the bounds, as
clipping would give. scipy.stats gives the CDFs and inverse CDFs; where its
inverse CDF is slow (gamma, beta) numpy's own sampler is used and values
outside the window are drawn again, as long as most of the mass is inside.
Discrete families (poisson, zipf) are sampled from a tabulated inverse CDF
over the window (at most a million values from its start; Zipf's tail beyond
is cut and renormalised). These functions know nothing of schemas.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

CONTINUOUS = ("uniform", "normal", "lognormal", "exponential", "gamma", "beta")
DISCRETE = ("poisson", "zipf")
EMPIRICAL = "empirical"
FAMILIES = (*CONTINUOUS, *DISCRETE, EMPIRICAL)
MIN_MASS = 1e-6  # below this much mass inside the window, the shape is refused
RESAMPLE_MASS = 0.5  # numpy sampler + resampling when at least this much is inside
TABLE_MAX = 1_000_000  # discrete support tabulated up to this many values


def frozen(family: str, params: dict[str, float]) -> Any:
    """The scipy.stats frozen distribution of a continuous or discrete family."""
    from scipy import stats

    if family == "normal":
        return stats.norm(params["mean"], params["std"])
    if family == "lognormal":
        return stats.lognorm(params["sigma"], scale=math.exp(params["mu"]))
    if family == "exponential":
        return stats.expon(scale=params["scale"])
    if family == "gamma":
        return stats.gamma(params["shape"], scale=params["scale"])
    if family == "poisson":
        return stats.poisson(params["lam"])
    if family == "zipf":
        return stats.zipf(params["a"])
    raise ValueError(f"no scipy distribution for {family!r}")  # pragma: no cover


def mass_inside(family: str, params: dict[str, float], lo: float, hi: float) -> float:
    """The probability the distribution gives to ``[lo, hi]``.

    From scipy.special's closed forms: scipy.stats costs half a second to
    import, which a test run that only checks a shape should not pay.
    """
    if family in ("uniform", "beta"):
        return 1.0  # defined on the window itself
    if family == EMPIRICAL:
        qs = [q for q, _ in params["quantiles"]]
        vs = [v for _, v in params["quantiles"]]
        below = float(np.interp(lo, vs, qs, left=0.0, right=1.0))
        if lo == vs[0]:
            below = 0.0  # the lowest value itself is inside
        return float(np.interp(hi, vs, qs, left=0.0, right=1.0)) - below
    if family in DISCRETE:  # survival functions: exact far out in the tail
        top = _sf(family, params, math.floor(hi)) if math.isfinite(hi) else 0.0
        return float(_sf(family, params, math.ceil(lo) - 1) - top)
    return float(_cdf(family, params, hi) - _cdf(family, params, lo))


def _cdf(family: str, params: dict[str, float], x: float) -> float:
    from scipy.special import gammainc, ndtr

    if family == "normal":
        return float(ndtr((x - params["mean"]) / params["std"]))
    if x <= 0:
        return 0.0
    if math.isinf(x):
        return 1.0
    if family == "lognormal":
        return float(ndtr((math.log(x) - params["mu"]) / params["sigma"]))
    if family == "exponential":
        return -math.expm1(-x / params["scale"])
    return float(gammainc(params["shape"], x / params["scale"]))  # gamma


def _sf(family: str, params: dict[str, float], k: float) -> float:
    """P(X > k) in closed form (scipy.stats sums Zipf's terms one by one)."""
    from scipy.special import pdtrc, zeta

    if family == "zipf":
        a = params["a"]
        return 1.0 if k < 1 else float(zeta(a, k + 1) / zeta(a))
    return 1.0 if k < 0 else float(pdtrc(k, params["lam"]))  # poisson


def draw_continuous(
    rng: np.random.Generator,
    n: int,
    family: str,
    params: dict[str, float],
    lo: float,
    hi: float,
) -> np.ndarray:
    """``n`` floats of ``family`` truncated to the closed window ``[lo, hi]``."""
    if family == "beta" and math.isfinite(hi - lo):
        return _beta(rng, n, params["a"], params["b"], lo, hi)
    if family in ("uniform", "beta"):  # on the window itself
        if family == "uniform":
            r = rng.random(n)
        else:
            r = _beta(rng, n, params["a"], params["b"], 0.0, 1.0)
        if math.isfinite(hi - lo):
            x = lo + (hi - lo) * r
        else:  # a window wider than the float range
            x = lo * (1.0 - r) + hi * r
        return np.clip(x, lo, hi, out=x)  # rounding may step past a bound
    if family == EMPIRICAL:
        return _empirical(rng, n, params["quantiles"], lo, hi)
    if family == "gamma":
        items = tuple(sorted(params.items()))
        return _tabulated(rng, n, family, items, lo, hi)
    mass = mass_inside(family, params, lo, hi)
    if mass >= RESAMPLE_MASS:  # numpy's sampler is faster than any inverse CDF
        return _resampled(rng, n, family, params, lo, hi, mass)
    if family == "normal":
        return _normal(rng, n, params["mean"], params["std"], lo, hi)
    if family == "lognormal":
        if hi <= 0:
            return np.full(n, np.nan)  # no mass: refused by mass_inside earlier
        log_lo = math.log(lo) if lo > 0 else -math.inf
        log_hi = math.log(hi) if math.isfinite(hi) else math.inf
        return np.exp(_normal(rng, n, params["mu"], params["sigma"], log_lo, log_hi))
    if family == "exponential":
        scale = params["scale"]
        a, b = max(lo, 0.0), hi
        fa = -math.expm1(-a / scale)
        fb = 1.0 if math.isinf(b) else -math.expm1(-b / scale)
        u = fa + (fb - fa) * rng.random(n)
        return np.clip(-scale * np.log1p(-u), a, b)
    dist = frozen(family, params)
    u = rng.uniform(dist.cdf(lo), dist.cdf(hi), n)
    return np.clip(dist.ppf(u), lo, hi)


CELLS = 1 << 14  # cells of equal probability in a tabulated inverse CDF


def _beta(
    rng: np.random.Generator, n: int, a: float, b: float, lo: float, hi: float
) -> np.ndarray:
    """Beta(a, b) stretched over ``[lo, hi]``, from a tabulated inverse CDF."""
    return _tabulated(rng, n, "beta", (("a", a), ("b", b)), lo, hi)


def _tabulated(
    rng: np.random.Generator,
    n: int,
    family: str,
    items: tuple[tuple[str, float], ...],
    lo: float,
    hi: float,
) -> np.ndarray:
    """Draws through a tabulated inverse CDF of the truncated distribution.

    The table holds the quantiles at the edges of :data:`CELLS` cells of equal
    probability and is linear inside each, so the CDF is off by less than
    ``1 / CELLS`` (6e-5) anywhere; the last cell, where a tail may stretch
    far, is drawn through the exact inverse CDF. Two to three times faster
    than numpy's beta and gamma samplers.
    """
    q, dq, fa, fb = _table(family, items, lo, hi)
    u = rng.random(n)
    t = u * CELLS
    i = t.astype(np.intp)
    t -= i
    t *= dq[i]
    t += q[i]
    if family != "beta":  # beta lives on the window: no tail to draw exactly
        last = np.flatnonzero(i == CELLS - 1)
        if len(last):
            t[last] = _dist(family, dict(items)).ppf(fa + (fb - fa) * u[last])
    return np.clip(t, lo, hi, out=t)


def _dist(family: str, params: dict[str, float]) -> Any:
    from scipy import stats

    if family == "beta":
        return stats.beta(params["a"], params["b"])
    return frozen(family, params)


@functools.lru_cache(maxsize=64)
def _table(family: str, items: tuple, lo: float, hi: float) -> Any:
    dist = _dist(family, dict(items))
    if family == "beta":  # defined on the window itself
        q = lo + (hi - lo) * dist.ppf(np.arange(CELLS + 1) / CELLS)
        fa, fb = 0.0, 1.0
    else:
        fa, fb = float(dist.cdf(lo)), float(dist.cdf(hi))
        q = dist.ppf(fa + (fb - fa) * np.arange(CELLS + 1) / CELLS)
    q = np.clip(q, lo, hi)
    with np.errstate(invalid="ignore"):
        dq = np.diff(q)
    dq[~np.isfinite(dq)] = 0.0  # a last cell reaching infinity: drawn exactly
    return q[:-1].copy(), dq, fa, fb


def _normal(
    rng: np.random.Generator, n: int, mean: float, std: float, lo: float, hi: float
) -> np.ndarray:
    from scipy.special import ndtr, ndtri

    a, b = (lo - mean) / std, (hi - mean) / std
    if a > 0:  # the upper tail: work with the mirror image for precision
        return mean - std * _std_normal(rng, n, -b, -a, ndtr, ndtri)
    return mean + std * _std_normal(rng, n, a, b, ndtr, ndtri)


def _std_normal(rng, n, a, b, ndtr, ndtri) -> np.ndarray:
    fa, fb = ndtr(a), ndtr(b)
    if fa == 0.0 and fb == 1.0:
        return rng.standard_normal(n)
    z = ndtri(fa + (fb - fa) * rng.random(n))
    return np.clip(z, a, b)


_SAMPLERS = {
    "normal": lambda rng, p, k: rng.normal(p["mean"], p["std"], k),
    "lognormal": lambda rng, p, k: rng.lognormal(p["mu"], p["sigma"], k),
    "exponential": lambda rng, p, k: rng.exponential(p["scale"], k),
    "gamma": lambda rng, p, k: rng.gamma(p["shape"], p["scale"], k),
    "poisson": lambda rng, p, k: rng.poisson(p["lam"], k),
}


def _resampled(
    rng: np.random.Generator,
    n: int,
    family: str,
    params: dict[str, float],
    lo: float,
    hi: float,
    mass: float,
) -> np.ndarray:
    """numpy's sampler, with values outside the window drawn again.

    Exactly the truncated distribution; used when at least half of the mass
    is inside, so that few rounds are needed.
    """
    sample = _SAMPLERS[family]
    out = sample(rng, params, n)
    if lo <= 0 and family != "normal":  # the others never draw below 0
        bad = np.flatnonzero(out > hi)
    else:
        bad = np.flatnonzero((out < lo) | (out > hi))
    while len(bad):  # replace the values outside, in place
        x = sample(rng, params, int(len(bad) / mass * 1.1) + 16)
        x = x[(x >= lo) & (x <= hi)][: len(bad)]
        out[bad[: len(x)]] = x
        bad = bad[len(x) :]
    return out


def _empirical(
    rng: np.random.Generator, n: int, quantiles: list[list[float]], lo: float, hi: float
) -> np.ndarray:
    """Piecewise-linear inverse CDF through the ``[q, value]`` points."""
    qs = np.array([q for q, _ in quantiles], dtype=float)
    vs = np.array([v for _, v in quantiles], dtype=float)
    f_lo = _cdf_at(lo, qs, vs, left=True) if np.isfinite(lo) else qs[0]
    f_hi = _cdf_at(hi, qs, vs, left=False) if np.isfinite(hi) else qs[-1]
    u = rng.uniform(max(f_lo, qs[0]), min(f_hi, qs[-1]), n)
    return np.clip(np.interp(u, qs, vs), lo, hi)


def _cdf_at(x: float, qs: np.ndarray, vs: np.ndarray, left: bool) -> float:
    """Where the piecewise-linear inverse CDF first reaches ``x`` (``left``)
    or last stays at or below it: a flat stretch (a point mass, such as many
    exact zeros) lies inside the window a bound at its value leaves."""
    i = int(np.searchsorted(vs, x, side="left" if left else "right"))
    if i == 0:
        return float(qs[0])
    if i == len(vs):
        return float(qs[-1])
    v0, v1, q0, q1 = vs[i - 1], vs[i], qs[i - 1], qs[i]
    return float(q0 + (q1 - q0) * (x - v0) / (v1 - v0))


def draw_discrete(
    rng: np.random.Generator,
    n: int,
    family: str,
    params: dict[str, float],
    lo: int,
    hi: int,
) -> np.ndarray:
    """``n`` integers (int64) of ``family`` truncated to ``[lo, hi]``.

    From a tabulated CDF through a guide table; a Poisson mean too large to
    tabulate around is drawn by numpy's sampler, redrawing values outside.
    """
    table = _discrete_table(family, tuple(sorted(params.items())), lo, hi)
    if table is None:  # a Poisson mean too large to tabulate around
        mass = mass_inside(family, params, lo, hi)
        return _resampled(rng, n, family, params, lo, hi, mass).astype(np.int64)
    ks, cdf, guide = table
    return ks[sample_table(rng, n, cdf, guide)]


@functools.lru_cache(maxsize=64)
def _discrete_table(family: str, items: tuple, lo: int, hi: int) -> Any:
    """Support, normalised CDF and guide table of a truncated discrete family.

    The table covers at most :data:`TABLE_MAX` values from the start of the
    window; for Poisson, the stretch around the mean where all but a
    negligible (below 1e-300) part of the mass lies.
    """
    from scipy.special import gammaln, zeta

    params = dict(items)
    start = max(lo, 1 if family == "zipf" else 0)
    stop = min(hi, start + TABLE_MAX - 1)
    if family == "poisson":  # the table covers where the mass is
        lam = params["lam"]
        reach = int(40 * math.sqrt(lam) + 40)
        if 2 * reach > TABLE_MAX:
            return None
        if hi < lam:  # the lower tail: the mass piles up at hi
            start = max(start, hi - TABLE_MAX + 1)
            stop = hi
        else:
            start = max(start, min(int(lam) - reach, hi))
            stop = min(hi, max(int(lam) + reach, start), start + TABLE_MAX - 1)
    ks = np.arange(start, stop + 1, dtype=np.float64)
    if family == "poisson":
        log_pmf = ks * math.log(lam) - lam - gammaln(ks + 1.0)
    else:
        log_pmf = -params["a"] * np.log(ks) - math.log(zeta(params["a"]))
    # Relative to the largest term, so that far tails do not underflow to 0.
    cdf = _normalised_cdf(np.exp(log_pmf - log_pmf.max()))
    return np.arange(start, stop + 1, dtype=np.int64), cdf, _guide(cdf)


GUIDE_MIN = 1 << 10
GUIDE_MAX = 1 << 22


def _normalised_cdf(p: np.ndarray) -> np.ndarray:
    cdf = np.cumsum(p, dtype=np.float64)
    cdf /= cdf[-1]
    np.minimum(cdf, 1.0, out=cdf)
    cdf[-1] = 1.0
    return cdf


def _guide(cdf: np.ndarray) -> np.ndarray:
    """For each of ``m`` equal slices of [0, 1), the first index it can map to.

    ``m`` is a power of two of at least four entries per value, so that most
    draws land on their value at once (Chen and Asau's guide table).
    """
    m = GUIDE_MIN
    while m < 4 * len(cdf) and m < GUIDE_MAX:
        m *= 2
    return np.searchsorted(cdf, np.arange(m) / m, side="right")


def sample_table(
    rng: np.random.Generator, n: int, cdf: np.ndarray, guide: np.ndarray
) -> np.ndarray:
    """``n`` indices ``i`` with probability ``cdf[i] - cdf[i - 1]``.

    A guide-table search: one uniform per draw, one lookup, and a short walk
    for the few draws whose slice holds a step of the CDF. Values of
    probability 0 are never returned.
    """
    u = rng.random(n)
    idx = guide[(u * len(guide)).astype(np.intp)]
    walk = np.flatnonzero(cdf[idx] <= u)
    while len(walk):
        idx[walk] += 1
        walk = walk[cdf[idx[walk]] <= u[walk]]
    return idx


_WEIGHT_TABLES: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def draw_weighted_codes(
    rng: np.random.Generator, n: int, p: np.ndarray, unique: bool = False
) -> np.ndarray:
    """``n`` codes drawn with probabilities ``p`` (without replacement if unique)."""
    if unique:
        return rng.choice(len(p), size=n, replace=False, p=p).astype(np.int64)
    hit = _WEIGHT_TABLES.get(id(p))
    if hit is None or hit[0] is not p:
        cdf = _normalised_cdf(p)
        if len(_WEIGHT_TABLES) > 256:
            _WEIGHT_TABLES.clear()
        hit = _WEIGHT_TABLES[id(p)] = (p, cdf, _guide(cdf))
    return sample_table(rng, n, hit[1], hit[2])


def draw_rowwise(
    rng: np.random.Generator,
    family: str,
    params: dict[str, Any],
    lo: np.ndarray,
    hi: np.ndarray,
    span: tuple[float, float] | None = None,
) -> np.ndarray:
    """One draw per row of ``family`` truncated to the row's own ``[lo, hi]``.

    Inverse CDF throughout (a window per row rules out resampling); discrete
    families return whole numbers as floats. ``span`` is the column's whole
    window, which ``uniform`` and ``beta`` are defined on.
    """
    lo = np.asarray(lo, dtype=np.float64)
    hi = np.asarray(hi, dtype=np.float64)
    u = rng.random(len(lo))
    # Windows may be infinite or empty for some rows (no room after a start):
    # those rows come out nan or at a bound and are clipped or refused later.
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        return _rowwise(family, params, lo, hi, u, span)


def _rowwise(
    family: str,
    params: dict[str, Any],
    lo: np.ndarray,
    hi: np.ndarray,
    u: np.ndarray,
    span: tuple[float, float] | None,
) -> np.ndarray:
    from scipy.special import ndtr, ndtri

    if family == "uniform":
        x = lo + (hi - lo) * u
    elif family == EMPIRICAL:
        qs = np.array([q for q, _ in params["quantiles"]], dtype=float)
        vs = np.array([v for _, v in params["quantiles"]], dtype=float)
        fa = np.interp(lo, vs, qs, left=0.0, right=1.0)
        fb = np.interp(hi, vs, qs, left=0.0, right=1.0)
        x = np.interp(fa + u * (fb - fa), qs, vs)
    elif family in ("normal", "lognormal"):
        mean, std = (
            (params["mean"], params["std"])
            if family == "normal"
            else (params["mu"], params["sigma"])
        )
        a, b = lo, hi
        if family == "lognormal":
            a = np.where(lo > 0, np.log(np.maximum(lo, 1e-300)), -np.inf)
            b = np.where(hi > 0, np.log(np.maximum(hi, 1e-300)), -np.inf)
        za, zb = (a - mean) / std, (b - mean) / std
        flip = za > 0  # upper tails through their mirror image, for precision
        za, zb = np.where(flip, -zb, za), np.where(flip, -za, zb)
        fa, fb = ndtr(za), ndtr(zb)
        z = np.clip(ndtri(fa + u * (fb - fa)), za, zb)
        x = mean + std * np.where(flip, -z, z)
        if family == "lognormal":
            x = np.exp(x)
    elif family == "exponential":
        scale = params["scale"]
        fa = -np.expm1(-np.maximum(lo, 0.0) / scale)
        fb = -np.expm1(-np.maximum(hi, 0.0) / scale)
        x = -scale * np.log1p(-(fa + u * (fb - fa)))
    elif family == "beta":
        from scipy import stats

        base, width = span if span is not None else (0.0, 1.0)
        width = width - base
        dist = stats.beta(params["a"], params["b"])
        fa, fb = dist.cdf((lo - base) / width), dist.cdf((hi - base) / width)
        x = base + width * dist.ppf(fa + u * (fb - fa))
    else:
        dist = frozen(family, params)
        step = 1.0 if family in DISCRETE else 0.0
        fa, fb = dist.cdf(lo - step), dist.cdf(hi)
        x = dist.ppf(fa + u * (fb - fa))
    x = np.where(np.isnan(x), lo, x)
    return np.clip(x, lo, hi)


def window_cdf(
    family: str,
    params: dict[str, Any],
    lo: float,
    hi: float,
    span: tuple[float, float] | None = None,
) -> Any:
    """The CDF of ``family`` truncated to ``[lo, hi]``, as a vectorised function.

    ``span`` is the whole window ``uniform`` and ``beta`` are defined on (the
    column's bounds); for discrete families the CDF counts whole numbers.
    """
    if family == "uniform":
        return lambda x: np.clip((np.asarray(x, float) - lo) / (hi - lo), 0.0, 1.0)
    if family == EMPIRICAL:
        qs = np.array([q for q, _ in params["quantiles"]], dtype=float)
        vs = np.array([v for _, v in params["quantiles"]], dtype=float)

        def base(x: Any) -> Any:
            return np.interp(x, vs, qs, left=0.0, right=1.0)

    elif family == "beta":
        from scipy import stats

        start, stop = span if span is not None else (lo, hi)
        dist = stats.beta(params["a"], params["b"])

        def base(x: Any) -> Any:
            return dist.cdf((np.asarray(x, float) - start) / (stop - start))

    elif family in DISCRETE:
        from scipy.special import pdtr, zeta

        if family == "zipf":  # drawn from a table of TABLE_MAX values at most
            hi = min(hi, max(lo, 1) + TABLE_MAX - 1)

        def base(x: Any) -> Any:
            k = np.floor(np.asarray(x, dtype=float))
            if family == "poisson":
                return np.where(k < 0, 0.0, pdtr(np.maximum(k, 0), params["lam"]))
            a = params["a"]
            return np.where(k < 1, 0.0, 1.0 - zeta(a, np.maximum(k, 1) + 1) / zeta(a))

    else:
        dist = frozen(family, params)
        base = dist.cdf
    step = 1.0 if family in DISCRETE else 0.0
    f_lo, f_hi = float(base(lo - step)), float(base(hi))
    mass = f_hi - f_lo

    def cdf(x: Any) -> Any:
        x = np.clip(np.asarray(x, dtype=float), lo - step, hi)
        return np.clip((base(x) - f_lo) / mass, 0.0, 1.0) if mass > 0 else x * 0.0

    return cdf
