"""compare(): real against synthetic; the HTML page; the command line."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from pytest_synthdata import compare
from pytest_synthdata.__main__ import main
from pytest_synthdata.errors import InvalidArgumentError

N = 4000


def _people(seed: int, shift: float = 0.0, n: int = N) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    income = rng.lognormal(10 + shift, 0.5, n)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),
            "income": income,
            "spend": income * 0.1 + rng.normal(0, 500, n),
            "city": rng.choice(["Oslo", "Bergen", "Tromsø"], n, p=[0.5, 0.3, 0.2]),
            "joined": pd.Timestamp("2015-01-01")
            + pd.to_timedelta(rng.integers(0, 3000, n), "D"),
            "vip": rng.random(n) < 0.1,
        }
    )


def test_frames_from_one_distribution_are_close():
    report = compare(_people(1), _people(2))
    table = report.table.set_index("column")
    bound = 1.95 * math.sqrt(2 / N)  # two-sample KS at the 0.1% level
    assert (table["ks"].dropna() < bound).all()
    assert table.loc["city", "tvd"] < 0.05
    assert report.spearman_gap < 0.1
    assert report.auc < 0.56
    assert "classifier AUC" in str(report)


def test_a_shifted_column_and_a_lost_correlation_show():
    real = _people(1)
    drifted = _people(2, shift=0.5)
    drifted["spend"] = drifted["spend"].sample(frac=1, random_state=0).to_numpy()
    report = compare(real, drifted)
    table = report.table.set_index("column")
    assert table.loc["income", "ks"] > 0.3
    assert report.spearman_gap > 0.5
    assert report.auc > 0.7


def test_compare_arguments_are_checked():
    with pytest.raises(InvalidArgumentError, match="must be a DataFrame"):
        compare([1, 2], _people(1))
    with pytest.raises(InvalidArgumentError, match="share no column"):
        compare(pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [1]}))


def test_wide_frames_draw_only_the_columns_farthest_apart(tmp_path):
    from pytest_synthdata._compare import MAX_PLOTS

    rng = np.random.default_rng(0)
    names = [f"c{i}" for i in range(MAX_PLOTS + 10)]
    real = pd.DataFrame(rng.normal(size=(500, len(names))), columns=names)
    synthetic = pd.DataFrame(rng.normal(size=(500, len(names))), columns=names)
    synthetic["c7"] += 3  # the one column far off
    page = compare(real, synthetic).to_html(tmp_path / "wide.html").read_text()
    figures = re.findall(r'<figure><img alt="([^"]+)"', page)
    assert len(figures) == MAX_PLOTS + 1  # and the correlation heat maps
    assert figures[0] == "c7"
    assert figures[-1] == "correlations"
    assert f"The {MAX_PLOTS} columns farthest apart of {len(names)}" in page


def test_the_page_is_written_whole(tmp_path):
    report = compare(_people(1, n=500), _people(2, n=500))
    path = report.to_html(tmp_path / "out" / "report.html")
    text = path.read_text()
    assert text.count("<img") == 7  # six columns and the correlation maps
    assert "Real against synthetic" in text
    assert [p.name for p in path.parent.iterdir()] == ["report.html"]


# --------------------------------------------------------------------------
# the command line
# --------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    people = _people(3, n=2000)
    people.to_csv(tmp_path / "people.csv", index=False)
    people.to_parquet(tmp_path / "people.parquet")
    return tmp_path


def test_fit_then_report_from_the_command_line(data_dir, capsys):
    assert main(["fit", "people.csv", "-o", "shape.yaml"]) == 0
    assert (data_dir / "shape.yaml").is_file()
    assert (data_dir / "shape.schema.yaml").is_file()
    out = capsys.readouterr().out
    assert "income: lognormal" in out
    code = main(["report", "people.parquet", "--shape", "shape.yaml", "-o", "r.html"])
    assert code == 0
    assert "classifier AUC" in capsys.readouterr().out
    assert (data_dir / "r.html").stat().st_size > 10_000


def test_a_schema_given_by_module_and_attribute(data_dir, capsys):
    (data_dir / "people_schema.py").write_text(
        "import pandera.pandas as pa\n"
        "People = pa.DataFrameSchema({\n"
        "    'age': pa.Column(int, pa.Check.in_range(0, 120)),\n"
        "    'income': pa.Column(float, pa.Check.gt(0)),\n"
        "    'city': pa.Column(str, pa.Check.isin(['Oslo', 'Bergen', 'Tromsø'])),\n"
        "})\n"
    )
    args = ["fit", "people.csv", "--schema", "people_schema:People", "-o", "s.json"]
    assert main(args) == 0
    assert not (data_dir / "s.schema.yaml").exists()  # the schema is the user's
    report = ["report", "people.csv", "--shape", "s.json", "-o", "r.html"]
    assert main([*report, "--schema", "people_schema:People"]) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fit", "missing.csv", "-o", "s.yaml"], "missing.csv: no such file"),
        (["fit", "people.csv", "-o", "s.txt"], "ends in .yaml or .json"),
        (["fit", "people.csv", "--schema", "nocolon", "-o", "s.yaml"], "module:attr"),
        (["fit", "people.csv", "--schema", "nomod:X", "-o", "s.yaml"], "cannot import"),
        (["report", "people.csv", "--shape", "none.yaml", "-o", "r.html"], "none.yaml"),
        (
            ["fit", "people.csv", "--schema", "gone.yaml", "-o", "s.yaml"],
            "--schema gone.yaml: no such file",
        ),
        (
            ["report", "people.csv", "--shape", "s.yaml", "-o", "r.pdf"],
            "-o r.pdf: the report is an HTML page",
        ),
    ],
)
def test_bad_arguments_are_one_line_and_status_2(data_dir, capsys, args, message):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not (data_dir / "s.yaml").exists()


def test_data_that_breaks_the_schema_is_shown(data_dir, capsys):
    (data_dir / "strict.py").write_text(
        "import pandera.pandas as pa\n"
        "S = pa.DataFrameSchema({'age': pa.Column(int, pa.Check.le(30))})\n"
    )
    assert main(["fit", "people.csv", "--schema", "strict:S", "-o", "s.yaml"]) == 2
    assert "does not meet the schema" in capsys.readouterr().err
    assert not (data_dir / "s.yaml").exists()


def test_a_csv_in_another_encoding_is_read_with_encoding(data_dir, capsys):
    _people(4, n=300).to_csv(data_dir / "latin.csv", index=False, encoding="latin-1")
    assert main(["fit", "latin.csv", "-o", "s.yaml"]) == 2
    err = capsys.readouterr().err
    assert "not utf-8 text" in err
    assert "--encoding latin-1" in err
    assert not (data_dir / "s.yaml").exists()
    assert main(["fit", "latin.csv", "-o", "s.yaml", "--encoding", "latin-1"]) == 0
    schema = yaml.safe_load((data_dir / "s.schema.yaml").read_text())
    assert "Tromsø" in schema["columns"]["city"]["isin"]
    assert main(["fit", "latin.csv", "-o", "t.yaml", "--encoding", "klingon"]) == 2
    assert "no such text encoding" in capsys.readouterr().err


def test_csv_times_with_mixed_offsets_are_read_in_utc(data_dir):
    from pytest_synthdata.__main__ import _read

    (data_dir / "t.csv").write_text(
        "at\n2024-03-30T23:30:00+01:00\n2024-03-31T23:30:00+02:00\n"
    )
    at = _read("t.csv")["at"]
    assert str(at.dt.tz) == "UTC"
    assert at.tolist() == [
        pd.Timestamp("2024-03-30T22:30", tz="UTC"),
        pd.Timestamp("2024-03-31T21:30", tz="UTC"),
    ]


def test_a_report_on_data_without_rows_says_so(data_dir, capsys):
    assert main(["fit", "people.csv", "-o", "s.yaml"]) == 0
    _people(3, n=10).iloc[:0].to_csv(data_dir / "empty.csv", index=False)
    assert main(["report", "empty.csv", "--shape", "s.yaml", "-o", "r.html"]) == 2
    assert "empty.csv: no rows to compare with" in capsys.readouterr().err
    assert not (data_dir / "r.html").exists()


def test_python_dash_m_runs_the_command_line(data_dir):
    done = subprocess.run(
        [sys.executable, "-m", "pytest_synthdata", "fit", "people.csv", "-o", "s.yaml"],
        capture_output=True,
        text=True,
        cwd=data_dir,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "wrote s.yaml" in done.stderr


# --------------------------------------------------------------------------
# the page in a browser
# --------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium package is not installed (.ci/run installs it)",
)
def test_the_page_loads_in_headless_chromium_and_shows_its_plots(tmp_path):
    import matplotlib.image

    report = compare(_people(1, n=800), _people(2, n=800))
    page = report.to_html(tmp_path / "report.html")
    shot = tmp_path / "shot.png"
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1300,1800",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shot.is_file(), done.stderr[-2000:]
    pixels = matplotlib.image.imread(shot)[..., :3]
    # matplotlib's first two colours: the real (blue) and synthetic (orange)
    blue = np.all(np.abs(pixels - np.array([31, 119, 180]) / 255) < 0.05, axis=-1)
    orange = np.all(np.abs(pixels - np.array([255, 127, 14]) / 255) < 0.05, axis=-1)
    assert blue.sum() > 2000
    assert orange.sum() > 2000


# --------------------------------------------------------------------------
# the run's report
# --------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [[], ["-n", "2"]])
def test_the_run_report_holds_every_frame(pytester, workers):
    pytester.makepyfile(
        """
