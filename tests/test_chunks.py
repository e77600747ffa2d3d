"""Chunked generation: blocks, keys unique across chunks, files on disk, CLI."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from scipy import stats

from pytest_synthdata import generate_chunks, write_dataset
from pytest_synthdata.__main__ import main
from pytest_synthdata._chunked import Chunks
from pytest_synthdata._engine.chunks import BLOCK_ROWS
from pytest_synthdata._generators.permute import Permutation, permutation
from pytest_synthdata.errors import (
    ChecksUnmetError,
    InfeasibleRequestError,
    InvalidArgumentError,
    UnsupportedSchemaError,
)

from .conftest import GENERABLE, corpus_schema, ks_bound

Check = pa.Check

SIMPLE = pa.DataFrameSchema(
    {
        "key": pa.Column("int64", Check.ge(0), unique=True),
        "amount": pa.Column(float, Check.in_range(0, 500), nullable=True),
        "kind": pa.Column(str, Check.isin(["a", "b", "c"])),
        "when": pa.Column("datetime64[ns]"),
    },
    name="simple",
)


def _concat(chunks) -> pd.DataFrame:
    return pd.concat(list(chunks))


# --------------------------------------------------------------------------
# the permutation
# --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [*range(1, 70), 255, 256, 257, 1000, 4097])
def test_permutation_is_a_bijection(size):
    rng = np.random.default_rng(size)
    image = permutation(size, rng)(np.arange(size))
    assert sorted(image.tolist()) == list(range(size))


def test_permutation_is_fixed_by_its_keys_and_differs_between_keys():
    keys = np.arange(1, 5, dtype=np.uint64)
    a = Permutation(10**6, keys)(np.arange(1000))
    b = Permutation(10**6, keys)(np.arange(1000))
    c = Permutation(10**6, keys + np.uint64(1))(np.arange(1000))
    assert (a == b).all()
    assert (a != c).mean() > 0.99


def test_permutation_of_a_huge_domain_has_no_repeats_and_spreads_evenly():
    size = 3 * 10**17
    image = permutation(size, np.random.default_rng(5))(np.arange(200_000))
    assert len(np.unique(image)) == len(image)
    assert image.min() >= 0
    assert image.max() < size
    ks = stats.kstest(image / size, "uniform").statistic
    assert ks < ks_bound(len(image))


def test_permutation_refuses_indices_beyond_its_size():
    with pytest.raises(ValueError, match="beyond"):
        permutation(10, np.random.default_rng(0))(np.array([10]))


# --------------------------------------------------------------------------
# generate_chunks
# --------------------------------------------------------------------------


def test_chunks_have_the_asked_sizes_and_each_validates(exact):
    chunks = generate_chunks(SIMPLE, 250_000, 100_000, seed=1)
    frames = list(chunks)
    assert [len(f) for f in frames] == [100_000, 100_000, 50_000]
    assert len(chunks) == 3
    for number, frame in enumerate(frames):
        exact(SIMPLE, frame)
        record = frame.attrs["synthdata"]
        assert record["chunk"] == number
        assert record["start"] == 100_000 * number
        assert record["seed"] == 1
        assert record["total_rows"] == 250_000
    whole = pd.concat(frames)
    assert whole.index.equals(pd.RangeIndex(250_000))
    exact(SIMPLE, whole)  # keys unique across the chunks


@pytest.mark.parametrize("chunk_rows", [1, 7, 1000, BLOCK_ROWS, BLOCK_ROWS + 3, 10**6])
def test_rows_do_not_depend_on_the_chunk_size(chunk_rows):
    rows = 2 * BLOCK_ROWS + 11 if chunk_rows > 1 else 50
    one = _concat(generate_chunks(SIMPLE, rows, rows, seed=9))
    other = generate_chunks(SIMPLE, rows, chunk_rows, seed=9)
    assert other.info["chunk_size_independent"]
    pd.testing.assert_frame_equal(_concat(other), one)


def test_the_same_seed_makes_the_same_chunks_and_another_seed_others():
    a = _concat(generate_chunks(SIMPLE, 5000, 999, seed=4))
    b = _concat(generate_chunks(SIMPLE, 5000, 999, seed=4))
    c = _concat(generate_chunks(SIMPLE, 5000, 999, seed=5))
    pd.testing.assert_frame_equal(a, b)
    assert (a["key"].to_numpy() != c["key"].to_numpy()).mean() > 0.99


def test_iterating_twice_makes_the_same_frames():
    chunks = generate_chunks(SIMPLE, 3000, 1000)
    first, second = _concat(chunks), _concat(chunks)
    pd.testing.assert_frame_equal(first, second)
    assert isinstance(chunks.info["seed"], int)


def test_whole_frame_checks_make_each_chunk_its_own_block(exact):
    schema = pa.DataFrameSchema(
        {"x": pa.Column(int, [Check.in_range(0, 9), Check(lambda s: s.sum() > 0)])}
    )
    chunks = generate_chunks(schema, 1000, 300, seed=2)
    assert not chunks.info["chunk_size_independent"]
    assert chunks.info["block_rows"] == 300
    for frame in chunks:
        exact(schema, frame)


UNIQUE_KINDS = {
    "int": pa.Column("int64", unique=True),
    "narrow int": pa.Column("int16", Check.in_range(-50, 30_000), unique=True),
    "uint64": pa.Column("uint64", Check.ge(2**63), unique=True),
    "float": pa.Column(float, Check.in_range(0, 1, include_min=False), unique=True),
    "float32": pa.Column("float32", Check.gt(-5), unique=True),
    "datetime": pa.Column("datetime64[ns]", unique=True),
    "date": pa.Column(
        pa.engines.pandas_engine.Date,
        Check.ge(pd.Timestamp("2020-01-01").date()),
        unique=True,
    ),
    "text": pa.Column(str, Check.str_length(2, 12), unique=True),
    "prefixed": pa.Column(str, Check.str_startswith("ID-"), unique=True),
    "pattern": pa.Column(str, Check.str_matches(r"^[A-Z]{3}-[0-9]{4}$"), unique=True),
    "options": pa.Column(
        str, Check.str_matches(r"^(com|org|net)-[a-f0-9]{6}$"), unique=True
    ),
    "category": pa.Column(
        pd.CategoricalDtype([f"c{i}" for i in range(40_000)]), unique=True
    ),
}


@pytest.mark.parametrize("kind", list(UNIQUE_KINDS))
def test_unique_columns_stay_unique_across_chunks(kind, exact):
    schema = pa.DataFrameSchema(
        {"u": UNIQUE_KINDS[kind], "n": pa.Column(int, Check.in_range(0, 3))}
    )
    chunks = generate_chunks(schema, 30_000, 4_000, seed=3)
    frames = list(chunks)
    assert chunks.info["keyed"] == ["u"]
    for frame in frames:
        exact(schema, frame)
    whole = pd.concat(frames)
    exact(schema, whole, 30_000)
    assert whole["u"].is_unique


def test_a_domain_exactly_as_large_as_the_rows_is_used_whole():
    schema = pa.DataFrameSchema(
        {"u": pa.Column(int, Check.in_range(1, 200_000), unique=True)}
    )
    whole = _concat(generate_chunks(schema, 200_000, 30_000, seed=8))
    assert sorted(whole["u"].tolist()) == list(range(1, 200_001))
    # ... in an order that looks shuffled, not in runs
    steps = np.diff(whole["u"].to_numpy())
    assert (np.abs(steps) == 1).mean() < 0.01


def test_keyed_ints_spread_evenly_over_their_range():
    schema = pa.DataFrameSchema(
        {"u": pa.Column(int, Check.in_range(0, 10**9), unique=True)}
    )
    values = _concat(generate_chunks(schema, 100_000, 10_000, seed=1))["u"]
    ks = stats.kstest(values / 10**9, "uniform").statistic
    assert ks < ks_bound(len(values))


def test_joint_uniqueness_holds_across_chunks(exact):
    schema = pa.DataFrameSchema(
        {
            "shop": pa.Column(int, Check.in_range(1, 300)),
            "day": pa.Column(str, Check.isin([f"d{i}" for i in range(400)])),
            "sales": pa.Column(float, Check.ge(0)),
        },
        unique=["shop", "day"],
    )
    chunks = generate_chunks(schema, 100_000, 7_000, seed=6)
    assert chunks.info["keyed"] == ["shop", "day"]
    whole = _concat(chunks)
    exact(schema, whole, 100_000)
    assert not whole.duplicated(["shop", "day"]).any()


def test_a_sorted_unique_column_is_numbered_in_row_order(exact):
    schema = pa.DataFrameSchema(
        {
            "seq": pa.Column(
                int,
                Check.ge(0),
                unique=True,
                metadata={"synthdata": {"sorted": "increasing"}},
            ),
            "x": pa.Column(float),
        }
    )
    whole = _concat(generate_chunks(schema, 20_000, 3_000, seed=2))
    exact(schema, whole)
    assert whole["seq"].is_monotonic_increasing


def test_checks_that_want_sorted_keys_get_them_in_row_order(exact):
    schema = pa.DataFrameSchema(
        {"v": pa.Column(float)},
        index=pa.Index(
            int,
            [Check.ge(0), Check(lambda s: s.is_monotonic_increasing)],
            unique=True,
            name="t",
        ),
    )
    chunks = generate_chunks(schema, 5_000, 1_000, seed=1)
    frames = list(chunks)
    assert chunks.info["keyed_order"] == "rows"
    for frame in frames:
        exact(schema, frame)
    assert pd.concat(frames).index.is_monotonic_increasing


def test_too_many_rows_for_a_unique_column_is_refused_before_any_chunk():
    schema = pa.DataFrameSchema(
        {"u": pa.Column(int, Check.in_range(0, 9), unique=True)}
    )
    with pytest.raises(InfeasibleRequestError, match="'u'"):
        generate_chunks(schema, 11, 5)
    text = pa.DataFrameSchema(
        {"u": pa.Column(str, Check.str_matches(r"^[ab]{3}$"), unique=True)}
    )
    with pytest.raises(InfeasibleRequestError, match="'u'"):
        generate_chunks(text, 9, 5)


@pytest.mark.parametrize(
    ("column", "why"),
    [
        (
            pa.Column(
                float,
                unique=True,
                metadata={"synthdata": {"dist": "normal", "mean": 0, "std": 1}},
            ),
            "declared distribution",
        ),
        (pa.Column(int, Check.notin([3, 4]), unique=True), "notin"),
        (pa.Column(str, Check.str_matches(r"^(a+|b)c$"), unique=True), "pattern"),
        (
            pa.Column(
                str,
                [Check.str_matches(r"^[a-z]{4}$"), Check.str_contains("q")],
                unique=True,
            ),
            "str_contains",
        ),
    ],
)
def test_unique_columns_that_cannot_be_numbered_say_so(column, why):
    schema = pa.DataFrameSchema({"u": column})
    with pytest.raises(
        UnsupportedSchemaError,
        match=f"'u'.*{why}.*currently unsupported|'u'.*currently unsupported.*{why}",
    ):
        generate_chunks(schema, 100, 10)


def test_numbered_strings_longer_than_str_length_allows_are_refused():
    schema = pa.DataFrameSchema(
        {
            "u": pa.Column(
                str,
                [Check.str_matches(r"^[a-z]{2,8}$"), Check.str_length(2, 3)],
                unique=True,
            )
        }
    )
    with pytest.raises(InfeasibleRequestError, match=r"'u'.*one length \(3 char"):
        generate_chunks(schema, 17_600, 1000, seed=1)


def test_numbered_values_that_fail_custom_checks_are_refused():
    schema = pa.DataFrameSchema(
        {
            "u": pa.Column(
                str,
                [
                    Check.str_matches(r"^[a-z]{2,8}$"),
                    Check(lambda s: s[-1] != "a", element_wise=True),
                ],
                unique=True,
            )
        }
    )
    with pytest.raises(ChecksUnmetError, match=r"numbered across chunks"):
        list(generate_chunks(schema, 10_000, 1000, seed=1))


def test_numbered_strings_are_as_long_as_str_length_asks(exact):
    schema = pa.DataFrameSchema(
        {
            "u": pa.Column(
                str,
                [Check.str_matches(r"^[a-z]{2,8}$"), Check.str_length(5, 6)],
                unique=True,
            )
        }
    )
    whole = _concat(generate_chunks(schema, 1000, 300, seed=1))
    exact(schema, whole)
    assert whole["u"].str.len().between(5, 6).all()


def test_custom_checks_broken_by_numbered_keys_are_refused():
    schema = pa.DataFrameSchema(
        {"u": pa.Column(int, Check.in_range(0, 10**6), unique=True)},
        checks=Check(lambda df: df["u"] % 7 == 3),
    )
    with pytest.raises(ChecksUnmetError, match="numbered across chunks"):
        list(generate_chunks(schema, 100, 10, seed=1))


@pytest.mark.parametrize(
    ("rows", "chunk_rows", "match"),
    [
        (-1, 10, "rows"),
        (10, 0, "chunk_rows"),
        (10, -3, "chunk_rows"),
        (10, 2.5, "chunk_rows"),
        (1.0, 10, "rows"),
    ],
)
def test_bad_arguments_are_refused(rows, chunk_rows, match):
    with pytest.raises(InvalidArgumentError, match=match):
        generate_chunks(SIMPLE, rows, chunk_rows)


def test_zero_rows_make_one_empty_chunk_with_the_columns(exact):
    frames = list(generate_chunks(SIMPLE, 0, 10, seed=1))
    assert len(frames) == 1
    exact(SIMPLE, frames[0], 0)
    assert list(frames[0].columns) == list(SIMPLE.columns)


def test_stress_places_the_edges_in_the_first_chunk_and_records_them(exact):
    schema = pa.DataFrameSchema(
        {
            "key": pa.Column(int, Check.ge(0), unique=True),
            "x": pa.Column(int, Check.in_range(-5, 5)),
            "s": pa.Column(str, Check.isin(["a", "b"]), nullable=True),
        }
    )
    chunks = generate_chunks(schema, 3000, 1000, seed=1, stress=True)
    frames = list(chunks)
    for frame in frames:
        exact(schema, frame)
    coverage = chunks.info["stress"]
    placed = [c for c in coverage if c["status"] != "skipped"]
    assert {c["column"] for c in placed} >= {"x", "s"}
    assert {-5, 5} <= set(frames[0]["x"].head(50))
    assert all(c["status"] == "skipped" for c in coverage if c["column"] == "key")
    assert pd.concat(frames)["key"].is_unique


def test_shapes_apply_to_chunks():
    shape = {"amount": {"dist": "normal", "mean": 200, "std": 20}}
    whole = _concat(generate_chunks(SIMPLE, 40_000, 9_000, seed=1, shape=shape))
    amounts = whole["amount"].dropna()
    assert abs(amounts.mean() - 200) < 5 * 20 / math.sqrt(len(amounts))


@pytest.mark.parametrize("path", GENERABLE, ids=lambda p: p.stem[:3])
def test_corpus_schemas_in_chunks(path, exact):
    schema = corpus_schema(path)
    if hasattr(schema, "to_schema"):
        schema = schema.to_schema()
    chunks = generate_chunks(schema, 300, 70, seed=2)
    frames = list(chunks)
    assert sum(len(f) for f in frames) == 300
    for frame in frames:
        schema.validate(frame, lazy=True)
    whole = pd.concat(frames)
    for name, column in schema.columns.items():
        if column.unique:
            assert whole[name].dropna().is_unique, name
    if schema.index is not None and getattr(schema.index, "unique", False):
        assert whole.index.is_unique


# --------------------------------------------------------------------------
# write_dataset
# --------------------------------------------------------------------------


def test_a_parquet_directory_holds_the_chunks_and_a_record(tmp_path, exact):
    out = tmp_path / "data"
    record = write_dataset(
        SIMPLE, 25_000, out, seed=3, chunk_rows=4_000, file_rows=10_000
    )
    # whole chunks to a file: two of 4,000 rows fit in 10,000
    assert record["files"] == [f"part-{j:05d}.parquet" for j in range(4)]
    assert sorted(os.listdir(out)) == ["_synthdata.json", *record["files"]]
    manifest = json.loads((out / "_synthdata.json").read_text())
    assert manifest["seed"] == 3
    assert manifest["rows"] == 25_000
    back = pd.read_parquet(out)
    expected = _concat(generate_chunks(SIMPLE, 25_000, 4_000, seed=3))
    pd.testing.assert_frame_equal(back, expected.reset_index(drop=True))
    exact(SIMPLE, back)
    assert [x.name for x in tmp_path.iterdir()] == ["data"]  # no temporaries


def test_one_parquet_file_carries_its_record(tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "a.parquet"
    write_dataset(SIMPLE, 1000, out, seed=1, chunk_rows=300)
    meta = json.loads(pq.read_schema(out).metadata[b"synthdata"])
    assert meta["seed"] == 1
    assert meta["rows"] == 1000
    assert pq.ParquetFile(out).num_row_groups == 4


def test_a_csv_file_reads_back_valid(tmp_path, exact):
    out = tmp_path / "a.csv"
    write_dataset(SIMPLE, 2000, out, seed=1, chunk_rows=700)
    back = pd.read_csv(out, parse_dates=["when"])
    back["kind"] = back["kind"].astype("str")
    assert len(back) == 2000
    SIMPLE.validate(back, lazy=True)
    assert out.read_text().count('"key",') == 1  # one header


def test_category_columns_are_written_as_their_values_in_csv(tmp_path):
    schema = pa.DataFrameSchema({"c": pa.Column(pd.CategoricalDtype(["x", "y"]))})
    out = tmp_path / "c.csv"
    write_dataset(schema, 50, out, seed=1, chunk_rows=20)
    assert set(pd.read_csv(out)["c"]) <= {"x", "y"}


def test_an_existing_target_is_refused_unless_overwritten(tmp_path):
    out = tmp_path / "a.parquet"
    out.write_text("keep me")
    with pytest.raises(InvalidArgumentError, match="overwrite"):
        write_dataset(SIMPLE, 10, out)
    assert out.read_text() == "keep me"
    write_dataset(SIMPLE, 10, out, overwrite=True)
    assert len(pd.read_parquet(out)) == 10


class Interrupted(KeyboardInterrupt):
    pass


def _interrupt_after(monkeypatch, count: int) -> None:
    made = Chunks.__iter__

    def iterate(self):
        for number, frame in enumerate(made(self)):
            if number == count:
                raise Interrupted
            yield frame

    monkeypatch.setattr(Chunks, "__iter__", iterate)


@pytest.mark.parametrize("name", ["data", "a.parquet", "a.csv"])
def test_an_interrupted_write_leaves_nothing(tmp_path, monkeypatch, name):
    _interrupt_after(monkeypatch, 2)
    with pytest.raises(Interrupted):
        write_dataset(SIMPLE, 10_000, tmp_path / name, chunk_rows=1000, file_rows=1000)
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_overwrite_keeps_the_old_data(tmp_path, monkeypatch):
    out = tmp_path / "data"
    write_dataset(SIMPLE, 100, out, seed=1)
    before = pd.read_parquet(out)
    _interrupt_after(monkeypatch, 1)
    with pytest.raises(Interrupted):
        write_dataset(SIMPLE, 5000, out, chunk_rows=1000, overwrite=True)
    pd.testing.assert_frame_equal(pd.read_parquet(out), before)
    assert [x.name for x in tmp_path.iterdir()] == ["data"]


def test_an_overwritten_directory_is_replaced_whole(tmp_path):
    out = tmp_path / "data"
    write_dataset(SIMPLE, 30, out, seed=1, chunk_rows=10, file_rows=10)
    write_dataset(SIMPLE, 5, out, seed=1, overwrite=True)
    assert sorted(os.listdir(out)) == ["_synthdata.json", "part-00000.parquet"]


def test_a_schema_error_writes_nothing(tmp_path):
    schema = pa.DataFrameSchema(
        {"u": pa.Column(int, Check.in_range(0, 3), unique=True)}
    )
    with pytest.raises(InfeasibleRequestError):
        write_dataset(schema, 10, tmp_path / "x.parquet")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "kwargs", "match"),
    [
        ("a.csv", {"format": "parquet"}, "agree"),
        ("a.txt", {}, "directory"),
        ("d", {"format": "feather"}, "parquet"),
        ("d", {"file_rows": 0}, "file_rows"),
        ("d", {"overwrite": "yes"}, "overwrite"),
    ],
)
def test_bad_write_options_are_refused(tmp_path, name, kwargs, match):
    with pytest.raises(InvalidArgumentError, match=match):
        write_dataset(SIMPLE, 10, tmp_path / name, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_progress_is_reported_a_tenth_at_a_time(tmp_path, capsys):
    write_dataset(SIMPLE, 10_000, tmp_path / "d", chunk_rows=500, progress=True)
    lines = capsys.readouterr().err.strip().splitlines()
    assert 10 <= len(lines) <= 11
    assert lines[-1].startswith("10,000 / 10,000 rows (100%)")


# --------------------------------------------------------------------------
# the command line
# --------------------------------------------------------------------------

SCHEMA_MODULE = """
import pandera.pandas as pa

