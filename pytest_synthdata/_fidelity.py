"""Fidelity: how close a frame is to the shape its schema declares.

:func:`describe` compares, column by column, what was declared with what a
frame shows: the KS distance to the declared (truncated) distribution, the
null rate, the total variation distance of weighted values, the Spearman
correlations, and whether relations (expr, after, sorted) hold. Next to each
distance stands the sampling noise expected at that size, so a reader can
tell a real departure from chance.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._engine.plan import plan_field
from ._generators.distributions import DISCRETE, window_cdf
from ._schema.dtypes import Kind
from ._schema.reader import compile_schema, shaped
from ._schema.spec import FieldSpec, FrameSpec

KS_95 = 1.358  # the KS distance exceeded by chance with probability 5%: c / sqrt(n)


@dataclass(frozen=True)
class FidelityReport:
    """Declared versus achieved shape, one row per column and measure.

    ``table`` has the columns ``column``, ``measure`` (``ks``, ``null_rate``,
    ``tvd``, ``spearman``, ``relation``, ``sorted``), ``declared``,
    ``achieved``, ``distance``, ``noise`` (the distance that sampling alone
    reaches with probability about 5% at this size) and ``n`` (the values
    compared).
    """

    schema: str
    rows: int
    table: pd.DataFrame

    def distance(self, column: Any, measure: str) -> float:
        """The distance of one column's measure (the largest if several).

        A column's ``given`` cases and its correlated pairs count as its own.
        """
        labels = self.table["column"].astype(str)
        name = str(column)
        mine = (
            (labels == name)
            | labels.str.startswith(f"{name} | ")  # given cases
            | labels.str.startswith(f"{name} ~ ")  # correlated pairs
            | labels.str.endswith(f" ~ {name}")
        )
        sel = self.table[mine & (self.table["measure"] == measure)]
        if sel.empty:
            raise KeyError(f"no {measure!r} measure for column {column!r}")
        return float(sel["distance"].max())

    def __str__(self) -> str:
        head = f"synthdata fidelity: {self.schema}, {self.rows} rows"
        if self.table.empty:
            return f"{head}\n(no declared shape to compare)"
        shown = self.table.copy()
        for col in ("distance", "noise"):
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else f"{v:.4f}")
        return f"{head}\n{shown.to_string(index=False)}"


def describe(df: pd.DataFrame, schema: Any, *, shape: Any = None) -> FidelityReport:
    """Compare ``df`` with the shape ``schema`` declares.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame of the schema's columns (generated or real).
    schema : pandera.pandas.DataFrameSchema or DataFrameModel subclass
        The schema whose column and frame shapes are the reference.
    shape : dict, optional
        Per-call shapes laid over the declared ones, as in ``generate``. By
        default, the one recorded in ``df.attrs["synthdata"]`` by
        ``generate`` (for a frame of a schema with the same name and
        columns); ``shape={}`` compares
        with the declared shapes alone.

    Returns
    -------
    FidelityReport
        Printable; ``report.table`` holds the figures and
        ``report.distance(column, measure)`` one of them.

    Examples
    --------
    >>> import pandera.pandas as pa
    >>> from pytest_synthdata import describe, generate
    >>> schema = pa.DataFrameSchema({"x": pa.Column(float, pa.Check.in_range(0, 1),
    ...     metadata={"synthdata": {"dist": "beta", "a": 2, "b": 5}})})
    >>> report = describe(generate(schema, 5000, seed=1), schema)
    >>> report.distance("x", "ks") < 0.03
    True
    """
    _, spec = compile_schema(schema)
    if shape is None:  # a generated frame records its per-call shape
        shape = _recorded_shape(df, spec)
    spec = shaped(spec, shape)
    rows: list[dict[str, Any]] = []
    for f in spec.columns:
        if f.name not in df.columns:
            continue
        ser = df[f.name]
        computed = f.shape is not None and f.shape.expr is not None
        if f.nullable and not computed:  # an expr's nulls are its sources'
            rows.append(_null_row(f, ser))
        rows.extend(_value_rows(spec, f, df))
    rows.extend(_index_rows(spec, df))
    rows.extend(_correlation_rows(spec, df))
    columns = ["column", "measure", "declared", "achieved", "distance", "noise", "n"]
    return FidelityReport(
        spec.schema_name, len(df), pd.DataFrame(rows, columns=columns)
    )


def _recorded_shape(df: pd.DataFrame, spec: FrameSpec) -> Any:
    """The per-call shape ``generate`` recorded, if ``df`` came from a schema
    of the same name and columns as ``spec``."""
    recorded = df.attrs.get("synthdata")
    if not isinstance(recorded, dict) or recorded.get("schema") != spec.schema_name:
        return None
    shape = recorded.get("shape")
    if recorded.get("columns") != [str(f.name) for f in spec.columns]:
        return None
    return shape if isinstance(shape, dict) else None


def _index_rows(spec: FrameSpec, df: pd.DataFrame) -> list[dict]:
    """Whether sorted index levels hold their order."""
    out = []
    for f in spec.index:
        if f.shape is None or f.shape.sorted is None:
            continue
        if spec.multiindex:
            if f.name not in df.index.names:
                continue
            ser = pd.Series(df.index.get_level_values(f.name))
        else:
            ser = pd.Series(df.index)
        out.append(_sorted_row(f, ser))
    return out


def _sorted_row(f: FieldSpec, ser: pd.Series) -> dict[str, Any]:
    values = ser.dropna()
    up = f.shape.sorted == "increasing"
    held = values.is_monotonic_increasing if up else values.is_monotonic_decreasing
    return _row(
        f.name if f.name is not None else "index",
        "sorted",
        f.shape.sorted,
        str(held),
        0.0 if held else 1.0,
        0.0,
        len(values),
    )


def _row(column, measure, declared, achieved, distance, noise, n) -> dict[str, Any]:
    return {
        "column": column,
        "measure": measure,
        "declared": declared,
        "achieved": achieved,
        "distance": distance,
        "noise": noise,
        "n": n,
    }


def _null_row(f: FieldSpec, ser: pd.Series) -> dict[str, Any]:
    n = len(ser)
    rate = float(ser.isna().mean()) if n else math.nan
    p = f.null_rate
    noise = 2 * math.sqrt(max(p * (1 - p), 1 / max(n, 1)) / max(n, 1))
    return _row(f.name, "null_rate", f"{p:.4f}", f"{rate:.4f}", abs(rate - p), noise, n)


def _value_rows(spec: FrameSpec, f: FieldSpec, df: pd.DataFrame) -> list[dict]:
    shape = f.shape
    if shape is None:
        return []
    links = spec.links
    ser = df[f.name]
    out = []
    needed = [links.refs[f.stream].name] if links and f.stream in links.refs else []
    if shape.expr is not None and links is not None:
        from ._engine.links import expr_sources

        needed += expr_sources(spec, f)
    if any(name not in df.columns for name in needed):
        return out  # a relation to a column the frame lacks: nothing to compare
    if shape.expr is not None:
        from ._engine.links import row_checks

        out.append(_relation_row(spec, f, df, row_checks, f"expr {shape.expr!r}"))
    elif shape.after is not None:
        from ._engine.links import row_checks

        out.append(_relation_row(spec, f, df, row_checks, f"after {shape.after!r}"))
    elif shape.given is not None and links is not None:
        src = links.refs[f.stream]
        codes = _codes(src, df[src.name])
        covered = np.zeros(len(df), dtype=bool)
        for code, case in links.cases[f.stream]:
            hit = codes == code
            covered |= hit
            value = src.domain.choices.tolist()[code]
            out.extend(_shape_rows(case, ser[hit], f"{f.name} | {src.name}={value!r}"))
        if shape.dist is not None or shape.weights is not None:
            out.extend(_shape_rows(f, ser[~covered], f"{f.name} | other"))
    else:
        out.extend(_shape_rows(f, ser, f.name))
    if shape.sorted is not None:
        out.append(_sorted_row(f, ser))
    return out


def _relation_row(spec, f, df, row_checks, what) -> dict[str, Any]:
    ((_, mask),) = row_checks(spec, df, [f])
    held = float(mask.mean()) if len(mask) else 1.0
    return _row(
        f.name, "relation", what, f"{held:.4f} of rows", 1.0 - held, 0.0, len(mask)
    )


def _codes(f: FieldSpec, ser: pd.Series) -> np.ndarray:
    """The position of each value among ``f``'s choices (-1 if none, or null)."""
    choices = f.domain.choices
    keys = {_key(v): i for i, v in enumerate(choices.tolist())}
    return np.array(
        [keys.get(_key(v), -1) if not pd.isna(v) else -1 for v in ser.tolist()],
        dtype=np.int64,
    )


