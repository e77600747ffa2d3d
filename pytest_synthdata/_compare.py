"""Real against synthetic: per column and jointly, as text and as an HTML page.

Per column: the KS distance and the Wasserstein distance (in units of the
real data's interquartile range) for numbers and times, the total variation
distance of the value frequencies for finite and text columns, and the null
rates. Jointly: the largest gap between the two Spearman matrices, and how
well a logistic regression on the columns tells the frames apart (its
cross-validated AUC: 0.5 means it cannot).
"""

from __future__ import annotations

import base64
import datetime
import decimal
import html
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._files import write_text
from ._generators.nested import opaque_dtype
from .errors import InvalidArgumentError

MAX_LEVELS = 30  # text columns with more distinct values are compared by length
CLASSIFIER_ROWS = 20_000  # rows per frame the classifier sees at most
ECDF_POINTS = 2_000  # steps an ECDF is drawn with at most
MAX_PLOTS = 40  # columns drawn on the page: those farthest apart


@dataclass(frozen=True)
class Comparison:
    """Figures of a real frame against a synthetic one."""

    table: pd.DataFrame
    spearman_gap: float
    auc: float
    rows: tuple[int, int]
    real: pd.DataFrame
    synthetic: pd.DataFrame
    matrices: tuple[pd.DataFrame, pd.DataFrame] = field(repr=False, default=None)

    def __str__(self) -> str:
        head = (
            f"synthdata comparison: {self.rows[0]} real rows, {self.rows[1]} "
            "synthetic rows"
        )
        joint = (
            f"Spearman matrix, largest gap: {_fmt(self.spearman_gap)}; "
            f"classifier AUC (0.5 = indistinguishable): {_fmt(self.auc)}"
        )
        with pd.option_context("display.width", 120, "display.max_columns", 20):
            return f"{head}\n{self.table.to_string(index=False)}\n{joint}"

    def to_html(self, path: str | os.PathLike) -> Path:
        """Write a self-contained HTML page with the figures and plots.

        Written to a temporary file beside ``path`` and moved into place.
        """
        target = Path(path)
        text = _page(self)
        write_text(target, text)
        return target


def compare(real: pd.DataFrame, synthetic: pd.DataFrame) -> Comparison:
    """Compare a synthetic frame with the real one it stands in for.

    Parameters
    ----------
    real, synthetic : pandas.DataFrame
        Frames with the same columns (extra columns on either side are
        ignored).

    Returns
    -------
    Comparison
        Printable; ``.table`` holds the per-column figures, ``.spearman_gap``
        and ``.auc`` the joint ones; ``.to_html(path)`` writes a page with
        overlaid distributions and both correlation matrices.
    """
    for name, frame in (("real", real), ("synthetic", synthetic)):
        if not isinstance(frame, pd.DataFrame):
            raise InvalidArgumentError(
                f"compare({name}=...) must be a DataFrame, got {type(frame).__name__}."
            )
    for name, frame in (("real", real), ("synthetic", synthetic)):
        if frame.columns.duplicated().any():
            raise InvalidArgumentError(f"compare: the {name} frame repeats columns.")
    columns = [c for c in real.columns if c in synthetic.columns]
    if not columns:
        raise InvalidArgumentError("compare: the frames share no column.")
    real, synthetic = _utc(real[columns]), _utc(synthetic[columns])
    rows = [_column_row(c, real[c], synthetic[c]) for c in columns]
    table = pd.DataFrame(rows)
    matrices = (_spearman(real[columns]), _spearman(synthetic[columns]))
    gap = _spearman_gap(*matrices)
    auc = _auc(real[columns], synthetic[columns])
    return Comparison(
        table, gap, auc, (len(real), len(synthetic)), real, synthetic, matrices
    )


def _utc(frame: pd.DataFrame) -> pd.DataFrame:
    """tz-aware timestamps as naive UTC, so that either side compares; nested
    and binary values as their text (compared as text is)."""
    out = frame.copy(deep=False)
    for c in out.columns:
        if opaque_dtype(out[c].dtype):
            present = out[c].notna()
            out[c] = out[c].astype(object).map(str).where(present, None)
        tz = getattr(getattr(out[c], "dt", None), "tz", None)
        if pd.api.types.is_datetime64_any_dtype(out[c]) and tz is not None:
            out[c] = out[c].dt.tz_convert("UTC").dt.tz_localize(None)
    return out


