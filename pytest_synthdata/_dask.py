"""The Dask face: a lazy DataFrame whose partitions are made where computed."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from typing import Any

from ._chunked import Chunks
from ._provenance import remember
from .errors import InvalidArgumentError, UnsupportedSchemaError

PARTITION_ROWS = 1 << 20  # 16 blocks of 65,536: partitions cut no block in two


# The compiled data sets of this process (a worker), by token: each
# partition's task arrives with its own copy of the schema, which would
# otherwise be compiled again for every partition.
_MADE: OrderedDict[str, Chunks] = OrderedDict()
_MADE_SIZE = 8
_LOCK = threading.Lock()


class _Partition:
    """Makes partition ``i``: sent to the workers, it carries only arguments."""

    def __init__(self, schema: Any, rows: int, partition_rows: int, **kw: Any):
        self.args = (schema, rows, partition_rows)
        self.kw = kw
        self.token = uuid.uuid4().hex

    def __call__(self, number: int) -> Any:
        with _LOCK:
            chunks = _MADE.get(self.token)
        if chunks is None:
            chunks = Chunks(*self.args, **self.kw)
            with _LOCK:
                _MADE[self.token] = chunks
                while len(_MADE) > _MADE_SIZE:
                    _MADE.popitem(last=False)
        return chunks.chunk(number)


def generate_dask(
    schema: Any,
    rows: int,
    partition_rows: int = PARTITION_ROWS,
    *,
    seed: int | None = None,
    shape: Any = None,
    stress: bool = False,
) -> Any:
    """A Dask DataFrame of ``rows`` generated rows, built lazily.

    Partition ``i`` holds the rows of chunk ``i`` of
    :func:`generate_chunks` with ``chunk_rows=partition_rows``: it is made
    from its own seeds when (and where) it is computed, so a cluster makes
    the data set in parallel with nothing sent but the schema and the seed.
    Needs ``dask[dataframe]`` (``pip install 'pytest-synthdata[dask]'``).

    Parameters
    ----------
    schema : pandera.pandas.DataFrameSchema or DataFrameModel subclass
        The schema every partition meets.
    rows : int
        Rows in the whole data set.
    partition_rows : int, default 1,048,576
        Rows per partition (a multiple of 65,536 makes no block twice).
    seed, shape, stress
        As for :func:`generate_chunks`. Without a seed one is drawn now, so
        that every worker uses the same; it is in ``provenance(ddf)``.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; its partitions are pandas DataFrames, each valid under the
        schema, with unique columns unique across all of them. Without an
        index in the schema the index runs 0..rows-1 and the divisions are
        known.
    """
    try:
        import dask.dataframe as dd
    except ImportError:  # pragma: no cover - the extra is installed in tests
        raise InvalidArgumentError(
            "generate_dask needs dask: pip install 'pytest-synthdata[dask]'."
        ) from None
    chunks = Chunks(schema, rows, partition_rows, seed=seed, shape=shape, stress=stress)
    if chunks._spec.polars is not None:
        raise UnsupportedSchemaError(
            f"{chunks._spec.schema_name}: pandera.polars schemas in generate_dask "
            "are currently unsupported (Dask partitions are pandas frames); use "
            "generate_chunks, or a pandera.pandas schema."
        )
    make = _Partition(
        schema,
        chunks.rows,
        chunks.chunk_rows,
        seed=chunks.seed,
        shape=shape,
        stress=stress,
    )
    meta = _meta(chunks)
    divisions = None
    if not chunks._spec.index and chunks.rows:
        step = chunks.chunk_rows
        divisions = (*range(0, chunks.rows, step), chunks.rows - 1)
    ddf = dd.from_map(
        make,
        list(range(len(chunks))),
        meta=meta,
        divisions=divisions,
        label="synthdata",
        enforce_metadata=False,
    )
    return remember(ddf, dict(chunks.info))


def _meta(chunks: Chunks) -> Any:
    """An empty frame with the partitions' columns, dtypes and index."""
    from ._engine.assemble import generate_frame

    spec = chunks._spec
    few = max(1, spec.min_rows)
    frame = generate_frame(
        spec, chunks._plans, chunks.seed, min(few, max(chunks.rows, few))
    )
    return frame.iloc[:0]
