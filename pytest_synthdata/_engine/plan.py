"""Planning: sampling windows per field and requests rejected before any draw.

A plan turns a field's domain into concrete windows: the user's bounds where
given, a realistic default where not (documented in the README), widened so
that unique columns have room. Impossible requests (more unique rows than a
domain holds) are rejected here, before a random number is drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._generators.distributions import DISCRETE, MIN_MASS, mass_inside
from .._generators.numbers import float_window
from .._generators.strings import StringRecipe
from .._schema.dtypes import Kind
from .._schema.spec import FieldSpec, FrameSpec
from ..errors import (
    ContradictoryChecksError,
    InfeasibleRequestError,
    InvalidShapeError,
)

_UNITS_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}
_DAY_S = 86_400
_Y2000_S = 946_684_800  # 2000-01-01T00:00:00Z
_Y2030_S = 1_893_456_000  # 2030-01-01T00:00:00Z
INT_WIDTH = 10_000
MAX_BYTES = 64 * 2**30  # refuse requests that cannot fit in memory
FLOAT_SCALE = 100.0


@dataclass(frozen=True)
class FieldPlan:
    """How one field is drawn."""

    field: FieldSpec
    user_lo: Any = None  # integral kinds: user bound in logical units, or None
    user_hi: Any = None
    limits: tuple[int, int] | None = None  # what the dtype can hold
    default: tuple[int, int] | None = None  # window when unbounded both sides
    width: int = INT_WIDTH  # one-sided windows reach this far from the bound
    fwindow: tuple[float, float] | None = None
    recipe: StringRecipe | None = None

    @property
    def size(self) -> int | None:
        """How many distinct values the domain holds (None: too many to count)."""
        f = self.field
        if f.domain.choices is not None:
            return len(f.domain.choices)
        if self.limits is not None:  # integral kinds: the dtype bounds it anyway
            lo, hi = self.limits
            return int(hi - lo + 1) - self._forbidden_inside()
        return None

    def _forbidden_inside(self) -> int:
        """Distinct forbidden values that fall inside an integral window.

        Forbidden values are compared as given (they are rare and few); values
        that cannot be compared are not counted.
        """
        lo, hi = self.limits  # type: ignore[misc]
        count = 0
        if self.field.info.kind is not Kind.INT:
            return len(set(map(repr, self.field.domain.forbidden)))
        for value in {repr(v): v for v in self.field.domain.forbidden}.values():
            try:
                if float(value) == int(value) and lo <= int(value) <= hi:
                    count += 1
            except (TypeError, ValueError, OverflowError):
                continue
        return count

    def window(self, n: int, unique: bool) -> tuple[int, int]:
        """Closed integral window to draw ``n`` values from."""
        lo_lim, hi_lim = self.limits  # type: ignore[misc]
        width = max(self.width, 4 * n) if unique else self.width
        lo, hi = self.user_lo, self.user_hi
        if lo is not None and hi is not None:
            return lo, hi
        if lo is not None:
            w_lo, w_hi = lo, min(lo + width, hi_lim)
        elif hi is not None:
            w_lo, w_hi = max(hi - width, lo_lim), hi
        else:
            w_lo, w_hi = self.default  # type: ignore[misc]
            if unique and w_hi - w_lo < width:  # room for n distinct values
                w_hi = min(w_lo + width, hi_lim)
        if unique and w_hi - w_lo + 1 < 2 * n:  # a narrow dtype: use all of it
            w_lo, w_hi = lo_lim if lo is None else lo, hi_lim if hi is None else hi
        return max(w_lo, lo_lim), min(w_hi, hi_lim)

    def dist_window(self, n: int) -> tuple[float, float]:
        """The window a declared distribution is truncated to.

        Everything the checks and dtype allow, except that a uniform int
        column with a bound missing keeps the realistic default window.
        """
        f = self.field
        if f.info.kind is Kind.FLOAT:
            return self.fwindow  # type: ignore[return-value]
        if f.shape.dist == "uniform" and (self.user_lo is None or self.user_hi is None):
            return self.window(n, f.unique)
        return self.limits  # type: ignore[return-value]


def _check_mass(plan: FieldPlan) -> None:
    """Refuse a distribution with almost no mass inside the column's window."""
    f = plan.field
    shape = f.shape
    lo, hi = plan.dist_window(0)
    if f.info.kind is not Kind.FLOAT and shape.dist not in DISCRETE:
        lo, hi = lo - 0.5, hi + 0.5
    mass = mass_inside(shape.dist, shape.param_dict, lo, hi)
    if not mass >= MIN_MASS:
        params = ", ".join(f"{k}={v}" for k, v in shape.params)
        raise InvalidShapeError(
            f"{f.label}: dist={shape.dist!r} ({params}) puts {mass:.2g} of its "
            f"mass inside the values the checks allow ([{lo:g}, {hi:g}]); move "
            "the distribution into that range or widen the checks."
        )


def _unit_scale(unit: str) -> int:
    return _UNITS_PER_SECOND[unit]


def _user(bound: Any) -> Any:
    if bound is None or bound.source.startswith("dtype "):
        return None
    return bound.value


