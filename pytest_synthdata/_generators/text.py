"""Vectorised string building: ragged byte batches and regex sampling.

Strings are built a batch at a time as a :class:`Ragged` pair: an ``(n, w)``
``uint8`` matrix and a per-row length. Pieces are concatenated by scattering
each row's bytes at its running offset, so a whole column is built with a few
numpy operations per regex node, never a Python loop over rows. The result
becomes a pyarrow ``StringArray`` straight from its buffers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

try:  # Python 3.11+
    import re._constants as sre_c
    import re._parser as sre_parse
except ImportError:  # pragma: no cover - older layout
    import sre_constants as sre_c  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

PRINTABLE = np.arange(32, 127, dtype=np.int64)  # what '.' and negated classes use
LOWER = np.arange(97, 123, dtype=np.int64)
_DIGITS = np.arange(48, 58, dtype=np.int64)
_WORD = np.concatenate([_DIGITS, np.arange(65, 91), [95], np.arange(97, 123)]).astype(
    np.int64
)
_SPACE = np.array([32], dtype=np.int64)
_SPACE_ALL = np.array([9, 10, 11, 12, 13, 32], dtype=np.int64)
DEFAULT_REPEAT = 8  # extra repetitions an unbounded repeat may add
# Negated classes that exclude all of printable ASCII draw from here instead.
_WIDE = np.concatenate([[9, 10], np.arange(0xA1, 0x250)]).astype(np.int64)


class Ragged:
    """A batch of byte strings kept as segments, joined only when finished.

    Each segment is an ``(n, w)`` ``uint8`` matrix and per-row lengths; row
    ``i`` of the batch is the concatenation of ``buf[i, :lens[i]]`` over the
    segments. Concatenating batches only joins their segment lists; the bytes
    are gathered once, by :meth:`to_arrow`, with one boolean compress.
    """

    __slots__ = ("n", "segs")

    def __init__(self, n: int, segs: list[tuple[np.ndarray, np.ndarray]]) -> None:
        self.n = n
        self.segs = segs

    @classmethod
    def empty(cls, n: int) -> Ragged:
        return cls(n, [])

    @classmethod
    def single(cls, buf: np.ndarray, lens: np.ndarray) -> Ragged:
        return cls(len(lens), [(buf, lens)])

    @classmethod
    def literal(cls, data: bytes, n: int) -> Ragged:
        row = np.frombuffer(data, dtype=np.uint8)
        return cls.single(
            np.broadcast_to(row, (n, len(row))), np.full(n, len(row), np.int64)
        )

    @property
    def lens(self) -> np.ndarray:
        total = np.zeros(self.n, dtype=np.int64)
        for _, lens in self.segs:
            total += lens
        return total

    def to_arrow(self, valid: np.ndarray | None = None) -> pa.Array:
        """The batch as a pyarrow string array (``valid`` False marks nulls).

        Each segment becomes a string array straight from its buffers (no copy
        when every row uses the whole width); pyarrow joins them row-wise.
        """
        parts = [_segment_array(b, ln) for b, ln in self.segs if b.shape[1]]
        if not parts:
            arr = pa.array([""] * self.n, type=pa.string())
        elif len(parts) == 1:
            arr = parts[0]
        else:
            arr = pc.binary_join_element_wise(*parts, "")
        if valid is not None and not valid.all():
            arr = pc.if_else(pa.array(valid), arr, pa.nulls(len(arr), arr.type))
        return arr


def _segment_array(buf: np.ndarray, lens: np.ndarray) -> pa.Array:
    n, width = buf.shape
    lo, hi = (int(lens.min()), int(lens.max())) if n else (0, 0)
    if lo == hi == width:
        data = np.ascontiguousarray(buf).reshape(-1)
        offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    else:
        data = np.ascontiguousarray(buf)[np.arange(width) < lens[:, None]]
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lens, out=offsets[1:])
    if offsets[-1] >= 2**31 - 1:
        return pa.LargeStringArray.from_buffers(
            n, pa.py_buffer(offsets), pa.py_buffer(data)
        )
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data)
    )


def concat(pieces: list[Ragged]) -> Ragged:
    """Row-wise concatenation of several batches of the same length."""
    return Ragged(pieces[0].n, [seg for p in pieces for seg in p.segs])


def _concat_n(pieces: list[Ragged], n: int) -> Ragged:
    return Ragged(n, [seg for p in pieces for seg in p.segs])


def from_codepoints(cps: np.ndarray, lens: np.ndarray | None = None) -> Ragged:
    """An ``(n, k)`` matrix of code points as UTF-8 (``lens`` counts characters)."""
    n, k = cps.shape
    if lens is None:
        lens = np.full(n, k, dtype=np.int64)
    if k == 0 or int(cps.max(initial=0)) < 128:
        return Ragged.single(cps.astype(np.uint8), lens.astype(np.int64))
    # Multi-byte characters: encode each code point, then scatter the bytes.
    nbytes = np.select(
        [cps < 0x80, cps < 0x800, cps < 0x10000], [1, 2, 3], default=4
    ).astype(np.int64)
    nbytes[np.arange(k)[None, :] >= lens[:, None]] = 0
    enc = np.zeros((n, k, 4), dtype=np.uint8)
    one = nbytes == 1
    enc[..., 0] = np.where(one, cps, 0)
    two = nbytes == 2
    enc[..., 0] |= np.where(two, 0xC0 | (cps >> 6), 0).astype(np.uint8)
    enc[..., 1] |= np.where(two, 0x80 | (cps & 0x3F), 0).astype(np.uint8)
    three = nbytes == 3
    enc[..., 0] |= np.where(three, 0xE0 | (cps >> 12), 0).astype(np.uint8)
    enc[..., 1] |= np.where(three, 0x80 | ((cps >> 6) & 0x3F), 0).astype(np.uint8)
    enc[..., 2] |= np.where(three, 0x80 | (cps & 0x3F), 0).astype(np.uint8)
    four = nbytes == 4
    enc[..., 0] |= np.where(four, 0xF0 | (cps >> 18), 0).astype(np.uint8)
    enc[..., 1] |= np.where(four, 0x80 | ((cps >> 12) & 0x3F), 0).astype(np.uint8)
    enc[..., 2] |= np.where(four, 0x80 | ((cps >> 6) & 0x3F), 0).astype(np.uint8)
    enc[..., 3] |= np.where(four, 0x80 | (cps & 0x3F), 0).astype(np.uint8)
    keep = np.arange(4)[None, None, :] < nbytes[..., None]
    flat_lens = nbytes.sum(axis=1)
    width = int(flat_lens.max(initial=0))
    out = np.zeros((n, width), dtype=np.uint8)
    pos = np.arange(width)[None, :] < flat_lens[:, None]
    out[pos] = enc[keep]
    return Ragged.single(out, flat_lens)


def sample_chars(
    rng: np.random.Generator, alphabet: np.ndarray, n: int, lens: np.ndarray
) -> Ragged:
    """``n`` strings of ``lens`` characters drawn uniformly from ``alphabet``."""
    width = int(lens.max(initial=0))
    k = len(alphabet)
    if int(alphabet[-1]) < 128:
        if int(alphabet[-1]) - int(alphabet[0]) == k - 1:  # one contiguous range
            lo = int(alphabet[0])
            buf = rng.integers(lo, lo + k, size=(n, width), dtype=np.uint8)
        else:
            table = alphabet.astype(np.uint8)
            buf = table[rng.integers(0, k, size=(n, width), dtype=np.uint8)]
        return Ragged.single(buf, lens.astype(np.int64, copy=False))
    idx = rng.integers(0, k, size=(n, width))
    return from_codepoints(alphabet[idx], lens)


# --------------------------------------------------------------------------
# regex sampling
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """A parsed regex and whether sampling it is exact.

    ``exact`` is False when the pattern holds constructs the sampler skips
    (lookarounds, back references, word boundaries, possessive repeats): such
    samples must be verified against the pattern.
    """

    source: str
    tree: object
    exact: bool
    flags: int


_INEXACT = {"ASSERT", "ASSERT_NOT", "GROUPREF", "GROUPREF_EXISTS", "POSSESSIVE_REPEAT"}
_AT_OK = {"AT_BEGINNING", "AT_BEGINNING_STRING", "AT_END", "AT_END_STRING"}


@lru_cache(maxsize=512)
def parse(source: str) -> Pattern:
    """Parse ``source`` with the standard library's own regex parser."""
    tree = sre_parse.parse(source)
    exact = True
    begins = {"AT_BEGINNING", "AT_BEGINNING_STRING"}
    ends = {"AT_END", "AT_END_STRING"}

    def walk(items, at_start: bool = True, at_end: bool = True):
        # Anchors are skipped when sampling: exact only where they sit at the
        # very start or end of the pattern (``a$b`` is verified, and fails).
        nonlocal exact
        items = list(items)
        for i, (op, av) in enumerate(items):
            name = str(op)
            first_here = at_start and all(str(o) == "AT" for o, _ in items[:i])
            last_here = at_end and all(str(o) == "AT" for o, _ in items[i + 1 :])
            if name in _INEXACT:
                exact = False
            if name == "AT":
                where = str(av)
                if where not in _AT_OK:
                    exact = False
                elif where in begins and not first_here:
                    exact = False
                elif where in ends and not last_here:
                    exact = False
            if name == "SUBPATTERN":
                walk(av[-1], first_here, last_here)
            elif name == "ATOMIC_GROUP":
                exact = False
                walk(av, first_here, last_here)
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                walk(av[2], False, False)
            elif name == "BRANCH":
                for alt in av[1]:
                    walk(alt, first_here, last_here)

    walk(tree)
    flags = tree.state.flags if hasattr(tree, "state") else 0
    return Pattern(source, tree, exact, flags)


