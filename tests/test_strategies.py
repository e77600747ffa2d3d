"""Hypothesis strategies: validity, edge cases, shrinking, health and replay."""

from __future__ import annotations

import datetime as dt
import math
import warnings

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import HealthCheck, find, given, seed, settings
from hypothesis import strategies as st
from hypothesis.database import InMemoryExampleDatabase

from pytest_synthdata.errors import (
    ChecksUnmetError,
    InfeasibleRequestError,
    InvalidArgumentError,
)
from pytest_synthdata.strategies import frames
from tests.conftest import assert_exact
from tests.test_corpus import PATHS, UNMEETABLE, _schema

C = pa.Check
QUIET = settings(database=None, deadline=None)
FIND = settings(database=None, max_examples=2000)
# Default health checks except the ones measured in seconds (benchmarks time
# the speed; bench_strategies.py gives examples a second).
TIMELESS = settings(
    database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

MIXED = pa.DataFrameSchema(
    {
        "count": pa.Column(int, C.in_range(0, 10)),
        "ratio": pa.Column(float, C.gt(0), nullable=True),
        "open": pa.Column(float, C.in_range(0.0, 1.0, include_max=False)),
        "free": pa.Column(float),
        "label": pa.Column(str, C.str_length(0, 8)),
        "code": pa.Column(str, C.str_matches(r"^[A-Z]{3}-\d{2,4}$")),
        "tier": pa.Column(str, C.isin(["gold", "silver", "rare"])),
        "seen": pa.Column(
            pd.DatetimeTZDtype("ns", "US/Central"),
            C.in_range(
                pd.Timestamp("2020-01-01", tz="US/Central"),
                pd.Timestamp("2021-01-01", tz="US/Central"),
            ),
            nullable=True,
        ),
        "day": pa.Column(pa.Date, C.ge(dt.date(2020, 1, 1))),
        "wait": pa.Column("timedelta64[ns]", nullable=True),
        "small": pa.Column("Int8", nullable=True),
        "flag": pa.Column(bool),
    },
    name="Mixed",
)


def _first(strategy):
    """One frame drawn as a test would draw it (```` is for shells)."""
    out = []

    @settings(database=None, max_examples=1, deadline=None)
    @given(strategy)
    def draw_one(df):
        out.append(df)

    draw_one()
    return out[0]


def _find(strategy, condition):
    """The minimal frame meeting ``condition`` (Hypothesis' own shrinker)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return find(strategy, condition, settings=FIND)


# --------------------------------------------------------------------------
# validity
# --------------------------------------------------------------------------


@QUIET
@given(df=frames(MIXED, max_rows=30))
def test_every_frame_of_many_dtypes_validates_exactly(df: pd.DataFrame) -> None:
    assert_exact(MIXED, df)
    assert df.attrs["synthdata"]["strategy"] is True


FRAME_RULES = pa.DataFrameSchema(
    {
        "lo": pa.Column(int, C.in_range(0, 100)),
        "hi": pa.Column(int, C.in_range(0, 100)),
        "even": pa.Column(int, C(lambda s: s % 2 == 0, element_wise=False)),
        "key": pa.Column(int, C.ge(0), unique=True),
    },
    checks=[C(lambda df: df["lo"] <= df["hi"])],
    unique=["lo", "hi"],
)


@QUIET
@given(df=frames(FRAME_RULES, max_rows=40))
def test_custom_frame_level_and_joint_unique_rules_hold(df: pd.DataFrame) -> None:
    assert_exact(FRAME_RULES, df)


@pytest.mark.skipif(not PATHS, reason="../shared/corpus is not present")
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem[:3])
def test_corpus_frames_validate_at_default_health_checks(path) -> None:
    if path.stem[:3] in UNMEETABLE:
        pytest.skip(UNMEETABLE[path.stem[:3]])
    schema = _schema(path)

    # The health checks that count choices and rejections, not seconds: the
    # timed ones (too_slow, the deadline) run in the slow-marked test below.
    @settings(TIMELESS, max_examples=25)
    @given(frames(schema))
    def check(df: pd.DataFrame) -> None:
        assert_exact(schema, df)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the slow-path notice is expected
        check()


@pytest.mark.slow
@pytest.mark.skipif(not PATHS, reason="../shared/corpus is not present")
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem[:3])
def test_corpus_frames_at_full_default_settings(path) -> None:
    if path.stem[:3] in UNMEETABLE:
        pytest.skip(UNMEETABLE[path.stem[:3]])
    schema = _schema(path)

    @settings(database=None)
    @given(frames(schema, max_rows=100))
    def check(df: pd.DataFrame) -> None:
        assert_exact(schema, df)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check()


def test_unmeetable_schemas_raise_the_engines_error() -> None:
    schema = pa.DataFrameSchema(
        {"x": pa.Column(int)}, checks=[C(lambda df: df["x"].sum() == 12345)]
    )

    @QUIET
    @given(frames(schema, min_rows=20))
    def check(df: pd.DataFrame) -> None:
        raise AssertionError("never drawn")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ChecksUnmetError, match="custom check"):
            check()


# --------------------------------------------------------------------------
# row counts the schema allows
# --------------------------------------------------------------------------


def test_a_check_that_needs_rows_raises_the_minimum() -> None:
    needs_three = pa.DataFrameSchema(
        {"side": pa.Column(str, C.unique_values_eq(["buy", "sell", "hold"]))}
    )

    @QUIET
    @given(frames(needs_three, max_rows=10))
    def check(df: pd.DataFrame) -> None:
        assert len(df) >= 3
        assert_exact(needs_three, df)

    check()


def test_a_frame_check_that_rejects_empty_frames_raises_the_minimum() -> None:
    not_empty = pa.DataFrameSchema(
        {"x": pa.Column(int, C.ge(0))}, checks=[C(lambda df: len(df) > 0)]
    )
    smallest = _find(frames(not_empty, max_rows=10), lambda df: True)
    assert len(smallest) == 1
    assert_exact(not_empty, smallest)


def test_narrow_unique_domains_cap_the_rows() -> None:
    five = pa.DataFrameSchema({"k": pa.Column(int, C.in_range(0, 4), unique=True)})

    @QUIET
    @given(frames(five, max_rows=50))
    def check(df: pd.DataFrame) -> None:
        assert len(df) <= 5
        assert_exact(five, df)

    check()
    biggest = _find(frames(five, max_rows=50), lambda df: len(df) == 5)
    assert sorted(biggest["k"]) == [0, 1, 2, 3, 4]


def test_a_row_range_the_schema_cannot_meet_is_a_clear_error() -> None:
    five = pa.DataFrameSchema({"k": pa.Column(int, C.in_range(0, 4), unique=True)})
    with pytest.raises(InfeasibleRequestError, match="at most 5 rows"):
        _first(frames(five, min_rows=6, max_rows=10))


# --------------------------------------------------------------------------
# edge cases are explored
# --------------------------------------------------------------------------

EDGES = {
    "zero rows": lambda df: len(df) == 0,
    "one row": lambda df: len(df) == 1,
    "upper bound of count": lambda df: (df["count"] == 10).any(),
    "lower bound of count": lambda df: (df["count"] == 0).any(),
    "just inside ratio > 0": lambda df: (df["ratio"] == 5e-324).any(),
    "just below open < 1.0": lambda df: (df["open"] == np.nextafter(1.0, 0)).any(),
    "infinity": lambda df: np.isinf(df["free"]).any(),
    "negative zero": lambda df: bool(np.signbit(df["free"][df["free"] == 0]).any()),
    "null float": lambda df: df["ratio"].isna().any(),
    "null masked int": lambda df: df["small"].isna().any(),
    "empty string": lambda df: (df["label"] == "").any(),
    "whitespace string": lambda df: df["label"].str.isspace().fillna(False).any(),
    "non-ASCII string": lambda df: any(not s.isascii() for s in df["label"]),
    "rare category": lambda df: (df["tier"] == "rare").any(),
    "DST change": lambda df: (
        df["seen"] == pd.Timestamp("2020-03-08 03:00", tz="US/Central")
    ).any(),
    "duplicates": lambda df: len(df) > 1 and df["count"].duplicated().any(),
    "int8 extremes": lambda df: (df["small"] == 127).any(),
}


@pytest.mark.parametrize("name", list(EDGES))
def test_edge_cases_are_explored(name: str) -> None:
    found = _find(frames(MIXED, max_rows=20), EDGES[name])
    assert EDGES[name](found)
    assert_exact(MIXED, found)


def test_edges_can_be_switched_off() -> None:
    plain = frames(MIXED, max_rows=20, edges=False)
    with pytest.raises(Exception, match="No examples"):  # NoSuchExample
        _find(plain, lambda df: np.isinf(df["free"]).any())


# --------------------------------------------------------------------------
# shrinking
# --------------------------------------------------------------------------


def test_one_boundary_value_shrinks_to_one_row_holding_it() -> None:
    found = _find(frames(MIXED, max_rows=50), lambda df: (df["count"] == 10).any())
    assert len(found) == 1
    assert found["count"].iloc[0] == 10


def test_an_injected_edge_shrinks_to_one_row_holding_it() -> None:
    below_one = np.nextafter(1.0, 0)
    found = _find(
        frames(MIXED, max_rows=50), lambda df: (df["open"] == below_one).any()
    )
    assert len(found) == 1
    assert found["open"].iloc[0] == below_one


def test_row_counts_shrink_to_the_smallest_failing_size() -> None:
    found = _find(frames(MIXED, max_rows=50), lambda df: len(df) >= 7)
    assert len(found) == 7


def test_falsifying_example_shows_the_frames_values(pytester) -> None:
    pytester.makepyfile(
        """
import pandera.pandas as pa
from hypothesis import HealthCheck, given, settings
from pytest_synthdata.strategies import frames

Prices = pa.DataFrameSchema(
    {"price": pa.Column(float, pa.Check.in_range(0.0, 250.0))}, name="Prices"
)

# derandomized, and no timing health checks: a busy machine must not change
# what this test shows (the report of the falsifying frame)
@settings(
    database=None,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(frames(Prices))
def test_prices_below_the_cap(df):
    assert (df["price"] < 250.0).all()
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert "Falsifying example" in text or "Failing test case" in text
    assert "250.0" in text  # the frame's value, not an elided repr
    assert "column 'price' row 0: upper bound" in text


def test_wide_frames_show_every_value_in_a_note() -> None:
    wide = pa.DataFrameSchema({f"c{i:02d}": pa.Column(int, C.eq(i)) for i in range(40)})
    notes: list[str] = []

    @QUIET
    @given(frames(wide, min_rows=1, max_rows=3))
    def check(df: pd.DataFrame) -> None:
        raise AssertionError

    try:
        check()
    except AssertionError as exc:
        notes = list(getattr(exc, "__notes__", []))
    full = [n for n in notes if "in full" in n]
    assert full
    assert "c39" in full[0]
    assert " 39" in full[0]


# --------------------------------------------------------------------------
# wide schemas and health checks
# --------------------------------------------------------------------------

WIDE = pa.DataFrameSchema(
    {
        **{f"n{i}": pa.Column(int, C.in_range(0, 100 * (i + 1))) for i in range(50)},
        **{f"x{i}": pa.Column(float, C.in_range(-i - 1, i + 1)) for i in range(30)},
        **{f"s{i}": pa.Column(str, C.str_length(1, 12)) for i in range(20)},
    }
)


def test_a_hundred_columns_at_a_hundred_rows_pass_the_health_checks() -> None:
    sizes: list[int] = []

    @settings(TIMELESS, max_examples=30)
    @given(frames(WIDE, max_rows=100))
    def check(df: pd.DataFrame) -> None:
        sizes.append(len(df))
        assert df.shape[1] == 100

    check()  # a FailedHealthCheck (data too large, ...) would raise here
    assert max(sizes) > 10


@pytest.mark.slow
def test_a_hundred_columns_at_full_default_settings() -> None:
    @settings(database=None)
    @given(frames(WIDE, max_rows=100))
    def check(df: pd.DataFrame) -> None:
        assert df.shape[1] == 100

    check()  # too_slow and the deadline included


def test_wide_frames_still_shrink_to_one_row() -> None:
    found = _find(frames(WIDE, max_rows=100), lambda df: (df["n3"] == 400).any())
    assert len(found) == 1


# --------------------------------------------------------------------------
# determinism and replay
# --------------------------------------------------------------------------


def _frames_of_a_run(**kw) -> list[pd.DataFrame]:
    seen: list[pd.DataFrame] = []

    @settings(database=None, deadline=None, max_examples=15, **kw)
    @seed(20261204)
    @given(frames(MIXED, max_rows=10))
    def record(df: pd.DataFrame) -> None:
        seen.append(df)

    record()
    return seen


def test_the_seed_decorator_replays_the_same_frames() -> None:
    first, second = _frames_of_a_run(), _frames_of_a_run()
    assert len(first) == len(second) == 15
    for a, b in zip(first, second, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_derandomize_gives_the_same_frames_every_run() -> None:
    first = _frames_of_a_run(derandomize=True)
    second = _frames_of_a_run(derandomize=True)
    for a, b in zip(first, second, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_a_stored_failure_is_replayed_first_from_the_database() -> None:
    db = InMemoryExampleDatabase()
    seen: list[pd.DataFrame] = []

    @settings(database=db, max_examples=200, deadline=None)
    @given(frames(MIXED, max_rows=30))
    def prop(df: pd.DataFrame) -> None:
        seen.append(df)
        assert not (df["tier"] == "rare").any() or len(df) > 3

    with pytest.raises(AssertionError):
        prop()
    shrunk = seen[-1]
    assert len(shrunk) == 1
    assert shrunk["tier"].iloc[0] == "rare"
    seen.clear()
    with pytest.raises(AssertionError):
        prop()
    pd.testing.assert_frame_equal(seen[0], shrunk, check_exact=True)


# --------------------------------------------------------------------------
# per-column strategies
# --------------------------------------------------------------------------


def test_column_strategies_draw_the_values_and_shrink_them() -> None:
    strategy = frames(MIXED, max_rows=20, columns={"count": st.integers(3, 6)})

    @QUIET
    @given(strategy)
    def check(df: pd.DataFrame) -> None:
        assert df["count"].between(3, 6).all()
        assert_exact(MIXED, df)

    check()
    found = _find(strategy, lambda df: df["count"].sum() >= 12)
    assert found["count"].sum() == 12
    assert len(found) <= 4  # a handful of rows, not the 20 allowed


def test_column_strategy_values_the_checks_reject_are_never_handed_out() -> None:
    strategy = frames(MIXED, max_rows=10, columns={"count": st.integers(0, 12)})

    @settings(database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def check(df: pd.DataFrame) -> None:
        assert df["count"].between(0, 10).all()
        assert_exact(MIXED, df)

    check()


def test_column_strategy_of_the_wrong_type_is_a_clear_error() -> None:
    strategy = frames(MIXED, min_rows=1, columns={"count": st.just("seven")})
    with pytest.raises(InvalidArgumentError, match="'count'"):
        _first(strategy)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_rows": -1}, "min_rows"),
        ({"max_rows": 2.5}, "max_rows"),
        ({"min_rows": 5, "max_rows": 2}, "at least min_rows"),
        ({"columns": {"nope": st.integers()}}, "not a column"),
        ({"columns": {"count": 3}}, "Hypothesis strategy"),
        ({"columns": ["count"]}, "must map"),
        ({"edges": "yes"}, "True or False"),
    ],
)
def test_bad_arguments_fail_when_drawn_not_when_built(kwargs, message) -> None:
    strategy = frames(MIXED, **kwargs)  # building never raises
    with pytest.raises(InvalidArgumentError, match=message):
        _first(strategy)


def test_repr_shows_how_the_strategy_was_built() -> None:
    class Claims(pa.DataFrameModel):
        amount: float = pa.Field(ge=0)

    assert repr(frames(Claims, max_rows=10)) == "frames(Claims, max_rows=10)"
    assert repr(frames(MIXED)) == "frames(DataFrameSchema(name='Mixed'))"
    bare = pa.DataFrameSchema({c: pa.Column(int) for c in "abcde"})
    assert repr(frames(bare, edges=False)) == (
        "frames(DataFrameSchema(columns=['a', 'b', 'c', 'd', ...]), edges=False)"
    )


def test_works_with_st_data() -> None:
    @QUIET
    @given(st.data())
    def check(data) -> None:
        df = data.draw(frames(MIXED, max_rows=5))
        assert_exact(MIXED, df)
        assert math.isfinite(len(df))

    check()


# --------------------------------------------------------------------------
# second hostile round
# --------------------------------------------------------------------------


def test_max_rows_zero_gives_empty_frames() -> None:
    schema = pa.DataFrameSchema({"a": pa.Column(int, C.in_range(0, 10))})

    @QUIET
    @given(frames(schema, max_rows=0))
    def check(df):
        assert_exact(schema, df, 0)

    check()


def test_a_dataframe_passed_as_the_schema_keeps_the_clear_error() -> None:
    from pytest_synthdata.errors import UnsupportedSchemaError

    with pytest.raises(UnsupportedSchemaError, match="expected a pandera"):
        _first(frames(pd.DataFrame({"a": [1]})))


@pytest.mark.parametrize(
    "schema",
    [
        pa.DataFrameSchema(
            {"a": pa.Column(str, C.str_matches(r"^[AB]\d$"), unique=True)}
        ),
        pa.DataFrameSchema(
            {"a": pa.Column(str, C.str_length(0, 1))},
            index=pa.Index(str, C.str_matches(r"^[xyz]$"), unique=True),
        ),
    ],
    ids=["regex-column", "regex-index"],
)
def test_uncountable_unique_domains_narrow_the_row_range(schema) -> None:
    sizes = []

    @QUIET
    @given(frames(schema))  # max_rows=50, more than the pattern holds
    def check(df):
        assert_exact(schema, df)
        sizes.append(len(df))

    check()
    assert max(sizes) <= 20
    assert max(sizes) > 1


def test_tz_aware_frames_near_the_dtype_limits_show_the_users_failure() -> None:
    schema = pa.DataFrameSchema(
        {"t": pa.Column(pd.DatetimeTZDtype("ns", "Europe/London")), "n": pa.Column(int)}
    )

    @settings(database=None, deadline=None, max_examples=300)
    @given(frames(schema, max_rows=3))
    def check(df):
        assert_exact(schema, df)
        repr(df)  # every frame can be shown
        stamps = df["t"].dt.tz_convert("UTC")
        assert (stamps > pd.Timestamp("1900", tz="UTC")).all(), "too early"

    with pytest.raises(AssertionError, match="too early"):
        check()


@pytest.mark.parametrize(
    ("schema", "override", "message"),
    [
        (
            pa.DataFrameSchema({"a": pa.Column(int, C.in_range(0, 10))}),
            st.integers(11, 20),
            "values the strategy drew meets column 'a''s checks",
        ),
        (
            pa.DataFrameSchema({"a": pa.Column(pa.Decimal(5, 2))}),
            st.decimals(0, 999, places=3),
            "which dtype Decimal(5, 2) of column 'a' does not accept",
        ),
        (
            pa.DataFrameSchema({"a": pa.Column(pa.Date)}),
            st.datetimes(),
            "which dtype date of column 'a' does not accept",
        ),
        (
            pa.DataFrameSchema({"a": pa.Column("float32")}),
            st.just(1e300),
            "holds as inf",
        ),
        (
            pa.DataFrameSchema({"a": pa.Column(int)}),
            st.booleans(),
            "which column 'a' (dtype int64) holds as",
        ),
    ],
    ids=["never-valid", "decimal-places", "datetime-for-date", "overflow", "bool"],
)
def test_override_values_the_column_cannot_take_are_clear_errors(
    schema, override, message
) -> None:
    @QUIET
    @given(frames(schema, min_rows=1, columns={"a": override}))
    def check(df):
        pass

    with pytest.raises(InvalidArgumentError) as info:
        check()
    assert message in str(info.value)
