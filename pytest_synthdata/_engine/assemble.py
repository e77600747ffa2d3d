"""Assembly: draw every field, build the exact frame, meet residual checks.

One call of :func:`draw_frame` builds a frame of ``n`` rows whose built-in
checks hold by construction (or by verified proposals for strings).
:func:`generate_frame` then evaluates the custom and frame-level checks,
keeps the rows that pass and draws again for the rest, within a budget.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import threading
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .._generators.copula import rank_orders
from .._generators.distributions import (
    DISCRETE,
    draw_continuous,
    draw_discrete,
    draw_weighted_codes,
)
from .._generators.hypothesis_values import draw_from_strategy
from .._generators.nested import draw_nested
from .._generators.numbers import (
    draw_codes,
    draw_floats,
    draw_ints,
)
from .._generators.realistic import draw_realistic
from .._generators.strings import StringRecipe, propose
from .._generators.values import build_array
from .._schema.dtypes import Kind, Storage
from .._schema.reader import describe, has_strategy, run_check
from .._schema.spec import FieldSpec, FrameSpec
from ..errors import (
    ChecksUnmetError,
    InfeasibleRequestError,
    SlowPathWarning,
    UnsupportedSchemaError,
    caller_level,
)
from .links import (
    compute_exprs,
    expr_sources,
    link_values,
    order_rows,
    refill_given,
    row_checks,
)
from .plan import FieldPlan, row_capacity, unique_groups

# Budgets of the generate-evaluate-regenerate loops.
VERIFY_ROUNDS = 40
RESIDUAL_ROUNDS = 60
WHOLE_FRAME_TRIES = 4
ZERO_ACCEPTANCE_ROWS = 500  # rows with no pass at all before giving up
MAX_SECONDS = 20.0
PILOT = 256


@functools.lru_cache(maxsize=1024)
def _root(seed: int) -> bytes:
    """256 bits of well-mixed entropy for a seed, from ``SeedSequence``."""
    return np.random.SeedSequence(seed).generate_state(8, np.uint32).tobytes()


_LOCAL = threading.local()


def _rng(seed: int, *key: int) -> np.random.Generator:
    """The stream of one field (``key``: its stable hash, round and purpose).

    The seed's ``SeedSequence`` entropy and the key are hashed (BLAKE2b) into
    a PCG64 state, so a field's stream depends only on the seed and its own
    key: adding a column changes no other. Building a bit generator costs
    about 20 µs, hashing 2 µs, so each thread reuses one per purpose; a stream
    is always used up before the next one of the same purpose is asked for.
    """
    digest = hashlib.blake2b(_root(seed) + repr(key).encode(), digest_size=32).digest()
    state = {
        "bit_generator": "PCG64",
        "state": {
            "state": int.from_bytes(digest[:16], "little"),
            "inc": int.from_bytes(digest[16:], "little") | 1,
        },
        "has_uint32": 0,
        "uinteger": 0,
    }
    pool = getattr(_LOCAL, "pool", None)
    if pool is None:
        pool = _LOCAL.pool = {}
    purpose = key[-1] if key else 0
    rng = pool.get(purpose)
    if rng is None:
        rng = pool[purpose] = np.random.Generator(np.random.PCG64(0))
    rng.bit_generator.state = state
    return rng


# --------------------------------------------------------------------------
# one field
# --------------------------------------------------------------------------


def _null_mask(f: FieldSpec, seed: int, salt: int, n: int) -> np.ndarray | None:
    """Valid-mask with an exact count of nulls (stochastic rounding)."""
    if not f.nullable or f.null_rate <= 0 or n == 0:
        return None
    rng = _rng(seed, f.stream, salt, 1)
    expected = f.null_rate * n
    k = math.floor(expected + rng.random())
    if f.unique:
        k = min(k, 1)  # pandera counts two nulls as duplicates
    if k == 0:
        return None
    return exact_mask(rng, n, k)


def exact_mask(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """A valid-mask with exactly ``k`` False entries at uniformly random places.

    A Bernoulli draw gets close in one vectorised pass; a few random flips then
    fix the count (cheaper than sampling ``k`` positions without replacement).
    """
    valid = rng.random(n) >= k / n
    missing = k - int(n - np.count_nonzero(valid))
    if missing:  # a few flips (about sqrt(n)): chosen without a full shuffle
        where = np.flatnonzero(valid if missing > 0 else ~valid)
        flip = rng.choice(len(where), size=abs(missing), replace=False)
        valid[where[flip]] = missing < 0
    return valid


def _verify(f: FieldSpec, values: Any) -> np.ndarray:
    """Which candidate values pass every element-level check of ``f``."""
    ser = _as_series(build_array(f.info, values))
    return element_checks_pass(f, ser, np.ones(len(ser), dtype=bool))


def _as_series(arr: Any) -> pd.Series:
    """A Series over ``arr`` (object arrays stay object, not ``str``)."""
    obj = pd.api.types.is_object_dtype(getattr(arr, "dtype", None))
    return pd.Series(arr, dtype=object if obj else None, copy=False)


def element_checks_pass(f: FieldSpec, ser: pd.Series, ok: np.ndarray) -> np.ndarray:
    """``ok`` (modified in place) and-ed with every element-level check of ``f``."""
    for check in f.element_checks:
        verdict = run_check(check, ser)
        if isinstance(verdict, bool):
            if not verdict:
                return np.zeros(len(ser), dtype=bool)
        else:
            ok &= verdict
    return ok


def _take(values: Any, idx: np.ndarray) -> Any:
    if isinstance(values, pa.Array):
        return values.take(pa.array(idx))
    return values[idx]


def _cat(parts: list[Any]) -> Any:
    if isinstance(parts[0], pa.Array):
        return pa.concat_arrays(parts)
    return np.concatenate(parts)


def _dedupe_mask(values: Any) -> np.ndarray:
    """True for the first occurrence of each value."""
    if isinstance(values, pa.Array):
        ser = pd.Series(values.to_pandas(types_mapper=pd.ArrowDtype))
    else:
        ser = pd.Series(values)
    return ~ser.duplicated().to_numpy()


def _string_recipes(plan: FieldPlan) -> list[StringRecipe]:
    """Proposal variants for a string field, best guess first."""
    base = plan.recipe
    assert base is not None
    variants = [base]
    if base.max_len is not None and base.max_len > base.cap:
        variants.append(_replace(base, cap=base.max_len))
    variants.append(_replace(base, cap=2))
    if base.matches and (base.prefix or base.suffix):
        variants.append(_replace(base, splice=True))
        if base.max_len is not None:
            variants.append(_replace(base, splice=True, cap=base.max_len))
    for k in range(1, len(base.matches)):
        variants.append(_replace(base, base=k))
    return variants


def _realistic(f: FieldSpec) -> tuple[str, str | None] | None:
    """The realistic-text tag and locale of a field, if it has one."""
    shape = f.shape
    if shape is None or shape.text is None:
        return None
    return shape.text, shape.locale


def _replace(recipe: StringRecipe, **kw: Any) -> StringRecipe:
    return dataclasses.replace(recipe, **kw)


def _draw_logical(
    plan: FieldPlan,
    rng: np.random.Generator,
    n: int,
    recipe: StringRecipe | None,
    total: int | None = None,
) -> Any:
    """``n`` proposals of logical values for a non-finite field."""
    f = plan.field
    kind = f.info.kind
    if kind is Kind.STRING:
        tag = _realistic(f)
        if tag is not None:
            return draw_realistic(rng, n, *tag)
        return propose(rng, n, recipe or plan.recipe)  # type: ignore[arg-type]
    if f.dist is not None:
        return _draw_shaped(plan, rng, n, total)
    if kind is Kind.FLOAT:
        dom = f.domain
        return draw_floats(
            rng,
            n,
            None if dom.lo is None else dom.lo.value,
            None if dom.hi is None else dom.hi.value,
            plan.fwindow,  # type: ignore[arg-type]
            f.info.float_dtype or np.dtype("float64"),
        )
    # Windows follow the whole request, so that extra batches drawn to replace
    # rejected rows share the window of the first one.
    lo, hi = plan.window(max(n, total or 0), f.unique)
    return draw_ints(rng, n, lo, hi, unique=f.unique)


def _draw_shaped(
    plan: FieldPlan, rng: np.random.Generator, n: int, total: int | None
) -> np.ndarray:
    """``n`` values of the field's declared distribution, inside its window."""
    f = plan.field
    shape = f.shape
    params = shape.param_dict
    lo, hi = plan.dist_window(max(n, total or 0))
    if f.info.kind is Kind.FLOAT:
        fdt = f.info.float_dtype or np.dtype("float64")
        x = draw_continuous(rng, n, shape.dist, params, lo, hi)
        if fdt.itemsize == 8:
            return x
        # Rounding to a narrow dtype may step past the window: pull back in.
        return np.clip(x.astype(fdt), fdt.type(lo), fdt.type(hi))
    if shape.dist in DISCRETE:
        x = draw_discrete(rng, n, shape.dist, params, int(lo), int(hi))
    else:
        x = np.rint(draw_continuous(rng, n, shape.dist, params, lo - 0.5, hi + 0.5))
    return _exact_ints(x, int(lo), int(hi))


