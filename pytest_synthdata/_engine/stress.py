"""Stress mode: a shaped frame with every edge value of every column injected.

Each column's catalogue of valid edge values (:mod:`.edges`: bounds, the
nearest value inside an exclusive bound, zero, infinities, every allowed
value of a finite domain, empty and non-ASCII text, extreme and DST
datetimes, the null) plus one repeated value is placed in rows of its own,
chosen at random; the other rows keep their shaped values. Injections that
break a rule beyond the column's own checks (uniqueness, a relation, a
custom or frame-level check, a required value) are moved to other rows, and
dropped with the rule named only when no row takes them. Every placement is
recorded: injected, already present, or skipped and why.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from .._schema.reader import describe
from .._schema.spec import FieldSpec, FrameSpec
from .assemble import _duplicated, _missing_required, _residual_items, _run
from .edges import MAX_CHOICE_EDGES, FieldEdges, concat_field, field_edges
from .links import compute_exprs, order_rows, row_checks
from .plan import FieldPlan, unique_groups

ROUNDS = 4  # placements that clash are moved to other rows this many times
REPEAT = -1  # catalogue position standing for "the value of another row"
WHOLE_MOVES_ROWS = 10_000  # frames up to this size move edges a whole-frame
# check rejects to other rows; larger ones drop them (each try costs a pass)


class _RowKey:
    """A column label no schema can use: each row's position while sorting."""

    def __repr__(self) -> str:
        return "<synthdata row>"


_POS = _RowKey()


@dataclasses.dataclass
class Placement:
    """One edge value of one column, and where it went."""

    field: FieldSpec
    label: str
    edge: int  # position in the column's catalogue, or REPEAT
    row: int = -1
    source: int = -1  # REPEAT: the row whose value is repeated
    status: str = "pending"  # injected, present, skipped
    reason: str = ""
    tries: int = 0

    def record(self) -> dict[str, Any]:
        skipped = self.status == "skipped"
        name = self.field.name
        return {
            "column": "index" if name is None else str(name),
            "edge": self.label,
            "status": self.status,
            "row": None if skipped else int(self.row),
            "reason": self.reason if skipped else "",
        }


_CATALOGUES: dict[int, tuple[Any, dict[int, FieldEdges]]] = {}


def _catalogue(spec: FrameSpec, plans: dict[Any, FieldPlan], f: FieldSpec):
    hit = _CATALOGUES.get(id(spec))
    if hit is None or hit[0] is not spec:
        if len(_CATALOGUES) > 256:
            _CATALOGUES.clear()
        hit = _CATALOGUES[id(spec)] = (spec, {})
    edges = hit[1].get(f.stream)
    if edges is None:
        edges = hit[1][f.stream] = field_edges(plans[f.stream])
    return edges


def _own_rng(seed: int) -> np.random.Generator:
    """A generator of stress mode's own (no pooled stream is shared)."""
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(0x57E55,)))
    )


