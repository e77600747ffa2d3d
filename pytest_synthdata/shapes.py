"""Typed helpers that build shape dicts for column metadata.

A shape is a plain dict under the ``"synthdata"`` key of a column's pandera
metadata. These helpers spell the keys for you::

    import pandera.pandas as pa
    from pytest_synthdata import shapes as sh

    class Claims(pa.DataFrameModel):
        billed: float = pa.Field(gt=0, metadata=sh.column(sh.lognormal(5, 1)))
        status: str = pa.Field(
            isin=["paid", "denied", "fraud"],
            metadata=sh.column(weights={"paid": 90, "denied": 9.9, "fraud": 0.1}),
        )
        allowed: float = pa.Field(ge=0, nullable=True, metadata=sh.column(null_rate=0.2))

Each distribution helper returns the dict of one ``dist``; :func:`column`
merges it with a null rate, weights or ``p_true`` and wraps the result as
``{"synthdata": {...}}``. The dicts are checked when the schema is compiled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "beta",
    "column",
    "empirical",
    "exponential",
    "gamma",
    "lognormal",
    "normal",
    "poisson",
    "uniform",
    "zipf",
]


def uniform() -> dict[str, Any]:
    """Evenly spread over the values the column's bounds allow."""
    return {"dist": "uniform"}


def normal(mean: Any, std: Any) -> dict[str, Any]:
    """A normal distribution, truncated to the column's bounds.

    On time columns ``mean`` may be a timestamp or timedelta (``"2024-06-01"``)
    and ``std`` a duration (``"30D"``); on decimal columns, Decimals.
    """
    return {"dist": "normal", "mean": mean, "std": std}


def lognormal(mu: float, sigma: float) -> dict[str, Any]:
    """A lognormal distribution; ``mu`` and ``sigma`` are those of the logarithm."""
    return {"dist": "lognormal", "mu": mu, "sigma": sigma}


def exponential(scale: Any) -> dict[str, Any]:
    """An exponential distribution of mean ``scale`` (from zero)."""
    return {"dist": "exponential", "scale": scale}


def gamma(shape: float, scale: Any) -> dict[str, Any]:
    """A gamma distribution of the given shape and scale."""
    return {"dist": "gamma", "shape": shape, "scale": scale}


def beta(a: float, b: float) -> dict[str, Any]:
    """A beta distribution stretched over the column's two bounds."""
    return {"dist": "beta", "a": a, "b": b}


def poisson(lam: float) -> dict[str, Any]:
    """A Poisson distribution of mean ``lam`` (integer columns)."""
    return {"dist": "poisson", "lam": lam}


def zipf(a: float) -> dict[str, Any]:
    """A Zipf distribution of exponent ``a`` > 1 (integer columns, from 1)."""
    return {"dist": "zipf", "a": a}


def empirical(quantiles: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """A distribution through ``[q, value]`` points, linear between them."""
    return {"dist": "empirical", "quantiles": [list(p) for p in quantiles]}


def column(
    dist: Mapping[str, Any] | None = None,
    *,
    null_rate: float | None = None,
    weights: Mapping[Any, float] | None = None,
    p_true: float | None = None,
    given: tuple[str, Mapping[Any, Mapping[str, Any]]] | None = None,
    expr: str | None = None,
    after: str | None = None,
    gap: Mapping[str, Any] | None = None,
    sorted: str | None = None,
) -> dict[str, Any]:
    """Column metadata carrying a shape: ``{"synthdata": {...}}``.

    Parameters
    ----------
    dist : dict, optional
        One of the distribution helpers' results (numeric, time and decimal
        columns; time parameters may be literals such as ``"2024-06-01"`` or
        ``"30D"``).
    null_rate : float, optional
        The fraction of nulls (nullable columns only).
    weights : mapping, optional
        Relative weights of the values of a finite domain (isin, category,
        bool, a small integer range); values left out get weight 0.
    p_true : float, optional
        The fraction of True in a boolean column.
    given : (str, mapping), optional
        ``(other_column, {case: shape})``: the shape of rows where the other
        column holds ``case``; a case's shape is a distribution (one of the
        helpers' results), ``{"weights": {...}}`` or ``{"p_true": p}``.
    expr : str, optional
        A pandas expression over other columns that computes this one.
    after : str, optional
        A column this one never precedes (end >= start).
    gap : dict, optional
        With ``after``: the distribution of the distance past the start,
        with an optional ``"unit"`` (``"s"``, ``"min"``, ``"h"``, ``"D"``).
    sorted : {"increasing", "decreasing"}, optional
        The order of the column's values down the frame.

    Returns
    -------
    dict
        Metadata for ``pa.Column(..., metadata=...)`` or ``pa.Field``.

    Examples
    --------
    >>> column(exponential(30), after="start", null_rate=0.1)["synthdata"]["after"]
    'start'
    """
    shape: dict[str, Any] = dict(dist or {})
    if null_rate is not None:
        shape["null_rate"] = null_rate
    if weights is not None:
        shape["weights"] = dict(weights)
    if p_true is not None:
        shape["p_true"] = p_true
    if given is not None:
        other, cases = given
        shape["given"] = {
            "column": other,
            "cases": {k: dict(v) for k, v in cases.items()},
        }
    if expr is not None:
        shape["expr"] = expr
    if after is not None:
        shape["after"] = after
    if gap is not None:
        shape["gap"] = dict(gap)
    if sorted is not None:
        shape["sorted"] = sorted
    return {"synthdata": shape}
