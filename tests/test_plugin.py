"""The pytest plugin, black-box through pytester (in subprocesses)."""

from __future__ import annotations

import re

import pytest

from pytest_synthdata.errors import InvalidArgumentError

SCHEMA = """
import pandera.pandas as pa
import pytest

Orders = pa.DataFrameSchema(
    {
        "order_id": pa.Column(int, pa.Check.ge(1), unique=True),
        "status": pa.Column(str, pa.Check.isin(["new", "paid", "shipped"])),
        "amount": pa.Column(float, pa.Check.gt(0), nullable=True),
    },
    name="Orders",
)
"""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_synth_df_hands_a_valid_frame_of_the_marked_schema(pytester):
    pytester.makepyfile(
        SCHEMA
        + """
@pytest.mark.synthdata(Orders, rows=25)
def test_frame(synth_df):
    Orders.validate(synth_df, lazy=True)
    assert len(synth_df) == 25
    assert synth_df["order_id"].is_unique
    assert isinstance(synth_df.attrs["synthdata"]["seed"], int)
"""
    )
    run(pytester).assert_outcomes(passed=1)


def test_dataframe_model_and_default_rows(pytester):
    pytester.makepyfile(
        """
import pandera.pandas as pa
import pytest
from pandera.typing import Series

class Model(pa.DataFrameModel):
    x: Series[int] = pa.Field(ge=0, le=9)

# A lone class argument would make pytest decorate the class: pass schema=.
@pytest.mark.synthdata(schema=Model)
def test_frame(synth_df):
    Model.validate(synth_df)
    assert len(synth_df) == 100
"""
    )
    run(pytester).assert_outcomes(passed=1)


def test_rows_option_sets_the_default(pytester):
    pytester.makepyfile(
        SCHEMA
        + """
@pytest.mark.synthdata(Orders)
def test_frame(synth_df):
    assert len(synth_df) == 7
"""
    )
    run(pytester, "--synthdata-rows=7").assert_outcomes(passed=1)


def test_header_prints_the_flag_that_reproduces_the_session(pytester):
    pytester.makepyfile("def test_nothing():\n    assert True\n")
    result = run(pytester, "--synthdata-seed=1234")
    result.stdout.fnmatch_lines(
        ["*synthdata: session seed 1234*--synthdata-seed=1234*"]
    )


def _seeds(result: pytest.RunResult) -> dict[str, str]:
    found = re.findall(r"SEED (\w+) (\d+)", result.stdout.str())
    return dict(found)


SEED_TESTS = (
    SCHEMA
    + """
@pytest.mark.synthdata(Orders, rows=5)
def test_a(synth_df):
    print("SEED a", synth_df.attrs["synthdata"]["seed"])

@pytest.mark.synthdata(Orders, rows=5)
def test_b(synth_df):
    print("SEED b", synth_df.attrs["synthdata"]["seed"])
"""
)


def test_test_seeds_are_stable_under_selection_and_differ_between_tests(pytester):
    pytester.makepyfile(SEED_TESTS)
    both = _seeds(run(pytester, "-s", "--synthdata-seed=7"))
    only_b = _seeds(run(pytester, "-s", "--synthdata-seed=7", "-k", "test_b"))
    other = _seeds(run(pytester, "-s", "--synthdata-seed=8"))
    assert both["a"] != both["b"]
    assert only_b["b"] == both["b"]
    assert other["b"] != both["b"]


def test_marker_seed_overrides_the_derived_seed(pytester):
    pytester.makepyfile(
        SCHEMA
        + """
@pytest.mark.synthdata(Orders, rows=5, seed=99)
def test_frame(synth_df):
    assert synth_df.attrs["synthdata"]["seed"] == 99
"""
    )
    run(pytester).assert_outcomes(passed=1)


def test_failure_report_names_schema_seed_and_command(pytester):
    pytester.makepyfile(
        SCHEMA
        + """
@pytest.mark.synthdata(Orders, rows=3)
def test_frame(synth_df):
    assert False
"""
    )
    result = run(pytester, "--synthdata-seed=5")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*synthdata*",
            "schema Orders, rows 3, seed *",
            "reproduce (from *): python -m pytest *test_frame* --synthdata-seed=5",
        ]
    )


