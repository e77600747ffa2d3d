"""Proposals for string columns: patterns, affixes and lengths, vectorised.

A proposal meets the string checks by construction when there is at most one
pattern and no other string check, or only lengths and affixes. Any other
combination is a *proposal* that the assembly layer verifies with the checks
themselves, keeping what passes and drawing again for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .text import (
    LOWER,
    Part,
    Ragged,
    concat,
    regex_array,
    sample_chars,
    sample_flat,
    sample_regex,
)

TYPICAL_EXTRA = 11  # free text spans min length .. min length + this


@dataclass(frozen=True)
class StringRecipe:
    """How to propose strings for one column."""

    matches: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    prefix: str = ""
    suffix: str = ""
    min_len: int = 0
    max_len: int | None = None
    cap: int = 8  # extra repetitions allowed to an unbounded regex repeat
    base: int = 0  # which str_matches pattern drives the proposal
    splice: bool = False  # overwrite a pattern sample's ends with the affixes


def length_window(recipe: StringRecipe) -> tuple[int, int]:
    """The closed window of total lengths free text is drawn from."""
    fixed = len(recipe.prefix) + len(recipe.suffix)
    lo = max(recipe.min_len, fixed, 1)
    if recipe.max_len is not None:
        lo = min(lo, recipe.max_len) if recipe.max_len >= fixed else lo
        hi = min(recipe.max_len, lo + TYPICAL_EXTRA)
    else:
        hi = lo + TYPICAL_EXTRA
    return lo, max(lo, hi)


def _letters(rng: np.random.Generator, n: int, lens: np.ndarray) -> Ragged:
    return sample_chars(rng, LOWER, n, lens)


def propose(rng: np.random.Generator, n: int, recipe: StringRecipe) -> pa.Array:
    """``n`` candidate strings for ``recipe`` as a pyarrow string array."""
    if recipe.matches:
        base = recipe.matches[recipe.base % len(recipe.matches)]
        sample = regex_array(base, rng, n, recipe.cap)
        if recipe.splice and (recipe.prefix or recipe.suffix):
            stop = -len(recipe.suffix) if recipe.suffix else None
            body = pc.utf8_slice_codeunits(sample, len(recipe.prefix), stop)
            sample = pc.binary_join_element_wise(recipe.prefix, body, recipe.suffix, "")
        return sample
    p = Ragged.literal(recipe.prefix.encode(), n)
    s = Ragged.literal(recipe.suffix.encode(), n)
    if recipe.contains:
        # Random text around the required part keeps values varied (and unique
        # where they must be); the lengths are verified afterwards.
        core = sample_regex(recipe.contains[0], rng, n, recipe.cap)
        fixed = len(recipe.prefix) + len(recipe.suffix)
        short = np.maximum(recipe.min_len - fixed - core.lens, 0)
        head = _letters(rng, n, short + rng.integers(0, 6, size=n))
        tail = _letters(rng, n, rng.integers(0, 6, size=n))
        if recipe.max_len is not None and recipe.cap < 4:
            head = _letters(rng, n, short)  # the tight variant: no extra text
            tail = Ragged.empty(n)
        return concat([p, head, core, tail, s]).to_arrow()
    lo, hi = length_window(recipe)
    fixed = len(recipe.prefix) + len(recipe.suffix)
    parts = [
        Part("lit", data=recipe.prefix.encode()),
        Part("run", alphabet=LOWER, lo=max(lo - fixed, 0), hi=max(hi - fixed, 0)),
        Part("lit", data=recipe.suffix.encode()),
    ]
    if recipe.prefix.isascii() and recipe.suffix.isascii():
        return sample_flat([q for q in parts if q.kind != "lit" or q.data], rng, n)
    body = _letters(
        rng, n, rng.integers(parts[1].lo, parts[1].hi, size=n, endpoint=True)
    )
    return concat([p, body, s]).to_arrow()
