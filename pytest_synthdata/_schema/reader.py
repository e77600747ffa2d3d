"""Schema reading: a pandera schema in, an immutable :class:`FrameSpec` out.

Only this module knows pandera's check names. Built-in checks are read by
``check.name`` and ``check.statistics`` and merged into one :class:`Domain`
per column; anything else becomes a residual check that the assembly layer
evaluates on generated data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import math
import re
import threading
import zlib
from collections import OrderedDict
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import (
    ContradictoryChecksError,
    InvalidShapeError,
    SynthDataError,
    UnsupportedSchemaError,
)
from .dtypes import DtypeInfo, Kind, Storage, dtype_info
from .links import frame_shape, link_frame
from .shape import (
    DISCRETE,
    META_KEY,
    PARAMS,
    column_shapes,
    read_shape,
    to_logical,
)
from .spec import Bound, Domain, FieldSpec, FrameSpec

DEFAULT_NULL_RATE = 0.1
_I64_MAX = 2**63 - 1

# Built-in checks, by name, with the statistics they must carry to be read as
# built-ins (a custom check that merely reuses a name is not mistaken for one).
BUILTIN: dict[str, frozenset[str]] = {
    "equal_to": frozenset({"value"}),
    "not_equal_to": frozenset({"value"}),
    "greater_than": frozenset({"min_value"}),
    "greater_than_or_equal_to": frozenset({"min_value"}),
    "less_than": frozenset({"max_value"}),
    "less_than_or_equal_to": frozenset({"max_value"}),
    "in_range": frozenset({"min_value", "max_value"}),
    "isin": frozenset({"allowed_values"}),
    "notin": frozenset({"forbidden_values"}),
    "str_matches": frozenset({"pattern"}),
    "str_contains": frozenset({"pattern"}),
    "str_startswith": frozenset({"string"}),
    "str_endswith": frozenset({"string"}),
    "str_length": frozenset(),
    "unique_values_eq": frozenset({"values"}),
}
_COMPARISONS = {
    "greater_than",
    "greater_than_or_equal_to",
    "less_than",
    "less_than_or_equal_to",
    "in_range",
}
_STRING_ONLY = {
    "str_matches",
    "str_contains",
    "str_startswith",
    "str_endswith",
    "str_length",
}
# Unbounded temporal columns draw from these windows.
_UNITS_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}
_NS_PER_DAY = 86_400 * 10**9


def is_builtin(check: Any) -> bool:
    """Whether ``check`` is one of pandera's built-in checks we can read."""
    name = getattr(check, "name", None)
    required = BUILTIN.get(name)  # type: ignore[arg-type]
    stats = getattr(check, "statistics", None) or {}
    return required is not None and required <= set(stats)


def describe(check: Any) -> str:
    """A short, readable rendering of a check for error messages."""
    stats = getattr(check, "statistics", None) or {}
    if is_builtin(check):
        args = ", ".join(
            f"{k}={_short(list(v)) if _long(v) else repr(v)}"
            for k, v in stats.items()
            if v is not None
        )
        return f"{check.name}({args})"
    return f"custom check {getattr(check, 'name', None) or check!r}"


# --------------------------------------------------------------------------
# logical values: how each kind turns a bound into a number
# --------------------------------------------------------------------------


