"""Hypothesis strategies for pandas frames that validate against a pandera schema.

Use :func:`frames` with ``@given`` or ``st.data()``::

    from hypothesis import given
    from pytest_synthdata.strategies import frames

    @given(frames(Claims, max_rows=20))
    def test_summary_keeps_every_claim(df): ...

How a frame is drawn (a few Hypothesis choices per column, not one per cell,
so that wide schemas stay far below Hypothesis' limit on choices per example):

1. the number of rows, between ``min_rows`` and ``max_rows`` (it shrinks
   towards the fewest rows the schema allows);
2. one seed, from which the core engine fills a valid frame of that many rows,
   every check included (it shrinks towards 0, a different but equally valid
   fill);
3. per column, whether it varies or repeats one value (it shrinks towards the
   repeated value: duplicates, and easier frames to read);
4. per column, a short list of edge injections, each a row and one of the
   column's edge values (bounds, the nearest values inside exclusive bounds,
   zero, infinities, empty, whitespace and non-ASCII strings, extreme
   datetimes, DST transitions, every value of a small finite domain, the
   null, a repeat of the first row). The list shrinks towards no injection,
   the row towards the first and the edge towards the first in the catalogue.

A step that would break a uniqueness, a value that ``unique_values_eq``
requires, or a custom or frame-level check is skipped, so every frame
validates; a user strategy given in ``columns`` that draws invalid values
is retried and the example rejected through Hypothesis if it stays invalid.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import note, reject
from hypothesis import strategies as st

from ._api import _plans, as_output
from ._api import generate_pandas as generate
from ._engine.assemble import (
    _duplicated,
    _evaluate_residual,
    _missing_required,
    element_checks_pass,
)
from ._engine.edges import FieldEdges, concat_field, field_edges
from ._engine.plan import row_capacity, unique_groups
from ._schema.reader import compile_schema, describe
from ._schema.spec import FieldSpec, FrameSpec
from .errors import InfeasibleRequestError, InvalidArgumentError

__all__ = ["frames"]

DEFAULT_MAX_ROWS = 50
TOKEN_ROWS = 500  # up to this max_rows, each row is one Hypothesis choice
MAX_INJECTIONS = 32  # edge injections per frame (Hypothesis averages far fewer)
OVERRIDE_RETRIES = 3


class _SchemaRef:
    """Carries the schema into the strategy with a short repr."""

    __slots__ = ("schema",)

    def __init__(self, schema: Any) -> None:
        self.schema = schema

    def __repr__(self) -> str:
        name = getattr(self.schema, "__name__", None)
        if name is not None:
            return str(name)
        kind = type(self.schema).__name__
        label = getattr(self.schema, "name", None)
        if isinstance(label, str) and label:
            return f"{kind}(name={label!r})"
        columns = getattr(self.schema, "columns", None)
        names = list(columns) if isinstance(columns, (dict, list, tuple)) else []
        shown = ", ".join(repr(c) for c in names[:4]) + (
            ", ..." if len(names) > 4 else ""
        )
        return f"{kind}(columns=[{shown}])"


def frames(
    schema: Any,
    *,
    min_rows: int = 0,
    max_rows: int = DEFAULT_MAX_ROWS,
    columns: Mapping[str, st.SearchStrategy[Any]] | None = None,
    edges: bool = True,
) -> st.SearchStrategy[pd.DataFrame]:
    """A strategy for DataFrames that validate against ``schema``.

    Parameters
    ----------
    schema : pandera.pandas.DataFrameSchema or DataFrameModel subclass
        The schema every frame validates against, custom and DataFrame-level
        checks included.
    min_rows, max_rows : int
        The range of row counts (default 0 to 50). Row counts the schema
        forbids are left out: a check that needs rows raises the minimum,
        and a unique column whose checks allow only k values caps the
        maximum at k. Frames shrink towards the fewest rows.
    columns : mapping of column name to strategy, optional
        Strategies for the values of some columns, drawn one value per row
        (so they shrink as usual). Values the column's checks reject are drawn
        again a few times, then the example is rejected; a value the column's
        dtype cannot hold is an error. Such columns get no edge injections.
        Columns with a check registered with its own strategy
        (``register_check_method(strategy=...)``) are drawn from that strategy
        the same way, unless overridden here.
    edges : bool
        Inject edge values (bounds, the values nearest to exclusive bounds,
        zero, infinities, empty and non-ASCII strings, extreme datetimes, DST
        transitions, nulls, duplicates) where the schema allows them
        (default True).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Frames equal, dtype for dtype, to what ``schema.validate`` returns.
        Arguments are checked when the first frame is drawn, so a bad one
        fails the test that uses it.

    Notes
    -----
    The strategy describes the valid domain; it carries no distributions,
    weights or null rates (those belong to ``synth_df``). See the module
    documentation for how frames are drawn and how they shrink.

    Examples
    --------
    >>> import pandera.pandas as pa
    >>> from hypothesis import given
    >>> schema = pa.DataFrameSchema({"age": pa.Column(int, pa.Check.in_range(0, 120))})
    >>> @given(frames(schema, max_rows=10))
    ... def test_ages(df):
    ...     assert df["age"].between(0, 120).all()
    >>> test_ages()
    """
    given: dict[str, Any] = {}
    for key, value in (
        ("min_rows", min_rows),
        ("max_rows", max_rows),
        ("columns", columns),
        ("edges", edges),
    ):
        if value is not _DEFAULTS[key]:
            given[key] = value
    return _frames(_SchemaRef(schema), **given)


_DEFAULTS: dict[str, Any] = {
    "min_rows": 0,
    "max_rows": DEFAULT_MAX_ROWS,
    "columns": None,
    "edges": True,
}


# --------------------------------------------------------------------------
# what is worked out once per schema
# --------------------------------------------------------------------------


class _Prepared:
    """Edges, row limits and constraint lookups of one compiled schema."""

    def __init__(self, schema: Any) -> None:
        self.resolved, self.spec = compile_schema(schema)
        self.schema = schema  # a model keeps its Config.metadata (correlations)
        spec = self.spec
        self.plans = _plans(spec)
        self.edges: dict[int, FieldEdges] = {}
        self.capacity = row_capacity(spec, self.plans)
        self.min_rows = spec.min_rows
        grouped = {f.stream for g in unique_groups(spec) for f in g}
        self.grouped = grouped
        self.distinct_rows = bool(
            grouped or spec.index_unique or any(f.unique for f in spec.fields)
        )
        self.learned: int | None = None  # most rows found feasible, if limited
        # per overridden column: values drawn, values valid, a few rejected
        self.override_tally: dict[int, list[Any]] = {}
        self.whole_rules = spec.has_residual or any(
            f.domain.required for f in spec.fields
        )
        if not self.min_rows and spec.has_residual and self._rejects_empty():
            self.min_rows = 1

    def _rejects_empty(self) -> bool:
        try:
            generate(self.schema, 0, seed=0)
        except InfeasibleRequestError:
            return True
        return False

    def edges_of(self, f: FieldSpec) -> FieldEdges:
        hit = self.edges.get(f.stream)
        if hit is None:
            hit = self.edges[f.stream] = field_edges(self.plans[f.stream])
        return hit

    def repeatable(self, f: FieldSpec) -> bool:
        """Whether ``f`` may hold one value in several rows."""
        return not f.unique and f.stream not in self.grouped

    def constrained(self, f: FieldSpec) -> bool:
        """Whether changing ``f``'s values can break a rule beyond its own checks."""
        return (
            f.unique
            or f.stream in self.grouped
            or bool(f.domain.required)
            or self.spec.has_residual
        )