def _exact_ints(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Whole numbers (float or int) as int64 or uint64 inside ``[lo, hi]``.

    Floats are first clipped to the floats inside the window (``2**63 - 1``
    is no float), then the integers are clipped exactly.
    """
    dtype = np.uint64 if hi > np.iinfo(np.int64).max else np.int64
    if x.dtype.kind == "f":
        lo_f, hi_f = float(lo), float(hi)
        lo_f = lo_f if lo_f >= lo else float(np.nextafter(lo_f, np.inf))
        hi_f = hi_f if hi_f <= hi else float(np.nextafter(hi_f, -np.inf))
        x = np.clip(np.nan_to_num(x, nan=lo_f), lo_f, hi_f)
    ints = x.astype(dtype, copy=False)
    return np.clip(ints, dtype(lo), dtype(hi), out=ints if ints is not x else None)


def draw_values(
    plan: FieldPlan, seed: int, n: int, salt: int, total: int | None = None
) -> Any:
    """``n`` valid logical values (or codes, for finite domains) of one field.

    Finite domains return an int64 code array into ``domain.choices``.
    """
    f = plan.field
    rng = _rng(seed, f.stream, salt, 0)
    dom = f.domain
    if dom.choices is not None:
        required = None
        if dom.required:
            keys = [repr(v) for v in dom.choices.tolist()]
            required = np.array(
                [keys.index(repr(v)) for v in dom.required if repr(v) in keys],
                dtype=np.int64,
            )
        if f.code_weights is not None:
            codes = draw_weighted_codes(rng, n, f.code_weights, f.unique)
            if required is not None and len(required) and not f.unique:
                # unique_values_eq: each required value once, the rest weighted
                codes[rng.permutation(n)[: len(required)]] = required
            return codes
        return draw_codes(rng, n, len(dom.choices), f.unique, required)
    if f.proposal is not None:
        return _strategy_values(plan, rng, n)
    if f.info.kind is Kind.ARROW:
        return draw_nested(rng, n, f.info.arrow_type)
    kind = f.info.kind
    needs_check = not f.exact or bool(dom.forbidden) or _realistic(f) is not None
    if kind is Kind.STRING or needs_check:
        return _verified(plan, rng, n, needs_check, total)
    if (kind is Kind.FLOAT or f.dist is not None) and f.unique:
        return _unique_floats(plan, rng, n)
    return _draw_logical(plan, rng, n, None, total)


STRATEGY_POOL = 1024  # values drawn through Hypothesis per call, beyond: reused


def _strategy_values(plan: FieldPlan, rng: np.random.Generator, n: int) -> Any:
    """``n`` values of the field's registered strategy, in its exact dtype.

    A pool of up to :data:`STRATEGY_POOL` values (every row, for unique
    fields) is drawn through Hypothesis, converted to the column's dtype and
    verified against the built-in checks; rows beyond the pool reuse its
    values at random.
    """
    f = plan.field
    want = n if f.unique else min(n, STRATEGY_POOL)
    pool = _pool_array(f, [])
    tried = 0
    for _ in range(VERIFY_ROUNDS):
        if len(pool) >= want:
            break
        drawn = draw_from_strategy(f.proposal, rng, want - len(pool), distinct=f.unique)
        tried += len(drawn)
        if not drawn:
            break
        fresh = _pool_array(f, drawn)
        fresh = fresh[_verify_array(f, fresh)]
        pool = pd.concat([pd.Series(pool), pd.Series(fresh)], ignore_index=True).array
        if f.unique:
            pool = pool[~pd.Series(pool).duplicated().to_numpy()]
    if len(pool) < want:
        raise ChecksUnmetError(
            f"{f.label}: the Hypothesis strategy registered with "
            f"{', '.join(describe(c) for c in f.residual if has_strategy(c))} gave "
            f"only {len(pool)} {'distinct ' if f.unique else ''}values meeting the "
            f"column's checks ({', '.join(f.domain.sources) or 'its dtype'}) out of "
            f"{tried} drawn, fewer than the {want} needed; make the strategy draw "
            "values inside the column's checks."
        )
    if len(pool) == n:
        return pool
    if f.unique:
        return pool[:n]
    return pool.take(rng.integers(0, len(pool), n))


def _pool_array(f: FieldSpec, values: list[Any]) -> Any:
    """Drawn values as an array of the field's dtype, or a clear error."""
    raw = pd.Series(values, dtype=object)
    dtype = f.info.dtype
    try:
        out = raw.astype(dtype) if len(raw) else pd.Series([], dtype=dtype)
    except (TypeError, ValueError, OverflowError) as exc:
        raise UnsupportedSchemaError(
            f"{f.label}: the Hypothesis strategy registered with its checks drew "
            f"values that dtype {dtype} cannot hold ({exc}); make the strategy draw "
            "values of the column's dtype."
        ) from None
    return out.array


def _verify_array(f: FieldSpec, arr: Any) -> np.ndarray:
    """Which values (not null) of an array in the field's dtype pass its checks."""
    ser = _as_series(arr)
    return element_checks_pass(f, ser, np.array(ser.notna(), dtype=bool))


def _unique_floats(plan: FieldPlan, rng: np.random.Generator, n: int) -> np.ndarray:
    """Distinct values by redrawing repeats (floats, and shaped numbers)."""
    vals = _draw_logical(plan, rng, n, None)
    for _ in range(VERIFY_ROUNDS):
        keep = _dedupe_mask(vals)
        if keep.all():
            return vals
        # Redraws share the whole request's window.
        vals[~keep] = _draw_logical(plan, rng, int((~keep).sum()), None, n)
    f = plan.field
    why = "its window holds too few values"
    if f.dist is not None:
        why = f"its dist={f.shape.dist!r} puts too few distinct values in reach"
    raise InfeasibleRequestError(
        f"{f.label} is unique but {why} for {n} rows; widen its bounds, spread "
        "its shape or ask for fewer rows."
    )


def _verified(
    plan: FieldPlan,
    rng: np.random.Generator,
    n: int,
    needs_check: bool,
    total: int | None = None,
) -> Any:
    """Proposals kept only where every check passes, drawn until ``n`` are kept."""
    f = plan.field
    if n == 0:
        return _draw_logical(plan, rng, 0, None)
    recipes = [None]
    if f.info.kind is Kind.STRING and _realistic(f) is None:
        recipes = _string_recipes(plan)
    best, best_rate = recipes[0], -1.0
    if len(recipes) > 1 and needs_check:
        for recipe in recipes:  # pick the proposal the checks accept most
            pilot = _draw_logical(plan, rng, PILOT, recipe)
            rate = float(_verify(f, pilot).mean())
            if rate > best_rate:
                best, best_rate = recipe, rate
            if rate >= 0.5:
                break
        if best_rate == 0.0:
            raise _unmet(f, 0, len(recipes) * PILOT)
    kept: list[Any] = []
    count, tried = 0, 0
    batch = n
    for _ in range(VERIFY_ROUNDS):
        if count >= n:
            break
        cand = _draw_logical(plan, rng, max(batch, 1), best, total)
        tried += len(cand)
        ok = _verify(f, cand) if needs_check else None
        good = cand if ok is None or ok.all() else _take(cand, np.flatnonzero(ok))
        if len(good):
            kept.append(good)
            count += len(good)
        if f.unique and kept:
            merged = _cat(kept)
            first = _dedupe_mask(merged)
            if not first.all():
                merged = _take(merged, np.flatnonzero(first))
            kept, count = [merged], len(merged)
        rate = max(count, 1) / max(tried, 1)
        batch = int(min((n - count) / rate * 1.2 + 16, 50 * n + 1000))
    if count < n:
        if f.unique and tried > 0 and count > 0 and _realistic(f) is not None:
            tag, locale = _realistic(f)  # type: ignore[misc]
            raise InfeasibleRequestError(
                f"{f.label} is unique, but its text tag {tag!r} (locale "
                f"{locale or 'en'}) gave only {count} distinct values meeting its "
                f"checks for the {n} rows asked for (the tag's vocabulary is "
                "limited); ask for fewer rows, or use a tag with more values "
                "(such as 'email' or 'username')."
            )
        if f.unique and tried > 0 and count > 0:
            raise InfeasibleRequestError(
                f"{f.label} is unique, but only {count} distinct values meeting its "
                f"checks were found for the {n} rows asked for; widen its checks "
                "(for example longer strings or a wider pattern) or ask for fewer "
                "rows."
            )
        raise _unmet(f, count, tried)
    merged = _cat(kept)
    return _take(merged, np.arange(n)) if len(merged) != n else merged


def _unmet(f: FieldSpec, passed: int, tried: int) -> ChecksUnmetError:
    checks = ", ".join(describe(c) for c in f.element_checks) or "its checks"
    rate = passed / tried if tried else 0.0
    tag = _realistic(f)
    if tag is not None:
        advice = (
            f"its values come from the text tag {tag[0]!r} (locale "
            f"{tag[1] or 'en'}), which the checks rarely accept: loosen the "
            "checks, or drop the tag for generic text that meets them"
        )
    elif f.info.kind is Kind.STRING:
        advice = (
            "simplify it, for example one str_matches pattern that already "
            "encodes the lengths, prefixes and suffixes"
        )
    else:
        advice = (
            "give the column bounds (in_range, ge, le) inside which most values "
            "pass, or list the allowed values with isin"
        )
    return ChecksUnmetError(
        f"{f.label}: could not generate values meeting {checks} together "
        f"(acceptance {rate:.2%} of {tried} candidates). The combination is "
        f"met by drawing and checking; {advice}."
    )


def finish_field(plan: FieldPlan, values: Any, valid: np.ndarray | None) -> Any:
    """The pandas array of one field from its logical values or codes."""
    f = plan.field
    choices = f.domain.choices
    if f.proposal is not None:  # already in the column's dtype
        if valid is None:
            return values
        return pd.Series(values, copy=False).where(valid).array
    if choices is None:
        arr = build_array(f.info, values, valid)
        return arr
    codes = np.asarray(values)
    if valid is not None:
        codes = np.where(valid, codes, -1)
    taken = choices.array.take(codes, allow_fill=valid is not None)
    if f.info.storage is Storage.CATEGORY and f.info.categories is None:
        return pd.Categorical(taken)
    return taken


# --------------------------------------------------------------------------
# joint uniqueness
# --------------------------------------------------------------------------


def _enumerable_values(plan: FieldPlan, idx: np.ndarray) -> Any:
    """Map indices ``0..size-1`` to values or codes of a finite field."""
    f = plan.field
    if f.domain.choices is not None:
        return idx
    return idx + plan.limits[0]  # type: ignore[index]


def _joint_draw(
    plans: list[FieldPlan], seed: int, n: int, salt: int
) -> list[Any] | None:
    """Distinct combinations by sampling without replacement from the product."""
    sizes = [p.size for p in plans]
    if any(s is None for s in sizes):
        return None
    if any(p.field.code_weights is not None or _has_dist(p.field) for p in plans):
        return None  # shaped: drawn from the shapes, repeats redrawn
    if any(p.field.domain.forbidden and p.field.domain.choices is None for p in plans):
        return None
    total = math.prod(sizes)  # type: ignore[arg-type]
    if total > max(50 * n, 2_000_000):
        return None
    rng = _rng(seed, 0x5EED, salt, 2)
    flat = rng.choice(total, size=n, replace=False) if n else np.zeros(0, np.int64)
    out = []
    for p, size in zip(reversed(plans), reversed(sizes), strict=True):
        flat, digit = np.divmod(flat, size)
        out.append(_enumerable_values(p, digit.astype(np.int64)))
    return list(reversed(out))


def _has_dist(f: FieldSpec) -> bool:
    return f.shape is not None and f.shape.dist is not None


# --------------------------------------------------------------------------
# the frame
# --------------------------------------------------------------------------


def draw_frame(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    seed: int,
    n: int,
    salt: int = 0,
    nulls: bool = True,
    total: int | None = None,
    given: dict[int, Any] | None = None,
) -> pd.DataFrame:
    """A frame of ``n`` rows meeting every built-in check (not yet residual).

    With ``nulls=False`` no column gets nulls (they are added after residual
    checks, so that keeping the rows that pass does not favour null rows).
    ``given`` holds the logical values of some fields (by stream), taken as
    they are, without nulls.
    """
    values: dict[int, Any] = dict(given or {})
    in_group: set[int] = set(values)
    for g, group in enumerate(unique_groups(spec)):
        if all(f.stream in values for f in group):
            continue
        gplans = [plans[f.stream] for f in group]
        joint = _joint_draw(gplans, seed, n, salt * 131 + g)
        if joint is not None:
            for f, v in zip(group, joint, strict=True):
                values[f.stream] = v
        in_group.update(f.stream for f in group)
    frame = _assemble(
        spec,
        plans,
        seed,
        n,
        salt,
        total,
        values,
        lambda f: f.stream not in in_group and (nulls or f in spec.index),
    )
    if unique_groups(spec) or (spec.index_unique and spec.multiindex):
        frame = _fix_joint(spec, plans, frame, seed, n, salt)
    return order_rows(spec, frame)


def _build_index(spec: FrameSpec, arrays: dict[int, Any], n: int) -> pd.Index:
    if not spec.index:
        return pd.RangeIndex(n)
    if spec.multiindex:
        return pd.MultiIndex.from_arrays(
            [pd.Index(arrays[f.stream]) for f in spec.index],
            names=[f.name for f in spec.index],
        )
    f = spec.index[0]
    return pd.Index(arrays[f.stream], name=f.name)


def _fix_joint(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    frame: pd.DataFrame,
    seed: int,
    n: int,
    salt: int,
) -> pd.DataFrame:
    """Redraw rows that repeat a value or combination that must be unique."""
    for attempt in range(VERIFY_ROUNDS):
        keep = _unique_keep(spec, frame)
        if keep.all():
            return frame
        extra = _assemble(  # independent draws, no nulls, no repair
            spec,
            plans,
            seed,
            int((~keep).sum()),
            1_000_003 + salt * 1009 + attempt,
            n,
            {},
            lambda f: False,
        )
        frame = _renumber(pd.concat([frame[keep], extra]), spec)
    groups = unique_groups(spec)
    what = ", ".join(f.label for g in groups for f in g) or "the unique fields"
    raise InfeasibleRequestError(
        f"could not make {what} unique in {n} rows; widen their checks or ask for "
        "fewer rows."
    )


def _renumber(frame: pd.DataFrame, spec: FrameSpec) -> pd.DataFrame:
    frame = order_rows(spec, frame)
    if not spec.index:
        frame.index = pd.RangeIndex(len(frame))
    return frame


def _assemble(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    seed: int,
    n: int,
    salt: int,
    total: int | None,
    values: dict[int, Any],
    with_nulls: Any,
) -> pd.DataFrame:
    """Draw the fields ``values`` lacks, finish them, build the frame."""
    arrays = {}
    for f in spec.fields:
        if f.stream not in values:
            values[f.stream] = draw_values(plans[f.stream], seed, n, salt, total)
    if spec.links is not None:
        link_values(spec, plans, values, seed, salt, n, total)
    for f in spec.fields:
        valid = _null_mask(f, seed, salt, n) if with_nulls(f) else None
        arrays[f.stream] = finish_field(plans[f.stream], values[f.stream], valid)
    frame = _frame(spec, arrays, _build_index(spec, arrays, n))
    if spec.links is not None and spec.links.exprs:
        frame = compute_exprs(spec, frame)
    return frame


def _frame(spec: FrameSpec, arrays: dict[int, Any], index: pd.Index) -> pd.DataFrame:
    """The frame from finished arrays (object arrays stay object, not ``str``)."""
    data = {}
    for f in spec.columns:
        arr = arrays[f.stream]
        if pd.api.types.is_object_dtype(getattr(arr, "dtype", None)):
            # A Series keeps object; a bare array would be inferred as ``str``.
            arr = pd.Series(arr, index=index, dtype=object, copy=False)
        data[f.name] = arr
    return pd.DataFrame(data, index=index, copy=False)


def _level_values(spec: FrameSpec, frame: pd.DataFrame, f: FieldSpec) -> Any:
    """The values of field ``f`` in ``frame``: its column or its index level."""
    if any(c is f for c in spec.columns):
        return frame[f.name]
    if spec.multiindex:
        pos = next(i for i, g in enumerate(spec.index) if g is f)
        return frame.index.get_level_values(pos)
    return frame.index


def _group_frame(spec: FrameSpec, frame: pd.DataFrame, group: list[FieldSpec]):
    return pd.DataFrame(
        {i: np.asarray(_level_values(spec, frame, f)) for i, f in enumerate(group)}
    )


def _duplicated(spec: FrameSpec, frame: pd.DataFrame, group: list[FieldSpec]):
    return _group_frame(spec, frame, group).duplicated().to_numpy()


# --------------------------------------------------------------------------
# residual checks: custom column checks and frame-level checks
# --------------------------------------------------------------------------

PROBE_BUDGET = 4096  # evaluations spent locating the rows a whole-check rejects
PROBE_SECONDS = 0.5


def _residual_items(spec: FrameSpec, frame: pd.DataFrame):
    for f in spec.fields:
        if f.residual:
            target = _target(spec, frame, f)
            for check in f.residual:
                yield target, check, f.label, f
    for check in spec.frame_checks:
        yield frame, check, "the frame", None


def _evaluate_residual(
    spec: FrameSpec, frame: pd.DataFrame, probe: set[int] | None = None
) -> tuple[np.ndarray, list[tuple[str, Any, Any]]]:
    """Rows passing every residual check; and the checks failing as a whole.

    A check that answers with one bool for the whole column or frame is, with
    ``probe`` (a set collecting the checks found not to decompose, so they are
    not probed again), evaluated on halves of the rows recursively to find the
    rows it rejects; this holds when the check is a conjunction over rows
    (checked on the rows it keeps) and is left as a whole failure otherwise.
    """
    n = len(frame)
    ok = np.ones(n, dtype=bool)
    whole: list[tuple[str, Any, Any]] = []
    if spec.links is not None and spec.links.derived:
        for _, mask in row_checks(spec, frame):
            ok &= mask
    for target, check, label, f in _residual_items(spec, frame):
        out = _run(check, target)
        if isinstance(out, np.ndarray):
            ok &= out
            continue
        if out:
            continue
        mask = None
        # Once one check fails as a whole the frame is lost: stop probing.
        if probe is not None and not whole and id(check) not in probe:
            mask = _probe(check, target)
            if mask is None:
                probe.add(id(check))
        if mask is not None:
            ok &= mask
        else:
            whole.append((label, check, f))
    return ok, whole


def _passes(check: Any, target: Any) -> bool:
    out = _run(check, target)
    return bool(out.all()) if isinstance(out, np.ndarray) else bool(out)


def _probe(check: Any, target: Any) -> np.ndarray | None:
    """Rows a whole-answer check accepts, found by bisection; None if unknown."""
    n = len(target)
    if n <= 1:
        return None
    mask = np.zeros(n, dtype=bool)
    stack = [(n // 2, n), (0, n // 2)]
    evals = 0
    # Locating f failing rows costs about 2 f log2(n / f) evaluations; blocks
    # of ``leaf`` rows are not split further, which bounds the cost on large
    # frames (the rows of a dropped block are simply drawn again).
    leaf = max(1, n // 2048)
    budget = max(PROBE_BUDGET, n // 8)
    deadline = time.monotonic() + max(PROBE_SECONDS, min(2.0, n * 5e-5))
    while stack:
        a, b = stack.pop()
        evals += 1
        if evals > budget or time.monotonic() > deadline:
            return None
        if _passes(check, target.iloc[a:b]):
            mask[a:b] = True
        elif b - a > leaf:  # small failing blocks are dropped whole
            mid = (a + b) // 2
            stack.append((mid, b))
            stack.append((a, mid))
    if mask.any() and not _passes(check, target.iloc[np.flatnonzero(mask)]):
        return None  # not a conjunction over rows
    return mask


def _target(spec: FrameSpec, frame: pd.DataFrame, f: FieldSpec):
    values = _level_values(spec, frame, f)
    if isinstance(values, pd.Series):
        return values
    # pandera hands index checks a Series of the index values.
    return pd.Series(values, index=frame.index, name=f.name)


RAISED: dict[int, str] = {}  # the last exception each check raised


def _raised(check: Any) -> str:
    text = RAISED.get(id(check))
    return f" (it raised {text})" if text else ""


def _run(check: Any, target: Any) -> np.ndarray | bool:
    """A check's verdict per row or as a whole (exceptions kept for messages)."""
    return run_check(check, target, RAISED)


def _sort_repair(spec: FrameSpec, frame: pd.DataFrame, whole) -> pd.DataFrame | None:
    """Sort the columns (or the index) whose whole-column checks fail.

    Sorting keeps a column's values, so every built-in check still holds; it
    meets order-only rules such as monotonic timestamps.
    """
    fields = [f for _, _, f in whole]
    if not fields or any(f is None for f in fields):
        return None
    out = frame.copy()
    for f in fields:
        if any(c is f for c in spec.columns):
            col = out[f.name]
            order = np.argsort(col.to_numpy(), kind="stable")
            out[f.name] = col.iloc[order].to_numpy()
        elif not spec.multiindex:
            out = out.sort_index(kind="stable")
        else:
            return None
    return _renumber(out, spec)


def _residual_names(spec: FrameSpec) -> list[str]:
    """Residual checks met by drawing and checking (not by their own strategy)."""
    names = [
        f"{describe(c)} on {f.label}"
        for f in spec.fields
        for c in f.residual
        if not (f.proposal is not None and has_strategy(c))
    ]
    return names + [f"{describe(c)} on the frame" for c in spec.frame_checks]


def _warn_once(spec: FrameSpec) -> None:
    if spec.warned[0]:
        return
    spec.warned[0] = True
    if not _residual_names(spec):
        return  # only registered strategies, which draw valid values
    warnings.warn(
        SlowPathWarning(
            f"{spec.schema_name}: {'; '.join(_residual_names(spec))} cannot be read "
            "as a domain, so rows are generated, checked and regenerated until "
            "they pass. Express these rules with built-in checks for speed, or "
            "declare relations between columns as shapes (expr, after, sorted) "
            "so that every drawn row passes."
        ),
        stacklevel=caller_level(),
    )


def _settle(spec: FrameSpec, frame: pd.DataFrame):
    """Evaluate a candidate frame, trying a sort repair for whole failures."""
    ok, whole = _evaluate_residual(spec, frame)
    if whole:
        repaired = _sort_repair(spec, frame, whole)
        if repaired is not None and _unique_keep(spec, repaired).all():
            ok2, whole2 = _evaluate_residual(spec, repaired)
            if not whole2:
                return repaired, ok2, whole2
    return frame, ok, whole


REQUIRED_TRIES = 8


def generate_frame(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    seed: int,
    n: int,
    given: dict[int, Any] | None = None,
) -> pd.DataFrame:
    """``n`` rows meeting every check of the schema, or a clear error.

    ``given`` (logical values by field stream, for schemas without residual
    checks, which would drop rows) is used instead of drawing those fields.

    Values that ``unique_values_eq`` requires are placed when drawing, but
    keeping rows that pass custom checks, or repairing joint uniqueness, can
    drop them: such a frame is drawn again from a derived seed.
    """
    if given and spec.has_residual:
        raise ValueError("given values need a schema without residual checks")
    frame = _generate(spec, plans, seed, n, given)
    for attempt in range(REQUIRED_TRIES):
        missing = _missing_required(spec, frame)
        if not missing:
            return frame
        derived = np.random.SeedSequence(seed, spawn_key=(0xC0DE, attempt))
        frame = _generate(spec, plans, int(derived.generate_state(1)[0]), n, given)
    missing = _missing_required(spec, frame)
    if not missing:
        return frame
    f, values = missing[0]
    raise ChecksUnmetError(
        f"{spec.schema_name}: unique_values_eq on {f.label} needs every one of "
        f"{values!r} to appear, but the frames that met the other checks "
        f"({REQUIRED_TRIES + 1} tried) lacked some; ask for more rows or relax "
        "the checks that drop rows."
    )


def _missing_required(spec: FrameSpec, frame: pd.DataFrame) -> list:
    out = []
    for f in spec.fields:
        if not f.domain.required:
            continue
        present = set(_target(spec, frame, f).dropna().tolist())
        lost = [v for v in f.domain.required if v not in present]
        if lost:
            out.append((f, lost))
    return out


def _generate(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    seed: int,
    n: int,
    given: dict[int, Any] | None = None,
) -> pd.DataFrame:
    if not spec.has_residual:
        return _renumber(draw_frame(spec, plans, seed, n, 0, given=given), spec)
    frame = draw_frame(spec, plans, seed, n, 0, nulls=False)
    # With relations declared, custom checks often pass every drawn row: warn
    # only once one rejects something.
    related = spec.links is not None and spec.links.rowwise
    if not related:
        _warn_once(spec)
    start = time.monotonic()
    whole: list[tuple[str, Any, Any]] = []
    undecomposable: set[int] = set()
    # A rule that fails a large frame as a whole will fail the next one too.
    tries = WHOLE_FRAME_TRIES if n < 100 else (2 if n < 10_000 else 1)
    for attempt in range(tries):
        frame, ok, whole = _settle(spec, frame)
        if related and (whole or not ok.all()):
            _warn_once(spec)
        if whole and n:
            ok, whole = _evaluate_residual(spec, frame, undecomposable)
        if not whole:
            if ok.all():
                return _with_nulls(spec, plans, _renumber(frame, spec), seed)
            filled = _fill_rows(
                spec, plans, seed, n, frame, ok, attempt, start, undecomposable
            )
            if filled is not None:
                filled = _recorrelate(spec, _renumber(filled, spec), seed)
                return _with_nulls(spec, plans, filled, seed)
        if n == 0 or time.monotonic() - start > MAX_SECONDS:
            break
        frame = draw_frame(spec, plans, seed, n, 10_000 + attempt, nulls=False)
    label, check, _ = whole[0] if whole else ("the frame", None, None)
    what = describe(check) + _raised(check) if check is not None else "a check"
    if n == 0:
        raise InfeasibleRequestError(
            f"{spec.schema_name}: {what} on {label} rejects a frame with 0 rows; "
            "ask for at least 1 row."
        )
    raise ChecksUnmetError(
        f"{spec.schema_name}: {what} on {label} rejected every candidate frame of "
        f"{n} rows (acceptance 0% over {attempt + 1} frames). It judges the column "
        "or frame as a whole, which no generic generator can meet by drawing; "
        "express the rule with built-in checks (isin, in_range, str_matches, "
        "unique=...), or relax it."
    )


def _recorrelate(spec: FrameSpec, frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The copula again, on the rows that passed the custom checks.

    Keeping only rows a check accepts restricts the range of the columns it
    judges, which weakens their correlations; reordering the kept values
    once more restores them. Kept only if every check still passes.
    """
    corr = None if spec.links is None else spec.links.corr
    if corr is None or len(frame) < 3 or _tied_to_rows(spec):
        return frame
    out = frame.copy()
    keys = [_order_key(out[f.name]) for f in corr.fields]
    rng = _rng(seed, 0xC0DA, 0xFFFF, 4)
    for f, order in zip(corr.fields, rank_orders(rng, corr.chol, keys), strict=True):
        out[f.name] = out[f.name].array.take(order)
    ok, whole = _evaluate_residual(spec, out)
    if whole or not ok.all() or not _unique_keep(spec, out).all():
        return frame
    return out


def _tied_to_rows(spec: FrameSpec) -> bool:
    """Whether a correlated column is sorted or takes part in a relation.

    Reordering such a column on its own would break the relation (a ``given``
    column would no longer follow its case) or the order.
    """
    links = spec.links
    moved = {f.stream for f in links.corr.fields}
    if any(f.stream in moved for f, _ in links.sort_by):
        return True
    for f in links.derived:
        if f.stream in moved:
            return True
        if f.shape.expr is not None:
            names = set(expr_sources(spec, f))
            if any(g.name in names for g in links.corr.fields):
                return True
        elif links.refs[f.stream].stream in moved:
            return True
    return False


def _order_key(ser: pd.Series) -> np.ndarray:
    """Sort keys of a column's values (ordered categories by position)."""
    if isinstance(ser.dtype, pd.CategoricalDtype):
        return ser.cat.codes.to_numpy()
    return np.argsort(np.argsort(ser.to_numpy(), kind="stable"), kind="stable")


def _with_nulls(
    spec: FrameSpec, plans: dict[Any, FieldPlan], frame: pd.DataFrame, seed: int
) -> pd.DataFrame:
    """Add the nullable columns' nulls to a frame that meets every check.

    Rows where a null breaks a custom or frame-level check keep their value.
    """
    n = len(frame)
    out = frame.copy()
    changed = False
    grouped = {f.stream for g in unique_groups(spec) for f in g}
    nulled: dict[int, np.ndarray] = {}
    for f in spec.columns:
        if f.stream in grouped:
            continue  # as when drawn: joint uniqueness would count the nulls
        valid = _null_mask(f, seed, 0, n)
        if valid is not None:
            nulled[f.stream] = ~valid
            if f.info.storage is Storage.OBJECT:  # None, or NA/NaT if coerced
                out[f.name] = out[f.name].where(valid, f.info.na_value)
            else:
                out[f.name] = out[f.name].where(valid)
            changed = True
    if not changed:
        return frame
    if spec.links is not None:
        # rows whose given column turned null draw from the column's own shape
        refill_given(spec, plans, out, nulled, seed)
        if spec.links.exprs:
            out = compute_exprs(spec, out)  # nulls in a source reach its expr
    ok, whole = _evaluate_residual(spec, out)
    if whole:
        return frame
    if not ok.all():
        for f in spec.columns:
            out[f.name] = out[f.name].where(ok, frame[f.name])
        ok, whole = _evaluate_residual(spec, out)
        if whole or not ok.all():
            return frame
    return out


def _acceptance(spec: FrameSpec, frame: pd.DataFrame) -> list[tuple[float, str]]:
    rates = []
    if spec.links is not None and spec.links.derived:
        rates += [(float(m.mean()), what) for what, m in row_checks(spec, frame)]
    for target, check, label, _ in _residual_items(spec, frame):
        out = _run(check, target)
        rate = float(out.mean()) if isinstance(out, np.ndarray) else float(out)
        rates.append((rate, f"{describe(check)} on {label}{_raised(check)}"))
    return sorted(rates)


def _fill_rows(
    spec: FrameSpec,
    plans: dict[Any, FieldPlan],
    seed: int,
    n: int,
    frame: pd.DataFrame,
    ok: np.ndarray,
    attempt: int,
    start: float,
    undecomposable: set[int],
) -> pd.DataFrame | None:
    """Keep passing rows, draw more for the rest; None if a whole check fails."""
    tried = len(frame)
    kept = _renumber(frame[ok], spec)
    last = frame
    capacity = row_capacity(spec, plans)
    for r in range(RESIDUAL_ROUNDS):
        if len(kept) >= n:
            out, ok2, whole = _settle(spec, _renumber(kept.iloc[:n], spec))
            if not whole and ok2.all():
                return out
            if whole:
                return None
            kept = _renumber(out[ok2], spec)
        rate = max(len(kept), 1) / max(tried, 1)
        hopeless = len(kept) == 0 and tried >= ZERO_ACCEPTANCE_ROWS
        if hopeless or time.monotonic() - start > MAX_SECONDS:
            break
        batch = int(min((n - len(kept)) / rate * 1.3 + 8, 50 * n + 1000))
        if capacity is not None:  # unique fields hold no more distinct values
            batch = min(batch, capacity)
        salt = 100 * (attempt + 1) + r + 1
        last = draw_frame(spec, plans, seed, batch, salt, nulls=False, total=n)
        tried += batch
        eok, ewhole = _evaluate_residual(spec, last, undecomposable)
        if ewhole:
            eok = np.zeros(len(last), dtype=bool)
        kept = _dedupe_unique(spec, pd.concat([kept, last[eok]]))
    rates = _acceptance(spec, last.iloc[:2000])
    worst = [f"{name} ({rate:.1%})" for rate, name in rates if rate < 1.0][:3]
    relations = ("expr ", "after=", "given=")
    if worst and worst[0].startswith(relations):
        advice = (
            "The values a relation gives rarely meet the column's own checks: "
            "widen those checks, or shape the columns it is computed from so "
            "that its values fall inside them."
        )
    else:
        advice = (
            "Make the data generable: express the rule with built-in checks "
            "(isin, in_range, str_matches), declare relations between columns "
            "as shapes (expr, after, sorted), or narrow the column's built-in "
            "checks so that most values pass."
        )
    raise ChecksUnmetError(
        f"{spec.schema_name}: only {len(kept)} of {tried} generated rows passed the "
        f"custom checks, too few to fill {n} rows within the budget. Acceptance per "
        f"check: {', '.join(worst) or 'n/a'}. {advice}"
    )


def _dedupe_unique(spec: FrameSpec, frame: pd.DataFrame) -> pd.DataFrame:
    return _renumber(frame[_unique_keep(spec, frame)], spec)


def _unique_keep(spec: FrameSpec, frame: pd.DataFrame) -> np.ndarray:
    """False for each row repeating a value or combination that must be unique."""
    keep = np.ones(len(frame), dtype=bool)
    for f in spec.columns:
        if f.unique:
            keep &= ~frame[f.name].duplicated().to_numpy()
    if spec.index and spec.index_unique:
        keep &= ~frame.index.duplicated()
    for f in spec.index:
        if f.unique and spec.multiindex:
            keep &= ~_level_values(spec, frame, f).duplicated()
    for group in unique_groups(spec):
        keep &= ~_duplicated(spec, frame, group)
    return keep
