"""Related tables: keys between schemas, cardinality, children after parents."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from pytest_synthdata import generate, provenance
from pytest_synthdata.errors import (
    ChecksUnmetError,
    InvalidArgumentError,
    InvalidShapeError,
)

from .conftest import ks_bound


def meta(**shape):
    return {"synthdata": shape}


class Members(pa.DataFrameModel):
    member_id: str = pa.Field(str_matches=r"^M\d{6}$", unique=True)
    enrolled_on: dt.datetime = pa.Field(
        ge=dt.datetime(2015, 1, 1), le=dt.datetime(2024, 12, 31)
    )
    plan: str = pa.Field(isin=["gold", "silver", "bronze"])


class Claims(pa.DataFrameModel):
    claim_id: str = pa.Field(str_matches=r"^C\d{8}$", unique=True)
    member_id: str = pa.Field(
        str_matches=r"^M\d{6}$",
        metadata=meta(
            references="members.member_id",
            per_parent={"dist": "poisson", "lam": 3},
        ),
    )
    service_at: dt.datetime = pa.Field(
        le=dt.datetime(2035, 1, 1),
        metadata=meta(
            after_parent={
                "column": "members.enrolled_on",
                "gap": {"dist": "exponential", "scale": 90, "unit": "D"},
            }
        ),
    )
    amount: float = pa.Field(gt=0)


class Lines(pa.DataFrameModel):
    claim_id: str = pa.Field(
        nullable=True,
        metadata=meta(
            references="claims.claim_id",
            per_parent={"weights": {1: 0.5, 2: 0.3, 3: 0.2}},
            optional=0.1,
        ),
    )
    code: str = pa.Field(isin=["A", "B", "C"])


TABLES = {"members": Members, "claims": Claims, "lines": Lines}


@pytest.mark.parametrize(("seed", "members"), [(1, 10), (2, 500), (3, 3000)])
def test_every_key_points_at_an_existing_unique_parent(seed, members, exact):
    t = generate(TABLES, {"members": members}, seed=seed)
    m, c, lines = t["members"], t["claims"], t["lines"]
    exact(Members, m, members)
    exact(Claims, c)
    exact(Lines, lines)
    assert m["member_id"].is_unique
    assert c["claim_id"].is_unique
    assert c["member_id"].isin(m["member_id"]).all()
    assert lines["claim_id"].dropna().isin(c["claim_id"]).all()


def test_poisson_children_per_parent():
    t = generate(TABLES, {"members": 20_000}, seed=4)
    counts = (
        t["claims"]["member_id"]
        .value_counts()
        .reindex(t["members"]["member_id"], fill_value=0)
    )
    n = len(counts)
    assert abs(counts.mean() - 3) < 5 * math.sqrt(3 / n)
    assert abs(counts.var() - 3) < 0.15  # Poisson: variance = mean
    assert abs((counts == 0).mean() - math.exp(-3)) < 5 * math.sqrt(0.05 / n)


def test_weighted_children_per_parent_and_orphans():
    t = generate(TABLES, {"members": 3000}, seed=5)
    lines, claims = t["lines"], t["claims"]
    parented = lines["claim_id"].dropna()
    counts = parented.value_counts().reindex(claims["claim_id"], fill_value=0)
    share = counts.value_counts(normalize=True)
    n = len(counts)
    for k, p in {1: 0.5, 2: 0.3, 3: 0.2}.items():
        assert abs(share.get(k, 0) - p) < 5 * math.sqrt(p * (1 - p) / n)
    assert lines["claim_id"].isna().mean() == pytest.approx(0.1, abs=1e-3)


def test_children_come_after_their_parent_by_the_declared_gap():
    t = generate(TABLES, {"members": 5000}, seed=6)
    joined = t["claims"].merge(t["members"], on="member_id")
    gap_days = (joined["service_at"] - joined["enrolled_on"]).dt.total_seconds() / 86400
    assert (gap_days >= 0).all()
    from scipy import stats

    ks = stats.kstest(gap_days, "expon", args=(0, 90)).statistic
    assert ks < ks_bound(len(gap_days))


def test_a_gap_beyond_the_childs_bound_is_drawn_again():
    class Visits(pa.DataFrameModel):
        member_id: str = pa.Field(
            metadata=meta(references="members.member_id", per_parent=2)
        )
        seen_at: dt.datetime = pa.Field(
            le=dt.datetime(2025, 3, 1),
            metadata=meta(
                after_parent={
                    "column": "members.enrolled_on",
                    "gap": {"dist": "exponential", "scale": 60, "unit": "D"},
                }
            ),
        )

    t = generate({"members": Members, "visits": Visits}, {"members": 2000}, seed=1)
    joined = t["visits"].merge(t["members"], on="member_id")
    assert (joined["seen_at"] >= joined["enrolled_on"]).all()
    assert (joined["seen_at"] <= pd.Timestamp("2025-03-01")).all()
    assert len(t["visits"]) == 4000  # a fixed count per parent


def test_an_impossible_gap_is_an_error_naming_the_column():
    class Late(pa.DataFrameModel):
        member_id: str = pa.Field(
            metadata=meta(references="members.member_id", per_parent=1)
        )
        at: dt.datetime = pa.Field(
            le=dt.datetime(2015, 1, 1),  # before every enrolment
            metadata=meta(
                after_parent={
                    "column": "members.enrolled_on",
                    "gap": {"dist": "exponential", "scale": 1, "unit": "D"},
                }
            ),
        )

    with pytest.raises(ChecksUnmetError, match=r"'at'.*every gap drawn"):
        generate({"members": Members, "late": Late}, {"members": 50}, seed=1)


def test_dates_and_numbers_follow_their_parents_too():
    class Parent(pa.DataFrameModel):
        pid: int = pa.Field(unique=True, ge=0)
        opened: pd.Timestamp = pa.Field()
        level: float = pa.Field(in_range={"min_value": 0, "max_value": 10})

    class Child(pa.DataFrameModel):
        pid: int = pa.Field(ge=0, metadata=meta(references="parent.pid", per_parent=3))
        score: float = pa.Field(
            metadata=meta(
                after_parent={
                    "column": "parent.level",
                    "gap": {"dist": "exponential", "scale": 2},
                }
            )
        )

    t = generate({"parent": Parent, "child": Child}, {"parent": 400}, seed=2)
    joined = t["child"].merge(t["parent"], on="pid")
    assert (joined["score"] >= joined["level"]).all()


def test_unsized_children_pick_parents_at_random():
    class Events(pa.DataFrameModel):
        member_id: str = pa.Field(metadata=meta(references="members.member_id"))
        kind: str = pa.Field(isin=["call", "visit"])

    t = generate(
        {"members": Members, "events": Events}, {"members": 50, "events": 5000}
    )
    events = t["events"]
    assert len(events) == 5000
    assert events["member_id"].isin(t["members"]["member_id"]).all()
    assert events["member_id"].nunique() == 50  # all parents reached


def test_one_to_one_keys_stay_unique():
    class Cards(pa.DataFrameModel):
        member_id: str = pa.Field(
            unique=True,
            metadata=meta(
                references="members.member_id",
                per_parent={"weights": {0: 0.3, 1: 0.7}},
            ),
        )

    t = generate({"members": Members, "cards": Cards}, {"members": 2000}, seed=3)
    assert t["cards"]["member_id"].is_unique
    assert len(t["cards"]) == pytest.approx(1400, abs=5 * math.sqrt(2000 * 0.21))

    class Many(Cards):
        member_id: str = pa.Field(
            unique=True, metadata=meta(references="members.member_id", per_parent=2)
        )

    with pytest.raises(InvalidShapeError, match="at most one child"):
        generate({"members": Members, "cards": Many}, {"members": 20}, seed=3)


def test_the_same_seed_gives_the_same_tables_and_parents_ignore_children():
    a = generate(TABLES, {"members": 300}, seed=9)
    b = generate(TABLES, {"members": 300}, seed=9)
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name])
    alone = generate({"members": Members}, {"members": 300}, seed=9)
    pd.testing.assert_frame_equal(alone["members"], a["members"])
    record = provenance(a["claims"])
    assert record["table"] == "claims"
    assert record["tables_seed"] == 9
    assert record["keys"] == ["member_id -> members.member_id"]


def test_rows_may_be_one_int_for_every_unsized_table():
    t = generate(TABLES, 40, seed=1)
    assert len(t["members"]) == 40


def test_polars_tables_are_related_too():
    pl = pytest.importorskip("polars")
    pap = pytest.importorskip("pandera.polars")

    parent = pap.DataFrameSchema(
        {"pid": pap.Column(pl.Int64, pap.Check.ge(0), unique=True)}
    )
    child = pap.DataFrameSchema(
        {
            "pid": pap.Column(
                pl.Int64,
                pap.Check.ge(0),
                metadata=meta(references="parent.pid", per_parent=2),
            ),
            "v": pap.Column(pl.Float64),
        }
    )
    t = generate({"parent": parent, "child": child}, {"parent": 100}, seed=1)
    assert isinstance(t["child"], pl.DataFrame)
    assert t["child"].height == 200
    assert t["child"]["pid"].is_in(t["parent"]["pid"].implode()).all()


def _schema(**columns):
    return pa.DataFrameSchema(columns)


PARENT = _schema(pid=pa.Column(int, pa.Check.ge(0), unique=True))


@pytest.mark.parametrize(
    ("tables", "rows", "message"),
    [
        (
            {"c": _schema(pid=pa.Column(int, metadata=meta(references="nope.pid")))},
            {"c": 5},
            "no table 'nope'",
        ),
        (
            {
                "p": PARENT,
                "c": _schema(pid=pa.Column(int, metadata=meta(references="p.other"))),
            },
            {"p": 5, "c": 5},
            "has no column 'other'",
        ),
        (
            {
                "p": _schema(pid=pa.Column(int)),
                "c": _schema(pid=pa.Column(int, metadata=meta(references="p.pid"))),
            },
            {"p": 5, "c": 5},
            "not unique",
        ),
        (
            {
                "a": _schema(
                    k=pa.Column(int, unique=True),
                    b=pa.Column(int, metadata=meta(references="b.k")),
                ),
                "b": _schema(
                    k=pa.Column(int, unique=True),
                    a=pa.Column(int, metadata=meta(references="a.k")),
                ),
            },
            5,
            "cycle",
        ),
        (
            {
                "p": PARENT,
                "c": _schema(
                    pid=pa.Column(int, metadata=meta(references="p.pid", per_parent=-1))
                ),
            },
            {"p": 5},
            "must not be negative",
        ),
        (
            {
                "p": PARENT,
                "c": _schema(
                    pid=pa.Column(
                        int,
                        metadata=meta(references="p.pid", per_parent={"dist": "zipf"}),
                    )
                ),
            },
            {"p": 5},
            "use a count",
        ),
        (
            {
                "p": PARENT,
                "c": _schema(
                    pid=pa.Column(int, metadata=meta(references="p.pid", optional=0.2))
                ),
            },
            {"p": 5, "c": 5},
            "make the column nullable",
        ),
        (
            {
                "p": PARENT,
                "c": _schema(pid=pa.Column(int, metadata=meta(optional=0.2))),
            },
            {"p": 5, "c": 5},
            "add references",
        ),
        (
            {
                "p": _schema(
                    pid=pa.Column(str, pa.Check.str_matches(r"^P\d{4}$"), unique=True)
                ),
                "c": _schema(
                    pid=pa.Column(int, metadata=meta(references="p.pid", per_parent=1))
                ),
            },
            {"p": 5},
            "same dtype",
        ),
        (
            {
                "p": PARENT,
                "c": _schema(
                    pid=pa.Column(
                        int,
                        pa.Check.lt(0),
                        metadata=meta(references="p.pid", per_parent=1),
                    )
                ),
            },
            {"p": 5},
            "fail its checks",
        ),
        (
            {
                "p": PARENT,
                "c": _schema(
                    pid=pa.Column(int, metadata=meta(references="p.pid", per_parent=1)),
                    x=pa.Column(float, metadata=meta(after_parent="p.pid")),
                ),
            },
            {"p": 5},
            "after_parent must be a dict",
        ),
    ],
)
def test_bad_declarations_are_refused_by_table_and_column(tables, rows, message):
    with pytest.raises(InvalidShapeError, match=message):
        generate(tables, rows, seed=1)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({}, "give its rows"),
        ({"members": 5, "claims": 5}, "do not give its rows"),
    ],
)
def test_row_counts_are_asked_for_where_needed(rows, message):
    with pytest.raises(InvalidArgumentError, match=message):
        generate(TABLES, rows, seed=1)


def test_the_marker_and_factory_hand_over_related_tables(pytester):
    pytester.makepyfile(
        """
        import pandera.pandas as pa
        import pytest

        class Parent(pa.DataFrameModel):
            pid: int = pa.Field(ge=0, unique=True)

        class Child(pa.DataFrameModel):
            pid: int = pa.Field(
                ge=0,
                metadata={"synthdata": {"references": "parent.pid", "per_parent": 2}},
            )

        TABLES = {"parent": Parent, "child": Child}

        @pytest.mark.synthdata(TABLES, rows={"parent": 30})
        def test_marker(synth_df):
            assert len(synth_df["child"]) == 60
            assert synth_df["child"]["pid"].isin(synth_df["parent"]["pid"]).all()

        def test_factory(synth_factory):
            tables = synth_factory(TABLES, rows={"parent": 4})
            assert len(tables["child"]) == 8
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(20))
def test_cardinality_and_integrity_across_seeds(seed):
    t = generate(TABLES, {"members": 2000}, seed=100 + seed)
    m, c = t["members"], t["claims"]
    assert c["member_id"].isin(m["member_id"]).all()
    counts = c["member_id"].value_counts().reindex(m["member_id"], fill_value=0)
    assert abs(counts.mean() - 3) < 5 * math.sqrt(3 / len(counts))
    gaps = (c.merge(m, on="member_id").eval("service_at - enrolled_on")).dt.days
    assert (gaps >= 0).all()
    assert np.isfinite(gaps).all()


