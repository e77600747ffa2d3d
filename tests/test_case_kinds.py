"""One test per kind of real-world failure of schema-driven data generation.

Each kind was reported against other generators (see the failure-case log the
project keeps); the schemas here are small re-creations of the same kind, with
their own names and values, plus the error messages a user sees when a request
cannot be met.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings

import pandas as pd
import pandera.pandas as pa
import pyarrow
import pytest
from pandera.typing import Series

from pytest_synthdata import _api, generate
from pytest_synthdata.errors import (
    ChecksUnmetError,
    ContradictoryChecksError,
    InfeasibleRequestError,
    SlowPathWarning,
    UnsupportedSchemaError,
)

C = pa.Check


@pytest.fixture
def no_generation(monkeypatch):
    """Fail the test if any frame is drawn: the request must be rejected first."""

    def boom(*args, **kwargs):
        raise AssertionError("a frame was generated before the request was rejected")

    monkeypatch.setattr(_api, "generate_frame", boom)


# --------------------------------------------------------------------------
# scale and strings
# --------------------------------------------------------------------------

WideModel = type(
    "WideModel",
    (pa.DataFrameModel,),
    {"__annotations__": {f"attr_{i:02d}": Series[str] for i in range(44)}},
)


def test_many_string_columns(exact) -> None:
    df = generate(WideModel, 1000, seed=11)
    exact(WideModel, df, 1000)
    assert df.shape == (1000, 44)
    # Without coerce, string columns carry pandas' nullable string dtype.
    assert (df.dtypes == pd.StringDtype(na_value=pd.NA)).all()
    assert df.notna().all().all()
    # Columns are drawn independently and rows are not copies of each other.
    assert df.T.drop_duplicates().shape[0] == 44
    assert not df.duplicated().any()


URL = (
    r"^sftp://[a-z]{2,8}(-[a-z0-9]{1,4})*\.(io|dev|net)"
    r"/files/[a-z0-9_]{1,12}\.(csv|json|xml)$"
)


def test_url_like_regex_with_length(exact) -> None:
    schema = pa.DataFrameSchema(
        {
            "download": pa.Column(str, [C.str_matches(URL), C.str_length(22, 48)]),
            "kind": pa.Column(str, C.isin(["raw", "clean", "final"])),
        }
    )
    df = generate(schema, 300, seed=5)
    exact(schema, df, 300)
    for value in df["download"]:
        assert re.fullmatch(URL, value), value
        assert 22 <= len(value) <= 48, value
    assert set(df["kind"]) == {"raw", "clean", "final"}
    assert df["download"].nunique() > 250  # built from the pattern, not repeated


def test_prefix_suffix_and_length_window(exact) -> None:
    schema = pa.DataFrameSchema(
        {
            "sku": pa.Column(
                str,
                [C.str_startswith("SKU_"), C.str_endswith("_X"), C.str_length(7, 9)],
            )
        }
    )
    df = generate(schema, 500, seed=2)
    exact(schema, df, 500)
    assert df["sku"].str.startswith("SKU_").all()
    assert df["sku"].str.endswith("_X").all()
    lengths = df["sku"].str.len()
    assert lengths.between(7, 9).all()
    assert lengths.nunique() > 1  # the whole window is used, not one length


@pytest.mark.parametrize("rows", [1, 200])
def test_exact_string_length(rows: int, exact) -> None:
    schema = pa.DataFrameSchema(
        {
            "iso": pa.Column(str, C.str_length(exact_value=5)),
            "iso_key": pa.Column(str, C.str_length(exact_value=2), unique=True),
        }
    )
    df = generate(schema, rows, seed=9)
    exact(schema, df, rows)
    assert (df["iso"].str.len() == 5).all()
    assert (df["iso_key"].str.len() == 2).all()
    assert df["iso_key"].is_unique


def test_isin_mix_at_1000_rows(exact) -> None:
    tiers = ["free", "team", "business", "enterprise"]
    schema = pa.DataFrameSchema(
        {
            "remark": pa.Column(str),
            "tier": pa.Column(str, C.isin(tiers)),
            "region_code": pa.Column(int, C.isin([4, 8])),
            "billing_months": pa.Column(int, C.isin([1, 3, 6, 12, 24, 36])),
            "seats": pa.Column(int, [C.gt(0), C.le(500)]),
        }
    )
    df = generate(schema, 1000, seed=21)
    exact(schema, df, 1000)
    assert set(df["tier"]) == set(tiers)
    assert set(df["region_code"]) == {4, 8}
    assert set(df["billing_months"]) == {1, 3, 6, 12, 24, 36}
    assert df["seats"].between(1, 500).all()


# --------------------------------------------------------------------------
# temporal
# --------------------------------------------------------------------------

BERLIN = "Europe/Berlin"


def test_tz_aware_non_utc_range_with_exclusive_max(exact) -> None:
    lo = pd.Timestamp("2021-01-01", tz=BERLIN)
    hi = pd.Timestamp("2022-01-01", tz=BERLIN)
    schema = pa.DataFrameSchema(
        {
            "logged_at": pa.Column(
                pd.DatetimeTZDtype("ns", BERLIN),
                C.in_range(lo, hi, include_max=False),
            ),
            "weight": pa.Column(float, C.ge(0)),
        }
    )
    df = generate(schema, 1000, seed=4)
    exact(schema, df, 1000)
    assert str(df["logged_at"].dtype) == "datetime64[ns, Europe/Berlin]"
    assert (df["logged_at"] >= lo).all()
    assert (df["logged_at"] < hi).all()
    # Local wall-clock time is in 2021, including around both DST switches.
    assert (df["logged_at"].dt.year == 2021).all()
    assert df["logged_at"].dt.month.nunique() == 12


def test_tz_window_over_the_repeated_dst_hour(exact) -> None:
    # 2021-10-31 02:00-03:00 happens twice in Berlin; this window is both.
    lo = pd.Timestamp("2021-10-31 02:00+02:00").tz_convert(BERLIN)
    hi = pd.Timestamp("2021-10-31 03:00", tz=BERLIN)
    schema = pa.DataFrameSchema(
        {
            "ts": pa.Column(
                pd.DatetimeTZDtype("ns", BERLIN),
                C.in_range(lo, hi, include_max=False),
            )
        }
    )
    df = generate(schema, 200, seed=8)
    exact(schema, df, 200)
    assert ((df["ts"] >= lo) & (df["ts"] < hi)).all()
    offsets = {ts.utcoffset() for ts in df["ts"]}
    assert offsets == {dt.timedelta(hours=2), dt.timedelta(hours=1)}


class Booking(pa.DataFrameModel):
    check_in: Series[pa.Date] = pa.Field(ge=dt.date(2021, 7, 1))
    nights: Series[int] = pa.Field(ge=1, le=14)


def test_date_with_lower_bound(exact) -> None:
    df = generate(Booking, 200, seed=13)
    exact(Booking, df, 200)
    for day in df["check_in"]:
        assert type(day) is dt.date
        assert day >= dt.date(2021, 7, 1)
    assert df["nights"].between(1, 14).all()


def test_timedelta_range(exact) -> None:
    lo, hi = pd.Timedelta(seconds=30), pd.Timedelta(hours=2)
    schema = pa.DataFrameSchema(
        {"wait": pa.Column("timedelta64[ns]", C.in_range(lo, hi))}
    )
    df = generate(schema, 500, seed=6)
    exact(schema, df, 500)
    assert df["wait"].dtype == "timedelta64[ns]"
    assert df["wait"].between(lo, hi).all()


# --------------------------------------------------------------------------
# nullability
# --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_nullable_numpy_int_bool_keep_dtype_float_gets_nulls(seed: int, exact):
    schema = pa.DataFrameSchema(
        {
            "pieces": pa.Column(int, nullable=True),
            "in_stock": pa.Column(bool, nullable=True),
            "discount": pa.Column(float, nullable=True),
        }
    )
    df = generate(schema, 200, seed=seed)
    exact(schema, df, 200)
    assert df["pieces"].dtype == "int64"
    assert df["in_stock"].dtype == "bool"
    assert df["pieces"].notna().all()
    assert df["in_stock"].notna().all()
    assert 0 < df["discount"].isna().sum() < 200


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_nullable_extension_dtypes_get_nulls(seed: int, exact) -> None:
    schema = pa.DataFrameSchema(
        {
            "visits": pa.Column("Int32", C.ge(0), nullable=True),
            "opted_in": pa.Column("boolean", nullable=True),
            "nickname": pa.Column("string", nullable=True),
            "score": pa.Column("Float64", C.in_range(0, 1), nullable=True),
        }
    )
    df = generate(schema, 200, seed=seed)
    exact(schema, df, 200)
    assert str(df["visits"].dtype) == "Int32"
    assert str(df["opted_in"].dtype) == "boolean"
    assert str(df["score"].dtype) == "Float64"
    # "string" gives pandas' nullable string dtype, whose null is pd.NA.
    assert str(df["nickname"].dtype) == "string"
    assert df["nickname"].isna().any()
    assert df["nickname"].dtype.na_value is pd.NA
    for name in df.columns:
        assert 0 < df[name].isna().sum() < 200, name


# --------------------------------------------------------------------------
# categories and dtypes
# --------------------------------------------------------------------------


def test_categorical_rare_category_appears(exact) -> None:
    flavours = ["vanilla", "chocolate", "mint", "lemon", "durian"]
    schema = pa.DataFrameSchema(
        {
            "flavour": pa.Column(pd.CategoricalDtype(flavours)),
            "litres": pa.Column(float, C.ge(0)),
        }
    )
    df = generate(schema, 1000, seed=17)
    exact(schema, df, 1000)
    assert df["flavour"].dtype == pd.CategoricalDtype(flavours)
    assert df["flavour"].cat.categories.tolist() == flavours
    assert set(df["flavour"]) == set(flavours)
    assert "durian" in set(df["flavour"])


def test_pyarrow_scalar_dtypes_kept(exact) -> None:
    schema = pa.DataFrameSchema(
        {
            "account": pa.Column(pd.ArrowDtype(pyarrow.int64()), C.ge(0)),
            "handle": pa.Column(pd.ArrowDtype(pyarrow.string()), C.str_length(1, 20)),
            "joined": pa.Column(pd.ArrowDtype(pyarrow.timestamp("us"))),
            "active": pa.Column(pd.ArrowDtype(pyarrow.bool_())),
        }
    )
    df = generate(schema, 200, seed=3)
    exact(schema, df, 200)
    assert {c: str(t) for c, t in df.dtypes.items()} == {
        "account": "int64[pyarrow]",
        "handle": "string[pyarrow]",
        "joined": "timestamp[us][pyarrow]",
        "active": "bool[pyarrow]",
    }
    assert (df["account"] >= 0).all()
    assert df["handle"].str.len().between(1, 20).all()


NESTED = {
    "list": pyarrow.list_(pyarrow.int32()),
    "struct": pyarrow.struct([("lat", pyarrow.float64()), ("lon", pyarrow.float64())]),
    "list of structs": pyarrow.list_(
        pyarrow.struct([("sku", pyarrow.string()), ("qty", pyarrow.int16())])
    ),
    "fixed-size list": pyarrow.list_(pyarrow.float32(), 3),
    "map": pyarrow.map_(pyarrow.string(), pyarrow.timestamp("us", "UTC")),
    "list of lists": pyarrow.list_(pyarrow.list_(pyarrow.date32())),
    "binary": pyarrow.binary(),
    "decimal list": pyarrow.list_(pyarrow.decimal128(8, 2)),
}


@pytest.mark.parametrize("name", list(NESTED))
def test_nested_pyarrow_columns_hold_values_of_their_type(name, exact) -> None:
    nested = NESTED[name]
    schema = pa.DataFrameSchema(
        {
            "ok": pa.Column(int),
            "payload": pa.Column(pd.ArrowDtype(nested), nullable=True),
        }
    )
    df = exact(schema, generate(schema, 300, seed=0), 300)
    values = pyarrow.array(df["payload"].array)
    assert values.type == nested
    assert 0 < values.null_count < 300  # nullable: some nulls, not all
    if pyarrow.types.is_list(nested):
        lengths = pyarrow.compute.list_value_length(values).drop_null()
        assert set(lengths.to_pylist()) == set(range(6))  # 0 to 5 items
    if pyarrow.types.is_struct(nested):
        fields = values.drop_null().to_pylist()[0]
        assert set(fields) == {"lat", "lon"}


def test_nested_columns_are_stressed_with_nulls_and_drawn_by_strategies() -> None:
    from hypothesis import given, settings

    from pytest_synthdata.strategies import frames

    schema = pa.DataFrameSchema(
        {
            "tags": pa.Column(
                pd.ArrowDtype(pyarrow.list_(pyarrow.int64())), nullable=True
            )
        }
    )
    stressed = generate(schema, 50, seed=1, stress=True)
    coverage = stressed.attrs["synthdata"]["stress"]
    injected = {c["edge"] for c in coverage if c["status"] == "injected"}
    assert injected == {"null", "a repeated value"}

    @settings(max_examples=20)
    @given(frames(schema, max_rows=5))
    def check(df):
        schema.validate(df)

    check()


@pytest.mark.parametrize(
    ("column", "what"),
    [
        (
            pa.Column(pd.ArrowDtype(pyarrow.list_(pyarrow.int64())), pa.Check.ge(0)),
            "greater_than_or_equal_to",
        ),
        (
            pa.Column(pd.ArrowDtype(pyarrow.list_(pyarrow.int64())), unique=True),
            "unique",
        ),
    ],
)
def test_built_in_checks_on_nested_columns_are_refused_by_name(column, what) -> None:
    schema = pa.DataFrameSchema({"payload": column})
    with pytest.raises(UnsupportedSchemaError, match=f"'payload'.*{what}") as info:
        generate(schema, 5, seed=0)
    assert "currently unsupported" in str(info.value)


def test_custom_checks_on_nested_columns_are_met() -> None:
    schema = pa.DataFrameSchema(
        {
            "tags": pa.Column(
                pd.ArrowDtype(pyarrow.list_(pyarrow.int64())),
                pa.Check(lambda s: s.list.len() >= 2),
            )
        }
    )
    with pytest.warns(SlowPathWarning):
        df = generate(schema, 200, seed=2)
    assert (df["tags"].list.len() >= 2).all()
    schema.validate(df)


def test_nested_types_with_leaves_not_generated_are_refused() -> None:
    schema = pa.DataFrameSchema(
        {"t": pa.Column(pd.ArrowDtype(pyarrow.list_(pyarrow.time64("us"))))}
    )
    with pytest.raises(UnsupportedSchemaError, match=r"'t'.*currently unsupported"):
        generate(schema, 5, seed=0)


# --------------------------------------------------------------------------
# uniqueness
# --------------------------------------------------------------------------


def _grid_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {"units": pa.Column(int, C.ge(0))},
        index=pa.MultiIndex(
            [
                pa.Index(int, C.in_range(0, 2), name="aisle"),
                pa.Index(int, C.in_range(1, 4), name="bay"),
            ],
            unique=True,
        ),
    )


@pytest.mark.parametrize("rows", [5, 10, 12])
def test_multiindex_unique_small_domain(rows: int, exact) -> None:
    schema = _grid_schema()
    df = generate(schema, rows, seed=1)
    exact(schema, df, rows)
    assert df.index.is_unique
    assert list(df.index.names) == ["aisle", "bay"]
    assert set(df.index.get_level_values("aisle")) <= {0, 1, 2}
    assert set(df.index.get_level_values("bay")) <= {1, 2, 3, 4}


def test_multiindex_unique_beyond_product_rejected_up_front(no_generation) -> None:
    with pytest.raises(
        InfeasibleRequestError, match=r"only 12 distinct combinations.*13 rows"
    ) as info:
        generate(_grid_schema(), 13, seed=1)
    assert "aisle" in str(info.value)
    assert "bay" in str(info.value)


class Slots(pa.DataFrameModel):
    slot_id: Series[int] = pa.Field(unique=True, ge=10, le=15)
    shift: Series[str] = pa.Field(isin=["early", "late"])

    class Config:
        coerce = True
        strict = True


def test_unique_narrow_range_is_a_permutation(exact) -> None:
    df = generate(Slots, 6, seed=0)
    exact(Slots, df, 6)
    assert sorted(df["slot_id"]) == [10, 11, 12, 13, 14, 15]


def test_unique_narrow_range_one_row_too_many(no_generation) -> None:
    with pytest.raises(InfeasibleRequestError, match=r"'slot_id'.*only 6 distinct"):
        generate(Slots, 7, seed=0)


def _zone_tier() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "zone": pa.Column(str, C.isin(["east", "west", "north"])),
            "tier": pa.Column(int, C.isin([10, 20, 30])),
        },
        unique=["zone", "tier"],
    )


def test_joint_unique_over_small_domain(exact) -> None:
    schema = _zone_tier()
    df = generate(schema, 9, seed=4)
    exact(schema, df, 9)
    pairs = set(zip(df["zone"], df["tier"], strict=True))
    assert len(pairs) == 9
    # Jointly unique, not each column on its own: every value repeats.
    assert df["zone"].value_counts().tolist() == [3, 3, 3]
    assert df["tier"].value_counts().tolist() == [3, 3, 3]


def test_joint_unique_one_row_too_many(no_generation) -> None:
    with pytest.raises(InfeasibleRequestError, match=r"only 9 distinct combinations"):
        generate(_zone_tier(), 10, seed=4)


# --------------------------------------------------------------------------
# custom and frame-level checks
# --------------------------------------------------------------------------


def _shift_model() -> type[pa.DataFrameModel]:
    class Shift(pa.DataFrameModel):
        opened: Series[pd.Timestamp]
        closed: Series[pd.Timestamp]

        @pa.dataframe_check
        def closes_after_opening(cls, df: pd.DataFrame) -> Series[bool]:
            return df["closed"] >= df["opened"]

    return Shift


def test_frame_check_relating_two_columns(exact) -> None:
    shift = _shift_model()  # a fresh schema: its warning has not been emitted
    with pytest.warns(SlowPathWarning, match="closes_after_opening") as record:
        df = generate(shift, 100, seed=12)
    assert sum(issubclass(w.category, SlowPathWarning) for w in record) == 1
    exact(shift, df, 100)
    assert (df["closed"] >= df["opened"]).all()
    # Once per schema: generating again does not warn again.
    with warnings.catch_warnings(record=True) as again:
        warnings.simplefilter("always")
        generate(shift, 100, seed=13)
    assert not [w for w in again if issubclass(w.category, SlowPathWarning)]


# --------------------------------------------------------------------------
# error messages
# --------------------------------------------------------------------------


def test_contradictory_range_names_column_and_both_checks() -> None:
    schema = pa.DataFrameSchema(
        {"score": pa.Column(int, [C.in_range(0, 10), C.ge(20)])}
    )
    with pytest.raises(ContradictoryChecksError) as info:
        generate(schema, 5, seed=0)
    message = str(info.value)
    assert "'score'" in message
    assert "in_range" in message
    assert "greater_than_or_equal_to" in message


def test_contradictory_isin_and_length_names_column() -> None:
    schema = pa.DataFrameSchema(
        {"code": pa.Column(str, [C.isin(["ab", "abc", "abcd"]), C.str_length(6, 8)])}
    )
    with pytest.raises(ContradictoryChecksError) as info:
        generate(schema, 5, seed=0)
    message = str(info.value)
    assert "'code'" in message
    assert "str_length" in message
    assert "isin" in message


def test_unmeetable_custom_check_raises_checks_unmet() -> None:
    never = C(lambda x: x < 0, element_wise=True, name="below_zero")
    schema = pa.DataFrameSchema({"qty": pa.Column(int, [C.in_range(0, 1000), never])})
    with pytest.raises(ChecksUnmetError) as info:
        generate(schema, 50, seed=0)
    message = str(info.value)
    assert "below_zero" in message
    assert re.search(r"acceptance", message, re.IGNORECASE)
    assert re.search(r"\d+(\.\d+)?%", message)


def test_frame_check_rejecting_empty_frames_with_zero_rows() -> None:
    schema = pa.DataFrameSchema(
        {"n": pa.Column(int)},
        checks=C(lambda df: len(df) > 0, name="not_empty"),
    )
    with pytest.raises(InfeasibleRequestError, match="at least 1 row"):
        generate(schema, 0, seed=0)


def test_unique_values_eq_needs_enough_rows(no_generation) -> None:
    schema = pa.DataFrameSchema(
        {"grade": pa.Column(str, C.unique_values_eq(["A", "B", "C", "D"]))}
    )
    with pytest.raises(InfeasibleRequestError, match=r"'grade'.*at least 4 rows"):
        generate(schema, 3, seed=0)


def test_nested_columns_are_fitted_inferred_and_compared() -> None:
    import warnings

    from pytest_synthdata import compare, fit

    schema = pa.DataFrameSchema(
        {
            "x": pa.Column(float),
            "tags": pa.Column(
                pd.ArrowDtype(pyarrow.list_(pyarrow.int64())), nullable=True
            ),
            "raw": pa.Column(pd.ArrowDtype(pyarrow.binary())),
        }
    )
    real = generate(schema, 2000, seed=1)
    shape = fit(real)  # an inferred schema keeps their types and nulls
    assert shape.schema.columns["tags"].dtype.type == real["tags"].dtype
    assert "nested" in shape.notes["fitted"]["tags"]
    synthetic = generate(shape.schema, 2000, seed=2, shape=shape)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = compare(real, synthetic)
    assert report.auc == report.auc  # a number: the nulls of long text count
    tags = report.table.set_index("column").loc["tags"]
    assert tags["null synthetic"] == pytest.approx(0.1, abs=0.03)
