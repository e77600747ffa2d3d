"""Shared helpers for the test suite."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

pytest_plugins = ["pytester"]

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS_PATHS = sorted(CORPUS.glob("s[0-9][0-9]_*.py")) if CORPUS.is_dir() else []
# Rules that only a declared shape (derived columns, orderings, lookups) can
# meet; generation stops with ChecksUnmetError naming the rule.
UNMEETABLE = {
    "s17": "element-wise lookups of coded lists and cross-field conditionals",
    "s32": "weights must sum to 100 across the frame",
    "s37": "element-wise lookups into fixed code sets",
    "s47": "a column must equal the product of two others",
    "s54": "stop numbers must be exactly 1..n",
    "s55": "per-sheet contiguous numbering and one-to-one groupings",
}
GENERABLE = [p for p in CORPUS_PATHS if p.stem[:3] not in UNMEETABLE]


def corpus_schema(path: Path):
    """The schema a corpus file defines."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.schema()


def assert_exact(schema, df: pd.DataFrame, rows: int | None = None) -> pd.DataFrame:
    """The validity contract: ``df`` validates and equals what validate returns."""
    if hasattr(schema, "to_schema"):
        schema = schema.to_schema()
    out = schema.validate(df, lazy=True)
    pd.testing.assert_frame_equal(out, df, check_exact=True)
    if rows is not None:
        assert len(df) == rows
    return out


def generated_dtype(pandera_dtype, coerce: bool = False):
    """The dtype a generated column carries for a pandera dtype.

    pandera reads every string dtype as one; uncoerced string columns are
    generated with pandas' nullable ``string`` dtype (missing value pd.NA),
    coerced ones with the ``str`` dtype that validation converts them to.
    """
    declared = pandera_dtype
    if type(declared).__module__.startswith("pandera."):
        declared = declared.type
    if isinstance(declared, pd.StringDtype) and not coerce:
        return pd.StringDtype(declared.storage, na_value=pd.NA)
    return declared


@pytest.fixture
def exact():
    """The :func:`assert_exact` helper as a fixture."""
    return assert_exact


# Hypothesis in this suite: the same examples every run (a fixed seed per
# test), no example database unless a test asks for one, no wall-clock
# deadline. Timed health checks are exercised by slow-marked tests.
settings.register_profile(
    "synthdata-tests", derandomize=True, database=None, deadline=None
)
settings.load_profile("synthdata-tests")


ALPHA = 1e-4  # statistical tests: the chance an honest sample fails a bound


def ks_bound(n: int) -> float:
    """The KS distance an exact sampler of ``n`` values exceeds with prob. ALPHA."""
    return math.sqrt(math.log(2 / ALPHA) / (2 * n))


def meta(**shape: object) -> dict:
    """Column or schema metadata carrying a synthdata shape."""
    return {"synthdata": shape}