class Orders(pa.DataFrameModel):
    order_id: int = pa.Field(ge=1, unique=True)
    amount: float = pa.Field(ge=0)
    status: str = pa.Field(isin=["new", "paid", "sent"])
"""


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    (tmp_path / "orders_schema.py").write_text(SCHEMA_MODULE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_cli_writes_a_parquet_directory(workdir, capsys):
    code = main(
        [
            "generate",
            "orders_schema:Orders",
            "--rows",
            "2.5e4",
            "--out",
            "out",
            "--seed",
            "7",
            "--chunk-rows",
            "10_000",
        ]
    )
    assert code == 0
    said = capsys.readouterr()
    assert "wrote 25,000 rows to out (parquet, 1 file, seed 7)" in said.out
    assert "(100%)" in said.err
    back = pd.read_parquet(workdir / "out")
    assert len(back) == 25_000
    assert back["order_id"].is_unique


def test_cli_writes_csv_with_a_shape_and_stress(workdir):
    shape = workdir / "shape.yaml"
    shape.write_text(
        "synthdata_shape: 1\ncolumns:\n  amount:\n    dist: lognormal\n"
        "    mu: 3\n    sigma: 0.5\n"
    )
    code = main(
        [
            "generate",
            "orders_schema:Orders",
            "--rows",
            "500",
            "-o",
            "o.csv",
            "--shape",
            str(shape),
            "--stress",
            "--seed",
            "1",
        ]
    )
    assert code == 0
    back = pd.read_csv(workdir / "o.csv")
    assert len(back) == 500
    assert back["order_id"].is_unique
    assert back["amount"].min() == 0  # stress placed the bound


ORDERS = "orders_schema:Orders"


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ([ORDERS, "--rows", "abc", "-o", "x"], "--rows abc"),
        ([ORDERS, "--rows", "-5", "-o", "x"], "--rows -5"),
        ([ORDERS, "--rows", "1.5", "-o", "x"], "--rows 1.5"),
        ([ORDERS, "--rows", "10", "-o", "x", "--chunk-rows", "0"], "--chunk-rows 0"),
        ([ORDERS, "--rows", "10", "-o", "x", "--seed", "-1"], "--seed -1"),
        ([ORDERS, "--rows", "10", "-o", "x", "--format", "orc"], "--format orc"),
        ([ORDERS, "--rows", "10", "-o", "x.csv", "--format", "parquet"], "agree"),
        ([ORDERS, "--rows", "10", "-o", "x", "--shape", "no.yaml"], "--shape no.yaml"),
        (["orders_schema:Nothing", "--rows", "10", "-o", "x"], "cannot import it"),
        (["orders_schema", "--rows", "10", "-o", "x"], "give module:attribute"),
    ],
)
def test_cli_errors_are_one_line(workdir, capsys, args, match):
    assert main(["generate", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert match in err
    assert len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in workdir.iterdir()) == ["orders_schema.py"]


def test_cli_refuses_an_existing_output_and_replaces_it_when_told(workdir, capsys):
    assert main(["generate", "orders_schema:Orders", "--rows", "5", "-o", "d"]) == 0
    assert main(["generate", "orders_schema:Orders", "--rows", "5", "-o", "d"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert (
        main(
            [
                "generate",
                "orders_schema:Orders",
                "--rows",
                "9",
                "-o",
                "d",
                "--overwrite",
            ]
        )
        == 0
    )
    assert len(pd.read_parquet(workdir / "d")) == 9


def test_generated_files_paths_are_relative_to_the_working_directory(workdir):
    assert (
        main(["generate", "orders_schema:Orders", "--rows", "5", "-o", "x/y.parquet"])
        == 0
    )
    assert Path(workdir / "x" / "y.parquet").is_file()


def test_a_data_set_too_large_for_memory_is_made_a_chunk_at_a_time():
    from pytest_synthdata import generate

    with pytest.raises(InfeasibleRequestError, match="generate_chunks"):
        generate(SIMPLE, 10**11)
    chunks = Chunks(SIMPLE, 10**11, 1000, seed=1)
    last = chunks.chunk(len(chunks) - 1)
    assert len(last) == 1000
    assert last.index[0] == 10**11 - 1000
    assert last["key"].is_unique
    SIMPLE.validate(last)


def test_row_counts_beyond_int64_keys_are_refused_and_large_ones_are_cheap():
    with pytest.raises(InvalidArgumentError, match=r"2\*\*62"):
        generate_chunks(SIMPLE, 2**62 + 1, 10)
    plain = pa.DataFrameSchema({"x": pa.Column(float)})
    chunks = generate_chunks(plain, 10**18, 10**6, seed=1)  # nothing listed
    assert len(chunks) == 10**12
    last = chunks.chunk(len(chunks) - 1)
    assert last.index[-1] == 10**18 - 1
    assert len(last) == 10**6


def test_cli_interrupt_is_one_line_and_writes_nothing(workdir, capsys, monkeypatch):
    import pytest_synthdata._dataset as dataset

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(dataset, "write_dataset", interrupted)
    assert main(["generate", ORDERS, "--rows", "10", "-o", "d"]) == 130
    assert capsys.readouterr().err.strip() == "interrupted: nothing was written."
    assert sorted(p.name for p in workdir.iterdir()) == ["orders_schema.py"]


def test_cli_terminated_by_sigterm_leaves_nothing(workdir):
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest_synthdata",
            "generate",
            ORDERS,
            "--rows",
            "1e9",
            "-o",
            "big",
            "--chunk-rows",
            "1e5",
        ],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".big") for p in workdir.iterdir()):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted: nothing was written." in err
    assert sorted(p.name for p in workdir.iterdir()) == ["orders_schema.py"]


def test_cli_refuses_numbers_that_are_not_finite(workdir, capsys):
    assert main(["generate", ORDERS, "--rows", "1e400", "-o", "x"]) == 2
    assert "--rows 1e400" in capsys.readouterr().err


@pytest.mark.parametrize("face", ["generate", "chunks", "polars"])
def test_slow_path_warnings_name_the_callers_line(face):
    from pytest_synthdata import generate
    from pytest_synthdata.errors import SlowPathWarning

    schema = pa.DataFrameSchema(
        {"x": pa.Column(int, [Check.in_range(0, 9), Check(lambda s: s % 2 == 0)])}
    )
    if face == "polars":
        pl = pytest.importorskip("polars")
        pap = pytest.importorskip("pandera.polars")
        schema = pap.DataFrameSchema(
            {
                "x": pap.Column(
                    pl.Int64,
                    [
                        pap.Check.in_range(0, 9),
                        pap.Check(lambda d: d.lazyframe.select(pl.col("x") % 2 == 0)),
                    ],
                )
            }
        )

    def make():
        if face == "chunks":
            return list(generate_chunks(schema, 100, 30, seed=1))
        return generate(schema, 100, seed=1)

    with pytest.warns(SlowPathWarning) as caught:
        make()
    # the first frame outside the package: make() here
    assert caught[0].filename == __file__
