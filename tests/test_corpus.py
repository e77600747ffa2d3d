"""The real-world corpus in ../shared/corpus: every schema valid, or a clear error.

Each schema is generated at several sizes and must meet the validity contract.
The few whose custom checks judge a whole column or frame in ways no generic
generator can meet (sums, lookups, cross-row structure) must fail fast with
ChecksUnmetError naming the check; they are listed with the reason, and in the
README's limitations.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import pytest

from pytest_synthdata import generate
from pytest_synthdata.errors import ChecksUnmetError, InfeasibleRequestError
from tests.conftest import assert_exact

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PATHS = sorted(CORPUS.glob("s[0-9][0-9]_*.py")) if CORPUS.is_dir() else []

# Rules that only a declared shape (derived columns, orderings, lookups) can
# meet; generation must stop with ChecksUnmetError naming the rule.
UNMEETABLE = {
    "s17": "element-wise lookups of coded lists and cross-field conditionals",
    "s32": "weights must sum to 100 across the frame",
    "s37": "element-wise lookups into fixed code sets",
    "s47": "a column must equal the product of two others",
    "s54": "stop numbers must be exactly 1..n",
    "s55": "per-sheet contiguous numbering and one-to-one groupings",
}
# Checks that reject an empty frame: 0 rows must be a clear error.
NEEDS_ROWS = {"s32", "s40"}


def _schema(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.schema()


@pytest.mark.skipif(not PATHS, reason="../shared/corpus is not present")
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem[:3])
@pytest.mark.parametrize("rows", [0, 1, 10, 1000])
def test_corpus_schema_is_generated_valid_or_fails_clearly(path, rows):
    key = path.stem[:3]
    schema = _schema(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the slow-path notice is expected here
        if rows == 0 and key in NEEDS_ROWS:
            with pytest.raises(InfeasibleRequestError, match="0 rows"):
                generate(schema, rows, seed=rows)
            return
        if key in UNMEETABLE and rows > 0:
            with pytest.raises(ChecksUnmetError, match="custom check"):
                generate(schema, rows, seed=rows)
            return
        df = generate(schema, rows, seed=rows)
    assert_exact(schema, df, rows)


@pytest.mark.slow
@pytest.mark.skipif(not PATHS, reason="../shared/corpus is not present")
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem[:3])
def test_corpus_sweep_over_seeds_and_a_large_size(path):
    key = path.stem[:3]
    if key in UNMEETABLE:
        pytest.skip(UNMEETABLE[key])
    schema = _schema(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed in range(20):
            assert_exact(schema, generate(schema, 200, seed=seed), 200)
        assert_exact(schema, generate(schema, 100_000, seed=99), 100_000)