def _as_timestamp(value: Any, info: DtypeInfo) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    if info.tz is not None and ts.tzinfo is None:
        ts = ts.tz_localize(info.tz)
    elif info.tz is None and ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def _ns(stamp: Any) -> int:
    """Nanoseconds (since the epoch, or of a duration) as a Python int.

    Works beyond the range a nanosecond Timestamp can hold (a 9999-12-31
    sentinel, say), by reading the value in its own unit.
    """
    if isinstance(stamp, pd.Timedelta):
        raw = stamp.to_timedelta64()
    else:
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("UTC").tz_localize(None)
        raw = stamp.to_datetime64()
    unit = np.datetime_data(raw.dtype)[0]
    return int(raw.astype(np.int64)) * (10**9 // _UNITS_PER_SECOND[unit])


def _scaled(value: Any, info: DtypeInfo) -> tuple[Any, int]:
    """A bound as an exact logical number and the divisor to the column's unit.

    Integers for temporal kinds (nanoseconds) and Decimals for decimals, so
    that ``ceil`` and ``floor`` are exact.
    """
    kind = info.kind
    if kind is Kind.DATETIME:
        ns = _ns(_as_timestamp(value, info))
        return ns, 10**9 // _UNITS_PER_SECOND[info.unit]
    if kind is Kind.DATE:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            days = (value - dt.date(1970, 1, 1)).days
            return days * _NS_PER_DAY, _NS_PER_DAY
        ts = pd.Timestamp(value)
        if ts.tzinfo is not None:
            ts = ts.tz_localize(None)
        return _ns(ts), _NS_PER_DAY
    if kind is Kind.TIMEDELTA:
        ns = _ns(pd.Timedelta(value))
        return ns, 10**9 // _UNITS_PER_SECOND[info.unit]
    if kind is Kind.DECIMAL:
        return decimal.Decimal(str(value)).scaleb(info.scale), 1
    return value, 1


def _int_bound(value: Any, info: DtypeInfo, is_lo: bool, is_open: bool) -> int:
    """The tightest integral logical bound implied by ``value``."""
    raw, per = _scaled(value, info)
    if isinstance(raw, (int, np.integer)) and not isinstance(raw, bool):
        q, r = divmod(int(raw), per)
        if is_lo:
            base = q if r == 0 else q + 1  # ceil
            return base + 1 if (is_open and r == 0) else base
        base = q  # floor
        return base - 1 if (is_open and r == 0) else base
    if isinstance(raw, decimal.Decimal):
        whole = raw == raw.to_integral_value()
        if is_lo:
            base = int(raw.to_integral_value(rounding=decimal.ROUND_CEILING))
            return base + 1 if (is_open and whole) else base
        base = int(raw.to_integral_value(rounding=decimal.ROUND_FLOOR))
        return base - 1 if (is_open and whole) else base
    f = float(raw)
    if math.isinf(f):
        raise OverflowError
    whole = f == math.floor(f)
    if is_lo:
        return math.ceil(f) + (1 if (is_open and whole) else 0)
    return math.floor(f) - (1 if (is_open and whole) else 0)


class _Builder:
    """Accumulates the domain of one field while its checks are read."""

    def __init__(self, info: DtypeInfo, label: str) -> None:
        self.info = info
        self.label = label
        self.lo: Bound | None = None
        self.hi: Bound | None = None
        self.allowed: list[Any] | None = None
        self.allowed_src: list[str] = []
        self.forbidden: list[Any] = []
        self.required: tuple[Any, ...] = ()
        self.matches: list[str] = []
        self.contains: list[str] = []
        self.prefixes: list[str] = []
        self.suffixes: list[str] = []
        self.min_len = 0
        self.min_len_src = ""
        self.max_len: int | None = None
        self.max_len_src = ""
        self.inexact: list[str] = []
        self.sources: list[str] = []

    # -- bounds ---------------------------------------------------------
    def _tighten(self, value: Any, is_lo: bool, is_open: bool, src: str) -> None:
        if value is None:
            return
        kind = self.info.kind
        if kind is Kind.STRING or kind is Kind.BOOL:
            self.inexact.append(src)
            return
        try:
            if _narrow_float(self.info) or _rounds_in_float64(value, self.info):
                # pandas compares such columns in float32/float16, or big
                # integers as float64: the drawn values are verified by the
                # check itself rather than trusted to the exact bound.
                self.inexact.append(src)
            if kind is Kind.FLOAT:
                f = float(value)
                if math.isnan(f):
                    raise ContradictoryChecksError(
                        f"{self.label}: {src} compares with NaN, which no value "
                        "passes; use a number as the bound."
                    )
                if math.isinf(f):
                    self._infinite(f, is_lo, src)
                    return
                bound = Bound(f, is_open, src)
            else:
                bound = Bound(_int_bound(value, self.info, is_lo, is_open), False, src)
        except OverflowError:
            self._infinite(_sign(value), is_lo, src)
            return
        except SynthDataError:
            raise
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise UnsupportedSchemaError(
                f"{self.label}: cannot read the bound of {src} as a "
                f"{self.info.kind.value} value ({exc}); give the check a bound of "
                "the column's own type."
            ) from None
        if is_lo:
            if self.lo is None or _tighter(bound, self.lo, is_lo=True):
                self.lo = bound
        elif self.hi is None or _tighter(bound, self.hi, is_lo=False):
            self.hi = bound

    def _infinite(self, f: float, is_lo: bool, src: str) -> None:
        """An infinite bound: no constraint on its open side, else no value."""
        if (is_lo and f < 0) or (not is_lo and f > 0):
            return
        raise ContradictoryChecksError(
            f"{self.label}: {src} admits no finite value; change the bound to a "
            "finite number."
        )

    def _allow(self, values: list[Any], src: str) -> None:
        values = list(values)
        if self.allowed is None:
            self.allowed = values
        else:
            keep = []
            for v in self.allowed:
                if any(_same(v, w) for w in values):
                    keep.append(v)
            self.allowed = keep
        self.allowed_src.append(src)

    def read(self, check: Any) -> None:
        name = check.name
        st = check.statistics
        src = describe(check)
        self.sources.append(src)
        if name in _STRING_ONLY and self.info.kind is not Kind.STRING:
            self.inexact.append(src)  # verified on the candidates instead
            return
        if name == "equal_to":
            self._allow([st["value"]], src)
        elif name == "not_equal_to":
            self.forbidden.append(st["value"])
        elif name == "greater_than":
            self._tighten(st["min_value"], True, True, src)
        elif name == "greater_than_or_equal_to":
            self._tighten(st["min_value"], True, False, src)
        elif name == "less_than":
            self._tighten(st["max_value"], False, True, src)
        elif name == "less_than_or_equal_to":
            self._tighten(st["max_value"], False, False, src)
        elif name == "in_range":
            self._tighten(st["min_value"], True, not st.get("include_min", True), src)
            self._tighten(st["max_value"], False, not st.get("include_max", True), src)
        elif name == "isin":
            self._allow(list(st["allowed_values"]), src)
        elif name == "notin":
            self.forbidden.extend(st["forbidden_values"])
        elif name == "unique_values_eq":
            values = list(st["values"])
            self._allow(values, src)
            self.required = tuple(values)
        elif name == "str_matches":
            self.matches.append(self._pattern(st["pattern"], src))
        elif name == "str_contains":
            self.contains.append(self._pattern(st["pattern"], src))
        elif name == "str_startswith":
            self.prefixes.append(str(st["string"]))
        elif name == "str_endswith":
            self.suffixes.append(str(st["string"]))
        elif name == "str_length":
            exact = st.get("exact_value")
            lo = exact if exact is not None else st.get("min_value")
            hi = exact if exact is not None else st.get("max_value")
            if lo is not None and int(lo) > self.min_len:
                self.min_len, self.min_len_src = int(lo), src
            if hi is not None and (self.max_len is None or int(hi) < self.max_len):
                self.max_len, self.max_len_src = int(hi), src

    def _pattern(self, pattern: Any, src: str) -> str:
        """Pattern text; a compiled pattern's flags become inline flags."""
        if not isinstance(pattern, re.Pattern):
            return str(pattern)
        if isinstance(pattern.pattern, bytes):
            raise UnsupportedSchemaError(
                f"{self.label}: {src} uses a bytes pattern, which is currently "
                "unsupported; use a str pattern."
            )
        inline = "".join(
            letter
            for flag, letter in ((re.I, "i"), (re.M, "m"), (re.S, "s"))
            if pattern.flags & flag
        )
        if pattern.flags & re.X:
            self.inexact.append(src)  # verbose patterns are verified
        return f"(?{inline}){pattern.pattern}" if inline else pattern.pattern

    # -- result ---------------------------------------------------------
    def contradiction(self, what: str) -> ContradictoryChecksError:
        return ContradictoryChecksError(f"{self.label}: {what}")

    def check_interval(self) -> None:
        lo, hi = self.lo, self.hi
        if lo is None or hi is None:
            return
        empty = lo.value > hi.value or (lo.value == hi.value and (lo.open or hi.open))
        if empty:
            raise self.contradiction(
                f"the checks {lo.source} and {hi.source} admit no value together; "
                "widen or remove one of them."
            )

    def check_strings(self) -> None:
        if self.max_len is not None and self.min_len > self.max_len:
            raise self.contradiction(
                f"{self.min_len_src} and {self.max_len_src} admit no length; "
                "make the minimum length at most the maximum."
            )
        for group, word in ((self.prefixes, "prefix"), (self.suffixes, "suffix")):
            longest = max(group, key=len, default="")
            for other in group:
                fits = (
                    longest.startswith(other)
                    if word == "prefix"
                    else longest.endswith(other)
                )
                if not fits:
                    raise self.contradiction(
                        f"the {word}es {other!r} and {longest!r} cannot both hold; "
                        f"keep one str_{'startswith' if word == 'prefix' else 'endswith'}."
                    )
        need = len(max(self.prefixes, key=len, default="")) + len(
            max(self.suffixes, key=len, default="")
        )
        if self.max_len is not None and need > self.max_len:
            self._overlapping_affixes()

    def _overlapping_affixes(self) -> None:
        """Prefix and suffix longer together than the longest string allowed.

        Every allowed string then consists of the prefix and the suffix
        overlapping: one string per length, a finite domain.
        """
        pre = max(self.prefixes, key=len, default="")
        suf = max(self.suffixes, key=len, default="")
        shortest = max(self.min_len, len(pre), len(suf))
        fits = []
        for length in range(shortest, (self.max_len or 0) + 1):
            overlap = len(pre) + len(suf) - length
            if pre[len(pre) - overlap :] == suf[:overlap]:
                fits.append(pre + suf[overlap:])
        if not fits:
            raise self.contradiction(
                f"the prefix {pre!r} and the suffix {suf!r} cannot both fit in "
                f"{self.max_len} characters ({self.max_len_src}); allow longer "
                "strings or shorten the prefix or suffix."
            )
        self._allow(fits, "the prefix and suffix overlapping within the length")


def _narrow_float(info: DtypeInfo) -> bool:
    return (
        info.kind is Kind.FLOAT
        and info.float_dtype is not None
        and (info.float_dtype.itemsize < 8)
    )


def _rounds_in_float64(value: Any, info: DtypeInfo) -> bool:
    """An integer column compared with a float bound beyond float64's exact ints."""
    if info.kind is not Kind.INT or not isinstance(value, (float, np.floating)):
        return False
    return math.isfinite(value) and abs(float(value)) >= 2**53


def _sign(value: Any) -> float:
    """An infinite float with the sign of ``value`` (a huge int, say)."""
    try:
        return math.inf if value > 0 else -math.inf
    except TypeError:
        return math.inf


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _tighter(new: Bound, old: Bound, is_lo: bool) -> bool:
    if new.value == old.value:
        return new.open and not old.open
    return new.value > old.value if is_lo else new.value < old.value


# --------------------------------------------------------------------------
# finite domains: candidates in the column's own dtype, filtered by the checks
# --------------------------------------------------------------------------


def _candidate_series(values: list[Any], info: DtypeInfo) -> pd.Series:
    """``values`` as a Series of the column's dtype; unrepresentable ones dropped."""
    kind = info.kind
    kept: list[Any] = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        if kind is Kind.DATE:
            if isinstance(v, dt.datetime):
                v = v.date()
            elif isinstance(v, pd.Timestamp):
                v = v.date()
            if not isinstance(v, dt.date):
                continue
        elif kind is Kind.DECIMAL:
            try:
                v = decimal.Decimal(str(v))
            except decimal.InvalidOperation:
                continue
        kept.append(v)
    if info.kind is Kind.DATE and info.arrow_type is None:
        return pd.Series(kept, dtype=object)
    if info.kind is Kind.DECIMAL and info.arrow_type is None:
        return pd.Series(kept, dtype=object)
    if info.categories is not None:
        ser = pd.Series(pd.Categorical(kept, dtype=info.dtype))
        return ser[ser.notna()].reset_index(drop=True)
    try:  # all at once when every value converts losslessly
        bulk = pd.Series(kept).astype(info.dtype)
        if not bulk.isna().any() and _lossless(bulk, kept, info):
            return bulk
    except (TypeError, ValueError, OverflowError):
        pass
    out = []
    for v in kept:  # one at a time: a bad value must not sink the others
        try:
            s = pd.Series([v]).astype(info.dtype)
        except (TypeError, ValueError, OverflowError):
            continue
        if s.isna().any() or not _lossless(s, [v], info):
            continue  # lossy cast, e.g. 1.5 into an integer column
        out.append(s)
    if not out:
        return pd.Series([], dtype=info.dtype)
    return pd.concat(out, ignore_index=True)


def _lossless(ser: pd.Series, values: list[Any], info: DtypeInfo) -> bool:
    if info.kind is Kind.DATETIME or _narrow_float(info):
        # Narrow floats round the listed value, as pandas does when it compares
        # them; the checks themselves then decide.
        return True
    try:
        return bool((ser.reset_index(drop=True) == pd.Series(values)).all())
    except (TypeError, ValueError):
        return False


def run_check(
    check: Any, target: Any, raised: dict[int, str] | None = None
) -> np.ndarray | bool:
    """A check's verdict on ``target``: a boolean array per row, or one bool.

    Rows a check leaves out (nulls, with ``ignore_na``) pass. A check that
    raises rejects what it was given; with ``raised``, the exception is kept
    there for error messages.
    """
    try:
        out = check(target).check_output
    except Exception as exc:
        if raised is not None:
            raised[id(check)] = f"{type(exc).__name__}: {exc}"[:200]
        return False
    if isinstance(out, pd.DataFrame):
        out = out.all(axis=1)
    if isinstance(out, pd.Series):
        if len(out) == len(target) and out.index.equals(target.index):
            return out.to_numpy(dtype=bool, na_value=False)
        if (
            target.index.is_unique
            and out.index.is_unique
            and len(out) < len(target)
            and out.index.isin(target.index).all()
        ):  # rows left out (nulls, with ignore_na) pass
            full = out.reindex(target.index, fill_value=True)
            return full.to_numpy(dtype=bool, na_value=False)
        # A verdict per group or per anything else: one for the whole frame.
        return bool(out.fillna(False).all())
    try:
        return bool(out)
    except (TypeError, ValueError):
        return False


def _filter_choices(
    values: list[Any], checks: list[Any], b: _Builder, dtype: Any = None
) -> tuple[pd.Series, list[Any]]:
    """Candidates filtered by every check that answers value by value.

    Returns the survivors and the custom checks that could not be applied this
    way (they answer for the column as a whole).
    """
    ser = _candidate_series(values, b.info)
    if dtype is not None and not ser.empty:
        try:  # pandera's own dtype check (decimal precision, date values, ...)
            fits = dtype.check(dtype, ser)
        except Exception:
            fits = True
        if isinstance(fits, (pd.Series, np.ndarray)):
            ser = ser[np.asarray(fits, dtype=bool)]
    if ser.empty:
        raise b.contradiction(
            f"none of the values allowed by {' and '.join(b.allowed_src)} can be "
            f"held by dtype {b.info.dtype}; list values of the column's type."
        )
    whole: list[Any] = []
    for check in checks:
        verdict = run_check(check, ser)
        if isinstance(verdict, bool):
            if not is_builtin(check):
                whole.append(check)
                continue
        out = pd.Series(verdict, index=ser.index, dtype=bool)
        if not out.all():
            dropped = ser[~out].tolist()
            ser = ser[out]
            if ser.empty and b.allowed_src == [describe(check)]:
                raise b.contradiction(
                    f"{describe(check)} lists values that dtype {b.info.dtype} "
                    f"holds as {_short(dropped)}, which the check itself then "
                    "rejects; list values the dtype holds exactly, or use a wider "
                    "dtype."
                )
            if ser.empty:
                raise b.contradiction(
                    f"every value allowed by {' and '.join(b.allowed_src)} fails "
                    f"{describe(check)} (rejected: {_short(dropped)}); relax one "
                    "of these checks or allow other values."
                )
    ser = ser.drop_duplicates()  # isin([1, 1.0, 2]) holds two values, not three
    return ser.reset_index(drop=True), whole


def _long(value: Any) -> bool:
    """A collection too long to show whole in a message."""
    return isinstance(value, (list, tuple, set, frozenset)) and len(value) > 6


def _short(values: list[Any], limit: int = 6) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return f"[{shown}{', ...' if len(values) > limit else ''}]"


# --------------------------------------------------------------------------
# fields
# --------------------------------------------------------------------------


def _stream_key(kind: str, name: Any) -> int:
    return zlib.crc32(f"{kind}:{name!r}".encode())


def _int_span(info: DtypeInfo) -> tuple[int, int] | None:
    if info.kind is Kind.INT and info.int_bounds is not None:
        return info.int_bounds
    if info.kind is Kind.BOOL:
        return (0, 1)
    return None


def compile_field(
    name: Any,
    component: Any,
    label: str,
    stream_kind: str,
    extra_checks: tuple[Any, ...] = (),
    coerce: bool = False,
    frame_dtype: Any = None,
) -> FieldSpec:
    """Compile one column or index level into a :class:`FieldSpec`.

    ``coerce`` is the schema's own flag (a component's flag is read here);
    ``frame_dtype`` the schema's ``dtype=``, which overrides the column's.
    """
    declared = frame_dtype if frame_dtype is not None else component.dtype
    info = dtype_info(declared, label)
    casts = (
        coerce or component.coerce or getattr(component, "default", None) is not None
    )
    if info.storage is Storage.STR and not casts:
        # pandera reads str, "string" and pd.StringDtype() alike and accepts
        # both of pandas' string dtypes without coercion; the nullable one
        # (pd.NA) is what its own example() gives. Coercion (and filling a
        # default) turns either into the default ``str`` dtype, so such
        # columns get that.
        info = dataclasses.replace(
            info, dtype=pd.StringDtype(info.dtype.storage, na_value=pd.NA)
        )
    if casts and info.storage is Storage.OBJECT and info.kind is not Kind.STRING:
        # Coercion turns the missing dates and decimals into NaT and NA.
        na = pd.NaT if info.kind is Kind.DATE else pd.NA
        info = dataclasses.replace(info, na_value=na)
    checks = list(component.checks or ()) + list(extra_checks)
    b = _Builder(info, label)
    custom: list[Any] = []
    builtins: list[Any] = []
    keeps_nulls_out = False
    for check in checks:
        if getattr(check, "raise_warning", False) and not is_builtin(check):
            continue  # a warning-only custom check never fails validation
        if getattr(check, "groupby", None) is not None:
            raise UnsupportedSchemaError(
                f"{label}: {describe(check)} uses groupby=, which is currently "
                "unsupported; check the groups in a DataFrame-level check instead."
            )
        if not getattr(check, "ignore_na", True):
            keeps_nulls_out = True
        if is_builtin(check):
            b.read(check)
            builtins.append(check)
        else:
            custom.append(check)
    if info.kind is Kind.ARROW and (builtins or component.unique):
        what = describe(builtins[0]) if builtins else "unique=True"
        raise UnsupportedSchemaError(
            f"{label}: {what} on a {info.arrow_type} column is currently "
            "unsupported (nested and binary values are drawn by their type "
            "alone; custom checks work); drop it or check the column in a "
            "custom check."
        )
    b.check_interval()
    if info.kind is Kind.STRING:
        b.check_strings()
        _check_patterns(b)
    if info.kind is Kind.DECIMAL and info.precision <= info.scale:
        raise ContradictoryChecksError(
            f"{label}: dtype {declared} admits no value: pandera counts the "
            "leading zero of 0.xx as a digit, so precision must exceed scale; "
            "raise the precision."
        )
    lo_int, hi_int = _dtype_limits(info)
    if info.kind is Kind.DECIMAL and (
        (b.lo is not None and b.lo.value > _I64_MAX)
        or (b.hi is not None and b.hi.value < -_I64_MAX)
    ):
        raise UnsupportedSchemaError(
            f"{label}: {declared} values beyond {_I64_MAX} / 10^{info.scale} "
            f"({' and '.join(b.sources)}) are currently unsupported (unscaled "
            "decimals are drawn as 64-bit integers); use a smaller scale or bound."
        )
    if info.kind is not Kind.FLOAT and info.kind is not Kind.STRING:
        if lo_int is not None and (b.lo is None or b.lo.value < lo_int):
            b.lo = Bound(lo_int, False, f"dtype {declared}")
        if hi_int is not None and (b.hi is None or b.hi.value > hi_int):
            b.hi = Bound(hi_int, False, f"dtype {declared}")
        b.check_interval()

    _dry_run(builtins, b, label)
    element_checks = tuple(builtins)
    residual: list[Any] = []
    choices = None
    allowed = b.allowed
    if allowed is None and info.categories is not None:
        allowed = list(info.categories)
        b.allowed_src.append(f"the categories of {info.dtype}")
    if allowed is None and info.kind is Kind.BOOL:
        allowed = [False, True]
        b.allowed_src.append("dtype bool")
    if allowed is None and info.kind is not Kind.FLOAT and b.lo and b.hi:
        if (
            info.kind is not Kind.STRING
            and b.hi.value - b.lo.value < 64
            and (b.forbidden or b.inexact)
        ):
            allowed = _enumerate(b, info)
            b.allowed_src.append(f"{b.lo.source} and {b.hi.source}")
    if allowed is not None:
        if not allowed:
            raise b.contradiction(
                f"{' and '.join(b.allowed_src)} admit no value together; "
                "make the allowed sets overlap."
            )
        choices, whole = _filter_choices(allowed, builtins + custom, b, declared)
        # Element-wise custom checks were applied exactly; others stay residual.
        residual = [
            c for c in custom if c in whole or not getattr(c, "element_wise", False)
        ]
        if b.required:
            present = set(map(_key, choices.tolist()))
            lost = [v for v in b.required if _key(v) not in present]
            if lost:
                raise b.contradiction(
                    f"unique_values_eq requires {_short(lost)}, which other checks "
                    "forbid; make the checks agree."
                )
    else:
        residual = custom
    proposal = None
    registered = [c for c in custom if has_strategy(c)]
    if registered and choices is None:
        proposal = registered_strategy(declared, builtins, registered, label)
    exact = not b.inexact
    if info.kind is Kind.STRING and choices is None:
        exact = exact and _strings_exact(b)
    domain = Domain(
        lo=b.lo,
        hi=b.hi,
        forbidden=tuple(b.forbidden),
        choices=choices,
        required=b.required,
        matches=tuple(b.matches),
        contains=tuple(b.contains),
        prefixes=tuple(b.prefixes),
        suffixes=tuple(b.suffixes),
        min_len=b.min_len,
        max_len=b.max_len,
        sources=tuple(b.sources),
    )
    nullable = bool(component.nullable) and info.holds_na and not keeps_nulls_out
    if getattr(component, "default", None) is not None:
        nullable = False  # validate would fill the nulls with the default
    if b.required:
        nullable = False
    spec = FieldSpec(
        name=name,
        label=label,
        info=info,
        nullable=nullable,
        null_rate=DEFAULT_NULL_RATE if nullable else 0.0,
        unique=bool(getattr(component, "unique", False)),
        domain=domain,
        exact=exact,
        element_checks=element_checks,
        residual=tuple(residual),
        proposal=proposal,
        pandera_dtype=declared,
        stream=_stream_key(stream_kind, name),
    )
    metadata = getattr(component, "metadata", None) or {}
    raw = metadata.get(META_KEY) if isinstance(metadata, dict) else None
    return with_shape(spec, raw) if raw is not None else spec


def with_shape(f: FieldSpec, raw: Any) -> FieldSpec:
    """``f`` with the shape ``raw`` (a metadata dict) checked against it."""
    shape = read_shape(raw, f.label)
    if shape is None:
        return f
    changes: dict[str, Any] = {"shape": shape}
    if shape.null_rate is not None:
        if not f.nullable and shape.null_rate > 0:
            raise InvalidShapeError(
                f"{f.label}: null_rate={shape.null_rate} on a column that cannot "
                "hold nulls (not nullable, a numpy int or bool dtype, a default, "
                "unique_values_eq or a check with ignore_na=False); make it "
                "nullable or drop the null_rate."
            )
        if f.unique and shape.null_rate > 0:
            raise InvalidShapeError(
                f"{f.label}: null_rate={shape.null_rate} on a unique column, which "
                "holds at most one null (pandera counts nulls as duplicates); "
                "drop the null_rate."
            )
        changes["null_rate"] = shape.null_rate
    if shape.weights is not None:
        f = _enumerated(f)
        changes["domain"] = f.domain
        changes["code_weights"] = _code_weights(f, shape)
    if shape.dist is not None:
        _check_dist(f, shape)
        changes["shape"] = to_logical(shape, f.info, f.label)
    if shape.text is not None:
        why = None
        if f.info.kind is not Kind.STRING:
            why = f"a {f.info.kind.value} column"
        elif f.domain.choices is not None:
            why = "a column whose checks allow a finite set of values (give weights)"
        elif f.proposal is not None:
            why = "a column drawn from a registered strategy"
        if why is not None:
            raise InvalidShapeError(
                f"{f.label}: text={shape.text!r} applies to free text columns, not "
                f"to {why}; drop the tag."
            )
    return dataclasses.replace(f, **changes)


_SHAPED: OrderedDict[Any, tuple[FrameSpec, FrameSpec]] = OrderedDict()
_DIST_KEYS = {"dist", *(p for ps in PARAMS.values() for p in ps)}


def shaped(spec: FrameSpec, overrides: Any) -> FrameSpec:
    """``spec`` with per-call shapes laid over the columns' declared ones.

    A column's override keys replace its declared keys (``None`` removes
    one); an override that names a ``dist`` replaces the declared
    distribution whole.
    """
    from .document import as_overrides

    overrides, pairs = as_overrides(overrides)
    overrides = column_shapes(overrides)
    if not overrides and pairs is None:
        return spec
    key = (id(spec), repr(overrides), repr(pairs))  # repr tells 1 from "1"
    hit = _SHAPED.get(key) if key is not None else None
    if hit is not None and hit[0] is spec:
        return hit[1]
    by_name = {f.name: f for f in spec.columns}
    for name in overrides:
        if name not in by_name:
            raise InvalidShapeError(
                f"shape= names {name!r}, which is not a column of "
                f"{spec.schema_name}; its columns are {_short(list(by_name))}."
            )
    columns = []
    for f in spec.columns:
        if f.name not in overrides:
            columns.append(f)
            continue
        declared = dict(f.shape.source) if f.shape is not None else {}
        extra = overrides[f.name]
        if not isinstance(extra, dict):
            raise InvalidShapeError(
                f"{f.label}: shape= gives {extra!r}; give a shape dict such as "
                "{'null_rate': 0.2}, or leave the column out."
            )
        if "dist" in extra:
            declared = {k: v for k, v in declared.items() if k not in _DIST_KEYS}
        if "weights" in extra or "p_true" in extra:
            declared.pop("weights", None)
            declared.pop("p_true", None)
        merged = {**declared, **extra}
        # a key given as None drops the declared one (an expr, say)
        merged = {k: v for k, v in merged.items() if v is not None}
        base = dataclasses.replace(
            f,
            shape=None,
            code_weights=None,
            null_rate=DEFAULT_NULL_RATE if f.nullable else 0.0,
        )
        columns.append(with_shape(base, merged))
    frame_shape = spec.frame_shape
    if pairs is not None:  # a whole frame's shape brings its correlations
        frame_shape = {k: v for k, v in frame_shape.items() if k != "correlations"}
        if pairs:
            frame_shape["correlations"] = pairs
    out = dataclasses.replace(
        spec, columns=tuple(columns), warned=[False], frame_shape=frame_shape
    )
    out = link_frame(out, with_shape)
    if key is not None:
        _SHAPED[key] = (spec, out)
        while len(_SHAPED) > 256:
            _SHAPED.popitem(last=False)
    return out


ENUMERATE_MAX = 10_000  # int ranges up to this size can carry weights


def enumerated(f: FieldSpec) -> FieldSpec:
    """``f`` with a small exact int range turned into its finite domain."""
    return _enumerated(f)


def choice_position(value: Any, f: FieldSpec) -> int | None:
    """Where ``value`` (a case's key) sits among ``f``'s choices, or None."""
    return _weight_position(value, choice_keys(f.domain.choices.tolist()), f)


def _enumerated(f: FieldSpec) -> FieldSpec:
    """An int column with a small exact range, as the finite domain it is."""
    dom = f.domain
    if dom.choices is not None or f.info.kind is not Kind.INT:
        return f
    if dom.lo is None or dom.hi is None or dom.forbidden or not f.exact:
        return f
    if dom.lo.source.startswith("dtype ") or dom.hi.source.startswith("dtype "):
        return f
    if dom.hi.value - dom.lo.value >= ENUMERATE_MAX:
        return f
    values = list(range(int(dom.lo.value), int(dom.hi.value) + 1))
    choices = _candidate_series(values, f.info)
    return dataclasses.replace(f, domain=dataclasses.replace(dom, choices=choices))


def _code_weights(f: FieldSpec, shape: Any) -> Any:
    """Weights aligned with the finite domain's values; left-out values get 0."""
    choices = f.domain.choices
    what = shape.weights_key
    if choices is None:
        raise InvalidShapeError(
            f"{f.label}: {what} need a finite domain (isin, a category, bool or "
            f"an int range of fewer than {ENUMERATE_MAX:,} values); give the "
            "column such a check, or a dist."
        )
    keys = choice_keys(choices.tolist())
    p = np.zeros(len(choices))
    top = max(w for _, w in shape.weights)
    for value, w in shape.weights:
        pos = _weight_position(value, keys, f)
        if pos is None and w == 0:
            continue  # weight 0 on a value the checks forbid anyway
        if pos is None:
            raise InvalidShapeError(
                f"{f.label}: {what} give weight to {value!r}, which the column's "
                f"checks do not allow (allowed: {_short(choices.tolist())}); weight "
                "allowed values only."
            )
        p[pos] += w / top  # scaled first: a sum of huge weights stays finite
    if f.unique and np.count_nonzero(p) < len(p):
        raise InvalidShapeError(
            f"{f.label}: a unique column draws every value at most once, so "
            "weights of zero would shrink its domain; give every value a weight."
        )
    if p.sum() <= 0:
        raise InvalidShapeError(f"{f.label}: the weights of allowed values are all 0.")
    return p / p.sum()


def choice_keys(values: list[Any]) -> dict[Any, int]:
    """Each choice's comparison key and its (first) position."""
    keys: dict[Any, int] = {}
    for i, v in enumerate(values):
        keys.setdefault(_key(v), i)
    return keys


def _weight_position(value: Any, keys: dict[Any, int], f: FieldSpec) -> int | None:
    """Where a weight's key sits among the choices (file keys are strings)."""
    pos = keys.get(_key(value))
    if pos is not None:
        return pos
    if isinstance(value, str):  # keys read from a file: through the dtype
        lowered = value.strip().lower()
        if f.info.kind is Kind.BOOL and lowered in ("true", "false"):
            return keys.get(_key(lowered == "true"))
        for cast in _read_as(value, f.domain.choices):
            pos = keys.get(_key(cast))
            if pos is not None:
                return pos
    return None


def _read_as(text: str, choices: pd.Series) -> list[Any]:
    """``text`` read as the choices' values would be written (file keys)."""
    dtype = choices.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    out = []
    readers = [
        lambda t: pd.Series([t]).astype(dtype).tolist()[0],
        lambda t: decimal.Decimal(t.strip()),
        lambda t: pd.Timestamp(t).date(),
    ]
    for read in readers:
        try:
            out.append(read(text))
        except Exception:
            continue
    return out


SHAPED_KINDS = (
    Kind.INT,
    Kind.FLOAT,
    Kind.DATETIME,
    Kind.DATE,
    Kind.TIMEDELTA,
    Kind.DECIMAL,
)


def _check_dist(f: FieldSpec, shape: Any) -> None:
    kind = f.info.kind
    if kind not in SHAPED_KINDS:
        raise UnsupportedSchemaError(
            f"{f.label}: dist={shape.dist!r} on a {kind.value} column is currently "
            "unsupported (distributions apply to number, datetime, date, "
            "timedelta and decimal columns); use weights over an isin, or remove "
            "it."
        )
    if f.domain.choices is not None:
        raise InvalidShapeError(
            f"{f.label}: its checks allow a finite set of values, which a dist "
            "cannot spread over; give weights instead."
        )
    if shape.dist in DISCRETE and kind is not Kind.INT:
        raise InvalidShapeError(
            f"{f.label}: dist={shape.dist!r} draws integers; use it on an int "
            "column, or a continuous dist here."
        )
    lo, hi = f.domain.lo, f.domain.hi
    user_lo = lo is not None and not lo.source.startswith("dtype ")
    user_hi = hi is not None and not hi.source.startswith("dtype ")
    if shape.dist in ("uniform", "beta") and not (user_lo and user_hi):
        if kind is Kind.FLOAT or shape.dist == "beta":
            raise InvalidShapeError(
                f"{f.label}: dist={shape.dist!r} spreads over the column's bounds, "
                "and it has at most one; add in_range (or ge and le)."
            )


def has_strategy(check: Any) -> bool:
    """Whether ``check`` is a custom check registered with a Hypothesis strategy."""
    return not is_builtin(check) and getattr(check, "strategy", None) is not None


def registered_strategy(
    pandera_dtype: Any, builtins: list[Any], registered: list[Any], label: str
) -> Any:
    """The element strategy of checks registered with ``strategy=``.

    Built as pandera builds it (``field_element_strategy``): the built-in
    checks' strategy, with each registered strategy chained on top. Where
    pandera cannot draw the built-ins for this dtype, the registered
    strategies are chained from nothing instead; the built-in checks are
    verified on the drawn values either way.
    """
    import warnings

    from pandera.strategies.pandas_strategies import field_element_strategy

    for checks in (builtins + registered, registered):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return field_element_strategy(pandera_dtype, checks=checks)
            except Exception as exc:  # the user's strategy function, or pandera
                error = exc
    names = ", ".join(describe(c) for c in registered)
    raise UnsupportedSchemaError(
        f"{label}: the Hypothesis strategy registered with {names} could not be "
        f"built for dtype {pandera_dtype} ({type(error).__name__}: {error}); fix "
        "the strategy function passed to register_check_method(strategy=...)."
    )


# Python ``re`` syntax that pyarrow's RE2 engine reads differently.
_RE2_DIFFERENT = ("{,", "[[:", "(?x", "(?#", "\\Z", "(?<", "(?P=", "(?=", "(?!")


def _arrow_regex(info: DtypeInfo) -> bool:
    """Whether pandas matches this column's strings with pyarrow (RE2)."""
    if info.storage is Storage.ARROW:
        return True
    return info.storage is Storage.STR and getattr(info.dtype, "storage", "") == (
        "pyarrow"
    )


def _check_patterns(b: _Builder) -> None:
    """Reject patterns no string meets, or that the column's engine refuses."""
    from .._generators.text import sample_regex

    for source in b.matches + b.contains:
        try:
            re.compile(source)
            sample_regex(source, np.random.default_rng(0), 2).to_arrow()
        except re.error as exc:
            raise UnsupportedSchemaError(
                f"{b.label}: the pattern {source!r} is not a valid regex ({exc}); "
                "fix the pattern."
            ) from None
        except (ValueError, IndexError) as exc:
            raise ContradictoryChecksError(
                f"{b.label}: the pattern {source!r} admits no string ({exc}); "
                "fix the pattern."
            ) from None
        except UnicodeError as exc:
            raise UnsupportedSchemaError(
                f"{b.label}: the pattern {source!r} holds characters that cannot "
                f"be encoded ({exc}); remove lone surrogates from the pattern."
            ) from None
        if _arrow_regex(b.info):
            try:
                pc.match_substring_regex(pa.array(["x"]), source)
            except pa.ArrowInvalid as exc:
                raise UnsupportedSchemaError(
                    f"{b.label}: pandas matches this column with pyarrow's RE2 "
                    f"engine, which rejects the pattern {source!r} ({exc}); write "
                    "it in RE2 syntax, or declare the column as object to match "
                    "with Python's re."
                ) from None
            if any(token in source for token in _RE2_DIFFERENT):
                b.inexact.append(f"pattern {source!r} (RE2 differs from re here)")


def _dry_run(checks: list[Any], b: _Builder, label: str) -> None:
    """Run each built-in check on one value of the column's dtype.

    A bound pandera cannot compare with the column's values (a str bound on
    an int column, a tz-aware bound on a naive column) fails every frame, so
    it is an error now rather than an invalid frame later.
    """
    from .._generators.values import build_array  # conversion only

    info = b.info
    if not checks or info.categories is not None:
        return
    if info.kind is Kind.STRING:
        logical: Any = pa.array(["a"])
    elif info.kind is Kind.FLOAT:
        value = max(0.0, b.lo.value) if b.lo else 0.0
        logical = np.array([min(value, b.hi.value) if b.hi else value])
    elif info.kind is Kind.BOOL:
        logical = np.array([True])
    else:
        value = 0  # the epoch, or the nearest bound (never a dtype extreme)
        if b.lo is not None and value < b.lo.value:
            value = b.lo.value
        if b.hi is not None and value > b.hi.value:
            value = b.hi.value
        logical = np.array([value], dtype=np.uint64 if value > 2**63 - 1 else None)
    try:
        sample = pd.Series(build_array(info, logical))
    except (TypeError, ValueError, OverflowError):
        return
    if pd.api.types.is_object_dtype(sample.dtype) is False and info.storage is (
        Storage.OBJECT
    ):
        sample = sample.astype(object)
    for check in checks:
        try:
            check(sample)
        except Exception as exc:
            raise UnsupportedSchemaError(
                f"{label}: pandera cannot evaluate {describe(check)} on values of "
                f"dtype {info.dtype} ({type(exc).__name__}: {exc}); give the check "
                "a bound of the column's own type (and time zone)."
            ) from None


def _strings_exact(b: _Builder) -> bool:
    from .._generators.text import parse  # the parser only; no generation here

    patterns = b.matches + b.contains
    if not patterns:
        return True
    others = b.prefixes or b.suffixes or b.min_len or b.max_len is not None
    if len(b.matches) == 1 and not b.contains and not others:
        try:
            return parse(b.matches[0]).exact
        except re.error:
            return False
    return False


def _key(value: Any) -> Any:
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)


