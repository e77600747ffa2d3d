"""Benchmark ``pytest_synthdata.generate`` against a numpy reference and pandera.

Usage::

    python benchmarks/bench_core.py [--quick]

The three reference schemas A ('simple', 6 columns), B ('wide', 50 numeric
columns) and C ('strings', 8 columns) and their hand-written vectorised numpy
generators ``ref_A``/``ref_B``/``ref_C`` come from ``bench/baseline.py`` in the
shared folder (``--shared DIR``, default ``../shared`` next to the repository).
For each schema and each N the script times, in this one process:

1. ``generate(schema, N, seed=k)``, warm: a first call at 100 rows fills the
   schema compile cache and is reported separately as the compile cost;
2. the numpy reference ``ref_X(N, k)``;
3. pandera's ``schema.example(size=100)``, at 100 rows only and in a forked
   child that is killed after ``--pandera-timeout`` seconds.  One call draws
   about 10 frames through Hypothesis, so "per frame" is the call time / 10.
   pandera cannot generate a category column, so C is run as
   ``SCHEMA_C_STRSEG`` (``segment`` as str + isin).

Ours and the reference are interleaved within each N (alternating which goes
first) and the median of several repeats is reported: 50 at 100 rows down to 7
at 1M.  One frame of ours per (schema, N) is checked, untimed, with
``schema.validate(df, lazy=True)``.  The report (Markdown) goes to stdout,
progress to stderr.  Targets are reported as MET / NOT MET, never asserted.

Examples::

    python benchmarks/bench_core.py --quick
    python benchmarks/bench_core.py --sizes 100 1000 --schemas A C --json out.json
    python benchmarks/bench_core.py --no-pandera --generator mymod:generate

Importing ``baseline.py`` sets ``HYPOTHESIS_STORAGE_DIRECTORY`` (if unset) to a
temporary directory, so Hypothesis writes no ``.hypothesis/`` folder here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
import multiprocessing as mp
import os
import platform
import shlex
import signal
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
DEFAULT_GENERATOR = "pytest_synthdata:generate"

FULL_SIZES = [100, 1_000, 10_000, 100_000, 1_000_000]
QUICK_SIZES = [100, 10_000]
PANDERA_N = 100  # pandera's example() is only run at this size
FRAMES_PER_EXAMPLE = 10  # Hypothesis draws ~10 frames per example() call
WARM_SEED = 10_000  # seed of the untimed warm-up call, whose frame is validated

TARGET_RATIO_1M = 1.5  # ours / numpy ref at 1M rows, at most
TARGET_MS_100 = 5.0  # ours at 100 rows after compile, at most (ms)
TARGET_PANDERA_X = 100.0  # pandera per frame / ours at 100 rows, at least


# --------------------------------------------------------------------------------------
# Setup
# --------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help="shared folder holding bench/baseline.py (default: %(default)s)",
    )
    p.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        help="row counts to run (default: 100 1000 10000 100000 1000000)",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="only N = 100 and 10000 (overrides --sizes)",
    )
    p.add_argument(
        "--schemas",
        nargs="+",
        choices=["A", "B", "C"],
        default=["A", "B", "C"],
        help="schemas to run (default: all)",
    )
    p.add_argument(
        "--repeats",
        type=int,
        help="timed repeats per N for all sizes (default: 50 at 100 rows ... 7 at 1M)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds before one generate() call counts as TIMEOUT; larger N of "
        "that schema are then skipped (default: %(default)s)",
    )
    p.add_argument(
        "--pandera-timeout",
        type=float,
        default=60.0,
        help="seconds before one pandera example() call counts as TIMEOUT "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--pandera-calls",
        type=int,
        default=3,
        help="pandera example() calls per schema, fewer once they have used "
        "--pandera-budget seconds (default: %(default)s)",
    )
    p.add_argument(
        "--pandera-budget",
        type=float,
        default=30.0,
        help="seconds of pandera calls per schema after which no more are started "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--no-pandera", action="store_true", help="skip the pandera example() part"
    )
    p.add_argument(
        "--generator",
        default=DEFAULT_GENERATOR,
        help="generator under test as module:function, called as "
        "f(schema, rows, seed=k) (default: %(default)s)",
    )
    p.add_argument("--json", type=Path, help="also write the raw numbers to this file")
    args = p.parse_args(argv)
    if args.quick:
        args.sizes = QUICK_SIZES
    elif not args.sizes:
        args.sizes = FULL_SIZES
    args.sizes = sorted(set(args.sizes))
    if min(args.sizes) < 1:
        p.error("--sizes must be positive")
    if args.repeats is not None and args.repeats < 1:
        p.error("--repeats must be at least 1")
    return args


def load_baseline(shared: Path) -> Any:
    """Import ``bench/baseline.py`` from the shared folder by path."""
    path = shared / "bench" / "baseline.py"
    if not path.is_file():
        sys.exit(f"error: {path} not found; pass the shared folder with --shared DIR")
    spec = importlib.util.spec_from_file_location("synthdata_bench_baseline", path)
    if spec is None or spec.loader is None:
        sys.exit(f"error: cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    for name in ("SCHEMAS", "SCHEMA_C_STRSEG", "ref_A", "ref_B", "ref_C"):
        if not hasattr(module, name):
            sys.exit(f"error: {path} defines no {name!r}")
    return module


def load_generator(spec: str) -> Any:
    """Resolve ``module:function``."""
    mod_name, _, func_name = spec.partition(":")
    if not func_name:
        sys.exit(f"error: --generator must be module:function, got {spec!r}")
    try:
        return getattr(importlib.import_module(mod_name), func_name)
    except (ImportError, AttributeError) as exc:
        sys.exit(f"error: cannot load generator {spec!r}: {type(exc).__name__}: {exc}")


def repeats_for(n: int, override: int | None) -> int:
    """Timed repeats at ``n`` rows: many at small sizes, few at large ones."""
    if override is not None:
        return override
    for limit, reps in ((100, 50), (1_000, 30), (10_000, 15), (100_000, 7)):
        if n <= limit:
            return reps
    return 7  # the ratio that matters most: worth a steadier median


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def source_digest(func: Any) -> str | None:
    """Short sha256 of the .py files of the package defining ``func``.

    Identifies the code that was measured while it is not committed yet.
    """
    top = sys.modules[func.__module__].__name__.partition(".")[0]
    init = getattr(sys.modules.get(top), "__file__", None)
    if not init or Path(init).name != "__init__.py":
        return None
    h = hashlib.sha256()
    for path in sorted(Path(init).parent.rglob("*.py")):
        h.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def machine_info(generator: str) -> dict[str, Any]:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    dists = ("numpy", "pandas", "pandera", "hypothesis", "pyarrow", "pytest-synthdata")
    return {
        "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "command": " ".join(shlex.quote(a) for a in ["python", *sys.argv]),
        "nproc": os.cpu_count(),
        "nproc_usable": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "versions": {d: _version(d) for d in dists},
        "generator": generator,
    }


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# Timing ours and the reference
# --------------------------------------------------------------------------------------
class CallTimeout(BaseException):
    """One generate() call ran longer than --timeout.

    A ``BaseException``, so a broad ``except Exception`` in the generator cannot
    swallow it.
    """


def _on_alarm(signum: int, frame: Any) -> None:
    raise CallTimeout


def batch_for(n: int) -> int:
    """Back-to-back calls per timed sample: small calls are timed in batches."""
    return 20 if n <= 1_000 else (5 if n <= 10_000 else 1)


def timed(
    fn: Any, *args: Any, timeout: float | None = None, batch: int = 1, **kw: Any
) -> tuple:
    """``(seconds a call, result)`` of ``batch`` calls after a gc.collect().

    A call of a millisecond or less is dominated by cold caches right after
    the collection; a batch of back-to-back calls measures the steady cost a
    test suite sees. ``timeout`` covers the whole batch.
    """
    gc.collect()
    if timeout:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        t0 = time.perf_counter()
        for _ in range(batch):
            out = fn(*args, **kw)
        elapsed = (time.perf_counter() - t0) / batch
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return elapsed, out


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text if len(text) <= 300 else text[:297] + "..."


def check_frame(schema: Any, df: Any, n: int) -> tuple[bool, str | None]:
    """Validate one frame with pandera (lazy); ``(ok, reason)``."""
    import pandera.errors

    if len(df) != n:
        return False, f"{len(df)} rows instead of {n}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            schema.validate(df, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        pairs = fc[["column", "check"]].astype(str).drop_duplicates()
        shown = [f"{c}: {k}" for c, k in pairs.itertuples(index=False)][:6]
        more = f" (+{len(pairs) - 6} more)" if len(pairs) > 6 else ""
        return False, f"{len(fc)} failure cases; " + "; ".join(shown) + more
    except Exception as exc:  # a crash inside validation is a finding too
        return False, "validate raised " + _error_text(exc)
    return True, None


def _call_ours(
    gen: Any, schema: Any, n: int, seed: int, rec: dict, timeout: float, batch: int = 1
) -> tuple[float | None, Any]:
    """One timed sample of ours; a failure is recorded in ``rec`` as (None, None)."""
    try:
        return timed(gen, schema, n, seed=seed, timeout=timeout, batch=batch)
    except CallTimeout:
        rec.update(status="timeout", error=f"seed={seed}: call exceeded {timeout:g} s")
    except Exception as exc:
        rec.update(status="error", error=f"seed={seed}: {_error_text(exc)}")
    return None, None


def bench_size(
    schema: Any, ref: Any, gen: Any, n: int, args: argparse.Namespace
) -> dict[str, Any]:
    """Interleaved timings of ours and the reference at ``n`` rows.

    Once ours fails (error or timeout) only the reference keeps being timed.
    """
    reps = repeats_for(n, args.repeats)
    rec: dict[str, Any] = {"n": n, "repeats": reps, "ours_s": [], "ref_s": []}
    rec.update(status="ok", error=None, valid=None, invalid_reason=None)
    # Untimed warm-up of both at this size; the frame of ours is the validated one.
    rec["warmup_s"], df = _call_ours(gen, schema, n, WARM_SEED, rec, args.timeout)
    if rec["status"] == "ok":
        rec["valid"], rec["invalid_reason"] = check_frame(schema, df, n)
    del df
    ref(n, WARM_SEED)
    batch = rec["batch"] = batch_for(n)
    for i in range(reps):
        seed = i + 1
        for who in ("ours", "ref") if i % 2 == 0 else ("ref", "ours"):
            if who == "ref":
                rec["ref_s"].append(timed(ref, n, seed, batch=batch)[0])
            elif rec["status"] == "ok":
                t, _ = _call_ours(gen, schema, n, seed, rec, args.timeout, batch)
                if t is not None:
                    rec["ours_s"].append(t)
    return rec


def bench_schema(
    key: str, base: Any, gen: Any, args: argparse.Namespace
) -> dict[str, Any]:
    """Compile cost, then every size, for one schema."""
    schema = base.SCHEMAS[key]
    ref = getattr(base, f"ref_{key}")
    out: dict[str, Any] = {
        "schema": key,
        "name": schema.name,
        "ncols": len(schema.columns),
    }
    first: dict[str, Any] = {"status": "ok", "error": None}
    out["first_call_s"], _ = _call_ours(gen, schema, PANDERA_N, 0, first, args.timeout)
    out["first_call_error"] = first["error"]
    out["sizes"] = {}
    log(
        f"[{key}] first call ({PANDERA_N} rows): "
        + (
            f"FAILED: {first['error']}"
            if first["error"]
            else fmt_t(out["first_call_s"])
        )
    )
    skip_reason = None
    for n in args.sizes:
        if skip_reason:
            rec = {"n": n, "repeats": 0, "ours_s": [], "ref_s": [], "valid": None}
            rec.update(status="skipped", error=skip_reason)
            summarise(rec)
            out["sizes"][n] = rec
            continue
        rec = bench_size(schema, ref, gen, n, args)
        summarise(rec)
        out["sizes"][n] = rec
        mark = {True: "✓", False: "✗", None: "-"}[rec["valid"]]
        log(
            f"[{key}] n={n:,}: ours {fmt_t(rec['ours_med'])}"
            f"  ref {fmt_t(rec['ref_med'])}"
            f"  valid {mark}  ({len(rec['ours_s'])}/{rec['repeats']} repeats"
            + (f", {rec['status'].upper()}: {rec['error']})" if rec["error"] else ")")
        )
        if rec["status"] == "timeout":
            skip_reason = f"skipped after TIMEOUT at N={n:,}"
    return out


def summarise(rec: dict[str, Any]) -> None:
    """Add medians and ratios to a size record."""
    ours, ref = rec["ours_s"], rec["ref_s"]
    rec["ours_med"] = statistics.median(ours) if ours else None
    rec["ref_med"] = statistics.median(ref) if ref else None
    rec["ours_min"] = min(ours) if ours else None
    rec["ref_min"] = min(ref) if ref else None
    rec["ratio"] = (
        rec["ours_med"] / rec["ref_med"] if rec["ours_med"] and rec["ref_med"] else None
    )
    paired = [o / r for o, r in zip(ours, ref, strict=False) if r > 0]
    rec["paired_ratio_med"] = statistics.median(paired) if paired else None


# --------------------------------------------------------------------------------------
# pandera example(), in a forked child with a timeout
# --------------------------------------------------------------------------------------
def _pandera_child(schema: Any, n: int, calls: int, conn: Any) -> None:
    warnings.simplefilter("ignore")
    for _ in range(calls):
        try:
            t0 = time.perf_counter()
            schema.example(size=n)
            conn.send(("ok", time.perf_counter() - t0))
        except BaseException as exc:  # report anything, then stop
            conn.send(("error", _error_text(exc)))
            break
    conn.close()


def bench_pandera(schema: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Time ``schema.example(size=100)`` calls; kill the child on timeout."""
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_pandera_child, args=(schema, PANDERA_N, args.pandera_calls, send)
    )
    proc.start()
    send.close()
    rec: dict[str, Any] = {"n": PANDERA_N, "calls_s": [], "status": "ok", "error": None}
    try:
        for _ in range(args.pandera_calls):
            if not recv.poll(args.pandera_timeout):
                rec["status"] = "timeout"
                rec["error"] = f"call exceeded {args.pandera_timeout:g} s"
                break
            try:
                kind, value = recv.recv()
            except EOFError:
                rec.update(status="error", error="child exited without a result")
                break
            if kind == "error":
                rec.update(status="error", error=value)
                break
            rec["calls_s"].append(value)
            if sum(rec["calls_s"]) > args.pandera_budget:
                break
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()
    calls = rec["calls_s"]
    rec["per_call_med"] = statistics.median(calls) if calls else None
    rec["per_frame_med"] = rec["per_call_med"] / FRAMES_PER_EXAMPLE if calls else None
    if not calls and rec["status"] == "timeout":
        # Lower bound: the call was still running when it was killed.
        rec["per_frame_lower_bound"] = args.pandera_timeout / FRAMES_PER_EXAMPLE
    return rec


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------
def fmt_t(s: float | None) -> str:
    if s is None:
        return "-"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


