"""Nested pyarrow values: lists, fixed-size lists, structs and maps of scalars.

A nested column is drawn bottom up: a list's lengths first (0 to
:data:`MAX_LIST` items), then as many child values in one flat array; a
struct's fields side by side. Leaves are drawn as the scalar generators draw
an unconstrained column of their type (ints near zero, floats around zero,
short lowercase text, times between 2000 and 2030), and no leaf is null.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .text import LOWER, sample_chars

MAX_LIST = 5  # items in a generated list: 0 .. MAX_LIST
_Y2000_S = 946_684_800
_Y2030_S = 1_893_456_000
_UNIT = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}


def supported(t: pa.DataType) -> bool:
    """Whether values of ``t`` can be drawn here (nested or scalar)."""
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return supported(t.value_type)
    if pa.types.is_fixed_size_list(t):
        return supported(t.value_type)
    if pa.types.is_struct(t):
        return all(supported(t.field(i).type) for i in range(t.num_fields))
    if pa.types.is_map(t):
        return supported(t.key_type) and supported(t.item_type)
    return _scalar(t)


def _scalar(t: pa.DataType) -> bool:
    return (
        pa.types.is_integer(t)
        or pa.types.is_floating(t)
        or pa.types.is_boolean(t)
        or pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_binary(t)
        or pa.types.is_large_binary(t)
        or pa.types.is_timestamp(t)
        or pa.types.is_date32(t)
        or pa.types.is_date64(t)
        or pa.types.is_duration(t)
        or pa.types.is_decimal(t)
    )


def opaque(t: pa.DataType) -> bool:
    """Whether ``t`` is drawn here rather than by the scalar generators:
    nested or binary."""
    return pa.types.is_nested(t) or pa.types.is_binary(t) or pa.types.is_large_binary(t)


def opaque_dtype(dtype: object) -> bool:
    """Whether a pandas dtype holds nested or binary pyarrow values."""
    t = getattr(dtype, "pyarrow_dtype", None)
    return t is not None and opaque(t)


def draw_nested(rng: np.random.Generator, n: int, t: pa.DataType) -> pa.Array:
    """``n`` values of ``t`` (no nulls)."""
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        lengths = rng.integers(0, MAX_LIST, size=n, endpoint=True)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        child = draw_nested(rng, int(offsets[-1]), t.value_type)
        kind = pa.LargeListArray if pa.types.is_large_list(t) else pa.ListArray
        width = np.int64 if pa.types.is_large_list(t) else np.int32
        return kind.from_arrays(pa.array(offsets.astype(width)), child, type=t)
    if pa.types.is_fixed_size_list(t):
        child = draw_nested(rng, n * t.list_size, t.value_type)
        return pa.FixedSizeListArray.from_arrays(child, type=t)
    if pa.types.is_struct(t):
        fields = [t.field(i) for i in range(t.num_fields)]
        children = [draw_nested(rng, n, f.type) for f in fields]
        return pa.StructArray.from_arrays(children, fields=fields)
    if pa.types.is_map(t):
        lengths = rng.integers(0, MAX_LIST, size=n, endpoint=True)
        offsets = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(lengths, out=offsets[1:])
        total = int(offsets[-1])
        # Keys distinct within each map: the row's own position numbers them.
        keys = _distinct_keys(rng, lengths, t.key_type)
        items = draw_nested(rng, total, t.item_type)
        return pa.MapArray.from_arrays(pa.array(offsets), keys, items, type=t)
    return _leaves(rng, n, t)


def _distinct_keys(
    rng: np.random.Generator, lengths: np.ndarray, t: pa.DataType
) -> pa.Array:
    total = int(lengths.sum())
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    position = np.arange(total) - starts  # 0, 1, ... within each map
    if pa.types.is_integer(t):
        return pa.array(position, type=pa.int64()).cast(t)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return pa.array([f"k{p}" for p in position.tolist()], type=t)
    # Other key types: drawn, then shifted apart by position.
    return _leaves(rng, total, t)


def _leaves(rng: np.random.Generator, n: int, t: pa.DataType) -> pa.Array:
    if pa.types.is_integer(t):
        lo = 0 if pa.types.is_unsigned_integer(t) else -1000
        return pa.array(rng.integers(lo, 1000, size=n, endpoint=True)).cast(t)
    if pa.types.is_floating(t):
        values = rng.normal(0.0, 100.0, size=n)
        return pa.array(values.astype(t.to_pandas_dtype()), type=t)
    if pa.types.is_boolean(t):
        return pa.array(rng.random(n) < 0.5, type=t)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        lens = rng.integers(3, 10, size=n, endpoint=True)
        return sample_chars(rng, LOWER, n, lens).to_arrow().cast(t)
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        lens = rng.integers(0, 8, size=n, endpoint=True)
        data = rng.integers(0, 256, size=int(lens.sum()), dtype=np.uint8).tobytes()
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lens, out=offsets[1:])
        out = pa.LargeBinaryArray.from_buffers(
            pa.large_binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
        )
        return out.cast(t)
    if pa.types.is_timestamp(t):
        per = _UNIT[t.unit]
        return pa.array(
            rng.integers(_Y2000_S * per, _Y2030_S * per, size=n), type=pa.int64()
        ).cast(t)
    if pa.types.is_date32(t) or pa.types.is_date64(t):
        days = rng.integers(_Y2000_S // 86_400, _Y2030_S // 86_400, size=n)
        return (
            pa.array(days.astype(np.int32), type=pa.int32()).cast(pa.date32()).cast(t)
        )
    if pa.types.is_duration(t):
        per = _UNIT[t.unit]
        return pa.array(rng.integers(0, 86_400 * per, size=n), type=pa.int64()).cast(t)
    if pa.types.is_decimal(t):
        import decimal

        digits = max(1, min(t.precision - t.scale, 6))
        whole = rng.integers(-(10**digits) + 1, 10**digits, size=n)
        frac = rng.integers(0, 10**t.scale, size=n) if t.scale else np.zeros(n, int)
        values = [
            decimal.Decimal(
                int(w) * 10**t.scale + (int(f) if w >= 0 else -int(f))
            ).scaleb(-t.scale)
            for w, f in zip(whole.tolist(), frac.tolist(), strict=True)
        ]
        return pa.array(values, type=t)
    raise TypeError(f"no generator for {t}")  # pragma: no cover - supported() first
