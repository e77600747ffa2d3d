"""pandera.polars schemas: polars frames out, through the same engine."""

from __future__ import annotations

import datetime as dt
import decimal
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings

pl = pytest.importorskip("polars")
pap = pytest.importorskip("pandera.polars")

from pytest_synthdata import (  # noqa: E402
    edge_frames,
    generate,
    generate_chunks,
    provenance,
    write_dataset,
)
from pytest_synthdata.errors import (  # noqa: E402
    InvalidArgumentError,
    SlowPathWarning,
    UnsupportedSchemaError,
)
from pytest_synthdata.strategies import frames  # noqa: E402

from .conftest import GENERABLE, corpus_schema, ks_bound  # noqa: E402

Check = pap.Check

EVERY_KIND = pap.DataFrameSchema(
    {
        "i8": pap.Column(pl.Int8, Check.in_range(-5, 5)),
        "i32": pap.Column(pl.Int32, Check.ge(0), nullable=True),
        "u64": pap.Column(pl.UInt64, Check.ge(2**63)),
        "f32": pap.Column(pl.Float32, Check.gt(0)),
        "f64": pap.Column(pl.Float64, Check.in_range(-1, 1), nullable=True),
        "flag": pap.Column(pl.Boolean, nullable=True),
        "text": pap.Column(pl.String, Check.str_matches(r"^[A-Z]{2}-\d{3}$")),
        "cat": pap.Column(pl.Categorical, Check.isin(["p", "q", "r"])),
        "enum": pap.Column(pl.Enum(["lo", "mid", "hi"])),
        "day": pap.Column(pl.Date, Check.ge(dt.date(2020, 1, 1))),
        "at": pap.Column(pl.Datetime("us", "UTC")),
        "naive": pap.Column(pl.Datetime("ns")),
        "wait": pap.Column(pl.Duration("ms"), Check.ge(dt.timedelta(0))),
        "money": pap.Column(pl.Decimal(12, 2), Check.ge(decimal.Decimal("0"))),
    },
    name="every_kind",
)


def test_every_kind_of_column_comes_out_in_its_polars_dtype():
    df = generate(EVERY_KIND, 500, seed=1)
    assert isinstance(df, pl.DataFrame)
    assert df.height == 500
    for name, column in EVERY_KIND.columns.items():
        assert df.schema[name] == column.dtype.type, name
    EVERY_KIND.validate(df, lazy=True)
    assert df["i32"].null_count() > 0  # nullable columns get nulls
    assert df["f64"].null_count() > 0
    assert df["f64"].is_nan().sum() == 0  # nulls, not NaN
    assert set(df["enum"].unique()) == {"lo", "mid", "hi"}


def test_the_same_seed_gives_the_same_polars_frame():
    a = generate(EVERY_KIND, 200, seed=7)
    b = generate(EVERY_KIND, 200, seed=7)
    assert a.equals(b)
    assert not a.equals(generate(EVERY_KIND, 200, seed=8))


def test_polars_frames_match_the_pandas_engine_value_for_value():
    import pandera.pandas as ppa

    polars_schema = pap.DataFrameSchema(
        {"x": pap.Column(pl.Int64, Check.in_range(0, 99)), "s": pap.Column(pl.String)}
    )
    pandas_schema = ppa.DataFrameSchema(
        {
            "x": ppa.Column("int64", ppa.Check.in_range(0, 99)),
            "s": ppa.Column(pd.ArrowDtype(pa.string())),
        }
    )
    mine = generate(polars_schema, 100, seed=3)
    theirs = generate(pandas_schema, 100, seed=3)
    assert mine["x"].to_list() == theirs["x"].tolist()
    assert mine["s"].to_list() == theirs["s"].tolist()


class Orders(pap.DataFrameModel):
    order_id: int = pap.Field(ge=1, unique=True)
    qty: int = pap.Field(in_range={"min_value": 1, "max_value": 20})
    price: float = pap.Field(gt=0)
    status: str = pap.Field(isin=["new", "paid", "sent"])

    @pap.check("qty")
    def qty_is_even(cls, data):
        return data.lazyframe.select(pl.col("qty") % 2 == 0)

    @pap.dataframe_check
    def total_is_small(cls, data):
        return data.lazyframe.select(pl.col("qty") * pl.col("price") < 5000)


