"""The chunked face: ``generate_chunks(schema, rows, chunk_rows, seed=...)``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from ._api import (
    _check_parsers,
    _check_rows,
    _check_seed,
    _check_stress,
    _count,
    _plans,
    _stressed,
    as_output,
)
from ._engine.assemble import generate_frame
from ._engine.chunks import (
    BLOCK_ROWS,
    Blocks,
    apply_keys,
    block_seed,
    in_row_order,
    independent,
    key_values,
    plan_keys,
)
from ._engine.plan import check_request
from ._schema.document import loaded, recordable
from ._schema.reader import compile_schema, explain_failure, pandera_errors, shaped
from ._version import __version__
from .errors import ChecksUnmetError, InvalidArgumentError, UnsupportedSchemaError

MAX_ROWS = 1 << 62  # row numbers stay inside int64, keys inside the permutation


class Chunks:
    """The chunks of a data set, made one at a time as they are iterated.

    Iterate it (more than once if need be: each pass makes the same frames)
    to get pandas DataFrames of ``chunk_rows`` rows (the last may be
    shorter). What was made, and how, is in :attr:`info`: the seed, the
    sizes, whether the data set depends on the chunk size, the keyed unique
    columns, and (once the first chunk is made) the stress coverage. Each
    frame's ``attrs["synthdata"]`` holds the same record with the chunk's own
    place (``start``, ``rows``).
    """

    def __init__(
        self,
        schema: Any,
        rows: int,
        chunk_rows: int,
        *,
        seed: int | None = None,
        shape: Any = None,
        stress: bool = False,
    ) -> None:
        self.rows = _check_rows(rows)
        if self.rows > MAX_ROWS:
            raise InvalidArgumentError(
                f"rows must be at most 2**62 ({MAX_ROWS:,}), got {self.rows:,}."
            )
        self.chunk_rows = _count(chunk_rows, "chunk_rows", "a positive int")
        if self.chunk_rows == 0:
            raise InvalidArgumentError("chunk_rows must be a positive int, got 0.")
        self.seed = _check_seed(seed)
        _check_stress(stress)
        self.stress = stress
        shape = loaded(shape)
        self._schema = schema
        self._resolved, spec = compile_schema(schema)
        self._spec = spec = shaped(spec, shape)
        self._plans = _plans(self._spec)
        if "series" in spec.frame_shape:
            raise UnsupportedSchemaError(
                f"{spec.schema_name}: a time series in chunks is currently "
                "unsupported (an entity's readings would span chunks); generate "
                "it in one call with generate()."
            )
        held = self.chunk_rows + (BLOCK_ROWS if independent(spec) else 0)
        check_request(self._spec, self._plans, self.rows, min(held, self.rows))
        # Keys are planned now, so that an unsupported unique column fails
        # before anything is made or written.
        self._keys = plan_keys(self._spec, self._plans, self.rows, self.seed)
        same = independent(self._spec)
        self.info: dict[str, Any] = {
            "seed": self.seed,
            "rows": self.rows,
            "chunk_rows": self.chunk_rows,
            "chunks": len(self),
            "block_rows": BLOCK_ROWS if same else self.chunk_rows,
            "chunk_size_independent": same,
            "keyed": [_name(spec, f) for key in self._keys for f in key.fields],
            "keyed_order": "permuted",
            "schema": self._spec.schema_name,
            "columns": [str(f.name) for f in self._spec.columns],
            "version": __version__,
        }
        if shape:
            self.info["shape"] = recordable(shape)
        self._blocks = Blocks.of(self.rows, self.chunk_rows, spec)
        # Whether the keys' order is settled: checks on whole frames may ask
        # for it in row order, which block 0 finds out.
        self._settled = not (self._keys and spec.has_residual)

    def __len__(self) -> int:
        return max(1, -(-self.rows // self.chunk_rows))

    def chunk(self, number: int) -> pd.DataFrame:
        """Chunk ``number`` alone, equal to the one iteration yields.

        Only the blocks it overlaps are made, so chunks can be made in any
        order, in separate processes or on separate machines.
        """
        if not 0 <= number < len(self):
            raise InvalidArgumentError(
                f"chunk number must be in 0..{len(self) - 1}, got {number!r}."
            )
        if self.rows == 0:
            return self._stamped(self._block(0, 0, 0), 0)
        first = number * self.chunk_rows
        stop = min(first + self.chunk_rows, self.rows)
        blocks = self._blocks
        lo, hi = blocks.holding(first), blocks.holding(stop - 1) + 1
        if lo > 0 and not self._settled:
            self._block(0, 0, blocks.size(0))
        frames = [
            self._block(j, blocks.start(j), blocks.size(j)) for j in range(lo, hi)
        ]
        whole = frames[0] if len(frames) == 1 else pd.concat(frames)
        offset = first - blocks.start(lo)
        out = whole.iloc[offset : offset + stop - first]
        return self._stamped(out.copy() if len(out) < len(whole) else out, number)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        buffer: list[pd.DataFrame] = []
        held = 0
        start = 0
        chunk = 0
        blocks = self._blocks
        for block in range(blocks.count if self.rows else 0):
            size = blocks.size(block)
            buffer.append(self._block(block, start, size))
            held += size
            start += size
            while held >= self.chunk_rows or (held and start == self.rows):
                whole = buffer[0] if len(buffer) == 1 else pd.concat(buffer)
                take = min(self.chunk_rows, held)
                out = whole.iloc[:take]
                rest = whole.iloc[take:]
                buffer = [rest] if len(rest) else []
                held -= take
                yield self._stamped(out.copy() if len(rest) else out, chunk)
                chunk += 1
        if self.rows == 0:
            yield self._stamped(self._block(0, 0, 0), 0)

    def _block(self, block: int, start: int, size: int) -> pd.DataFrame:
        spec, plans = self._spec, self._plans
        seed = block_seed(self.seed, block)
        values = key_values(self._keys, start, size, self.seed, block)
        # Without residual checks no row is dropped: the keyed values go in as
        # drawn (the engine need not draw unique values only to lose them).
        given = values if values and not spec.has_residual else None
        frame = generate_frame(spec, plans, seed, size, given)
        if block == 0 and spec.has_parsers:
            _check_parsers(self._resolved, frame)
        if block == 0 and self.stress:
            frame, coverage = _stressed(self._resolved, spec, plans, frame, seed)
            keyed = set(self.info["keyed"])
            for record in coverage:
                if record["column"] in keyed and record["status"] != "skipped":
                    record["status"] = "skipped"
                    record["reason"] = (
                        "unique across chunks: its values are numbered by a "
                        "permutation of the rows"
                    )
            self.info["stress"] = coverage
        if not spec.index:
            frame.index = pd.RangeIndex(start, start + size)
        if self._keys:
            drawn = frame
            frame = apply_keys(spec, plans, self._keys, drawn, values)
            if spec.has_residual or (block == 0 and self.stress):
                failure = self._failure(frame)
                if failure is not None and block == 0:
                    # Checks that want the keys in order (a sorted unique
                    # index, say): number them in row order from now on.
                    keys = in_row_order(self._keys, self.rows)
                    ordered = key_values(keys, start, size, self.seed, 0)
                    retry = apply_keys(spec, plans, keys, drawn, ordered)
                    if keys != self._keys and self._failure(retry) is None:
                        self._keys, frame, failure = keys, retry, None
                        self.info["keyed_order"] = "rows"
                if block == 0:
                    self._settled = True
                if failure is not None:
                    self._raise(failure, block)
        return frame

    def _failure(self, frame: pd.DataFrame) -> Any:
        try:
            self._resolved.validate(frame, lazy=True)
        except pandera_errors() as exc:
            return exc
        return None

    def _raise(self, exc: Any, block: int) -> None:
        if exc is not None:
            raise ChecksUnmetError(
                f"{self._spec.schema_name}: with its unique columns numbered "
                f"across chunks ({', '.join(self.info['keyed'])}), block {block} "
                f"failed the schema's other checks:\n{explain_failure(exc)}\n"
                "Checks that tie a unique column to others are currently "
                "unsupported in chunks; generate the rows in one call with "
                "generate()."
            ) from None

    def _stamped(self, frame: pd.DataFrame, chunk: int) -> pd.DataFrame:
        start = chunk * self.chunk_rows
        record = {k: v for k, v in self.info.items() if k != "stress"}
        record.update(chunk=chunk, start=start, rows=len(frame), total_rows=self.rows)
        frame.attrs["synthdata"] = record
        if self._spec.polars is not None:
            return as_output(self._schema, frame)
        return frame


def _name(spec: Any, f: Any) -> str:
    """A column's name, or the label of an index level."""
    return str(f.name) if any(c is f for c in spec.columns) else f.label


