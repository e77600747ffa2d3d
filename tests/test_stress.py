"""Stress mode: every edge value of every column, in a frame that still validates.

The guarantees are checked on hand-written schemas (one per kind of edge and
of rule that can forbid an injection) and on every corpus schema; the plugin's
faces (marker, factory, ``--synthdata-stress``, the failure section) through
pytester.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from scipy import stats

from pytest_synthdata import edge_frames, generate
from pytest_synthdata._api import _plans
from pytest_synthdata._engine.stress import _catalogue
from pytest_synthdata._schema.reader import compile_schema
from pytest_synthdata.errors import InvalidArgumentError
from tests.conftest import (
    CORPUS_PATHS,
    GENERABLE,
    assert_exact,
    corpus_schema,
    ks_bound,
    meta,
)

C = pa.Check

WIDE = pa.DataFrameSchema(
    {
        "id": pa.Column(int, C.ge(1), unique=True),
        "age": pa.Column(int, C.in_range(0, 120)),
        "ratio": pa.Column(float, [C.gt(0), C.lt(1)]),
        "amount": pa.Column(float, nullable=True),
        "name": pa.Column(str, C.str_length(0, 12)),
        "code": pa.Column(str, C.str_matches(r"^[A-Z]{2}-[0-9]{3}$")),
        "tier": pa.Column(
            str,
            C.isin(["basic", "plus", "gold", "vip"]),
            metadata=meta(weights={"basic": 900, "plus": 90, "gold": 9, "vip": 1}),
        ),
        "when": pa.Column("datetime64[ns, Europe/Berlin]"),
        "day": pa.Column(
            "datetime64[ns]",
            C.in_range(pd.Timestamp("2020-01-01"), pd.Timestamp("2024-12-31")),
        ),
        "flag": pa.Column(pd.BooleanDtype(), nullable=True),
        "bit": pa.Column(bool, nullable=True),  # numpy bools hold no null: none
    }
)


def _coverage(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(df.attrs["synthdata"]["stress"])


def _edge_values(schema, column):
    """The column's edge catalogue, as the engine builds it."""
    _, spec = compile_schema(schema)
    f = next(f for f in spec.columns if f.name == column)
    return _catalogue(spec, _plans(spec), f)


def _assert_where_reported(schema, df: pd.DataFrame) -> None:
    """Each injected or present edge value is in the row the coverage names."""
    cov = _coverage(df)
    if cov.empty:
        return
    placed = cov[(cov["status"] != "skipped") & (cov["edge"] != "a repeated value")]
    for column, group in placed.groupby("column"):
        edges = _edge_values(schema, column)
        for rec in group.itertuples():
            i = edges.labels.index(rec.edge)
            expected = edges.values.iloc[i]
            got = df[column].iloc[int(rec.row)]
            if pd.isna(expected):
                assert pd.isna(got), (column, rec.edge)
            else:
                assert got == expected, (column, rec.edge, got, expected)


def test_every_edge_of_every_column_is_injected_and_the_frame_validates():
    df = generate(WIDE, 200, seed=1, stress=True)
    assert_exact(WIDE, df, 200)
    cov = _coverage(df)
    assert set(cov["status"]) <= {"injected", "present", "skipped"}
    # only the unique column's repeat is forbidden
    skipped = cov[cov["status"] == "skipped"]
    assert skipped[["column", "edge", "reason"]].values.tolist() == [
        ["id", "a repeated value", "the column is unique"],
    ]
    _assert_where_reported(WIDE, df)


def test_the_guarantees_hold_on_the_values_themselves():
    df = generate(WIDE, 200, seed=2, stress=True)
    assert df["age"].min() == 0
    assert df["age"].max() == 120
    # exclusive bounds: the nearest float inside each
    assert df["ratio"].min() == np.nextafter(0.0, 1.0)
    assert df["ratio"].max() == np.nextafter(1.0, 0.0)
    assert np.isinf(df["amount"]).any()
    assert (df["amount"] == np.inf).any()
    assert (df["amount"] == -np.inf).any()
    assert (df["amount"] == 0).any()
    assert df["amount"].isna().any()
    assert df["flag"].isna().any()
    assert set(df["tier"]) == {"basic", "plus", "gold", "vip"}
    names = df["name"]
    assert (names == "").any()
    assert (names.str.len() == 12).any()
    assert names.map(lambda s: not s.isascii()).any()
    assert df["day"].min() == pd.Timestamp("2020-01-01")
    assert df["day"].max() == pd.Timestamp("2024-12-31")
    # a tz-aware column gets the instants around a clock change
    local = df["when"].dt.tz_convert("Europe/Berlin")
    offsets = set(local.map(lambda t: t.utcoffset()))
    assert {pd.Timedelta(hours=1), pd.Timedelta(hours=2)} <= offsets
    assert not df["age"].is_unique  # repeated values where allowed
    assert df["id"].is_unique


