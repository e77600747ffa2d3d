"""The pytest plugin: the ``synthdata`` marker and the ``synth_df`` fixture.

Loaded through the ``pytest11`` entry point. Heavy imports (pandas, pandera)
happen inside the fixture, so a test run that never asks for data pays nothing.

Seeding: one session seed (random unless ``--synthdata-seed`` gives one) is
printed in the report header; each test's seed is derived from it and the
test's node id, so selecting or reordering tests changes no frame.
"""

from __future__ import annotations

import secrets
import zlib
from typing import Any

import pytest

SEED_OPTION = "--synthdata-seed"
ROWS_OPTION = "--synthdata-rows"
SAVE_OPTION = "--synthdata-save"
STRESS_OPTION = "--synthdata-stress"
REPORT_OPTION = "--synthdata-report"
DEFAULT_ROWS = 100
CACHE_KEY = "synthdata/seed"
_SESSION_SEED = pytest.StashKey[int]()
_USED = pytest.StashKey[list]()
_STATS = pytest.StashKey[list]()
_HANDED = pytest.StashKey[list]()
_REPORT = pytest.StashKey[list]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("synthdata", "synthetic test data (pytest-synthdata)")
    group.addoption(
        SEED_OPTION,
        action="store",
        dest="synthdata_seed",
        default=None,
        help="Session seed for generated frames: an int, 'random' (default) or "
        "'last' (the previous run's)",
    )
    group.addoption(
        ROWS_OPTION,
        action="store",
        dest="synthdata_rows",
        default=None,
        help=f"Rows when the synthdata marker gives none (default {DEFAULT_ROWS})",
    )
    group.addoption(
        SAVE_OPTION,
        action="store",
        dest="synthdata_save",
        default=None,
        metavar="DIR",
        help="Write the frames a failing test received to DIR (Parquet + JSON)",
    )
    group.addoption(
        STRESS_OPTION,
        action="store_true",
        dest="synthdata_stress",
        default=None,
        help="Stress mode for every generated frame that does not set stress=: "
        "each column's edge values injected",
    )
    group.addoption(
        REPORT_OPTION,
        action="store",
        dest="synthdata_report",
        default=None,
        metavar="PATH",
        help="Write an HTML page of every generated frame's fidelity to its "
        "declared shape",
    )
    parser.addini("synthdata_report", "HTML fidelity report of the run's frames")
    parser.addini(
        "synthdata_seed", "Session seed for generated frames (int or 'random')"
    )
    parser.addini(
        "synthdata_stress",
        "Stress mode for every generated frame that does not set stress= (true/false)",
    )
    parser.addini("synthdata_save", "Directory for the frames of failing tests")
    parser.addini("synthdata_rows", "Rows when the synthdata marker gives none")


def _parse_count(raw: str, source: str, accepted: str = "") -> int:
    """A non-negative int option value, or a usage error naming the option."""
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise pytest.UsageError(
            f"{source} must be a non-negative integer{accepted}, given: {raw!r}"
        )
    return value


def _parse_seed(raw: str, source: str, config: pytest.Config | None = None) -> int:
    if raw == "random":
        return secrets.randbits(32)
    if raw == "last":
        cache = getattr(config, "cache", None)
        last = cache.get(CACHE_KEY, None) if cache is not None else None
        if last is None:
            raise pytest.UsageError(
                f"{source}=last needs the seed of an earlier run in pytest's cache, "
                "and there is none (or the cache plugin is disabled); give an int or 'random'."
            )
        return int(last)
    return _parse_count(raw, source, ", 'random' or 'last'")


