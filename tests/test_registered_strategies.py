"""Checks registered with their own Hypothesis strategy (register_check_method).

Such a check cannot be read as a domain, but it says how to draw its values:
``generate`` and ``frames`` draw from that strategy (chained on the built-in
checks' strategy, as pandera chains it) instead of filtering random values,
and still verify every check on what was drawn.
"""

from __future__ import annotations

import warnings

import hypothesis.strategies as st
import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import HealthCheck, given, settings
from pandera.extensions import register_check_method

from pytest_synthdata import generate
from pytest_synthdata.errors import ChecksUnmetError, UnsupportedSchemaError
from pytest_synthdata.strategies import frames

from .conftest import assert_exact

C = pa.Check


def _counts(pandera_dtype, strategy=None):
    if strategy is None:
        return st.integers(-5_000, 5_000).map(float)
    return strategy.filter(lambda v: v % 1 == 0)


def _odd_codes(pandera_dtype, strategy=None):
    base = st.integers(0, 10**6).map(lambda i: f"Q{2 * i + 1}")
    return base if strategy is None else strategy.filter(lambda s: s[-1] in "13579")


def _always_seven(pandera_dtype, strategy=None):
    return st.just(7.0)


def _strings_for_anything(pandera_dtype, strategy=None):
    return st.just("not a number")


def _broken(pandera_dtype, strategy=None):
    raise RuntimeError("this strategy function is broken")


for _name, _strategy, _fn in [
    ("synth_test_whole", _counts, lambda s: s % 1 == 0),
    ("synth_test_odd_code", _odd_codes, lambda s: s.str[-1].isin(list("13579"))),
    ("synth_test_seven", _always_seven, lambda s: s == 7.0),
    ("synth_test_text", _strings_for_anything, lambda s: s == s),
    ("synth_test_broken", _broken, lambda s: s == s),
]:
    if not hasattr(C, _name):
        _fn.__name__ = _name
        register_check_method(strategy=_strategy)(_fn)


def whole_units(*extra, nullable=True, unique=False):
    return pa.DataFrameSchema(
        {
            "units": pa.Column(
                float,
                [C.synth_test_whole(), *extra],
                nullable=nullable,
                unique=unique,
            ),
            "sku": pa.Column(str, C.synth_test_odd_code()),
        }
    )


def test_generate_draws_from_the_registered_strategy_without_slow_path() -> None:
    schema = whole_units()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no SlowPathWarning: no filtering path
        df = generate(schema, 2_000, seed=3)
    assert_exact(schema, df, 2_000)
    units = df["units"].dropna()
    assert (units % 1 == 0).all()
    assert units.between(-5_000, 5_000).all()
    assert df["units"].isna().sum() == 200  # the usual null rate still applies
    assert df["sku"].str.match(r"^Q\d*[13579]$").all()
    assert units.nunique() > 100  # drawn, not one repeated value


def test_registered_strategy_is_chained_on_the_builtin_checks() -> None:
    schema = whole_units(C.in_range(10, 20))
    df = generate(schema, 500, seed=1)
    assert_exact(schema, df, 500)
    units = df["units"].dropna()
    assert units.between(10, 20).all()
    assert (units % 1 == 0).all()
    # pandera's chain: the built-in floats(10, 20) filtered to whole values;
    # Hypothesis favours the ends and simple values, so not every one appears.
    assert units.nunique() > 1


def test_registered_strategy_frames_repeat_by_seed() -> None:
    schema = whole_units()
    pd.testing.assert_frame_equal(
        generate(schema, 300, seed=8), generate(schema, 300, seed=8)
    )
    assert not generate(schema, 300, seed=8).equals(generate(schema, 300, seed=9))


def test_unique_columns_draw_distinct_values_from_the_strategy() -> None:
    schema = whole_units(nullable=False, unique=True)
    df = generate(schema, 3_000, seed=5)
    assert_exact(schema, df, 3_000)
    assert df["units"].is_unique


def test_a_strategy_outside_the_columns_checks_is_a_clear_error() -> None:
    schema = pa.DataFrameSchema(
        {"x": pa.Column(float, [C.synth_test_seven(), C.in_range(0, 1)])}
    )
    # The registered strategy ignores the built-in checks' strategy it is given.
    with pytest.raises(ChecksUnmetError) as info:
        generate(schema, 10, seed=0)
    message = str(info.value)
    assert "column 'x'" in message
    assert "synth_test_seven" in message
    assert "make the strategy draw values inside the column's checks" in message


def test_a_strategy_drawing_the_wrong_type_is_a_clear_error() -> None:
    schema = pa.DataFrameSchema({"x": pa.Column(float, C.synth_test_text())})
    with pytest.raises(UnsupportedSchemaError, match=r"column 'x'.*dtype float64"):
        generate(schema, 10, seed=0)


def test_a_strategy_function_that_raises_is_a_clear_error() -> None:
    schema = pa.DataFrameSchema({"x": pa.Column(float, C.synth_test_broken())})
    with pytest.raises(UnsupportedSchemaError) as info:
        generate(schema, 10, seed=0)
    assert "this strategy function is broken" in str(info.value)
    assert "register_check_method(strategy=...)" in str(info.value)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_generate_works_inside_a_hypothesis_test(seed: int) -> None:
    schema = whole_units()
    assert_exact(schema, generate(schema, 50, seed=seed), 50)


def test_frames_draw_the_column_from_its_strategy_and_shrink_it() -> None:
    schema = whole_units(nullable=False)
    found: list[pd.DataFrame] = []

    @settings(max_examples=300, database=None, deadline=None)
    @given(frames(schema, max_rows=20))
    def check(df: pd.DataFrame) -> None:
        assert_exact(schema, df)
        if (df["units"] >= 300).any():
            found.append(df)
            raise AssertionError("large unit count")

    with pytest.raises(AssertionError, match="large unit count"):
        check()
    smallest = found[-1]
    assert len(smallest) == 1
    assert smallest["units"].iloc[0] == 300.0  # shrunk to the boundary value


def test_frames_of_a_registered_strategy_column_always_validate() -> None:
    schema = whole_units(C.in_range(-50, 50))

    # pandera chains the registered strategy as floats(-50, 50).filter(whole):
    # most draws are filtered away, which Hypothesis rightly calls slow.
    @settings(
        max_examples=60,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(frames(schema, max_rows=30))
    def check(df: pd.DataFrame) -> None:
        assert_exact(schema, df)
        units = df["units"].dropna().to_numpy()
        assert np.all(np.abs(units) <= 50)

    check()