def _kind(ser: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(ser) or isinstance(ser.dtype, pd.CategoricalDtype):
        return "finite"
    if ser.dtype == object:  # dates and decimals are objects in pandas
        first = ser.dropna().head(1).tolist()
        if first and isinstance(first[0], (datetime.date, decimal.Decimal)):
            return "time" if isinstance(first[0], datetime.date) else "number"
    if pd.api.types.is_numeric_dtype(ser):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(ser) or pd.api.types.is_timedelta64_dtype(
        ser
    ):
        return "time"
    return "text"


def _numbers(ser: pd.Series) -> np.ndarray:
    s = ser.dropna()
    if s.dtype == object and len(s):
        if isinstance(s.iloc[0], datetime.date):
            s = pd.to_datetime(s)
        else:
            return s.map(float).to_numpy(np.float64)
    if pd.api.types.is_datetime64_any_dtype(s):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        return s.astype("datetime64[ns]").astype("int64").to_numpy(np.float64)
    if pd.api.types.is_timedelta64_dtype(s):
        return s.astype("timedelta64[ns]").astype("int64").to_numpy(np.float64)
    return s.to_numpy(dtype=np.float64)


def _column_row(name: Any, a: pd.Series, b: pd.Series) -> dict[str, Any]:
    from scipy import stats

    kind = _kind(a)
    row: dict[str, Any] = {
        "column": str(name),
        "kind": kind,
        "null real": round(float(a.isna().mean()), 4) if len(a) else math.nan,
        "null synthetic": round(float(b.isna().mean()), 4) if len(b) else math.nan,
        "ks": math.nan,
        "wasserstein/iqr": math.nan,
        "tvd": math.nan,
    }
    if kind in ("number", "time"):
        x, y = _numbers(a), _numbers(b)
        x, y = x[np.isfinite(x)], y[np.isfinite(y)]
        if len(x) and len(y):
            row["ks"] = round(float(stats.ks_2samp(x, y).statistic), 4)
            iqr = float(np.subtract(*np.percentile(x, [75, 25]))) or float(np.std(x))
            scale = iqr or abs(float(np.median(x))) or 1.0  # a constant column
            w = stats.wasserstein_distance(x, y)
            row["wasserstein/iqr"] = round(w / scale, 4)
    else:
        x, y = a.dropna(), b.dropna()
        if kind == "text" and x.nunique() > MAX_LEVELS:
            x, y = x.astype(str).str.len(), y.astype(str).str.len()
            row["kind"] = "text (by length)"
        p = x.astype(str).value_counts(normalize=True)
        q = y.astype(str).value_counts(normalize=True)
        both = p.index.union(q.index)
        diff = p.reindex(both, fill_value=0) - q.reindex(both, fill_value=0)
        row["tvd"] = round(0.5 * float(diff.abs().sum()), 4) if len(both) else math.nan
    return row


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for c in frame.columns:
        kind = _kind(frame[c])
        ser = frame[c]
        if kind in ("number", "time"):
            vals = pd.Series(np.nan, index=frame.index)
            present = ser.notna().to_numpy()
            vals[present] = _numbers(ser)
            out[c] = vals
        elif pd.api.types.is_bool_dtype(ser):
            out[c] = ser.astype(float)
        elif isinstance(ser.dtype, pd.CategoricalDtype) and ser.dtype.ordered:
            codes = ser.cat.codes.astype(float)
            out[c] = codes.where(codes >= 0)
    return pd.DataFrame(out, index=frame.index)


def _spearman(frame: pd.DataFrame) -> pd.DataFrame:
    ranked = _ranked(frame)
    ranked = ranked.loc[:, ranked.nunique() > 1]
    return ranked.rank().corr()


def _spearman_gap(a: pd.DataFrame, b: pd.DataFrame) -> float:
    shared = [c for c in a.columns if c in b.columns]
    if len(shared) < 2:
        return math.nan
    gap = (a.loc[shared, shared] - b.loc[shared, shared]).abs().to_numpy()
    return round(float(np.nanmax(gap)), 4)


def _features(
    frame: pd.DataFrame, levels: dict[Any, list[str]], lengths: set[Any]
) -> np.ndarray:
    parts = []
    for c in frame.columns:
        ser = frame[c]
        kind = _kind(ser)
        parts.append(ser.isna().to_numpy(dtype=float)[:, None])
        if kind in ("number", "time"):
            vals = np.zeros(len(ser))
            present = ser.notna().to_numpy()
            vals[present] = _numbers(ser)
            ranks = pd.Series(vals).rank(pct=True).to_numpy()
            parts.append(np.where(present, ranks, 0.0)[:, None])
        elif c in lengths:  # many distinct texts: their lengths
            # (pandas 3's str keeps missing values missing: they count as -1)
            sizes = ser.astype(str).str.len().fillna(-1).to_numpy(dtype=float)
            parts.append(pd.Series(sizes).rank(pct=True).to_numpy()[:, None])
        elif levels.get(c):
            text = ser.astype(str).to_numpy()
            parts.append(np.stack([text == v for v in levels[c]], axis=1).astype(float))
    return np.hstack(parts) if parts else np.zeros((len(frame), 0))


def _auc(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    """Cross-validated AUC of a logistic regression telling the frames apart."""
    rng = np.random.default_rng(0)
    a = real.sample(min(len(real), CLASSIFIER_ROWS), random_state=1)
    b = synthetic.sample(min(len(synthetic), CLASSIFIER_ROWS), random_state=2)
    if len(a) < 10 or len(b) < 10:
        return math.nan
    levels, lengths = {}, set()
    for c in real.columns:
        kind = _kind(real[c])
        if kind == "text" and real[c].nunique() > MAX_LEVELS:
            lengths.add(c)
        elif kind in ("finite", "text"):
            top = a[c].astype(str).value_counts().index[:MAX_LEVELS].tolist()
            levels[c] = top
    both = pd.concat([a, b], ignore_index=True)
    x = _features(both, levels, lengths)
    # ranks over both frames together: the same scale for each
    y = np.r_[np.ones(len(a)), np.zeros(len(b))]
    order = rng.permutation(len(y))
    x, y = x[order], y[order]
    folds = np.array_split(np.arange(len(y)), 2)
    scores = np.zeros(len(y))
    for i, test in enumerate(folds):
        train = folds[1 - i]
        w = _logistic(x[train], y[train])
        scores[test] = _design(x[test]) @ w
    from scipy import stats

    ranks = stats.rankdata(scores)
    pos = y == 1
    n1, n0 = pos.sum(), (~pos).sum()
    auc = (ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)
    return round(float(max(auc, 1 - auc)), 4)


def _design(x: np.ndarray) -> np.ndarray:
    return np.hstack([np.ones((len(x), 1)), x])


def _logistic(x: np.ndarray, y: np.ndarray, penalty: float = 1.0) -> np.ndarray:
    """A ridge-penalised logistic regression, by scipy's L-BFGS."""
    from scipy import optimize
    from scipy.special import expit

    d = _design(x)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = d @ w
        p = expit(z)
        value = float(np.sum(np.logaddexp(0, z) - y * z)) + penalty * float(w @ w)
        grad = d.T @ (p - y) + 2 * penalty * w
        return value, grad

    res = optimize.minimize(loss, np.zeros(d.shape[1]), jac=True, method="L-BFGS-B")
    return res.x


def _fmt(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{x:.4f}"


# --------------------------------------------------------------------------
# the page
# --------------------------------------------------------------------------


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _farthest(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of the ``MAX_PLOTS`` columns farthest apart (KS, TVD or the
    null rates), farthest first."""
    gap = (
        table[["ks", "tvd"]]
        .max(axis=1)
        .fillna(0)
        .combine((table["null real"] - table["null synthetic"]).abs().fillna(0), max)
    )
    order = gap.sort_values(ascending=False, kind="stable").index[:MAX_PLOTS]
    return table.loc[order].to_dict("records")


def _ecdf(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An ECDF's steps, at most ``ECDF_POINTS`` of them (its quantiles on a
    regular grid when there are more values: the plot looks the same)."""
    x = np.sort(x[np.isfinite(x)])
    if len(x) <= ECDF_POINTS:
        return x, np.arange(1, len(x) + 1) / len(x)
    p = np.linspace(0, 1, ECDF_POINTS + 1)[1:]
    picks = np.ceil(p * len(x)).astype(np.int64) - 1
    return x[picks], p


def _plots(report: Comparison) -> list[tuple[str, str]]:
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - matplotlib is in the extras
        raise InvalidArgumentError(
            "the HTML report draws with matplotlib; install pytest-synthdata"
            "[report] (or matplotlib)."
        ) from exc
    out = []
    for row in _farthest(report.table):
        name = row["column"]
        column = next(c for c in report.real.columns if str(c) == name)
        a, b = report.real[column], report.synthetic[column]
        fig, ax = plt.subplots(figsize=(5, 3))
        if row["kind"] in ("number", "time"):
            dated = pd.api.types.is_datetime64_any_dtype(a)
            for ser, label in ((a, "real"), (b, "synthetic")):
                x, p = _ecdf(_numbers(ser))
                if dated:
                    x = x.astype("datetime64[ns]")
                if len(x):
                    ax.step(x, p, where="post", label=label)
            ax.set_ylabel("ECDF")
        else:
            p = a.dropna().astype(str).value_counts(normalize=True).head(15)
            q = b.dropna().astype(str).value_counts(normalize=True)
            q = q.reindex(p.index, fill_value=0)
            pos = np.arange(len(p))
            ax.bar(pos - 0.2, p.to_numpy(), 0.4, label="real")
            ax.bar(pos + 0.2, q.to_numpy(), 0.4, label="synthetic")
            ax.set_xticks(pos, [t[:12] for t in p.index], rotation=45, ha="right")
            ax.set_ylabel("share")
        ax.set_title(name)
        ax.legend()
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
        out.append((name, _png(fig)))
    a, b = report.matrices
    shared = [c for c in a.columns if c in b.columns]
    if len(shared) >= 2:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        for ax, m, title in ((axes[0], a, "real"), (axes[1], b, "synthetic")):
            im = ax.imshow(
                m.loc[shared, shared].to_numpy(), vmin=-1, vmax=1, cmap="RdBu_r"
            )
            ax.set_xticks(
                range(len(shared)), [str(s)[:10] for s in shared], rotation=90
            )
            ax.set_yticks(range(len(shared)), [str(s)[:10] for s in shared])
            ax.set_title(f"Spearman, {title}")
        fig.colorbar(im, ax=axes, shrink=0.8)
        out.append(("correlations", _png(fig)))
    return out


def _page(report: Comparison) -> str:
    plots = _plots(report)
    table = report.table.to_html(index=False, na_rep="", border=0, classes="figures")
    columns = len(report.table)
    drawn = (
        f"The {MAX_PLOTS} columns farthest apart of {columns} (by KS, TVD or "
        "null rate), farthest first; the table above has them all."
        if columns > MAX_PLOTS
        else "Each column, farthest apart first."
    )
    imgs = "\n".join(
        f'<figure><img alt="{html.escape(name)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(name)}</figcaption></figure>"
        for name, data in plots
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>synthdata comparison</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table.figures {{ border-collapse: collapse; }}
table.figures td, table.figures th {{ padding: 0.2em 0.8em; text-align: right; }}
figure {{ display: inline-block; margin: 0.5em; }}
</style></head><body>
<h1>Real against synthetic</h1>
<p>{report.rows[0]} real rows, {report.rows[1]} synthetic rows.
Spearman matrix, largest gap: {_fmt(report.spearman_gap)}.
Classifier AUC (0.5: the frames cannot be told apart): {_fmt(report.auc)}.</p>
{table}
<h2>Distributions</h2>
<p>{drawn}</p>
{imgs}
</body></html>
"""
