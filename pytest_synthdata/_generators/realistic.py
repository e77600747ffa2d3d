"""Realistic text for tagged columns (names, emails, addresses, ...), by mimesis.

A column opts in with a shape ``{"text": "email", "locale": "de"}``. Values
come from mimesis, reseeded for every batch from the column's own stream, so
the same seed gives the same values (for the same mimesis version). The
checks still decide: the assembly layer verifies each value and draws again
for those a check rejects, as for any proposal.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pyarrow as pa

from ..errors import UnsupportedSchemaError

# tag: (mimesis provider, method, keyword arguments)
TAGS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "name": ("person", "full_name", {}),
    "first_name": ("person", "first_name", {}),
    "last_name": ("person", "last_name", {}),
    "email": ("person", "email", {}),
    "username": ("person", "username", {}),
    "phone": ("person", "telephone", {}),
    "job": ("person", "occupation", {}),
    "address": ("address", "address", {}),
    "city": ("address", "city", {}),
    "country": ("address", "country", {}),
    "postal_code": ("address", "postal_code", {}),
    "company": ("finance", "company", {}),
    "url": ("internet", "url", {}),
    "sentence": ("text", "sentence", {}),
    "paragraph": ("text", "text", {"quantity": 3}),
}
DEFAULT_LOCALE = "en"
_LOCAL = threading.local()


def _mimesis() -> Any:
    try:
        import mimesis
    except ImportError:
        raise UnsupportedSchemaError(
            "realistic text (a shape's 'text' tag) is drawn by mimesis, which is "
            "not installed: pip install 'pytest-synthdata[text]'."
        ) from None
    return mimesis


def locales() -> list[str]:
    """The locales mimesis knows (``en``, ``de``, ``pt-br``, ...)."""
    from mimesis.locales import Locale

    _mimesis()
    return [loc.value for loc in Locale]


def _generic(locale: str) -> Any:
    """One mimesis ``Generic`` per locale and thread, reseeded per batch."""
    pool = getattr(_LOCAL, "pool", None)
    if pool is None:
        pool = _LOCAL.pool = {}
    made = pool.get(locale)
    if made is None:
        mimesis = _mimesis()
        from mimesis.locales import Locale

        made = pool[locale] = mimesis.Generic(locale=Locale(locale), seed=0)
    return made


def draw_realistic(
    rng: np.random.Generator, n: int, tag: str, locale: str | None
) -> pa.Array:
    """``n`` values of ``tag`` in ``locale``, seeded from ``rng``."""
    generic = _generic(locale or DEFAULT_LOCALE)
    generic.reseed(int(rng.integers(0, 2**63)))
    provider, method, kwargs = TAGS[tag]
    make = getattr(getattr(generic, provider), method)
    return pa.array([make(**kwargs) for _ in range(n)], type=pa.string())