def _category(cat: object) -> tuple[np.ndarray, bool]:
    """Code points of a class category, and whether it is negated."""
    name = str(cat)
    negate = "NOT_" in name
    if "DIGIT" in name:
        base = _DIGITS
    elif "WORD" in name:
        base = _WORD
    elif "SPACE" in name:
        base = _SPACE_ALL if negate else _SPACE
    else:  # LINEBREAK and friends
        base = np.array([10], dtype=np.int64)
    return base, negate


_UNIVERSE = np.concatenate([PRINTABLE, _WIDE])


@lru_cache(maxsize=8)
def _category_members(name: str) -> np.ndarray:
    """Which characters of the universe a category matches, as ``re`` does."""
    probe = {"DIGIT": r"\d", "WORD": r"\w", "SPACE": r"\s"}
    key = next((k for k in probe if k in name), None)
    if key is None:
        return _UNIVERSE == 10
    compiled = re.compile(probe[key])
    hits = np.array([bool(compiled.match(chr(c))) for c in _UNIVERSE.tolist()])
    return ~hits if "NOT_" in name else hits


def _prefer_printable(chars: np.ndarray) -> np.ndarray:
    """Printable ASCII if any, else printable non-ASCII, else what is left."""
    for keep in ((chars >= 32) & (chars < 127), chars >= 0xA1):
        if keep.any():
            return chars[keep]
    return chars