def _dtype_limits(info: DtypeInfo) -> tuple[int | None, int | None]:
    span = _int_span(info)
    if span is not None and info.kind is Kind.INT:
        return span
    if info.kind is Kind.DECIMAL:
        # pandera counts the digits of str(value), the sign and the leading
        # zero of 0.xx included: positives keep precision digits, negatives
        # one fewer.
        low = 10 ** (info.precision - 1) - 1 if info.precision - info.scale >= 2 else 0
        cap = 2**63 - 1  # unscaled values are drawn as int64
        return -min(low, cap), min(10**info.precision - 1, cap)
    if info.kind is Kind.DATETIME:
        per = _UNITS_PER_SECOND[info.unit]
        # pandas Timestamps span about 1677-09-22 to 2262-04-11 in ns.
        lim = (2**63 - 1) // (10**9 // per)
        if info.tz is not None and info.unit == "ns":
            # Local times must fit too: keep a day from either end.
            lim -= 86_400 * per
        return -lim + 1, lim
    if info.kind is Kind.DATE:
        # datetime.date holds years 1 to 9999; date32 holds more, but pandas
        # turns its values into datetime.date to show or compare them.
        return -719_162, 2_932_896
    if info.kind is Kind.TIMEDELTA:
        per = _UNITS_PER_SECOND[info.unit]
        lim = (2**63 - 1) // (10**9 // per)
        return -lim + 1, lim
    return None, None