def test_a_polars_model_with_custom_checks_validates():
    with pytest.warns(SlowPathWarning):  # custom checks take the slow path
        df = generate(Orders, 2000, seed=1)
    Orders.validate(df, lazy=True)
    assert (df["qty"] % 2 == 0).all()
    assert df["order_id"].is_unique().all()


def test_element_wise_custom_checks_run_on_the_values():
    schema = pap.DataFrameSchema(
        {
            "x": pap.Column(
                pl.Int64,
                [
                    Check.in_range(0, 100),
                    Check(lambda v: v % 5 == 0, element_wise=True),
                ],
            )
        }
    )
    with pytest.warns(SlowPathWarning):
        df = generate(schema, 300, seed=2)
    assert (df["x"] % 5 == 0).all()
    schema.validate(df)


def test_joint_uniqueness_in_polars():
    schema = pap.DataFrameSchema(
        {
            "a": pap.Column(pl.Int64, Check.in_range(0, 9)),
            "b": pap.Column(pl.String, Check.isin(list("abcdefghij"))),
        },
        unique=["a", "b"],
    )
    df = generate(schema, 100, seed=1)
    assert not df.is_duplicated().any()
    schema.validate(df)


def test_shapes_in_polars_column_metadata_apply():
    schema = pap.DataFrameSchema(
        {
            "x": pap.Column(
                pl.Float64,
                metadata={"synthdata": {"dist": "normal", "mean": 10, "std": 2}},
            )
        }
    )
    x = generate(schema, 20_000, seed=4)["x"].to_numpy()
    assert abs(x.mean() - 10) < 5 * 2 / math.sqrt(len(x))
    assert abs(x.std() - 2) < 0.1


def test_nested_polars_dtypes_come_out_as_declared():
    schema = pap.DataFrameSchema(
        {
            "tags": pap.Column(pl.List(pl.Int64), nullable=True),
            "point": pap.Column(pl.Struct({"x": pl.Float64, "label": pl.String})),
            "triple": pap.Column(pl.Array(pl.Float32, 3)),
            "raw": pap.Column(pl.Binary),
            "nested": pap.Column(pl.List(pl.List(pl.Date))),
        }
    )
    df = generate(schema, 300, seed=1)
    for name, column in schema.columns.items():
        assert df.schema[name] == column.dtype.type, name
    schema.validate(df)
    assert 0 < df["tags"].null_count() < 300


@pytest.mark.parametrize(
    "dtype", [pl.Time, pl.Object, pl.List(pl.Time), pl.Struct({"t": pl.Time})]
)
def test_dtypes_not_generated_are_refused_by_column(dtype):
    schema = pap.DataFrameSchema({"nested": pap.Column(dtype)})
    with pytest.raises(
        UnsupportedSchemaError, match=r"'nested'.*currently unsupported"
    ):
        generate(schema, 5)


def test_provenance_of_a_polars_frame_and_of_one_derived_from_it():
    df = generate(EVERY_KIND, 10, seed=11)
    record = provenance(df)
    assert record["seed"] == 11
    assert record["rows"] == 10
    with pytest.raises(InvalidArgumentError, match="no pytest-synthdata record"):
        provenance(df.head(3))


def test_provenance_of_pandas_frames_is_their_attrs():
    import pandera.pandas as ppa

    schema = ppa.DataFrameSchema({"x": ppa.Column(int)})
    df = generate(schema, 3, seed=5)
    assert provenance(df) is df.attrs["synthdata"]


@settings(max_examples=30)
@given(frames(Orders, max_rows=15))
def test_strategies_draw_polars_frames(df):
    assert isinstance(df, pl.DataFrame)
    Orders.validate(df, lazy=True)


def test_edge_frames_of_a_polars_schema_are_polars():
    params = edge_frames(EVERY_KIND)
    made = [p.values[0] for p in params if p.values[0] is not None]
    assert made
    for df in made:
        assert isinstance(df, pl.DataFrame)
        EVERY_KIND.validate(df)