@lru_cache(maxsize=2048)
def _class_alphabet(items_key: tuple) -> np.ndarray:
    r"""The characters a class draws from.

    Positive classes give ASCII for the categories (``\d``, ``\w``, ``\s``).
    Negated classes are evaluated over printable ASCII plus Latin and some
    Unicode letters with ``re``'s own meaning of the categories, so that
    ``[^\s\S]`` is empty and ``[^ -~]`` still has characters to draw.
    """
    items = items_key
    if any(str(op) == "NEGATE" for op, _ in items):
        member = np.zeros(len(_UNIVERSE), dtype=bool)
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                member |= _UNIVERSE == av
            elif name == "RANGE":
                member |= (_UNIVERSE >= av[0]) & (_UNIVERSE <= av[1])
            elif name == "CATEGORY":
                member |= _category_members(str(av))
        out = _prefer_printable(_UNIVERSE[~member])
    else:
        allowed: list[np.ndarray] = []
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                allowed.append(np.array([av], dtype=np.int64))
            elif name == "RANGE":
                lo, hi = av
                rng = np.arange(lo, hi + 1, dtype=np.int64)
                allowed.append(rng[(rng < 0xD800) | (rng > 0xDFFF)])
            elif name == "CATEGORY":
                base, neg = _category(av)
                allowed.append(
                    _prefer_printable(_UNIVERSE[_category_members(str(av))])
                    if neg
                    else base
                )
        out = np.unique(np.concatenate(allowed)) if allowed else PRINTABLE
    if not len(out):
        raise ValueError("a character class admits no character")
    return out


