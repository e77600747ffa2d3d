"""Regex and string sampling: vectorised, exact for the supported syntax."""

from __future__ import annotations

import re

import numpy as np
import pytest

from pytest_synthdata._generators.text import (
    flat_parts,
    parse,
    regex_array,
    sample_regex,
)

PATTERNS = [
    r"^[A-Z]{3}-[0-9]{6}$",
    r"^[a-z]{4,10}@[a-z]{3,8}\.(com|org|net)$",
    r"2[0-3]|[01]?[0-9]:[0-5][0-9]",
    r"^https?://[a-z0-9]+(\.[a-z0-9]+)*\.(com|org|net)/[a-z0-9_/]{1,20}\.(png|jpg)$",
    r"^CHEMBL\d+$",
    r"^(=|>|<|>=|<=)$",
    r"^[0-9a-f]{64}$",
    r"^[FTPCO]+(?:\d+|Z)$",
    r"^([0-1]?[0-9]|[2][0-3]):([0-5][0-9])(:[0-5][0-9])?$",
    r"[^abc]x.y",
    r"(ab)+c*",
    r"x(ab)?y{2,3}",
    r"\w+\s\w+",
    r"caf\u00e9 [\u00e0-\u00ff]{2}",
    r"(?i)hello",
    r"a{0}b",
]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("seed", [0, 1])
def test_every_sample_matches_its_pattern(pattern, seed):
    rng = np.random.default_rng(seed)
    values = regex_array(pattern, rng, 500).to_pylist()
    compiled = re.compile(pattern)
    assert all(compiled.match(v) for v in values), pattern
    assert len(set(values)) > 1 or pattern in (r"(?i)hello", r"a{0}b")


@pytest.mark.parametrize("pattern", [r"\d{4}", r"\w{6}", r"\s"])
def test_shorthand_classes_give_ascii(pattern):
    values = regex_array(pattern, np.random.default_rng(3), 300).to_pylist()
    assert all(v.isascii() for v in values)


def test_non_ascii_literals_and_ranges_are_encoded_as_utf8():
    values = regex_array(r"é[à-ÿ]{3}", np.random.default_rng(0), 200).to_pylist()
    assert all(len(v) == 4 and v[0] == "é" for v in values)
    assert all(all("à" <= c <= "ÿ" for c in v[1:]) for v in values)


def test_flat_and_general_samplers_agree_on_the_language():
    pattern = r"^[a-z]{2,5}-(x|yy)\d{3}$"
    assert flat_parts(pattern) is not None
    rng = np.random.default_rng(5)
    general = sample_regex(pattern, rng, 300).to_arrow().to_pylist()
    flat = regex_array(pattern, rng, 300).to_pylist()
    compiled = re.compile(pattern)
    assert all(compiled.match(v) for v in general + flat)


def test_lookarounds_and_backrefs_are_marked_inexact():
    assert not parse(r"foo(?=bar)").exact
    assert not parse(r"(a)\1").exact
    assert parse(r"^[a-z]+$").exact


def test_sampling_is_deterministic_for_a_seed():
    a = regex_array(r"[a-z]{3,9}", np.random.default_rng(11), 50).to_pylist()
    b = regex_array(r"[a-z]{3,9}", np.random.default_rng(11), 50).to_pylist()
    assert a == b
