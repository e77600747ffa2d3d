"""Related tables: several schemas generated together, with keys between them.

A child table declares its foreign keys in its columns' shapes::

    member_id: str = pa.Field(metadata={"synthdata": {
        "references": "members.member_id",         # the parent's unique column
        "per_parent": {"dist": "poisson", "lam": 3},  # children per parent
        "optional": 0.05,                          # share of rows with no parent
    }})
    service_date: dt.date = pa.Field(metadata={"synthdata": {
        "after_parent": {"column": "members.enrolled_on",
                         "gap": {"dist": "exponential", "scale": 90, "unit": "D"}},
    }})

Tables are made parents first. Each table is generated alone, under its own
checks, from its own seed; then each foreign key is filled with the keys of
the parent rows it points at (every one of which exists), and each column
declared ``after_parent`` becomes its parent's value plus a drawn gap, drawn
again where the column's own checks refuse it. Every table is validated by
pandera before it is handed out.
"""

from __future__ import annotations

import dataclasses
import math
import zlib
from typing import Any

import numpy as np
import pandas as pd

from ._api import _check_rows, _check_seed, as_output, generate_pandas
from ._engine.assemble import element_checks_pass
from ._engine.plan import unique_groups
from ._engine.series import apply_series
from ._generators.distributions import draw_continuous
from ._schema.dtypes import Kind
from ._schema.reader import compile_schema, explain_failure, pandera_errors
from ._schema.shape import GAP_UNITS, _gap
from ._version import __version__
from .errors import (
    ChecksUnmetError,
    InfeasibleRequestError,
    InvalidArgumentError,
    InvalidShapeError,
    UnsupportedSchemaError,
)

GAP_ROUNDS = 20
MAX_ROWS = 1 << 31  # rows of one table: beyond, memory runs out first
_TIME_UNITS = {"s": "s", "min": "min", "h": "h", "D": "D"}


@dataclasses.dataclass
class _Key:
    """A foreign key: ``child.column`` points at ``parent.key``."""

    child: str
    column: str
    parent: str
    key: str
    per_parent: Any = None  # int, or a shape dict over counts
    optional: float = 0.0


@dataclasses.dataclass
class _Follow:
    """``child.column`` comes after ``parent.column`` (through ``via``)."""

    child: str
    column: str
    via: _Key
    parent_column: str
    gap: Any  # a ColumnShape
    unit: str | None  # as given (dates and times: seconds when not given)


def _split(ref: Any, label: str, what: str) -> tuple[str, str]:
    if not isinstance(ref, str) or ref.count(".") < 1:
        raise InvalidShapeError(
            f"{label}: {what} must name a table and a column, such as "
            f"'members.member_id', got {ref!r}."
        )
    table, _, column = ref.partition(".")
    return table, column


def _read(tables: dict[str, Any]) -> tuple[list[_Key], list[_Follow]]:
    """The keys and the after_parent relations the tables declare."""
    keys: list[_Key] = []
    follows: list[tuple[str, str, dict[str, Any], str]] = []
    for name, schema in tables.items():
        _, spec = compile_schema(schema)
        for f in spec.columns:
            raw = dict(f.shape.source) if f.shape is not None else {}
            label = f"table {name!r}, {f.label}"
            if "references" in raw:
                parent, key = _split(raw["references"], label, "references")
                optional = raw.get("optional", 0.0)
                if not isinstance(optional, (int, float)) or not 0 <= optional < 1:
                    raise InvalidShapeError(
                        f"{label}: optional must be a share in [0, 1), got "
                        f"{optional!r}."
                    )
                if optional and not f.nullable:
                    raise InvalidShapeError(
                        f"{label}: optional={optional} leaves rows without a "
                        "parent, whose key is null; make the column nullable."
                    )
                keys.append(
                    _Key(name, f.name, parent, key, raw.get("per_parent"), optional)
                )
            elif "per_parent" in raw or "optional" in raw:
                raise InvalidShapeError(
                    f"{label}: per_parent and optional describe a foreign key; "
                    "add references (such as 'members.member_id')."
                )
            if "after_parent" in raw:
                follows.append((name, f.name, raw["after_parent"], label))
    for k in keys:
        _check_key(k, tables)
    out = [
        _follow(name, column, raw, label, keys) for name, column, raw, label in follows
    ]
    return keys, out