def test_register_makes_a_fixture_of_related_tables(pytester):
    pytester.makeconftest(
        """
        import pandera.pandas as pa
        from pytest_synthdata import register

        class Parent(pa.DataFrameModel):
            pid: int = pa.Field(ge=0, unique=True)

        class Child(pa.DataFrameModel):
            pid: int = pa.Field(
                ge=0,
                metadata={"synthdata": {"references": "parent.pid", "per_parent": 3}},
            )

        family = register(
            {"parent": Parent, "child": Child},
            name="family",
            rows={"parent": 10},
            scope="module",
        )
        """
    )
    pytester.makepyfile(
        """
        def test_family(family):
            assert len(family["parent"]) == 10
            assert len(family["child"]) == 30

        def test_same_tables_for_the_module(family):
            assert family["child"]["pid"].isin(family["parent"]["pid"]).all()
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_failing_tests_save_their_related_tables(pytester):
    pytester.makepyfile(
        """
        import pandera.pandas as pa
        import pytest

        class Parent(pa.DataFrameModel):
            pid: int = pa.Field(ge=0, unique=True)

        class Child(pa.DataFrameModel):
            pid: int = pa.Field(
                ge=0,
                metadata={"synthdata": {"references": "parent.pid", "per_parent": 2}},
            )

        @pytest.mark.synthdata({"parent": Parent, "child": Child}, rows={"parent": 5})
        def test_fails(synth_df):
            assert len(synth_df["child"]) == 0
        """
    )
    result = pytester.runpytest("-p", "no:randomly", "--synthdata-save=saved")
    result.assert_outcomes(failed=1)
    saved = sorted(p.name for p in (pytester.path / "saved").rglob("*.parquet"))
    assert len(saved) == 2
    assert any("parent" in name for name in saved)
    assert any("child" in name for name in saved)


@pytest.mark.parametrize(
    ("child_column", "message"),
    [
        (
            pa.Column(
                str,
                metadata=meta(
                    after_parent={
                        "column": "members.enrolled_on",
                        "gap": {"dist": "exponential", "scale": 1, "unit": "D"},
                    }
                ),
            ),
            "both must be numbers, or both dates or times",
        ),
        (
            pa.Column(
                float,
                metadata=meta(
                    after_parent={
                        "column": "members.score",
                        "gap": {"dist": "exponential", "scale": 1, "unit": "D"},
                    }
                ),
            ),
            "drop unit='D'",
        ),
        (
            pa.Column(
                float,
                metadata=meta(
                    after_parent={"colum": "members.score", "gap": {"dist": "uniform"}}
                ),
            ),
            r"unknown keys \['colum'\]",
        ),
    ],
)
def test_after_parent_mistakes_are_named(child_column, message):
    parent = pa.DataFrameSchema(
        {
            "member_id": pa.Column(int, pa.Check.ge(0), unique=True),
            "enrolled_on": pa.Column("datetime64[ns]"),
            "score": pa.Column(float),
        }
    )
    child = pa.DataFrameSchema(
        {
            "member_id": pa.Column(
                int,
                pa.Check.ge(0),
                metadata=meta(references="members.member_id", per_parent=1),
            ),
            "x": child_column,
        }
    )
    with pytest.raises(InvalidShapeError, match=message):
        generate({"members": parent, "child": child}, {"members": 5}, seed=1)


def test_rows_naming_no_table_and_huge_fan_outs_are_refused():
    from pytest_synthdata.errors import InfeasibleRequestError

    with pytest.raises(InvalidArgumentError, match="not among the tables"):
        generate(TABLES, {"members": 5, "memberz": 3}, seed=1)
    parent = pa.DataFrameSchema({"p": pa.Column(int, pa.Check.ge(0), unique=True)})
    child = pa.DataFrameSchema(
        {
            "p": pa.Column(
                int,
                pa.Check.ge(0),
                metadata=meta(references="parent.p", per_parent=10**9),
            )
        }
    )
    with pytest.raises(InfeasibleRequestError, match="per_parent"):
        generate({"parent": parent, "child": child}, {"parent": 50}, seed=1)
