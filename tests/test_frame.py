"""Frame features: index, MultiIndex, joint uniqueness, regex names, custom checks."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.typing import Index, Series

from pytest_synthdata import generate
from pytest_synthdata.errors import (
    ChecksUnmetError,
    InfeasibleRequestError,
    SlowPathWarning,
)
from tests.conftest import assert_exact

SIZES = [0, 1, 9, 250]


@pytest.mark.parametrize("rows", SIZES)
def test_index_with_its_own_dtype_checks_and_uniqueness(rows):
    schema = pa.DataFrameSchema(
        {"v": pa.Column(float)},
        index=pa.Index("uint32", pa.Check.in_range(10, 100_000), unique=True, name="k"),
    )
    df = generate(schema, rows, seed=rows)
    assert_exact(schema, df, rows)
    assert df.index.is_unique
    assert df.index.name == "k"
    assert str(df.index.dtype) == "uint32"


@pytest.mark.parametrize("rows", SIZES)
def test_multiindex_levels_keep_dtypes_and_joint_uniqueness(rows):
    schema = pa.DataFrameSchema(
        {"stock": pa.Column(int, pa.Check.ge(0))},
        index=pa.MultiIndex(
            [
                pa.Index(pd.DatetimeTZDtype("ns", "UTC"), name="day"),
                pa.Index(str, pa.Check.isin(["a", "b", "c"]), name="shop"),
                pa.Index(int, pa.Check.in_range(1, 3), name="shelf"),
            ],
            unique=True,
        ),
    )
    df = generate(schema, rows, seed=3)
    assert_exact(schema, df, rows)
    assert df.index.is_unique


def test_multiindex_uniqueness_over_a_tiny_product_enumerates_it():
    schema = pa.DataFrameSchema(
        {"x": pa.Column(int)},
        index=pa.MultiIndex(
            [
                pa.Index(int, pa.Check.isin([1, 2]), name="a"),
                pa.Index(str, pa.Check.isin(["p", "q", "r"]), name="b"),
            ],
            unique=True,
        ),
    )
    df = generate(schema, 6, seed=0)
    assert_exact(schema, df, 6)
    assert sorted(df.index.tolist()) == [
        (a, b) for a in (1, 2) for b in ("p", "q", "r")
    ]
    with pytest.raises(InfeasibleRequestError, match="only 6 distinct combinations"):
        generate(schema, 7, seed=0)


def test_joint_unique_over_wide_domains_is_met_by_redrawing_duplicates():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(int, pa.Check.in_range(0, 40)),
            "b": pa.Column(str, pa.Check.str_matches(r"^[xy][0-9]$")),
        },
        unique=["a", "b"],
    )
    df = generate(schema, 600, seed=1)
    assert_exact(schema, df, 600)
    assert not df.duplicated(["a", "b"]).any()


def test_model_with_index_alias_and_config():
    class Trips(pa.DataFrameModel):
        trip: Index[int] = pa.Field(ge=1, unique=True, check_name=True)
        start: Series[pd.Timestamp] = pa.Field(ge=pd.Timestamp("2024-01-01"))
        rider: Series[str] = pa.Field(alias="Rider Name", str_length={"min_value": 2})
        fare: Series[float] = pa.Field(gt=0, nullable=True, default=None)

        class Config:
            strict = True
            ordered = True
            coerce = True

    df = generate(Trips, 120, seed=4)
    assert list(df.columns) == ["start", "Rider Name", "fare"]
    assert_exact(Trips, df, 120)


def test_optional_columns_are_present_and_defaults_block_nulls():
    schema = pa.DataFrameSchema(
        {
            "opt": pa.Column(int, required=False),
            "filled": pa.Column(float, nullable=True, default=0.0),
        },
        add_missing_columns=True,
    )
    df = generate(schema, 200, seed=2)
    assert "opt" in df.columns
    assert not df["filled"].isna().any()  # validate would fill them otherwise
    assert_exact(schema, df, 200)


def test_element_wise_custom_check_is_met_and_warns_once():
    schema = pa.DataFrameSchema(
        {"lat": pa.Column(float, pa.Check(lambda v: -90 <= v <= 90, element_wise=True))}
    )
    with pytest.warns(SlowPathWarning, match="generated, checked and regenerated"):
        df = generate(schema, 300, seed=0)
    assert_exact(schema, df, 300)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        generate(schema, 300, seed=1)  # the same schema does not warn again


def test_nulls_of_a_custom_checked_column_keep_their_rate():
    schema = pa.DataFrameSchema(
        {"x": pa.Column(float, pa.Check(lambda s: s.abs() < 150), nullable=True)}
    )
    with pytest.warns(SlowPathWarning):
        df = generate(schema, 400, seed=9)
    assert_exact(schema, df, 400)
    assert df["x"].isna().sum() == pytest.approx(40, abs=1)


def test_dataframe_check_over_rows_keeps_passing_rows():
    class Span(pa.DataFrameModel):
        start: Series[pd.Timestamp]
        end: Series[pd.Timestamp]

        @pa.dataframe_check
        def ordered(cls, df: pd.DataFrame) -> Series[bool]:
            return df["end"] >= df["start"]

    with pytest.warns(SlowPathWarning):
        df = generate(Span, 500, seed=5)
    assert_exact(Span, df, 500)


def test_whole_frame_rule_over_rows_is_located_by_bisection():
    def mostly_small(df: pd.DataFrame) -> bool:
        return bool((df["a"] < 950).all())

    schema = pa.DataFrameSchema(
        {"a": pa.Column(int, pa.Check.in_range(0, 1000))},
        checks=[pa.Check(mostly_small)],
    )
    with pytest.warns(SlowPathWarning):
        df = generate(schema, 800, seed=0)
    assert_exact(schema, df, 800)


def test_order_only_column_rule_is_met_by_sorting():
    def is_sorted(s: pd.Series) -> bool:
        return bool(s.is_monotonic_increasing)

    schema = pa.DataFrameSchema(
        {"t": pa.Column("datetime64[ns]", pa.Check(is_sorted), unique=True)}
    )
    with pytest.warns(SlowPathWarning):
        df = generate(schema, 300, seed=0)
    assert_exact(schema, df, 300)


def test_rule_no_generator_can_meet_fails_fast_naming_it():
    schema = pa.DataFrameSchema(
        {"w": pa.Column(float, pa.Check.ge(0))},
        checks=[pa.Check(lambda df: abs(df["w"].sum() - 100) < 0.01, name="sum_100")],
    )
    with (
        pytest.warns(SlowPathWarning),
        pytest.raises(
            ChecksUnmetError, match=r"custom check 'sum_100' on the frame \(0\.0%\)"
        ),
    ):
        generate(schema, 50, seed=0)


def test_unmet_element_check_reports_acceptance_per_check():
    schema = pa.DataFrameSchema(
        {
            "code": pa.Column(
                str,
                pa.Check(
                    lambda v: v in {"USD", "EUR"},
                    element_wise=True,
                    name="known_currency",
                ),
            )
        }
    )
    with (
        pytest.warns(SlowPathWarning),
        pytest.raises(
            ChecksUnmetError,
            match=r"known_currency' on column 'code' \(0\.0%\).*isin, in_range",
        ),
    ):
        generate(schema, 20, seed=0)


def test_requested_rows_below_a_check_minimum_is_a_clear_error():
    schema = pa.DataFrameSchema(
        {"level": pa.Column(str, pa.Check.unique_values_eq(["lo", "mid", "hi"]))}
    )
    with pytest.raises(InfeasibleRequestError, match="at least 3 rows"):
        generate(schema, 2, seed=0)
    df = generate(schema, 3, seed=0)
    assert sorted(df["level"]) == ["hi", "lo", "mid"]


def test_empty_frame_rejected_by_a_frame_check_needs_rows():
    schema = pa.DataFrameSchema(
        {"x": pa.Column(int)}, checks=[pa.Check(lambda df: len(df) > 0)]
    )
    with (
        pytest.warns(SlowPathWarning),
        pytest.raises(InfeasibleRequestError, match="rejects a frame with 0 rows"),
    ):
        generate(schema, 0, seed=0)


def test_unique_string_pattern_with_small_language_is_infeasible():
    schema = pa.DataFrameSchema(
        {"c": pa.Column(str, pa.Check.str_matches(r"^[ab]$"), unique=True)}
    )
    assert_exact(schema, generate(schema, 2, seed=0), 2)
    with pytest.raises(InfeasibleRequestError, match="column 'c' is unique"):
        generate(schema, 3, seed=0)


def test_unique_float_column_has_no_duplicates():
    schema = pa.DataFrameSchema({"f": pa.Column("float16", unique=True)})
    df = generate(schema, 2000, seed=0)
    assert_exact(schema, df, 2000)


def test_no_global_random_state_is_touched():
    np.random.seed(123)  # noqa: NPY002 - the legacy global state is the point
    expected = np.random.random()  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002 - the legacy global state is the point
    generate(pa.DataFrameSchema({"x": pa.Column(float)}), 100, seed=0)
    assert np.random.random() == expected  # noqa: NPY002


def test_adding_a_column_does_not_change_the_others():
    one = pa.DataFrameSchema({"a": pa.Column(int), "b": pa.Column(str)})
    two = pa.DataFrameSchema(
        {"a": pa.Column(int), "new": pa.Column(float), "b": pa.Column(str)}
    )
    x, y = generate(one, 50, seed=8), generate(two, 50, seed=8)
    pd.testing.assert_frame_equal(x, y[["a", "b"]])


def test_threads_generating_at_once_get_the_frames_of_their_seeds():
    from concurrent.futures import ThreadPoolExecutor

    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(int, pa.Check.in_range(0, 10**6), unique=True),
            "b": pa.Column(str, pa.Check.str_matches(r"^[a-z]{3,8}$")),
            "c": pa.Column(float, nullable=True),
        }
    )
    seeds = list(range(16))
    expected = [generate(schema, 300, seed=s) for s in seeds]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda s: generate(schema, 300, seed=s), seeds))
    for want, have in zip(expected, got, strict=True):
        pd.testing.assert_frame_equal(want, have)
