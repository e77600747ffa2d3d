"""A keyed permutation of ``0..size-1``, evaluated at any index, vectorised.

Chunked generation needs distinct keys across chunks without remembering the
keys already handed out: row ``r`` of the whole data set gets value
``permutation(r)``, and a permutation never repeats. The permutation is a
balanced Feistel network over the smallest even number of bits that holds
``size``, walked along its cycles until it lands inside ``0..size-1`` (cycle
walking keeps it a bijection of the smaller set; the bit domain is less than
four times ``size``, so a few steps suffice). It is not cryptographic: the
point is an order that looks random and costs a few numpy passes.
"""

from __future__ import annotations

import numpy as np

ROUNDS = 4
MAX_SIZE = 1 << 62  # keeps the bit arithmetic inside uint64

_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it is a bijection


class Permutation:
    """A bijection of ``0..size-1`` fixed by ``keys`` (``ROUNDS`` uint64s)."""

    def __init__(self, size: int, keys: np.ndarray) -> None:
        if not 1 <= size <= MAX_SIZE:
            raise ValueError(f"size must be in 1..2**62, got {size}")
        self.size = int(size)
        half = max(1, ((self.size - 1).bit_length() + 1) // 2)
        self._half = np.uint64(half)
        self._mask = np.uint64((1 << half) - 1)
        self._top = np.uint64(64 - half)
        self._keys = np.asarray(keys, dtype=np.uint64)[:ROUNDS]

    def _encrypt(self, x: np.ndarray) -> np.ndarray:
        left = x >> self._half
        right = x & self._mask
        for key in self._keys:
            # The round function: the top bits of a keyed multiply, where
            # every input bit has reached.
            mixed = ((right ^ key) * _MULT + key) >> self._top
            left, right = right, left ^ mixed
        return (left << self._half) | right

    def __call__(self, index: np.ndarray) -> np.ndarray:
        """The images of ``index`` (ints in ``0..size-1``) as int64."""
        x = np.asarray(index, dtype=np.uint64)
        if x.size and int(x.max()) >= self.size:
            raise ValueError("index beyond the permutation's size")
        y = self._encrypt(x)
        out = np.uint64(self.size)
        away = np.flatnonzero(y >= out)
        while away.size:  # cycle walking: step on until back inside
            z = self._encrypt(y[away])
            y[away] = z
            away = away[z >= out]
        return y.astype(np.int64)


def permutation(size: int, rng: np.random.Generator) -> Permutation:
    """A permutation of ``0..size-1`` keyed from ``rng``."""
    keys = rng.integers(0, 1 << 64, size=ROUNDS, dtype=np.uint64, endpoint=False)
    return Permutation(size, keys)
