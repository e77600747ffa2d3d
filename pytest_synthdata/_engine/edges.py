"""Edge values: the boundary and special values each field's checks allow.

For every field, a small catalogue of values that pipelines tend to break on
(the bounds, the nearest value inside an exclusive bound, zero, infinities,
empty, whitespace and non-ASCII strings, extreme datetimes, DST transitions,
every value of a finite domain, the null) is proposed, kept only where the
field's own checks accept it, and finished in the field's exact dtype. The
Hypothesis strategies inject them into frames; nothing here draws at random
except the pilot that finds the shortest and longest strings of a pattern,
which uses a fixed seed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .._generators.nested import draw_nested
from .._schema.dtypes import Kind
from .assemble import _verify, draw_values, finish_field
from .plan import FieldPlan

MAX_CHOICE_EDGES = 256  # finite domains: every value up to this many
STRING_CANDIDATES = (
    ("empty string", ""),
    ("single space", " "),
    ("whitespace", " \t\n"),
    ("padded", " a "),
    ("one letter", "a"),
    ("non-ASCII letter", "é"),
    ("non-ASCII name", "Zoë Ñandú"),
    ("CJK", "東京"),
    ("emoji", "🙂"),
    ("zero-width space", "a\u200bb"),
)
_DAY_S = 86_400
_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}


@dataclasses.dataclass(frozen=True, eq=False)
class FieldEdges:
    """The valid edge values of one field, in its exact dtype, with labels."""

    values: pd.Series
    labels: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.labels)


def _int_candidates(plan: FieldPlan) -> list[tuple[str, int]]:
    lo, hi = plan.limits  # type: ignore[misc]
    user_lo = plan.user_lo if plan.user_lo is not None else None
    user_hi = plan.user_hi if plan.user_hi is not None else None
    out = [
        ("lower bound" if user_lo is not None else "dtype minimum", lo),
        ("upper bound" if user_hi is not None else "dtype maximum", hi),
        ("just above the lower bound", lo + 1),
        ("just below the upper bound", hi - 1),
    ]
    kind = plan.field.info.kind
    if kind is Kind.INT:
        out += [("zero", 0), ("one", 1), ("minus one", -1)]
    elif kind is Kind.DATETIME:
        per = _PER_SECOND[plan.field.info.unit]
        out += [
            ("the epoch", 0),
            ("2000-01-01", 946_684_800 * per),
            ("one unit before 2000-01-01", 946_684_800 * per - 1),
            ("leap day 2000-02-29", 951_782_400 * per),
        ]
        out += _dst_candidates(plan)
    elif kind is Kind.DATE:
        out += [("the epoch", 0), ("2000-01-01", 10_957), ("leap day", 11_016)]
    elif kind is Kind.TIMEDELTA:
        out += [("zero", 0), ("one unit", 1), ("minus one unit", -1)]
    elif kind is Kind.DECIMAL:
        out += [("zero", 0), ("smallest step", 1), ("minus smallest step", -1)]
    return [(label, v) for label, v in out if lo <= v <= hi]


def _dst_candidates(plan: FieldPlan) -> list[tuple[str, int]]:
    """The instants around the first clock changes of a tz-aware window."""
    info = plan.field.info
    if info.tz is None or str(info.tz) in ("UTC", "utc"):
        return []
    per = _PER_SECOND[info.unit]
    lo = plan.user_lo if plan.user_lo is not None else plan.default[0]  # type: ignore[index]
    hi = plan.user_hi if plan.user_hi is not None else plan.default[1]  # type: ignore[index]
    start = max(lo // per, -2_000_000_000)  # seconds; stay well inside ns range
    stop = min(hi // per, start + 2 * 366 * _DAY_S, 7_000_000_000)
    if stop <= start:
        return []
    try:
        grid = pd.date_range(
            pd.Timestamp(start, unit="s", tz="UTC").floor("h"),
            pd.Timestamp(stop, unit="s", tz="UTC"),
            freq="h",
        )
        local = grid.tz_convert(info.tz)
        offsets = local.tz_localize(None).asi8 - grid.tz_localize(None).asi8
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return []
    out = []
    for i in np.flatnonzero(np.diff(offsets))[:2]:
        change = int(grid[i + 1].as_unit(info.unit).asm8.astype(np.int64))
        when = grid[i + 1].tz_convert(info.tz).strftime("%Y-%m-%d %H:%M %Z")
        out += [
            (f"just before the clock change of {when}", change - 1),
            (f"the clock change of {when}", change),
        ]
    return out


def _float_candidates(plan: FieldPlan) -> list[tuple[str, float]]:
    f = plan.field
    fdt = f.info.float_dtype or np.dtype("float64")
    finfo = np.finfo(fdt)
    w_lo, w_hi = plan.fwindow  # type: ignore[misc]
    dom = f.domain

    def name(bound: Any, side: str, extreme: str) -> str:
        if not bound:
            return extreme
        if bound.open:
            return f"nearest value inside the exclusive {side} bound"
        return f"{side} bound"

    step_up = float(np.nextafter(fdt.type(w_lo), fdt.type(np.inf)))
    step_down = float(np.nextafter(fdt.type(w_hi), fdt.type(-np.inf)))
    out: list[tuple[str, float]] = [
        (name(dom.lo, "lower", "most negative finite"), w_lo),
        (name(dom.hi, "upper", "largest finite"), w_hi),
        (
            "just above the lower bound" if dom.lo else "next above the most negative",
            step_up,
        ),
        (
            "just below the upper bound" if dom.hi else "next below the largest",
            step_down,
        ),
        ("zero", 0.0),
        ("negative zero", -0.0),
        ("smallest subnormal", float(finfo.smallest_subnormal)),
        ("one", 1.0),
        ("minus one", -1.0),
    ]
    inside = [(label, v) for label, v in out if w_lo <= v <= w_hi]
    if dom.lo is None or dom.lo.value == -np.inf:
        inside.append(("minus infinity", -np.inf))
    if dom.hi is None or dom.hi.value == np.inf:
        inside.append(("infinity", np.inf))
    return inside


def _string_candidates(plan: FieldPlan) -> list[tuple[str, str]]:
    dom = plan.field.domain
    out = list(STRING_CANDIDATES)
    if dom.max_len is not None and dom.max_len <= 10_000:
        out.append(("longest allowed", "a" * dom.max_len))
    if dom.min_len:
        out.append(("shortest allowed", "a" * dom.min_len))
    if dom.prefixes or dom.suffixes:
        affix = max(dom.prefixes, key=len, default="") + max(
            dom.suffixes, key=len, default=""
        )
        out.append(("only the prefix and suffix", affix))
    # The shortest and longest strings the field's own generator proposes.
    try:
        pilot = draw_values(plan, 0x0ED6E5, 64, 7)
    except Exception:  # a pilot that cannot be drawn adds nothing
        pilot = None
    if pilot is not None and len(pilot):
        texts = pa.array(pilot).to_pylist()
        by_len = sorted((t for t in texts if t is not None), key=len)
        if by_len:
            out += [
                ("shortest generated", by_len[0]),
                ("longest generated", by_len[-1]),
            ]
    return out


def _finished(plan: FieldPlan, logical: list[Any]) -> tuple[list[int], Any]:
    """Positions of the candidates that build and pass every element check."""
    f = plan.field
    if f.info.kind is Kind.STRING:
        arr: Any = pa.array(logical, type=pa.string())
    elif f.info.kind is Kind.FLOAT:
        arr = np.asarray(logical, dtype=np.float64)
    else:
        arr = np.asarray(logical, dtype=object)
        try:
            arr = arr.astype(np.int64)
        except OverflowError:
            arr = arr.astype(np.uint64)
    try:
        ok = _verify(f, arr)
    except Exception:
        ok = np.zeros(len(logical), dtype=bool)
        for i in range(len(logical)):  # find the one that fails to build
            try:
                ok[i] = bool(_verify(f, arr[i : i + 1])[0])
            except Exception:
                ok[i] = False
    keep = np.flatnonzero(ok)
    if isinstance(arr, pa.Array):
        return keep.tolist(), arr.take(pa.array(keep, type=pa.int64()))
    return keep.tolist(), arr[keep]


def field_edges(plan: FieldPlan) -> FieldEdges:
    """The edge values of one field (built once per schema)."""
    f = plan.field
    labels: list[str] = []
    if f.domain.choices is not None:
        k = min(len(f.domain.choices), MAX_CHOICE_EDGES)
        values = pd.Series(finish_field(plan, np.arange(k, dtype=np.int64), None))
        labels = [f"allowed value {v!r}" for v in f.domain.choices.iloc[:k].tolist()]
    else:
        kind = f.info.kind
        if kind is Kind.STRING:
            cands: list[tuple[str, Any]] = _string_candidates(plan)
        elif kind is Kind.FLOAT:
            cands = _float_candidates(plan)
        elif kind is Kind.BOOL or kind is Kind.ARROW:  # bools are finite domains
            cands = []
        else:
            cands = _int_candidates(plan)
        seen: set[str] = set()
        unique_cands = []
        for label, v in cands:
            key = repr(v) + type(v).__name__
            if key not in seen:
                seen.add(key)
                unique_cands.append((label, v))
        if unique_cands:
            keep, logical = _finished(plan, [v for _, v in unique_cands])
            labels = [unique_cands[i][0] for i in keep]
            values = pd.Series(finish_field(plan, logical, None))
        else:
            values = pd.Series(finish_field(plan, _empty_logical(plan), None))
    if f.nullable:
        null = _null_edge(plan)
        if null is not None:
            values = pd.Series(concat_field(values, null))
            labels.append("null")
    return FieldEdges(values.reset_index(drop=True), tuple(labels))


def _empty_logical(plan: FieldPlan) -> Any:
    if plan.field.info.kind is Kind.ARROW:
        return pa.array([], type=plan.field.info.arrow_type)
    if plan.field.info.kind is Kind.STRING:
        return pa.array([], type=pa.string())
    if plan.field.info.kind is Kind.FLOAT:
        return np.zeros(0, dtype=np.float64)
    return np.zeros(0, dtype=np.int64)


def _null_edge(plan: FieldPlan) -> pd.Series | None:
    f = plan.field
    if f.domain.choices is not None:
        logical: Any = np.zeros(1, dtype=np.int64)
    elif f.info.kind is Kind.STRING:
        logical = pa.array([""], type=pa.string())
    elif f.info.kind is Kind.FLOAT:
        logical = np.zeros(1, dtype=np.float64)
    elif f.info.kind is Kind.BOOL:
        logical = np.zeros(1, dtype=bool)
    elif f.info.kind is Kind.ARROW:
        logical = draw_nested(np.random.default_rng(0), 1, f.info.arrow_type)
    else:
        lo, hi = plan.limits  # type: ignore[misc]
        logical = np.array([min(max(0, lo), hi)], dtype=np.int64)
    return pd.Series(finish_field(plan, logical, np.zeros(1, dtype=bool)))


def concat_field(a: pd.Series, b: pd.Series) -> Any:
    """The values of ``a`` followed by those of ``b``, as an array of ``a``'s dtype.

    Categories that the schema leaves open are unioned.
    """
    left, right = a.array, b.array
    if left.dtype == right.dtype:
        return type(left)._concat_same_type([left, right])
    if isinstance(a.dtype, pd.CategoricalDtype):
        return pd.api.types.union_categoricals([left, right])
    out = pd.concat([a, b], ignore_index=True)
    return out.astype(a.dtype).array if len(a) else out.array
