"""What made a frame: the record pandas keeps in ``attrs``, kept for the rest.

polars and Dask frames have no ``attrs``; the record of such a frame is kept
here, under a weak reference, for as long as the frame lives.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from .errors import InvalidArgumentError

_RECORDS: dict[int, tuple[Any, dict[str, Any]]] = {}
_LOCK = threading.Lock()


def remember(frame: Any, record: dict[str, Any]) -> Any:
    """Keep ``record`` for ``frame`` (a frame without ``attrs``); returns it."""
    key = id(frame)
    with _LOCK:
        _RECORDS[key] = (weakref.ref(frame), record)
    weakref.finalize(frame, _forget, key)
    return frame


def _forget(key: int) -> None:
    with _LOCK:
        hit = _RECORDS.get(key)
        if hit is not None and hit[0]() is None:
            del _RECORDS[key]


def provenance(frame: Any) -> dict[str, Any]:
    """What pytest-synthdata recorded when it made ``frame``.

    Parameters
    ----------
    frame : pandas, polars or Dask DataFrame
        A frame returned by :func:`generate`, a fixture, a strategy,
        :func:`generate_chunks` or :func:`generate_dask`.

    Returns
    -------
    dict
        The seed, the rows, the schema's name and columns, the version, and
        whatever else was recorded (the shape, the stress coverage, the
        scenario, a chunk's place). For a pandas frame this is
        ``frame.attrs["synthdata"]``.

    Raises
    ------
    InvalidArgumentError
        For a frame pytest-synthdata did not make (or a copy of one that did
        not keep the record: polars operations make new frames).
    """
    attrs = getattr(frame, "attrs", None)
    if isinstance(attrs, dict) and "synthdata" in attrs:
        return attrs["synthdata"]
    with _LOCK:
        hit = _RECORDS.get(id(frame))
    if hit is not None and hit[0]() is frame:
        return hit[1]
    raise InvalidArgumentError(
        f"no pytest-synthdata record for this {type(frame).__name__}: it was not "
        "made by pytest-synthdata, or it is a new frame derived from one (polars "
        "and Dask operations return new frames); ask for the record of the frame "
        "as it was handed over."
    )