_PREPARED: dict[int, tuple[Any, _Prepared]] = {}
_LOCK = threading.Lock()


def _prepared(schema: Any) -> _Prepared:
    with _LOCK:
        hit = _PREPARED.get(id(schema))
        if hit is not None and hit[0] is schema:
            return hit[1]
    prep = _Prepared(schema)
    with _LOCK:
        if len(_PREPARED) > 256:
            _PREPARED.clear()
        _PREPARED[id(schema)] = (schema, prep)
    return prep


# --------------------------------------------------------------------------
# argument checks (at draw time)
# --------------------------------------------------------------------------


def _check_count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidArgumentError(
            f"frames({name}=...) must be a non-negative int, got "
            f"{type(value).__name__} {value!r}."
        )
    if value < 0:
        raise InvalidArgumentError(
            f"frames({name}={value!r}) must be a non-negative int."
        )
    return int(value)


def _check_columns(columns: Any, spec: FrameSpec) -> dict[Any, Any]:
    if columns is None:
        return {}
    if not isinstance(columns, Mapping):
        raise InvalidArgumentError(
            "frames(columns=...) must map column names to strategies, got "
            f"{type(columns).__name__} {columns!r:.80}."
        )
    known = [f.name for f in spec.columns]
    for name, strategy in columns.items():
        if name not in known:
            raise InvalidArgumentError(
                f"frames(columns=...) names {name!r}, which is not a column of "
                f"the schema; its columns are {known!r:.300}."
            )
        if not isinstance(strategy, st.SearchStrategy):
            raise InvalidArgumentError(
                f"frames(columns={{{name!r}: ...}}) must be a Hypothesis strategy "
                f"for the column's values, got {type(strategy).__name__} "
                f"{strategy!r:.80}."
            )
    return dict(columns)


