"""Shape documents: a whole frame's shape, in memory or in a YAML/JSON file.

A document holds the per-column shapes (as ``shape=`` takes them) and the
frame's rank correlations, with a format marker so that it is never taken
for a plain ``{column: shape}`` mapping::

    synthdata_shape: 1
    columns:
      amount: {dist: lognormal, mu: 3.2, sigma: 0.8}
      status: {weights: {ok: 0.9, late: 0.1}}
    correlations:
      - [amount, age, 0.35]

Anything that takes ``shape=`` takes a document, a :class:`Shape` or the
path of a document file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._files import write_text
from ..errors import InvalidShapeError

FORMAT_KEY = "synthdata_shape"
FORMAT = 1
SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Shape:
    """A frame's shape: per-column shapes, correlations and notes.

    ``fit`` returns one; ``Shape.load(path)`` reads one; pass it (or its
    file's path) as ``shape=`` to ``generate``, the marker, the factory or
    ``register``.
    """

    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    correlations: list[list[Any]] | None = None  # None: the schema's stand
    notes: dict[str, Any] = field(default_factory=dict)
    schema: Any = field(default=None, compare=False)  # fit's inferred schema

    def __repr__(self) -> str:
        pairs = "schema's" if self.correlations is None else len(self.correlations)
        return f"Shape({len(self.columns)} columns, correlations: {pairs})"

    def to_dict(self) -> dict[str, Any]:
        """The document, as plain JSON-compatible values."""
        out: dict[str, Any] = {FORMAT_KEY: FORMAT, "columns": self.columns}
        if self.correlations is not None:
            out["correlations"] = self.correlations
        if self.notes:
            out["notes"] = self.notes
        return _plain(out)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the document to ``path`` (YAML or JSON, by its suffix).

        Written to a temporary file beside it and moved into place, so a
        failure leaves the old file (or none), never half of one.
        """
        target = Path(path)
        try:
            text = _dump(self.to_dict(), target)
        except (TypeError, ValueError, ImportError) as exc:
            raise InvalidShapeError(
                f"{target}: cannot write this shape ({exc})."
            ) from None
        except Exception as exc:  # yaml's representer errors
            if type(exc).__module__.startswith("yaml"):
                raise InvalidShapeError(
                    f"{target}: cannot write this shape ({exc})."
                ) from None
            raise
        write_text(target, text)
        return target

    @classmethod
    def load(cls, path: str | os.PathLike) -> Shape:
        """Read a document written by :meth:`save` (or by hand)."""
        return read_document(_load(Path(path)), str(path))


def _dump(doc: dict[str, Any], target: Path) -> str:
    suffix = target.suffix.lower()
    if suffix == ".json":
        return json.dumps(doc, indent=2, default=str) + "\n"
    if suffix in (".yaml", ".yml"):
        import yaml

        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    raise InvalidShapeError(
        f"{target}: a shape file ends in {', '.join(SUFFIXES)}; got {suffix!r}."
    )


def _load(path: Path) -> Any:
    if path.suffix.lower() not in SUFFIXES:
        raise InvalidShapeError(f"{path}: a shape file ends in {', '.join(SUFFIXES)}.")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidShapeError(
            f"{path}: cannot read the shape file ({exc})."
        ) from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        import yaml

        return yaml.safe_load(text)
    except Exception as exc:  # json and yaml raise their own kinds
        raise InvalidShapeError(f"{path}: not a valid shape file ({exc}).") from None


def read_document(raw: Any, where: str) -> Shape:
    """A :class:`Shape` from a document's plain values, checked for form."""
    if not isinstance(raw, dict) or raw.get(FORMAT_KEY) != FORMAT:
        raise InvalidShapeError(
            f"{where}: a shape document starts with '{FORMAT_KEY}: {FORMAT}'."
        )
    unknown = set(raw) - {FORMAT_KEY, "columns", "correlations", "notes"}
    if unknown:
        raise InvalidShapeError(
            f"{where}: unknown keys {sorted(unknown)}; a shape document has "
            "columns, correlations and notes."
        )
    columns = raw.get("columns") or {}
    if not isinstance(columns, dict) or not all(
        isinstance(v, dict) for v in columns.values()
    ):
        raise InvalidShapeError(
            f"{where}: 'columns' must map column names to shape dicts."
        )
    pairs = raw.get("correlations")
    if pairs is not None and (
        not isinstance(pairs, list)
        or not all(isinstance(p, (list, tuple)) and len(p) == 3 for p in pairs)
    ):
        raise InvalidShapeError(
            f"{where}: 'correlations' must be a list of [column, column, rho]."
        )
    notes = raw.get("notes") or {}
    if not isinstance(notes, dict):
        raise InvalidShapeError(f"{where}: 'notes' must be a mapping.")
    listed = None if pairs is None else [list(p) for p in pairs]
    return Shape(dict(columns), listed, dict(notes))


def as_overrides(shape: Any) -> tuple[dict[Any, Any] | None, list[Any] | None]:
    """Per-call column shapes and correlations from any form ``shape=`` takes.

    A plain ``{column: shape}`` mapping gives no correlations (None: the
    schema's stand).
    """
    if shape is None:
        return None, None
    if isinstance(shape, (str, os.PathLike)):
        shape = Shape.load(shape)
    if isinstance(shape, dict) and FORMAT_KEY in shape:
        shape = read_document(shape, "shape=")
    if isinstance(shape, Shape):
        pairs = None if shape.correlations is None else list(shape.correlations)
        return dict(shape.columns), pairs
    return shape, None


def loaded(shape: Any) -> Any:
    """``shape=`` with a file's path read into its :class:`Shape` (once)."""
    if isinstance(shape, (str, os.PathLike)):
        return Shape.load(shape)
    return shape


def recordable(shape: Any) -> Any:
    """What a frame records of its (loaded) ``shape=``: plain values."""
    if isinstance(shape, Shape):
        return shape.to_dict()
    return shape


def _plain(value: Any) -> Any:
    """``value`` with numpy scalars as Python numbers, containers copied."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value