def stress_frame(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    frame: pd.DataFrame,
    seed: int,
    refused: dict[tuple[str, str], str] | None = None,
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """``frame`` with the edge values of each column injected; the coverage.

    ``refused`` maps ``(column, edge)`` to a reason for edges found not to
    validate (by pandera, after an earlier attempt): they are skipped.
    """
    refused = refused or {}
    n = len(frame)
    catalogues = {f.stream: _catalogue(spec, plans, f) for f in spec.columns}
    rng = _own_rng(seed)
    grouped = {f.stream for g in unique_groups(spec) for f in g}
    computed = {f.stream for f in spec.links.exprs} if spec.links else set()
    placements: list[Placement] = []
    done: list[Placement] = []
    for f in spec.columns:
        if f.stream in computed:
            done.append(_skip(f, "every edge", _computed(f)))
            continue
        edges = catalogues[f.stream]
        mine = [Placement(f, label, i) for i, label in enumerate(edges.labels)]
        _refuse(f, edges, mine, refused)
        if f.unique:
            _same_values(edges, mine)
        if f.unique or f.stream in grouped:
            _present(frame, f, edges, mine)
        if f.domain.choices is not None and len(f.domain.choices) > MAX_CHOICE_EDGES:
            extra = len(f.domain.choices) - MAX_CHOICE_EDGES
            done.append(
                _skip(
                    f,
                    f"{extra} further allowed values",
                    f"only the first {MAX_CHOICE_EDGES} allowed values are injected",
                )
            )
        if f.unique:
            done.append(_skip(f, "a repeated value", "the column is unique"))
        elif n < 2:
            done.append(_skip(f, "a repeated value", "the frame has fewer than 2 rows"))
        else:
            mine.append(Placement(f, "a repeated value", REPEAT))
        pending = [p for p in mine if p.status == "pending"]
        held = {p.row for p in mine if p.status == "present"}
        free = [r for r in rng.permutation(n).tolist() if r not in held]
        nonnull = frame[f.name].notna().to_numpy()
        for i, p in enumerate(pending):
            if i >= len(free):
                p.status, p.reason = "skipped", _too_few(n, len(pending))
                continue
            p.row = int(free[i])
            if p.edge == REPEAT:
                src = _pick_row(rng, n, {q.row for q in pending} | held, nonnull)
                if src is None:
                    p.status = "skipped"
                    p.reason = "no row holds a value to repeat"
                else:
                    p.source = src
        placements += [p for p in mine if p.status == "pending"]
        done += [p for p in mine if p.status != "pending"]
    for f in spec.index:
        done.append(
            _skip(f, "every edge", "stressing index levels is currently unsupported")
        )
    out, placements = _settle(spec, plans, frame, placements, rng)
    done += placements
    order = {f.stream: i for i, f in enumerate([*spec.columns, *spec.index])}
    done.sort(key=lambda p: (order[p.field.stream], p.edge if p.edge >= 0 else 1e9))
    return out, [p.record() for p in done]


def _skip(f: FieldSpec, label: str, reason: str) -> Placement:
    return Placement(f, label, 0, status="skipped", reason=reason)


def _pick_row(
    rng: np.random.Generator,
    n: int,
    taken: set[int],
    allowed: np.ndarray | None = None,
) -> int | None:
    """A random row not in ``taken`` (and ``allowed``, if given), or None.

    A few random tries first (the usual case: most rows are free), then a
    choice among the rows that remain.
    """
    if allowed is None and len(taken) >= n:
        return None
    for _ in range(64):
        r = int(rng.integers(n))
        if (allowed is None or allowed[r]) and r not in taken:
            return r
    pool = range(n) if allowed is None else np.flatnonzero(allowed).tolist()
    rows = [r for r in pool if r not in taken]
    return int(rows[int(rng.integers(len(rows)))]) if rows else None


def _refuse(
    f: FieldSpec,
    edges: FieldEdges,
    mine: list[Placement],
    refused: dict[tuple[str, str], str],
) -> None:
    """Skip the edges the column's custom checks reject, and those refused."""
    name = "index" if f.name is None else str(f.name)
    for p in mine:
        why = refused.get((name, p.label))
        if why:
            p.status, p.reason = "skipped", why
    if not f.residual:
        return
    values = edges.values
    notna = values.notna().to_numpy()
    for check in f.residual:
        try:
            res = _run(check, values)
        except Exception:  # a check that cannot judge these values: leave them
            continue
        if not isinstance(res, np.ndarray) or len(res) != len(values):
            continue
        for p in mine:
            if p.status == "pending" and notna[p.edge] and not res[p.edge]:
                p.status = "skipped"
                p.reason = f"{describe(check)} on {f.label} rejects the value"


def _same_values(edges: FieldEdges, mine: list[Placement]) -> None:
    """In a unique column, an edge equal to an earlier one (0.0 and -0.0)."""
    values = edges.values
    for i, p in enumerate(mine):
        if p.status != "pending" or pd.isna(values.iloc[i]):
            continue
        for q in mine[:i]:
            if pd.isna(values.iloc[q.edge]):
                continue
            try:
                same = bool(values.iloc[q.edge] == values.iloc[i])
            except (TypeError, ValueError):
                same = False
            if same:
                p.status = "skipped"
                p.reason = f"it equals the {q.label!r} edge, and the column is unique"
                break


def _present(
    frame: pd.DataFrame, f: FieldSpec, edges: FieldEdges, mine: list[Placement]
) -> None:
    """Edge values a unique column (or a member of a unique group) already
    holds are covered where they are."""
    col = frame[f.name]
    isna = col.isna().to_numpy()
    for p in mine:
        if p.status != "pending":
            continue
        value = edges.values.iloc[p.edge]
        if pd.isna(value):
            hit = np.flatnonzero(isna)
        else:
            try:
                eq = (col == value).to_numpy(dtype=bool, na_value=False)
            except (TypeError, ValueError):
                eq = np.array([_equal(v, value) for v in col.tolist()], dtype=bool)
            hit = np.flatnonzero(eq & ~isna)
        if len(hit):
            p.status, p.row = "present", int(hit[0])


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _settle(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    frame: pd.DataFrame,
    placements: list[Placement],
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, list[Placement]]:
    """Apply the placements, moving or dropping those a rule rejects.

    Every round either ends with a frame that keeps every rule, or moves or
    drops at least one placement (a placement moves at most ``ROUNDS``
    times), so it ends.
    """
    n = len(frame)
    while True:
        active = [p for p in placements if p.status == "pending"]
        built, where = _build(spec, plans, frame, active)
        failing, whole = _violations(spec, built)
        if whole:  # a check on the frame as a whole: keep what it allows
            _keep_allowed(spec, plans, frame, active, rng)
            continue
        if not failing:
            for p in active:
                p.status = "injected"
            _final_rows(spec, plans, built, placements, where)
            return built, placements
        bad = {int(where[r]): why for r, why in failing.items()}
        clashes = _clashes(active, bad)
        if not clashes:  # rows no placement explains: keep none (safe)
            for p in active:
                p.status, p.reason = "skipped", "it could not be placed safely"
            continue
        taken_by: dict[int, set[int]] = {}
        for q in placements:
            if q.status in ("pending", "present"):
                taken_by.setdefault(q.field.stream, set()).add(q.row)
        for p, why in clashes:
            p.tries += 1
            taken = taken_by.get(p.field.stream, set())
            row = _pick_row(rng, n, taken)
            if p.tries > ROUNDS or row is None:
                p.status = "skipped"
                p.reason = why if p.tries <= 1 else f"{why} (tried in {p.tries} rows)"
                continue
            taken.discard(p.row)
            p.row = row
            taken.add(row)
            if p.edge == REPEAT:
                nonnull = frame[p.field.name].notna().to_numpy()
                src = _pick_row(rng, n, taken, nonnull)
                if src is None:
                    p.status, p.reason = "skipped", "no row holds a value to repeat"
                else:
                    p.source = src


def _clashes(
    active: list[Placement], bad: dict[int, tuple[str, set[int] | None]]
) -> list[tuple[Placement, str]]:
    """The placements a failing row's rule involves, with the rule."""
    out: dict[int, tuple[Placement, str]] = {}
    for p in active:
        for r in (p.row, p.source) if p.edge == REPEAT else (p.row,):
            hit = bad.get(r)
            if hit is None:
                continue
            why, involved = hit
            if involved is None or p.field.stream in involved:
                out.setdefault(id(p), (p, why))
    if not out:  # the rule names no placed column: blame what sits in the rows
        for p in active:
            hit = bad.get(p.row)
            if hit is not None:
                out.setdefault(id(p), (p, hit[0]))
    return list(out.values())


def _final_rows(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    built: pd.DataFrame,
    placements: list[Placement],
    where: np.ndarray,
) -> None:
    """Rows as they end up once the frame is ordered.

    The first sorted column orders whole rows (``where``); a further sorted
    column is sorted on its own, so its edges are found by value.
    """
    inverse = np.empty(len(where), dtype=np.int64)
    inverse[where] = np.arange(len(where))
    alone = {f.stream for f, _ in spec.links.sort_by[1:]} if spec.links else set()
    for p in placements:
        if p.status == "skipped":
            continue
        if p.field.stream not in alone:
            p.row = int(inverse[p.row])
            continue
        col = built[p.field.name]
        if p.edge == REPEAT:
            dup = np.flatnonzero(col.duplicated(keep=False).to_numpy() & col.notna())
            p.row = int(dup[0]) if len(dup) else p.row
            continue
        value = _catalogue(spec, plans, p.field).values.iloc[p.edge]
        if pd.isna(value):
            hit = np.flatnonzero(col.isna().to_numpy())
        else:
            hit = np.flatnonzero(
                np.array([_equal(v, value) for v in col.tolist()], dtype=bool)
            )
        if len(hit):
            p.row = int(hit[0])


def _build(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    frame: pd.DataFrame,
    active: list[Placement],
) -> tuple[pd.DataFrame, np.ndarray]:
    """The frame with ``active`` applied, ordered; and each row's origin."""
    out = frame.copy(deep=False)
    by_field: dict[int, list[Placement]] = {}
    for p in active:
        by_field.setdefault(p.field.stream, []).append(p)
    for f in spec.columns:
        mine = by_field.get(f.stream)
        if not mine:
            continue
        col = out[f.name]
        edges = _catalogue(spec, plans, f).values
        joined = concat_field(col, edges)
        positions = np.arange(len(col))
        for p in mine:
            if p.edge != REPEAT:
                positions[p.row] = len(col) + p.edge
        for p in mine:  # repeats copy the source row as it now stands
            if p.edge == REPEAT:
                positions[p.row] = positions[p.source]
        values = joined.take(positions)
        dtype = object if col.dtype == object else None
        out[f.name] = pd.Series(values, index=out.index, dtype=dtype)
    if spec.links is not None and spec.links.exprs and active:
        out = compute_exprs(spec, out)
    if spec.links is not None and spec.links.sort_by and len(out) > 1:
        out[_POS] = np.arange(len(out))
        out = order_rows(spec, out)
        where = out.pop(_POS).to_numpy()
    else:
        where = np.arange(len(out))
    return out, where


def _violations(spec: FrameSpec, frame: pd.DataFrame):
    """Rows breaking a rule beyond the columns' own checks, with the rule and
    the columns it involves (None: any); and the rules failing the frame as
    a whole."""
    failing: dict[int, tuple[str, set[int] | None]] = {}

    def mark(mask: np.ndarray, why: str, involved: set[int] | None) -> None:
        for r in np.flatnonzero(mask):
            failing.setdefault(int(r), (why, involved))

    for f in spec.columns:
        if f.unique:
            ser = frame[f.name]
            mark(
                ser.duplicated(keep=False).to_numpy() & ser.notna().to_numpy(),
                f"{f.label} is unique and another row holds the value",
                {f.stream},
            )
    for group in unique_groups(spec):
        members = {g.stream for g in group}
        if all(any(c is g for c in spec.columns) for g in group):
            gf = pd.DataFrame(
                {i: np.asarray(frame[g.name]) for i, g in enumerate(group)}
            )
            names = ", ".join(g.label for g in group)
            mark(
                gf.duplicated(keep=False).to_numpy(),
                f"{names} are unique together and another row holds the combination",
                members,
            )
        elif _duplicated(spec, frame, group).any():
            dup = _duplicated(spec, frame, group)
            mark(dup, "a unique combination with the index repeats", members)
    if spec.links is not None and spec.links.derived:
        fields = spec.links.derived
        for f, (what, ok) in zip(fields, row_checks(spec, frame), strict=True):
            mark(~ok, f"{what} rejects the row", _relation_members(spec, f))
    whole: list[str] = []
    for target, check, label, f in _residual_items(spec, frame):
        res = _run(check, target)
        if isinstance(res, np.ndarray):
            involved = None if f is None else {f.stream}
            mark(~res, f"{describe(check)} on {label} rejects the row", involved)
        elif not res:
            whole.append(f"{describe(check)} on {label}")
    for f, values in _missing_required(spec, frame):
        whole.append(f"unique_values_eq on {f.label} (needs {values!r})")
    return failing, whole


def _relation_members(spec: FrameSpec, f: FieldSpec) -> set[int]:
    """The columns a derived column's relation ties together."""
    from .links import expr_sources

    links = spec.links
    members = {f.stream}
    if f.shape.expr is not None:
        names = set(expr_sources(spec, f))
        members |= {g.stream for g in spec.columns if g.name in names}
    elif f.stream in links.refs:
        members.add(links.refs[f.stream].stream)
    return members


def _keep_allowed(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    frame: pd.DataFrame,
    active: list[Placement],
    rng: np.random.Generator,
) -> None:
    """Keep what a whole-frame rule allows (greedily), moving the rest.

    Column by column, a column's placements are kept together if the rule
    still passes with them and those kept so far, else one by one; one the
    rule rejects is tried in other rows (in frames of up to
    :data:`WHOLE_MOVES_ROWS` rows), then skipped with the rule named.
    """
    kept: list[Placement] = []
    n = len(frame)

    def rejects(extra: list[Placement]) -> list[str]:
        return _violations(spec, _build(spec, plans, frame, kept + extra)[0])[1]

    by_field: dict[int, list[Placement]] = {}
    for p in active:
        by_field.setdefault(p.field.stream, []).append(p)
    for mine in by_field.values():
        if not rejects(mine):
            kept += mine
            continue
        taken = {p.row for p in mine}
        for p in mine:
            rules = rejects([p])
            tries = 1
            while rules and tries <= ROUNDS and n <= WHOLE_MOVES_ROWS:
                row = _pick_row(rng, n, taken)
                if row is None or p.edge == REPEAT:
                    break
                taken.discard(p.row)
                p.row = row
                taken.add(row)
                rules = rejects([p])
                tries += 1
            if rules:
                p.status = "skipped"
                p.reason = f"{rules[0]} rejects the frame with it"
            else:
                kept.append(p)


def _computed(f: FieldSpec) -> str:
    return (
        f"the column is computed (expr {f.shape.expr!r}): its sources' edges reach it"
    )


def _too_few(n: int, k: int) -> str:
    return f"the frame has {n} rows, fewer than the column's {k} edges"


def summary(coverage: list[dict[str, Any]], limit: int = 40) -> list[str]:
    """Lines telling what a stressed frame holds, for reports."""
    placed = [c for c in coverage if c["status"] in ("injected", "present")]
    skipped = [c for c in coverage if c["status"] == "skipped"]
    lines = [
        f"stress: {len(placed)} edge values placed, {len(skipped)} skipped "
        f"(the full record: df.attrs['synthdata']['stress'])"
    ]
    shown = 0
    for c in placed:
        if shown >= limit:
            break
        lines.append(f"  row {c['row']}: {c['column']!r} {c['edge']}")
        shown += 1
    for c in skipped:
        if shown >= limit:
            break
        lines.append(f"  skipped {c['column']!r} {c['edge']}: {c['reason']}")
        shown += 1
    if len(placed) + len(skipped) > shown:
        lines.append(f"  ... and {len(placed) + len(skipped) - shown} more")
    return lines
