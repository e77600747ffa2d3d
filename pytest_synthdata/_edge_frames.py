"""Edge frames: the tiny frames a pipeline must survive, as pytest parameters."""

from __future__ import annotations

from typing import Any

import pytest

from .errors import InvalidArgumentError, SynthDataError

KINDS = ("empty", "one-row", "all-null", "single-value")


def edge_frames(
    schema: Any, *, rows: int = 5, seed: int = 0, kinds: Any = KINDS
) -> list[Any]:
    """The small frames a transform must survive, as ``pytest.param`` values.

    Parameters
    ----------
    schema : pandera.pandas.DataFrameSchema or DataFrameModel subclass
        The schema every frame validates against.
    rows : int, default 5
        Rows of the ``all-null`` and ``single-value`` frames.
    seed : int, default 0
        The seed of every frame (the parameters are built when the test
        module is collected, before the session seed exists).
    kinds : sequence of str, optional
        Which frames, among ``"empty"`` (0 rows), ``"one-row"``,
        ``"all-null"`` (every nullable column null) and ``"single-value"``
        (every column with a finite set of values, isin, category or bool,
        holding one value in every row); all by default.

    Returns
    -------
    list of pytest.param
        One parameter per kind, its id the kind's name. A frame the schema
        forbids (a check that rejects 0 rows, no nullable column, a unique
        column that cannot repeat a value) is a parameter marked to skip,
        with the reason.

    Examples
    --------
    >>> import pandera.pandas as pa
    >>> import pytest
    >>> from pytest_synthdata import edge_frames
    >>> Orders = pa.DataFrameSchema({"status": pa.Column(str, pa.Check.isin(["a", "b"]))})
    >>> @pytest.mark.parametrize("df", edge_frames(Orders))
    ... def test_survives(df): ...
    """
    from ._api import _check_rows, _check_seed

    rows = _check_rows(rows)
    seed = _check_seed(seed)
    try:
        chosen = tuple(kinds) if not isinstance(kinds, str) else None
    except TypeError:
        chosen = None
    if chosen is None or not all(k in KINDS for k in chosen):
        raise InvalidArgumentError(
            f"edge_frames(kinds={kinds!r}): give a sequence drawn from {KINDS}."
        )
    makers = {
        "empty": lambda: _plain(schema, 0, seed),
        "one-row": lambda: _plain(schema, 1, seed),
        "all-null": lambda: _all_null(schema, rows, seed),
        "single-value": lambda: _single_value(schema, rows, seed),
    }
    params = []
    for kind in chosen:
        try:
            frame = _validated(schema, makers[kind]())
        except _Forbidden as why:
            params.append(pytest.param(None, id=kind, marks=pytest.mark.skip(str(why))))
        else:
            params.append(pytest.param(frame, id=kind))
    return params


def _validated(schema: Any, frame: Any) -> Any:
    """The frame, if pandera validates it; pandera's own errors skip it.

    Tiny frames reach corners of pandera too (an all-null Decimal column
    under a non-range index makes its dtype check raise).
    """
    from ._api import as_output
    from ._schema.reader import as_schema

    try:
        as_schema(schema).validate(frame, lazy=True)
        return as_output(schema, frame)
    except Exception as exc:  # a crash inside pandera is reported, not raised
        raise _Forbidden(
            f"pandera cannot validate this frame ({type(exc).__name__}: "
            f"{str(exc)[:200]})"
        ) from None


class _Forbidden(Exception):
    """The schema forbids this edge frame; the message says why."""


def _plain(schema: Any, rows: int, seed: int) -> Any:
    from ._api import generate_pandas as generate

    try:
        return generate(schema, rows, seed=seed)
    except SynthDataError as exc:
        raise _Forbidden(f"the schema forbids a {rows}-row frame: {exc}") from None


def _spec(schema: Any) -> Any:
    from ._schema.reader import compile_schema

    return compile_schema(schema)[1]


def _all_null(schema: Any, rows: int, seed: int) -> Any:
    from ._api import generate_pandas as generate

    spec = _spec(schema)
    nullable = [f for f in spec.columns if f.nullable]
    if not nullable:
        raise _Forbidden("the schema has no nullable column")
    shape = {f.name: {"null_rate": 1.0} for f in nullable}
    try:
        frame = generate(schema, rows, seed=seed, shape=shape)
    except SynthDataError as exc:
        raise _Forbidden(f"the schema forbids all-null columns: {exc}") from None
    kept = [f.label for f in nullable if frame[f.name].notna().any()]
    if kept:
        raise _Forbidden(
            f"the schema's rules keep values in {', '.join(kept)} (joint "
            "uniqueness or a custom check rejects their nulls)"
        )
    return frame


def _single_value(schema: Any, rows: int, seed: int) -> Any:
    from ._api import generate_pandas as generate

    spec = _spec(schema)
    finite = [
        f
        for f in spec.columns
        if f.domain.choices is not None
        and len(f.domain.choices)
        and (f.shape is None or (f.shape.expr is None and f.shape.given is None))
    ]
    if not finite:
        raise _Forbidden("the schema has no column with a finite set of values")
    single = [f for f in finite if not f.unique]
    if not single:
        raise _Forbidden(
            f"every finite column is unique ({', '.join(f.label for f in finite)})"
        )
    shape = {f.name: {"weights": {f.domain.choices.iloc[0]: 1}} for f in single}
    try:
        frame = generate(schema, rows, seed=seed, shape=shape)
    except SynthDataError as exc:
        raise _Forbidden(
            f"the schema forbids one value in {', '.join(f.label for f in single)}: "
            f"{exc}"
        ) from None
    return frame
