"""Related tables against the same tables built flat.

    python benchmarks/bench_related.py

Three tables: providers (1,000 rows), members (100,000) and claims, each
member with Poisson(10) claims (about a million), each claim naming a member
(the key that sizes it), a provider picked at random, and a service date
after the member's enrolment (an exponential gap). "Flat" generates the same
three schemas with the same row counts but without the keys, each table
alone, which is what a test would do without related tables. Median of
three runs each, after one warm-up; the ratio is related over flat.
"""

from __future__ import annotations

import datetime as dt
import platform
import statistics
import time

import pandera.pandas as pa

from pytest_synthdata import generate

FK = "synthdata"


def schemas(related: bool) -> dict[str, object]:
    def meta(**shape):
        return {FK: shape} if related else None

    providers = pa.DataFrameSchema(
        {
            "provider_id": pa.Column(
                str, pa.Check.str_matches(r"^P\d{5}$"), unique=True
            ),
            "specialty": pa.Column(str, pa.Check.isin(["GP", "ORTHO", "CARDIO"])),
        }
    )
    members = pa.DataFrameSchema(
        {
            "member_id": pa.Column(str, pa.Check.str_matches(r"^M\d{7}$"), unique=True),
            "enrolled_on": pa.Column(
                "datetime64[ns]",
                pa.Check.in_range(dt.datetime(2018, 1, 1), dt.datetime(2024, 1, 1)),
            ),
            "plan": pa.Column(str, pa.Check.isin(["HMO", "PPO"])),
        }
    )
    claims = pa.DataFrameSchema(
        {
            "claim_id": pa.Column("int64", pa.Check.ge(0), unique=True),
            "member_id": pa.Column(
                str,
                pa.Check.str_matches(r"^M\d{7}$"),
                metadata=meta(
                    references="members.member_id",
                    per_parent={"dist": "poisson", "lam": 10},
                ),
            ),
            "provider_id": pa.Column(
                str,
                pa.Check.str_matches(r"^P\d{5}$"),
                metadata=meta(references="providers.provider_id"),
            ),
            "service_at": pa.Column(
                "datetime64[ns]",
                pa.Check.le(dt.datetime(2030, 1, 1)),
                metadata=meta(
                    after_parent={
                        "column": "members.enrolled_on",
                        "gap": {"dist": "exponential", "scale": 180, "unit": "D"},
                    }
                ),
            ),
            "amount": pa.Column(float, pa.Check.gt(0)),
        }
    )
    return {"providers": providers, "members": members, "claims": claims}


def run_related(seed: int) -> dict[str, int]:
    tables = generate(
        schemas(True), {"providers": 1_000, "members": 100_000}, seed=seed
    )
    return {name: len(frame) for name, frame in tables.items()}


def run_flat(seed: int, rows: dict[str, int]) -> None:
    for name, schema in schemas(False).items():
        generate(schema, rows[name], seed=seed)


def main() -> None:
    rows = run_related(0)  # warm-up, and the row counts flat must match
    run_flat(0, rows)
    related, flat = [], []
    for seed in (1, 2, 3):
        start = time.perf_counter()
        rows = run_related(seed)
        related.append(time.perf_counter() - start)
        start = time.perf_counter()
        run_flat(seed, rows)
        flat.append(time.perf_counter() - start)
    r, f = statistics.median(related), statistics.median(flat)
    print("# Related tables against flat tables\n")
    print(f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"- Python {platform.python_version()}, {platform.platform()}")
    print(
        f"- Rows (last run): providers {rows['providers']:,}, members "
        f"{rows['members']:,}, claims {rows['claims']:,}\n"
    )
    print("| tables | median of 3 | ratio |")
    print("|:--|--:|--:|")
    print(f"| flat (each table alone, no keys) | {f:.2f} s | 1.00 |")
    print(f"| related (keys, per_parent, after_parent) | {r:.2f} s | {r / f:.2f} |")


if __name__ == "__main__":
    main()