import pandera.pandas as pa
import pytest

S = pa.DataFrameSchema(
    {"x": pa.Column(float, pa.Check.in_range(0, 1),
                    metadata={"synthdata": {"dist": "beta", "a": 2, "b": 5}})},
    name="S",
)

@pytest.mark.synthdata(S, rows=2000, seed=1)
def test_a(synth_df):
    pass

@pytest.mark.synthdata(S, rows=50, seed=2, stress=True)
def test_b(synth_df):
    pass
"""
    )
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--synthdata-report=out/report.html", *workers
    )
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*synthdata: fidelity report in out/report.html*"])
    page = (pytester.path / "out" / "report.html").read_text()
    assert page.count("<h2>") == 2
    assert "test_a: S, 2000 rows, seed 1" in page
    assert "(stressed)" in page
    assert "beta(a=2, b=5)" in page


def test_lengths_constants_and_time_zones_are_compared():
    rng = np.random.default_rng(1)
    short = [("x" * int(k)) + str(i) for i, k in enumerate(rng.integers(2, 5, 500))]
    long = [("y" * int(k)) + str(i) for i, k in enumerate(rng.integers(6, 13, 500))]
    real = pd.DataFrame(
        {
            "t": short,
            "c": [1.0] * 500,
            "z": pd.date_range("2020", periods=500, freq="h", tz="UTC"),
        }
    )
    other = pd.DataFrame(
        {"t": long, "c": [5.0] * 500, "z": pd.date_range("2020", periods=500, freq="h")}
    )
    report = compare(real, other)
    table = report.table.set_index("column")
    assert table.loc["t", "tvd"] > 0.9  # the lengths differ
    assert table.loc["c", "wasserstein/iqr"] == 4.0  # in units of |median|
    assert table.loc["z", "ks"] == 0.0  # the same instants, one naive in UTC
    assert report.auc > 0.95  # lengths alone tell them apart