def _parse_rows(raw: str, source: str) -> int:
    return _parse_count(raw, source)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "synthdata(schema, rows=None, seed=None, shape=None, stress=False): "
        "the pandera schema (DataFrameSchema or DataFrameModel) whose generated "
        "frame the synth_df fixture hands to this test.",
    )
    cli = config.getoption("synthdata_seed")
    raw = cli if cli is not None else config.getini("synthdata_seed")
    source = SEED_OPTION if cli is not None else "synthdata_seed"
    if cli is not None or raw:
        seed = _parse_seed(str(raw).strip(), source, config)
    else:
        seed = secrets.randbits(32)
    worker = getattr(config, "workerinput", None)
    if worker is not None and "synthdata_seed" in worker:
        seed = int(worker["synthdata_seed"])
    config.stash[_SESSION_SEED] = seed
    config.stash[_STATS] = [0, 0, 0.0]  # frames, rows, seconds
    cache = getattr(config, "cache", None)
    if cache is not None and worker is None:
        cache.set(CACHE_KEY, seed)
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistHooks(), "synthdata-xdist")
    _default_rows(config)  # a bad value is a usage error now, not in a test
    _default_stress(config)


class _XdistHooks:
    """Hands the session seed to pytest-xdist workers (registered if present)."""

    def pytest_configure_node(self, node: Any) -> None:  # pragma: no cover
        node.workerinput["synthdata_seed"] = node.config.stash[_SESSION_SEED]

    def pytest_testnodedown(self, node: Any, error: Any) -> None:  # pragma: no cover
        # Each worker counts its own frames; the controller's summary adds them.
        worker = getattr(node, "workeroutput", None) or {}
        stats = node.config.stash[_STATS]
        for i, value in enumerate(worker.get("synthdata_stats", ())):
            stats[i] += value
        node.config.stash.setdefault(_REPORT, []).extend(
            worker.get("synthdata_report", ())
        )


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    output = getattr(config, "workeroutput", None)
    if output is not None:
        output["synthdata_stats"] = list(config.stash.get(_STATS, ()))
        output["synthdata_report"] = list(config.stash.get(_REPORT, ()))
        return
    path = _report_path(config)
    if path is not None:
        from ._run_report import write_run_report

        records = sorted(config.stash.get(_REPORT, ()), key=lambda r: r["test"])
        write_run_report(path, records, config.stash[_SESSION_SEED])


def _report_path(config: pytest.Config) -> Any:
    from pathlib import Path

    raw = config.getoption("synthdata_report") or config.getini("synthdata_report")
    return Path(raw) if raw else None


def pytest_report_header(config: pytest.Config) -> str:
    seed = config.stash[_SESSION_SEED]
    return f"synthdata: session seed {seed} (reproduce with {SEED_OPTION}={seed})"


def _rows_setting(config: pytest.Config) -> tuple[str | None, str]:
    cli = config.getoption("synthdata_rows")
    if cli is not None:
        return cli, ROWS_OPTION
    return (config.getini("synthdata_rows") or None), "synthdata_rows"


def _default_rows(config: pytest.Config) -> int:
    raw, source = _rows_setting(config)
    return DEFAULT_ROWS if raw is None else _parse_rows(str(raw).strip(), source)


def _default_stress(config: pytest.Config) -> bool:
    if config.getoption("synthdata_stress"):
        return True
    raw = str(config.getini("synthdata_stress") or "").strip().lower()
    if raw in ("", "false", "0", "no", "off"):
        return False
    if raw in ("true", "1", "yes", "on"):
        return True
    raise pytest.UsageError(f"synthdata_stress must be true or false, given: {raw!r}")


def _stress_arg(value: Any, config: pytest.Config, where: str) -> bool:
    if value is None:
        return _default_stress(config)
    if not isinstance(value, bool):
        pytest.fail(
            f"{where}(stress={value!r}): stress must be True or False.",
            pytrace=False,
        )
    return value


def derive_seed(config: pytest.Config, nodeid: str, salt: int = 0) -> int:
    """The seed of one test: stable in the session seed and the node id."""
    import numpy as np

    seq = np.random.SeedSequence(
        config.stash[_SESSION_SEED],
        spawn_key=(zlib.crc32(nodeid.encode()), salt),
    )
    return int(seq.generate_state(2, dtype=np.uint32).view(np.uint64)[0] >> 1)


