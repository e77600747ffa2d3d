"""The library face: ``generate(schema, rows, seed=...)``."""

from __future__ import annotations

import secrets
from typing import Any

import numpy as np
import pandas as pd

from ._engine.assemble import generate_frame
from ._engine.plan import check_request, plan_frame
from ._schema.reader import compile_schema, shaped
from ._version import __version__
from .errors import ChecksUnmetError, InvalidArgumentError, UnsupportedSchemaError

_PLANS: dict[int, tuple[Any, dict[Any, Any]]] = {}


def _plans(spec: Any) -> dict[Any, Any]:
    hit = _PLANS.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    plans = plan_frame(spec)
    if len(_PLANS) > 512:
        _PLANS.clear()
    _PLANS[id(spec)] = (spec, plans)
    return plans


def compile(schema: Any) -> Any:
    """Compile ``schema`` now (it is cached), raising any schema error early."""
    _, spec = compile_schema(schema)
    _plans(spec)
    return spec


def _count(value: Any, name: str, accepted: str = "a non-negative int") -> int:
    """A non-negative int (numpy integers too; bools and floats refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidArgumentError(
            f"{name} must be {accepted}, got {type(value).__name__} {value!r}."
        )
    if value < 0:
        raise InvalidArgumentError(f"{name} must be {accepted}, got {value!r}.")
    return int(value)


def _check_rows(rows: Any) -> int:
    return _count(rows, "rows")


def _check_seed(seed: Any) -> int:
    if seed is None:
        return secrets.randbits(64)
    return _count(seed, "seed", "None or a non-negative int")


def _check_parsers(schema: Any, frame: pd.DataFrame) -> None:
    """Parsers run before validation: refuse frames they would change."""
    import pandera.errors

    try:
        out = schema.validate(frame, lazy=True)
        pd.testing.assert_frame_equal(out, frame, check_exact=True)
    except (pandera.errors.SchemaErrors, pandera.errors.SchemaError, AssertionError):
        raise UnsupportedSchemaError(
            f"{getattr(schema, 'name', None) or 'schema'}: its parsers change the "
            "generated data before the checks run, which is currently "
            "unsupported (a frame that meets the checks is no longer valid once "
            "parsed); move the transformation out of the schema or drop the "
            "parser."
        ) from None


def generate(
    schema: Any,
    rows: int,
    *,
    seed: int | None = None,
    shape: Any = None,
    stress: bool = False,
) -> pd.DataFrame:
    """Generate a DataFrame of ``rows`` rows that validates against ``schema``.

    Parameters
    ----------
    schema : pandera.pandas.DataFrameSchema or DataFrameModel subclass
        The schema to meet. It is compiled once and cached.
    rows : int
        How many rows to generate (0 is allowed where the schema allows it).
    seed : int, optional
        The same seed gives the same frame (for the same version of
        pytest-synthdata). Without one, fresh entropy is drawn; the seed used
        is always in ``df.attrs["synthdata"]["seed"]``.
    shape : dict, optional
        Per-call shapes, ``{column: {"dist": "normal", "mean": 0, ...}}``,
        laid over the shapes declared in the columns' metadata (see the
        README's "Statistical shape").
    stress : bool, default False
        Inject each column's edge values (bounds, the nearest values inside
        exclusive bounds, zero, infinities, every allowed value, empty and
        non-ASCII text, extreme and DST datetimes, nulls, a repeated value)
        into rows of their own; the other rows keep their shape. What went
        where, and what was skipped and why, is in
        ``df.attrs["synthdata"]["stress"]``. A stressed frame is validated
        with pandera before it is returned.

    Returns
    -------
    pandas.DataFrame
        A frame equal, dtype for dtype, to what ``schema.validate`` returns
        for it.

    Raises
    ------
    UnsupportedSchemaError
        A dtype or schema feature that cannot be generated.
    ContradictoryChecksError
        Checks on one column that no value meets together.
    InfeasibleRequestError
        More rows than the unique values or combinations allow, or fewer rows
        than a check needs.
    ChecksUnmetError
        A custom or frame-level check that rejected too many candidates.
    InvalidShapeError
        A malformed shape, or one its column cannot meet.

    Examples
    --------
    >>> import pandera.pandas as pa
    >>> from pytest_synthdata import generate
    >>> schema = pa.DataFrameSchema({"age": pa.Column(int, pa.Check.in_range(0, 120))})
    >>> df = generate(schema, 5, seed=1)
    >>> len(df), bool(df["age"].between(0, 120).all())
    (5, True)
    """
    rows = _check_rows(rows)
    seed = _check_seed(seed)
    resolved, spec = compile_schema(schema)
    spec = shaped(spec, shape)
    plans = _plans(spec)
    check_request(spec, plans, rows)
    if not isinstance(stress, bool):
        raise InvalidArgumentError(f"stress must be True or False, got {stress!r}.")
    frame = generate_frame(spec, plans, seed, rows)
    if spec.has_parsers:
        _check_parsers(resolved, frame)
    coverage = None
    if stress:
        frame, coverage = _stressed(resolved, spec, plans, frame, seed)
    frame.attrs["synthdata"] = {
        "seed": seed,
        "rows": rows,
        "schema": spec.schema_name,
        "columns": [str(f.name) for f in spec.columns],
        "version": __version__,
    }
    if shape:
        frame.attrs["synthdata"]["shape"] = shape
    if coverage is not None:
        frame.attrs["synthdata"]["stress"] = coverage
    return frame


def _stressed(
    resolved: Any, spec: Any, plans: dict[Any, Any], frame: pd.DataFrame, seed: int
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The frame with its edges injected, validated by pandera."""
    import pandera.errors

    from ._engine.stress import stress_frame

    out, coverage = stress_frame(spec, plans, frame, seed)
    try:
        resolved.validate(out, lazy=True)
    except (pandera.errors.SchemaErrors, pandera.errors.SchemaError) as exc:
        # A rule the engine does not see: never hand out an invalid frame.
        cases = getattr(exc, "failure_cases", None)
        shown = cases.head(5).to_string() if cases is not None else str(exc)
        raise ChecksUnmetError(
            f"{spec.schema_name}: the stressed frame failed validation, so no "
            f"edges could be kept safely:\n{shown}\nThis is a bug in "
            "pytest-synthdata; generate without stress= meanwhile."
        ) from None
    return out, coverage