def _enumerate(b: _Builder, info: DtypeInfo) -> list[Any]:
    """All values of a small integral interval, as values of the column."""
    from .._generators.values import logical_to_values  # conversion only

    ints = np.arange(b.lo.value, b.hi.value + 1, dtype=np.int64)  # type: ignore[union-attr]
    return logical_to_values(ints, info)


# --------------------------------------------------------------------------
# the frame
# --------------------------------------------------------------------------


def _column_label(name: Any) -> str:
    return f"column {name!r}"


def _regex_matches(pattern: str, name: Any) -> bool:
    try:
        return re.match(pattern, str(name)) is not None
    except re.error:
        return False


def _resolve_columns(schema: Any) -> list[tuple[Any, Any, tuple[Any, ...]]]:
    """Concrete (name, component, extra checks) triples, regex columns resolved."""
    from .._generators.text import one_match

    for name in schema.columns:
        if name is None:
            raise UnsupportedSchemaError(
                "a column of the schema is named None, which pandera rejects when "
                "validating; give every column a name."
            )
    for name, col in schema.columns.items():
        if col.regex and not isinstance(name, str):
            raise UnsupportedSchemaError(
                f"regex column {name!r}: regex names over MultiIndex columns "
                "(tuples) are currently unsupported; name the columns in full."
            )
    plain = {n for n, c in schema.columns.items() if not c.regex}
    regexes = [(n, c) for n, c in schema.columns.items() if c.regex]
    chosen: list[tuple[Any, Any]] = []  # in the schema's own order
    taken = set(plain)
    for name, col in schema.columns.items():
        if not col.regex:
            chosen.append((name, col))
            continue
        if any(_regex_matches(name, other) for other in plain):
            continue  # a plain column already carries this pattern's checks
        seed = zlib.crc32(str(name).encode())
        drawn = None
        try:
            for attempt in range(32):
                candidate = one_match(name, seed + attempt)
                if candidate not in taken:
                    drawn = candidate
                    break
        except (ValueError, IndexError, re.error) as exc:
            raise UnsupportedSchemaError(
                f"regex column {name!r}: cannot make a matching column name "
                f"({exc}); give the column a plain name."
            ) from None
        if drawn is None:
            raise UnsupportedSchemaError(
                f"regex column {name!r}: every name drawn for it is taken; "
                "give the column a plain name."
            )
        taken.add(drawn)
        chosen.append((drawn, col))
    out: list[tuple[Any, Any, tuple[Any, ...]]] = []
    for name, col in chosen:
        extra: list[Any] = []
        for pattern, rcol in regexes:
            if rcol is col or not _regex_matches(pattern, name):
                continue
            if rcol.dtype is not None and col.dtype != rcol.dtype:
                raise UnsupportedSchemaError(
                    f"column {name!r} has dtype {col.dtype} but also matches "
                    f"the regex column {pattern!r} of dtype {rcol.dtype}; "
                    "give them the same dtype."
                )
            extra.extend(rcol.checks or ())
        out.append((name, col, tuple(extra)))
    return out