def _marker_args(request: pytest.FixtureRequest) -> tuple[Any, dict[str, Any]]:
    marker = request.node.get_closest_marker("synthdata")
    if marker is None:
        pytest.fail(
            f"{request.node.nodeid} uses synth_df but has no "
            "@pytest.mark.synthdata(schema, rows=...) marker; add one that names "
            "the schema.",
            pytrace=False,
        )
    args, kwargs = list(marker.args), dict(marker.kwargs)
    if args and "schema" in kwargs:
        pytest.fail(
            "@pytest.mark.synthdata got the schema twice, positionally and as "
            "schema=; give it once.",
            pytrace=False,
        )
    if len(args) > 1 or (not args and "schema" not in kwargs):
        pytest.fail(
            "@pytest.mark.synthdata takes one positional argument, the schema "
            f"(got {len(args)}); pass rows=, seed=, shape= and stress= by keyword.",
            pytrace=False,
        )
    schema = args[0] if args else kwargs.pop("schema")
    unknown = set(kwargs) - {"rows", "seed", "shape", "stress", "scenario"}
    if unknown:
        pytest.fail(
            f"@pytest.mark.synthdata got unknown arguments {sorted(unknown)}; "
            "it accepts rows=, seed=, shape=, stress= and scenario=.",
            pytrace=False,
        )
    return schema, kwargs


def _check_rows_seed(rows: Any, seed: Any, where: str) -> None:
    if isinstance(rows, dict):  # related tables: rows by table name
        for value in rows.values():
            _check_rows_seed(value, seed, where)
        return
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 0:
        pytest.fail(
            f"{where}(rows={rows!r}): rows must be a non-negative int.", pytrace=False
        )
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int) or seed < 0
    ):
        pytest.fail(
            f"{where}(seed={seed!r}): seed must be a non-negative int.", pytrace=False
        )


def _schema_name(schema: Any) -> str:
    if isinstance(schema, dict):
        return f"tables({', '.join(map(str, schema))})"
    name = getattr(schema, "__name__", None) or getattr(schema, "name", None)
    return str(name or type(schema).__name__)


def _generate(
    request: pytest.FixtureRequest,
    schema: Any,
    rows: int,
    seed: int,
    where: str,
    shape: Any = None,
    stress: bool = False,
    scenario: Any = None,
) -> Any:
    """Generate for a test, recording what was made for the failure report.

    ``where`` names what asked for the frame (the marker, the factory, ...).
    """
    import time

    from ._api import as_output
    from ._api import generate_pandas as generate
    from .errors import SynthDataError

    if isinstance(schema, dict):
        return _generate_tables(request, schema, rows, seed, where, shape, stress)
    name = _schema_name(schema)
    start = time.perf_counter()
    failure = None
    try:
        frame = generate(
            schema, rows, seed=seed, shape=shape, stress=stress, scenario=scenario
        )
    except SynthDataError as exc:  # the message says it all; no plugin traceback
        failure = (
            f"{where}: synthdata could not generate {name} (rows={rows}, "
            f"seed={seed}):\n{type(exc).__name__}: {exc}"
        )
    if failure is not None:  # raised outside the except: no chained traceback
        pytest.fail(failure, pytrace=False)
    stats = request.config.stash[_STATS]
    stats[0] += 1
    stats[1] += rows
    stats[2] += time.perf_counter() - start
    info = frame.attrs["synthdata"]
    if _report_path(request.config) is not None:
        _record_fidelity(request, schema, frame, name)
    request.node.stash.setdefault(_USED, []).append(
        (name, rows, seed, shape, info.get("stress"), info.get("scenario"))
    )
    if _save_dir(request.config) is not None:
        # As handed over: the test may change its frame before it fails.
        request.node.stash.setdefault(_HANDED, []).append(
            (name, rows, seed, shape, frame.copy())
        )
    return as_output(schema, frame)