def plan_field(f: FieldSpec) -> FieldPlan:
    """Work out the windows of one field."""
    info, dom = f.info, f.domain
    kind = info.kind
    if kind is Kind.STRING:
        recipe = StringRecipe(
            matches=dom.matches,
            contains=dom.contains,
            prefix=max(dom.prefixes, key=len, default=""),
            suffix=max(dom.suffixes, key=len, default=""),
            min_len=dom.min_len,
            max_len=dom.max_len,
        )
        return FieldPlan(f, recipe=recipe)
    if kind is Kind.FLOAT:
        lo = None if dom.lo is None else dom.lo.value
        hi = None if dom.hi is None else dom.hi.value
        fdt = info.float_dtype or np.dtype("float64")
        w = float_window(
            lo,
            bool(dom.lo and dom.lo.open),
            hi,
            bool(dom.hi and dom.hi.open),
            fdt,
        )
        if w[0] > w[1]:
            bounds = " and ".join(b.source for b in (dom.lo, dom.hi) if b)
            raise ContradictoryChecksError(
                f"{f.label}: no {fdt} value meets {bounds}; widen the bounds or "
                "use a wider float dtype."
            )
        return FieldPlan(f, fwindow=w)
    if kind is Kind.BOOL or kind is Kind.ARROW:
        return FieldPlan(f)
    limits = (int(dom.lo.value), int(dom.hi.value)) if dom.lo and dom.hi else None
    if kind is Kind.INT:
        # notin values take room from the window: widen it by as many.
        width = INT_WIDTH + len(dom.forbidden)
        default = (0, width)
    elif kind is Kind.DATETIME:
        per = _unit_scale(info.unit)
        default = (_Y2000_S * per, _Y2030_S * per - 1)
        width = 10 * 365 * _DAY_S * per
    elif kind is Kind.DATE:
        default = (_Y2000_S // _DAY_S, _Y2030_S // _DAY_S - 1)
        width = 10 * 365
    elif kind is Kind.TIMEDELTA:
        per = _unit_scale(info.unit)
        default = (0, 30 * _DAY_S * per)
        width = 30 * _DAY_S * per
    else:  # DECIMAL
        default = (0, INT_WIDTH * 10**info.scale)
        width = INT_WIDTH * 10**info.scale
    if limits is not None:
        default = (max(default[0], limits[0]), min(default[1], limits[1]))
        if default[0] > default[1]:
            default = limits
    return FieldPlan(
        f,
        user_lo=_user(dom.lo),
        user_hi=_user(dom.hi),
        limits=limits,
        default=default,
        width=width,
    )


def _shaped(plan: FieldPlan) -> FieldPlan:
    if plan.field.dist is not None:
        _check_mass(plan)
    return plan


def plan_frame(spec: FrameSpec) -> dict[Any, FieldPlan]:
    """Plans for every field, keyed by the field's stream key.

    The fields that ``given`` cases draw from get plans of their own.
    """
    plans = {f.stream: _shaped(plan_field(f)) for f in spec.fields}
    if spec.links is not None:
        for cases in spec.links.cases.values():
            for _, case in cases:
                plans[case.stream] = _shaped(plan_field(case))
    return plans


def _label_list(fields: list[FieldSpec]) -> str:
    return ", ".join(f.label for f in fields)


def check_request(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    rows: int,
    held: int | None = None,
) -> None:
    """Reject requests that no frame can meet, before any work is done.

    ``held`` is how many rows are in memory at once (all of them unless the
    rows come in chunks).
    """
    width = max(len(spec.fields), 1)
    held = rows if held is None else held
    # Eight bytes a cell, and a string column's shortest strings on top.
    cell_bytes = sum(8 + f.domain.min_len for f in spec.fields) or 8
    if held * cell_bytes > MAX_BYTES:
        raise InfeasibleRequestError(
            f"{spec.schema_name}: {held} rows of {width} columns need at least "
            f"{held * cell_bytes / 2**30:.0f} GiB in memory; ask for fewer rows "
            "at a time (generate_chunks and write_dataset make them in chunks) or "
            "shorter strings."
        )
    if rows < spec.min_rows:
        raise InfeasibleRequestError(
            f"{spec.schema_name}: {spec.min_rows_reason}, so a valid frame needs at "
            f"least {spec.min_rows} rows; {rows} were asked for. Ask for at least "
            f"{spec.min_rows} rows."
        )
    for fields, size in unique_limits(spec, plans):
        if size >= rows:
            continue
        if len(fields) == 1:
            raise InfeasibleRequestError(
                f"{fields[0].label} is unique but its checks allow only {size} "
                f"distinct values, fewer than the {rows} rows asked for; ask for at "
                f"most {size} rows or widen the column's checks."
            )
        raise InfeasibleRequestError(
            f"{_label_list(fields)} must be unique together, but their checks "
            f"allow only {size} distinct combinations, fewer than the {rows} rows "
            f"asked for; ask for at most {size} rows or widen the checks."
        )


def unique_groups(spec: FrameSpec) -> list[list[FieldSpec]]:
    """The fields that must be unique together: MultiIndex levels, unique=[...]."""
    groups: list[list[FieldSpec]] = []
    if spec.index_unique and spec.multiindex:
        groups.append(list(spec.index))
    if spec.joint_unique:
        by_name = {c.name: c for c in spec.columns}
        groups.append([by_name[name] for name in spec.joint_unique])
    return groups


def unique_limits(spec: FrameSpec, plans: dict[Any, FieldPlan]):
    """(fields, distinct values or combinations) for each countable uniqueness."""
    for f in spec.fields:
        size = plans[f.stream].size
        if f.unique and size is not None:
            yield [f], size
    for group in unique_groups(spec):
        sizes = [plans[f.stream].size for f in group]
        if all(s is not None for s in sizes):
            yield group, math.prod(sizes)  # type: ignore[arg-type]


def row_capacity(spec: FrameSpec, plans: dict[Any, FieldPlan]) -> int | None:
    """The most rows a valid frame can have (None: no limit from uniqueness)."""
    sizes = [size for _, size in unique_limits(spec, plans)]
    return min(sizes) if sizes else None
