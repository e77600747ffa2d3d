"""Data sets larger than memory: blocks of rows, keys unique across all of them.

The rows of a chunked data set are drawn a *block* at a time, each block from
its own seed (the data set's seed and the block's number), so any block can
be made alone, in any order, on any machine. Blocks have a fixed size
(:data:`BLOCK_ROWS`, the rows split evenly) unless the schema has checks that
judge a frame as a whole or sort it: then each chunk is its own block, and the
data set depends on the chunk size (``Chunks.info`` says which).

Unique columns cannot be drawn block by block (two blocks would repeat each
other's values), and remembering every value handed out does not scale. They
are *keyed* instead: row ``r`` of the whole data set takes value number
``p(r)`` of the column's domain, for a permutation ``p`` fixed by the seed
(:mod:`.._generators.permute`). Values are distinct because ``p`` is a
bijection; joint uniqueness enumerates the product of the columns' domains
the same way. A sorted unique column takes value number ``r`` itself.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .._generators.permute import MAX_SIZE, Permutation, permutation
from .._generators.strings import length_window
from .._generators.text import LOWER, Part, flat_parts
from .._schema.dtypes import Kind
from .._schema.spec import FieldSpec, FrameSpec
from ..errors import InfeasibleRequestError, UnsupportedSchemaError
from .assemble import _rng, element_checks_pass, finish_field
from .plan import FieldPlan, unique_groups

BLOCK_ROWS = 1 << 16
FLOAT_GRID = 1 << 40  # distinct points a keyed float column spreads over
FLOAT_REACH = 1000.0  # how far a keyed float reaches from its one bound
_INTEGRAL = (Kind.INT, Kind.DATETIME, Kind.DATE, Kind.TIMEDELTA, Kind.DECIMAL)


def _unsupported(f: FieldSpec, why: str) -> UnsupportedSchemaError:
    return UnsupportedSchemaError(
        f"{f.label} is unique, and keeping it unique across chunks is currently "
        f"unsupported for {why}; generate the rows in one call with generate(), "
        "or drop unique=True from this column."
    )


# --------------------------------------------------------------------------
# one field: value number k of its domain
# --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Ints:
    lo: int
    size: int

    def values(self, k: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        if self.lo + self.size - 1 > np.iinfo(np.int64).max:  # uint64 columns
            return k.astype(np.uint64) + np.uint64(self.lo)
        return k + np.int64(self.lo)


@dataclasses.dataclass(frozen=True)
class _Codes:
    size: int

    def values(self, k: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return k


@dataclasses.dataclass(frozen=True)
class _Floats:
    lo: float
    step: float
    size: int
    dtype: np.dtype

    def values(self, k: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return (self.lo + (k + 0.5) * self.step).astype(self.dtype)


@dataclasses.dataclass(frozen=True)
class _Strings:
    """Fixed-length strings: each part a literal, a character or an option.

    ``digits`` are the parts that carry the value number (least significant
    last); ``filler`` parts are drawn at random and only add variety.
    """

    parts: tuple[Any, ...]  # (kind, payload): "lit" bytes, "chr" alphabet, "alt"
    digits: tuple[int, ...]
    size: int

    def values(self, k: np.ndarray, rng: np.random.Generator) -> pa.Array:
        n = len(k)
        columns: list[np.ndarray] = [np.zeros((n, 0), np.uint8)] * len(self.parts)
        rest = k.astype(np.int64)
        for j in reversed(self.digits):
            kind, payload = self.parts[j]
            base = len(payload)
            rest, digit = np.divmod(rest, base)
            columns[j] = _pick(kind, payload, digit)
        for j, (kind, payload) in enumerate(self.parts):
            if j in self.digits:
                continue
            if kind == "lit":
                row = np.frombuffer(payload, dtype=np.uint8)
                columns[j] = np.broadcast_to(row, (n, len(row)))
            else:
                columns[j] = _pick(kind, payload, rng.integers(0, len(payload), n))
        buf = np.ascontiguousarray(np.concatenate(columns, axis=1))
        width = buf.shape[1]
        offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
        if offsets[-1] >= 2**31 - 1:
            return pa.LargeStringArray.from_buffers(
                n, pa.py_buffer(offsets), pa.py_buffer(buf.reshape(-1))
            )
        return pa.StringArray.from_buffers(
            n, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(buf.reshape(-1))
        )


def _pick(kind: str, payload: Any, digit: np.ndarray) -> np.ndarray:
    if kind == "chr":
        return np.asarray(payload, dtype=np.uint8)[digit][:, None]
    width = len(payload[0])
    table = np.frombuffer(b"".join(payload), dtype=np.uint8).reshape(-1, width)
    return table[digit]


def _string_parts(f: FieldSpec, plan: FieldPlan) -> list[Part]:
    recipe = plan.recipe
    if recipe is None or recipe.contains or len(recipe.matches) > 1:
        raise _unsupported(f, "more than one string pattern or str_contains")
    if recipe.matches:
        if recipe.splice:
            raise _unsupported(f, "a pattern together with str_startswith/endswith")
        parts = flat_parts(recipe.matches[0], recipe.cap)
        if parts is None:
            raise _unsupported(f, f"the pattern {recipe.matches[0]!r}")
        return parts
    lo, hi = length_window(recipe)
    fixed = len(recipe.prefix.encode()) + len(recipe.suffix.encode())
    if len(recipe.prefix) + len(recipe.suffix) != fixed:
        raise _unsupported(f, "non-ASCII str_startswith/endswith")
    return [
        Part("lit", data=recipe.prefix.encode()),
        Part("run", alphabet=LOWER, lo=max(lo - fixed, 0), hi=max(hi - fixed, 0)),
        Part("lit", data=recipe.suffix.encode()),
    ]


def _strings(f: FieldSpec, plan: FieldPlan, need: int, cap: int) -> _Strings:
    """The shortest fixed-length strings of the parts holding ``need`` values."""
    parts = _string_parts(f, plan)
    lengths = [p.lo if p.kind == "run" else 0 for p in parts]

    def capacity() -> int:
        total = 1
        for p, ln in zip(parts, lengths, strict=True):
            if p.kind == "run":
                total *= len(p.alphabet) ** ln  # type: ignore[arg-type]
            elif p.kind == "alt" and len({len(o) for o in p.options}) == 1:
                total *= len(p.options)
        return total

    # Lengthen the runs, widest alphabet first, until the values fit.
    runs = sorted(
        (j for j, p in enumerate(parts) if p.kind == "run"),
        key=lambda j: -len(parts[j].alphabet),  # type: ignore[arg-type]
    )
    recipe = plan.recipe
    fixed = sum(len(p.data) for p in parts if p.kind == "lit")
    fixed += sum(len(p.options[0]) for p in parts if p.kind == "alt")
    longest = recipe.max_len if recipe.max_len is not None else math.inf
    for j in runs:
        while (
            capacity() < need
            and lengths[j] < parts[j].hi
            and fixed + sum(lengths) < longest
        ):
            lengths[j] += 1
    for j in runs:  # and until they are as long as str_length asks
        while fixed + sum(lengths) < recipe.min_len and lengths[j] < parts[j].hi:
            lengths[j] += 1
    size = capacity()
    if size < need:
        raise InfeasibleRequestError(
            f"{f.label} is unique, and across chunks it takes strings of one "
            f"length ({fixed + sum(lengths)} characters), which hold {size} "
            f"distinct values, fewer than the {need} rows asked for; widen its "
            "pattern or length, or ask for fewer rows."
        )
    flat: list[tuple[str, Any]] = []
    for p, ln in zip(parts, lengths, strict=True):
        if p.kind == "lit":
            if p.data:
                flat.append(("lit", p.data))
        elif p.kind == "run":
            chars = tuple(int(c) for c in p.alphabet)  # type: ignore[union-attr]
            flat.extend(("chr", chars) for _ in range(ln))
        elif len({len(o) for o in p.options}) == 1:
            flat.append(("alt", p.options))
        else:  # options of different lengths could join into one string twice
            flat.append(("lit", p.options[0]))
    # The value number takes the positions from the first on, as far as the
    # permutation reaches; the rest are drawn at random.
    digits: list[int] = []
    reach = 1
    for j, (kind, payload) in enumerate(flat):
        if kind == "lit":
            continue
        if reach * len(payload) > cap:
            break
        digits.append(j)
        reach *= len(payload)
    return _Strings(tuple(flat), tuple(digits), reach)


def _floats(f: FieldSpec, plan: FieldPlan, need: int, cap: int) -> _Floats:
    dom = f.domain
    dtype = f.info.float_dtype or np.dtype("float64")
    w_lo, w_hi = (float(v) for v in plan.fwindow)  # type: ignore[union-attr]
    if dom.lo is not None and dom.hi is None:
        w_hi = min(w_hi, w_lo + FLOAT_REACH)
    elif dom.hi is not None and dom.lo is None:
        w_lo = max(w_lo, w_hi - FLOAT_REACH)
    elif dom.lo is None and dom.hi is None:
        w_lo, w_hi = max(w_lo, -FLOAT_REACH), min(w_hi, FLOAT_REACH)
    span = w_hi - w_lo
    ulp = float(np.spacing(dtype.type(max(abs(w_lo), abs(w_hi)))))
    size = min(FLOAT_GRID, cap)
    while size > 1 and span / size < 8 * ulp:
        size //= 2
    if not np.isfinite(span) or size < need:
        raise InfeasibleRequestError(
            f"{f.label} is unique but its range [{w_lo!r}, {w_hi!r}] holds too few "
            f"well-separated {dtype} values for {need} rows; widen it or ask for "
            "fewer rows."
        )
    return _Floats(w_lo, span / size, size, dtype)


def _enumeration(
    f: FieldSpec, plan: FieldPlan, rows: int, need: int, cap: int, alone: bool
) -> Any:
    """How value number k of ``f``'s domain is made, for ``need`` values."""
    if f.proposal is not None:
        raise _unsupported(f, "values drawn from a registered strategy")
    if f.dist is not None:
        raise _unsupported(f, f"a declared distribution (dist={f.dist!r})")
    if f.shape is not None and f.shape.text is not None:
        raise _unsupported(f, f"realistic text (text={f.shape.text!r})")
    if f.domain.choices is not None:
        return _Codes(len(f.domain.choices))
    kind = f.info.kind
    if kind in _INTEGRAL:
        if f.domain.forbidden:
            raise _unsupported(f, "values excluded with notin or ne")
        lo, hi = plan.window(rows, alone)
        return _Ints(int(lo), min(int(hi) - int(lo) + 1, cap))
    if kind is Kind.FLOAT:
        return _floats(f, plan, need, cap)
    if kind is Kind.STRING:
        return _strings(f, plan, need, cap)
    raise _unsupported(f, f"{kind.value} columns")  # pragma: no cover - all kinds


