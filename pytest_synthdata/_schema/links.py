"""Relations between columns: given, after, expr, sorted and correlations.

A column's shape may say how it depends on other columns; the schema's own
metadata may hold rank correlations. They are read here, once per compiled
schema, into :class:`Links`: references resolved to fields, dependencies put
in the order they are computed in, cycles and unsupported combinations
refused with errors that name the columns.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._generators.copula import (
    is_correlation,
    nearest_correlation,
    normal_correlation,
    rank_correlation,
    score_terms,
)
from .._generators.distributions import DISCRETE, EMPIRICAL, frozen, window_cdf
from ..errors import (
    InvalidShapeError,
    ShapeWarning,
    UnsupportedSchemaError,
    caller_level,
)
from .dtypes import Kind
from .shape import META_KEY
from .spec import FieldSpec, FrameSpec

ORDINAL = (Kind.INT, Kind.FLOAT, Kind.DATETIME, Kind.DATE, Kind.TIMEDELTA)
AFTER_KINDS = {
    Kind.INT: "number",
    Kind.FLOAT: "number",
    Kind.DATETIME: "datetime",
    Kind.DATE: "date",
    Kind.TIMEDELTA: "timedelta",
}
CHANGED = 1e-3  # a repaired correlation further than this from its target


@dataclass(frozen=True, eq=False)
class Correlation:
    """Rank correlations among some columns, ready for the copula."""

    fields: tuple[FieldSpec, ...]
    declared: tuple[tuple[Any, Any, float], ...]
    target: np.ndarray  # Spearman matrix that is met (repaired if needed)
    chol: np.ndarray  # Cholesky factor of the normal scores' Pearson matrix
    ranks: tuple[np.ndarray | None, ...]  # finite fields: sort key of each code
    listed: np.ndarray | None = None  # which pairs were declared (others free)


@dataclass(frozen=True, eq=False)
class Links:
    """Every relation of one schema, resolved."""

    values: tuple[FieldSpec, ...] = ()  # given / after, in computing order
    exprs: tuple[FieldSpec, ...] = ()  # expr, in computing order
    refs: dict[int, FieldSpec] = dataclasses.field(default_factory=dict)
    cases: dict[int, tuple[tuple[int, FieldSpec], ...]] = dataclasses.field(
        default_factory=dict
    )
    sort_by: tuple[tuple[FieldSpec, bool], ...] = ()  # (field, ascending)
    corr: Correlation | None = None

    @property
    def derived(self) -> tuple[FieldSpec, ...]:
        return self.values + self.exprs

    @property
    def rowwise(self) -> bool:
        """Whether rows must be checked and ordered after they are drawn."""
        return bool(self.derived or self.sort_by)


def frame_shape(raw: Any, name: str) -> dict[str, Any]:
    """The schema-level shape (``metadata={"synthdata": {...}}``), checked."""
    meta = raw.get(META_KEY) if isinstance(raw, dict) else None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise InvalidShapeError(
            f"{name}: the schema's synthdata metadata must be a dict such as "
            "{'correlations': [['age', 'income', 0.4]]}, got "
            f"{type(meta).__name__}."
        )
    unknown = [k for k in meta if k not in ("correlations", "series")]
    if unknown:
        raise InvalidShapeError(
            f"{name}: unknown schema-level shape keys {unknown}; the known keys "
            "are 'correlations' and 'series'."
        )
    out = dict(meta)
    if "series" in out:
        from .series import read_series

        out["series"] = read_series(out["series"], name)
    return out


def link_frame(spec: FrameSpec, make_case: Any) -> FrameSpec:
    """``spec`` with its relations resolved into ``spec.links`` (or None).

    ``make_case(field, raw_case)`` builds the field a ``given`` case draws
    from (the reader's ``with_shape``, passed in to keep the layers apart).
    """
    for f in spec.index:
        shape = f.shape
        if shape is not None and (shape.links or shape.expr):
            raise UnsupportedSchemaError(
                f"{f.label}: given, after and expr on an index level are "
                "currently unsupported; put them on columns (sorted works)."
            )
    by_name = {f.name: f for f in spec.columns}
    columns = list(spec.columns)
    refs: dict[int, FieldSpec] = {}
    cases: dict[int, tuple[tuple[int, FieldSpec], ...]] = {}
    deps: dict[int, set[int]] = {}
    for i, f in enumerate(columns):
        shape = f.shape
        if shape is None:
            continue
        if shape.given is not None:
            src = _ref(f, shape.given, "given", by_name)
            f, built = _given(f, src, make_case)
            columns[i] = by_name[f.name] = f
            refs[f.stream], cases[f.stream] = src, built
            deps[f.stream] = {src.stream}
        elif shape.after is not None:
            start = _ref(f, shape.after, "after", by_name)
            _check_after(f, start)
            refs[f.stream] = start
            deps[f.stream] = {start.stream}
        elif shape.expr is not None:
            deps[f.stream] = {c.stream for c in _expr_sources(f, by_name)}
    columns = _expr_nulls(columns, deps)
    spec = dataclasses.replace(spec, columns=tuple(columns))
    fields = {f.stream: f for f in spec.columns}
    refs = {k: fields[v.stream] for k, v in refs.items()}
    order = _order(deps, fields)
    exprs = tuple(f for f in order if f.shape.expr is not None)
    for stream, src in refs.items():
        if src.shape is not None and src.shape.expr is not None:
            raise UnsupportedSchemaError(
                f"{fields[stream].label}: {_kind_of(fields[stream])} "
                f"{src.label}, which is computed by an expr, is currently "
                "unsupported; refer to the expr's own sources."
            )
    values = tuple(f for f in order if f.shape.expr is None)
    sort_by = _sorted(spec, deps, refs)
    corr = _correlation(spec, fields, deps)
    for f, _ in sort_by[1:]:
        if corr is not None and f in corr.fields:
            raise UnsupportedSchemaError(
                f"{f.label}: a second sorted column is sorted on its own, which "
                "would undo its correlations; correlating it is currently "
                f"unsupported ({sort_by[0][0].label} orders the rows)."
            )
    if not (values or exprs or sort_by or corr):
        return dataclasses.replace(spec, links=None)
    links = Links(values, exprs, refs, cases, sort_by, corr)
    return dataclasses.replace(spec, links=links)


def _expr_nulls(columns: list[FieldSpec], deps) -> list[FieldSpec]:
    """Null rates around computed columns.

    An expr column's nulls come from its sources (its own rate is 0). A
    source of an expr column that cannot hold nulls gets none: by default
    silently, and a declared null_rate is refused.
    """
    by_stream = {f.stream: f for f in columns}
    quiet: set[int] = set()
    for f in columns:
        if f.shape is None or f.shape.expr is None:
            continue
        quiet.add(f.stream)
        if f.nullable:
            continue
        for d in deps[f.stream]:
            g = by_stream[d]
            declared = g.shape.null_rate if g.shape is not None else None
            if declared:
                raise InvalidShapeError(
                    f"{g.label}: null_rate={declared} on a column that "
                    f"{f.label} computes from (expr {f.shape.expr!r}), which "
                    f"cannot hold nulls; make {f.label} nullable or drop the "
                    "null_rate."
                )
            quiet.add(d)
    return [
        dataclasses.replace(f, null_rate=0.0) if f.stream in quiet else f
        for f in columns
    ]


def _kind_of(f: FieldSpec) -> str:
    return "given" if f.shape.given is not None else "after"


def _ref(f: FieldSpec, name: Any, key: str, by_name: dict[Any, FieldSpec]):
    src = by_name.get(name)
    if src is None:
        raise InvalidShapeError(
            f"{f.label}: {key}={name!r} is not a column of the schema; name one "
            f"of {sorted(map(str, by_name))[:12]}."
        )
    if src is f:
        raise InvalidShapeError(f"{f.label}: {key} names the column itself.")
    return src


def _given(f: FieldSpec, src: FieldSpec, make_case: Any):
    """``f`` ready for its cases, and each case's code in ``src`` and field."""
    from .reader import choice_position, enumerated

    if src.domain.choices is None:
        raise InvalidShapeError(
            f"{f.label}: given={src.name!r} needs a column with a finite set of "
            "values (isin, a category or bool); give it such a check."
        )
    if f.unique:
        raise UnsupportedSchemaError(
            f"{f.label}: given on a unique column is currently unsupported (each "
            "case draws on its own, so values could repeat)."
        )
    if f.proposal is not None or (
        f.info.kind is Kind.STRING and f.domain.choices is None
    ):
        raise UnsupportedSchemaError(
            f"{f.label}: given on a free string column or one drawn from a "
            "registered strategy is currently unsupported; give it an isin."
        )
    raw_cases = f.shape.cases
    if any("weights" in raw or "p_true" in raw for _, raw in raw_cases):
        f = enumerated(f)
    built = []
    seen: dict[int, Any] = {}
    for i, (case, raw) in enumerate(raw_cases):
        code = choice_position(case, src)
        if code is None:
            raise InvalidShapeError(
                f"{f.label}: given case {case!r} is not a value {src.label} can "
                f"take (it takes {src.domain.choices.tolist()[:12]})."
            )
        if code in seen:
            raise InvalidShapeError(
                f"{f.label}: given cases {seen[code]!r} and {case!r} are the same "
                f"value of {src.label}."
            )
        seen[code] = case
        base = dataclasses.replace(
            f,
            shape=None,
            code_weights=None,
            stream=(f.stream * 1_000_003 + 7919 * (i + 1)) % 2**32,
        )
        built.append((code, make_case(base, raw)))
    return f, tuple(built)


def _check_after(f: FieldSpec, start: FieldSpec) -> None:
    kind, skind = f.info.kind, start.info.kind
    if kind not in AFTER_KINDS or skind not in AFTER_KINDS:
        bad = f if kind not in AFTER_KINDS else start
        raise InvalidShapeError(
            f"{f.label}: after needs number, datetime, date or timedelta columns; "
            f"{bad.label} is {bad.info.kind.value}."
        )
    if AFTER_KINDS[kind] != AFTER_KINDS[skind]:
        raise InvalidShapeError(
            f"{f.label}: after={start.name!r} compares a {AFTER_KINDS[kind]} with "
            f"a {AFTER_KINDS[skind]}; both must be of one kind."
        )
    if kind is Kind.DATETIME and (f.info.tz is None) != (start.info.tz is None):
        raise InvalidShapeError(
            f"{f.label}: after={start.name!r} compares a timezone-aware with a "
            "naive datetime column; make both aware or both naive."
        )
    shape = f.shape
    if shape.dist == "zipf":
        raise InvalidShapeError(
            f"{f.label}: dist='zipf' with after is currently unsupported (its "
            "tail reaches past any window a row gives it); use another dist or "
            "a gap."
        )
    gap = shape.source.get("gap")
    if isinstance(gap, dict) and "unit" in gap and kind in (Kind.INT, Kind.FLOAT):
        raise InvalidShapeError(
            f"{f.label}: a gap's unit applies to time columns; between numbers "
            "the gap is in the columns' own units, so drop the unit."
        )
    for g in (f, start):
        lo = g.domain.lo
        if lo is not None and isinstance(lo.value, int) and lo.value > 2**63 - 1:
            raise UnsupportedSchemaError(
                f"{f.label}: after with {g.label}, whose values start beyond "
                "2**63 - 1, is currently unsupported."
            )
        if g.domain.choices is not None or g.proposal is not None:
            raise UnsupportedSchemaError(
                f"{f.label}: after with {g.label}, which takes a finite set of "
                "values or a registered strategy's, is currently unsupported; "
                "give both columns ranges (ge, le, in_range)."
            )


def expr_source_fields(f: FieldSpec, by_name: dict[Any, FieldSpec]) -> list[FieldSpec]:
    """The columns named in ``f``'s expr."""
    return _expr_sources(f, by_name)


def _expr_sources(f: FieldSpec, by_name: dict[Any, FieldSpec]) -> list[FieldSpec]:
    expr = f.shape.expr
    found = []
    for name, g in by_name.items():
        if not isinstance(name, str):
            continue
        plain = rf"(?<![\w.`]){re.escape(name)}(?![\w`])"
        quoted = re.escape(f"`{name}`")
        if re.search(plain, expr) or re.search(quoted, expr):
            if g is f:
                raise InvalidShapeError(
                    f"{f.label}: expr {expr!r} refers to the column itself."
                )
            found.append(g)
    if not found:
        raise InvalidShapeError(
            f"{f.label}: expr {expr!r} names no other column; refer to columns "
            "by name (backticks around names with spaces)."
        )
    return found


def _order(deps: dict[int, set[int]], fields: dict[int, FieldSpec]):
    """The derived fields, each after everything it depends on."""
    done: list[FieldSpec] = []
    state: dict[int, int] = {}  # 1: visiting, 2: done

    def visit(stream: int, path: list[int]) -> None:
        if state.get(stream) == 2:
            return
        if state.get(stream) == 1:
            cycle = [*path[path.index(stream) :], stream]
            names = " -> ".join(fields[s].label for s in cycle)
            raise InvalidShapeError(
                f"the columns' shapes depend on each other in a cycle ({names}); "
                "break it by drawing one of them on its own."
            )
        state[stream] = 1
        for d in sorted(deps.get(stream, ())):
            if d in deps:
                visit(d, [*path, stream])
        state[stream] = 2
        done.append(fields[stream])

    for stream in deps:
        visit(stream, [])
    return done


def _sorted(spec: FrameSpec, deps, refs) -> tuple[tuple[FieldSpec, bool], ...]:
    levels = [f for f in spec.index if f.shape is not None and f.shape.sorted]
    if len(levels) > 1:
        raise UnsupportedSchemaError(
            f"{levels[1].label}: sorted on more than one index level is currently "
            f"unsupported; {levels[0].label} orders the rows."
        )
    # A sorted index level orders the rows; sorted columns are then secondary.
    fields = levels + [f for f in spec.columns if f.shape and f.shape.sorted]
    out = tuple((f, f.shape.sorted == "increasing") for f in fields)
    # The first orders the rows; the others are sorted alone, which keeps an
    # ``after`` between two sorted columns (order statistics keep end >= start)
    # but no other relation.
    by_stream = {c.stream: c for c in spec.columns}
    for f, up in out[1:]:
        if f.name in spec.joint_unique:
            raise UnsupportedSchemaError(
                f"{f.label}: a second sorted column is sorted on its own, which "
                "would repeat combinations of the columns it is unique together "
                f"with; this is currently unsupported ({out[0][0].label} orders "
                "the rows)."
            )
        for g, ds in deps.items():
            for d in ds:
                if f.stream not in (g, d):
                    continue
                other = by_stream[d if g == f.stream else g]
                kept = (
                    by_stream[g].shape.after is not None
                    and other.shape is not None
                    and other.shape.sorted == f.shape.sorted
                )
                if not kept:
                    raise UnsupportedSchemaError(
                        f"{f.label}: a second sorted column is sorted on its own, "
                        f"so it keeps no relation to {other.label} except an after "
                        "between two columns sorted the same way; this combination "
                        f"is currently unsupported ({out[0][0].label} orders the "
                        "rows)."
                    )
        del up
    return out


def _correlation(spec: FrameSpec, fields: dict[int, FieldSpec], deps):
    raw = spec.frame_shape.get("correlations")
    if raw is None:
        return None
    name = spec.schema_name
    example = "[['age', 'income', 0.4], ['income', 'spend', 0.7]]"
    if not isinstance(raw, (list, tuple)) or not raw:
        raise InvalidShapeError(
            f"{name}: correlations must be a non-empty list of [column, column, "
            f"rho] triples, such as {example}."
        )
    by_name = {f.name: f for f in spec.columns}
    order: list[FieldSpec] = []
    pairs: dict[tuple[int, int], float] = {}
    declared = []
    for item in raw:
        if not isinstance(item, (list, tuple)) or len(item) != 3:
            raise InvalidShapeError(
                f"{name}: correlations must be [column, column, rho] triples, "
                f"such as {example}; got {item!r}."
            )
        a, b, rho = item
        ok_rho = isinstance(rho, (int, float, np.floating, np.integer))
        if isinstance(rho, bool) or not ok_rho or not -1 <= float(rho) <= 1:
            raise InvalidShapeError(
                f"{name}: the correlation of {a!r} and {b!r} must be a number "
                f"between -1 and 1, got {rho!r}."
            )
        ends = []
        for col in (a, b):
            f = by_name.get(col) if not isinstance(col, (list, dict)) else None
            if f is None:
                raise InvalidShapeError(
                    f"{name}: correlations name {col!r}, which is not a column; "
                    f"name one of {sorted(map(str, by_name))[:12]}."
                )
            _check_ordinal(f, deps, spec)
            if f not in order:
                order.append(f)
            ends.append(order.index(f))
        if ends[0] == ends[1]:
            raise InvalidShapeError(
                f"{name}: correlations pair {a!r} with itself; pair two columns."
            )
        key = (min(ends), max(ends))
        if key in pairs and pairs[key] != float(rho):
            raise InvalidShapeError(
                f"{name}: correlations give {a!r} and {b!r} two values "
                f"({pairs[key]} and {rho}); give one."
            )
        pairs[key] = float(rho)
        declared.append((a, b, float(rho)))
    k = len(order)
    target = np.eye(k)
    listed = np.eye(k, dtype=bool)
    for (i, j), rho in pairs.items():
        target[i, j] = target[j, i] = rho
        listed[i, j] = listed[j, i] = True
    # Rank correlation -> normal scores' correlation, pair by pair, counting
    # the ties of columns with few distinct values (Mehler's expansion).
    terms = [score_terms(_tie_probs(f)) for f in order]
    pearson = np.eye(k)
    for (i, j), rho in pairs.items():
        pearson[i, j] = pearson[j, i] = normal_correlation(terms[i], terms[j], rho)[0]
    # Pairs not listed are free: they take values that keep the listed ones.
    if not is_correlation(pearson):
        pearson = nearest_correlation(pearson, listed)
    met = np.eye(k)
    for i, j in itertools.combinations(range(k), 2):
        met[i, j] = met[j, i] = rank_correlation(terms[i], terms[j], pearson[i, j])
    changed = [
        f"{order[i].name!r}~{order[j].name!r} {target[i, j]:+.3f} -> {met[i, j]:+.3f}"
        for i, j in itertools.combinations(range(k), 2)
        if listed[i, j] and abs(met[i, j] - target[i, j]) > CHANGED
    ]
    if changed:
        warnings.warn(
            ShapeWarning(
                f"{name}: the declared correlations cannot all be met (they are "
                "not a valid correlation matrix together, or ties among a "
                "column's few values cap them), so the nearest reachable ones "
                f"are used: {'; '.join(changed)}. Declare reachable values to "
                "silence this."
            ),
            stacklevel=caller_level(),
        )
    ranks = tuple(_code_ranks(f) for f in order)  # None: sort by value
    return Correlation(
        tuple(order), tuple(declared), met, np.linalg.cholesky(pearson), ranks, listed
    )


TIE_VALUES = 4096  # int columns with at most this many values count their ties


def _tie_probs(f: FieldSpec) -> np.ndarray | None:
    """Probabilities of a column's distinct values in order, if few (ties)."""
    ranks = _code_ranks(f)
    if ranks is not None:
        n = len(ranks)
        p = f.code_weights if f.code_weights is not None else np.full(n, 1.0 / n)
        return np.asarray(p, dtype=np.float64)[np.argsort(ranks)]
    dom = f.domain
    if f.info.kind not in _INTEGRAL or dom.lo is None or dom.hi is None:
        return None
    lo, hi = int(dom.lo.value), int(dom.hi.value)
    shape = f.shape
    if shape is None or shape.dist in (None, "uniform"):
        by_dtype = dom.lo.source.startswith("dtype ") or dom.hi.source.startswith(
            "dtype "
        )
        if by_dtype or hi - lo + 1 > TIE_VALUES:
            return None  # a default window of many values
        return np.full(hi - lo + 1, 1.0 / (hi - lo + 1))
    a, b = _mass_range(shape, lo, hi)
    if a > b or b - a + 1 > TIE_VALUES:
        return None
    ks = np.arange(a - 1, b + 1, dtype=np.float64)
    if shape.dist in DISCRETE:
        at = window_cdf(shape.dist, shape.param_dict, lo, hi)(ks)
    else:
        cdf = window_cdf(shape.dist, shape.param_dict, lo - 0.5, hi + 0.5, (lo, hi))
        at = cdf(ks + 0.5)
    probs = np.clip(np.diff(at), 0.0, None)
    return probs / probs.sum() if probs.sum() > 0 else None


_INTEGRAL = (Kind.INT, Kind.DATE, Kind.DATETIME, Kind.TIMEDELTA, Kind.DECIMAL)
_TAIL = 1e-12  # mass left out at each end when a distribution's values are few


def _mass_range(shape: Any, lo: int, hi: int) -> tuple[int, int]:
    """The whole numbers in ``[lo, hi]`` that hold all but a negligible mass."""
    import math

    if shape.dist == "beta":
        return lo, hi
    if shape.dist == EMPIRICAL:
        values = [v for _, v in shape.param_dict["quantiles"]]
        a, b = math.floor(min(values)), math.ceil(max(values))
    else:
        dist = frozen(shape.dist, shape.param_dict)
        q = dist.ppf([_TAIL, 1 - _TAIL])
        if not np.all(np.isfinite(q)):
            return 1, 0
        a, b = math.floor(q[0]) - 1, math.ceil(q[1]) + 1
    return max(a, lo), min(b, hi)


def _check_ordinal(f: FieldSpec, deps, spec: FrameSpec) -> None:
    name = spec.schema_name
    if f.stream in deps:
        shape = f.shape
        how = (
            f"drawn per value of {shape.given!r} (given)"
            if shape.given is not None
            else f"drawn after {shape.after!r}"
            if shape.after is not None
            else f"computed by expr {shape.expr!r}"
        )
        raise UnsupportedSchemaError(
            f"{name}: a correlation on {f.label}, whose values are {how}, is "
            "currently unsupported; correlate the column it depends on instead "
            "(its relation carries the dependence over)."
        )
    if any(f in g for g in _joint_groups(spec)):
        raise UnsupportedSchemaError(
            f"{name}: a correlation on {f.label}, which is unique together with "
            "other columns, is currently unsupported."
        )
    if f.proposal is not None:
        raise UnsupportedSchemaError(
            f"{name}: a correlation on {f.label}, drawn from a registered "
            "strategy, is currently unsupported."
        )
    if f.domain.choices is not None:
        if _code_ranks(f) is None:
            raise InvalidShapeError(
                f"{name}: {f.label} takes unordered values, so it has no rank "
                "correlation; correlate numbers, datetimes, ordered categories "
                "or bools."
            )
        return
    if f.info.kind not in ORDINAL and f.info.kind is not Kind.DECIMAL:
        raise InvalidShapeError(
            f"{name}: {f.label} is a {f.info.kind.value} column, which has no rank "
            "correlation; correlate numbers, datetimes, ordered categories or "
            "bools."
        )


def _joint_groups(spec: FrameSpec) -> list[list[FieldSpec]]:
    by_name = {c.name: c for c in spec.columns}
    return [[by_name[n] for n in spec.joint_unique]] if spec.joint_unique else []


def _code_ranks(f: FieldSpec) -> np.ndarray | None:
    """The sort key of each code of a finite field, or None if unordered."""
    choices = f.domain.choices
    kind = f.info.kind
    if choices is None:
        return None
    if f.info.categories is not None or str(f.info.dtype) == "category":
        dtype = f.info.dtype
        if not getattr(dtype, "ordered", False):
            return None
        cats = list(dtype.categories)
        return np.array([cats.index(v) for v in choices.tolist()], dtype=np.float64)
    if kind in ORDINAL or kind in (Kind.BOOL, Kind.DECIMAL):
        values = choices.tolist()
        order = sorted(range(len(values)), key=lambda i: values[i])
        ranks = np.empty(len(values), dtype=np.float64)
        ranks[order] = np.arange(len(values))
        return ranks
    return None
