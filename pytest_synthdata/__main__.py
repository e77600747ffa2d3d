"""The command line: fit a shape to data, report real against synthetic, and
write synthetic data sets.

    python -m pytest_synthdata fit DATA [--schema SCHEMA] -o shape.yaml
    python -m pytest_synthdata report DATA --shape shape.yaml -o report.html
    python -m pytest_synthdata generate SCHEMA --rows 1e8 -o DIR [--seed 1]

DATA is a CSV or Parquet file. SCHEMA is ``module:attribute`` (a
DataFrameSchema or DataFrameModel importable from the working directory) or
a pandera YAML file. Without one, ``fit`` infers a schema and writes it
beside the shape (``shape.schema.yaml``), where ``report`` finds it.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import importlib
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import SynthDataError


class CommandError(Exception):
    """A bad argument or input: printed as one line, exit status 2."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pytest_synthdata",
        description=(
            "Fit shapes to real data, compare synthetic data with it, and "
            "write synthetic data sets."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True)
    fit_cmd = commands.add_parser("fit", help="fit a shape to DATA")
    fit_cmd.add_argument("data", help="a CSV or Parquet file")
    fit_cmd.add_argument("--schema", help="module:attribute or a pandera YAML file")
    fit_cmd.add_argument("-o", "--out", required=True, help="shape file (.yaml/.json)")
    fit_cmd.add_argument("--k", type=int, default=10, help="privacy threshold (10)")
    fit_cmd.add_argument(
        "--epsilon",
        type=float,
        help="fit under differential privacy with this total epsilon (needs --schema)",
    )
    report_cmd = commands.add_parser("report", help="DATA against synthetic data")
    report_cmd.add_argument("data", help="a CSV or Parquet file")
    report_cmd.add_argument("--shape", required=True, help="shape file from fit")
    report_cmd.add_argument("--schema", help="module:attribute or a pandera YAML file")
    report_cmd.add_argument("-o", "--out", required=True, help="HTML page to write")
    report_cmd.add_argument("--rows", type=int, help="synthetic rows (as many as DATA)")
    report_cmd.add_argument("--seed", type=int, default=0, help="generation seed (0)")
    for cmd in (fit_cmd, report_cmd):
        cmd.add_argument(
            "--encoding", default="utf-8", help="text encoding of a CSV (utf-8)"
        )
    gen_cmd = commands.add_parser("generate", help="write a synthetic data set")
    gen_cmd.add_argument("schema", help="module:attribute or a pandera YAML file")
    gen_cmd.add_argument("--rows", required=True, help="rows to write (1e8 is fine)")
    gen_cmd.add_argument(
        "-o", "--out", required=True, help="a directory, or a .parquet/.csv file"
    )
    gen_cmd.add_argument("--format", help="parquet (the default) or csv")
    gen_cmd.add_argument("--seed", help="the same seed writes the same data")
    gen_cmd.add_argument("--shape", help="a shape file (from fit, or written by hand)")
    gen_cmd.add_argument(
        "--stress", action="store_true", help="place edge values in the first rows"
    )
    gen_cmd.add_argument(
        "--chunk-rows", default="1e6", help="rows made at a time (1e6)"
    )
    gen_cmd.add_argument(
        "--file-rows", default="1e7", help="rows per part file in a directory (1e7)"
    )
    gen_cmd.add_argument("--overwrite", action="store_true", help="replace OUT")
    args = parser.parse_args(argv)
    try:
        if args.command == "fit":
            return _fit(args)
        if args.command == "generate":
            return _generate(args)
        return _report(args)
    except (CommandError, SynthDataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was written.", file=sys.stderr)
        return 130


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _read(path: str, encoding: str = "utf-8") -> Any:
    import codecs

    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise CommandError(f"--encoding {encoding}: no such text encoding.") from None
    _say(f"reading {path} ...")
    try:
        if p.suffix.lower() == ".csv":
            return _dates(pd.read_csv(p, encoding=encoding))
        if p.suffix.lower() in (".parquet", ".pq"):
            return pd.read_parquet(p)
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"{path}: not {encoding} text ({exc.reason} at byte {exc.start}); "
            "give its --encoding, such as --encoding latin-1."
        ) from None
    except Exception as exc:  # pandas and pyarrow raise many kinds
        raise CommandError(f"{path}: cannot read it ({exc}).") from None
    raise CommandError(f"{path}: give a .csv or .parquet file.")