def test_a_rare_category_is_present_in_a_small_frame():
    df = generate(WIDE, 20, seed=3, stress=True)
    assert "vip" in set(df["tier"])
    unstressed = generate(WIDE, 20, seed=3)
    assert "vip" not in set(unstressed["tier"])  # weight 1/1000: absent by chance


def test_the_other_rows_keep_their_shape():
    schema = pa.DataFrameSchema(
        {
            "x": pa.Column(
                float, C.in_range(-50, 50), metadata=meta(dist="normal", mean=3, std=2)
            )
        }
    )
    n = 20_000
    df = generate(schema, n, seed=4, stress=True)
    cov = _coverage(df)
    touched = cov.loc[cov["status"] == "injected", "row"].astype(int)
    rest = df["x"].drop(index=touched.to_numpy())
    target = stats.truncnorm((-50 - 3) / 2, (50 - 3) / 2, loc=3, scale=2)
    assert stats.kstest(rest, target.cdf).statistic < ks_bound(len(rest))
    assert df["x"].min() == -50
    assert df["x"].max() == 50


def test_fewer_rows_than_edges_cover_what_fits_and_say_why_not_the_rest():
    df = generate(WIDE, 3, seed=5, stress=True)
    assert_exact(WIDE, df, 3)
    cov = _coverage(df)
    tier = cov[cov["column"] == "tier"]
    assert (tier["status"] == "injected").sum() == 3
    reasons = tier.loc[tier["status"] == "skipped", "reason"]
    assert len(reasons) == 2  # a fourth value and the repeat
    assert reasons.str.contains("the frame has 3 rows").all()


def test_zero_and_one_row_frames():
    df = generate(WIDE, 0, seed=6, stress=True)
    assert_exact(WIDE, df, 0)
    assert (_coverage(df)["status"] == "skipped").all()
    one = generate(WIDE, 1, seed=6, stress=True)
    assert_exact(WIDE, one, 1)
    cov = _coverage(one)
    assert (
        cov.groupby("column")["status"].apply(lambda s: (s == "injected").sum()) == 1
    ).all()


def test_same_seed_same_stressed_frame():
    a = generate(WIDE, 100, seed=7, stress=True)
    b = generate(WIDE, 100, seed=7, stress=True)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs == b.attrs


def test_stress_must_be_a_bool():
    with pytest.raises(InvalidArgumentError, match="stress must be True or False"):
        generate(WIDE, 10, seed=1, stress="yes")


# --------------------------------------------------------------------------
# rules that forbid an injection: moved to another row, or skipped and named
# --------------------------------------------------------------------------


def test_relations_hold_in_stressed_frames():
    schema = pa.DataFrameSchema(
        {
            "placed": pa.Column(
                "datetime64[ns]",
                C.ge(pd.Timestamp("2020-01-01")),
                metadata=meta(sorted="increasing"),
            ),
            "shipped": pa.Column(
                "datetime64[ns]",
                C.le(pd.Timestamp("2035-01-01")),
                metadata=meta(after="placed"),
            ),
            "quantity": pa.Column(int, C.in_range(1, 20)),
            "price": pa.Column(float, C.in_range(0.5, 50)),
            "total": pa.Column(float, metadata=meta(expr="quantity * price")),
        },
        checks=C(lambda d: d["shipped"] >= d["placed"]),
    )
    df = generate(schema, 300, seed=8, stress=True)
    assert_exact(schema, df, 300)
    assert df["placed"].is_monotonic_increasing
    assert (df["total"] == df["quantity"] * df["price"]).all()
    assert df["quantity"].min() == 1
    assert df["quantity"].max() == 20
    cov = _coverage(df)
    total = cov[cov["column"] == "total"]
    assert total["reason"].str.contains("computed").all()
    # a placed value at the latest timestamp leaves no shipped value after it
    # within the upper check: skipped with the relation named, not invalid
    for reason in cov.loc[cov["status"] == "skipped", "reason"]:
        assert reason


