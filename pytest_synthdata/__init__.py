"""pytest-synthdata: valid, statistically shaped test data from Pandera schemas.

The public API is small: :func:`generate` and the exception classes in
:mod:`pytest_synthdata.errors`. The pytest plugin (``synth_df`` and the
``synthdata`` marker) is loaded automatically through the ``pytest11`` entry
point.
"""

from ._api import compile, generate
from ._version import __version__
from .errors import (
    ChecksUnmetError,
    ContradictoryChecksError,
    InfeasibleRequestError,
    InvalidArgumentError,
    SlowPathWarning,
    SynthDataError,
    SynthDataWarning,
    UnsupportedSchemaError,
)

__all__ = [
    "ChecksUnmetError",
    "ContradictoryChecksError",
    "InfeasibleRequestError",
    "InvalidArgumentError",
    "SlowPathWarning",
    "SynthDataError",
    "SynthDataWarning",
    "UnsupportedSchemaError",
    "__version__",
    "compile",
    "generate",
]
