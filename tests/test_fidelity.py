"""describe(): declared versus achieved shape, with the noise expected by chance."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from pytest_synthdata import describe, generate, shapes

C = pa.Check

SCHEMA = pa.DataFrameSchema(
    {
        "amount": pa.Column(
            float, C.gt(0), metadata=shapes.column(shapes.lognormal(3, 0.8))
        ),
        "visits": pa.Column(
            int, C.in_range(0, 100), metadata=shapes.column(shapes.poisson(4))
        ),
        "age": pa.Column(
            int, C.in_range(18, 99), metadata=shapes.column(shapes.normal(40, 12))
        ),
        "status": pa.Column(
            str,
            C.isin(["ok", "late", "lost"]),
            metadata=shapes.column(weights={"ok": 90, "late": 9, "lost": 1}),
        ),
        "note": pa.Column(str, nullable=True, metadata=shapes.column(null_rate=0.3)),
    },
    metadata={"synthdata": {"correlations": [["amount", "age", 0.4]]}},
)


def test_generated_frames_are_within_sampling_noise():
    df = generate(SCHEMA, 50_000, seed=1)
    report = describe(df, SCHEMA)
    table = report.table
    assert set(table["measure"]) == {"ks", "tvd", "null_rate", "spearman"}
    # about 5% of honest measures exceed the noise; twice it, none should
    assert (table["distance"] <= 2 * table["noise"]).all(), str(report)
    assert report.distance("note", "null_rate") < 0.01


def test_a_frame_off_its_shape_is_reported_far_off():
    df = generate(SCHEMA, 50_000, seed=2)
    drifted = df.assign(
        amount=df["amount"] * 2,
        status=np.where(df.index % 2 == 0, "late", df["status"]),
        note=df["note"].fillna("x"),
    )
    report = describe(drifted, SCHEMA)
    assert report.distance("amount", "ks") > 0.2
    assert report.distance("status", "tvd") > 0.3
    assert report.distance("note", "null_rate") == pytest.approx(0.3, abs=0.01)
    assert report.distance("amount", "ks") > 10 * report.table["noise"].max()


def test_report_prints_a_table_and_names_what_it_lacks():
    df = generate(SCHEMA, 1000, seed=3)
    text = str(describe(df, SCHEMA))
    assert text.splitlines()[0] == "synthdata fidelity: schema, 1000 rows"
    for word in ("amount", "poisson(lam=4)", "tvd", "amount ~ age", "noise"):
        assert word in text
    with pytest.raises(KeyError, match="no 'tvd' measure for column 'amount'"):
        describe(df, SCHEMA).distance("amount", "tvd")
    empty = describe(
        pd.DataFrame({"x": [1.0]}), pa.DataFrameSchema({"x": pa.Column(float)})
    )
    assert "no declared shape" in str(empty)


def test_per_call_shapes_are_the_reference_when_given():
    df = generate(SCHEMA, 20_000, seed=4, shape={"amount": shapes.exponential(10)})
    # the frame records its per-call shape, which is the default reference
    assert describe(df, SCHEMA).distance("amount", "ks") < 0.02
    report = describe(df, SCHEMA, shape={"amount": shapes.exponential(10)})
    assert report.distance("amount", "ks") < 0.02
    # shape={} compares with the shapes the schema declares
    assert describe(df, SCHEMA, shape={}).distance("amount", "ks") > 0.2


def test_describe_reads_dates_outside_the_nanosecond_range():
    import pyarrow as pyarrow

    schema = pa.DataFrameSchema(
        {
            "d": pa.Column(
                pd.ArrowDtype(pyarrow.date32()),
                metadata=shapes.column(shapes.normal("0500-01-01", "300D")),
            )
        }
    )
    df = generate(schema, 5000, seed=1)
    assert describe(df, schema).distance("d", "ks") < 0.03


def test_a_constant_column_has_no_rank_correlation_and_no_warning():
    schema = pa.DataFrameSchema(
        {"a": pa.Column(float), "b": pa.Column(float)},
        metadata={"synthdata": {"correlations": [["a", "b", 0.5]]}},
    )
    df = pd.DataFrame({"a": np.arange(10.0), "b": np.ones(10)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = describe(df, schema)
    assert np.isnan(report.distance("a ~ b", "spearman"))


def test_a_recorded_shape_applies_only_to_a_schema_with_the_same_columns():
    first = pa.DataFrameSchema({"x": pa.Column(float, C.in_range(0, 1))})
    other = pa.DataFrameSchema(
        {
            "x": pa.Column(float, C.in_range(0, 1)),
            "y": pa.Column(float, metadata=shapes.column(shapes.normal(0, 1))),
        }
    )
    df = generate(first, 2000, seed=1, shape={"x": shapes.beta(2, 5)})
    df = df.assign(y=np.random.default_rng(1).normal(size=len(df)))
    # both schemas are called "schema": the beta shape belongs to the first
    assert "beta" not in str(describe(df, other))
    df.attrs["synthdata"] = "not a record"
    assert "x" not in describe(df, first).table["column"].tolist()


def test_a_sorted_index_is_reported():
    schema = pa.DataFrameSchema(
        {"a": pa.Column(float)},
        index=pa.Index(int, metadata=shapes.column(sorted="decreasing")),
    )
    df = generate(schema, 100, seed=1)
    assert describe(df, schema).distance("index", "sorted") == 0.0
    assert describe(df.sort_index(), schema).distance("index", "sorted") == 1.0
