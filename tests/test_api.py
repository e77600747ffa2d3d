"""The library call: arguments, seeds and what the result records."""

from __future__ import annotations

import numpy as np
import pandera.pandas as pa
import pytest

import pytest_synthdata
from pytest_synthdata import generate
from pytest_synthdata.errors import InvalidArgumentError, SynthDataError

SCHEMA = pa.DataFrameSchema({"x": pa.Column(int, pa.Check.in_range(0, 9))})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rows": -1}, "rows must be a non-negative int, got -1"),
        ({"rows": 2.5}, "rows must be a non-negative int, got float 2.5"),
        ({"rows": True}, "rows must be a non-negative int, got bool True"),
        ({"rows": 3, "seed": -2}, "seed must be None or a non-negative int, got -2"),
        ({"rows": 3, "seed": "7"}, "seed must be None or a non-negative int, got str"),
    ],
    ids=["negative-rows", "float-rows", "bool-rows", "negative-seed", "str-seed"],
)
def test_bad_arguments_raise_invalid_argument(kwargs, message):
    with pytest.raises(InvalidArgumentError, match=message):
        generate(SCHEMA, **kwargs)


def test_errors_share_one_base_class():
    assert issubclass(InvalidArgumentError, SynthDataError)


def test_numpy_integers_are_accepted():
    df = generate(SCHEMA, np.int64(4), seed=np.uint32(3))
    assert len(df) == 4
    assert df.attrs["synthdata"]["seed"] == 3


def test_result_records_seed_rows_and_version():
    df = generate(SCHEMA, 5, seed=11)
    assert df.attrs["synthdata"] == {
        "seed": 11,
        "rows": 5,
        "schema": "schema",
        "columns": ["x"],
        "version": pytest_synthdata.__version__,
    }


def test_public_api_is_small():
    assert set(pytest_synthdata.__all__) == {
        "ChecksUnmetError",
        "ContradictoryChecksError",
        "InfeasibleRequestError",
        "InvalidArgumentError",
        "InvalidShapeError",
        "Shape",
        "ShapeWarning",
        "SlowPathWarning",
        "SynthDataError",
        "SynthDataWarning",
        "UnsupportedSchemaError",
        "__version__",
        "compare",
        "compile",
        "describe",
        "edge_frames",
        "fit",
        "generate",
        "generate_chunks",
        "generate_dask",
        "load_frame",
        "provenance",
        "register",
        "write_dataset",
    }