def test_reproduce_command_carries_the_rows_option(pytester):
    pytester.makepyfile(
        SCHEMA
        + """
@pytest.mark.synthdata(Orders)
def test_frame(synth_df):
    assert len(synth_df) == 0
"""
    )
    result = run(pytester, "--synthdata-seed=5", "--synthdata-rows=4")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["reproduce (from *): *--synthdata-seed=5 --synthdata-rows=4"]
    )


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--synthdata-seed", "abc", "--synthdata-seed must be a non-negative integer"),
        ("--synthdata-seed", "1.5", "'random' or 'last'"),
        ("--synthdata-seed", "-3", "--synthdata-seed must be a non-negative integer"),
        ("--synthdata-seed", "", "--synthdata-seed must be a non-negative integer"),
        ("--synthdata-rows", "many", "--synthdata-rows must be a non-negative integer"),
        ("--synthdata-rows", "", "--synthdata-rows must be a non-negative integer"),
    ],
)
def test_bad_option_values_are_usage_errors(pytester, option, value, message):
    pytester.makepyfile("def test_nothing():\n    assert True\n")
    result = run(pytester, f"{option}={value}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{message}*given: '{value}'*"])


def test_bad_ini_value_is_a_usage_error(pytester):
    pytester.makeini("[pytest]\nsynthdata_seed = soon\n")
    pytester.makepyfile("def test_nothing():\n    assert True\n")
    result = run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*synthdata_seed must be a non-negative integer*"])


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("", "has no @pytest.mark.synthdata(schema, rows=...) marker"),
        ("@pytest.mark.synthdata(Orders, Orders)", "takes one positional argument"),
        ("@pytest.mark.synthdata(Orders, size=3)", "unknown arguments ['size']"),
        ("@pytest.mark.synthdata(Orders, rows=-1)", "rows must be a non-negative"),
        ("@pytest.mark.synthdata(Orders, seed='x')", "seed must be a non-negative"),
        (
            "@pytest.mark.synthdata(Orders, shape={'amount': {'dist': 'cauchy'}})",
            "unknown distribution 'cauchy'",
        ),
        (
            "@pytest.mark.synthdata(Orders, stress='yes')",
            "stress must be True or False",
        ),
        ("@pytest.mark.synthdata(Orders, schema=Orders)", "got the schema twice"),
        (
            "@pytest.mark.synthdata(schema=None)",
            "@pytest.mark.synthdata: synthdata could not generate NoneType",
        ),
        (
            "@pytest.mark.parametrize('synth_df', [(Orders, -1)], indirect=True)",
            "the indirect synth_df parameter(rows=-1): rows must be",
        ),
    ],
)
def test_bad_marker_arguments_fail_the_test_naming_the_marker(
    pytester, marker, message
):
    pytester.makepyfile(
        SCHEMA
        + f"""
{marker}
def test_frame(synth_df):
    pass
"""
    )
    result = run(pytester)
    result.assert_outcomes(errors=1)
    assert message in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


def test_generation_errors_surface_with_their_message(pytester):
    pytester.makepyfile(
        """
import pandera.pandas as pa
import pytest

Bad = pa.DataFrameSchema(
    {"x": pa.Column(int, [pa.Check.in_range(0, 10), pa.Check.ge(20)])}
)

@pytest.mark.synthdata(Bad, rows=3)
def test_frame(synth_df):
    pass
"""
    )
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.synthdata: synthdata could not generate * (rows=3, seed=*",
            "*ContradictoryChecksError: column 'x'*",
        ]
    )
    assert "plugin.py" not in result.stdout.str()


def test_fixture_docstring_is_shown_by_pytest_fixtures(pytester):
    pytester.makepyfile("def test_nothing():\n    assert True\n")
    result = run(pytester, "--fixtures")
    result.stdout.fnmatch_lines(["*synth_df*", "*generated for this test*"])


def test_factory_calls_each_get_their_own_reproducible_stream(pytester):
    pytester.makepyfile(
        SCHEMA
        + """
import pandas as pd

def test_frames(synth_factory):
    a = synth_factory(Orders, rows=6)
    b = synth_factory(Orders, rows=6)
    c = synth_factory(Orders, 4, seed=3)
    Orders.validate(a)
    assert not a.equals(b)
    assert c.attrs["synthdata"]["seed"] == 3
    print("SEED a", a.attrs["synthdata"]["seed"])
"""
    )
    first = _seeds(run(pytester, "-s", "--synthdata-seed=11"))
    again = _seeds(run(pytester, "-s", "--synthdata-seed=11"))
    assert first == again
    assert first


