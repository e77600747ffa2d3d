"""Vectorised draws of integers, floats and codes inside closed windows.

These functions know nothing of schemas: they take explicit windows and a
numpy ``Generator``, and return exactly ``n`` values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_I64_MAX = np.iinfo(np.int64).max


def draw_ints(
    rng: np.random.Generator, n: int, lo: int, hi: int, unique: bool = False
) -> np.ndarray:
    """``n`` integers in ``[lo, hi]``, all different when ``unique``.

    The caller checks beforehand that the window holds ``n`` values.
    """
    span = hi - lo  # Python ints: no overflow
    if span < 0:
        raise ValueError("empty window")
    dtype = np.int64 if lo >= -_I64_MAX - 1 and hi <= _I64_MAX else np.uint64
    if not unique:
        if dtype is np.uint64:
            return rng.integers(lo, hi, size=n, dtype=np.uint64, endpoint=True)
        return rng.integers(lo, hi, size=n, dtype=np.int64, endpoint=True)
    if span + 1 <= 4 * n + 64:
        picks = rng.permutation(span + 1)[:n].astype(dtype)
        return picks + dtype(lo)  # in the window's own dtype: no overflow
    out = rng.integers(lo, hi, size=n, dtype=dtype, endpoint=True)
    for _ in range(64):  # collisions are rare in a window 4x larger than n
        dup = _duplicated(out)
        if not dup.any():
            return out
        out[dup] = rng.integers(lo, hi, size=int(dup.sum()), dtype=dtype, endpoint=True)
    raise ValueError("could not draw distinct integers")  # pragma: no cover


def _duplicated(values: np.ndarray) -> np.ndarray:
    """True for every repeat of an earlier value (hashing when large)."""
    if len(values) > 50_000:
        return pd.Series(values, copy=False).duplicated().to_numpy()
    _, first = np.unique(values, return_index=True)
    dup = np.ones(len(values), dtype=bool)
    dup[first] = False
    return dup


def float_window(
    lo: float | None,
    lo_open: bool,
    hi: float | None,
    hi_open: bool,
    dtype: np.dtype,
) -> tuple[float, float]:
    """The closed window of ``dtype`` values that the bounds admit."""
    with np.errstate(over="ignore"):  # stepping past the largest value gives inf
        return _float_window(lo, lo_open, hi, hi_open, dtype)


def _float_window(
    lo: float | None, lo_open: bool, hi: float | None, hi_open: bool, dtype: np.dtype
) -> tuple[float, float]:
    finfo = np.finfo(dtype)
    t = dtype.type
    big = float(finfo.max)
    if lo is None:
        lo_t = t(-big)
    else:
        lo_t = t(max(lo, -big))
        if float(lo_t) < lo or (lo_open and float(lo_t) == lo):
            lo_t = np.nextafter(lo_t, t(np.inf))
        if dtype.itemsize < 8:
            # numpy compares a narrow column with the bound cast to its dtype;
            # stay inside both readings of the bound.
            cast = t(max(lo, -big))
            inner = np.nextafter(cast, t(np.inf)) if lo_open else cast
            lo_t = max(lo_t, inner)
    if hi is None:
        hi_t = t(big)
    else:
        hi_t = t(min(hi, big))
        if float(hi_t) > hi or (hi_open and float(hi_t) == hi):
            hi_t = np.nextafter(hi_t, t(-np.inf))
        if dtype.itemsize < 8:
            cast = t(min(hi, big))
            inner = np.nextafter(cast, t(-np.inf)) if hi_open else cast
            hi_t = min(hi_t, inner)
    return float(lo_t), float(hi_t)


def draw_floats(
    rng: np.random.Generator,
    n: int,
    lo: float | None,
    hi: float | None,
    window: tuple[float, float],
    dtype: np.dtype,
    scale: float = 100.0,
) -> np.ndarray:
    """``n`` floats of ``dtype`` inside ``window`` (closed, already in ``dtype``).

    ``lo``/``hi`` say which sides the user bounded: bounded on both sides gives
    a uniform draw, on one side an exponential tail away from the bound, on
    neither a normal around zero.
    """
    w_lo, w_hi = window
    if lo is not None and hi is not None:
        span = w_hi - w_lo
        if np.isfinite(span):
            x = w_lo + span * rng.random(n)
        else:  # a window wider than the float range: draw in two halves
            x = np.where(rng.random(n) < 0.5, w_lo, w_hi) * rng.random(n)
    elif lo is not None:
        x = w_lo + rng.exponential(scale, n)
    elif hi is not None:
        x = w_hi - rng.exponential(scale, n)
    else:
        x = rng.normal(0.0, scale, n)
    # Clip before the cast: the window's ends are values of ``dtype``, so
    # rounding on the cast cannot leave it (and nothing overflows).
    np.clip(x, w_lo, w_hi, out=x)
    return x.astype(dtype, copy=False)


def draw_codes(
    rng: np.random.Generator,
    n: int,
    k: int,
    unique: bool = False,
    required: np.ndarray | None = None,
) -> np.ndarray:
    """``n`` codes into ``k`` choices (uniform); ``required`` codes all appear."""
    if unique:
        return rng.permutation(k)[:n].astype(np.int64)
    codes = rng.integers(0, k, size=n, dtype=np.int32 if k < 2**31 else np.int64)
    if required is not None and len(required):
        where = rng.permutation(n)[: len(required)]
        codes[where] = required
    return codes


def redraw_forbidden(
    values: np.ndarray,
    forbidden: np.ndarray,
    redraw,
    rounds: int = 32,
) -> np.ndarray | None:
    """Replace values found in ``forbidden`` by fresh draws; None if stuck."""
    bad = np.isin(values, forbidden)
    for _ in range(rounds):
        if not bad.any():
            return values
        values[bad] = redraw(int(bad.sum()))
        bad = np.isin(values, forbidden)
    return None if bad.any() else values
