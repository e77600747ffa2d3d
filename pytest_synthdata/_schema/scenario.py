"""Scenarios: declared departures from a schema's shape ("what if the real
data differs"), as immutable steps that compose with ``+``.

Each step is checked against the schema when it is applied (the column
exists, has the right kind, the values exist); the engine turns the steps
into a shaped spec and, for outliers, a pass over the generated frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidArgumentError


@dataclass(frozen=True)
class Step:
    """One departure; subclasses say which."""

    column: Any

    def describe(self) -> str:  # pragma: no cover - every step overrides it
        raise NotImplementedError


@dataclass(frozen=True)
class Shift(Step):
    by: Any = 0.0
    scale: float = 1.0

    def describe(self) -> str:
        parts = [repr(self.column)]
        if self.by != 0:
            parts.append(f"by={self.by!r}")
        if self.scale != 1:
            parts.append(f"scale={self.scale!r}")
        return f"shift({', '.join(parts)})"


@dataclass(frozen=True)
class Reweight(Step):
    factors: tuple[tuple[Any, float], ...] = ()

    def describe(self) -> str:
        return f"reweight({self.column!r}, {dict(self.factors)!r})"


@dataclass(frozen=True)
class Frequency(Step):
    value: Any = None
    p: float = 0.0

    def describe(self) -> str:
        return f"frequency({self.column!r}, {self.value!r}, {self.p!r})"


@dataclass(frozen=True)
class NullRate(Step):
    rate: float = 0.0

    def describe(self) -> str:
        return f"null_rate({self.column!r}, {self.rate!r})"


@dataclass(frozen=True)
class Outliers(Step):
    rate: float = 0.0
    side: str = "both"
    spread: tuple[float, float] = (3.0, 10.0)

    def describe(self) -> str:
        extra = "" if self.side == "both" else f", side={self.side!r}"
        if self.spread != (3.0, 10.0):
            extra += f", spread={self.spread!r}"
        return f"outliers({self.column!r}, {self.rate!r}{extra})"


@dataclass(frozen=True)
class Correlate(Step):
    other: Any = None
    rho: float | None = None
    factor: float | None = None

    def describe(self) -> str:
        how = f"rho={self.rho!r}" if self.rho is not None else f"factor={self.factor!r}"
        return f"correlate({self.column!r}, {self.other!r}, {how})"


@dataclass(frozen=True)
class Scenario:
    """Steps applied in order; ``a + b`` applies ``a``'s, then ``b``'s."""

    steps: tuple[Step, ...] = ()

    def __add__(self, other: Any) -> Scenario:
        if not isinstance(other, Scenario):
            return NotImplemented
        return Scenario(self.steps + other.steps)

    def __radd__(self, other: Any) -> Scenario:
        if other == 0:  # sum([a, b]) starts from 0
            return self
        return NotImplemented

    def __repr__(self) -> str:
        return " + ".join(s.describe() for s in self.steps) or "Scenario()"


def as_scenario(value: Any, where: str) -> Scenario | None:
    """A scenario from one, a list of them, or None."""
    if value is None:
        return None
    if isinstance(value, Scenario):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, Scenario) for v in value):
        out = Scenario()
        for v in value:
            out = out + v
        return out
    raise InvalidArgumentError(
        f"{where}: scenario must be built with pytest_synthdata.scenarios "
        f"(shift, reweight, ...; combine them with +), got {type(value).__name__} "
        f"{value!r:.80}."
    )


def number(value: Any, name: str, where: str) -> float:
    """A finite real number (numpy scalars too; bools refused)."""
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidArgumentError(f"{where}: {name} must be a number, got {value!r}.")
    x = float(value)
    if not math.isfinite(x):
        raise InvalidArgumentError(f"{where}: {name} must be finite, got {value!r}.")
    return x


def fraction(value: Any, name: str, where: str) -> float:
    x = number(value, name, where)
    if not 0.0 <= x <= 1.0:
        raise InvalidArgumentError(
            f"{where}: {name} must be between 0 and 1, got {value!r}."
        )
    return x


def positive(value: Any, name: str, where: str) -> float:
    x = number(value, name, where)
    if not x > 0:
        raise InvalidArgumentError(f"{where}: {name} must be positive, got {value!r}.")
    return x
