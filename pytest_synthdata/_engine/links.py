"""Relations between columns, applied while a frame is assembled.

In order: correlated columns are reordered to the copula's ranks (their
values, and so their checks, untouched); ``given`` and ``after`` columns are
drawn from the columns they depend on; the frame is built; ``expr`` columns
are computed; rows are ordered by the sorted columns. :func:`rows_ok` says
which rows keep every relation and every check of a derived column, so that
the assembly loop redraws the others.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._generators.copula import rank_orders
from .._generators.distributions import DISCRETE, draw_rowwise
from .._schema.dtypes import Kind, Storage
from .._schema.shape import GAP_UNITS
from .._schema.spec import FieldSpec, FrameSpec
from ..errors import InvalidShapeError

_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}
_INT64 = (-(2**63), 2**63 - 1)


def link_values(
    spec: FrameSpec,
    plans: dict[Any, Any],
    values: dict[int, Any],
    seed: int,
    salt: int,
    n: int,
    total: int | None,
) -> None:
    """Correlate, then draw ``given`` and ``after`` columns (in place)."""
    from .assemble import _rng, draw_values

    links = spec.links
    if links.corr is not None and n > 1:
        corr = links.corr
        keys = []
        for f, ranks in zip(corr.fields, corr.ranks, strict=True):
            v = np.asarray(values[f.stream])
            keys.append(ranks[v] if ranks is not None else v)
        rng = _rng(seed, 0xC0DA, salt, 4)
        for f, order in zip(
            corr.fields, rank_orders(rng, corr.chol, keys), strict=True
        ):
            values[f.stream] = np.asarray(values[f.stream])[order]
    for f in links.values:
        src = links.refs[f.stream]
        if f.shape.given is not None:
            codes = np.asarray(values[src.stream])
            out = np.array(values[f.stream], copy=True)
            for code, case in links.cases[f.stream]:
                idx = np.flatnonzero(codes == code)
                if len(idx):
                    out[idx] = draw_values(
                        plans[case.stream], seed, len(idx), salt, total
                    )
            values[f.stream] = out
        else:
            rng = _rng(seed, f.stream, salt, 5)
            values[f.stream] = _after(
                plans[f.stream], src, np.asarray(values[src.stream]), rng, total or n
            )


def _start_in_units(f: FieldSpec, start: FieldSpec, s: np.ndarray) -> np.ndarray:
    """The start values in ``f``'s logical units, rounded up (end >= start)."""
    kind = f.info.kind
    if kind is Kind.FLOAT:
        return s.astype(np.float64)
    if start.info.kind is Kind.FLOAT:
        return np.clip(np.ceil(s), *_INT64).astype(np.int64)
    s = s.astype(np.int64)
    if kind in (Kind.DATETIME, Kind.TIMEDELTA):
        per_e, per_s = _PER_SECOND[f.info.unit], _PER_SECOND[start.info.unit]
        if per_e >= per_s:
            k = per_e // per_s
            big = np.abs(s) > _INT64[1] // k
            return np.where(big, np.sign(s) * _INT64[1], s * np.where(big, 1, k))
        k = per_s // per_e
        return -(-s // k)
    return s


def _gap_per(f: FieldSpec) -> float:
    """Logical units of ``f`` in one unit of its gap."""
    unit = GAP_UNITS[f.shape.gap_unit]
    kind = f.info.kind
    if kind in (Kind.DATETIME, Kind.TIMEDELTA):
        return float(unit * _PER_SECOND[f.info.unit])
    if kind is Kind.DATE:
        return unit / 86_400
    return 1.0


def _after(
    plan: Any, start: FieldSpec, s: np.ndarray, rng: np.random.Generator, n: int
) -> np.ndarray:
    """Values of ``plan.field`` at or after ``s``, row by row."""
    f = plan.field
    shape = f.shape
    s_e = _start_in_units(f, start, s)
    if f.info.kind is Kind.FLOAT:
        lo, hi = plan.fwindow
    elif shape.gap is not None:  # the gap decides how far past the start
        lo, hi = plan.limits
    else:
        lo, hi = (
            plan.dist_window(n) if shape.dist is not None else plan.window(n, False)
        )
        lo, hi = max(lo, _INT64[0]), min(hi, _INT64[1])
    hi_arr = np.full(len(s_e), hi, dtype=s_e.dtype)
    if (
        f.info.kind is not Kind.FLOAT
        and shape.dist is None
        and shape.gap is None
        and plan.user_hi is None
    ):
        # Starts beyond the default window get as much room above them.
        room = np.minimum(s_e, _INT64[1] - (hi - lo)) + (hi - lo)
        hi_arr = np.where(
            s_e > hi, np.minimum(room, min(plan.limits[1], _INT64[1])), hi
        )
    lo_arr = np.maximum(s_e, lo)
    hi_arr = np.maximum(hi_arr, lo_arr)  # rows with no room fail the filter
    if f.info.kind is Kind.FLOAT:
        if shape.gap is not None:
            gap = shape.gap
            x = s_e + draw_rowwise(
                rng, gap.dist, gap.param_dict, lo_arr - s_e, hi_arr - s_e
            )
        else:
            x = draw_rowwise(
                rng, shape.dist or "uniform", shape.param_dict, lo_arr, hi_arr, (lo, hi)
            )
        x = np.clip(x, lo_arr, hi_arr)
        fdt = f.info.float_dtype or np.dtype("float64")
        return x if fdt.itemsize == 8 else x.astype(fdt)
    if shape.gap is not None:
        gap, per = shape.gap, _gap_per(f)
        a = (lo_arr - s_e).astype(np.float64) / per
        b = (hi_arr - s_e).astype(np.float64) / per
        x = draw_rowwise(rng, gap.dist, gap.param_dict, a, b)
        step = np.rint(x * per)
        step = np.clip(step, 0, np.float64(2**62)).astype(np.int64)
        out = s_e + np.minimum(step, hi_arr - s_e)
    elif shape.dist is not None:
        lo_f, hi_f = lo_arr.astype(np.float64), hi_arr.astype(np.float64)
        if shape.dist in DISCRETE:
            x = draw_rowwise(rng, shape.dist, shape.param_dict, lo_f, hi_f)
        else:
            x = draw_rowwise(
                rng, shape.dist, shape.param_dict, lo_f - 0.5, hi_f + 0.5, (lo, hi)
            )
        out = np.clip(np.rint(x), -(2.0**63), 2.0**63 - 1024).astype(np.int64)
    else:
        out = rng.integers(lo_arr, hi_arr, endpoint=True, dtype=np.int64)
    return np.clip(out, lo_arr, hi_arr)


def compute_exprs(spec: FrameSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every ``expr`` column computed from its sources."""
    for f in spec.links.exprs:
        frame[f.name] = _cast(f, _evaluate(f, frame))[0]
    return frame


def _evaluate(f: FieldSpec, frame: pd.DataFrame) -> pd.Series:
    expr = f.shape.expr
    try:
        with np.errstate(all="ignore"):
            out = frame.eval(expr)
    except Exception as exc:
        raise InvalidShapeError(
            f"{f.label}: expr {expr!r} could not be evaluated "
            f"({type(exc).__name__}: {exc}); write a pandas expression over the "
            "schema's columns (backticks around names with spaces)."
        ) from None
    if not isinstance(out, pd.Series):
        out = pd.Series([out] * len(frame), index=frame.index)
    return out


def _cast(f: FieldSpec, res: pd.Series) -> tuple[Any, np.ndarray]:
    """The result in the column's dtype, and the rows it cannot hold.

    Those rows get a stand-in value and are rejected by :func:`row_checks`.
    Values are rounded to the column's precision (float32, a Decimal's
    places) as storing them would.
    """
    info = f.info
    bad = np.zeros(len(res), dtype=bool)
    if info.kind is Kind.INT:
        num = pd.to_numeric(res, errors="coerce").astype("float64")
        whole = num.isna() | (num % 1 == 0)
        if not whole.all():
            shown = res[~whole].head(3).tolist()
            raise InvalidShapeError(
                f"{f.label}: expr {f.shape.expr!r} gives numbers that are not "
                f"whole ({shown}) for an integer column; round in the "
                "expression, as in '(a * b).round()' or 'a * b // 1', or make "
                "the column a float."
            )
        lo, hi = info.int_bounds or _INT64
        fits = (num.between(float(lo), float(hi)) & ~num.isna()).to_numpy()
        missing = num.isna().to_numpy()
        bad = ~fits & ~(missing & info.holds_na)
        if bad.any() or missing.any():
            res = pd.Series(np.where(fits, num, 0), index=res.index)
            if info.holds_na:
                res = res.where(~missing)
    try:
        with np.errstate(all="ignore"):
            if info.storage is Storage.OBJECT and f.pandera_dtype is not None:
                out = f.pandera_dtype.coerce(res).astype(object)
                out[out.isna()] = info.na_value
                return out.array, bad
            return res.astype(info.dtype).array, bad
    except Exception as exc:
        raise InvalidShapeError(
            f"{f.label}: expr {f.shape.expr!r} gives values that dtype "
            f"{info.dtype} cannot hold ({type(exc).__name__}: {exc}); make the "
            "expression return the column's type."
        ) from None


def _same(a: pd.Series, b: Any) -> np.ndarray:
    """Row by row: equal, or both null (values of one dtype)."""
    b = pd.Series(b, index=a.index, copy=False)
    both_null = a.isna().to_numpy() & b.isna().to_numpy()
    try:
        eq = a.eq(b)
        equal = eq.to_numpy(dtype=bool, na_value=False)
    except (TypeError, ValueError):
        equal = np.array(
            [x is y or (not pd.isna(x) and x == y) for x, y in zip(a, b, strict=True)],
            dtype=bool,
        )
    return equal | both_null


def order_rows(spec: FrameSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered by the first sorted column; other sorted columns alone."""
    links = spec.links
    if links is None or not links.sort_by or len(frame) < 2:
        return frame
    first, up = links.sort_by[0]
    levels = [i for i, f in enumerate(spec.index) if f is first]
    if not levels:
        out = frame.sort_values(first.name, ascending=up, kind="stable")
    elif spec.multiindex:
        out = frame.sort_index(
            level=levels[0], ascending=up, kind="stable", sort_remaining=False
        )
    else:
        out = frame.sort_index(ascending=up, kind="stable")
    for f, up in links.sort_by[1:]:
        ordered = out[f.name].sort_values(ascending=up, kind="stable")
        out[f.name] = pd.Series(ordered.array, index=out.index)
    if not spec.index:
        out.index = pd.RangeIndex(len(out))
    return out


def row_checks(
    spec: FrameSpec, frame: pd.DataFrame, fields: Any = None
) -> list[tuple[str, np.ndarray]]:
    """Per derived column (or those of ``fields``), which rows keep its
    relation and its checks."""
    from .assemble import element_checks_pass

    out = []
    for f in spec.links.derived if fields is None else fields:
        ser = frame[f.name]
        notna = ser.notna().to_numpy()
        ok = notna | f.nullable
        if notna.any():
            sub = ser[notna].reset_index(drop=True)
            ok[notna] = element_checks_pass(f, sub, np.ones(len(sub), dtype=bool))
        if f.unique:  # computed values may repeat: later repeats are redrawn
            ok &= ~ser.duplicated().to_numpy()
        shape = f.shape
        if shape.expr is not None:
            new, bad = _cast(f, _evaluate(f, frame))
            ok &= _same(ser, new) & ~bad
            what = f"expr {shape.expr!r}"
        elif shape.after is not None:
            start = frame[spec.links.refs[f.stream].name]
            ok &= ~(ser < start).fillna(False).to_numpy(dtype=bool)
            what = f"after={shape.after!r}"
        else:
            what = f"given={shape.given!r}"
        out.append((f"{what} on {f.label}", ok))
    return out


def rows_ok(spec: FrameSpec, frame: pd.DataFrame) -> np.ndarray:
    ok = np.ones(len(frame), dtype=bool)
    for _, mask in row_checks(spec, frame):
        ok &= mask
    return ok


def refill_given(
    spec: FrameSpec,
    plans: dict[Any, Any],
    frame: pd.DataFrame,
    nulled: dict[int, np.ndarray],
    seed: int,
) -> None:
    """Rows whose ``given`` column was just made null: the column's own shape.

    Their values were drawn for the case the row held before; with the case
    gone they are drawn again from the shape of rows no case names.
    """
    from .assemble import draw_values, finish_field

    for f in spec.links.values:
        if f.shape.given is None:
            continue
        rows = nulled.get(spec.links.refs[f.stream].stream)
        if rows is None:
            continue
        mine = nulled.get(f.stream)
        idx = np.flatnonzero(rows if mine is None else rows & ~mine)
        if not len(idx):
            continue
        plan = plans[f.stream]
        fresh = finish_field(plan, draw_values(plan, seed, len(idx), 0x6173), None)
        values = frame[f.name].array.copy()
        values[idx] = fresh
        frame[f.name] = values


def expr_sources(spec: FrameSpec, f: FieldSpec) -> list[Any]:
    """The names of the columns ``f``'s expr is computed from."""
    from .._schema.links import expr_source_fields

    return [g.name for g in expr_source_fields(f, {c.name: c for c in spec.columns})]