def _row_range(prep: _Prepared, min_rows: int, max_rows: int) -> tuple[int, int]:
    if max_rows < min_rows:
        default = " (the default)" if max_rows == DEFAULT_MAX_ROWS else ""
        raise InvalidArgumentError(
            f"frames(min_rows={min_rows}, max_rows={max_rows}{default}): max_rows "
            "must be at least min_rows; raise max_rows."
        )
    lo = max(min_rows, prep.min_rows)
    hi = max_rows if prep.capacity is None else min(max_rows, prep.capacity)
    if lo > hi:
        why = (
            f"the schema allows at most {prep.capacity} rows (unique columns with "
            "few allowed values)"
            if prep.capacity is not None and prep.capacity < lo
            else f"the schema needs at least {prep.min_rows} rows"
        )
        raise InfeasibleRequestError(
            f"frames({prep.spec.schema_name}, min_rows={min_rows}, "
            f"max_rows={max_rows}): {why}; choose a row range inside that."
        )
    return lo, hi


# --------------------------------------------------------------------------
# the draw
# --------------------------------------------------------------------------


def _series(values: Any, like: pd.Series) -> pd.Series:
    """A column of values in ``like``'s place (object stays object, not ``str``)."""
    dtype = object if like.dtype == object else None
    return pd.Series(values, index=like.index, name=like.name, dtype=dtype)


def _take(col: pd.Series, positions: np.ndarray) -> pd.Series:
    return _series(col.array.take(positions), col)


def _with_rows(col: pd.Series, edges: pd.Series, rows: list[tuple[int, int]]):
    """``col`` with row ``r`` set to ``edges[e]`` for each ``(r, e)``."""
    joined = concat_field(col, edges)
    positions = np.arange(len(col))
    for r, e in rows:
        positions[r] = len(col) + e if e >= 0 else 0  # -1: repeat the first row
    return _series(joined.take(positions), col)


class _Frame:
    """The columns of a frame being drawn, and the checks a change must keep."""

    def __init__(self, prep: _Prepared, base: pd.DataFrame) -> None:
        self.prep = prep
        self.index = base.index
        self.cols = {f.stream: base[f.name] for f in prep.spec.columns}
        self.attrs = dict(base.attrs)

    def frame(self) -> pd.DataFrame:
        spec = self.prep.spec
        out = pd.DataFrame(
            {f.name: self.cols[f.stream] for f in spec.columns},
            index=self.index,
            copy=False,
        )
        out.attrs.update(self.attrs)
        return out

    def try_set(self, f: FieldSpec, col: pd.Series) -> bool:
        """Replace ``f``'s values if the frame stays valid; whether it did."""
        old = self.cols[f.stream]
        self.cols[f.stream] = col
        if self.prep.constrained(f) and not self._valid(f):
            self.cols[f.stream] = old
            return False
        return True

    def _valid(self, f: FieldSpec) -> bool:
        spec = self.prep.spec
        col = self.cols[f.stream]
        if f.unique and col.duplicated().any():
            return False
        frame = None
        if f.stream in self.prep.grouped:
            frame = self.frame()
            for group in unique_groups(spec):
                if any(g.stream == f.stream for g in group):
                    if _duplicated(spec, frame, group).any():
                        return False
        if f.domain.required or spec.has_residual:
            frame = self.frame() if frame is None else frame
            if f.domain.required and _missing_required(spec, frame):
                return False
            if spec.has_residual:
                ok, whole = _evaluate_residual(spec, frame)
                if whole or not ok.all():
                    return False
        return True