def _check_key(k: _Key, tables: dict[str, Any]) -> None:
    label = f"table {k.child!r}, column {k.column!r}"
    if k.parent not in tables:
        raise InvalidShapeError(
            f"{label}: references {k.parent}.{k.key}, but there is no table "
            f"{k.parent!r} among {sorted(tables)}."
        )
    _, parent = compile_schema(tables[k.parent])
    target = next((f for f in parent.columns if f.name == k.key), None)
    if target is None:
        raise InvalidShapeError(
            f"{label}: references {k.parent}.{k.key}, but {k.parent!r} has no "
            f"column {k.key!r}."
        )
    _, child = compile_schema(tables[k.child])
    mine = next(f for f in child.columns if f.name == k.column)
    if mine.info.kind is not target.info.kind:
        raise InvalidShapeError(
            f"{label}: references {k.parent}.{k.key}, which holds "
            f"{target.info.kind.value} values, but it holds "
            f"{mine.info.kind.value}; give both columns the same dtype."
        )
    if not target.unique:
        raise InvalidShapeError(
            f"{label}: references {k.parent}.{k.key}, which is not unique; a "
            "foreign key points at a unique column (declare unique=True)."
        )
    if k.per_parent is not None:
        _per_parent_counts(k, np.random.default_rng(0), 1)  # checks the shape


def _follow(child: str, column: str, raw: Any, label: str, keys: list[_Key]) -> _Follow:
    if not isinstance(raw, dict) or set(raw) != {"column", "gap"}:
        extra = sorted(set(raw) - {"column", "gap"}) if isinstance(raw, dict) else []
        raise InvalidShapeError(
            f"{label}: after_parent must be a dict with 'column' (such as "
            "'members.enrolled_on') and 'gap' (a shape with a dist, and a unit "
            "for dates and times)" + (f"; unknown keys {extra}." if extra else ".")
        )
    parent, parent_column = _split(raw["column"], label, "after_parent's column")
    via = [k for k in keys if k.child == child and k.parent == parent]
    if len(via) != 1:
        raise InvalidShapeError(
            f"{label}: after_parent names table {parent!r}, which table "
            f"{child!r} must reference through exactly one foreign key "
            f"(it has {len(via)})."
        )
    gap, unit = _gap(raw["gap"], label)
    explicit = isinstance(raw["gap"], dict) and "unit" in raw["gap"]
    return _Follow(
        child, column, via[0], parent_column, gap, unit if explicit else None
    )


def _order(tables: dict[str, Any], keys: list[_Key]) -> list[str]:
    """Parents before children; a cycle is an error."""
    done: list[str] = []
    pending = list(tables)
    while pending:
        ready = [
            t
            for t in pending
            if all(k.parent in done or k.parent == t for k in keys if k.child == t)
        ]
        if not ready:
            raise InvalidShapeError(
                f"the tables {sorted(pending)} reference each other in a cycle; "
                "make one of the keys plain (drop its references)."
            )
        for t in ready:
            if any(k.parent == t == k.child for k in keys):
                raise InvalidShapeError(
                    f"table {t!r} references itself, which is currently "
                    "unsupported; drop the references."
                )
            done.append(t)
            pending.remove(t)
    return done


def _per_parent_counts(k: _Key, rng: np.random.Generator, parents: int) -> np.ndarray:
    """How many children each of ``parents`` parent rows gets."""
    label = f"table {k.child!r}, column {k.column!r}: per_parent"
    spec = k.per_parent
    if isinstance(spec, bool) or not isinstance(spec, (int, dict)):
        raise InvalidShapeError(
            f"{label} must be a count (such as 3) or a shape such as "
            f"{{'dist': 'poisson', 'lam': 3}} or {{'weights': {{0: 0.2, 1: 0.8}}}}, "
            f"got {spec!r}."
        )
    if isinstance(spec, int):
        if spec < 0:
            raise InvalidShapeError(f"{label} must not be negative, got {spec}.")
        return np.full(parents, spec, dtype=np.int64)
    if set(spec) == {"dist", "lam"} and spec["dist"] == "poisson":
        lam = spec["lam"]
        if not isinstance(lam, (int, float)) or not 0 <= lam <= 1e6:
            raise InvalidShapeError(f"{label}: lam must be in [0, 1e6], got {lam!r}.")
        return rng.poisson(lam, parents).astype(np.int64)
    if set(spec) == {"weights"} and isinstance(spec["weights"], dict):
        counts = list(spec["weights"])
        weights = np.array(list(spec["weights"].values()), dtype=float)
        if (
            not counts
            or any(
                isinstance(c, bool) or not isinstance(c, int) or c < 0 for c in counts
            )
            or not np.isfinite(weights).all()
            or (weights < 0).any()
            or weights.sum() <= 0
        ):
            raise InvalidShapeError(
                f"{label}: weights map counts (ints from 0) to non-negative "
                f"weights, such as {{0: 0.2, 1: 0.5, 2: 0.3}}; got {spec['weights']!r}."
            )
        pick = rng.choice(len(counts), size=parents, p=weights / weights.sum())
        return np.asarray(counts, dtype=np.int64)[pick]
    raise InvalidShapeError(
        f"{label}: use a count, {{'dist': 'poisson', 'lam': ...}} or "
        f"{{'weights': {{count: weight, ...}}}}; got {spec!r}."
    )


