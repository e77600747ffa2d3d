"""Turn logical arrays into pandas arrays of the exact dtype, nulls included.

Generators draw *logical* values: integers for ints, datetimes (in the
column's unit since the epoch), dates (days), timedeltas and decimals
(unscaled); floats for floats; a pyarrow string array for strings. This module
builds the final array of the column's dtype from them in one step.
"""

from __future__ import annotations

import decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .._schema.dtypes import DtypeInfo, Kind, Storage

_NAT = np.iinfo(np.int64).min


def _arrow(values: Any, valid: np.ndarray | None, t: pa.DataType) -> Any:
    mask = None if valid is None else ~valid
    if isinstance(values, pa.Array):
        arr = values if values.type == t else values.cast(t)
        if mask is not None and mask.any():
            arr = pa.compute.if_else(pa.array(mask), pa.nulls(len(arr), t), arr)
    else:
        arr = pa.array(values, type=t, mask=mask, from_pandas=True)
    return pd.arrays.ArrowExtensionArray(arr)


def _decimal_objects(unscaled: np.ndarray, scale: int) -> list[decimal.Decimal]:
    return [decimal.Decimal(int(v)).scaleb(-scale) for v in unscaled.tolist()]


def build_array(info: DtypeInfo, logical: Any, valid: np.ndarray | None = None) -> Any:
    """An array of ``info.dtype`` from logical values; ``valid`` False is null."""
    if valid is not None and valid.all():
        valid = None
    kind, storage = info.kind, info.storage
    if kind is Kind.ARROW:
        arr = logical
        if valid is not None:
            arr = pa.compute.if_else(pa.array(valid), arr, pa.nulls(len(arr), arr.type))
        return pd.arrays.ArrowExtensionArray(arr)
    if storage is Storage.ARROW:
        t = info.arrow_type
        if kind in (Kind.DATETIME, Kind.TIMEDELTA, Kind.DATE):
            ints = np.asarray(logical, dtype=np.int64)
            mask = None if valid is None else ~valid
            if kind is Kind.DATE:
                arr = pa.array(ints.astype(np.int32), mask=mask).cast(pa.date32())
            else:
                arr = pa.array(ints, mask=mask)
            return pd.arrays.ArrowExtensionArray(arr.cast(t))
        if kind is Kind.DECIMAL:
            objs = _decimal_objects(np.asarray(logical), info.scale)
            return _arrow(objs, valid, t)
        return _arrow(logical, valid, t)
    if kind is Kind.STRING:
        arr = logical
        if not isinstance(arr, pa.Array):
            arr = pa.array(logical, type=pa.string())
        if valid is not None:
            arr = pa.compute.if_else(pa.array(valid), arr, pa.nulls(len(arr), arr.type))
        if storage is Storage.STR:
            return pd.array(arr, dtype=info.dtype)
        if storage is Storage.CATEGORY:
            return pd.Categorical(arr.to_pandas(), dtype=info.dtype)
        # An explicit object array: pandas 3 would infer ``str`` from ndarray.
        return pd.array(arr.to_numpy(zero_copy_only=False), dtype=object)
    if kind is Kind.INT:
        ints = np.asarray(logical)
        if storage is Storage.NUMPY:
            return ints.astype(info.dtype, copy=False)
        if storage is Storage.MASKED:
            data = ints.astype(info.dtype.numpy_dtype, copy=False)
            mask = np.zeros(len(data), bool) if valid is None else ~valid
            return pd.arrays.IntegerArray(data, mask)
    if kind is Kind.FLOAT:
        floats = np.asarray(logical, dtype=np.float64)
        if storage is Storage.NUMPY:
            out = floats.astype(info.dtype, copy=valid is not None)
            if valid is not None:
                out[~valid] = np.nan
            return out
        if storage is Storage.MASKED:
            data = floats.astype(info.dtype.numpy_dtype, copy=False)
            mask = np.zeros(len(data), bool) if valid is None else ~valid
            return pd.arrays.FloatingArray(data, mask)
    if kind is Kind.BOOL:
        flags = np.asarray(logical, dtype=bool)
        if storage is Storage.NUMPY:
            return flags
        mask = np.zeros(len(flags), bool) if valid is None else ~valid
        return pd.arrays.BooleanArray(flags, mask)
    if kind is Kind.DATETIME:
        ints = np.asarray(logical, dtype=np.int64)
        if valid is not None:
            ints = np.where(valid, ints, _NAT)
        raw = ints.view(f"datetime64[{info.unit}]")
        if info.tz is None:
            return raw
        idx = pd.DatetimeIndex(raw).tz_localize("UTC").tz_convert(info.tz)
        return idx.array
    if kind is Kind.TIMEDELTA:
        ints = np.asarray(logical, dtype=np.int64)
        if valid is not None:
            ints = np.where(valid, ints, _NAT)
        return ints.view(f"timedelta64[{info.unit}]")
    if kind is Kind.DATE:
        days = np.asarray(logical, dtype=np.int64)
        out = days.astype("datetime64[D]").astype(object)
        if valid is not None:
            out[~valid] = info.na_value
        return pd.array(out, dtype=object)
    if kind is Kind.DECIMAL:
        out = np.empty(len(logical), dtype=object)
        out[:] = _decimal_objects(np.asarray(logical), info.scale)
        if valid is not None:
            out[~valid] = info.na_value
        return pd.array(out, dtype=object)
    raise AssertionError(f"no builder for {info}")  # pragma: no cover


def logical_to_values(ints: np.ndarray, info: DtypeInfo) -> list[Any]:
    """Python values of a column for logical integers (enumerating a domain)."""
    arr = build_array(info, ints)
    return list(pd.Series(arr).tolist())