def test_polars_chunks_keep_keys_unique_across_chunks():
    chunks = generate_chunks(Orders.to_schema(), 30_000, 7_000, seed=2)
    with pytest.warns(SlowPathWarning):
        parts = list(chunks)
    assert all(isinstance(p, pl.DataFrame) for p in parts)
    whole = pl.concat(parts)
    assert whole.height == 30_000
    assert whole["order_id"].is_unique().all()
    Orders.validate(whole)
    assert provenance(parts[1])["start"] == 7_000


def test_polars_data_sets_are_written_like_pandas_ones(tmp_path):
    schema = EVERY_KIND
    write_dataset(schema, 3_000, tmp_path / "e.parquet", seed=1, chunk_rows=1_000)
    back = pl.read_parquet(tmp_path / "e.parquet")
    assert back.height == 3_000
    for name, column in schema.columns.items():
        assert back.schema[name] == column.dtype.type, name
    schema.validate(back)


def test_the_plugin_hands_polars_frames_to_tests(pytester):
    pytester.makepyfile(
        """
        import polars as pl
        import pandera.polars as pap
        import pytest

        class Readings(pap.DataFrameModel):
            sensor: str = pap.Field(isin=["a", "b"])
            value: float = pap.Field(ge=0, le=100)

        @pytest.mark.synthdata(Readings, rows=40)
        def test_marker(synth_df):
            assert isinstance(synth_df, pl.DataFrame)
            assert synth_df.height == 40
            Readings.validate(synth_df)

        def test_factory(synth_factory):
            df = synth_factory(Readings, rows=7)
            assert isinstance(df, pl.DataFrame) and df.height == 7
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2)


# --------------------------------------------------------------------------
# the corpus, re-expressed in polars where polars can express it
# --------------------------------------------------------------------------


def _as_polars(schema):
    """A pandera.polars twin of a corpus schema, or None where polars cannot
    express it (an index, regex column names, custom checks written for
    pandas, dtypes polars lacks)."""
    from pytest_synthdata._schema.reader import is_builtin

    if hasattr(schema, "to_schema"):
        schema = schema.to_schema()
    if schema.index is not None or schema.checks:
        return None
    sample = generate(schema, 3, seed=0)
    try:
        table = pa.Table.from_pandas(sample, preserve_index=False)
        polars_dtypes = pl.from_arrow(table).schema
    except Exception:  # a column polars cannot hold
        return None
    columns = {}
    for name, column in schema.columns.items():
        if column.regex or not all(is_builtin(c) for c in column.checks):
            return None
        dtype = polars_dtypes[name]
        if dtype in (pl.Object, pl.Null) or isinstance(dtype, (pl.List, pl.Struct)):
            return None
        if isinstance(dtype, pl.Categorical):
            return None  # pandas categories carry an order polars does not
        columns[name] = pap.Column(
            dtype,
            list(column.checks),
            nullable=column.nullable,
            unique=column.unique,
            metadata=column.metadata,
        )
    return pap.DataFrameSchema(columns, unique=schema.unique, name=schema.name)


EXPRESSIBLE = []
for _path in GENERABLE:
    try:
        _twin = _as_polars(corpus_schema(_path))
    except Exception:  # pragma: no cover - a corpus file that fails to load
        _twin = None
    if _twin is not None:
        EXPRESSIBLE.append(pytest.param(_twin, id=_path.stem[:3]))


def test_much_of_the_corpus_is_expressible_in_polars():
    assert len(EXPRESSIBLE) >= 10


@pytest.mark.parametrize("schema", EXPRESSIBLE)
def test_corpus_schemas_in_polars_validate(schema):
    df = generate(schema, 200, seed=3)
    assert isinstance(df, pl.DataFrame)
    assert df.height == 200
    schema.validate(df, lazy=True)
    for name, column in schema.columns.items():
        assert df.schema[name] == column.dtype.type, name


def test_keyed_polars_values_spread_evenly():
    schema = pap.DataFrameSchema(
        {"u": pap.Column(pl.Int64, Check.in_range(0, 10**9), unique=True)}
    )
    parts = list(generate_chunks(schema, 50_000, 10_000, seed=1))
    values = pl.concat(parts)["u"].to_numpy()
    from scipy import stats

    assert stats.kstest(values / 10**9, "uniform").statistic < ks_bound(len(values))
    assert len(np.unique(values)) == len(values)
