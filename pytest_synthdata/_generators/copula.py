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