def fmt_x(r: float | None) -> str:
    if r is None:
        return "-"
    return f"{r:,.0f}x" if r >= 100 else f"{r:.2f}x"


def pandera_cells(prec: dict | None, ours_100: float | None) -> tuple[str, str, Any]:
    """(per-frame cell, pandera/ours cell, ratio or lower bound) at 100 rows."""
    if prec is None:
        return "not run", "-", None
    if prec["per_frame_med"] is not None:
        ratio = prec["per_frame_med"] / ours_100 if ours_100 else None
        return fmt_t(prec["per_frame_med"]), fmt_x(ratio), ratio
    if prec.get("per_frame_lower_bound"):
        lb = prec["per_frame_lower_bound"]
        ratio = lb / ours_100 if ours_100 else None
        cell = "≥" + fmt_x(ratio) if ratio else "-"
        return f"TIMEOUT (≥ {fmt_t(lb)})", cell, ("≥", ratio)
    return f"ERROR ({prec['error']})", "-", None


def size_row(rec: dict[str, Any], pandera: tuple[str, str] | None) -> str:
    n = rec["n"]
    if rec["status"] == "skipped":
        ours = "skipped"
    elif rec["status"] in ("timeout", "error") and not rec["ours_s"]:
        ours = rec["status"].upper()
    else:
        ours = fmt_t(rec["ours_med"])
        if rec["status"] != "ok":
            ours += f" ({len(rec['ours_s'])} runs, then {rec['status'].upper()})"
    ref = fmt_t(rec.get("ref_med"))
    ratio = fmt_x(rec.get("ratio"))
    pf, px = pandera if pandera else (f"skipped (N > {PANDERA_N})", "-")
    valid = {True: "✓", False: "✗", None: "-"}[rec.get("valid")]
    return f"| {n:,} | {ours} | {ref} | {ratio} | {pf} | {px} | {valid} |"