def _dates(frame: Any) -> Any:
    """CSV text columns whose every value is an ISO 8601 date or time, parsed
    (to UTC where the values carry different offsets)."""
    import pandas as pd

    for column in frame.columns:
        ser = frame[column]
        if not pd.api.types.is_string_dtype(ser) and ser.dtype != object:
            continue
        present = ser.dropna()
        if (
            not len(present)
            or not present.astype(str).str.match(r"^\d{4}-\d\d-\d\d").all()
        ):
            continue
        for utc in (False, True):
            try:
                frame[column] = pd.to_datetime(ser, format="ISO8601", utc=utc)
                break
            except (ValueError, TypeError):
                continue
    return frame


def _schema(spec: str | None, option: str = "--schema") -> Any:
    if spec is None:
        return None
    if spec.endswith((".yaml", ".yml")):
        import pandera.pandas as pa

        if not Path(spec).is_file():
            raise CommandError(f"{option} {spec}: no such file.")

        try:
            return pa.DataFrameSchema.from_yaml(spec)
        except Exception as exc:  # pandera's io raises many kinds
            raise CommandError(f"{spec}: not a pandera schema file ({exc}).") from None
    module, _, attr = spec.partition(":")
    if not attr:
        raise CommandError(
            f"{option} {spec}: give module:attribute (such as claims.schemas:Claims) "
            "or a pandera YAML file."
        )
    sys.path.insert(0, str(Path.cwd()))
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise CommandError(f"{option} {spec}: cannot import it ({exc}).") from None
    finally:
        sys.path.pop(0)


def _conformed(data: Any, schema: Any) -> Any:
    """DATA read through the schema's dtypes (CSV holds text), validated."""
    from ._schema.reader import as_schema

    coercing = copy.deepcopy(as_schema(schema))
    coercing.coerce = True
    return _validated(coercing, data, "the data does not meet the schema")


def _typed(data: Any, schema: Any) -> Any:
    """DATA in the schema's dtypes, its checks left aside (real data may lie
    beyond the bounds an inferred schema was coarsened to)."""
    import pandera.pandas as pa

    from ._schema.reader import as_schema

    loose = pa.DataFrameSchema(
        {
            name: pa.Column(col.dtype, nullable=True, coerce=True, required=False)
            for name, col in as_schema(schema).columns.items()
        }
    )
    return _validated(loose, data, "the data has values of other types")


def _validated(schema: Any, data: Any, what: str) -> Any:
    """``schema.validate(data)``, or a command error showing the failures."""
    from ._schema.reader import explain_failure, pandera_errors

    try:
        return schema.validate(data, lazy=True)
    except pandera_errors() as exc:
        raise CommandError(f"{what}:\n{explain_failure(exc)}") from None


def _schema_file(out: Path) -> Path:
    return out.with_name(out.stem + ".schema.yaml")


def _fit(args: argparse.Namespace) -> int:
    from ._fit import fit

    out = Path(args.out)
    if out.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise CommandError(f"-o {args.out}: a shape file ends in .yaml or .json.")
    if args.epsilon is not None:
        if not (math.isfinite(args.epsilon) and args.epsilon > 0):
            raise CommandError(
                f"--epsilon {args.epsilon:g}: give a positive number, such as 1."
            )
        if args.schema is None:
            raise CommandError(
                "--epsilon needs --schema: its bounds and allowed values lay out "
                "what is counted, and an inferred schema would leak them."
            )
    data = _read(args.data, args.encoding)
    schema = _schema(args.schema)
    if schema is not None:
        data = _conformed(data, schema)
    _say(f"fitting {len(data)} rows x {len(data.columns)} columns ...")
    if not len(data.columns):
        raise CommandError(f"{args.data}: no columns to fit.")
    shape = fit(data, schema, k=args.k, epsilon=args.epsilon)
    schema_text = None
    if shape.schema is not None:
        try:
            schema_text = shape.schema.to_yaml()
        except Exception as exc:  # pandera's YAML writer raises many kinds
            raise CommandError(
                f"cannot write the inferred schema as YAML ({exc}); give --schema."
            ) from None
    shape.save(out)
    _say(f"wrote {out}")
    if schema_text is not None:
        from ._files import write_text

        target = write_text(_schema_file(out), schema_text)
        _say(f"wrote {target} (the inferred schema)")
    for column, note in shape.notes.get("fitted", {}).items():
        print(f"{column}: {note}")
    privacy = shape.notes.get("privacy")
    if privacy:
        print(
            f"differential privacy: total epsilon {privacy['epsilon']:g}, "
            f"{len(privacy['columns'])} columns and {privacy['pairs']} pairs"
        )
    return 0


