"""The library face: ``generate(schema, rows, seed=...)``."""

from __future__ import annotations

import secrets
from typing import Any

import numpy as np
import pandas as pd

from ._engine.assemble import generate_frame
from ._engine.plan import check_request, plan_frame
from ._engine.scenario import apply_scenario, place_outliers
from ._schema.document import loaded, recordable
from ._schema.reader import compile_schema, shaped
from ._schema.scenario import as_scenario
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
    scenario: Any = None,
) -> Any:
    """Generate a DataFrame of ``rows`` rows that validates against ``schema``.

    Parameters
    ----------
    schema : DataFrameSchema or DataFrameModel subclass, or a dict of them
        The schema to meet: pandera.pandas (a pandas frame is returned) or
        pandera.polars (a polars frame, validated by pandera's polars
        backend). It is compiled once and cached. A dict of table name to
        schema makes related tables and returns a dict of frames (see the
        README's "Related tables": keys declared with ``references``).
    rows : int
        How many rows to generate (0 is allowed where the schema allows it).
        For related tables, an int for every table that ``per_parent`` does
        not size, or a dict by table name.
    seed : int, optional
        The same seed gives the same frame (for the same version of
        pytest-synthdata). Without one, fresh entropy is drawn; the seed used
        is always in ``provenance(df)["seed"]`` (for pandas frames, also
        ``df.attrs["synthdata"]["seed"]``).
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
    scenario : Scenario, optional
        A departure from the declared shape, built with
        :mod:`pytest_synthdata.scenarios` (``shift``, ``reweight``,
        ``frequency``, ``null_rate``, ``outliers``, ``correlate``; combined
        with ``+``), applied after ``shape``. Recorded in
        ``df.attrs["synthdata"]["scenario"]``.

    Returns
    -------
    pandas.DataFrame or polars.DataFrame
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
    if isinstance(schema, dict):
        if stress or scenario is not None:
            raise UnsupportedSchemaError(
                "stress and scenarios on related tables are currently "
                "unsupported; generate the table alone for them."
            )
        from ._related import generate_tables

        return generate_tables(schema, rows, seed=seed, shape=shape)
    frame = generate_pandas(
        schema, rows, seed=seed, shape=shape, stress=stress, scenario=scenario
    )
    return as_output(schema, frame)


def as_output(schema: Any, frame: pd.DataFrame) -> Any:
    """``frame`` as the schema's library has it: polars for pandera.polars
    schemas (validated by pandera's polars backend), else unchanged."""
    _, spec = compile_schema(schema)
    if spec.polars is None:
        return frame
    from ._provenance import remember
    from ._schema.polars import to_polars
    from ._schema.reader import explain_failure, pandera_errors

    try:
        out = to_polars(frame, spec.polars)
    except pandera_errors() as exc:
        raise ChecksUnmetError(
            f"{spec.schema_name}: the frame, made as pandas and converted to "
            f"polars, failed the polars schema:\n{explain_failure(exc)}\nThis is "
            "a bug in pytest-synthdata; please report it with the schema."
        ) from None
    return remember(out, frame.attrs.get("synthdata", {}))


def generate_pandas(
    schema: Any,
    rows: int,
    *,
    seed: int | None = None,
    shape: Any = None,
    stress: bool = False,
    scenario: Any = None,
    series: bool = True,
) -> pd.DataFrame:
    """:func:`generate`, always as pandas (the engine's own form).

    ``series=False`` leaves a declared time series out (related tables lay it
    over the rows once their keys are filled).
    """
    rows = _check_rows(rows)
    seed = _check_seed(seed)
    shape = loaded(shape)  # a file is read once, for the spec and the record
    resolved, spec = compile_schema(schema)
    spec = shaped(spec, shape)
    chosen = as_scenario(scenario, "generate")
    outliers: tuple[Any, ...] = ()
    if chosen is not None:
        spec, outliers = apply_scenario(spec, chosen)
    plans = _plans(spec)
    check_request(spec, plans, rows)
    _check_stress(stress)
    frame = generate_frame(spec, plans, seed, rows)
    if series and "series" in spec.frame_shape:
        frame = lay_series(resolved, spec, frame, seed)
    if spec.has_parsers:
        _check_parsers(resolved, frame)
    placed = None
    if outliers:
        frame, placed = place_outliers(spec, frame, outliers, seed)
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
        frame.attrs["synthdata"]["shape"] = recordable(shape)
    if chosen is not None:
        frame.attrs["synthdata"]["scenario"] = repr(chosen)
    if placed is not None:
        frame.attrs["synthdata"]["outliers"] = placed
    if coverage is not None:
        frame.attrs["synthdata"]["stress"] = coverage
    return frame


def lay_series(
    resolved: Any, spec: Any, frame: pd.DataFrame, seed: int
) -> pd.DataFrame:
    """``frame`` with the schema's time series laid over it, checked."""
    from ._engine.series import apply_series
    from ._schema.reader import explain_failure, pandera_errors

    out = apply_series(spec, frame, spec.frame_shape["series"], seed)
    if spec.has_residual:
        try:
            resolved.validate(out, lazy=True)
        except pandera_errors() as exc:
            raise ChecksUnmetError(
                f"{spec.schema_name}: with its series laid over the rows, the "
                f"frame fails the schema's custom checks:\n{explain_failure(exc)}\n"
                "Checks over several rows and a series together are currently "
                "unsupported; relax one of them."
            ) from None
    return out


def _check_stress(stress: Any) -> None:
    if not isinstance(stress, bool):
        raise InvalidArgumentError(f"stress must be True or False, got {stress!r}.")


def _stressed(
    resolved: Any, spec: Any, plans: dict[Any, Any], frame: pd.DataFrame, seed: int
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The frame with its edges injected, validated by pandera.

    Edges pandera rejects for a reason the engine does not see (a dtype
    coercion, say) are skipped with pandera's words, and the frame is made
    again without them.
    """
    from ._engine.stress import stress_frame
    from ._schema.reader import explain_failure, pandera_errors

    refused: dict[tuple[str, str], str] = {}
    for _ in range(3):
        out, coverage = stress_frame(spec, plans, frame, seed, refused)
        try:
            resolved.validate(out, lazy=True)
        except pandera_errors() as exc:
            blamed = _blame(
                resolved, out, coverage, getattr(exc, "failure_cases", None)
            )
            if not blamed:
                raise ChecksUnmetError(
                    f"{spec.schema_name}: the stressed frame failed validation:\n"
                    f"{explain_failure(exc)}\nThis is a bug in pytest-synthdata; "
                    "generate without stress= meanwhile."
                ) from None
            refused.update(blamed)
            continue
        return out, coverage
    raise ChecksUnmetError(  # pragma: no cover - each round refuses some edges
        f"{spec.schema_name}: the stressed frame kept failing validation; this is "
        "a bug in pytest-synthdata; generate without stress= meanwhile."
    )


def _blame(
    resolved: Any, frame: pd.DataFrame, coverage: list[dict[str, Any]], cases: Any
) -> dict[tuple[str, str], str]:
    """The placed edges in the rows and columns pandera's failure cases name.

    A failure with no row (a column that fails to coerce as a whole) is
    traced by validating each of the column's placed values on its own.
    """
    if cases is None or not len(cases):
        return {}
    out: dict[tuple[str, str], str] = {}
    placed = [c for c in coverage if c["status"] != "skipped"]
    for case in cases.to_dict("records"):
        column = case.get("column")
        check = case.get("check")
        where = case.get("index")
        if column is None or pd.isna(column):
            continue
        mine = [c for c in placed if c["column"] == str(column)]
        if where is not None and not pd.isna(where):
            pos = frame.index.get_indexer([where])
            rows = {int(p) for p in pos if p >= 0}
            mine = [c for c in mine if c["row"] in rows]
        else:
            mine = [c for c in mine if _rejects_alone(resolved, frame, c)]
        for c in mine:
            out[(c["column"], c["edge"])] = f"pandera rejects it ({check})"
    return out


def _rejects_alone(resolved: Any, frame: pd.DataFrame, record: dict) -> bool:
    """Whether the column's checks reject the record's value in a frame alone."""
    import pandera.pandas as pa

    from ._schema.reader import pandera_errors

    key = next((c for c in frame.columns if str(c) == record["column"]), None)
    if key is None or key not in resolved.columns:
        return True
    one = pa.DataFrameSchema({key: resolved.columns[key]}, coerce=resolved.coerce)
    try:
        one.validate(frame[[key]].iloc[[record["row"]]].reset_index(drop=True))
    except pandera_errors():
        return True
    return False
