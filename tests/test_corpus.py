"""The real-world corpus in ../shared/corpus: every schema valid, or a clear error.

Each schema is generated at several sizes and must meet the validity contract.
The few whose custom checks judge a whole column or frame in ways no generic
generator can meet (sums, lookups, cross-row structure) must fail fast with
ChecksUnmetError naming the check; they are listed with the reason, and in the
README's limitations.
"""

from __future__ import annotations

import warnings

import pytest

from pytest_synthdata import generate
from pytest_synthdata.errors import ChecksUnmetError, InfeasibleRequestError
from tests.conftest import CORPUS_PATHS, UNMEETABLE, assert_exact, corpus_schema

PATHS = CORPUS_PATHS
# Checks that reject an empty frame: 0 rows must be a clear error.
NEEDS_ROWS = {"s32", "s40"}
_schema = corpus_schema


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