def test_a_row_check_moves_an_edge_to_a_row_it_accepts():
    # b's edges (0 and 100) meet a <= b only in some rows: they move there
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(int, C.in_range(0, 50)),
            "b": pa.Column(int, C.in_range(0, 100)),
        },
        checks=C(lambda d: d["a"] <= d["b"] + 10, name="a_near_b"),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = generate(schema, 200, seed=9, stress=True)
    assert_exact(schema, df, 200)
    assert df["b"].min() == 0
    _assert_where_reported(schema, df)


def test_a_frame_check_that_forbids_an_edge_is_named():
    schema = pa.DataFrameSchema(
        {"x": pa.Column(float, C.in_range(0, 1000))},
        checks=C(lambda d: d["x"].max() <= 999, name="max_999"),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = generate(schema, 8, seed=10, stress=True)
    assert_exact(schema, df, 8)
    cov = _coverage(df)
    skipped = cov[cov["status"] == "skipped"]
    assert len(skipped)
    assert skipped["reason"].str.contains("max_999").all()
    assert set(skipped["edge"]) == {"upper bound", "just below the upper bound"}


def test_unique_columns_report_values_they_already_hold_as_present():
    schema = pa.DataFrameSchema({"k": pa.Column(int, C.in_range(0, 9), unique=True)})
    df = generate(schema, 10, seed=11, stress=True)  # every value is drawn
    assert_exact(schema, df, 10)
    cov = _coverage(df)
    assert set(cov.loc[cov["edge"] != "a repeated value", "status"]) == {"present"}
    _assert_where_reported(schema, df)


def test_joint_uniqueness_survives_injection():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(int, C.in_range(0, 3)),
            "b": pa.Column(str, C.isin(["x", "y", "z"])),
        },
        unique=["a", "b"],
    )
    df = generate(schema, 12, seed=12, stress=True)
    assert_exact(schema, df, 12)
    assert not df.duplicated().any()
    cov = _coverage(df)
    assert set(cov.loc[cov["edge"] == "a repeated value", "status"]) == {"skipped"}


# --------------------------------------------------------------------------
# hostile schemas (each once broke stress mode)
# --------------------------------------------------------------------------


def _stressed(schema, rows, seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = generate(schema, rows, seed=seed, stress=True)
    assert_exact(schema, df, rows)
    _assert_where_reported(schema, df)
    return df, _coverage(df)


def _status(cov, column, edge):
    row = cov[(cov["column"] == column) & (cov["edge"] == edge)]
    assert len(row) == 1, (column, edge)
    return row.iloc[0]


def test_unique_float16_and_coerced_dates():
    _stressed(pa.DataFrameSchema({"x": pa.Column("float16", unique=True)}), 10, 1)
    schema = pa.DataFrameSchema({"d": pa.Column(pa.Date, nullable=True)}, coerce=True)
    _, cov = _stressed(schema, 200, 1)
    # date(1, 1, 1) cannot pass pandera's coercion (nanosecond timestamps)
    refused = cov[cov["reason"].str.contains("pandera rejects it")]
    assert len(refused)
    assert (cov["status"] == "injected").sum() > 3


def test_a_column_named_like_an_internal_one():
    schema = pa.DataFrameSchema(
        {
            "__synthdata_row__": pa.Column(int, C.in_range(0, 1000)),
            "t": pa.Column(float, metadata=meta(sorted="increasing")),
        }
    )
    _stressed(schema, 50, 1)


def test_a_present_edge_is_never_overwritten():
    schema = pa.DataFrameSchema({"u": pa.Column(int, C.in_range(0, 40), unique=True)})
    df, cov = _stressed(schema, 30, 20)
    for edge, value in (("lower bound", 0), ("upper bound", 40)):
        assert _status(cov, "u", edge)["status"] in ("injected", "present")
        assert value in set(df["u"])


def test_a_second_sorted_column_reports_its_own_rows():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(int, C.in_range(0, 100), metadata=meta(sorted="increasing")),
            "b": pa.Column(
                float, C.in_range(-1, 1), metadata=meta(sorted="decreasing")
            ),
        }
    )
    df, _ = _stressed(schema, 100, 1)
    assert df["b"].iloc[0] == 1.0
    assert df["b"].iloc[-1] == -1.0


