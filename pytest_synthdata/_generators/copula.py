"""Rank correlations: target matrices, their repair, and rank reordering.

A Spearman target ``rho`` is met by a Gaussian copula: normal scores with
Pearson correlation ``2 sin(pi rho / 6)`` have Spearman correlation ``rho``.
Each column's values, drawn independently from their own shape, are then
reordered to the ranks of one score column (Iman and Conover's method), so
the values themselves, and with them every check they meet, are untouched.
These functions know nothing of schemas.
"""

from __future__ import annotations

import numpy as np

EIG_FLOOR = 1e-6  # smallest eigenvalue kept when a matrix is repaired


def is_correlation(matrix: np.ndarray, tol: float = 1e-10) -> bool:
    """Symmetric, unit diagonal, positive definite (within ``tol``)."""
    return bool(
        np.allclose(matrix, matrix.T)
        and np.allclose(np.diag(matrix), 1.0)
        and np.linalg.eigvalsh(matrix).min() > tol
    )


def nearest_correlation(
    matrix: np.ndarray, fixed: np.ndarray | None = None, iterations: int = 2000
) -> np.ndarray:
    """The nearest correlation matrix in the Frobenius norm (Higham, 2002).

    Alternating projections onto the positive semidefinite cone and onto the
    matrices with a unit diagonal and the ``fixed`` entries (a boolean mask;
    the others are free), with Dykstra's correction. Free entries take
    whatever values make the fixed ones reachable; when no completion keeps
    them all, the result is the nearest valid matrix. The smallest
    eigenvalue is then lifted to :data:`EIG_FLOOR` so that the result has a
    Cholesky factor.
    """
    if fixed is None:
        fixed = np.eye(len(matrix), dtype=bool)
    keep = fixed | np.eye(len(matrix), dtype=bool)
    target = (matrix + matrix.T) / 2
    np.fill_diagonal(target, 1.0)
    y = target.copy()
    correction = np.zeros_like(y)
    for _ in range(iterations):
        r = y - correction
        vals, vecs = np.linalg.eigh(r)
        x = (vecs * np.maximum(vals, 0.0)) @ vecs.T
        correction = x - r
        previous = y
        y = np.where(keep, target, x)
        if np.linalg.norm(y - previous) < 1e-10:
            break
    vals, vecs = np.linalg.eigh((y + y.T) / 2)
    y = (vecs * np.maximum(vals, EIG_FLOOR)) @ vecs.T
    d = np.sqrt(np.diag(y))
    y = y / np.outer(d, d)
    np.fill_diagonal(y, 1.0)
    return y


def spearman_to_pearson(rho: np.ndarray) -> np.ndarray:
    """The normal scores' Pearson matrix that gives Spearman ``rho``."""
    out = 2.0 * np.sin(np.pi * rho / 6.0)
    np.fill_diagonal(out, 1.0)
    return out


def pearson_to_spearman(r: np.ndarray) -> np.ndarray:
    """The Spearman matrix of normal scores with Pearson matrix ``r``."""
    out = 6.0 / np.pi * np.arcsin(np.clip(r / 2.0, -0.5, 0.5))
    np.fill_diagonal(out, 1.0)
    return out


def rank_orders(
    rng: np.random.Generator, chol: np.ndarray, keys: list[np.ndarray]
) -> list[np.ndarray]:
    """For each column, the take-order that gives it the copula's ranks.

    ``keys[j]`` are the sort keys of column ``j``'s values (any order);
    ``values[j][order[j]]`` puts the ``r``-th smallest value in the row
    where score column ``j`` has rank ``r``.
    """
    n = len(keys[0])
    scores = rng.standard_normal((n, len(keys))) @ chol.T
    orders = []
    for j, key in enumerate(keys):
        by_value = np.argsort(key, kind="stable")
        where = np.argsort(scores[:, j], kind="stable")
        order = np.empty(n, dtype=np.int64)
        order[where] = by_value
        orders.append(order)
    return orders


# --------------------------------------------------------------------------
# ties: columns with few distinct values
# --------------------------------------------------------------------------

HERMITE_TERMS = 300
CONTINUOUS_CELLS = 4096  # a continuous column, as this many equal cells


def score_terms(probs: np.ndarray | None) -> np.ndarray:
    """Hermite coefficients of a column's rank score, over its normal score.

    ``probs`` are the probabilities of the column's distinct values in
    order (None: continuous). Under the copula a value's rank is a step
    function of its normal score; with ties it is the mid-rank of its
    value. The coefficients ``A_k = E[s(Z) h_k(Z)] / sd(s)`` in normalised
    Hermite polynomials give the rank correlation of two columns at normal
    correlation ``r`` as ``sum_k A_k B_k r**k`` (Mehler's formula).
    """
    from scipy.special import ndtri

    if probs is None:
        probs = np.full(CONTINUOUS_CELLS, 1.0 / CONTINUOUS_CELLS)
    probs = np.asarray(probs, dtype=np.float64)
    probs = probs[probs > 0] / probs.sum()
    cum = np.cumsum(probs)
    cum[-1] = 1.0
    mid = cum - probs / 2  # mid-ranks, scaled to [0, 1]
    var = float(np.sum(probs * mid**2) - np.sum(probs * mid) ** 2)
    if len(probs) < 2 or var <= 0:
        return np.zeros(HERMITE_TERMS)
    cuts = ndtri(np.clip(cum[:-1], 1e-300, 1 - 1e-16))
    weights = np.exp(-(cuts**2) / 2) / np.sqrt(2 * np.pi) * np.diff(mid)
    out = np.empty(HERMITE_TERMS)
    h_prev, h = np.zeros_like(cuts), np.ones_like(cuts)  # h_{-1}, h_0
    for k in range(1, HERMITE_TERMS + 1):
        out[k - 1] = np.sum(weights * h) / np.sqrt(k)
        h_prev, h = h, (cuts * h - np.sqrt(k - 1) * h_prev) / np.sqrt(k)
    return out / np.sqrt(var)


def rank_correlation(a: np.ndarray, b: np.ndarray, r: float) -> float:
    """The rank correlation two columns reach at normal correlation ``r``."""
    powers = r ** np.arange(1, len(a) + 1)
    return float(np.sum(a * b * powers))


def normal_correlation(a: np.ndarray, b: np.ndarray, rho: float) -> tuple[float, float]:
    """The normal correlation giving rank correlation ``rho`` (bisection), and
    the rank correlation it reaches (less than ``rho`` when ties forbid it)."""
    lo, hi = -0.9999, 0.9999
    if rho >= rank_correlation(a, b, hi):
        return hi, rank_correlation(a, b, hi)
    if rho <= rank_correlation(a, b, lo):
        return lo, rank_correlation(a, b, lo)
    for _ in range(60):
        mid = (lo + hi) / 2
        if rank_correlation(a, b, mid) < rho:
            lo = mid
        else:
            hi = mid
    r = (lo + hi) / 2
    return r, rank_correlation(a, b, r)