def test_registered_fixtures_by_name_and_scope(pytester):
    pytester.makeconftest(
        SCHEMA
        + """
from pytest_synthdata import register

orders_df = register(Orders, rows=8)
shared_orders = register(Orders, name="shared_orders", rows=5, scope="session")
"""
    )
    pytester.makepyfile(
        test_a="""
def test_one(orders_df, shared_orders):
    assert len(orders_df) == 8
    assert len(shared_orders) == 5
    print("SHARED", shared_orders.attrs["synthdata"]["seed"], id(shared_orders))
""",
        test_b="""
def test_two(shared_orders):
    assert len(shared_orders) == 5
    print("SHARED", shared_orders.attrs["synthdata"]["seed"], id(shared_orders))
""",
    )
    result = run(pytester, "-s", "--synthdata-seed=2")
    result.assert_outcomes(passed=2)
    shared = re.findall(r"SHARED (\d+ \d+)", result.stdout.str())
    assert len(shared) == 2
    assert shared[0] == shared[1]  # one frame, generated once, for the session
    result.stdout.fnmatch_lines(["*synthdata: 2 frames, 13 rows generated in *"])


def test_register_rejects_a_bad_scope():
    from pytest_synthdata import register

    with pytest.raises(InvalidArgumentError, match="scope must be"):
        register(object, scope="class")


def test_indirect_parametrisation_over_schemas_and_sizes(pytester):
    pytester.makepyfile(
        SCHEMA
        + """
Small = pa.DataFrameSchema({"k": pa.Column(str, pa.Check.isin(["x", "y"]))})

@pytest.mark.parametrize(
    "synth_df",
    [Orders, (Small, 3), {"schema": Orders, "rows": 2, "seed": 5}],
    indirect=True,
)
def test_each(synth_df):
    assert len(synth_df) in (100, 3, 2)
"""
    )
    run(pytester).assert_outcomes(passed=3)


def test_last_reuses_the_previous_session_seed(pytester):
    pytester.makepyfile("def test_nothing():\n    assert True\n")
    first = pytester.runpytest_subprocess("--synthdata-seed=4242")
    first.stdout.fnmatch_lines(["*session seed 4242*"])
    again = pytester.runpytest_subprocess("--synthdata-seed=last")
    again.stdout.fnmatch_lines(["*session seed 4242*"])


def test_last_without_a_cache_is_a_usage_error(pytester):
    pytester.makepyfile("def test_nothing():\n    assert True\n")
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--synthdata-seed=last"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--synthdata-seed=last needs the seed*"])


def test_no_summary_line_when_no_test_used_the_plugin(pytester):
    pytester.makepyfile("def test_nothing():\n    assert True\n")
    result = run(pytester)
    assert "frames," not in result.stdout.str()


def test_a_run_that_asks_for_no_data_imports_no_pandas(pytester):
    pytester.makepyfile(
        "import sys\n\ndef test_x():\n    assert 'pandas' not in sys.modules\n"
    )
    run(pytester).assert_outcomes(passed=1)


SAVED_SCHEMA = """
import datetime as dt
import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.engines import pandas_engine

Wide = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}[0-9]{3}$")),
        "kind": pa.Column(pd.CategoricalDtype(["a", "b", "c"], ordered=True)),
        "n": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "when": pa.Column(pd.DatetimeTZDtype("ms", "Europe/Paris")),
        "day": pa.Column(pa.Date, pa.Check.ge(dt.date(2024, 1, 1))),
        "price": pa.Column(pandas_engine.Decimal(8, 2), pa.Check.ge(0)),
        "flag": pa.Column("boolean", nullable=True),
        "f16": pa.Column("float16", pa.Check.in_range(0, 1)),
    },
    index=pa.Index("uint32", unique=True, name="k"),
    name="Wide",
)
"""


def test_saved_frames_round_trip_as_the_test_received_them(pytester):
    pytester.makepyfile(
        SAVED_SCHEMA
        + """
@pytest.mark.synthdata(Wide, rows=40)
def test_frame(synth_df):
    synth_df.drop(synth_df.index, inplace=True)  # the saved frame must not see this
    assert False
"""
    )
    out = pytester.path / "saved"
    result = run(pytester, f"--synthdata-save={out}", "--synthdata-seed=3")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["saved: *0_Wide.parquet (load with *load_frame)"])
    files = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert files == ["0_Wide.json", "0_Wide.parquet"]
    check = pytester.makepyfile(
        check_saved=SAVED_SCHEMA
        + f"""
import json
import pathlib
import pytest_synthdata

def test_round_trip():
    path = next(pathlib.Path({str(out)!r}).rglob("*.parquet"))
    loaded = pytest_synthdata.load_frame(path, schema=Wide)
    meta = json.loads(path.with_suffix(".json").read_text())
    again = pytest_synthdata.generate(Wide, meta["rows"], seed=meta["seed"])
    pd.testing.assert_frame_equal(loaded, again)
    Wide.validate(loaded, lazy=True)
    assert meta["schema"] == "Wide"
    assert meta["versions"]["pytest-synthdata"] == pytest_synthdata.__version__
"""
    )
    run(pytester, str(check)).assert_outcomes(passed=1)


