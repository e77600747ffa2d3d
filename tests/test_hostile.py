"""Inputs found by trying to break the generator, kept as regression tests."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pytest

from pytest_synthdata import generate
from pytest_synthdata.errors import (
    ChecksUnmetError,
    ContradictoryChecksError,
    InfeasibleRequestError,
    UnsupportedSchemaError,
)
from tests.conftest import assert_exact

C = pa.Check


def one(column: pa.Column, **kw) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({"x": column}, **kw)


def quiet_generate(schema, rows, seed=0):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return generate(schema, rows, seed=seed)


@pytest.mark.parametrize(
    "column",
    [
        pa.Column(str, C.str_matches(re.compile(r"^[A-Z]{3}$"))),
        pa.Column(str, C.str_matches(re.compile(r"^abc$", re.IGNORECASE))),
        pa.Column(str, C.str_matches(r"^[^ -~]+$")),
        pa.Column(str, C.str_matches(r"^[^\x00-\x7f]{2}$")),
        pa.Column("uint64", C.ge(2**64 - 100), unique=True),
        pa.Column("int64", C.in_range(-(2**63), 2**63 - 1)),
        pa.Column(pa.Decimal(28, 20)),
        pa.Column(pa.Date, C.le(__import__("datetime").date(9999, 12, 31))),
    ],
    ids=[
        "compiled-pattern",
        "compiled-pattern-flags",
        "non-ascii-class",
        "non-ascii-range",
        "uint64-top-unique",
        "int64-full-range",
        "wide-decimal",
        "date-sentinel-bound",
    ],
)
@pytest.mark.parametrize("rows", [1, 50])
def test_hostile_but_valid_columns_are_generated_exactly(column, rows):
    schema = one(column)
    assert_exact(schema, quiet_generate(schema, rows), rows)


@pytest.mark.parametrize(
    ("column", "error", "message"),
    [
        (pa.Column(int, C.gt("5")), UnsupportedSchemaError, "cannot evaluate"),
        (
            pa.Column("datetime64[ns]", C.ge(pd.Timestamp("2020", tz="UTC"))),
            UnsupportedSchemaError,
            "time zone",
        ),
        (pa.Column(str, C.str_matches(r"(?x) a b")), UnsupportedSchemaError, "RE2"),
        (pa.Column(str, C.str_matches(r"[^\s\S]")), ContradictoryChecksError, "no"),
        (pa.Column(float, C.gt(float("nan"))), ContradictoryChecksError, "NaN"),
        (pa.Column(float, C.lt(10**400)), UnsupportedSchemaError, "cannot evaluate"),
        (pa.Column(pa.Decimal(3, 3)), ContradictoryChecksError, "precision"),
    ],
    ids=["str-bound", "tz-bound", "re2", "empty-class", "nan", "huge-int", "dec"],
)
def test_hostile_columns_fail_at_compile_with_our_errors(column, error, message):
    with pytest.raises(error, match=message):
        generate(one(column), 3, seed=0)


def test_mid_pattern_anchor_is_verified_not_trusted():
    with pytest.raises(ChecksUnmetError, match=r"acceptance 0\.00%"):
        generate(one(pa.Column(str, C.str_matches(r"a$b"))), 3, seed=0)


def test_duplicate_isin_values_count_once_for_uniqueness():
    schema = one(pa.Column(float, C.isin([1, 1.0, np.float64(1), 2]), unique=True))
    assert_exact(schema, generate(schema, 2, seed=7), 2)
    with pytest.raises(InfeasibleRequestError, match="only 2 distinct"):
        generate(schema, 3, seed=7)


@pytest.mark.parametrize("seed", range(12))
def test_required_values_survive_row_filtering(seed):
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(int, C.unique_values_eq([1, 2, 3])),
            "b": pa.Column(int, C.in_range(0, 100)),
        },
        checks=[C(lambda df: df["b"] > 50)],
    )
    assert_exact(schema, quiet_generate(schema, 5, seed), 5)


@pytest.mark.parametrize("seed", range(12))
def test_sort_repair_keeps_joint_uniqueness(seed):
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(
                int, [C.in_range(0, 1), C(lambda s: s.is_monotonic_increasing)]
            ),
            "b": pa.Column(int, C.in_range(0, 1)),
        },
        unique=["a", "b"],
    )
    try:
        df = quiet_generate(schema, 3, seed)
    except ChecksUnmetError:
        return  # a clear error is allowed; an invalid frame is not
    assert_exact(schema, df, 3)


def test_parsers_that_change_data_are_refused_and_harmless_ones_pass():
    doubling = one(pa.Column(int, C.le(10_000), parsers=pa.Parser(lambda s: s * 2)))
    with pytest.raises(UnsupportedSchemaError, match="parsers change"):
        generate(doubling, 3, seed=0)
    same = one(pa.Column(int, C.le(10_000), parsers=pa.Parser(lambda s: s)))
    assert_exact(same, generate(same, 3, seed=0), 3)


def test_exceptions_raised_by_checks_are_named_in_the_error():
    def boom(df):
        raise KeyError("nope")

    schema = pa.DataFrameSchema({"x": pa.Column(int)}, checks=[C(boom)])
    with pytest.raises(ChecksUnmetError, match=r"raised KeyError"):
        quiet_generate(schema, 10)


def test_groupby_checks_are_refused_clearly():
    schema = pa.DataFrameSchema(
        {
            "x": pa.Column(int, C(lambda s: s.mean() > 0, groupby="g")),
            "g": pa.Column(str),
        }
    )
    with pytest.raises(UnsupportedSchemaError, match="groupby"):
        generate(schema, 3, seed=0)


def test_a_column_named_none_is_refused():
    with pytest.raises(UnsupportedSchemaError, match="named None"):
        generate(pa.DataFrameSchema({None: pa.Column(int)}), 1, seed=0)


def test_requests_that_cannot_fit_in_memory_are_refused_before_work():
    with pytest.raises(InfeasibleRequestError, match="GiB"):
        generate(one(pa.Column(int)), 10**12, seed=0)


def test_arrow_uint64_bound_pandera_cannot_compare_is_refused():
    schema = one(pa.Column(pd.ArrowDtype(pyarrow.uint64()), C.ge(2**63)))
    with pytest.raises(UnsupportedSchemaError, match="cannot evaluate"):
        generate(schema, 2, seed=0)


def test_regex_columns_keep_schema_order_and_each_others_checks():
    schema = pa.DataFrameSchema(
        {
            r"^c_\d{2}$": pa.Column(float, C.ge(0), regex=True),
            "k": pa.Column(str),
            r"^c_.*$": pa.Column(float, C.lt(10), regex=True),
        },
        ordered=True,
    )
    df = generate(schema, 40, seed=0)
    assert_exact(schema, df, 40)
    first = df.columns[0]
    assert re.match(r"^c_\d{2}$", first)
    assert df[first].between(0, 10, inclusive="left").all()


# --------------------------------------------------------------------------
# second hostile round: comparisons in the column's own precision, schema
# dtype, coerced missing values, date32 limits
# --------------------------------------------------------------------------

NARROW_FLOAT_CASES = [
    ("float32", [C.gt(0.1), C.lt(0.1000001)], False, 50, 1),
    ("float16", [C.gt(1 / 3), C.lt(2 / 3)], False, 300, 424),
    ("float16", [C.lt(0.1), C.gt(0)], False, 200, 1),
    ("float16", [C.in_range(0.3, 0.303)], False, 50, 715),
    ("Float32", [C.lt(3.4e38)], True, 300, 937),
    ("float16[pyarrow]", [C.gt(-0.1), C.le(-0.099)], False, 50, 839),
]


@pytest.mark.parametrize(
    ("dtype", "checks", "nullable", "rows", "seed"),
    NARROW_FLOAT_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(NARROW_FLOAT_CASES)],
)
def test_narrow_float_bounds_hold_as_pandas_compares_them(
    dtype, checks, nullable, rows, seed
) -> None:
    # pandas compares float16/float32 columns with the bound cast to their
    # dtype, so a value that rounds onto the bound must not be handed out.
    schema = one(pa.Column(dtype, checks, nullable=nullable))
    assert_exact(schema, quiet_generate(schema, rows, seed), rows)


@pytest.mark.parametrize("dtype", ["int64", "uint64", "Int64", "int64[pyarrow]"])
@pytest.mark.parametrize("check", [C.gt(1e18), C.gt(9.2e18), C.ge(2.0**53)])
def test_big_integers_against_float_bounds_hold_as_pandas_compares(
    dtype, check
) -> None:
    # Such comparisons happen in float64, where big integers round.
    schema = one(pa.Column(dtype, check))
    assert_exact(schema, quiet_generate(schema, 1_000), 1_000)


def test_the_schema_dtype_overrides_the_columns_dtypes() -> None:
    schema = pa.DataFrameSchema(
        {"a": pa.Column(str), "b": pa.Column(int, C.ge(0)), "c": pa.Column()},
        dtype="float32",
    )
    df = generate(schema, 20, seed=0)
    assert_exact(schema, df, 20)
    assert (df.dtypes == np.dtype("float32")).all()
    assert (df["b"] >= 0).all()


@pytest.mark.parametrize("dtype", [pa.Decimal(5, 2), pa.Date])
def test_coerced_nullable_objects_carry_the_missing_value_validate_gives(
    dtype,
) -> None:
    schema = one(pa.Column(dtype, coerce=True, nullable=True))
    df = generate(schema, 30, seed=0)
    assert_exact(schema, df, 30)
    assert df["x"].isna().sum() == 3


def test_date32_lone_bounds_stay_inside_the_years_python_can_hold() -> None:
    import datetime as dt

    low = one(pa.Column(pd.ArrowDtype(pyarrow.date32()), C.le(dt.date(1, 1, 3))))
    df = generate(low, 50, seed=0)
    assert_exact(low, df, 50)
    assert min(df["x"].tolist()) >= dt.date(1, 1, 1)
    high = one(pa.Column(pd.ArrowDtype(pyarrow.date32()), C.gt(dt.date(9999, 12, 31))))
    with pytest.raises(ContradictoryChecksError, match="column 'x'"):
        generate(high, 5, seed=0)


def test_narrow_float_membership_is_read_as_pandas_compares() -> None:
    holds = one(pa.Column("float32", C.eq(0.1)))
    df = generate(holds, 10, seed=0)
    assert_exact(holds, df, 10)
    # isin compares exactly: float32(0.1) is not 0.1, so nothing can pass.
    never = one(pa.Column("float32", C.isin([0.1, 0.2])))
    with pytest.raises(ContradictoryChecksError) as info:
        generate(never, 10, seed=0)
    assert "holds as [0.10000000149011612" in str(info.value)
    assert "use a wider dtype" in str(info.value)


def test_decimals_beyond_int64_unscaled_are_currently_unsupported() -> None:
    import decimal

    schema = one(pa.Column(pa.Decimal(38, 10), C.ge(decimal.Decimal("1e9"))))
    with pytest.raises(UnsupportedSchemaError, match="currently unsupported"):
        generate(schema, 5, seed=0)


@pytest.mark.parametrize("seed", range(20))
def test_unique_columns_with_element_wise_custom_checks_fill_the_rows(seed) -> None:
    # 11 of 1,001 values pass the custom check: replacement batches must not
    # ask the unique column for more distinct values than its window holds.
    schema = one(
        pa.Column(
            int,
            [C.in_range(0, 1000), C(lambda x: x % 100 == 0, element_wise=True)],
            unique=True,
        )
    )
    assert_exact(schema, quiet_generate(schema, 10, seed), 10)
    with pytest.raises(ChecksUnmetError, match="column 'x'"):
        quiet_generate(schema, 12, seed)


def test_overlapping_prefix_and_suffix_within_the_length() -> None:
    schema = one(
        pa.Column(
            str, [C.str_startswith("ab"), C.str_endswith("ba"), C.str_length(3, 3)]
        )
    )
    df = generate(schema, 5, seed=0)
    assert_exact(schema, df, 5)
    assert set(df["x"]) == {"aba"}
    never = one(
        pa.Column(
            str,
            [C.str_startswith("abc"), C.str_endswith("xyz"), C.str_length(None, 5)],
        )
    )
    with pytest.raises(ContradictoryChecksError, match="cannot both fit in 5"):
        generate(never, 5, seed=0)


def test_long_notin_lists_widen_the_window_and_stay_short_in_messages() -> None:
    schema = one(pa.Column(int, C.notin(list(range(10_001)))))
    df = generate(schema, 50, seed=0)
    assert_exact(schema, df, 50)
    from pytest_synthdata._schema.reader import describe

    shown = describe(C.notin(list(range(10_001))))
    assert shown == "notin(forbidden_values=[0, 1, 2, 3, 4, 5, ...])"