def _report(args: argparse.Namespace) -> int:
    from ._api import generate
    from ._compare import compare
    from ._schema.document import Shape

    if Path(args.out).suffix.lower() not in (".html", ".htm"):
        raise CommandError(f"-o {args.out}: the report is an HTML page (.html).")
    shape = Shape.load(args.shape)
    schema = _schema(args.schema)
    if schema is None:
        beside = _schema_file(Path(args.shape))
        if not beside.is_file():
            raise CommandError(
                f"--schema is needed: {args.shape} has no inferred schema beside it "
                f"({beside.name})."
            )
        schema = _schema(str(beside))
    data = _typed(_read(args.data, args.encoding), schema)
    if not len(data):
        raise CommandError(f"{args.data}: no rows to compare with.")
    rows = len(data) if args.rows is None else args.rows
    if rows < 0:
        raise CommandError(f"--rows {rows}: give a non-negative number.")
    _say(f"generating {rows} synthetic rows ...")
    synthetic = generate(schema, rows, seed=args.seed, shape=shape)
    _say("comparing ...")
    report = compare(data, synthetic)
    path = report.to_html(args.out)
    print(report)
    _say(f"wrote {path}")
    return 0


def _whole(text: str, option: str, least: int = 0) -> int:
    """A count written as 100000, 100_000 or 1e5."""
    try:
        value = float(text.replace("_", "")) if text.strip() else float("nan")
    except ValueError:
        value = float("nan")
    if not math.isfinite(value) or value != int(value) or value < least:
        raise CommandError(
            f"{option} {text}: give a whole number of at least {least} "
            "(such as 100000, 100_000 or 1e5)."
        )
    return int(value)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI timeout, ``docker stop``) handled as Ctrl-C, so that a
    write in progress removes its temporary files."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _generate(args: argparse.Namespace) -> int:
    from ._dataset import write_dataset

    rows = _whole(args.rows, "--rows")
    chunk_rows = _whole(args.chunk_rows, "--chunk-rows", 1)
    file_rows = _whole(args.file_rows, "--file-rows", 1)
    seed = None if args.seed is None else _whole(args.seed, "--seed")
    if args.format is not None and args.format not in ("parquet", "csv"):
        raise CommandError(f"--format {args.format}: give parquet or csv.")
    if args.shape is not None and not Path(args.shape).is_file():
        raise CommandError(f"--shape {args.shape}: no such file.")
    schema = _schema(args.schema, "SCHEMA")
    with _terminate_as_interrupt():
        record = write_dataset(
            schema,
            rows,
            args.out,
            format=args.format,
            seed=seed,
            shape=args.shape,
            stress=args.stress,
            chunk_rows=chunk_rows,
            file_rows=file_rows,
            overwrite=args.overwrite,
            progress=True,
        )
    files = len(record["files"])
    print(
        f"wrote {record['rows']:,} rows to {record['path']} ({record['format']}, "
        f"{files} file{'s' if files != 1 else ''}, seed {record['seed']}) "
        f"in {record['seconds']:.1f} s"
    )
    if not record["chunk_size_independent"]:
        print(
            "note: the schema has checks on whole frames, so each chunk is made "
            "alone and the rows depend on --chunk-rows"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