def test_joint_uniqueness_blames_only_its_own_columns():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(int, C.in_range(0, 4)),
            "b": pa.Column(str, C.isin(["x", "y", "z"])),
            "c": pa.Column(float),
        },
        unique=["a", "b"],
    )
    df, cov = _stressed(schema, 14, 2)
    for edge in ("infinity", "minus infinity"):
        assert _status(cov, "c", edge)["status"] == "injected"
    for value in ("x", "y", "z"):
        assert _status(cov, "b", f"allowed value {value!r}")["status"] != "skipped"
    assert _status(cov, "a", "a repeated value")["status"] != "skipped"
    assert not df.duplicated(["a", "b"]).any()


def test_a_unique_float_column_gets_one_zero():
    df, cov = _stressed(
        pa.DataFrameSchema({"x": pa.Column(float, unique=True)}), 100, 0
    )
    assert (df["x"] == 0).sum() == 1
    assert "equals the 'zero' edge" in _status(cov, "x", "negative zero")["reason"]


def test_the_repeated_value_is_never_a_null():
    schema = pa.DataFrameSchema(
        {"x": pa.Column(float, nullable=True, metadata=meta(null_rate=0.9))}
    )
    for seed in range(5):
        df, cov = _stressed(schema, 50, seed)
        rec = _status(cov, "x", "a repeated value")
        value = df["x"].iloc[int(rec["row"])]
        assert pd.notna(value)
        assert (df["x"] == value).sum() >= 2


def test_the_first_stressed_frame_in_a_process_is_reproducible():
    from pytest_synthdata._engine import stress

    schema = pa.DataFrameSchema(
        {"name": pa.Column(str), "n": pa.Column(int, C.in_range(0, 9))}
    )
    stress._CATALOGUES.clear()  # as in a fresh process: catalogues not built
    first = generate(schema, 50, seed=1, stress=True)
    second = generate(schema, 50, seed=1, stress=True)
    pd.testing.assert_frame_equal(first, second)
    assert first.attrs == second.attrs


def test_custom_checks_filter_edges_before_they_are_placed():
    schema = pa.DataFrameSchema(
        {
            "n": pa.Column(
                int,
                [
                    C.in_range(0, 100),
                    C(lambda v: v % 2 == 0, element_wise=True, name="even"),
                ],
            )
        }
    )
    df, cov = _stressed(schema, 50, 3)
    rec = _status(cov, "n", "just above the lower bound")
    assert rec["status"] == "skipped"
    assert rec["reason"] == "custom check 'even' on column 'n' rejects the value"
    assert df["n"].min() == 0


def test_floats_get_the_values_next_to_their_bounds():
    schema = pa.DataFrameSchema(
        {
            "x": pa.Column(float, C.in_range(10.0, 20.0)),
            "y": pa.Column("float32", C.in_range(10.0, 20.0)),
        }
    )
    df, _ = _stressed(schema, 50, 4)
    assert (df["x"] == np.nextafter(10.0, 11.0)).any()
    assert (df["x"] == np.nextafter(20.0, 0.0)).any()
    assert (df["y"] == np.nextafter(np.float32(20), np.float32(0))).any()


def test_a_whole_frame_rule_moves_an_edge_to_a_row_it_accepts():
    schema = pa.DataFrameSchema(
        {
            "a": pa.Column(int, C.in_range(0, 100)),
            "b": pa.Column(int, C.in_range(0, 100)),
        },
        # judged as one bool: the edge b = 0 needs a row with a <= 90
        checks=C(lambda d: bool((d["b"] >= d["a"] - 90).all()), name="b_near_a"),
    )
    df, cov = _stressed(schema, 200, 5)
    assert _status(cov, "b", "lower bound")["status"] == "injected"
    assert df["b"].min() == 0


# --------------------------------------------------------------------------
# the corpus
# --------------------------------------------------------------------------

PATHS = CORPUS_PATHS
_schema = corpus_schema


