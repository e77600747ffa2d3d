"""Values drawn from a Hypothesis strategy, seeded from a numpy stream.

Checks registered with ``register_check_method(strategy=...)`` carry a
Hypothesis strategy for their values. ``generate`` is not a Hypothesis test,
and may run inside one (where ``@given`` and ``.example()`` are refused), so
the values are drawn through Hypothesis' ``ConjectureData`` with a
``random.Random`` seeded from the field's numpy stream: the same seed and the
same Hypothesis version give the same values. This is the one place that
touches Hypothesis' internals.
"""

from __future__ import annotations

import functools
import inspect
import random
import time
from typing import Any

import numpy as np

DRAW_SECONDS = 10.0  # per call, whatever the strategy does


def draw_from_strategy(
    strategy: Any, rng: np.random.Generator, n: int, *, distinct: bool = False
) -> list[Any]:
    """Up to ``n`` values of ``strategy`` (distinct ones if asked).

    Fewer come back only when the strategy keeps rejecting its own draws (its
    filters) or, with ``distinct``, holds too few distinct values, within
    :data:`DRAW_SECONDS`; the caller decides what that means.
    """
    from hypothesis.errors import StopTest
    from hypothesis.internal.conjecture.data import ConjectureData

    context = _context_factory()
    source = random.Random(int(rng.integers(2**63)))
    values: list[Any] = []
    seen: set[Any] = set()
    start = time.monotonic()
    stalls = 0
    while len(values) < n and time.monotonic() - start < DRAW_SECONDS:
        data = ConjectureData(random=source)
        before = len(values)
        try:
            with context(data):
                while len(values) < n:
                    value = data.draw(strategy)
                    if distinct:
                        key = _key(value)
                        if key in seen:
                            continue
                        seen.add(key)
                    values.append(value)
        except StopTest:
            pass  # this buffer is spent (or a filter gave up): start another
        stalls = stalls + 1 if len(values) == before else 0
        if stalls >= 200:
            break
    return values


@functools.cache
def _context_factory() -> Any:
    """Hypothesis' BuildContext, whose constructor differs between versions."""
    from hypothesis.control import BuildContext

    if "wrapped_test" in inspect.signature(BuildContext).parameters:
        return lambda data: BuildContext(data, wrapped_test=draw_from_strategy)
    return BuildContext


def _key(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    if isinstance(value, float) and value != value:
        return "nan"
    return (type(value).__name__, value)
