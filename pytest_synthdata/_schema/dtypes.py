"""Map a pandera data type to what the generators produce and the exact dtype.

A :class:`DtypeInfo` tells the generators which logical values to draw (the
``kind``) and the assembly layer which pandas dtype to build, so that the frame
handed out is equal, dtype for dtype, to what ``schema.validate`` returns.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import UnsupportedSchemaError


class Kind(enum.Enum):
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    STRING = "string"
    DATETIME = "datetime"
    DATE = "date"
    TIMEDELTA = "timedelta"
    DECIMAL = "decimal"
    ARROW = "arrow"  # nested and binary pyarrow values, drawn by their type


class Storage(enum.Enum):
    NUMPY = "numpy"  # numpy dtype (no missing values for int and bool)
    MASKED = "masked"  # pandas nullable extension dtype (Int64, boolean, ...)
    ARROW = "arrow"  # pd.ArrowDtype
    STR = "str"  # pandas StringDtype (pandas 3 default ``str`` and ``string``)
    OBJECT = "object"  # object column of Python values (str, date, Decimal)
    CATEGORY = "category"  # pd.CategoricalDtype over values of ``kind``


@dataclass(frozen=True)
class DtypeInfo:
    """What to generate for one column, and the exact pandas dtype to build."""

    kind: Kind
    storage: Storage
    dtype: Any  # the pandas / numpy dtype of the finished column
    holds_na: bool
    int_bounds: tuple[int, int] | None = None
    float_dtype: np.dtype | None = None  # precision the values must fit
    unit: str = "ns"
    tz: Any = None
    precision: int = 28
    scale: int = 0
    categories: tuple[Any, ...] | None = None
    arrow_type: pa.DataType | None = None
    label: str = ""
    na_value: Any = None  # the missing value of object columns (dates, decimals)


_INT_WIDTHS = {
    np.dtype(t): (int(np.iinfo(t).min), int(np.iinfo(t).max))
    for t in (
        np.int8,
        np.int16,
        np.int32,
        np.int64,
        np.uint8,
        np.uint16,
        np.uint32,
        np.uint64,
    )
}


def _arrow_info(dtype: pd.ArrowDtype, label: str) -> DtypeInfo:
    t = dtype.pyarrow_dtype
    common = {"storage": Storage.ARROW, "dtype": dtype, "holds_na": True}
    if pa.types.is_integer(t):
        np_t = np.dtype(t.to_pandas_dtype())
        return DtypeInfo(
            Kind.INT, int_bounds=_INT_WIDTHS[np_t], arrow_type=t, label=label, **common
        )
    if pa.types.is_floating(t):
        return DtypeInfo(
            Kind.FLOAT,
            float_dtype=np.dtype(t.to_pandas_dtype()),
            arrow_type=t,
            label=label,
            **common,
        )
    if pa.types.is_boolean(t):
        return DtypeInfo(Kind.BOOL, arrow_type=t, label=label, **common)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return DtypeInfo(Kind.STRING, arrow_type=t, label=label, **common)
    if pa.types.is_timestamp(t):
        return DtypeInfo(
            Kind.DATETIME, unit=t.unit, tz=t.tz, arrow_type=t, label=label, **common
        )
    if pa.types.is_date32(t) or pa.types.is_date64(t):
        return DtypeInfo(Kind.DATE, arrow_type=t, label=label, **common)
    if pa.types.is_duration(t):
        return DtypeInfo(
            Kind.TIMEDELTA, unit=t.unit, arrow_type=t, label=label, **common
        )
    if pa.types.is_decimal(t):
        return DtypeInfo(
            Kind.DECIMAL,
            precision=t.precision,
            scale=t.scale,
            arrow_type=t,
            label=label,
            **common,
        )
    from .._generators.nested import opaque, supported

    if opaque(t) and supported(t):
        return DtypeInfo(Kind.ARROW, arrow_type=t, label=label, **common)
    raise UnsupportedSchemaError(
        f"{label}: the pyarrow type {t} is currently unsupported (lists, "
        "structs and maps of numbers, booleans, text, binary, times and "
        "decimals are generated); declare one of those instead."
    )


def _category_info(dtype: pd.CategoricalDtype, label: str) -> DtypeInfo:
    cats = None if dtype.categories is None else tuple(dtype.categories.tolist())
    kind = Kind.STRING
    if dtype.categories is not None:
        cdt = dtype.categories.dtype
        if pd.api.types.is_bool_dtype(cdt):
            kind = Kind.BOOL
        elif pd.api.types.is_integer_dtype(cdt):
            kind = Kind.INT
        elif pd.api.types.is_float_dtype(cdt):
            kind = Kind.FLOAT
        elif pd.api.types.is_datetime64_any_dtype(cdt):
            kind = Kind.DATETIME
    return DtypeInfo(
        kind,
        Storage.CATEGORY,
        dtype,
        holds_na=True,
        categories=cats,
        label=label,
    )


def dtype_info(pandera_dtype: Any, label: str) -> DtypeInfo:
    """Classify a pandera ``DataType`` (as found on ``Column.dtype``).

    ``label`` names the column for error messages.
    """
    if pandera_dtype is None:
        raise UnsupportedSchemaError(
            f"{label} has no dtype; give it one (for example int, float, str or "
            "'datetime64[ns]') so that values can be generated."
        )
    name = type(pandera_dtype).__name__
    if name == "Date":
        return DtypeInfo(Kind.DATE, Storage.OBJECT, np.dtype("O"), True, label=label)
    if name == "Decimal":
        return DtypeInfo(
            Kind.DECIMAL,
            Storage.OBJECT,
            np.dtype("O"),
            True,
            precision=int(pandera_dtype.precision or 28),
            scale=int(pandera_dtype.scale or 0),
            label=label,
        )
    dtype = getattr(pandera_dtype, "type", None)
    if isinstance(dtype, pd.ArrowDtype):
        return _arrow_info(dtype, label)
    if isinstance(dtype, pd.CategoricalDtype):
        return _category_info(dtype, label)
    if isinstance(dtype, pd.StringDtype):
        return DtypeInfo(Kind.STRING, Storage.STR, dtype, True, label=label)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return DtypeInfo(
            Kind.DATETIME,
            Storage.NUMPY,
            dtype,
            True,
            unit=dtype.unit,
            tz=dtype.tz,
            label=label,
        )
    if isinstance(dtype, pd.api.extensions.ExtensionDtype):
        numpy_type = getattr(dtype, "numpy_dtype", None)
        if isinstance(dtype, pd.BooleanDtype):
            return DtypeInfo(Kind.BOOL, Storage.MASKED, dtype, True, label=label)
        if numpy_type is not None and numpy_type.kind in "iu":
            return DtypeInfo(
                Kind.INT,
                Storage.MASKED,
                dtype,
                True,
                int_bounds=_INT_WIDTHS[np.dtype(numpy_type)],
                label=label,
            )
        if numpy_type is not None and numpy_type.kind == "f":
            return DtypeInfo(
                Kind.FLOAT,
                Storage.MASKED,
                dtype,
                True,
                float_dtype=np.dtype(numpy_type),
                label=label,
            )
    if isinstance(dtype, np.dtype):
        if dtype.kind in "iu":
            return DtypeInfo(
                Kind.INT,
                Storage.NUMPY,
                dtype,
                False,
                int_bounds=_INT_WIDTHS[dtype],
                label=label,
            )
        if dtype.kind == "f":
            return DtypeInfo(
                Kind.FLOAT, Storage.NUMPY, dtype, True, float_dtype=dtype, label=label
            )
        if dtype.kind == "b":
            return DtypeInfo(Kind.BOOL, Storage.NUMPY, dtype, False, label=label)
        if dtype.kind == "M":
            unit = np.datetime_data(dtype)[0]
            return DtypeInfo(
                Kind.DATETIME, Storage.NUMPY, dtype, True, unit=unit, label=label
            )
        if dtype.kind == "m":
            unit = np.datetime_data(dtype)[0]
            return DtypeInfo(
                Kind.TIMEDELTA, Storage.NUMPY, dtype, True, unit=unit, label=label
            )
        if dtype.kind == "O":
            return DtypeInfo(Kind.STRING, Storage.OBJECT, dtype, True, label=label)
    raise UnsupportedSchemaError(
        f"{label}: data type {pandera_dtype!r} is currently unsupported; "
        "use a numeric, bool, string, category, datetime, date, timedelta or "
        "Decimal dtype (numpy, pandas nullable or scalar pyarrow)."
    )