# --------------------------------------------------------------------------
# keys: one permutation per unique field or group
# --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Keyed:
    """Fields whose values (or combinations) are numbered by a permutation."""

    fields: tuple[FieldSpec, ...]
    enums: tuple[Any, ...]
    perm: Permutation | None  # None: in row order (a sorted unique column)
    descending: bool = False
    stride: int = 1  # in row order: the step between neighbouring rows' values

    def logical(self, start: int, n: int, seed: int, block: int) -> list[Any]:
        """The fields' logical values for rows ``start .. start + n - 1``."""
        r = np.arange(start, start + n, dtype=np.int64)
        if self.perm is None:
            total = math.prod(e.size for e in self.enums)
            flat = r * self.stride
            if self.descending:
                flat = total - 1 - flat
        else:
            flat = self.perm(r)
        out = []
        for f, e in zip(reversed(self.fields), reversed(self.enums), strict=True):
            flat, digit = np.divmod(flat, e.size)
            out.append(e.values(digit, _rng(seed, f.stream, block, 0x6E, 5)))
        return list(reversed(out))


def plan_keys(
    spec: FrameSpec, plans: dict[Any, FieldPlan], rows: int, seed: int
) -> list[Keyed]:
    """The keyed fields and groups of ``spec`` for a data set of ``rows`` rows."""
    sorted_up = {}
    if spec.links is not None:
        sorted_up = {f.stream: up for f, up in spec.links.sort_by}
    out: list[Keyed] = []
    for f in spec.fields:
        if not f.unique:
            continue
        enum = _enumeration(f, plans[f.stream], rows, rows, MAX_SIZE, True)
        _check_room([f], [enum], rows)
        if f.stream in sorted_up:
            stride = max(1, enum.size // max(rows, 1))
            out.append(Keyed((f,), (enum,), None, not sorted_up[f.stream], stride))
            continue
        rng = _rng(seed, f.stream, 0xFE15, 3)
        out.append(Keyed((f,), (enum,), permutation(enum.size, rng)))
    for group in unique_groups(spec):
        if any(f.unique for f in group):
            continue  # one member unique alone makes the combination unique
        share = max(2, MAX_SIZE.bit_length() // len(group))
        enums = [
            _enumeration(f, plans[f.stream], rows, 1, 1 << share, False) for f in group
        ]
        _check_room(group, enums, rows)
        total = math.prod(e.size for e in enums)
        rng = _rng(seed, group[0].stream, 0xFE16, 3)
        out.append(Keyed(tuple(group), tuple(enums), permutation(total, rng)))
    return out


def in_row_order(keys: list[Keyed], rows: int) -> list[Keyed]:
    """``keys`` with each one-field key numbered in row order, ascending and
    spread over the field's range (for checks that want it sorted)."""
    out = []
    for key in keys:
        if key.perm is None or len(key.fields) > 1:
            out.append(key)
            continue
        stride = max(1, key.enums[0].size // max(rows, 1))
        out.append(dataclasses.replace(key, perm=None, stride=stride))
    return out


def _check_room(fields: list[FieldSpec], enums: list[Any], rows: int) -> None:
    total = math.prod(e.size for e in enums)
    if total < rows:
        what = " and ".join(f.label for f in fields)
        raise InfeasibleRequestError(
            f"{what} must be unique but hold{'s' if len(fields) == 1 else ''} "
            f"{total} distinct values, fewer than the {rows} rows asked for; "
            "widen the checks or ask for fewer rows."
        )


def key_values(
    keys: list[Keyed], start: int, n: int, seed: int, block: int
) -> dict[int, Any]:
    """The keyed fields' logical values for rows ``start .. start + n - 1``,
    by field stream."""
    out: dict[int, Any] = {}
    for key in keys:
        for f, values in zip(
            key.fields, key.logical(start, n, seed, block), strict=True
        ):
            out[f.stream] = values
    return out


def apply_keys(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    keys: list[Keyed],
    frame: pd.DataFrame,
    values: dict[int, Any],
) -> pd.DataFrame:
    """``frame`` with its keyed fields set to ``values`` (from
    :func:`key_values`), and verified."""
    frame = frame.copy(deep=False)
    n = len(frame)
    index_arrays: dict[int, Any] = {}
    for key in keys:
        for f in key.fields:
            arr = finish_field(plans[f.stream], values[f.stream], None)
            ser = pd.Series(arr, index=frame.index, copy=False)
            ok = element_checks_pass(f, ser, np.ones(n, dtype=bool))
            if not ok.all():
                bad = ser[~ok].head(3).tolist()
                raise UnsupportedSchemaError(
                    f"{f.label} is unique, and its values numbered across chunks "
                    f"fail its checks ({bad!r}); keeping it unique across chunks "
                    "is currently unsupported for this combination of checks: "
                    "generate the rows in one call with generate(), or simplify "
                    "them."
                )
            if any(c is f for c in spec.columns):
                frame[f.name] = ser
            else:
                index_arrays[next(i for i, g in enumerate(spec.index) if g is f)] = arr
    if index_arrays:
        frame.index = _index_with(spec, frame.index, index_arrays)
    return frame


def _index_with(spec: FrameSpec, index: pd.Index, arrays: dict[int, Any]) -> pd.Index:
    if not spec.multiindex:
        return pd.Index(arrays[0], name=index.name)
    levels = [
        arrays[i] if i in arrays else index.get_level_values(i)
        for i in range(index.nlevels)
    ]
    return pd.MultiIndex.from_arrays(levels, names=index.names)


# --------------------------------------------------------------------------
# blocks
# --------------------------------------------------------------------------


def independent(spec: FrameSpec) -> bool:
    """Whether blocks may cut across chunks: no check judges a whole frame."""
    return not spec.has_residual and spec.min_rows <= BLOCK_ROWS // 2


@dataclasses.dataclass(frozen=True)
class Blocks:
    """Where the blocks of a data set start, worked out, never listed.

    Independent of ``chunk_rows`` when :func:`independent`: ``ceil(rows /
    BLOCK_ROWS)`` blocks, as even as can be (the first ``extra`` one row
    longer); otherwise the chunks themselves.
    """

    rows: int
    count: int
    base: int
    extra: int

    @classmethod
    def of(cls, rows: int, chunk_rows: int, spec: FrameSpec) -> Blocks:
        if independent(spec):
            count = max(1, -(-rows // BLOCK_ROWS))
            base, extra = divmod(rows, count)
            return cls(rows, count, base, extra)
        count = max(1, -(-rows // chunk_rows))
        return cls(rows, count, chunk_rows, 0)

    def start(self, block: int) -> int:
        return min(block * self.base + min(block, self.extra), self.rows)

    def size(self, block: int) -> int:
        return self.start(block + 1) - self.start(block) if self.rows else 0

    def holding(self, row: int) -> int:
        """The block that holds row ``row``."""
        long_rows = self.extra * (self.base + 1)
        if row < long_rows:
            return row // (self.base + 1)
        return self.extra + (row - long_rows) // max(self.base, 1)


def block_seed(seed: int, block: int) -> int:
    """The seed of block number ``block`` of a data set made with ``seed``."""
    state = np.random.SeedSequence(seed, spawn_key=(0xB10C, block)).generate_state(
        2, np.uint32
    )
    return int(state[0]) | (int(state[1]) << 32)