@pytest.mark.skipif(not PATHS, reason="../shared/corpus is not present")
@pytest.mark.parametrize("path", GENERABLE, ids=lambda p: p.stem[:3])
def test_corpus_schemas_stress_every_column_they_allow(path):
    schema = _schema(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = generate(schema, 300, seed=13, stress=True)
    assert_exact(schema, df, 300)
    cov = _coverage(df)
    _, spec = compile_schema(schema)
    for f in spec.columns:
        mine = cov[cov["column"] == str(f.name)]
        assert len(mine), f.name
        skipped = mine[mine["status"] == "skipped"]
        assert skipped["reason"].str.len().gt(0).all()
        kept = set(mine.loc[mine["status"] != "skipped", "edge"])
        if f.domain.choices is not None and len(f.domain.choices) <= 256:
            # every allowed value, unless a rule says why not
            for v in f.domain.choices.tolist():
                label = f"allowed value {v!r}"
                if label in kept:
                    assert v in set(df[f.name].dropna().tolist())
        if f.nullable and "null" in kept:
            assert df[f.name].isna().any()
    _assert_where_reported(schema, df)


# --------------------------------------------------------------------------
# the plugin
# --------------------------------------------------------------------------

PLUGIN_SCHEMA = """
import pandera.pandas as pa
import pytest

Orders = pa.DataFrameSchema(
    {
        "order_id": pa.Column(int, pa.Check.ge(1), unique=True),
        "status": pa.Column(str, pa.Check.isin(["new", "paid", "refunded"])),
        "amount": pa.Column(float, pa.Check.ge(0), nullable=True),
    },
    name="Orders",
)
"""


def _run(pytester, *args):
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_marker_and_factory_take_stress(pytester):
    pytester.makepyfile(
        PLUGIN_SCHEMA
        + """
@pytest.mark.synthdata(Orders, rows=30, stress=True)
def test_marker(synth_df):
    Orders.validate(synth_df)
    assert synth_df["amount"].isna().any()
    assert set(synth_df["status"]) == {"new", "paid", "refunded"}
    assert synth_df.attrs["synthdata"]["stress"]

def test_factory(synth_factory):
    df = synth_factory(Orders, rows=30, stress=True)
    assert (df["amount"] == 0).any()
    assert "stress" not in synth_factory(Orders, rows=30).attrs["synthdata"]
"""
    )
    _run(pytester).assert_outcomes(passed=2)


def test_the_option_stresses_every_frame_unless_a_test_says_no(pytester):
    pytester.makepyfile(
        PLUGIN_SCHEMA
        + """
@pytest.mark.synthdata(Orders, rows=30)
def test_on(synth_df):
    assert "stress" in synth_df.attrs["synthdata"]

@pytest.mark.synthdata(Orders, rows=30, stress=False)
def test_off(synth_df):
    assert "stress" not in synth_df.attrs["synthdata"]
"""
    )
    _run(pytester, "--synthdata-stress").assert_outcomes(passed=2)
    _run(pytester, "-o", "synthdata_stress=true").assert_outcomes(passed=2)
    _run(pytester).assert_outcomes(passed=1, failed=1)


def test_a_bad_ini_value_is_a_usage_error(pytester):
    pytester.makepyfile("def test_nothing():\n    assert True\n")
    result = _run(pytester, "-o", "synthdata_stress=sometimes")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*synthdata_stress must be true or false*"])


def test_the_failure_section_tells_what_was_injected(pytester):
    pytester.makepyfile(
        PLUGIN_SCHEMA
        + """
@pytest.mark.synthdata(Orders, rows=30, stress=True)
def test_fails(synth_df):
    assert synth_df["amount"].notna().all()
"""
    )
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*schema Orders, rows 30, seed *, stress",
            "*stress: * edge values placed, 1 skipped*",
            "*row *: 'amount' null",
            "*skipped 'order_id' a repeated value: the column is unique*",
        ]
    )


def test_a_saved_stressed_frame_records_its_coverage(pytester):
    import json

    pytester.makepyfile(
        PLUGIN_SCHEMA
        + """
@pytest.mark.synthdata(Orders, rows=30, stress=True)
def test_fails(synth_df):
    assert False
"""
    )
    _run(pytester, "--synthdata-save=saved").assert_outcomes(failed=1)
    (sidecar,) = (pytester.path / "saved").rglob("*.json")
    info = json.loads(sidecar.read_text())
    assert {"column", "edge", "status", "row", "reason"} <= set(info["stress"][0])