def test_nothing_is_saved_for_passing_tests(pytester):
    pytester.makepyfile(
        SCHEMA
        + """
@pytest.mark.synthdata(Orders, rows=3)
def test_frame(synth_df):
    assert len(synth_df) == 3
"""
    )
    out = pytester.path / "saved"
    run(pytester, f"--synthdata-save={out}").assert_outcomes(passed=1)
    assert not out.exists()


def test_xdist_workers_share_the_session_seed_and_the_frames(pytester):
    pytest.importorskip("xdist")
    pytester.makepyfile(SEED_TESTS)
    serial = _seeds(run(pytester, "-s", "--synthdata-seed=21"))
    result = run(pytester, "-n", "2", "--synthdata-seed=21", "-rA")
    result.assert_outcomes(passed=2)
    parallel = dict(re.findall(r"SEED (\w+) (\d+)", result.stdout.str()))
    assert parallel == serial
    # The controller's summary counts the frames its workers generated.
    result.stdout.fnmatch_lines(["synthdata: 2 frames, * rows generated in *"])


def test_given_tests_can_use_a_module_scoped_registered_frame(pytester):
    pytester.makepyfile(
        SCHEMA
        + """
from hypothesis import given, strategies as st
from pytest_synthdata import register

orders_df = register(Orders, rows=50, scope="module")

@given(k=st.integers(min_value=0, max_value=49))
def test_any_row(orders_df, k):
    assert orders_df.iloc[k]["status"] in {"new", "paid", "shipped"}
"""
    )
    run(pytester).assert_outcomes(passed=1)


def test_ini_keys_set_rows_and_the_save_directory(pytester):
    pytester.makeini("[pytest]\nsynthdata_rows = 6\nsynthdata_save = keep\n")
    pytester.makepyfile(
        SCHEMA
        + """
@pytest.mark.synthdata(Orders)
def test_frame(synth_df):
    assert len(synth_df) == 0, len(synth_df)
"""
    )
    result = run(pytester, "--synthdata-seed=1")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*assert 6 == 0*", "saved: *keep*0_Orders.parquet*"])


def test_load_frame_regenerates_from_the_seed_when_a_dtype_is_lost(tmp_path):
    import json

    import pandera.pandas as pa

    from pytest_synthdata import SynthDataError, SynthDataWarning, generate
    from pytest_synthdata._save import load_frame, save_frame

    schema = pa.DataFrameSchema({"x": pa.Column(int, pa.Check.in_range(0, 9))})
    frame = generate(schema, 5, seed=4)
    meta = {"schema": "schema", "seed": 4, "rows": 5}
    path = save_frame(frame, tmp_path, "0_schema", meta)
    sidecar = path.with_suffix(".json")
    info = json.loads(sidecar.read_text())
    info["dtypes"]["x"] = "no-such-dtype"  # as if Parquet had lost the dtype
    sidecar.write_text(json.dumps(info))
    with pytest.raises(SynthDataError, match="pass schema="):
        load_frame(path)
    with pytest.warns(SynthDataWarning, match="regenerated from seed 4"):
        again = load_frame(path, schema=schema)
    pd_testing = __import__("pandas").testing
    pd_testing.assert_frame_equal(again, frame)


def test_failure_section_names_frames_from_shared_fixtures(pytester):
    pytester.makepyfile(
        SCHEMA
        + """
from pytest_synthdata import register

shared = register(Orders, name="shared", rows=4, seed=77, scope="module")

def test_frame(shared):
    assert False
"""
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["schema Orders, rows 4, seed 77"])


def test_shapes_reach_the_marker_the_factory_and_the_failure_section(pytester):
    pytester.makepyfile(
        SCHEMA
        + """
SHAPE = {
    "status": {"weights": {"new": 1, "paid": 0, "shipped": 0}},
    "amount": {"null_rate": 0.5},
}

@pytest.mark.synthdata(Orders, rows=1000, seed=3, shape=SHAPE)
def test_marker(synth_df):
    assert (synth_df["status"] == "new").all()
    assert synth_df["amount"].isna().sum() == 500
    assert synth_df.attrs["synthdata"]["shape"] == SHAPE

def test_factory(synth_factory):
    df = synth_factory(Orders, 200, shape={"status": {"weights": {"paid": 1}}})
    assert (df["status"] == "paid").all()

@pytest.mark.synthdata(Orders, rows=10, shape={"status": {"weights": {"new": 1}}})
def test_fails(synth_df):
    assert False
"""
    )
    result = run(pytester)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        ["*schema Orders, rows 10, seed *, shape {'status': {'weights': {'new': 1}}}*"]
    )