def _freeze(items) -> tuple:
    return tuple(
        (op, av if not isinstance(av, list) else tuple(av)) for op, av in items
    )


class RegexSampler:
    """Draws strings from a parsed pattern, one vectorised pass per node.

    ``cap`` is how many repetitions beyond the minimum an unbounded repeat
    (``*``, ``+``, ``{m,}``) may add.
    """

    def __init__(self, pattern: Pattern, cap: int = DEFAULT_REPEAT) -> None:
        self.pattern = pattern
        self.cap = cap

    def sample(self, rng: np.random.Generator, n: int) -> Ragged:
        return self._seq(self.pattern.tree, rng, n)

    def _seq(self, items, rng, n) -> Ragged:
        pieces = []
        run = ""  # consecutive literals become one segment
        for op, av in items:
            if str(op) == "LITERAL":
                run += chr(av)
                continue
            if run:
                pieces.append(Ragged.literal(run.encode(), n))
                run = ""
            piece = self._node(op, av, rng, n)
            if piece is not None:
                pieces.append(piece)
        if run:
            pieces.append(Ragged.literal(run.encode(), n))
        return _concat_n(pieces, n)

    @staticmethod
    def _literal_text(items) -> str | None:
        if all(str(op) == "LITERAL" for op, _ in items):
            return "".join(chr(av) for _, av in items)
        return None

    def _node(self, op, av, rng, n) -> Ragged | None:
        name = str(op)
        if name == "LITERAL":
            return Ragged.literal(chr(av).encode(), n)
        if name in ("IN", "ANY", "NOT_LITERAL"):
            alphabet = self._alphabet(name, av)
            return sample_chars(rng, alphabet, n, np.ones(n, dtype=np.int64))
        if name == "SUBPATTERN":
            return self._seq(av[-1], rng, n)
        if name == "ATOMIC_GROUP":
            return self._seq(av, rng, n)
        if name == "BRANCH":
            return self._branch(av[1], rng, n)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            return self._repeat(av, rng, n)
        return None  # anchors, lookarounds, back references: nothing to emit

    def _alphabet(self, name, av) -> np.ndarray:
        if name == "ANY":
            return PRINTABLE
        if name == "NOT_LITERAL":
            out = PRINTABLE[PRINTABLE != av]
            return out if len(out) else _WIDE
        return _class_alphabet(_freeze(av))

    def _branch(self, alternatives, rng, n) -> Ragged:
        # Every alternative keeps all n rows; rows that did not pick it get
        # zero-length segments, so the alternatives simply concatenate.
        which = rng.integers(0, len(alternatives), size=n)
        texts = [self._literal_text(alt) for alt in alternatives]
        if all(t is not None for t in texts):  # (com|org|net): one table lookup
            encoded = [t.encode() for t in texts]
            width = max(len(b) for b in encoded)
            table = np.zeros((len(encoded), width), dtype=np.uint8)
            for k, b in enumerate(encoded):
                table[k, : len(b)] = np.frombuffer(b, dtype=np.uint8)
            sizes = np.array([len(b) for b in encoded], dtype=np.int64)
            return Ragged.single(table[which], sizes[which])
        segs = []
        for k, alt in enumerate(alternatives):
            rows = np.flatnonzero(which == k)
            sub = self._seq(alt, rng, len(rows))
            for buf, lens in sub.segs:
                full = np.zeros((n, buf.shape[1]), dtype=np.uint8)
                full[rows] = buf
                full_lens = np.zeros(n, dtype=np.int64)
                full_lens[rows] = lens
                segs.append((full, full_lens))
        return Ragged(n, segs)

    def _repeat(self, av, rng, n) -> Ragged:
        lo, hi, body = av
        if hi == sre_c.MAXREPEAT:
            hi = lo + self.cap
        counts = rng.integers(lo, hi + 1, size=n)
        if hi == 0:
            return Ragged.empty(n)
        if len(body) == 1 and str(body[0][0]) in ("IN", "ANY", "NOT_LITERAL"):
            # One character per repetition: draw the whole (n, hi) block at once.
            alphabet = self._alphabet(str(body[0][0]), body[0][1])
            return sample_chars(rng, alphabet, n, counts)
        if len(body) == 1 and str(body[0][0]) == "LITERAL":
            ch = chr(body[0][1]).encode()
            row = np.frombuffer(ch * hi, dtype=np.uint8)
            return Ragged.single(np.broadcast_to(row, (n, len(row))), counts * len(ch))
        block = self._seq(body, rng, n * hi)
        dropped = np.arange(hi)[None, :] >= counts[:, None]
        segs = []
        for j in range(hi):
            for buf, lens in block.segs:
                b = buf.reshape(n, hi, buf.shape[1])[:, j, :]
                ln = lens.reshape(n, hi)[:, j]
                segs.append((b, np.where(dropped[:, j], 0, ln)))
        return Ragged(n, segs)