NEVER_VALID_AFTER = 50  # drawn values, none valid: the strategy is at fault


def _override(
    draw: Any, state: _Frame, f: FieldSpec, strategy: Any, source: str
) -> None:
    """Draw ``f``'s values from ``strategy``, checked like any value.

    ``source`` names where the strategy came from, for error messages. Values
    the checks reject are drawn again a few times, then the example is
    rejected; a strategy none of whose first :data:`NEVER_VALID_AFTER` values
    passes is an error, not a test that silently sees only empty frames.
    """
    n = len(state.index)
    old = state.cols[f.stream]
    values = list(draw(st.lists(strategy, min_size=n, max_size=n)))
    tally = state.prep.override_tally.setdefault(f.stream, [0, 0, []])
    for _ in range(OVERRIDE_RETRIES + 1):
        col = _as_column(f, values, old, source)
        bad = _invalid_values(f, col)
        tally[0] += len(bad)
        tally[1] += int(len(bad) - bad.sum())
        tally[2] = (tally[2] + col[bad].tolist())[:6]
        if not bad.any() and state.try_set(f, col):
            return
        if not bad.any():
            break  # valid values that break a frame-level rule: reject below
        for i in np.flatnonzero(bad):
            values[i] = draw(strategy)
    if tally[1] == 0 and tally[0] >= NEVER_VALID_AFTER:
        checks = ", ".join(describe(c) for c in f.element_checks) or "its checks"
        raise InvalidArgumentError(
            f"{source}: none of the {tally[0]} values the strategy drew meets "
            f"{f.label}'s checks ({checks}), for example {tally[2]!r}; draw "
            "values inside the column's checks."
        )
    reject()


def _as_column(f: FieldSpec, values: list[Any], like: pd.Series, source: str):
    """The drawn values in the column's exact dtype, or a clear error."""
    raw = pd.Series(values, dtype=object, index=like.index)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # overflow: below
            col = raw.astype(like.dtype) if len(raw) else like.iloc[:0].copy()
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidArgumentError(
            f"{source}: the strategy drew values that {f.label} (dtype "
            f"{like.dtype}) cannot hold ({exc}); draw values of that dtype."
        ) from None
    back = col.astype(object)
    for original, held in zip(raw.tolist(), back.tolist(), strict=True):
        if pd.isna(original) and pd.isna(held):
            continue
        if pd.isna(held) or not _same_value(original, held):
            raise InvalidArgumentError(
                f"{source}: the strategy drew {original!r}, which {f.label} "
                f"(dtype {like.dtype}) holds as {held!r}; draw values of that "
                "dtype."
            )
    if like.dtype == object and f.pandera_dtype is not None and len(col):
        # Object columns (dates, decimals) hold anything: ask pandera's dtype.
        try:
            fits = f.pandera_dtype.check(f.pandera_dtype, col)
        except Exception:
            fits = False
        fits = np.asarray(fits, dtype=bool) & col.notna().to_numpy() | col.isna()
        if not np.all(fits):
            wrong = col[~np.asarray(fits, dtype=bool)].tolist()[:3]
            raise InvalidArgumentError(
                f"{source}: the strategy drew {wrong!r}, which dtype "
                f"{f.pandera_dtype} of {f.label} does not accept; draw values of "
                "that dtype."
            )
    return col


def _same_value(a: Any, b: Any) -> bool:
    """Whether the column holds ``a`` as drawn (floats may round to its width)."""
    if isinstance(a, (float, np.floating)) and isinstance(b, (float, np.floating)):
        # Rounding to the column's width is fine; overflowing to inf is not.
        return bool(np.isfinite(a)) == bool(np.isfinite(b))
    if isinstance(a, (bool, np.bool_)) != isinstance(b, (bool, np.bool_)):
        return False
    if isinstance(a, str) != isinstance(b, str):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _invalid_values(f: FieldSpec, col: pd.Series) -> np.ndarray:
    ok = np.ones(len(col), bool) if f.nullable else np.array(col.notna(), bool)
    bad = ~element_checks_pass(f, col, ok)
    if f.unique:
        bad |= col.duplicated().to_numpy()
    return bad