def _generate_tables(
    request: pytest.FixtureRequest,
    tables: dict[str, Any],
    rows: Any,
    seed: int,
    where: str,
    shape: Any,
    stress: bool,
) -> Any:
    """Related tables for a test (a dict of frames), recorded like frames."""
    import time

    from ._related import generate_tables
    from .errors import SynthDataError

    if stress:
        pytest.fail(
            f"{where}: stress on related tables is currently unsupported; stress "
            "a table alone.",
            pytrace=False,
        )
    start = time.perf_counter()
    failure = None
    try:
        made = generate_tables(tables, rows, seed=seed, shape=shape)
    except SynthDataError as exc:
        failure = (
            f"{where}: synthdata could not generate the tables "
            f"{', '.join(map(str, tables))} (rows={rows}, seed={seed}):\n"
            f"{type(exc).__name__}: {exc}"
        )
    if failure is not None:
        pytest.fail(failure, pytrace=False)
    stats = request.config.stash[_STATS]
    stats[0] += len(made)
    stats[1] += sum(len(frame) for frame in made.values())
    stats[2] += time.perf_counter() - start
    for table, frame in made.items():
        label = f"{table} (related tables)"
        request.node.stash.setdefault(_USED, []).append(
            (label, len(frame), seed, None, None, None)
        )
        if _save_dir(request.config) is not None and hasattr(frame, "attrs"):
            # As handed over; the file holds the rows (a related table cannot
            # be rebuilt from its own seed alone).
            request.node.stash.setdefault(_HANDED, []).append(
                (label, len(frame), seed, None, frame.copy())
            )
    return made


def _record_fidelity(
    request: pytest.FixtureRequest, schema: Any, frame: Any, name: str
) -> None:
    """The frame's fidelity to its declared shape, for the run's report."""
    from ._fidelity import describe

    info = frame.attrs["synthdata"]
    table = describe(frame, schema).table
    request.config.stash.setdefault(_REPORT, []).append(
        {
            "test": request.node.nodeid,
            "schema": name,
            "rows": len(frame),
            "seed": info.get("seed"),
            "stress": "stress" in info,
            "scenario": info.get("scenario"),
            "table": table.to_dict("records"),
        }
    )


def _save_dir(config: pytest.Config) -> Any:
    from pathlib import Path

    raw = config.getoption("synthdata_save") or config.getini("synthdata_save")
    return Path(raw) if raw else None


def _param_args(param: Any) -> tuple[Any, dict[str, Any]]:
    """Indirect parametrisation: a schema, (schema, rows) or a dict of args."""
    if isinstance(param, dict):
        kwargs = dict(param)
        if "schema" not in kwargs:
            pytest.fail(
                "an indirect synth_df parameter given as a dict needs a 'schema' key.",
                pytrace=False,
            )
        return kwargs.pop("schema"), kwargs
    if isinstance(param, tuple) and len(param) == 2:
        return param[0], {"rows": param[1]}
    return param, {}


@pytest.fixture
def synth_df(request: pytest.FixtureRequest) -> Any:
    """A pandas DataFrame generated for this test's ``synthdata`` marker.

    Declare the schema on the test::

        @pytest.mark.synthdata(Claims, rows=500)
        def test_totals(synth_df): ...

    or parametrise over schemas or sizes with ``indirect=["synth_df"]`` (a
    parameter is a schema, a ``(schema, rows)`` pair or a dict of the marker's
    arguments). The frame validates against the schema. Its seed derives from
    the session seed (see the report header) and the test's node id, unless
    ``seed=`` is given; it is in ``synth_df.attrs["synthdata"]["seed"]`` and
    in the failure report.
    """
    if hasattr(request, "param"):
        schema, kwargs = _param_args(request.param)
        where = "the indirect synth_df parameter"
    else:
        schema, kwargs = _marker_args(request)
        where = "@pytest.mark.synthdata"
    rows = kwargs.get("rows")
    if rows is None:
        rows = _default_rows(request.config)
    seed = kwargs.get("seed")
    _check_rows_seed(rows, seed, where)
    stress = _stress_arg(kwargs.get("stress"), request.config, where)
    if seed is None:
        seed = derive_seed(request.config, request.node.nodeid)
    return _generate(
        request,
        schema,
        rows,
        seed,
        where,
        kwargs.get("shape"),
        stress,
        kwargs.get("scenario"),
    )


