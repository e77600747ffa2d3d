"""The immutable specs that the schema reader hands to everything below it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .dtypes import DtypeInfo


@dataclass(frozen=True)
class Bound:
    """One end of a numeric interval, with the check that set it."""

    value: Any
    open: bool
    source: str


@dataclass(frozen=True, eq=False)
class Domain:
    """Every value the built-in checks of one column allow.

    Numeric, temporal and decimal domains are intervals of *logical* numbers:
    integers in the column's unit for datetimes (since the epoch), dates (days),
    timedeltas and decimals (unscaled), floats for floats. ``choices`` is set
    when the domain is a finite set: a Series already in the column's dtype,
    already filtered by every element-level check.
    """

    lo: Bound | None = None
    hi: Bound | None = None
    forbidden: tuple[Any, ...] = ()
    choices: pd.Series | None = None
    required: tuple[Any, ...] = ()  # unique_values_eq: each must appear
    # strings
    matches: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    min_len: int = 0
    max_len: int | None = None
    sources: tuple[str, ...] = ()  # repr of every built-in check read


@dataclass(frozen=True, eq=False)
class FieldSpec:
    """A column or an index level, compiled.

    ``element_checks`` are every check evaluated value by value (built-in and
    custom) used to verify candidates that are not exact by construction;
    ``residual`` are custom checks that only the assembled column or frame can
    answer. ``proposal`` is the Hypothesis strategy of checks registered with
    ``strategy=``: values are drawn from it instead of from the domain (and
    still verified against every check).
    """

    name: Any
    label: str
    info: DtypeInfo
    nullable: bool
    null_rate: float
    unique: bool
    domain: Domain
    exact: bool
    element_checks: tuple[Any, ...] = ()
    residual: tuple[Any, ...] = ()
    proposal: Any = None  # a Hypothesis strategy from registered checks
    pandera_dtype: Any = None  # the declared pandera dtype
    shape: Any = None  # a ColumnShape: distribution, null rate, weights
    code_weights: Any = None  # probabilities over domain.choices, from weights
    stream: int = 0  # stable per-field key for the random stream

    @property
    def finite(self) -> bool:
        return self.domain.choices is not None

    @property
    def dist(self) -> str | None:
        """The declared distribution's family, if any."""
        return None if self.shape is None else self.shape.dist


@dataclass(frozen=True, eq=False)
class FrameSpec:
    """A whole schema, compiled once and cached."""

    columns: tuple[FieldSpec, ...]
    index: tuple[FieldSpec, ...] = ()
    multiindex: bool = False
    index_unique: bool = False
    joint_unique: tuple[str, ...] = ()
    frame_checks: tuple[Any, ...] = ()
    min_rows: int = 0
    min_rows_reason: str = ""
    schema_name: str = "schema"
    has_parsers: bool = False
    frame_shape: dict[str, Any] = field(default_factory=dict, compare=False)
    links: Any = None  # a Links: relations between columns, or None
    polars: Any = None  # the pandera.polars schema this spec was read from
    warned: list[bool] = field(default_factory=lambda: [False], compare=False)

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return self.columns + self.index

    @property
    def has_residual(self) -> bool:
        if self.links is not None and self.links.rowwise:
            return True  # derived and sorted columns are checked row by row
        return bool(self.frame_checks) or any(f.residual for f in self.fields)