def _index_levels(schema: Any) -> tuple[list[Any], bool, bool]:
    index = schema.index
    if index is None:
        return [], False, False
    levels = list(getattr(index, "indexes", None) or [])
    if levels:
        unique = getattr(index, "unique", False)
        return levels, True, bool(unique)
    return [index], False, bool(getattr(index, "unique", False))


def _frame_metadata(schema: Any) -> Any:
    """Schema-level metadata (a model's ``Config.metadata``, which pandera's
    ``to_schema`` drops)."""
    if isinstance(schema, type) and hasattr(schema, "to_schema"):
        config = getattr(schema, "__config__", None) or getattr(schema, "Config", None)
        return getattr(config, "metadata", None)
    return getattr(schema, "metadata", None)


def _build(schema: Any, metadata: Any = None) -> FrameSpec:
    columns = []
    for name, col, extra in _resolve_columns(schema):
        columns.append(
            compile_field(
                name,
                col,
                _column_label(name),
                "column",
                extra,
                schema.coerce,
                getattr(schema, "dtype", None),
            )
        )
    levels, multi, index_unique = _index_levels(schema)
    index_fields = []
    coerce_index = bool(schema.coerce or getattr(schema.index, "coerce", False))
    for pos, level in enumerate(levels):
        lname = level.name
        label = f"index level {lname!r}" if lname is not None else f"index level {pos}"
        spec = compile_field(lname, level, label, f"index{pos}", coerce=coerce_index)
        index_fields.append(spec)
    if not multi and index_fields and index_fields[0].unique:
        index_unique = True
    joint = schema.unique
    if isinstance(joint, str):
        joint = [joint]
    joint_t = tuple(joint or ())
    known = {c.name for c in columns}
    for name in joint_t:
        if name not in known:
            raise UnsupportedSchemaError(
                f"schema unique={list(joint_t)!r} names {name!r}, which is not a "
                "column of the schema; list existing columns only."
            )
    frame_checks = tuple(
        c for c in (schema.checks or ()) if not getattr(c, "raise_warning", False)
    )
    min_rows, reason = 0, ""
    for f in columns + index_fields:
        if f.domain.required and len(f.domain.required) > min_rows:
            min_rows = len(f.domain.required)
            reason = (
                f"{f.label} has unique_values_eq of {len(f.domain.required)} values"
            )
    name = str(getattr(schema, "name", None) or "schema")
    spec = FrameSpec(
        columns=tuple(columns),
        index=tuple(index_fields),
        multiindex=multi,
        index_unique=index_unique,
        joint_unique=joint_t,
        frame_checks=frame_checks,
        min_rows=min_rows,
        min_rows_reason=reason,
        schema_name=name,
        has_parsers=_has_parsers(schema, levels),
        frame_shape=frame_shape(metadata, name),
    )
    if "series" in spec.frame_shape:
        from .series import check_series

        check_series(spec, spec.frame_shape["series"])
    return link_frame(spec, with_shape)


