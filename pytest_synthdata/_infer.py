"""A schema inferred from real data, under the same privacy rules as fit.

pandera's ``infer_schema`` reads the dtypes, the nullability and the
categories, and puts each column's exact minimum and maximum in its checks:
the values of the most extreme records. Here the bounds are the ``k``-th
smallest and largest values rounded outward to two significant digits
(dates to the day), values seen fewer than ``k`` times leave the allowed
sets, text columns with at most 50 distinct values and number columns with
at most 20 get an ``isin`` of the values seen at least ``k`` times, other
text columns whose values share one format get a pattern of it (character
classes with run lengths seen at least ``k`` times, and only the separators
and runs every value shares), and columns whose values are all distinct are
marked unique (identifiers, whose values then never reach a shape).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ._generators.nested import opaque_dtype

FEW_VALUES = 50  # text columns with at most this many distinct values: an isin
FEW_NUMBERS = 20  # number columns with at most this many distinct values too


def infer_private_schema(df: pd.DataFrame, k: int) -> Any:
    """A pandera schema for ``df`` that names no single record's value."""
    import pandera.pandas as pa

    inferred = pa.infer_schema(df)
    columns = {}
    for name, col in inferred.columns.items():
        ser = df[name]
        if opaque_dtype(ser.dtype):  # lists, structs, binary: type and nulls only
            columns[name] = pa.Column(
                ser.dtype, nullable=bool(ser.isna().any()), coerce=True
            )
            continue
        values = ser.dropna()
        unique = len(values) >= k and values.is_unique and not _is_float(ser)
        # identifiers need room for as many values as rows: no bounds, but
        # text keeps its format (CLM-00012345 reads as ^CLM\-[0-9]{8}$)
        checks = [] if unique else _checks(ser, k)
        if not checks and _is_text(ser):
            pattern = _text_pattern(values, k, unique)
            checks = [pa.Check.str_matches(pattern)] if pattern else []
        dtype = col.dtype
        if isinstance(ser.dtype, pd.CategoricalDtype):
            kept = _common(values, k)
            dtype = pd.CategoricalDtype(
                [c for c in ser.cat.categories if c in set(kept)],
                ordered=ser.cat.ordered,
            )
        columns[name] = pa.Column(
            dtype,
            checks,
            nullable=bool(ser.isna().any()),
            unique=unique,
            coerce=True,
        )
    return pa.DataFrameSchema(columns, coerce=True, name="inferred")


def _checks(ser: pd.Series, k: int) -> list[Any]:
    import pandera.pandas as pa

    values = ser.dropna()
    if not len(values) or pd.api.types.is_bool_dtype(ser):
        return []
    if isinstance(ser.dtype, pd.CategoricalDtype) or _is_text(ser):
        if isinstance(ser.dtype, pd.CategoricalDtype) or values.nunique() <= FEW_VALUES:
            kept = _common(values, k)
            return [pa.Check.isin(kept)] if kept else []
        return []
    if pd.api.types.is_datetime64_any_dtype(ser):
        if len(values) < 2 * k or getattr(ser.dt, "tz", None) is not None:
            return []  # pandera cannot write tz-aware bounds to YAML
        ordered = values.sort_values()
        lo = ordered.iloc[k - 1].floor("D")
        hi = ordered.iloc[len(ordered) - k].ceil("D")
        return [pa.Check.in_range(lo, hi)]
    if pd.api.types.is_numeric_dtype(ser):
        if values.nunique() <= FEW_NUMBERS:  # codes, counts, ratings: a set
            kept = _common(values, k)
            return [pa.Check.isin(kept)] if kept else []
        if len(values) < 2 * k:
            return []
        ordered = np.sort(values.to_numpy(dtype=np.float64))
        lo = _outward(float(ordered[k - 1]), down=True)
        hi = _outward(float(ordered[len(ordered) - k]), down=False)
        if pd.api.types.is_integer_dtype(ser):
            lo, hi = math.floor(lo), math.ceil(hi)
        return [pa.Check.in_range(lo, hi)]
    return []


def _common(values: pd.Series, k: int) -> list[Any]:
    counts = values.value_counts()
    return [
        v.item() if isinstance(v, np.generic) else v for v in counts[counts >= k].index
    ]


_CLASSES = (("[A-Z]", str.isupper), ("[a-z]", str.islower), ("[0-9]", str.isdigit))
MAX_TOKENS = 20


def _tokens(text: str) -> list[tuple[str, str]] | None:
    """``text`` as runs: (class, run) for ASCII letters and digits, (None,
    run) for anything else; None for text a pattern should not describe."""
    out: list[tuple[str, str]] = []
    for ch in text:
        kind = None
        if ch.isascii():
            kind = next((name for name, test in _CLASSES if test(ch)), None)
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + ch)
        else:
            out.append((kind, ch))
        if len(out) > MAX_TOKENS:
            return None
    return out


def _text_pattern(values: pd.Series, k: int, unique: bool) -> str | None:
    """A pattern every value of a formatted text column meets, naming no
    record: runs of one character class with lengths seen at least ``k``
    times (at each end), and the separators and runs that every value
    shares. None when the values do not share one format."""
    import re

    texts = [str(v) for v in values]
    if len(texts) < 2 * k:
        return None
    parsed = [_tokens(t) for t in texts]
    if any(p is None or not p for p in parsed):
        return None
    skeleton = [
        (kind, run if kind is None else "")
        for kind, run in parsed[0]  # type: ignore[union-attr]
    ]
    for p in parsed:
        if [(kind, run if kind is None else "") for kind, run in p] != skeleton:  # type: ignore[union-attr]
            return None
    parts: list[str] = []
    room = 1
    for j, (kind, literal) in enumerate(skeleton):
        runs = [p[j][1] for p in parsed]  # type: ignore[index]
        if kind is None:
            parts.append(re.escape(literal))
            continue
        if len(set(runs)) == 1:  # shared by every value: written as is
            parts.append(re.escape(runs[0]))
            continue
        lengths = np.sort([len(r) for r in runs])
        lo, hi = int(lengths[k - 1]), int(lengths[len(lengths) - k])
        count = "" if lo == hi == 1 else f"{{{lo}}}" if lo == hi else f"{{{lo},{hi}}}"
        parts.append(kind + count)
        room *= (10 if kind == "[0-9]" else 26) ** hi
    if unique and room < 2 * len(texts):
        return None  # too few values in the format for the identifiers
    if room == 1:
        return None  # one value: an isin says it better
    return "^" + "".join(parts) + "$"


def _outward(x: float, down: bool, digits: int = 2) -> float:
    """``x`` rounded away from the data's middle to ``digits`` significant
    digits (a bound that hides the exact extreme)."""
    if x == 0 or not math.isfinite(x):
        return x
    power = math.floor(math.log10(abs(x))) - digits + 1
    scale = 10.0**power
    whole = math.floor(x / scale) if down else math.ceil(x / scale)
    # Read back from its decimal text, the double nearest the rounded number
    # (3.8, not 3.8000000000000003); still beyond x, which is a double too.
    return float(f"{whole}e{power}")


def _is_text(ser: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(ser) or ser.dtype == object


def _is_float(ser: pd.Series) -> bool:
    return pd.api.types.is_float_dtype(ser)