def sample_regex(
    source: str, rng: np.random.Generator, n: int, cap: int = DEFAULT_REPEAT
) -> Ragged:
    """``n`` strings matching ``source`` (exactly so when the pattern is exact)."""
    return RegexSampler(parse(source), cap).sample(rng, n)


def regex_array(
    source: str, rng: np.random.Generator, n: int, cap: int = DEFAULT_REPEAT
) -> pa.Array:
    """``n`` strings matching ``source`` as a pyarrow array (fast path if flat)."""
    parts = _flat_cached(source, cap)
    if parts is not None:
        return sample_flat(parts, rng, n)
    return sample_regex(source, rng, n, cap).to_arrow()


@lru_cache(maxsize=512)
def _flat_cached(source: str, cap: int) -> list[Part] | None:
    return flat_parts(source, cap)


def one_match(source: str, seed: int = 0) -> str:
    """A single string that fully matches ``source`` (verified)."""
    compiled = re.compile(source)
    rng = np.random.default_rng(seed)
    for cap in (DEFAULT_REPEAT, 2, 0):
        batch = sample_regex(source, rng, 64, cap).to_arrow().to_pylist()
        for text in batch:
            if compiled.fullmatch(text) or compiled.match(text):
                return text
    raise ValueError(f"could not draw a string matching {source!r}")