def _draw_frame(
    draw: Any,
    schema_ref: _SchemaRef,
    *,
    min_rows: int = 0,
    max_rows: int = DEFAULT_MAX_ROWS,
    columns: Mapping[str, Any] | None = None,
    edges: bool = True,
) -> pd.DataFrame:
    lo_arg = _check_count(min_rows, "min_rows")
    hi_arg = _check_count(max_rows, "max_rows")
    if not isinstance(edges, bool):
        raise InvalidArgumentError(f"frames(edges={edges!r}) must be True or False.")
    prep = _prepared(schema_ref.schema)
    spec = prep.spec
    overrides = _check_columns(columns, spec)
    lo, hi = _row_range(prep, lo_arg, hi_arg)
    state = _Frame(prep, _draw_base(draw, prep, lo, hi))
    n = len(state.index)
    for f in spec.columns:
        if f.name in overrides:
            source = f"frames(columns={{{f.name!r}: ...}})"
            _override(draw, state, f, overrides[f.name], source)
        elif f.proposal is not None:
            source = f"the strategy registered with the checks of {f.label}"
            _override(draw, state, f, f.proposal, source)
    free = [f for f in spec.columns if f.name not in overrides and f.proposal is None]
    repeatable = [f for f in free if prep.repeatable(f)] if n > 1 else []
    if repeatable:
        # A few columns repeat their first value (duplicates, easy reading).
        picks = draw(
            st.lists(
                st.integers(0, len(repeatable) - 1),
                max_size=max(1, len(repeatable) // 4),
                unique=True,
            )
        )
        for i in sorted(picks):
            f = repeatable[i]
            state.try_set(f, _take(state.cols[f.stream], np.zeros(n, np.intp)))
    injected: list[str] = []
    if edges and n:
        injected = _draw_injections(draw, state, free, n, hi)
    out = state.frame()
    out.attrs["synthdata"] = {**out.attrs.get("synthdata", {}), "strategy": True}
    if injected:
        note(f"frames({schema_ref!r}) injected: " + "; ".join(injected))
    note(_Shown(out, schema_ref))
    return as_output(schema_ref.schema, out)


def _draw_base(draw: Any, prep: _Prepared, lo: int, hi: int) -> pd.DataFrame:
    """The frame before repeats and injections: rows picked from a valid pool.

    The engine fills a pool of ``hi`` rows from one drawn seed; a list of row
    tokens (one choice per row) picks the rows, in pool order. Deleting a token
    deletes its row and leaves the others as they were, so the shrinker can
    cut a frame down to the one row that fails. Beyond ``TOKEN_ROWS`` rows the
    row count is one choice and the engine fills that many rows (shrinking then
    keeps a prefix-like frame of fewer rows).
    """
    seed = draw(st.integers(0, 2**64 - 1))
    if prep.learned is not None:
        hi = max(lo, min(hi, prep.learned))
    if hi > TOKEN_ROWS:
        return _generate_or_learn(prep, draw(st.integers(lo, hi)), lo, seed)
    pool = _generate_or_learn(prep, hi, lo, seed)
    hi = len(pool)
    if hi == 0:
        return pool
    tokens = sorted(draw(st.lists(st.integers(0, hi - 1), min_size=lo, max_size=hi)))
    if prep.distinct_rows:  # a row twice would repeat a unique value
        unused = iter(sorted(set(range(hi)) - set(tokens)))
        seen: set[int] = set()
        picked = []
        for t in tokens:
            picked.append(t if t not in seen else next(unused))
            seen.add(picked[-1])
        tokens = sorted(picked)
    base = pool.iloc[tokens]
    if not prep.spec.index:
        base.index = pd.RangeIndex(len(base))
    if prep.whole_rules and not _meets_whole_rules(prep.spec, base):
        # A subset of valid rows need not be valid (sums, required values):
        # fill this many rows directly instead.
        base = generate(prep.schema, len(tokens), seed=seed)
    base.attrs = {**pool.attrs, "synthdata": {**pool.attrs["synthdata"]}}
    base.attrs["synthdata"]["rows"] = len(base)
    return base


def _generate_or_learn(prep: _Prepared, rows: int, lo: int, seed: int):
    """``rows`` rows, or as many as the schema turned out to allow.

    Uniqueness over domains that cannot be counted up front (patterns,
    custom checks) can make a pool of ``rows`` infeasible: the largest
    feasible size is then found once per schema (by bisection, seed 0) and
    kept as the schema's row limit; a later pool that still cannot be filled
    is rejected through Hypothesis.
    """
    try:
        return generate(prep.schema, rows, seed=seed)
    except InfeasibleRequestError:
        if prep.learned is not None or rows <= lo:
            reject()
    good, bad = lo, rows  # generate(good) is assumed to work, generate(bad) fails
    while bad - good > 1:
        mid = (good + bad) // 2
        try:
            generate(prep.schema, mid, seed=0)
            good = mid
        except InfeasibleRequestError:
            bad = mid
    prep.learned = good
    return _generate_or_learn(prep, good, lo, seed)


def _meets_whole_rules(spec: FrameSpec, frame: pd.DataFrame) -> bool:
    if _missing_required(spec, frame):
        return False
    if spec.has_residual:
        ok, whole = _evaluate_residual(spec, frame)
        return not whole and bool(ok.all())
    return True


def _draw_injections(
    draw: Any, state: _Frame, free: list[FieldSpec], n: int, hi: int
) -> list[str]:
    """Draw (column, row, edge) triples for the whole frame and inject them.

    Choices per frame stay bounded whatever the number of columns; the edge
    index is taken modulo the column's catalogue (the last entry of a column
    that may repeat values stands for "the value of row 0").
    """
    prep = state.prep
    targets = []
    for f in free:
        k = len(prep.edges_of(f)) + (1 if n > 1 and prep.repeatable(f) else 0)
        if k:
            targets.append((f, k))
    if not targets:
        return []
    widest = max(k for _, k in targets)
    triples = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(targets) - 1),
                st.integers(0, max(hi - 1, 0)),
                st.integers(0, widest - 1),
            ),
            max_size=min(MAX_INJECTIONS, 2 * len(targets) + 2),
        )
    )
    by_column: dict[int, list[tuple[int, int]]] = {}
    for c, r, e in triples:
        by_column.setdefault(c, []).append((r % n, e % targets[c][1]))
    injected: list[str] = []
    for c in sorted(by_column):
        f, _ = targets[c]
        catalogue = prep.edges_of(f)
        pairs = [(r, e if e < len(catalogue) else -1) for r, e in by_column[c]]
        injected += _inject(state, f, catalogue, pairs)
    return injected