def test_load_frame_regenerates_a_stressed_frame(tmp_path):
    import json

    from pytest_synthdata import SynthDataWarning
    from pytest_synthdata._save import load_frame, save_frame

    frame = generate(WIDE, 40, seed=4, stress=True)
    meta = {"schema": "schema", "seed": 4, "rows": 40}
    meta["stress"] = frame.attrs["synthdata"]["stress"]
    path = save_frame(frame, tmp_path, "0_wide", meta)
    sidecar = path.with_suffix(".json")
    info = json.loads(sidecar.read_text())
    info["dtypes"]["age"] = "no-such-dtype"  # as if Parquet had lost the dtype
    sidecar.write_text(json.dumps(info))
    with pytest.warns(SynthDataWarning, match="regenerated from seed 4"):
        again = load_frame(path, schema=WIDE)
    pd.testing.assert_frame_equal(again, frame)


# --------------------------------------------------------------------------
# edge frames
# --------------------------------------------------------------------------


def _by_id(params):
    return {p.id: p for p in params}


def _skip_reason(param) -> str | None:
    marks = [m for m in param.marks if m.name == "skip"]
    return marks[0].args[0] if marks else None


def test_edge_frames_are_valid_and_each_what_it_says():
    params = _by_id(edge_frames(WIDE, rows=6, seed=3))
    assert list(params) == ["empty", "one-row", "all-null", "single-value"]
    for p in params.values():
        assert _skip_reason(p) is None
        assert_exact(WIDE, p.values[0])
    assert len(params["empty"].values[0]) == 0
    assert len(params["one-row"].values[0]) == 1
    nulls = params["all-null"].values[0]
    assert len(nulls) == 6
    assert nulls[["amount", "flag"]].isna().all().all()
    single = params["single-value"].values[0]
    assert single["tier"].nunique() == 1
    assert single["bit"].nunique() == 1
    assert single["age"].nunique() > 1  # a range is not a finite set


def test_edge_frames_a_schema_forbids_are_skipped_with_the_reason():
    schema = pa.DataFrameSchema(
        {"k": pa.Column(str, C.isin(["a", "b", "c"]), unique=True)},
        checks=C(lambda d: len(d) > 0, name="not_empty"),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        params = _by_id(edge_frames(schema, rows=3))
    assert "0-row frame" in _skip_reason(params["empty"])
    assert _skip_reason(params["one-row"]) is None
    assert _skip_reason(params["all-null"]) == "the schema has no nullable column"
    assert "every finite column is unique" in _skip_reason(params["single-value"])


def test_edge_frames_arguments_are_checked():
    with pytest.raises(InvalidArgumentError, match="kinds"):
        edge_frames(WIDE, kinds="empty")
    with pytest.raises(InvalidArgumentError, match="rows must be"):
        edge_frames(WIDE, rows=-1)


@pytest.mark.skipif(not PATHS, reason="../shared/corpus is not present")
@pytest.mark.parametrize("path", GENERABLE, ids=lambda p: p.stem[:3])
def test_corpus_edge_frames_are_valid_or_skipped_with_a_reason(path):
    schema = _schema(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        params = edge_frames(schema)
    for p in params:
        reason = _skip_reason(p)
        if reason is None:
            assert_exact(schema, p.values[0])
        else:
            assert reason


def test_edge_frames_parametrize_a_test(pytester):
    pytester.makepyfile(
        PLUGIN_SCHEMA
        + """
from pytest_synthdata import edge_frames

@pytest.mark.parametrize("df", edge_frames(Orders))
def test_survives(df):
    Orders.validate(df)
    assert df["amount"].sum() >= 0
"""
    )
    result = _run(pytester, "-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*test_survives?empty?*", "*test_survives?all-null?*"])


def test_edge_frames_pandera_cannot_validate_are_skipped_with_its_words():
    schema = pa.DataFrameSchema(
        {"dec": pa.Column(pa.Decimal(5, 2), nullable=True), "x": pa.Column(int)},
        index=pa.Index(int, unique=True),
    )
    params = _by_id(edge_frames(schema))
    assert "pandera cannot validate this frame" in _skip_reason(params["all-null"])
    assert _skip_reason(params["one-row"]) is None


@pytest.mark.parametrize("kinds", [None, 5, "empty"])
def test_edge_frames_kinds_must_be_a_sequence_of_names(kinds):
    with pytest.raises(InvalidArgumentError, match="kinds"):
        edge_frames(WIDE, kinds=kinds)
