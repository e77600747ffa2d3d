"""Dask: a lazy frame from per-partition seeds, equal to the chunked rows."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

dd = pytest.importorskip("dask.dataframe")

from pytest_synthdata import generate_chunks, generate_dask, provenance  # noqa: E402
from pytest_synthdata._chunked import Chunks  # noqa: E402
from pytest_synthdata.errors import (  # noqa: E402
    InvalidArgumentError,
    UnsupportedSchemaError,
)

Check = pa.Check

SCHEMA = pa.DataFrameSchema(
    {
        "key": pa.Column("int64", Check.ge(0), unique=True),
        "amount": pa.Column(float, Check.in_range(0, 100), nullable=True),
        "kind": pa.Column(str, Check.isin(["a", "b", "c"])),
    },
    name="dask_schema",
)


@pytest.fixture(autouse=True)
def _synchronous():
    import dask

    with dask.config.set(scheduler="synchronous"):
        yield


def test_the_frame_is_lazy_until_computed(monkeypatch):
    made = []
    block = Chunks._block

    def counted(self, *args):
        made.append(args)
        return block(self, *args)

    monkeypatch.setattr(Chunks, "_block", counted)
    ddf = generate_dask(SCHEMA, 200_000, 50_000, seed=1)
    assert made == []
    assert ddf.npartitions == 4
    assert ddf.divisions == (0, 50_000, 100_000, 150_000, 199_999)
    assert len(ddf.partitions[1].compute()) == 50_000
    assert made  # only now


def test_partitions_equal_the_chunks_and_keys_stay_unique(exact):
    ddf = generate_dask(SCHEMA, 150_000, 40_000, seed=3)
    whole = ddf.compute()
    expected = pd.concat(list(generate_chunks(SCHEMA, 150_000, 40_000, seed=3)))
    pd.testing.assert_frame_equal(whole, expected)
    assert whole["key"].is_unique
    SCHEMA.validate(whole, lazy=True)


def test_each_partition_is_made_alone_in_any_order():
    chunks = Chunks(SCHEMA, 100_000, 30_000, seed=5)
    streamed = list(chunks)
    for number in (3, 0, 2, 1):
        pd.testing.assert_frame_equal(chunks.chunk(number), streamed[number])
    with pytest.raises(InvalidArgumentError, match="chunk number"):
        chunks.chunk(4)


def test_the_seed_is_drawn_once_and_recorded():
    ddf = generate_dask(SCHEMA, 1000, 300)
    record = provenance(ddf)
    assert isinstance(record["seed"], int)
    again = pd.concat(list(generate_chunks(SCHEMA, 1000, 300, seed=record["seed"])))
    pd.testing.assert_frame_equal(ddf.compute(), again)


def test_polars_schemas_are_refused():
    pl = pytest.importorskip("polars")
    pap = pytest.importorskip("pandera.polars")
    schema = pap.DataFrameSchema({"x": pap.Column(pl.Int64)})
    with pytest.raises(UnsupportedSchemaError, match="generate_dask"):
        generate_dask(schema, 10)


def test_a_two_worker_cluster_makes_the_same_rows():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=50,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        ddf = generate_dask(SCHEMA, 120_000, 20_000, seed=9)
        whole = client.compute(ddf).result()
        workers = client.run(lambda: 1)
    assert len(workers) == 2
    expected = pd.concat(list(generate_chunks(SCHEMA, 120_000, 20_000, seed=9)))
    pd.testing.assert_frame_equal(whole, expected)
    assert whole["key"].is_unique
