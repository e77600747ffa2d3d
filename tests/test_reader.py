"""Schema reading: checks merged into one domain per column, errors at compile."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

import pytest_synthdata
from pytest_synthdata._schema.reader import compile_schema
from pytest_synthdata.errors import (
    ContradictoryChecksError,
    UnsupportedSchemaError,
)


def field(schema, name):
    _, spec = compile_schema(schema)
    return next(f for f in spec.fields if f.name == name)


def test_bounds_from_several_checks_merge_to_the_tightest():
    schema = pa.DataFrameSchema(
        {
            "x": pa.Column(
                int,
                [pa.Check.ge(0), pa.Check.gt(3), pa.Check.le(50), pa.Check.lt(40)],
            )
        }
    )
    dom = field(schema, "x").domain
    assert (dom.lo.value, dom.hi.value) == (4, 39)


def test_exclusive_float_bounds_stay_open():
    schema = pa.DataFrameSchema(
        {"x": pa.Column(float, pa.Check.in_range(0, 1, include_min=False))}
    )
    dom = field(schema, "x").domain
    assert dom.lo.open
    assert not dom.hi.open


def test_isin_and_notin_and_ne_leave_a_filtered_finite_set():
    schema = pa.DataFrameSchema(
        {
            "code": pa.Column(
                str,
                [
                    pa.Check.isin(["a", "bb", "ccc", "dddd"]),
                    pa.Check.notin(["bb"]),
                    pa.Check.ne("a"),
                    pa.Check.str_length(2, 4),
                ],
            )
        }
    )
    choices = field(schema, "code").domain.choices
    assert choices.tolist() == ["ccc", "dddd"]
    assert str(choices.dtype) == "string"


def test_schema_is_compiled_once_and_cached():
    schema = pa.DataFrameSchema({"x": pa.Column(int)})
    assert compile_schema(schema)[1] is compile_schema(schema)[1]


def test_a_custom_check_reusing_a_builtin_name_is_not_read_as_builtin():
    fake = pa.Check(lambda s: s > 0, name="greater_than")
    schema = pa.DataFrameSchema({"x": pa.Column(int, fake)})
    f = field(schema, "x")
    assert f.domain.lo.source.startswith("dtype")
    assert f.residual == (fake,)


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (
            pa.Column(int, [pa.Check.in_range(0, 10), pa.Check.ge(20)]),
            r"column 'x': the checks greater_than_or_equal_to\(min_value=20\) and "
            r"in_range\(min_value=0, max_value=10, include_min=True, "
            r"include_max=True\) admit no value together; widen or remove one",
        ),
        (
            pa.Column(float, [pa.Check.gt(5.0), pa.Check.lt(5.0)]),
            r"column 'x': the checks greater_than\(min_value=5.0\) and "
            r"less_than\(max_value=5.0\) admit no value",
        ),
        (
            pa.Column(str, [pa.Check.isin(["ab", "cd"]), pa.Check.str_length(5)]),
            r"column 'x': every value allowed by isin\(allowed_values=\['ab', 'cd'\]\) "
            r"fails str_length\(exact_value=5\) \(rejected: \['ab', 'cd'\]\)",
        ),
        (
            pa.Column(int, [pa.Check.isin([1, 2]), pa.Check.isin([3, 4])]),
            r"column 'x': isin\(allowed_values=\[1, 2\]\) and "
            r"isin\(allowed_values=\[3, 4\]\) admit no value together",
        ),
        (
            pa.Column(str, [pa.Check.str_length(5, 10), pa.Check.str_length(12)]),
            r"column 'x': str_length\(exact_value=12\) and str_length\(min_value=5, "
            r"max_value=10\) admit no length",
        ),
        (
            pa.Column(
                str, [pa.Check.str_startswith("ab"), pa.Check.str_startswith("x")]
            ),
            r"column 'x': the prefixes 'x' and 'ab' cannot both hold",
        ),
        (
            pa.Column("float16", pa.Check.in_range(1.0001, 1.0002)),
            r"column 'x': no float16 value meets in_range",
        ),
    ],
    ids=[
        "int-range",
        "float-open",
        "isin-length",
        "isin-isin",
        "lengths",
        "prefix",
        "float16",
    ],
)
def test_contradictory_checks_raise_at_compile_naming_column_and_checks(
    column, message
):
    schema = pa.DataFrameSchema({"x": column})
    with pytest.raises(ContradictoryChecksError, match=message):
        pytest_synthdata.compile(schema)


def test_uint8_bounds_come_from_the_dtype():
    schema = pa.DataFrameSchema({"x": pa.Column("uint8", pa.Check.ge(250))})
    dom = field(schema, "x").domain
    assert (dom.lo.value, dom.hi.value) == (250, 255)


def test_isin_values_the_dtype_cannot_hold_are_dropped():
    schema = pa.DataFrameSchema({"x": pa.Column(int, pa.Check.isin([1, 2.5, 3]))})
    assert field(schema, "x").domain.choices.tolist() == [1, 3]


@pytest.mark.parametrize(
    ("dtype", "message"),
    [
        ("complex128", "currently unsupported"),
        (
            pd.ArrowDtype(
                __import__("pyarrow").list_(__import__("pyarrow").time32("s"))
            ),
            "currently unsupported",
        ),
    ],
    ids=["complex", "arrow-list-of-times"],
)
def test_unsupported_dtypes_raise_clearly(dtype, message):
    schema = pa.DataFrameSchema({"x": pa.Column(dtype)})
    with pytest.raises(UnsupportedSchemaError, match=f"column 'x'.*{message}"):
        pytest_synthdata.compile(schema)


def test_not_a_schema_raises():
    with pytest.raises(UnsupportedSchemaError, match="DataFrameSchema or"):
        pytest_synthdata.generate({"x": int}, 3, seed=0)


def test_regex_column_gets_a_matching_name_and_existing_matches_share_checks():
    schema = pa.DataFrameSchema(
        {
            "diag_01": pa.Column(str, nullable=True),
            "diag_[0-9]{2}": pa.Column(
                str, pa.Check.str_length(3, 5), nullable=True, regex=True
            ),
            "score_[a-z]{3}": pa.Column(float, regex=True),
        }
    )
    _, spec = compile_schema(schema)
    names = [f.name for f in spec.columns]
    assert names[0] == "diag_01"
    assert len(names) == 2
    assert names[1].startswith("score_")
    assert len(names[1]) == 9
    diag = spec.columns[0]
    assert (diag.domain.min_len, diag.domain.max_len) == (3, 5)
