"""pandera.polars schemas, read through a pandas twin.

The engine draws pandas columns; a polars schema is read as its *twin*: a
pandera.pandas schema with the same columns, each typed with the Arrow type
polars stores it as (``pd.ArrowDtype``), and the same checks. Built-in checks
are shared objects in pandera and run on either library. Custom checks
receive polars data, so the twin wraps each one to hand it the generated
rows as a polars frame (:class:`_PolarsCheck`). Frames leave through
:func:`to_polars`, cast to the declared polars dtypes, and are validated by
pandera's polars backend.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

from ..errors import UnsupportedSchemaError

_INTS = ("Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64")


def _arrow_type(dtype: Any, label: str, nullable: bool = True) -> Any:
    """The pandas dtype the twin declares for a polars dtype.

    Integers take numpy's dtypes (pandas' masked ones where nullable), whose
    checks pandera evaluates across the whole range (uint64 included); the
    rest take the Arrow type polars stores.
    """
    import polars as pl

    t = dtype.type if hasattr(dtype, "type") else dtype
    for name in _INTS:
        if t == getattr(pl, name):
            return name if nullable else name.lower()
    simple = {
        pl.Int8: pa.int8(),
        pl.Int16: pa.int16(),
        pl.Int32: pa.int32(),
        pl.Int64: pa.int64(),
        pl.UInt8: pa.uint8(),
        pl.UInt16: pa.uint16(),
        pl.UInt32: pa.uint32(),
        pl.UInt64: pa.uint64(),
        pl.Float32: pa.float32(),
        pl.Float64: pa.float64(),
        pl.Boolean: pa.bool_(),
        pl.String: pa.string(),
        pl.Categorical: pa.string(),
        pl.Date: pa.date32(),
    }
    for polars_type, arrow in simple.items():
        if t == polars_type:
            return pd.ArrowDtype(arrow)
    if isinstance(t, pl.Enum):
        return pd.CategoricalDtype(list(t.categories))
    if isinstance(t, pl.Datetime):
        return pd.ArrowDtype(pa.timestamp(t.time_unit or "us", t.time_zone))
    if isinstance(t, pl.Duration):
        return pd.ArrowDtype(pa.duration(t.time_unit or "us"))
    if isinstance(t, pl.Decimal):
        return pd.ArrowDtype(pa.decimal128(t.precision or 38, t.scale or 0))
    nested = _nested_arrow(t)
    if nested is not None:
        return pd.ArrowDtype(nested)
    raise UnsupportedSchemaError(
        f"{label}: the polars dtype {t} is currently unsupported (numbers, "
        "booleans, strings, categoricals, enums, dates, datetimes, durations, "
        "decimals, binary, and lists, arrays and structs of those are "
        "generated); use one of those or drop the column."
    )


def _nested_arrow(t: Any) -> Any:
    """The Arrow type of a polars list, array, struct or binary (or None)."""
    import polars as pl

    def leaf(inner: Any) -> Any:
        found = _arrow_type(inner, "", nullable=True)
        if isinstance(found, str):  # a pandas integer dtype name
            return pa.from_numpy_dtype(pd.api.types.pandas_dtype(found.lower()))
        if isinstance(found, pd.ArrowDtype):
            return found.pyarrow_dtype
        return None

    if t == pl.Binary:
        return pa.binary()
    try:
        if isinstance(t, pl.List):
            inner = leaf(t.inner)
            return None if inner is None else pa.list_(inner)
        if isinstance(t, pl.Array):
            inner = leaf(t.inner)
            return None if inner is None else pa.list_(inner, t.size)
        if isinstance(t, pl.Struct):
            fields = [(f.name, leaf(f.dtype)) for f in t.fields]
            if any(v is None for _, v in fields):
                return None
            return pa.struct(fields)
    except UnsupportedSchemaError:
        return None
    return None


class _PolarsCheck:
    """A polars custom check, callable on pandas data as the twin's check."""

    def __init__(self, check: Any, column: Any, polars_schema: Any) -> None:
        self.check = check
        self.column = column
        self.schema = polars_schema

    def __call__(self, data: Any) -> Any:
        import polars as pl
        from pandera.api.polars.types import PolarsData

        frame = data.to_frame() if isinstance(data, pd.Series) else data
        lazy = to_polars(frame, self.schema, validate=False).lazy()
        key = "*" if self.column is None else self.column
        out = self.check._check_fn(PolarsData(lazy, key), **self.check._check_kwargs)
        if isinstance(out, bool):
            return out
        if isinstance(out, pl.LazyFrame):
            out = out.collect()
        if isinstance(out, pl.DataFrame):
            out = out.select(pl.all_horizontal(pl.all())).to_series()
        if isinstance(out, pl.Series):
            return pd.Series(out.to_numpy(), index=frame.index, dtype=bool)
        return bool(out)


def pandas_twin(polars_schema: Any) -> Any:
    """The pandera.pandas schema the engine reads for a pandera.polars
    ``DataFrameSchema`` (a model's, once ``as_schema`` has built it)."""
    import pandera.pandas as ppa

    from .reader import is_builtin

    columns = {}
    for name, col in polars_schema.columns.items():
        label = f"column {name!r}"
        checks = []
        for check in col.checks:
            if is_builtin(check) or check.element_wise:
                checks.append(check)
            else:
                checks.append(_wrapped(check, name, polars_schema))
        columns[name] = ppa.Column(
            _arrow_type(col.dtype, label, col.nullable),
            checks,
            nullable=col.nullable,
            unique=col.unique,
            required=col.required,
            regex=col.regex,
            metadata=col.metadata,
            name=name,
        )
    frame_checks = [
        check if is_builtin(check) else _wrapped(check, None, polars_schema)
        for check in polars_schema.checks
    ]
    return ppa.DataFrameSchema(
        columns,
        checks=frame_checks,
        unique=polars_schema.unique,
        name=polars_schema.name,
        metadata=polars_schema.metadata,
    )


def _wrapped(check: Any, column: Any, polars_schema: Any) -> Any:
    import pandera.pandas as ppa

    return ppa.Check(
        _PolarsCheck(check, column, polars_schema),
        name=check.name or getattr(check._check_fn, "__name__", "custom"),
        error=check.error,
    )


def to_polars(frame: pd.DataFrame, polars_schema: Any, validate: bool = True) -> Any:
    """``frame`` as a polars DataFrame in the schema's dtypes (validated)."""
    import polars as pl

    table = pa.Table.from_pandas(frame, preserve_index=False)
    out = pl.from_arrow(table)
    if isinstance(out, pl.Series):  # pragma: no cover - a table gives a frame
        out = out.to_frame()
    casts = {}
    for name, col in polars_schema.columns.items():
        if name in out.columns and col.dtype is not None:
            target = col.dtype.type
            if out.schema[name] != target:
                casts[name] = target
    if casts:
        out = out.cast(casts)
    if validate:
        polars_schema.validate(out, lazy=True)
    return out
