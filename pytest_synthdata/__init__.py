"""pytest-synthdata: valid, statistically shaped test data from Pandera schemas.

The public API is small: :func:`generate`, :func:`generate_chunks`,
:func:`write_dataset`, :func:`generate_dask`, :func:`provenance`,
:func:`compile`, :func:`register`,
:func:`load_frame`, :func:`describe`, :func:`edge_frames`, :func:`fit`
(and the :class:`Shape` it returns), :func:`compare`, the shape helpers
in :mod:`pytest_synthdata.shapes`, the scenario helpers in
:mod:`pytest_synthdata.scenarios`, the Hypothesis strategies in
:mod:`pytest_synthdata.strategies` and the exception classes in
:mod:`pytest_synthdata.errors`. The pytest plugin (``synth_df``,
``synth_factory`` and the ``synthdata`` marker) is loaded
automatically through the ``pytest11`` entry point.
"""

from __future__ import annotations

from typing import Any

from ._version import __version__
from .errors import (
    ChecksUnmetError,
    ContradictoryChecksError,
    InfeasibleRequestError,
    InvalidArgumentError,
    InvalidShapeError,
    ShapeWarning,
    SlowPathWarning,
    SynthDataError,
    SynthDataWarning,
    UnsupportedSchemaError,
)


def __getattr__(name: str) -> Any:
    # Lazy: pytest loads the plugin (and so this package) in every run, and a
    # run that never asks for data must not pay for pandas and pandera.
    if name in ("generate", "compile"):
        from . import _api

        return getattr(_api, name)
    if name == "generate_chunks":
        from ._chunked import generate_chunks

        return generate_chunks
    if name == "generate_dask":
        from ._dask import generate_dask

        return generate_dask
    if name == "provenance":
        from ._provenance import provenance

        return provenance
    if name == "write_dataset":
        from ._dataset import write_dataset

        return write_dataset
    if name == "register":
        from .plugin import register

        return register
    if name == "describe":
        from ._fidelity import describe

        return describe
    if name == "compare":
        from ._compare import compare

        return compare
    if name == "fit":
        from ._fit import fit

        return fit
    if name == "Shape":
        from ._schema.document import Shape

        return Shape
    if name == "edge_frames":
        from ._edge_frames import edge_frames

        return edge_frames
    if name == "load_frame":
        from ._save import load_frame

        return load_frame
    raise AttributeError(f"module 'pytest_synthdata' has no attribute {name!r}")


__all__ = [
    "ChecksUnmetError",
    "ContradictoryChecksError",
    "InfeasibleRequestError",
    "InvalidArgumentError",
    "InvalidShapeError",
    "Shape",
    "ShapeWarning",
    "SlowPathWarning",
    "SynthDataError",
    "SynthDataWarning",
    "UnsupportedSchemaError",
    "__version__",
    "compare",
    "compile",
    "describe",
    "edge_frames",
    "fit",
    "generate",
    "generate_chunks",
    "generate_dask",
    "load_frame",
    "provenance",
    "register",
    "write_dataset",
]
