"""Data sets on disk: Parquet or CSV, a chunk at a time, whole or not at all."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ._chunked import Chunks
from ._files import _umask, atomic_write
from .errors import InvalidArgumentError

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}
SUFFIX = {"parquet": ".parquet", "csv": ".csv"}
CHUNK_ROWS = 1_000_000
FILE_ROWS = 10_000_000
MANIFEST = "_synthdata.json"


def write_dataset(
    schema: Any,
    rows: int,
    out: str | os.PathLike[str],
    *,
    format: str | None = None,
    seed: int | None = None,
    shape: Any = None,
    stress: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    file_rows: int = FILE_ROWS,
    overwrite: bool = False,
    progress: bool = False,
) -> dict[str, Any]:
    """Write ``rows`` generated rows to Parquet or CSV with bounded memory.

    Parameters
    ----------
    schema : pandera.pandas.DataFrameSchema or DataFrameModel subclass
        The schema every row meets.
    rows : int
        Rows to write.
    out : str or path
        A file ending in ``.parquet`` or ``.csv`` (one file), or a directory
        that gets part files of up to ``file_rows`` rows each and a
        ``_synthdata.json`` record (readers of Parquet data sets skip files
        whose names start with an underscore).
    format : {"parquet", "csv"}, optional
        Needed for a directory (default ``"parquet"``); for a file it is read
        from the suffix.
    seed, shape, stress
        As for :func:`generate_chunks`.
    chunk_rows : int, default 1,000,000
        Rows made and written at a time (a Parquet row group each): memory
        grows with this, not with ``rows``.
    file_rows : int, default 10,000,000
        Rows per part file in a directory (whole chunks).
    overwrite : bool, default False
        Replace ``out`` if it exists (otherwise that is an error, raised
        before anything is made).
    progress : bool, default False
        Show progress on standard error: a bar on a terminal, a line every
        tenth of the way otherwise.

    Returns
    -------
    dict
        The record of what was written: the path, the format, the files, the
        seed and the rest of :attr:`Chunks.info`, and the seconds it took.

    Notes
    -----
    Everything is written beside ``out`` under a hidden temporary name and
    moved into place once complete, so an error or an interrupt leaves
    ``out`` as it was (a killed process may leave the hidden temporary
    behind).
    """
    target = Path(out)
    kind = _format(target, format)
    single = target.suffix.lower() in FORMATS
    if not isinstance(overwrite, bool) or not isinstance(progress, bool):
        raise InvalidArgumentError("overwrite and progress must be True or False.")
    if target.exists() and not overwrite:
        raise InvalidArgumentError(
            f"{target} exists; pass overwrite=True (--overwrite) to replace it."
        )
    if target.exists() and single != target.is_file():
        raise InvalidArgumentError(
            f"{target} exists and is a {'directory' if single else 'file'}; "
            "give another path."
        )
    files = Chunks(schema, rows, chunk_rows, seed=seed, shape=shape, stress=stress)
    per_file = _count_per_file(file_rows, files.chunk_rows)
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    meter = _Progress(files.rows, sys.stderr) if progress else None
    try:
        if single:
            atomic_write(
                target,
                lambda tmp: _write_files(
                    files, kind, [Path(tmp)], per_file=len(files), meter=meter
                ),
            )
            return _record(files, target, kind, [target.name], started)
        return _write_directory(files, kind, target, per_file, meter, started)
    finally:
        if meter is not None:
            meter.close()


def _record(
    files: Chunks, target: Path, kind: str, names: list[str], started: float
) -> dict[str, Any]:
    record = dict(files.info)
    record.update(
        path=str(target),
        format=kind,
        files=names,
        seconds=round(time.monotonic() - started, 3),
    )
    return record


def _write_directory(
    files: Chunks, kind: str, target: Path, per_file: int, meter: Any, started: float
) -> dict[str, Any]:
    """Part files and the record, in a hidden directory moved into place."""
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.tmp-"))
    try:
        count = max(1, -(-len(files) // per_file))
        names = [f"part-{j:05d}{SUFFIX[kind]}" for j in range(count)]
        _write_files(
            files, kind, [tmp / name for name in names], per_file=per_file, meter=meter
        )
        record = _record(files, target, kind, names, started)
        text = json.dumps(record, indent=2, default=str)
        (tmp / MANIFEST).write_text(text + "\n", encoding="utf-8")
        _move_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return record


def _format(target: Path, format: str | None) -> str:
    suffix = target.suffix.lower()
    if format is not None and format not in SUFFIX:
        raise InvalidArgumentError(
            f"format must be 'parquet' or 'csv', got {format!r}."
        )
    if suffix in FORMATS:
        if format is not None and FORMATS[suffix] != format:
            raise InvalidArgumentError(
                f"{target} ends in {suffix} but format={format!r}; make them agree."
            )
        return FORMATS[suffix]
    if suffix and not target.is_dir():
        raise InvalidArgumentError(
            f"{target}: give a directory, or a file ending in .parquet or .csv."
        )
    return format or "parquet"


def _count_per_file(file_rows: Any, chunk_rows: int) -> int:
    if isinstance(file_rows, bool) or not isinstance(file_rows, int) or file_rows < 1:
        raise InvalidArgumentError(
            f"file_rows must be a positive int, got {file_rows!r}."
        )
    return max(1, file_rows // chunk_rows)


def _write_files(
    chunks: Chunks, kind: str, paths: list[Path], per_file: int, meter: Any
) -> None:
    """Each chunk into its file (``per_file`` chunks a file), as it is made."""
    writer = None
    schema = None
    metadata = None
    file_no = -1
    try:
        for number, frame in enumerate(chunks):
            table = _table(frame, chunks, kind)
            if schema is None:
                schema, metadata = table.schema, table.schema.metadata
            else:
                table = _conform(table, schema, metadata)
            if number // per_file != file_no:
                if writer is not None:
                    writer.close()
                file_no = number // per_file
                writer = _writer(kind, paths[file_no], schema, chunks.info)
            writer.write_table(table)
            if meter is not None:
                meter.update(len(frame))
    finally:
        if writer is not None:
            writer.close()


def _table(frame: Any, chunks: Chunks, kind: str) -> Any:
    import pandas as pd
    import pyarrow as pa

    if isinstance(frame, pd.DataFrame):
        table = pa.Table.from_pandas(frame, preserve_index=bool(chunks._spec.index))
    else:  # polars
        table = frame.to_arrow()
    if kind == "csv":  # the CSV writer takes plain values, not dictionaries
        fields = [
            f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f
            for f in table.schema
        ]
        table = table.cast(pa.schema(fields, metadata=table.schema.metadata))
    return table


def _conform(table: Any, schema: Any, metadata: Any) -> Any:
    """A later chunk's table in the first one's schema (a column of nulls, say,
    is typed null in a chunk of its own)."""
    table = table.replace_schema_metadata(metadata)
    if not table.schema.equals(schema, check_metadata=False):
        table = table.cast(schema)
    return table


def _writer(kind: str, path: Path, schema: Any, info: dict[str, Any]) -> Any:
    if kind == "parquet":
        import pyarrow.parquet as pq

        meta = dict(schema.metadata or {})
        meta[b"synthdata"] = json.dumps(info, default=str).encode()
        return pq.ParquetWriter(path, schema.with_metadata(meta))
    import pyarrow.csv as pcsv

    return pcsv.CSVWriter(path, schema)


def _move_into_place(tmp: Path, target: Path) -> None:
    """Directory ``tmp`` renamed to ``target``; an existing target goes only
    once the new one is in place."""
    os.chmod(tmp, 0o777 & ~_umask())
    if not target.exists():
        os.replace(tmp, target)
        return
    old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
    os.replace(target, old / target.name)
    try:
        os.replace(tmp, target)
    except BaseException:
        os.replace(old / target.name, target)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


class _Progress:
    """Rows written so far, on standard error: a bar on a terminal, or a line
    every tenth of the way."""

    def __init__(self, total: int, stream: Any) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.start = time.monotonic()
        self.shown = 0.0
        self.tenth = 0

    def update(self, rows: int) -> None:
        self.done += rows
        now = time.monotonic()
        share = self.done / self.total if self.total else 1.0
        if self.tty:
            if now - self.shown >= 0.25 or self.done == self.total:
                self.shown = now
                bar = "#" * int(30 * share)
                self.stream.write(f"\r[{bar:<30}] {self._text(now)}")
                self.stream.flush()
        elif int(share * 10) > self.tenth or self.done == self.total:
            self.tenth = int(share * 10)
            self.stream.write(self._text(now) + "\n")
            self.stream.flush()

    def _text(self, now: float) -> str:
        rate = self.done / max(now - self.start, 1e-9)
        share = self.done / self.total if self.total else 1.0
        left = (self.total - self.done) / rate if rate else 0.0
        return (
            f"{self.done:,} / {self.total:,} rows ({share:.0%}), "
            f"{rate:,.0f} rows/s, {left:.0f} s left"
        )

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
