"""Saving the frames a failing test received, and loading them back.

A saved frame is a Parquet file (pyarrow) with a JSON sidecar that records the
schema's name, the seed, the rows, the dtypes and the versions. Both are
written to temporary names and moved into place, so a crash leaves nothing
half-written.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path
from typing import Any

from ._files import atomic_write
from .errors import SynthDataError, SynthDataWarning, caller_level


def _versions() -> dict[str, str]:
    import numpy
    import pandas
    import pandera
    import pyarrow

    from ._version import __version__

    return {
        "pytest-synthdata": __version__,
        "pandas": pandas.__version__,
        "pandera": pandera.__version__,
        "pyarrow": pyarrow.__version__,
        "numpy": numpy.__version__,
    }


def slug(text: str) -> str:
    """A file-name-safe version of a node id or schema name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120] or "frame"


def save_frame(frame: Any, directory: Path, stem: str, meta: dict[str, Any]) -> Path:
    """Write ``frame`` as ``stem.parquet`` plus ``stem.json``; returns the path."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{stem}.parquet"
    sidecar = directory / f"{stem}.json"
    info = dict(meta)
    info["dtypes"] = {str(k): str(v) for k, v in frame.dtypes.items()}
    info["index"] = {
        "names": [None if n is None else str(n) for n in frame.index.names],
        "dtypes": [
            str(frame.index.get_level_values(i).dtype)
            for i in range(frame.index.nlevels)
        ],
    }
    info["versions"] = _versions()
    atomic_write(target, lambda tmp: frame.to_parquet(tmp, engine="pyarrow"))
    atomic_write(
        sidecar,
        lambda tmp: Path(tmp).write_text(json.dumps(info, indent=2, default=str)),
    )
    return target


def load_frame(path: str | os.PathLike[str], schema: Any = None) -> Any:
    """Load a frame saved by ``--synthdata-save``, dtype for dtype.

    Parameters
    ----------
    path : path-like
        The ``.parquet`` file (its ``.json`` sidecar must sit beside it).
    schema : DataFrameSchema or DataFrameModel, optional
        The schema the frame was generated for. When a dtype cannot be
        restored from the file, the frame is generated again from the recorded
        seed instead, with a warning saying so.

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    parquet = Path(path)
    sidecar = parquet.with_suffix(".json")
    if not parquet.is_file() or not sidecar.is_file():
        raise SynthDataError(
            f"{parquet} or its sidecar {sidecar.name} is missing; give the path of "
            "a .parquet file written by --synthdata-save."
        )
    info = json.loads(sidecar.read_text())
    frame = pd.read_parquet(parquet, engine="pyarrow")
    lost = []
    for column, dtype in info.get("dtypes", {}).items():
        key = next((c for c in frame.columns if str(c) == column), None)
        if key is None:
            lost.append(column)
        elif str(frame[key].dtype) != dtype:
            try:
                frame[key] = frame[key].astype(dtype)
            except (TypeError, ValueError):
                lost.append(column)
            if str(frame[key].dtype) != dtype:
                lost.append(column)
    if lost:
        if schema is None:
            raise SynthDataError(
                f"{parquet}: Parquet could not hold the dtypes of {sorted(set(lost))}; "
                "pass schema= to regenerate the frame from its recorded seed."
            )
        if info.get("scenario"):
            raise SynthDataError(
                f"{parquet}: Parquet could not hold the dtypes of "
                f"{sorted(set(lost))}, and the frame was made with the scenario "
                f"{info['scenario']}, which a file cannot rebuild; regenerate it "
                f"with generate(schema, {info['rows']}, seed={info['seed']}, "
                "scenario=...)."
            )
        from ._api import generate

        warnings.warn(
            SynthDataWarning(
                f"{parquet}: regenerated from seed {info['seed']} because Parquet "
                f"could not hold the dtypes of {sorted(set(lost))}."
            ),
            stacklevel=caller_level(),
        )
        return generate(
            schema,
            int(info["rows"]),
            seed=int(info["seed"]),
            shape=info.get("shape"),
            stress=bool(info.get("stress")),
        )
    frame.attrs["synthdata"] = {
        k: info[k]
        for k in (
            "seed",
            "rows",
            "schema",
            "columns",
            "version",
            "shape",
            "scenario",
            "outliers",
            "stress",
        )
        if info.get(k) is not None
    }
    return frame