def _has_parsers(schema: Any, levels: list[Any]) -> bool:
    parts = [schema, *schema.columns.values(), *levels]
    return any(getattr(part, "parsers", None) for part in parts)


_CACHE: OrderedDict[int, tuple[Any, FrameSpec]] = OrderedDict()
_CACHE_SIZE = 256
_LOCK = threading.Lock()


def pandera_errors() -> tuple[type[Exception], ...]:
    """The exceptions pandera's ``validate`` raises for invalid data."""
    import pandera.errors

    return (pandera.errors.SchemaErrors, pandera.errors.SchemaError)


def explain_failure(exc: Exception, rows: int = 5) -> str:
    """The first failure cases of a pandera validation error, as text."""
    cases = getattr(exc, "failure_cases", None)
    return cases.head(rows).to_string() if cases is not None else str(exc)


def as_schema(schema: Any) -> Any:
    """A ``DataFrameSchema`` from a schema or a ``DataFrameModel`` subclass."""
    if isinstance(schema, type) and hasattr(schema, "to_schema"):
        schema = schema.to_schema()
    if hasattr(schema, "columns") and hasattr(schema, "validate"):
        if type(schema).__module__.startswith("pandera.api.polars"):
            from .polars import pandas_twin

            return pandas_twin(schema)
        if not type(schema).__module__.startswith("pandera.api.pandas"):
            raise UnsupportedSchemaError(
                f"{type(schema).__module__}.{type(schema).__name__} schemas are "
                "currently unsupported; use a pandera.pandas or pandera.polars "
                "DataFrameSchema or DataFrameModel."
            )
        return schema
    raise UnsupportedSchemaError(
        f"expected a pandera DataFrameSchema or DataFrameModel subclass, got "
        f"{type(schema).__name__} {schema!r:.80}."
    )


def _polars_schema(schema: Any) -> Any:
    """The pandera.polars schema behind ``schema``, or None."""
    if isinstance(schema, type) and hasattr(schema, "to_schema"):
        schema = schema.to_schema()
    if type(schema).__module__.startswith("pandera.api.polars"):
        return schema
    return None


def compile_schema(schema: Any) -> tuple[Any, FrameSpec]:
    """Compile ``schema`` (cached per schema object); returns (schema, spec)."""
    key = id(schema)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] is schema:
            _CACHE.move_to_end(key)
            return hit[1][0], hit[1][1]  # type: ignore[index]
    resolved = as_schema(schema)
    spec = _build(resolved, _frame_metadata(schema))
    polars = _polars_schema(schema)
    if polars is not None:
        spec = dataclasses.replace(spec, polars=polars)
    with _LOCK:
        _CACHE[key] = (schema, (resolved, spec))  # type: ignore[assignment]
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return resolved, spec
