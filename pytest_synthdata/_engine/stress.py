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
from .assemble import _duplicated, _missing_required, _residual_items, _rng, _run
from .edges import FieldEdges, concat_field, field_edges
from .links import compute_exprs, order_rows, row_checks
from .plan import FieldPlan, unique_groups

ROUNDS = 4  # placements that clash are moved to other rows this many times
REPEAT = -1  # catalogue position standing for "the value of another row"
_POS = "__synthdata_row__"


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


def stress_frame(
    spec: FrameSpec, plans: dict[Any, FieldPlan], frame: pd.DataFrame, seed: int
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """``frame`` with the edge values of each column injected; the coverage."""
    n = len(frame)
    rng = _rng(seed, 0x57E55, 0, 0)
    grouped = {f.stream for g in unique_groups(spec) for f in g}
    computed = {f.stream for f in spec.links.exprs} if spec.links else set()
    placements: list[Placement] = []
    skipped: list[Placement] = []
    for f in spec.columns:
        if f.stream in computed:
            skipped.append(
                Placement(f, "every edge", 0, status="skipped", reason=_computed(f))
            )
            continue
        edges = _catalogue(spec, plans, f)
        mine = [Placement(f, label, i) for i, label in enumerate(edges.labels)]
        if f.nullable and "null" not in edges.labels:
            why = f"its dtype ({frame[f.name].dtype}) cannot hold a null"
            skipped.append(Placement(f, "null", 0, status="skipped", reason=why))
        if f.unique or f.stream in grouped:
            skipped.append(
                Placement(
                    f,
                    "a repeated value",
                    REPEAT,
                    status="skipped",
                    reason="the column is unique"
                    if f.unique
                    else "the column is unique together with others",
                )
            )
        else:
            mine.append(Placement(f, "a repeated value", REPEAT))
        if n < 2:
            mine = [p for p in mine if p.edge != REPEAT]
        rows = rng.permutation(n)
        for i, p in enumerate(mine):
            if i < n:
                p.row = int(rows[i])
                if p.edge == REPEAT:
                    p.source = int(rows[(i + 1) % n])
            else:
                p.status, p.reason = "skipped", _too_few(n, len(mine))
        placements += [p for p in mine if p.status == "pending"]
        skipped += [p for p in mine if p.status == "skipped"]
    for f in spec.index:
        why = "stressing index levels is currently unsupported"
        skipped.append(Placement(f, "every edge", 0, status="skipped", reason=why))
    out, placements = _settle(spec, plans, frame, placements, rng)
    done = placements + skipped
    order = {f.stream: i for i, f in enumerate([*spec.columns, *spec.index])}
    done.sort(key=lambda p: (order[p.field.stream], p.edge if p.edge >= 0 else 1e9))
    return out, [p.record() for p in done]


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
    _present(spec, plans, frame, placements)
    while True:
        active = [p for p in placements if p.status == "pending"]
        built, where = _build(spec, plans, frame, active)
        failing, whole = _violations(spec, built)
        if whole:  # a check on the frame as a whole: keep what it allows
            _keep_allowed(spec, plans, frame, active)
            continue
        bad_rows = {int(where[r]): why for r, why in failing.items()}
        by_row: dict[int, list[Placement]] = {}
        for p in active:
            by_row.setdefault(p.row, []).append(p)
            if p.edge == REPEAT:
                by_row.setdefault(p.source, []).append(p)
        clashes = {id(p): p for r in bad_rows for p in by_row.get(r, [])}
        if not clashes:
            for p in active:
                p.status = "injected"
            _final_rows([p for p in placements if p.status != "skipped"], where)
            return built, placements
        for p in clashes.values():
            why = bad_rows.get(p.row) or bad_rows.get(p.source, "")
            p.tries += 1
            taken = {q.row for q in placements if q.field is p.field and q is not p}
            free = [r for r in rng.permutation(n).tolist() if r not in taken]
            if p.tries > ROUNDS or len(free) < (2 if p.edge == REPEAT else 1):
                p.status, p.reason = "skipped", f"{why} in every row tried"
                continue
            p.row = int(free[0])
            if p.edge == REPEAT:
                p.source = int(free[1])


def _present(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    frame: pd.DataFrame,
    placements: list[Placement],
) -> None:
    """Edge values a unique column already holds are covered where they are."""
    for p in placements:
        f = p.field
        if not f.unique or p.edge == REPEAT:
            continue
        col = frame[f.name]
        value = _catalogue(spec, plans, f).values.iloc[[p.edge]]
        if value.isna().all():
            hit = np.flatnonzero(col.isna().to_numpy())
        else:
            hit = np.flatnonzero(col.isin(value).to_numpy())
        if len(hit):
            p.status, p.row = "present", int(hit[0])


def _final_rows(active: list[Placement], where: np.ndarray) -> None:
    """Rows as they end up once the frame is ordered."""
    inverse = np.empty(len(where), dtype=np.int64)
    inverse[where] = np.arange(len(where))
    for p in active:
        p.row = int(inverse[p.row])


def _build(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    frame: pd.DataFrame,
    active: list[Placement],
) -> tuple[pd.DataFrame, np.ndarray]:
    """The frame with ``active`` applied, ordered; and each row's origin."""
    out = frame.copy()
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
    """Rows breaking a rule beyond the columns' own checks, with the rule;
    and the rules failing the frame as a whole."""
    failing: dict[int, str] = {}

    def mark(mask: np.ndarray, why: str) -> None:
        for r in np.flatnonzero(mask):
            failing.setdefault(int(r), why)

    for f in spec.columns:
        if f.unique:
            ser = frame[f.name]
            mark(
                ser.duplicated(keep=False).to_numpy() & ser.notna().to_numpy(),
                f"{f.label} is unique and another row holds the value",
            )
    for group in unique_groups(spec):
        gf = pd.DataFrame(
            {
                i: np.asarray(frame[g.name])
                for i, g in enumerate(group)
                if any(c is g for c in spec.columns)
            }
        )
        if gf.shape[1] == len(group):
            names = ", ".join(g.label for g in group)
            mark(
                gf.duplicated(keep=False).to_numpy(),
                f"{names} are unique together and another row holds the combination",
            )
        elif _duplicated(spec, frame, group).any():
            mark(np.ones(len(frame), dtype=bool), "a unique index combination repeats")
    if spec.links is not None and spec.links.derived:
        for what, ok in row_checks(spec, frame):
            mark(~ok, f"{what} rejects the row")
    whole: list[str] = []
    for target, check, label, _ in _residual_items(spec, frame):
        res = _run(check, target)
        if isinstance(res, np.ndarray):
            mark(~res, f"{describe(check)} on {label} rejects the row")
        elif not res:
            whole.append(f"{describe(check)} on {label}")
    for f, values in _missing_required(spec, frame):
        whole.append(f"unique_values_eq on {f.label} (needs {values!r})")
    return failing, whole


def _keep_allowed(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    frame: pd.DataFrame,
    active: list[Placement],
) -> None:
    """Skip the placements a whole-frame rule rejects (greedily).

    Column by column, a column's placements are kept together if the rule
    still passes with them and those kept so far, else one by one.
    """
    kept: list[Placement] = []

    def rejects(extra: list[Placement]) -> list[str]:
        return _violations(spec, _build(spec, plans, frame, kept + extra)[0])[1]

    by_field: dict[int, list[Placement]] = {}
    for p in active:
        by_field.setdefault(p.field.stream, []).append(p)
    for mine in by_field.values():
        if not rejects(mine):
            kept += mine
            continue
        for p in mine:
            rules = rejects([p])
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


def summary(coverage: list[dict[str, Any]], limit: int = 12) -> list[str]:
    """Lines telling what a stressed frame holds, for reports."""
    injected = [c for c in coverage if c["status"] in ("injected", "present")]
    skipped = [c for c in coverage if c["status"] == "skipped"]
    columns = {c["column"] for c in injected}
    lines = [
        f"stress: {len(injected)} edge values in {len(columns)} columns, "
        f"{len(skipped)} skipped"
    ]
    for c in skipped[:limit]:
        lines.append(f"  skipped {c['column']!r} {c['edge']}: {c['reason']}")
    if len(skipped) > limit:
        lines.append(f"  ... and {len(skipped) - limit} more skipped")
    return lines
