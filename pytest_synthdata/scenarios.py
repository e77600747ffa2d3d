"""Scenarios: "what if the real data differs", declared in code.

Each function returns a :class:`Scenario`; combine them with ``+`` and pass
the result as ``scenario=`` to ``generate``, the ``synthdata`` marker,
``synth_factory`` or ``register``. Every frame still validates: shifted
values are truncated to what the checks allow, reweighted values stay among
the allowed ones, outliers stay inside the bounds.

>>> from pytest_synthdata import scenarios as sc
>>> what_if = sc.shift("age", by=10) + sc.null_rate("email", 0.3)
>>> what_if
shift('age', by=10) + null_rate('email', 0.3)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._schema.scenario import (
    Correlate,
    Frequency,
    NullRate,
    Outliers,
    Reweight,
    Scenario,
    Shift,
    fraction,
    number,
    positive,
)
from .errors import InvalidArgumentError

__all__ = [
    "Scenario",
    "correlate",
    "frequency",
    "null_rate",
    "outliers",
    "reweight",
    "shift",
]


def shift(column: Any, *, by: Any = 0, scale: float = 1.0) -> Scenario:
    """Move a numeric, time or decimal column's values, or widen their spread.

    Parameters
    ----------
    column : str
        The column.
    by : number or duration, default 0
        Added to every value: in the column's units (seconds or a duration
        such as ``"30D"`` for datetimes and timedeltas, days for dates).
    scale : float, default 1
        The spread around the median is multiplied by this.

    Notes
    -----
    The column's shape (declared, or its default) becomes the distribution
    of ``median + scale * (x - median) + by``, truncated to what the checks
    allow, so the median moves by ``by`` unless a bound is in the way.
    """
    if isinstance(by, bool):
        raise InvalidArgumentError(
            f"shift({column!r}): by must be a number or duration."
        )
    return Scenario((Shift(column, by, positive(scale, "scale", "shift")),))


def reweight(column: Any, factors: Mapping[Any, float]) -> Scenario:
    """Multiply the weights of some values of a finite column (isin, category,
    bool); the others keep theirs. A factor above 1 makes a value commoner,
    below 1 rarer, 0 removes it."""
    if not isinstance(factors, Mapping) or not factors:
        raise InvalidArgumentError(
            f"reweight({column!r}): give a mapping of values to factors, such as "
            "{'fraud': 10}."
        )
    checked = []
    for value, factor in factors.items():
        x = number(factor, f"the factor of {value!r}", f"reweight({column!r})")
        if not x >= 0:
            raise InvalidArgumentError(
                f"reweight({column!r}): the factor of {value!r} must be 0 or more."
            )
        checked.append((value, x))
    return Scenario((Reweight(column, tuple(checked)),))


def frequency(column: Any, value: Any, p: float) -> Scenario:
    """Make ``value`` a fraction ``p`` of a finite column's rows (a rare event
    made commoner or rarer); the other values share the rest as before."""
    return Scenario((Frequency(column, value, fraction(p, "p", "frequency")),))


def null_rate(column: Any, rate: float) -> Scenario:
    """Set the fraction of nulls of a nullable column."""
    return Scenario((NullRate(column, fraction(rate, "rate", "null_rate")),))


def outliers(
    column: Any,
    rate: float,
    *,
    side: str = "both",
    spread: tuple[float, float] = (3.0, 10.0),
) -> Scenario:
    """Replace a fraction ``rate`` of a numeric column's values with outliers.

    An outlier lies ``k`` interquartile ranges beyond the median (``k``
    uniform in ``spread``), above it, below it or either (``side``), inside
    what the checks allow (a bound in the way clips it to the bound).
    """
    if side not in ("both", "high", "low"):
        raise InvalidArgumentError(
            f"outliers({column!r}): side must be 'both', 'high' or 'low', got {side!r}."
        )
    bad = InvalidArgumentError(
        f"outliers({column!r}): spread must be (low, high), finite numbers with "
        f"0 < low <= high, got {spread!r}."
    )
    try:
        lo, hi = (number(v, "spread", "outliers") for v in spread)
    except (TypeError, ValueError, InvalidArgumentError):
        raise bad from None
    if not 0 < lo <= hi:
        raise bad
    rate = fraction(rate, "rate", "outliers")
    return Scenario((Outliers(column, rate, side, (lo, hi)),))


def correlate(
    a: Any, b: Any, *, rho: float | None = None, factor: float | None = None
) -> Scenario:
    """Set the Spearman correlation of two columns (``rho``), or scale the
    declared one (``factor``: 0.5 weakens it by half, 0 removes it)."""
    if (rho is None) == (factor is None):
        raise InvalidArgumentError(
            f"correlate({a!r}, {b!r}): give rho= or factor=, one of them."
        )
    where = f"correlate({a!r}, {b!r})"
    if rho is not None:
        rho = number(rho, "rho", where)
        if not -1 <= rho <= 1:
            raise InvalidArgumentError(
                f"{where}: rho must be between -1 and 1, got {rho!r}."
            )
    else:
        factor = number(factor, "factor", where)
        if not factor >= 0:
            raise InvalidArgumentError(
                f"{where}: factor must be 0 or more, got {factor!r}."
            )
    return Scenario((Correlate(a, b, rho, factor),))