def _seed(seed: int, table: str) -> int:
    state = np.random.SeedSequence(
        seed, spawn_key=(0x7AB1E, zlib.crc32(table.encode()))
    ).generate_state(2, np.uint32)
    return int(state[0]) | (int(state[1]) << 32)


def generate_tables(
    tables: dict[str, Any],
    rows: Any,
    *,
    seed: int | None = None,
    shape: Any = None,
) -> dict[str, Any]:
    """Generate related tables together (``generate`` with a dict of schemas).

    Parameters
    ----------
    tables : dict of str to schema
        Table name to pandera schema or model (pandas or polars).
    rows : int or dict of str to int
        Rows of the tables whose size no ``per_parent`` sets: an int for
        every such table, or a dict by table name.
    seed : int, optional
        The same seed gives the same tables; each table draws from its own
        seed, derived from this one and its name.
    shape : dict of str to shape, optional
        Per-call shapes by table name, as ``generate`` takes for one table.

    Returns
    -------
    dict of str to DataFrame
        The tables, in the order given, each valid under its schema; every
        foreign key points at an existing parent row (or is null, for rows
        declared ``optional``).
    """
    if not isinstance(tables, dict) or not tables:
        raise InvalidArgumentError("give the related tables as a non-empty dict.")
    for name in tables:
        if not isinstance(name, str) or "." in name or not name:
            raise InvalidArgumentError(
                f"table names must be non-empty strings without dots, got {name!r}."
            )
    seed = _check_seed(seed)
    shapes = _per_table(shape, tables, "shape")
    if isinstance(rows, dict):
        unknown = sorted(set(rows) - set(tables), key=str)
        if unknown:
            raise InvalidArgumentError(
                f"rows names {unknown}, which are not among the tables "
                f"{sorted(tables)}."
            )
    keys, follows = _read(tables)
    order = _order(tables, keys)
    made: dict[str, pd.DataFrame] = {}
    parent_rows: dict[tuple[str, str], np.ndarray] = {}  # (child, fk) -> positions
    for name in order:
        own = [k for k in keys if k.child == name]
        sizing = [k for k in own if k.per_parent is not None]
        rng = np.random.default_rng(_seed(seed, name) ^ 0x5EED)
        if len(sizing) > 1:
            raise InvalidShapeError(
                f"table {name!r}: per_parent is set on {len(sizing)} keys "
                f"({', '.join(k.column for k in sizing)}); one key sets the "
                "table's size, the others pick parents at random."
            )
        if sizing:
            k = sizing[0]
            if isinstance(rows, dict) and rows.get(name) is not None:
                raise InvalidArgumentError(
                    f"table {name!r} takes its size from per_parent on "
                    f"{k.column!r}; do not give its rows."
                )
            counts = _per_parent_counts(k, rng, len(made[k.parent]))
            total = int(counts.sum())
            if total > MAX_ROWS:
                raise InfeasibleRequestError(
                    f"table {name!r}: per_parent on {k.column!r} asks for "
                    f"{total:,} rows, beyond the {MAX_ROWS:,} related tables "
                    "make in memory; lower per_parent or the parent's rows."
                )
            parented = np.repeat(np.arange(len(counts)), counts)
            orphans = (
                round(k.optional / (1 - k.optional) * len(parented))
                if k.optional
                else 0
            )
            positions = np.concatenate([parented, np.full(orphans, -1)])
            n = len(positions)
        else:
            n = _given_rows(rows, name)
            if n is None:
                raise InvalidArgumentError(
                    f"table {name!r}: give its rows (rows={{{name!r}: ...}}), or "
                    "per_parent on a foreign key to size it from its parent."
                )
            n = _check_rows(n)
        resolved, spec = compile_schema(tables[name])
        series = spec.frame_shape.get("series")
        later = series is not None and any(k.column == series.entity for k in own)
        frame = generate_pandas(
            tables[name],
            n,
            seed=_seed(seed, name),
            shape=shapes.get(name),
            series=not later,
        )
        for k in own:
            parents = made[k.parent]
            if k.per_parent is not None:
                where = rng.permutation(positions)
            else:
                if not len(parents) and n:
                    raise InvalidShapeError(
                        f"table {name!r}: column {k.column!r} references "
                        f"{k.parent!r}, which has no rows."
                    )
                where = rng.integers(0, max(len(parents), 1), size=n)
                if k.optional:
                    where[rng.random(n) < k.optional] = -1
            parent_key = _field(tables[k.parent], k.key)
            frame = _fill_key(name, tables[name], frame, k, parents, where, parent_key)
            parent_rows[(name, k.column)] = where
        for fol in (f for f in follows if f.child == name):
            where = parent_rows[(name, fol.via.column)]
            frame = _fill_after(
                name,
                tables[name],
                frame,
                fol,
                made[fol.via.parent],
                where,
                rng,
                tables[fol.via.parent],
            )
        if later:  # readings per parent: the series once the keys are in
            frame = apply_series(spec, frame, series, _seed(seed, name))
        if spec.has_residual or unique_groups(spec):
            # Keys, after_parent values and series were checked value by
            # value; rules over rows or the whole frame are checked here.
            _validate(name, resolved, frame)
        frame.attrs["synthdata"] = {
            **frame.attrs.get("synthdata", {}),
            "table": name,
            "tables_seed": seed,
            "keys": [f"{k.column} -> {k.parent}.{k.key}" for k in own],
            "version": __version__,
        }
        made[name] = frame
    return {name: as_output(tables[name], made[name]) for name in tables}