def _key(value: Any) -> Any:
    if isinstance(value, (bool, np.bool_)):
        return ("bool", bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return ("num", float(value))
    return (type(value).__name__, repr(value))


def _shape_rows(f: FieldSpec, ser: pd.Series, label: str) -> list[dict]:
    shape = f.shape
    if shape is None:
        return []
    values = ser.dropna()
    if shape.weights is not None and f.code_weights is not None:
        return [_tvd_row(f, values, label)]
    if shape.dist is not None:
        return [_ks_row(f, values, label)]
    return []


def _tvd_row(f: FieldSpec, values: pd.Series, label: str) -> dict[str, Any]:
    p = np.asarray(f.code_weights, dtype=float)
    n = len(values)
    codes = _codes(f, values)
    counts = np.bincount(codes[codes >= 0], minlength=len(p)).astype(float)
    freq = counts / n if n else counts
    tvd = 0.5 * float(np.abs(freq - p).sum()) if n else math.nan
    # The mean of the TVD under sampling is about sum sqrt(p(1-p)/(2 pi n));
    # with two values the TVD is a half-normal, whose 95% point is 2.46 times
    # its mean (more values concentrate it, so the factor is conservative).
    noise = 2.46 * float(np.sqrt(p * (1 - p) / (2 * math.pi * max(n, 1))).sum())
    shown = ", ".join(
        f"{v!r}: {q:.3g}" for v, q in zip(f.domain.choices.tolist(), p, strict=True)
    )
    return _row(label, "tvd", "{" + _clip(shown) + "}", f"{n} values", tvd, noise, n)


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _ks_row(f: FieldSpec, values: pd.Series, label: str) -> dict[str, Any]:
    shape = f.shape
    plan = plan_field(f)
    n = len(values)
    lo, hi = plan.dist_window(max(n, 1))
    given = shape.source or dict(shape.params)  # as the user wrote them
    params = ", ".join(
        f"{k}={given.get(k, v)}" for k, v in shape.params if k != "quantiles"
    )
    declared = f"{shape.dist}({params})"
    if n == 0:
        return _row(label, "ks", declared, "no values", math.nan, math.nan, 0)
    x = np.sort(_logical(f, values))
    if f.info.kind is not Kind.FLOAT:
        if shape.dist in DISCRETE:
            cdf = window_cdf(shape.dist, shape.param_dict, lo, hi)
            at = cdf
        else:
            base = window_cdf(
                shape.dist, shape.param_dict, lo - 0.5, hi + 0.5, (lo, hi)
            )

            def at(k: Any) -> Any:
                return base(np.asarray(k, float) + 0.5)

        uniq, counts = np.unique(x, return_counts=True)
        ecdf = np.cumsum(counts) / n
        before = np.concatenate([[0.0], ecdf[:-1]])
        d = max(
            float(np.max(np.abs(ecdf - at(uniq)))),
            float(np.max(np.abs(before - at(uniq - 1)))),
        )
    else:
        cdf = window_cdf(shape.dist, shape.param_dict, lo, hi, (lo, hi))
        fx = cdf(x)
        i = np.arange(1, n + 1)
        d = float(max(np.max(i / n - fx), np.max(fx - (i - 1) / n)))
    return _row(label, "ks", declared, f"{n} values", d, KS_95 / math.sqrt(n), n)


def _logical(f: FieldSpec, values: pd.Series) -> np.ndarray:
    """Values as the engine's logical numbers (time since the epoch in the
    column's unit, days for dates, unscaled decimals)."""
    kind = f.info.kind
    if kind is Kind.DATETIME:
        ts = pd.to_datetime(values, utc=f.info.tz is not None)
        if f.info.tz is not None:
            ts = ts.dt.tz_localize(None)
        return ts.dt.as_unit(f.info.unit).astype("int64").to_numpy(np.float64)
    if kind is Kind.TIMEDELTA:
        td = pd.to_timedelta(values).dt.as_unit(f.info.unit)
        return td.astype("int64").to_numpy(np.float64)
    if kind is Kind.DATE:
        days = pd.to_datetime(values).to_numpy().astype("datetime64[D]")
        return days.astype(np.int64).astype(np.float64)
    if kind is Kind.DECIMAL:
        scaled = values.map(lambda v: float(v) * 10**f.info.scale)
        return np.rint(scaled.to_numpy(np.float64))
    return values.to_numpy(dtype=np.float64)


def _correlation_rows(spec: FrameSpec, df: pd.DataFrame) -> list[dict]:
    corr = None if spec.links is None else spec.links.corr
    if corr is None:
        return []
    out = []
    names = [f.name for f in corr.fields]
    for i, j in itertools.combinations(range(len(names)), 2):
        if corr.listed is not None and not corr.listed[i, j]:
            continue  # a pair left free
        a, b = names[i], names[j]
        if a not in df.columns or b not in df.columns:
            continue
        pair = df[[a, b]].dropna()
        n = len(pair)
        target = float(corr.target[i, j])
        ranks = pair.rank(method="average")
        if n < 3 or (ranks.nunique() < 2).any():  # no rank correlation to speak of
            achieved = math.nan
        else:
            achieved = float(np.corrcoef(ranks[a], ranks[b])[0, 1])
        noise = 2 * (1 - target**2) / math.sqrt(max(n - 3, 1))
        out.append(
            _row(
                f"{a} ~ {b}",
                "spearman",
                f"{target:+.3f}",
                f"{achieved:+.4f}",
                abs(achieved - target),
                noise,
                n,
            )
        )
    return out