@pytest.fixture
def synth_factory(request: pytest.FixtureRequest) -> Any:
    """A callable that generates frames: ``synth_factory(schema, rows=..., seed=...)``.

    Each call draws its own stream from the test's seed (the first call, the
    second call, ... each get their own), so a test can build several frames,
    of one schema or of several, reproducibly. ``rows`` defaults to
    ``--synthdata-rows`` (100); ``seed=`` fixes one call's frame; ``shape=``
    lays per-column shapes over the schema's declared ones.
    """
    calls = [0]

    def make(
        schema: Any,
        rows: int | None = None,
        *,
        seed: int | None = None,
        shape: Any = None,
        stress: bool | None = None,
        scenario: Any = None,
    ) -> Any:
        calls[0] += 1
        if rows is None:
            rows = _default_rows(request.config)
        _check_rows_seed(rows, seed, "synth_factory")
        on = _stress_arg(stress, request.config, "synth_factory")
        if seed is None:
            seed = derive_seed(request.config, request.node.nodeid, salt=calls[0])
        return _generate(
            request, schema, rows, seed, "synth_factory", shape, on, scenario
        )

    return make


def register(
    schema: Any,
    *,
    name: str | None = None,
    rows: int | None = None,
    seed: int | None = None,
    scope: str = "function",
    shape: Any = None,
    stress: bool | None = None,
    scenario: Any = None,
) -> Any:
    """Make a named fixture that hands tests a frame of ``schema``.

    Parameters
    ----------
    schema : DataFrameSchema or DataFrameModel subclass
        The schema of the frame.
    name : str, optional
        The fixture's name; by default the schema's name in snake case with
        ``_df`` appended (``Claims`` gives ``claims_df``).
    rows : int, optional
        Rows of the frame; by default ``--synthdata-rows`` (100).
    seed : int, optional
        A fixed seed; by default one derived from the session seed and the
        fixture's name (and, with ``scope="function"``, the test).
    scope : {"function", "module", "session"}
        The fixture's scope: a frame per test, or one frame shared by the
        tests of a module or of the session (do not change a shared frame in
        place; copy it). A module- or session-scoped frame can be used in
        Hypothesis ``@given`` tests, which refuse function-scoped fixtures.
    shape : dict, optional
        Per-column shapes laid over the schema's declared ones, as for
        ``generate(..., shape=...)``.
    stress : bool, optional
        Inject each column's edge values, as ``generate(..., stress=True)``;
        by default ``--synthdata-stress``.
    scenario : Scenario, optional
        A departure from the declared shape, as for
        ``generate(..., scenario=...)``.

    Returns
    -------
    A pytest fixture; assign it to a name in a conftest or test module::

        claims_df = register(Claims, rows=500, scope="module")
    """
    import re

    from .errors import InvalidArgumentError

    if scope not in ("function", "module", "session"):
        raise InvalidArgumentError(
            f"register(scope={scope!r}): scope must be 'function', 'module' or "
            "'session'."
        )
    base = _schema_name(schema)
    if isinstance(schema, dict) and name is None:
        raise InvalidArgumentError(
            "register(tables): related tables need a fixture name, such as "
            "register({...}, name='claims_tables', rows={...})."
        )
    fixture_name = name or re.sub(r"(?<!^)(?=[A-Z])", "_", base).lower() + "_df"

    def fixture(request: pytest.FixtureRequest) -> Any:
        config = request.config
        n = _default_rows(config) if rows is None else rows
        _check_rows_seed(n, seed, f"register({base})")
        # request.node is the test or the module; a session frame has one seed.
        node = "session" if scope == "session" else request.node.nodeid
        where = f"{node}::{fixture_name}"
        frame_seed = seed if seed is not None else derive_seed(config, where)
        label = f"register({base})"
        on = _stress_arg(stress, config, label)
        return _generate(request, schema, n, frame_seed, label, shape, on, scenario)

    fixture.__doc__ = (
        f"A frame of {base} ({rows or 'default'} rows, generated per {scope}), "
        "made by pytest_synthdata.register."
    )
    return pytest.fixture(name=fixture_name, scope=scope)(fixture)


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    used = list(item.stash.get(_USED, None) or ())
    # Frames from module- or session-scoped fixtures were recorded on their
    # scope's node; find them among the test's arguments by their attrs.
    seen = {entry[2] for entry in used}
    for value in (getattr(item, "funcargs", None) or {}).values():
        attrs = getattr(value, "attrs", None)
        info = attrs.get("synthdata") if isinstance(attrs, dict) else None
        if isinstance(info, dict) and info.get("seed") not in seen:
            used.append(
                (
                    info.get("schema"),
                    info.get("rows"),
                    info.get("seed"),
                    info.get("shape"),
                    info.get("stress"),
                    info.get("scenario"),
                )
            )
            seen.add(info.get("seed"))
    if used and report.failed:
        seed = item.config.stash[_SESSION_SEED]
        lines = []
        for name, rows, frame_seed, shape, coverage, scenario in used:
            lines.append(
                f"schema {name}, rows {rows}, seed {frame_seed}"
                + (f", shape {shape!r}" if shape else "")
                + (f", scenario {scenario}" if scenario else "")
                + (", stress" if coverage is not None else "")
            )
            if coverage is not None:
                from ._engine.stress import summary

                lines.extend("  " + line for line in summary(coverage))
        command = f"python -m pytest {_quote(item.nodeid)} {SEED_OPTION}={seed}"
        rows, _ = _rows_setting(item.config)
        if rows is not None:
            command += f" {ROWS_OPTION}={rows}"
        if item.config.getoption("synthdata_stress"):
            command += f" {STRESS_OPTION}"
        lines.append(f"reproduce (from {item.config.rootpath}): {command}")
        lines.extend(_save_handed(item, seed))
        report.sections.append(("synthdata", "\n".join(lines)))
    return report