def _given_rows(rows: Any, name: str) -> Any:
    if isinstance(rows, dict):
        return rows.get(name)
    return rows


def _per_table(value: Any, tables: dict[str, Any], what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not set(value) <= set(tables):
        raise InvalidArgumentError(
            f"{what}= for related tables maps table names ({sorted(tables)}) to "
            f"that table's {what}; got {value!r:.120}."
        )
    return value


def _field(schema: Any, column: str) -> Any:
    _, spec = compile_schema(schema)
    return next(f for f in spec.columns if f.name == column)


def _fill_key(
    name: str,
    schema: Any,
    frame: pd.DataFrame,
    k: _Key,
    parents: pd.DataFrame,
    where: np.ndarray,
    parent_key: Any,
) -> pd.DataFrame:
    """``frame`` with ``k.column`` set to the keys of the rows ``where``
    points at (-1: no parent, a null)."""
    f = _field(schema, k.column)
    if f.unique and len(np.unique(where[where >= 0])) < (where >= 0).sum():
        raise InvalidShapeError(
            f"table {name!r}, column {k.column!r} is unique, so each parent has "
            "at most one child; set per_parent to at most 1 (such as "
            "{'weights': {0: 0.3, 1: 0.7}})."
        )
    source = parents[k.key]
    values = source.take(np.where(where >= 0, where, 0)).reset_index(drop=True)
    values = values.where(pd.Series(where >= 0), None) if (where < 0).any() else values
    try:
        cast = values.astype(frame[k.column].dtype)
    except (TypeError, ValueError) as exc:
        raise InvalidShapeError(
            f"table {name!r}, column {k.column!r} ({frame[k.column].dtype}) cannot "
            f"hold the keys of {k.parent}.{k.key} ({source.dtype}): {exc}; give "
            "both columns the same dtype."
        ) from None
    cast.index = frame.index
    ok = np.ones(int(cast.notna().sum()), bool)
    if not _same_checks(f, parent_key):  # the parent's keys met the same checks
        ok = element_checks_pass(f, cast.dropna(), ok)
    if not ok.all():
        bad = cast.dropna()[~ok].head(3).tolist()
        raise InvalidShapeError(
            f"table {name!r}, column {k.column!r}: the keys of {k.parent}.{k.key} "
            f"fail its checks ({bad!r}); give the two columns the same checks."
        )
    out = frame.copy(deep=False)
    out[k.column] = cast
    return out


def _same_checks(child: Any, parent: Any) -> bool:
    """Whether two fields have the same built-in checks and no custom ones
    (then the parent's values need no second look)."""
    from ._schema.reader import is_builtin

    def key(f: Any) -> Any:
        checks = f.element_checks + f.residual
        if not all(is_builtin(c) for c in checks) or f.residual:
            return None
        return sorted((c.name, repr(c.statistics)) for c in checks)

    mine = key(child)
    same_type = dataclasses.replace(child.info, label="") == dataclasses.replace(
        parent.info, label=""
    )
    return mine is not None and mine == key(parent) and same_type


def _fill_after(
    name: str,
    schema: Any,
    frame: pd.DataFrame,
    fol: _Follow,
    parents: pd.DataFrame,
    where: np.ndarray,
    rng: np.random.Generator,
    parent_schema: Any,
) -> pd.DataFrame:
    """``frame`` with ``fol.column`` = its parent's value + a gap, where the
    row has a parent (rows without one keep their drawn value)."""
    label = f"table {name!r}, column {fol.column!r}"
    if fol.parent_column not in parents.columns:
        raise InvalidShapeError(
            f"{label}: after_parent names {fol.via.parent}.{fol.parent_column}, "
            "which does not exist."
        )
    f = _field(schema, fol.column)
    parent_field = _field(parent_schema, fol.parent_column)
    numbers = (Kind.INT, Kind.FLOAT)
    times = (Kind.DATETIME, Kind.DATE)
    kinds = {f.info.kind, parent_field.info.kind}
    if not (kinds <= set(numbers) or kinds <= set(times)):
        raise InvalidShapeError(
            f"{label}: after_parent puts a {f.info.kind.value} column after a "
            f"{parent_field.info.kind.value} column; both must be numbers, or "
            "both dates or times."
        )
    if kinds <= set(numbers) and fol.unit is not None:
        raise InvalidShapeError(
            f"{label}: a gap's unit applies to dates and times; on numbers the "
            f"gap is in the column's own units: drop unit={fol.unit!r}."
        )
    start = parents[fol.parent_column].take(np.where(where >= 0, where, 0))
    start = start.reset_index(drop=True)
    has = (where >= 0) & start.notna().to_numpy()
    target = frame[fol.column].copy()
    todo = np.flatnonzero(has)
    params = fol.gap.param_dict
    per = GAP_UNITS[fol.unit or "s"]
    for _ in range(GAP_ROUNDS):
        if not len(todo):
            break
        gaps = draw_continuous(rng, len(todo), fol.gap.dist, params, 0.0, math.inf)
        base = start.iloc[todo]
        try:
            if parent_field.info.kind in times:
                moved = _plus_seconds(base, gaps * per)
            else:
                moved = base.to_numpy(dtype=float) + gaps
        except (TypeError, ValueError) as exc:
            raise UnsupportedSchemaError(
                f"{label}: after_parent on {fol.via.parent}.{fol.parent_column} "
                f"({start.dtype}) is currently unsupported ({exc}); use number, "
                "date or datetime columns."
            ) from None
        cand = pd.Series(moved, index=todo).astype(target.dtype)
        ok = element_checks_pass(f, cand, np.ones(len(cand), bool))
        target.iloc[todo[ok]] = cand[ok].to_numpy()
        todo = todo[~ok]
    if len(todo):
        raise ChecksUnmetError(
            f"{label}: after_parent puts it after {fol.via.parent}."
            f"{fol.parent_column}, but for {len(todo)} rows every gap drawn "
            f"({GAP_ROUNDS} rounds) broke its checks; widen its bounds or "
            "shorten the gap."
        )
    out = frame.copy(deep=False)
    out[fol.column] = target
    return out


def _plus_seconds(base: pd.Series, seconds: np.ndarray) -> Any:
    if pd.api.types.is_datetime64_any_dtype(base):
        return (base + pd.to_timedelta(seconds, unit="s")).to_numpy()
    stamps = pd.to_datetime(pd.Series(list(base)))
    moved = stamps + pd.to_timedelta(seconds, unit="s")
    return [v.date() for v in moved]


def _validate(name: str, resolved: Any, frame: pd.DataFrame) -> None:
    """``frame`` validated by its compiled pandera schema, or a clear error."""
    try:
        resolved.validate(frame, lazy=True)
    except pandera_errors() as exc:
        raise ChecksUnmetError(
            f"table {name!r}: with its keys and after_parent columns filled from "
            f"its parents, it fails its own checks:\n{explain_failure(exc)}\n"
            "Checks that tie those columns to the others are currently "
            "unsupported in related tables; relax them."
        ) from None
