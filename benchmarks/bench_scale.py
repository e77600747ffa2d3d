"""Scale: rows per second and peak memory writing data sets, and Dask.

    python benchmarks/bench_scale.py            # 1e6, 1e7, 1e8 rows; Dask at 1e7
    python benchmarks/bench_scale.py --quick    # 1e6 and 1e7 only

The schema is the core benchmark's schema A (six columns: int, float,
category text, bool, datetime, nullable float; ``../shared/bench``) with a
unique int64 key column added. Each write runs in a fresh process, which
reports its own peak resident set size (``ru_maxrss``), so one size's memory
does not hide another's. The Dask part compares one process iterating
``generate_chunks`` with a local ``dask.distributed`` cluster of two worker
processes (one thread each) computing the same rows from ``generate_dask``;
both reduce the rows to per-column sums, so no whole frame is held. The
cluster's time includes each worker's first task, which compiles the schema.
The same partitions are also made by a plain pool of two processes
(``multiprocessing``), to tell what two cores give the work from what the
cluster costs around it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "bench"

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {shared!r})
from baseline import SCHEMAS
import pandera.pandas as pa
from pytest_synthdata import write_dataset

schema = SCHEMAS["A"].add_columns(
    {{"key": pa.Column("int64", pa.Check.ge(0), unique=True)}}
)
start = time.perf_counter()
record = write_dataset(
    schema, {rows}, {out!r}, format={fmt!r}, seed=1, chunk_rows={chunk}
)
seconds = time.perf_counter() - start
print(json.dumps({{
    "seconds": seconds,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "files": len(record["files"]),
}}))
"""


