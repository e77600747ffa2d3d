"""Exceptions and warnings raised by pytest-synthdata.

Every error names the column (or index level) and the check involved, shows the
offending values, and says what to change.
"""

from __future__ import annotations

__all__ = [
    "ChecksUnmetError",
    "ContradictoryChecksError",
    "InfeasibleRequestError",
    "InvalidArgumentError",
    "InvalidShapeError",
    "ShapeWarning",
    "SlowPathWarning",
    "SynthDataError",
    "SynthDataWarning",
    "UnsupportedSchemaError",
]


class SynthDataError(Exception):
    """Base class of every error raised by pytest-synthdata."""


class InvalidArgumentError(SynthDataError, ValueError):
    """A bad argument to a public function (rows, seed, ...)."""


class InvalidShapeError(InvalidArgumentError):
    """A statistical shape that is malformed or cannot be met by its column."""


class UnsupportedSchemaError(SynthDataError, TypeError):
    """A dtype, check or schema feature that cannot be generated (yet)."""


class ContradictoryChecksError(SynthDataError, ValueError):
    """The checks on one column (or index level) admit no value at all."""


class InfeasibleRequestError(SynthDataError, ValueError):
    """The schema is fine, but the request (rows, uniqueness) cannot be met."""


class ChecksUnmetError(SynthDataError, RuntimeError):
    """A custom or frame-level check rejected too many candidates."""


class SynthDataWarning(UserWarning):
    """Base class of the warnings emitted by pytest-synthdata."""


class SlowPathWarning(SynthDataWarning):
    """Generation falls back to generate-evaluate-regenerate for custom checks."""


class ShapeWarning(SynthDataWarning):
    """A declared shape was adjusted to one that can be met (the pairs named)."""


def caller_level() -> int:
    """The ``stacklevel`` that points a warning at the first caller outside
    pytest-synthdata, so that it names the user's line whichever face (and
    however many layers of it) was called."""
    import os
    import sys

    package = os.path.dirname(os.path.abspath(__file__))
    frame = sys._getframe(1)  # the function that warns
    level = 1
    while frame is not None:
        where = os.path.abspath(frame.f_code.co_filename)
        if not where.startswith(package + os.sep):
            return level
        frame = frame.f_back
        level += 1
    return level
