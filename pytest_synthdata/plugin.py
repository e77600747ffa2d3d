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
DEFAULT_ROWS = 100
_SESSION_SEED = pytest.StashKey[int]()
_USED = pytest.StashKey[list]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("synthdata", "synthetic test data (pytest-synthdata)")
    group.addoption(
        SEED_OPTION,
        action="store",
        dest="synthdata_seed",
        default=None,
        help="Session seed for generated frames: an int, or 'random' (default)",
    )
    group.addoption(
        ROWS_OPTION,
        action="store",
        dest="synthdata_rows",
        default=None,
        help=f"Rows when the synthdata marker gives none (default {DEFAULT_ROWS})",
    )
    parser.addini(
        "synthdata_seed", "Session seed for generated frames (int or 'random')"
    )
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


def _parse_seed(raw: str, source: str) -> int:
    if raw == "random":
        return secrets.randbits(32)
    return _parse_count(raw, source, " or 'random'")


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
        seed = _parse_seed(str(raw).strip(), source)
    else:
        seed = secrets.randbits(32)
    worker = getattr(config, "workerinput", None)
    if worker is not None and "synthdata_seed" in worker:
        seed = int(worker["synthdata_seed"])
    config.stash[_SESSION_SEED] = seed
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistHooks(), "synthdata-xdist")
    _default_rows(config)  # a bad value is a usage error now, not in a test


class _XdistHooks:
    """Hands the session seed to pytest-xdist workers (registered if present)."""

    def pytest_configure_node(self, node: Any) -> None:  # pragma: no cover
        node.workerinput["synthdata_seed"] = node.config.stash[_SESSION_SEED]


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
    if len(args) > 1 or (not args and "schema" not in kwargs):
        pytest.fail(
            "@pytest.mark.synthdata takes one positional argument, the schema "
            f"(got {len(args)}); pass rows=, seed=, shape= and stress= by keyword.",
            pytrace=False,
        )
    schema = args[0] if args else kwargs.pop("schema")
    unknown = set(kwargs) - {"rows", "seed", "shape", "stress"}
    if unknown:
        pytest.fail(
            f"@pytest.mark.synthdata got unknown arguments {sorted(unknown)}; "
            "it accepts rows=, seed=, shape= and stress=.",
            pytrace=False,
        )
    for feature in ("shape", "stress"):
        if kwargs.get(feature) not in (None, False):
            pytest.fail(
                f"@pytest.mark.synthdata({feature}=...) is not yet supported by "
                "this version of pytest-synthdata; remove it for now.",
                pytrace=False,
            )
    return schema, kwargs


@pytest.fixture
def synth_df(request: pytest.FixtureRequest) -> Any:
    """A pandas DataFrame generated for this test's ``synthdata`` marker.

    Declare the schema on the test::

        @pytest.mark.synthdata(Claims, rows=500)
        def test_totals(synth_df): ...

    The frame validates against the schema. Its seed derives from the session
    seed (see the report header) and the test's node id, unless the marker
    gives ``seed=``; it is in ``synth_df.attrs["synthdata"]["seed"]`` and in
    the failure report.
    """
    from ._api import generate

    schema, kwargs = _marker_args(request)
    rows = kwargs.get("rows")
    if rows is None:
        rows = _default_rows(request.config)
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 0:
        pytest.fail(
            f"@pytest.mark.synthdata(rows={rows!r}): rows must be a non-negative int.",
            pytrace=False,
        )
    seed = kwargs.get("seed")
    if seed is None:
        seed = derive_seed(request.config, request.node.nodeid)
    elif isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        pytest.fail(
            f"@pytest.mark.synthdata(seed={seed!r}): seed must be a non-negative int.",
            pytrace=False,
        )
    from .errors import SynthDataError

    name = getattr(schema, "__name__", None) or getattr(schema, "name", None)
    try:
        frame = generate(schema, rows, seed=seed)
    except SynthDataError as exc:  # the message says it all; no plugin traceback
        pytest.fail(
            f"synth_df could not generate {name or 'the schema'} "
            f"(rows={rows}, seed={seed}):\n{type(exc).__name__}: {exc}",
            pytrace=False,
        )
    used = request.node.stash.setdefault(_USED, [])
    used.append((name or type(schema).__name__, rows, seed))
    return frame


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    used = item.stash.get(_USED, None)
    if used and report.failed:
        seed = item.config.stash[_SESSION_SEED]
        lines = [
            f"schema {name}, rows {rows}, seed {frame_seed}"
            for name, rows, frame_seed in used
        ]
        command = f"python -m pytest {_quote(item.nodeid)} {SEED_OPTION}={seed}"
        rows, _ = _rows_setting(item.config)
        if rows is not None:
            command += f" {ROWS_OPTION}={rows}"
        lines.append(f"reproduce (from {item.config.rootpath}): {command}")
        report.sections.append(("synthdata", "\n".join(lines)))
    return report