def _inject(
    state: _Frame, f: FieldSpec, catalogue: FieldEdges, pairs: list[tuple[int, int]]
) -> list[str]:
    """Set the drawn rows to edge values, keeping those the schema's rules allow."""
    values = catalogue.values
    if state.try_set(f, _with_rows(state.cols[f.stream], values, pairs)):
        kept = pairs
    else:  # one at a time
        kept = [
            pair
            for pair in pairs
            if state.try_set(f, _with_rows(state.cols[f.stream], values, [pair]))
        ]
    return [
        f"{f.label} row {r}: {catalogue.labels[e] if e >= 0 else 'repeat of row 0'}"
        for r, e in kept
    ]


class _Shown:
    """A note that renders only when Hypothesis reports it (the final example).

    It gives every value of a frame whose repr pandas would elide.
    """

    def __init__(self, frame: pd.DataFrame, schema_ref: _SchemaRef) -> None:
        self.frame = frame
        self.schema_ref = schema_ref

    def __repr__(self) -> str:
        try:
            return self._render()
        except Exception as exc:  # a note must never hide the test's own failure
            return f"frames({self.schema_ref!r}): the frame cannot be shown ({exc})"

    def _render(self) -> str:
        frame = self.frame
        head = f"frames({self.schema_ref!r}) drew {frame.shape[0]} rows"
        head += f" x {frame.shape[1]} columns"
        if "..." not in repr(frame):
            return head
        with pd.option_context(
            "display.max_columns", None, "display.max_rows", None, "display.width", 0
        ):
            return f"{head}, in full:\n{frame.to_string()}"


_draw_frame.__name__ = "frames"
_draw_frame.__qualname__ = "frames"
_frames = st.composite(_draw_frame)