def _save_handed(item: pytest.Item, session_seed: int) -> list[str]:
    """Write the frames the failing test received; lines for the report."""
    handed = item.stash.get(_HANDED, None)
    directory = _save_dir(item.config)
    if not handed or directory is None:
        return []
    from ._save import save_frame, slug
    from ._version import __version__

    lines = []
    where = directory / slug(item.nodeid)
    for i, (name, rows, seed, _shape, frame) in enumerate(handed):
        meta = {
            "schema": name,
            "seed": seed,
            "rows": rows,
            "shape": frame.attrs.get("synthdata", {}).get("shape"),
            "stress": frame.attrs.get("synthdata", {}).get("stress"),
            "scenario": frame.attrs.get("synthdata", {}).get("scenario"),
            "outliers": frame.attrs.get("synthdata", {}).get("outliers"),
            "nodeid": item.nodeid,
            "session_seed": session_seed,
            "version": __version__,
        }
        try:
            path = save_frame(frame, where, f"{i}_{slug(name)}", meta)
        except (OSError, ValueError, TypeError) as exc:
            lines.append(f"could not save the {name} frame: {exc}")
        else:
            lines.append(f"saved: {path} (load with pytest_synthdata.load_frame)")
    item.stash[_HANDED] = []  # written once, even if several phases fail
    return lines


def pytest_terminal_summary(
    terminalreporter: Any, exitstatus: int, config: pytest.Config
) -> None:
    stats = config.stash.get(_STATS, None)
    if not stats or not stats[0]:
        return  # no test used the plugin: say nothing
    frames, rows, seconds = stats
    terminalreporter.write_line(
        f"synthdata: {frames} frames, {rows} rows generated in {seconds:.2f} s "
        f"(session seed {config.stash[_SESSION_SEED]})"
    )
    path = _report_path(config)
    if path is not None:
        terminalreporter.write_line(f"synthdata: fidelity report in {path}")