def judge(value: Any, ok: bool | None) -> str:
    return f"{value} {'MET' if ok else 'NOT MET'}" if ok is not None else value


def _failed(rec: dict[str, Any]) -> str:
    """Table text for a size where ours produced no timing."""
    return rec["error"] if rec["status"] == "skipped" else rec["status"].upper()


def targets(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Per-schema ``(text, met)`` for the three targets (met None = not measured)."""
    rows = []
    big = max(doc["config"]["sizes"])
    for key, res in doc["schemas"].items():
        pr = doc["pandera"].get(key)
        r1m = res["sizes"].get(1_000_000)
        r100 = res["sizes"].get(PANDERA_N)
        ours_100 = r100["ours_med"] if r100 else None
        row: dict[str, Any] = {"schema": key}
        # 1. ours/ref <= 1.5 at 1M rows
        if r1m is None:
            row["ratio_1m"] = (f"not run (largest N = {big:,})", None)
        elif r1m["ratio"] is None:
            row["ratio_1m"] = (_failed(r1m), False)
        else:
            row["ratio_1m"] = (fmt_x(r1m["ratio"]), r1m["ratio"] <= TARGET_RATIO_1M)
        # 2. ours <= 5 ms at 100 rows, after compile
        if r100 is None:
            row["ms_100"] = ("not run", None)
        elif ours_100 is None:
            row["ms_100"] = (_failed(r100), False)
        else:
            row["ms_100"] = (fmt_t(ours_100), ours_100 * 1e3 <= TARGET_MS_100)
        # 3. pandera per frame / ours >= 100 at 100 rows
        _, cell, ratio = pandera_cells(pr, ours_100)
        if pr is None or r100 is None:
            row["pandera_x"] = ("not run", None)
        elif ours_100 is None:
            row["pandera_x"] = ("ours " + _failed(r100), False)
        elif ratio is None:
            row["pandera_x"] = (f"pandera {pr['status'].upper()}", None)
        elif isinstance(ratio, tuple):  # lower bound from a pandera timeout
            ok = True if ratio[1] >= TARGET_PANDERA_X else None
            row["pandera_x"] = (cell + " (pandera TIMEOUT)", ok)
        else:
            row["pandera_x"] = (cell, ratio >= TARGET_PANDERA_X)
        for field, rec in (("ratio_1m", r1m), ("ms_100", r100), ("pandera_x", r100)):
            if rec is not None and rec["valid"] is False:
                text, met = row[field]
                row[field] = (text + " (frames INVALID)", met)
        rows.append(row)
    return rows


def render(doc: dict[str, Any]) -> str:
    m = doc["machine"]
    v = ", ".join(f"{k} {val}" for k, val in m["versions"].items() if val)
    cfg = doc["config"]
    out = ["# pytest-synthdata core benchmark", ""]
    out.append(f"- Date: {m['date_utc']}")
    out.append(f"- Command: `{m['command']}`")
    out.append(
        f"- Machine: nproc {m['nproc']} ({m['nproc_usable']} usable), CPU {m['cpu']}, "
        f"{m['platform']}; load average at start {m['loadavg_start']}, "
        f"at end {m.get('loadavg_end')}"
    )
    out.append(f"- Python {m['python']}; {v}")
    digest = m.get("source_sha256")
    out.append(
        f"- Generator under test: `{m['generator']}`"
        + (f" (package source sha256 {digest})" if digest else "")
    )
    if digest != m.get("source_sha256_end"):
        out.append(
            "- WARNING: the package source changed during the run (sha256 at end "
            f"{m.get('source_sha256_end')}); modules imported late may be newer."
        )
    out.append(f"- Reference and schemas: `{cfg['baseline']}`")
    reps = ", ".join(f"{n:,}: {repeats_for(n, cfg['repeats'])}" for n in cfg["sizes"])
    batches = ", ".join(f"{n:,}: {batch_for(n)}" for n in cfg["sizes"])
    method = (
        f"- Method: median of interleaved repeats per N ({reps}), each after a "
        "gc.collect() and, up to 10,000 rows, a batch of back-to-back calls "
        f"divided by its size ({batches}); one untimed warm-up call of each per N "
        "first, whose frame of ours is validated (`schema.validate(df, "
        "lazy=True)`). "
    )
    if doc["pandera"]:
        method += (
            f"pandera `schema.example(size={PANDERA_N})` runs in a forked child, "
            f"calls: up to {cfg['pandera_calls']} (fewer after "
            f"{cfg['pandera_budget']:g} s), killed after {cfg['pandera_timeout']:g} s "
            f"(TIMEOUT); per frame = per call / {FRAMES_PER_EXAMPLE}."
        )
    else:
        method += f"pandera `example()` not run (--no-pandera or no N={PANDERA_N})."
    out.append(method)
    if doc.get("warmup_error"):
        out.append(f"- Package warm-up call failed: {doc['warmup_error']}")
    elif doc.get("warmup_s") is not None:
        out.append(
            "- Package warm-up (first ever call: 2 columns with in_range/isin, 10 "
            f"rows; pays one-off lazy imports): {fmt_t(doc['warmup_s'])}"
        )
    out.append("")
    for key, res in doc["schemas"].items():
        out.append(f"## Schema {key} ({res['name']}, {res['ncols']} columns)")
        out.append("")
        r100 = res["sizes"].get(PANDERA_N)
        if res["first_call_error"]:
            out.append(
                f"First call at {PANDERA_N} rows FAILED: {res['first_call_error']}"
            )
        else:
            line = (
                f"First call (compile + {PANDERA_N} rows): {fmt_t(res['first_call_s'])}"
            )
            if r100 and r100["ours_med"] is not None:
                compile_s = res["first_call_s"] - r100["ours_med"]
                line += (
                    f"; warm median at {PANDERA_N} rows {fmt_t(r100['ours_med'])}; "
                    f"compile ≈ {fmt_t(max(compile_s, 0.0))}"
                )
            out.append(line + ".")
        out.append("")
        out.append(
            "| N | ours | numpy ref | ours/ref | pandera per frame | pandera/ours "
            "| valid |"
        )
        out.append("|--:|--:|--:|--:|--:|--:|:-:|")
        prec = doc["pandera"].get(key)
        for n, rec in res["sizes"].items():
            pandera = None
            if n == PANDERA_N:
                ours_100 = rec.get("ours_med")
                pandera = pandera_cells(prec, ours_100)[:2]
            out.append(size_row(rec, pandera))
        out.append("")
        notes = []
        if prec is not None:
            what = "`SCHEMA_C_STRSEG`" if key == "C" else f"schema {key}"
            line = f"pandera `example(size={PANDERA_N})` on {what}: "
            if prec["calls_s"]:
                line += (
                    f"{fmt_t(prec['per_call_med'])} per call (median of "
                    f"{len(prec['calls_s'])}) = {fmt_t(prec['per_frame_med'])} per "
                    "frame"
                )
            else:
                line += f"{prec['status'].upper()}: {prec['error']}"
            if key == "C":
                line += (
                    " (C with `segment` as str + isin: pandera cannot generate the "
                    "category dtype, so it runs on a slightly different schema)"
                )
            notes.append(line + ".")
        for n, rec in res["sizes"].items():
            if rec.get("valid") is False:
                notes.append(f"N={n:,}: INVALID frame: {rec['invalid_reason']}")
            if rec["status"] in ("error", "timeout"):
                notes.append(
                    f"N={n:,}: generate() {rec['status'].upper()}: {rec['error']}"
                )
        out.extend(f"- {x}" for x in notes)
        if notes:
            out.append("")
    rows = targets(doc)
    out.append("## Targets")
    out.append("")
    keys = [r["schema"] for r in rows]
    out.append("| target | " + " | ".join(keys) + " | overall |")
    out.append("|---|" + "---|" * (len(keys) + 1))
    for field, label in (
        ("ratio_1m", f"ours/ref ≤ {TARGET_RATIO_1M} at 1M rows"),
        ("ms_100", f"ours ≤ {TARGET_MS_100:g} ms at 100 rows (after compile)"),
        ("pandera_x", f"pandera per frame / ours ≥ {TARGET_PANDERA_X:g} at 100 rows"),
    ):
        verdicts = [r[field][1] for r in rows]
        if any(x is False for x in verdicts):
            overall = "NOT MET"
        elif verdicts and all(x is True for x in verdicts):
            overall = "MET"
        else:
            overall = "not fully measured"
        cells = " | ".join(judge(*r[field]) for r in rows)
        out.append(f"| {label} | {cells} | **{overall}** |")
    out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------
def package_warmup(gen: Any) -> tuple[float | None, str | None]:
    """First-ever call on a tiny throwaway schema, so lazy imports leave compile."""
    import pandera.pandas as pa

    tiny = pa.DataFrameSchema(
        {
            "x": pa.Column("int64", pa.Check.in_range(0, 9)),
            "s": pa.Column(str, pa.Check.isin(["a", "b"])),
        },
        name="warmup",
    )
    rec: dict[str, Any] = {"status": "ok", "error": None}
    return _call_ours(gen, tiny, 10, 0, rec, 60.0)[0], rec["error"]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    base = load_baseline(args.shared)
    gen = load_generator(args.generator)
    signal.signal(signal.SIGALRM, _on_alarm)
    doc: dict[str, Any] = {
        "machine": {
            **machine_info(args.generator),
            "source_sha256": source_digest(gen),
        },
        "config": {
            "sizes": args.sizes,
            "schemas": args.schemas,
            "repeats": args.repeats,
            "repeats_used": {n: repeats_for(n, args.repeats) for n in args.sizes},
            "timeout_s": args.timeout,
            "pandera_timeout": args.pandera_timeout,
            "pandera_calls": args.pandera_calls,
            "pandera_budget": args.pandera_budget,
            "baseline": str(args.shared / "bench" / "baseline.py"),
        },
        "schemas": {},
        "pandera": {},
    }
    log(f"sizes {args.sizes}, schemas {args.schemas}, generator {args.generator}")
    doc["warmup_s"], doc["warmup_error"] = package_warmup(gen)
    for key in args.schemas:
        doc["schemas"][key] = bench_schema(key, base, gen, args)
    if not args.no_pandera and PANDERA_N in args.sizes:
        for key in args.schemas:
            schema = base.SCHEMA_C_STRSEG if key == "C" else base.SCHEMAS[key]
            log(f"[{key}] pandera example(size={PANDERA_N}) ...")
            doc["pandera"][key] = rec = bench_pandera(schema, args)
            log(
                f"[{key}] pandera: {rec['status']}, calls "
                + ", ".join(fmt_t(t) for t in rec["calls_s"])
            )
    doc["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    doc["machine"]["source_sha256_end"] = source_digest(gen)
    doc["targets"] = {
        r["schema"]: {
            k: {"value": v[0], "met": v[1]} for k, v in r.items() if k != "schema"
        }
        for r in targets(doc)
    }
    print(render(doc), flush=True)
    if args.json:
        args.json.write_text(json.dumps(doc, indent=1, default=str) + "\n")
        log(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