# --------------------------------------------------------------------------
# flat fast path: a sequence of literals, character runs and literal choices
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One piece of a flat recipe.

    ``lit``: fixed bytes; ``run``: ``lo..hi`` characters from an ASCII
    ``alphabet``; ``alt``: one of several fixed byte strings.
    """

    kind: str
    data: bytes = b""
    alphabet: np.ndarray | None = None
    lo: int = 0
    hi: int = 0
    options: tuple[bytes, ...] = ()


def _ascii(alphabet: np.ndarray) -> bool:
    return len(alphabet) > 0 and int(alphabet[-1]) < 128


def flat_parts(source: str, cap: int = DEFAULT_REPEAT) -> list[Part] | None:
    """The pattern as flat parts, or None when it needs the general sampler."""
    pattern = parse(source)
    if not pattern.exact:
        return None
    parts: list[Part] = []

    def add(items) -> bool:
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                if av >= 128:
                    return False
                parts.append(Part("lit", data=bytes([av])))
            elif name == "AT":
                continue
            elif name in ("IN", "ANY", "NOT_LITERAL"):
                alphabet = RegexSampler(pattern)._alphabet(name, av)
                if not _ascii(alphabet):
                    return False
                parts.append(Part("run", alphabet=alphabet, lo=1, hi=1))
            elif name == "SUBPATTERN":
                if not add(av[-1]):
                    return False
            elif name in ("MAX_REPEAT", "MIN_REPEAT"):
                lo, hi, body = av
                hi = lo + cap if hi == sre_c.MAXREPEAT else hi
                if len(body) != 1:
                    return False
                bop, bav = body[0]
                bname = str(bop)
                if bname in ("IN", "ANY", "NOT_LITERAL"):
                    alphabet = RegexSampler(pattern)._alphabet(bname, bav)
                    if not _ascii(alphabet):
                        return False
                    parts.append(Part("run", alphabet=alphabet, lo=lo, hi=hi))
                elif bname == "LITERAL" and bav < 128 and lo == hi:
                    parts.append(Part("lit", data=bytes([bav]) * lo))
                else:
                    return False
            elif name == "BRANCH":
                options = []
                for alt in av[1]:
                    text = RegexSampler._literal_text(alt)
                    if text is None or not text.isascii():
                        return False
                    options.append(text.encode())
                parts.append(Part("alt", options=tuple(options)))
            else:
                return False
        return True

    if not add(pattern.tree):
        return None
    merged: list[Part] = []
    for p in parts:  # join neighbouring literals
        if p.kind == "lit" and merged and merged[-1].kind == "lit":
            merged[-1] = Part("lit", data=merged[-1].data + p.data)
        else:
            merged.append(p)
    return merged


def _fill(alphabet: np.ndarray, rng: np.random.Generator, size: int) -> np.ndarray:
    k = len(alphabet)
    lo = int(alphabet[0])
    if int(alphabet[-1]) - lo == k - 1:
        return rng.integers(lo, lo + k, size=size, dtype=np.uint8)
    return alphabet.astype(np.uint8)[rng.integers(0, k, size=size, dtype=np.uint8)]


def sample_flat(
    parts: list[Part],
    rng: np.random.Generator,
    n: int,
    valid: np.ndarray | None = None,
) -> pa.Array:
    """Strings from flat parts, built in one byte buffer (no per-row work).

    The buffer is first filled from the alphabet of the longest run; every
    other part then overwrites its own positions.
    """
    lens = []
    choice: list[np.ndarray | None] = []
    for p in parts:
        if p.kind == "lit":
            lens.append(np.full(n, len(p.data), dtype=np.int64))
            choice.append(None)
        elif p.kind == "run":
            if p.lo == p.hi:
                lens.append(np.full(n, p.lo, dtype=np.int64))
            else:
                lens.append(rng.integers(p.lo, p.hi, size=n, endpoint=True))
            choice.append(None)
        else:
            which = rng.integers(0, len(p.options), size=n)
            sizes = np.array([len(o) for o in p.options], dtype=np.int64)
            lens.append(sizes[which])
            choice.append(which)
    row_len = np.zeros(n, dtype=np.int64)
    for ln in lens:
        row_len += ln
    if valid is not None:
        row_len = np.where(valid, row_len, 0)
        lens = [np.where(valid, ln, 0) for ln in lens]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(row_len, out=offsets[1:])
    total = int(offsets[-1])
    runs = [k for k, p in enumerate(parts) if p.kind == "run"]
    base = max(runs, key=lambda k: parts[k].hi, default=None)
    if base is not None:
        data = _fill(parts[base].alphabet, rng, total)  # type: ignore[arg-type]
    else:
        data = np.zeros(total, dtype=np.uint8)
    start = offsets[:-1].copy()
    for k, p in enumerate(parts):
        ln = lens[k]
        if p.kind == "lit" and len(p.data):
            pos = start[:, None] + np.arange(len(p.data))
            if valid is not None:
                pos = pos[valid]
            data[pos] = np.frombuffer(p.data, dtype=np.uint8)
        elif (
            p.kind == "run"
            and k != base
            and not (
                base is not None and np.array_equal(p.alphabet, parts[base].alphabet)
            )
        ):
            count = int(ln.sum())
            pos = np.repeat(start - np.cumsum(ln) + ln, ln) + np.arange(count)
            data[pos] = _fill(p.alphabet, rng, count)  # type: ignore[arg-type]
        elif p.kind == "alt":
            width = max(len(o) for o in p.options)
            table = np.zeros((len(p.options), width), dtype=np.uint8)
            for j, o in enumerate(p.options):
                table[j, : len(o)] = np.frombuffer(o, dtype=np.uint8)
            rows = table[choice[k]]
            if all(len(o) == width for o in p.options):  # (com|org|net)
                pos = start[:, None] + np.arange(width)
                if valid is not None:
                    pos, rows = pos[valid], rows[valid]
                data[pos] = rows
                start = start + ln
                continue
            mask = np.arange(width) < ln[:, None]
            count = int(ln.sum())
            pos = np.repeat(start - np.cumsum(ln) + ln, ln) + np.arange(count)
            data[pos] = rows[mask]
        start = start + ln
    large = total >= 2**31 - 1
    bitmap, nulls = None, 0
    if valid is not None and not valid.all():
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
        nulls = int(n - np.count_nonzero(valid))
    kind = pa.LargeStringArray if large else pa.StringArray
    off = offsets if large else offsets.astype(np.int32)
    return kind.from_buffers(n, pa.py_buffer(off), pa.py_buffer(data), bitmap, nulls)
