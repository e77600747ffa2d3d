"""Per dtype x per check: generated frames validate exactly, dtype for dtype.

Every case is one column ``v`` of one dtype with one kind of built-in check.
Each case is generated at 0, 1, 7 and 200 rows for fixed seeds; every frame
must meet the validity contract (``schema.validate(df, lazy=True)`` passes and
returns a frame equal to ``df``), keep the declared dtype, and its values are
also checked directly against the intent of the check (e.g. an exclusive bound
is never hit).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pytest
from pandera.engines import pandas_engine

from pytest_synthdata import generate
from pytest_synthdata.errors import ContradictoryChecksError, InfeasibleRequestError
from tests.conftest import generated_dtype

SEEDS = (0, 1, 2, 3, 4)
SIZES = (0, 1, 7, 200)
# The default run draws each (dtype, check, size) once, with seed 0; the
# ``slow`` sweep repeats the whole matrix with every seed of SEEDS.
FAST_SEEDS = (0,)
C = pa.Check


def arrow(t: pyarrow.DataType) -> pd.ArrowDtype:
    return pd.ArrowDtype(t)


@dataclass(frozen=True)
class Case:
    """One column ``v``: a dtype, its checks and what its values must satisfy."""

    id: str
    schema: pa.DataFrameSchema
    dtype: Any
    expect: Callable[[list[Any]], bool] | None = None
    min_rows: int = 0
    max_rows: int | None = None

    def feasible(self, rows: int) -> bool:
        return self.min_rows <= rows and (
            self.max_rows is None or rows <= self.max_rows
        )


def case(
    dtype_id: str,
    dtype: Any,
    check_id: str,
    checks: tuple[Any, ...] = (),
    expect: Callable[[list[Any]], bool] | None = None,
    *,
    unique: bool = False,
    min_rows: int = 0,
    max_rows: int | None = None,
) -> Case:
    column = pa.Column(dtype, list(checks), unique=unique)
    schema = pa.DataFrameSchema({"v": column})
    return Case(
        f"{dtype_id}-{check_id}",
        schema,
        schema.columns["v"].dtype,
        expect,
        min_rows,
        max_rows,
    )


def distinct(vals: list[Any]) -> bool:
    return len(set(vals)) == len(vals)


def every(pred: Callable[[Any], bool]) -> Callable[[list[Any]], bool]:
    return lambda vals: all(pred(v) for v in vals)


def within(allowed: list[Any]) -> Callable[[list[Any]], bool]:
    return lambda vals: set(vals) <= set(allowed)


def all_of(required: list[Any]) -> Callable[[list[Any]], bool]:
    return lambda vals: set(vals) == set(required)


# --------------------------------------------------------------------------
# integers: numpy of every width, pandas nullable and pyarrow
# --------------------------------------------------------------------------

INT_DTYPES: list[tuple[str, Any, int, int]] = [
    (name, name, int(np.iinfo(name).min), int(np.iinfo(name).max))
    for name in (
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
    )
] + [
    ("Int8", pd.Int8Dtype(), -(2**7), 2**7 - 1),
    ("Int64", pd.Int64Dtype(), -(2**63), 2**63 - 1),
    ("UInt16", pd.UInt16Dtype(), 0, 2**16 - 1),
    ("arrow_int32", arrow(pyarrow.int32()), -(2**31), 2**31 - 1),
    ("arrow_int64", arrow(pyarrow.int64()), -(2**63), 2**63 - 1),
]


def int_cases(name: str, dtype: Any, lo: int, hi: int) -> list[Case]:
    cases = [
        case(name, dtype, "no_check", (), every(lambda v: lo <= v <= hi)),
        case(name, dtype, "equal_to", (C.equal_to(42),), within([42])),
        case(
            name,
            dtype,
            "not_equal_to",
            (C.in_range(0, 2), C.not_equal_to(1)),
            within([0, 2]),
        ),
        case(name, dtype, "gt", (C.gt(100),), every(lambda v: 100 < v <= hi)),
        case(name, dtype, "ge", (C.ge(100),), every(lambda v: v >= 100)),
        case(name, dtype, "lt", (C.lt(5),), every(lambda v: lo <= v < 5)),
        case(name, dtype, "le", (C.le(5),), every(lambda v: v <= 5)),
        case(
            name,
            dtype,
            "in_range_exclusive",
            (C.in_range(10, 20, include_min=False, include_max=False),),
            every(lambda v: 10 < v < 20),
        ),
        case(name, dtype, "isin", (C.isin([3, 50, 99]),), within([3, 50, 99])),
        case(
            name,
            dtype,
            "notin",
            (C.notin(list(range(100))),),
            every(lambda v: not 0 <= v < 100),
        ),
        case(
            name,
            dtype,
            "unique_values_eq",
            (C.unique_values_eq([5, 6, 7]),),
            all_of([5, 6, 7]),
            min_rows=3,
        ),
        case(name, dtype, "unique", (), distinct, unique=True),
        case(name, dtype, "near_max", (C.ge(hi - 3),), every(lambda v: v >= hi - 3)),
        case(name, dtype, "near_min", (C.le(lo + 3),), every(lambda v: v <= lo + 3)),
    ]
    return cases


# --------------------------------------------------------------------------
# floats
# --------------------------------------------------------------------------

FLOAT_DTYPES: list[tuple[str, Any]] = [
    ("float16", "float16"),
    ("float32", "float32"),
    ("float64", "float64"),
    ("Float32", pd.Float32Dtype()),
    ("Float64", pd.Float64Dtype()),
    ("arrow_float64", arrow(pyarrow.float64())),
]


def float_cases(name: str, dtype: Any) -> list[Case]:
    cases = [
        case(name, dtype, "no_check", (), every(np.isfinite)),
        case(name, dtype, "equal_to", (C.equal_to(1.5),), within([1.5])),
        case(name, dtype, "not_equal_to", (C.not_equal_to(0.0),), every(bool)),
        # 0.1 is not representable in any binary float: the bound is inexact.
        case(name, dtype, "gt", (C.gt(0.1),), every(lambda v: v > 0.1)),
        case(name, dtype, "ge", (C.ge(0.5),), every(lambda v: v >= 0.5)),
        case(name, dtype, "lt", (C.lt(-0.1),), every(lambda v: v < -0.1)),
        case(name, dtype, "le", (C.le(-0.5),), every(lambda v: v <= -0.5)),
        case(
            name,
            dtype,
            "in_range_exclusive",
            (C.in_range(0.0, 1.0, include_min=False, include_max=False),),
            every(lambda v: 0.0 < v < 1.0),
        ),
        case(
            name,
            dtype,
            "in_range_exclusive_max",
            (C.in_range(-2.5, 2.5, include_max=False),),
            every(lambda v: -2.5 <= v < 2.5),
        ),
        case(
            name,
            dtype,
            "isin",
            (C.isin([0.5, 1.25, 2.0]),),
            within([0.5, 1.25, 2.0]),
        ),
        case(
            name,
            dtype,
            "notin",
            (C.in_range(0.0, 1.0), C.notin([0.0, 1.0])),
            every(lambda v: 0.0 < v < 1.0),
        ),
        case(
            name,
            dtype,
            "unique_values_eq",
            (C.unique_values_eq([0.25, 0.5, 0.75]),),
            all_of([0.25, 0.5, 0.75]),
            min_rows=3,
        ),
        case(name, dtype, "unique", (), distinct, unique=True),
    ]
    return cases


# --------------------------------------------------------------------------
# booleans
# --------------------------------------------------------------------------

BOOL_DTYPES: list[tuple[str, Any]] = [
    ("bool", bool),
    ("boolean", pd.BooleanDtype()),
    ("arrow_bool", arrow(pyarrow.bool_())),
]


def bool_cases(name: str, dtype: Any) -> list[Case]:
    return [
        case(name, dtype, "no_check", (), within([False, True])),
        case(name, dtype, "equal_to", (C.equal_to(True),), within([True])),
        case(name, dtype, "not_equal_to", (C.not_equal_to(True),), within([False])),
        case(name, dtype, "isin", (C.isin([False]),), within([False])),
        case(name, dtype, "notin", (C.notin([False]),), within([True])),
        case(
            name,
            dtype,
            "unique_values_eq",
            (C.unique_values_eq([False, True]),),
            all_of([False, True]),
            min_rows=2,
        ),
        case(name, dtype, "unique", (), distinct, unique=True, max_rows=2),
    ]


# --------------------------------------------------------------------------
# strings: pandas str, object holding str, pandas string, pyarrow
# --------------------------------------------------------------------------

STRING_DTYPES: list[tuple[str, Any]] = [
    ("str", str),
    ("object", object),
    ("string", pd.StringDtype()),
    ("arrow_string", arrow(pyarrow.string())),
    ("arrow_large_string", arrow(pyarrow.large_string())),
]


def string_cases(name: str, dtype: Any) -> list[Case]:
    is_str = every(lambda v: isinstance(v, str))
    cases = [
        case(name, dtype, "no_check", (), is_str),
        case(name, dtype, "equal_to", (C.equal_to("abc"),), within(["abc"])),
        case(
            name,
            dtype,
            "not_equal_to",
            (C.isin(["abc", "abd"]), C.not_equal_to("abc")),
            within(["abd"]),
        ),
        case(name, dtype, "ge", (C.ge("m"),), every(lambda v: v >= "m")),
        case(
            name,
            dtype,
            "isin",
            (C.isin(["red", "green", "blue"]),),
            within(["red", "green", "blue"]),
        ),
        case(
            name,
            dtype,
            "notin",
            (C.str_length(1, 1), C.notin(["a", "b"])),
            every(lambda v: len(v) == 1 and v not in ("a", "b")),
        ),
        case(
            name,
            dtype,
            "str_matches",
            (C.str_matches(r"[A-Z]{2}-\d{3}"),),
            every(lambda v: re.match(r"[A-Z]{2}-\d{3}", v) is not None),
        ),
        case(
            name,
            dtype,
            "str_contains",
            (C.str_contains("xyz"),),
            every(lambda v: "xyz" in v),
        ),
        case(
            name,
            dtype,
            "str_startswith",
            (C.str_startswith("pre_"),),
            every(lambda v: v.startswith("pre_")),
        ),
        case(
            name,
            dtype,
            "str_endswith",
            (C.str_endswith("_suf"),),
            every(lambda v: v.endswith("_suf")),
        ),
        case(
            name,
            dtype,
            "str_length_min_max",
            (C.str_length(3, 6),),
            every(lambda v: 3 <= len(v) <= 6),
        ),
        case(
            name,
            dtype,
            "str_length_exact",
            (C.str_length(exact_value=4),),
            every(lambda v: len(v) == 4),
        ),
        case(
            name,
            dtype,
            "unique_values_eq",
            (C.unique_values_eq(["x", "y", "z"]),),
            all_of(["x", "y", "z"]),
            min_rows=3,
        ),
        case(name, dtype, "unique", (), distinct, unique=True),
    ]
    return cases


# --------------------------------------------------------------------------
# categories
# --------------------------------------------------------------------------

LEVELS = ["low", "mid", "high"]
ORDERED = pd.CategoricalDtype(LEVELS, ordered=True)
INT_CATS = pd.CategoricalDtype([10, 20, 30])

CATEGORY_CASES = [
    case("category_ordered", ORDERED, "no_check", (), within(LEVELS)),
    case(
        "category_ordered", ORDERED, "equal_to", (C.equal_to("mid"),), within(["mid"])
    ),
    case(
        "category_ordered",
        ORDERED,
        "not_equal_to",
        (C.not_equal_to("low"),),
        within(["mid", "high"]),
    ),
    case(
        "category_ordered",
        ORDERED,
        "isin",
        (C.isin(["low", "high"]),),
        within(["low", "high"]),
    ),
    case(
        "category_ordered",
        ORDERED,
        "notin",
        (C.notin(["mid"]),),
        within(["low", "high"]),
    ),
    case(
        "category_ordered",
        ORDERED,
        "unique_values_eq",
        (C.unique_values_eq(LEVELS),),
        all_of(LEVELS),
        min_rows=3,
    ),
    case("category_ordered", ORDERED, "unique", (), distinct, unique=True, max_rows=3),
    case("category_int", INT_CATS, "no_check", (), within([10, 20, 30])),
    case("category_int", INT_CATS, "isin", (C.isin([10, 30]),), within([10, 30])),
    case(
        "category_undeclared",
        pa.Category,
        "isin",
        (C.isin(["x", "y", "z"]),),
        within(["x", "y", "z"]),
    ),
    case(
        "category_undeclared",
        pa.Category,
        "equal_to",
        (C.isin(["x", "y"]), C.equal_to("y")),
        within(["y"]),
    ),
]


# --------------------------------------------------------------------------
# datetimes, dates, timedeltas
# --------------------------------------------------------------------------

HOUR = pd.Timedelta(hours=1)

# (id, dtype, base): the base is a bound in the column's own timezone.
DATETIME_DTYPES: list[tuple[str, Any, pd.Timestamp]] = [
    ("datetime64ns", "datetime64[ns]", pd.Timestamp("2021-06-01")),
    (
        "datetime_us_central",
        pd.DatetimeTZDtype("ns", "US/Central"),
        # The day clocks spring forward: 02:00-03:00 local does not exist.
        pd.Timestamp("2021-03-14", tz="US/Central"),
    ),
    (
        "datetime_ms_utc",
        pd.DatetimeTZDtype("ms", "UTC"),
        pd.Timestamp("2021-06-01", tz="UTC"),
    ),
    (
        "arrow_timestamp_us_utc",
        arrow(pyarrow.timestamp("us", tz="UTC")),
        pd.Timestamp("2021-06-01", tz="UTC"),
    ),
]


def temporal_cases(name: str, dtype: Any, base: Any, step: Any) -> list[Case]:
    """Every check around ``base``, with values ``step`` apart.

    ``step`` is one unit of the dtype for dates and decimals (so small ranges
    are finite sets) and much more than one unit for datetimes and timedeltas.
    """
    three = [base, base + step, base + 2 * step]
    return [
        case(name, dtype, "no_check", ()),
        case(name, dtype, "equal_to", (C.equal_to(base),), within([base])),
        case(
            name,
            dtype,
            "not_equal_to",
            (C.in_range(base, base + 2 * step), C.not_equal_to(base + step)),
            every(lambda v: base <= v <= base + 2 * step and v != base + step),
        ),
        case(name, dtype, "gt", (C.gt(base),), every(lambda v: v > base)),
        case(name, dtype, "ge", (C.ge(base),), every(lambda v: v >= base)),
        case(name, dtype, "lt", (C.lt(base),), every(lambda v: v < base)),
        case(name, dtype, "le", (C.le(base),), every(lambda v: v <= base)),
        case(
            name,
            dtype,
            "in_range_exclusive",
            (C.in_range(base, base + 10 * step, include_min=False, include_max=False),),
            every(lambda v: base < v < base + 10 * step),
        ),
        case(name, dtype, "isin", (C.isin(three),), within(three)),
        case(
            name,
            dtype,
            "notin",
            (C.in_range(base, base + 4 * step), C.notin(three)),
            every(lambda v: base <= v <= base + 4 * step and v not in three),
        ),
        case(
            name,
            dtype,
            "unique_values_eq",
            (C.unique_values_eq(three),),
            all_of(three),
            min_rows=3,
        ),
        case(name, dtype, "unique", (), distinct, unique=True),
    ]


def is_date(v: Any) -> bool:
    return isinstance(v, dt.date) and not isinstance(v, dt.datetime)


DATE_DTYPES: list[tuple[str, Any]] = [
    ("pandera_date", pa.Date),
    ("arrow_date32", arrow(pyarrow.date32())),
]

TIMEDELTA_DTYPES: list[tuple[str, Any, pd.Timedelta]] = [
    ("timedelta64ns", "timedelta64[ns]", pd.Timedelta(hours=1)),
    ("arrow_duration_s", arrow(pyarrow.duration("s")), pd.Timedelta(hours=1)),
]

DECIMAL = pandas_engine.Decimal(10, 2)
CENT = Decimal("0.01")


def decimal_exact(v: Any) -> bool:
    return isinstance(v, Decimal) and v == v.quantize(CENT)


def build_cases() -> list[Case]:
    cases: list[Case] = []
    for name, dtype, lo, hi in INT_DTYPES:
        cases += int_cases(name, dtype, lo, hi)
    for name, dtype in FLOAT_DTYPES:
        cases += float_cases(name, dtype)
    for name, dtype in BOOL_DTYPES:
        cases += bool_cases(name, dtype)
    for name, dtype in STRING_DTYPES:
        cases += string_cases(name, dtype)
    cases += CATEGORY_CASES
    for name, dtype, base in DATETIME_DTYPES:
        cases += temporal_cases(name, dtype, base, HOUR)
        if isinstance(dtype, pd.DatetimeTZDtype) and dtype.unit == "ns":
            cases.append(
                case(
                    name,
                    dtype,
                    "in_range_single_value",
                    (C.in_range(base, base),),
                    within([base]),
                )
            )
    for name, dtype in DATE_DTYPES:
        cases += temporal_cases(name, dtype, dt.date(2020, 1, 1), dt.timedelta(1))
    for name, dtype, base in TIMEDELTA_DTYPES:
        cases += temporal_cases(name, dtype, base, pd.Timedelta(seconds=1))
    cases += temporal_cases("decimal_10_2", DECIMAL, Decimal("1.50"), CENT)
    return cases


CASES = build_cases()

# Known generator bugs, as (case id, rows) -> reason; each marks one test xfail.
KNOWN_BUGS: dict[tuple[str, int], str] = {}


def _marks(case_id: str, rows: int | None) -> list[Any]:
    """A strict xfail for a known bug of ``case_id`` at ``rows`` (None: any)."""
    reasons = [
        reason
        for (cid, at), reason in KNOWN_BUGS.items()
        if cid == case_id and (rows is None or at == rows)
    ]
    return [pytest.mark.xfail(strict=True, reason=reasons[0])] if reasons else []


# The default run takes every check on one dtype of each storage and the
# width-specific checks on every width (the other pairs share their code path);
# the slow sweep runs the whole dtype x check product with every seed.
ALL = None
WIDTH = {"unique", "near_max", "near_min"}
STORAGE = {"no_check", "in_range_exclusive", "isin", "unique_values_eq", "unique"}
# gt/lt share the code path of ge/le (plus the exclusive step), so ge/le run
# by default on int8, float16 and str only, and on the rest in the sweep.
STRICT = {"equal_to", "not_equal_to", "gt", "lt", "notin"}
DEFAULT_CHECKS: dict[str, set[str] | None] = {
    "int8": ALL,
    "int64": STORAGE | WIDTH | STRICT,
    "uint64": STORAGE | WIDTH | {"gt", "lt"},
    **dict.fromkeys(
        ["int16", "int32", "uint8", "uint16", "uint32", "Int8", "UInt16"], WIDTH
    ),
    "Int64": STORAGE | WIDTH,
    "arrow_int32": WIDTH,
    "arrow_int64": STORAGE | WIDTH,
    "float16": ALL,
    "float64": STORAGE | STRICT | {"in_range_exclusive_max"},
    "float32": {"gt", "in_range_exclusive", "unique"},
    "Float32": {"gt", "in_range_exclusive", "unique"},
    "Float64": STORAGE,
    "arrow_float64": STORAGE,
    "bool": ALL,
    "boolean": {"no_check", "isin", "unique_values_eq"},
    "arrow_bool": {"no_check", "isin", "unique_values_eq"},
    "str": ALL,
    "object": {"no_check", "isin", "str_matches", "str_startswith", "unique"},
    "string": {"no_check", "isin", "str_matches", "str_length_min_max", "unique"},
    "arrow_string": STORAGE | {"str_matches", "str_length_exact"},
    "arrow_large_string": {"no_check", "isin", "str_matches", "unique"},
    "datetime64ns": STORAGE | STRICT,
    "datetime_us_central": STORAGE | STRICT | {"in_range_single_value"},
    "datetime_ms_utc": STORAGE,
    "arrow_timestamp_us_utc": STORAGE | {"gt"},
    "pandera_date": STORAGE | STRICT,
    "arrow_date32": STORAGE,
    "timedelta64ns": STORAGE | {"gt", "not_equal_to"},
    "arrow_duration_s": STORAGE,
    "decimal_10_2": STORAGE | STRICT,
}


def in_default_run(case_id: str) -> bool:
    dtype_id, check_id = case_id.split("-", 1)
    checks = DEFAULT_CHECKS.get(dtype_id, ALL)
    return checks is ALL or check_id in checks


MATRIX = [
    pytest.param(c, rows, id=f"{c.id}-rows={rows}", marks=_marks(c.id, rows))
    for c in CASES
    if in_default_run(c.id)
    for rows in SIZES
]
SWEEP = [pytest.param(c, id=c.id, marks=_marks(c.id, None)) for c in CASES]


def dtype_matches(declared: Any, actual: Any) -> bool:
    """``actual`` is the declared dtype (any categories if none are declared)."""
    declared = generated_dtype(declared)
    if isinstance(declared, pd.CategoricalDtype) and declared.categories is None:
        return isinstance(actual, pd.CategoricalDtype)
    return actual == declared


def _type_ok(case_: Case, values: list[Any]) -> bool:
    if case_.id.startswith(("pandera_date", "arrow_date32")):
        return all(is_date(v) for v in values)
    if case_.id.startswith("decimal"):
        return all(decimal_exact(v) for v in values)
    if case_.id.startswith("object"):
        return all(isinstance(v, str) for v in values)
    return True


def check_case(case_: Case, rows: int, seeds: tuple[int, ...], exact) -> None:
    if not case_.feasible(rows):
        with pytest.raises(InfeasibleRequestError):
            generate(case_.schema, rows, seed=0)
        return
    for seed in seeds:
        df = generate(case_.schema, rows, seed=seed)
        exact(case_.schema, df, rows)
        assert list(df.columns) == ["v"]
        assert dtype_matches(case_.dtype.type, df["v"].dtype), df["v"].dtype
        assert df["v"].notna().all()  # not nullable: no nulls sneak in
        values = df["v"].tolist()
        assert _type_ok(case_, values), values[:10]
        if case_.expect is not None:
            assert case_.expect(values), (seed, values[:20])


@pytest.mark.parametrize(("case_", "rows"), MATRIX)
def test_dtype_check_validates_exactly(case_: Case, rows: int, exact) -> None:
    check_case(case_, rows, FAST_SEEDS, exact)


@pytest.mark.slow
@pytest.mark.parametrize("case_", SWEEP)
def test_dtype_check_seed_sweep(case_: Case, exact) -> None:
    for rows in SIZES:
        check_case(case_, rows, SEEDS, exact)


def test_ordered_categories_preserved() -> None:
    schema = pa.DataFrameSchema({"v": pa.Column(ORDERED, C.isin(["low", "high"]))})
    for seed in SEEDS:
        dtype = generate(schema, 200, seed=seed)["v"].dtype
        assert isinstance(dtype, pd.CategoricalDtype)
        assert dtype.categories.tolist() == LEVELS
        assert dtype.ordered is True


def test_undeclared_categories_hold_only_allowed_values(exact) -> None:
    schema = pa.DataFrameSchema({"v": pa.Column(pa.Category, C.isin(["x", "y", "z"]))})
    df = generate(schema, 200, seed=3)
    exact(schema, df, 200)
    assert isinstance(df["v"].dtype, pd.CategoricalDtype)
    assert set(df["v"].astype(object)) == {"x", "y", "z"}


# Four ulps above 1.0 in each precision: an open interval holding three values.
FLOAT_ULPS = [
    ("float16", "float16", 2.0**-10),
    ("float32", "float32", 2.0**-23),
    ("float64", "float64", 2.0**-52),
    ("Float32", pd.Float32Dtype(), 2.0**-23),
    ("Float64", pd.Float64Dtype(), 2.0**-52),
    ("arrow_float64", arrow(pyarrow.float64()), 2.0**-52),
]


@pytest.mark.parametrize(
    ("dtype", "ulp"), [pytest.param(d, u, id=i) for i, d, u in FLOAT_ULPS]
)
def test_float_exclusive_bounds_never_hit(dtype: Any, ulp: float, exact) -> None:
    top = 1.0 + 4 * ulp
    schema = pa.DataFrameSchema(
        {
            "v": pa.Column(
                dtype, C.in_range(1.0, top, include_min=False, include_max=False)
            )
        }
    )
    inside = {1.0 + ulp, 1.0 + 2 * ulp, 1.0 + 3 * ulp}
    for seed in SEEDS:
        df = generate(schema, 200, seed=seed)
        exact(schema, df, 200)
        values = set(df["v"].tolist())
        assert values <= inside, sorted(values - inside)
        assert 1.0 not in values
        assert top not in values


@pytest.mark.parametrize(
    ("dtype", "capacity"),
    [
        pytest.param("int8", 256, id="int8"),
        pytest.param("uint8", 256, id="uint8"),
        pytest.param(pd.Int8Dtype(), 256, id="Int8"),
        pytest.param(bool, 2, id="bool"),
    ],
)
def test_unique_uses_whole_narrow_dtype(dtype: Any, capacity: int, exact) -> None:
    schema = pa.DataFrameSchema({"v": pa.Column(dtype, unique=True)})
    df = generate(schema, capacity, seed=0)
    exact(schema, df, capacity)
    assert df["v"].nunique() == capacity
    with pytest.raises(InfeasibleRequestError, match="'v'"):
        generate(schema, capacity + 1, seed=0)


# --------------------------------------------------------------------------
# bounds at the edges of what a dtype holds
# --------------------------------------------------------------------------

SENTINEL_DATE = dt.date(9999, 12, 31)
SENTINEL_TS = pd.Timestamp("9999-12-31")
D42 = pandas_engine.Decimal(4, 2)


def edge(case_id, dtype, checks, expect, reason=None):
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    schema = pa.DataFrameSchema({"v": pa.Column(dtype, list(checks))})
    return pytest.param(schema, expect, id=case_id, marks=marks)


EDGES = [
    edge(
        "int64-in_range_full_width",
        "int64",
        [C.in_range(-(2**63), 2**63 - 1)],
        every(lambda v: isinstance(v, int)),
    ),
    edge(
        "uint64-in_range_full_width",
        "uint64",
        [C.in_range(0, 2**64 - 1)],
        every(lambda v: 0 <= v < 2**64),
    ),
    edge(
        "float16-ge_65000",
        "float16",
        [C.ge(65000.0)],
        every(lambda v: 65000 <= v <= 65504),
    ),
    edge("float32-ge_3e38", "float32", [C.ge(3e38)], every(lambda v: v >= 3e38)),
    edge(
        "datetime64ns-near_max",
        "datetime64[ns]",
        [C.ge(pd.Timestamp.max - HOUR)],
        every(lambda v: v >= pd.Timestamp.max - HOUR),
    ),
    edge(
        "timedelta64ns-near_min",
        "timedelta64[ns]",
        [C.le(pd.Timedelta.min + HOUR)],
        every(lambda v: v <= pd.Timedelta.min + HOUR),
    ),
    edge(
        "decimal_10_2-near_max",
        DECIMAL,
        [C.ge(Decimal("99999999.97"))],
        every(lambda v: v >= Decimal("99999999.97")),
    ),
    edge(
        "decimal_4_2-lt_zero",
        D42,
        [C.lt(0)],
        every(lambda v: Decimal("-99.99") <= v < 0),
    ),
    edge(
        "decimal_10_2-isin_finer_scale",
        DECIMAL,
        [C.isin([Decimal("0.125"), Decimal("0.50")])],
        within([Decimal("0.50")]),
    ),
    edge(
        "pandera_date-le_9999_12_31",
        pa.Date,
        [C.le(SENTINEL_DATE)],
        every(is_date),
    ),
    edge(
        "arrow_date32-le_9999_12_31",
        arrow(pyarrow.date32()),
        [C.le(SENTINEL_DATE)],
        every(is_date),
    ),
    edge(
        "datetime64ms-in_range_to_9999_12_31",
        "datetime64[ms]",
        [C.in_range(pd.Timestamp("2000-01-01"), SENTINEL_TS)],
        every(lambda v: v >= pd.Timestamp("2000-01-01")),
    ),
    edge(
        "datetime64ns-le_9999_12_31",
        "datetime64[ns]",
        [C.le(SENTINEL_TS)],
        every(lambda v: isinstance(v, pd.Timestamp)),
    ),
]


@pytest.mark.parametrize(("schema", "expect"), EDGES)
def test_bound_at_dtype_edge(schema: pa.DataFrameSchema, expect, exact) -> None:
    for seed in SEEDS:
        df = generate(schema, 50, seed=seed)
        exact(schema, df, 50)
        assert expect(df["v"].tolist())


def test_float_bound_beyond_dtype_range_is_contradictory() -> None:
    schema = pa.DataFrameSchema({"v": pa.Column("float16", C.gt(65504.0))})
    with pytest.raises(ContradictoryChecksError, match="'v'") as info:
        generate(schema, 5, seed=0)
    message = str(info.value)
    assert "greater_than(min_value=65504.0)" in message
    assert "float16" in message
    assert re.search(r"\band\s*;", message) is None, message


# --------------------------------------------------------------------------
# nullability
# --------------------------------------------------------------------------

NULLABLE_DTYPES: list[tuple[str, Any, tuple[Any, ...]]] = [
    ("float16", "float16", (C.ge(0.0),)),
    ("float32", "float32", (C.in_range(0.0, 1.0),)),
    ("float64", "float64", ()),
    ("Float32", pd.Float32Dtype(), (C.lt(10.0),)),
    ("Float64", pd.Float64Dtype(), ()),
    ("Int8", pd.Int8Dtype(), (C.ge(0),)),
    ("Int64", pd.Int64Dtype(), ()),
    ("UInt16", pd.UInt16Dtype(), (C.in_range(1, 9),)),
    ("boolean", pd.BooleanDtype(), ()),
    ("str", str, (C.str_length(2, 5),)),
    ("object", object, (C.str_startswith("k"),)),
    ("string", pd.StringDtype(), ()),
    ("category_ordered", ORDERED, ()),
    ("category_undeclared", pa.Category, (C.isin(["x", "y"]),)),
    ("datetime64ns", "datetime64[ns]", ()),
    ("datetime_us_central", pd.DatetimeTZDtype("ns", "US/Central"), ()),
    ("datetime_ms_utc", pd.DatetimeTZDtype("ms", "UTC"), ()),
    ("pandera_date", pa.Date, (C.ge(dt.date(2020, 1, 1)),)),
    ("timedelta64ns", "timedelta64[ns]", ()),
    ("decimal_10_2", DECIMAL, (C.ge(Decimal("0.00")),)),
    ("arrow_int32", arrow(pyarrow.int32()), ()),
    ("arrow_int64", arrow(pyarrow.int64()), (C.ge(0),)),
    ("arrow_float64", arrow(pyarrow.float64()), ()),
    ("arrow_bool", arrow(pyarrow.bool_()), ()),
    ("arrow_string", arrow(pyarrow.string()), ()),
    ("arrow_large_string", arrow(pyarrow.large_string()), ()),
    ("arrow_timestamp_us_utc", arrow(pyarrow.timestamp("us", tz="UTC")), ()),
    ("arrow_date32", arrow(pyarrow.date32()), ()),
    ("arrow_duration_s", arrow(pyarrow.duration("s")), ()),
]


@pytest.mark.parametrize(
    ("dtype", "checks"),
    [pytest.param(d, c, id=i) for i, d, c in NULLABLE_DTYPES],
)
def test_nullable_column_gets_nulls(dtype: Any, checks: tuple, exact) -> None:
    schema = pa.DataFrameSchema({"v": pa.Column(dtype, list(checks), nullable=True)})
    for seed in SEEDS:
        df = generate(schema, 200, seed=seed)
        exact(schema, df, 200)
        assert dtype_matches(schema.columns["v"].dtype.type, df["v"].dtype)
        nulls = int(df["v"].isna().sum())
        assert 0 < nulls < 200, nulls


@pytest.mark.parametrize(
    "dtype",
    ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool"],
)
def test_nullable_numpy_int_and_bool_keep_dtype(dtype: str, exact) -> None:
    schema = pa.DataFrameSchema({"v": pa.Column(dtype, nullable=True)})
    for seed in SEEDS:
        df = generate(schema, 200, seed=seed)
        exact(schema, df, 200)
        assert df["v"].dtype == np.dtype(dtype)
        assert df["v"].notna().all()


# --------------------------------------------------------------------------
# determinism and seeds
# --------------------------------------------------------------------------

MIXED = pa.DataFrameSchema(
    {
        "i8": pa.Column("int8", C.in_range(-5, 5)),
        "u64": pa.Column("uint64"),
        "f16": pa.Column("float16", C.gt(0.0)),
        "f": pa.Column(float, nullable=True),
        "b": pa.Column(bool),
        "s": pa.Column(str, C.str_matches(r"[a-z]{3}\d")),
        "o": pa.Column(object, C.isin(["p", "q"])),
        "cat": pa.Column(ORDERED),
        "ts": pa.Column(pd.DatetimeTZDtype("ns", "US/Central")),
        "d": pa.Column(pa.Date),
        "td": pa.Column("timedelta64[ns]"),
        "dec": pa.Column(DECIMAL),
        "n_int": pa.Column("Int64", nullable=True),
        "n_bool": pa.Column("boolean", nullable=True),
        "a_str": pa.Column(arrow(pyarrow.string())),
        "a_ts": pa.Column(arrow(pyarrow.timestamp("us", tz="UTC"))),
    }
)


@pytest.mark.parametrize("seed", [0, 7, 2**40])
def test_same_seed_same_frame(seed: int, exact) -> None:
    first = generate(MIXED, 50, seed=seed)
    second = generate(MIXED, 50, seed=seed)
    exact(MIXED, first, 50)
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    assert first.dtypes.equals(second.dtypes)
    assert first.attrs["synthdata"]["seed"] == seed


def test_different_seeds_different_frames() -> None:
    a = generate(MIXED, 50, seed=1)
    b = generate(MIXED, 50, seed=2)
    assert not a.equals(b)
    # Not one lucky column: every free column differs between the two seeds.
    for name in ("u64", "f16", "s", "ts", "d", "td", "dec", "a_str"):
        assert not a[name].equals(b[name]), name


def test_seed_recorded_in_attrs() -> None:
    df = generate(MIXED, 3, seed=123)
    assert df.attrs["synthdata"]["seed"] == 123
    assert df.attrs["synthdata"]["rows"] == 3


def test_seed_none_draws_fresh_seed_and_reproduces(exact) -> None:
    first = generate(MIXED, 20)
    second = generate(MIXED, 20)
    seed = first.attrs["synthdata"]["seed"]
    assert isinstance(seed, int)
    assert seed >= 0
    assert seed != second.attrs["synthdata"]["seed"]
    exact(MIXED, first, 20)
    again = generate(MIXED, 20, seed=seed)
    pd.testing.assert_frame_equal(again, first, check_exact=True)


def test_empty_frame_keeps_every_dtype(exact) -> None:
    df = generate(MIXED, 0, seed=0)
    exact(MIXED, df, 0)
    for name, column in MIXED.columns.items():
        assert df[name].dtype == generated_dtype(column.dtype), name