def generate_chunks(
    schema: Any,
    rows: int,
    chunk_rows: int,
    *,
    seed: int | None = None,
    shape: Any = None,
    stress: bool = False,
) -> Chunks:
    """Generate ``rows`` rows as frames of ``chunk_rows``, made as iterated.

    Parameters
    ----------
    schema : pandera.pandas.DataFrameSchema or DataFrameModel subclass
        The schema every chunk meets.
    rows : int
        Rows in the whole data set.
    chunk_rows : int
        Rows per chunk (the last chunk holds the rest).
    seed : int, optional
        The same seed gives the same chunks. Unless the schema has checks
        that judge a frame as a whole (custom frame or column checks, sorted
        columns), the concatenated rows also do not depend on ``chunk_rows``:
        rows are made in fixed blocks of 65,536 (split evenly), each from its
        own seed. ``info["chunk_size_independent"]`` says which.
    shape : dict, Shape or path, optional
        Column shapes, as for :func:`generate`.
    stress : bool, default False
        Place each column's edge values in the first block (the first rows).

    Returns
    -------
    Chunks
        An iterable of pandas DataFrames, with the record of what was made in
        ``.info``. Unique columns, and combinations declared unique, stay
        unique across all chunks: their values are numbered by a permutation
        of the row numbers, so nothing is remembered between chunks (they are
        spread evenly over the column's range rather than shaped, and hold no
        nulls).

    Raises
    ------
    UnsupportedSchemaError
        A unique column whose values cannot be numbered (a declared
        distribution, a registered strategy, excluded values, an irregular
        pattern), besides everything :func:`generate` raises.

    Examples
    --------
    >>> import pandera.pandas as pa
    >>> from pytest_synthdata import generate_chunks
    >>> schema = pa.DataFrameSchema({"id": pa.Column(int, unique=True)})
    >>> chunks = generate_chunks(schema, 250_000, 100_000, seed=1)
    >>> [len(df) for df in chunks]
    [100000, 100000, 50000]
    """
    return Chunks(schema, rows, chunk_rows, seed=seed, shape=shape, stress=stress)