def write_run(rows: int, fmt: str, chunk: int, workdir: Path) -> dict:
    out = workdir / f"out-{rows}-{fmt}"
    code = CHILD.format(
        shared=str(SHARED), rows=rows, out=str(out), fmt=fmt, chunk=chunk
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    shutil.rmtree(out, ignore_errors=True)
    result.update(rows=rows, format=fmt, bytes=size)
    return result


def _warm(*_):
    import pytest_synthdata._chunked
    import pytest_synthdata._dask  # noqa: F401


def _pool_sums(make, number, numbers):
    return make(number)[numbers].sum()


def dask_runs(rows: int, partition: int) -> dict:
    sys.path.insert(0, str(SHARED))
    import dask
    import pandera.pandas as pa
    from baseline import SCHEMAS
    from distributed import Client, LocalCluster

    from pytest_synthdata import generate_chunks, generate_dask

    schema = SCHEMAS["A"].add_columns(
        {"key": pa.Column("int64", pa.Check.ge(0), unique=True)}
    )
    numbers = ["a_int", "b_float", "f_nullable", "key"]

    import resource

    def cpu() -> float:
        use = resource.getrusage(resource.RUSAGE_SELF)
        return use.ru_utime + use.ru_stime

    start, cpu_start = time.perf_counter(), cpu()
    total = None
    for frame in generate_chunks(schema, rows, partition, seed=1):
        sums = frame[numbers].sum()
        total = sums if total is None else total + sums
    one = time.perf_counter() - start
    one_cpu = cpu() - cpu_start

    # The same partitions in a plain pool of two processes: what the work
    # itself gains from two cores, without a cluster around it. Both pools
    # have imported the package before the clock starts; both compile the
    # schema in each process within the timed run.
    import multiprocessing

    from pytest_synthdata._dask import _Partition

    make = _Partition(schema, rows, partition, seed=1)
    count = -(-rows // partition)
    context = multiprocessing.get_context("spawn")
    with context.Pool(2, initializer=_warm) as pool:
        pool.map(_warm, range(2), chunksize=1)
        start = time.perf_counter()
        parts = pool.starmap(_pool_sums, [(make, i, numbers) for i in range(count)])
        pooled = time.perf_counter() - start

    # dask.distributed starts its workers with MALLOC_TRIM_THRESHOLD_=65536
    # (and leaves it in this process's environment): glibc then maps and
    # unmaps every large array afresh. Measured both with that default and
    # without it.
    env = dict(dask.config.get("distributed.nanny.pre-spawn-environ"))
    untrimmed = {k: v for k, v in env.items() if k != "MALLOC_TRIM_THRESHOLD_"}
    two = {}
    saved = dict(os.environ)
    for label, spawn_env in (("default", env), ("untrimmed", untrimmed)):
        settings = {
            "dataframe.convert-string": False,
            "distributed.nanny.pre-spawn-environ": spawn_env,
        }
        with dask.config.set(settings):
            with (
                LocalCluster(
                    n_workers=2,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=50,
                ) as cluster,
                Client(cluster) as client,
            ):
                client.run(_warm)
                start = time.perf_counter()
                ddf = generate_dask(schema, rows, partition, seed=1)
                got = client.compute(ddf[numbers].sum()).result()
                two[label] = time.perf_counter() - start
        os.environ.clear()
        os.environ.update(saved)
    pool_total = sum(parts[1:], parts[0])
    same = all(
        bool(((other - total).abs() <= 1e-6 * total.abs().clip(lower=1)).all())
        for other in (got, pool_total)
    )
    return {
        "rows": rows,
        "one_process": one,
        "one_cpu": one_cpu,
        "two_workers": two["default"],
        "two_untrimmed": two["untrimmed"],
        "pool": pooled,
        "same_sums": same,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip 1e8")
    parser.add_argument("--dask-only", action="store_true", help="skip the writes")
    args = parser.parse_args()
    import numpy
    import pandas
    import pyarrow

    import pytest_synthdata

    sizes = [10**6, 10**7] if args.quick else [10**6, 10**7, 10**8]
    print("# pytest-synthdata scale benchmark\n")
    print(f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(
        f"- Command: `python benchmarks/bench_scale.py{' --quick' if args.quick else ''}`"
    )
    print(
        f"- Machine: {os.cpu_count()} cores, {platform.platform()}; Python "
        f"{platform.python_version()}, numpy {numpy.__version__}, pandas "
        f"{pandas.__version__}, pyarrow {pyarrow.__version__}, pytest-synthdata "
        f"{pytest_synthdata.__version__}"
    )
    print(
        "- Schema: A_simple (6 columns) plus a unique int64 key; chunks of "
        "1,000,000 rows (one Parquet row group each); part files of 10,000,000 "
        "rows\n"
    )
    print("## Writing data sets (one fresh process per row)\n")
    print("| rows | format | seconds | rows/s | peak RSS | on disk | files |")
    print("|--:|:--|--:|--:|--:|--:|--:|")
    with tempfile.TemporaryDirectory(prefix="bench_scale-") as tmp:
        runs = [(n, "parquet") for n in sizes] + [(10**7, "csv")]
        if args.dask_only:
            runs = []
        for rows, fmt in runs:
            r = write_run(rows, fmt, 1_000_000, Path(tmp))
            print(
                f"| {rows:,} | {fmt} | {r['seconds']:.1f} | "
                f"{rows / r['seconds']:,.0f} | {r['peak_rss_mib']:,.0f} MiB | "
                f"{r['bytes'] / 2**20:,.0f} MiB | {r['files']} |",
                flush=True,
            )
    print("\n## Dask: two local workers against one process\n")
    dask_sizes = [10**7] if args.quick else [10**7, 10**8]
    print(
        "| rows | one process (generate_chunks) | two plain processes | two Dask "
        "workers, default settings | two Dask workers, no malloc trim threshold "
        "| same sums |"
    )
    print("|--:|--:|--:|--:|--:|:-:|")
    for rows in dask_sizes:
        d = dask_runs(rows, 1 << 20)
        one = d["one_process"]
        print(
            f"| {d['rows']:,} | {one:.1f} s (CPU {d['one_cpu']:.1f} s) | "
            f"{d['pool']:.1f} s ({one / d['pool']:.2f}x) | "
            f"{d['two_workers']:.1f} s ({one / d['two_workers']:.2f}x) | "
            f"{d['two_untrimmed']:.1f} s ({one / d['two_untrimmed']:.2f}x) | "
            f"{'yes' if d['same_sums'] else 'NO'} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
