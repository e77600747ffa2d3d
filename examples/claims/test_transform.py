"""Tests of ``summarise_member_costs`` on synthetic claims made from the schema.

``@pytest.mark.synthdata(Claims, rows=N, seed=S)`` asks the plugin for an N-row
frame that validates against ``Claims``; the ``synth_df`` fixture hands it over.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from examples.claims.schemas import Claims, MemberCostSummary
from examples.claims.transform import GROUP_KEYS, summarise_member_costs
from pytest_synthdata import generate


def concentrate_members(claims: pd.DataFrame, n_members: int) -> pd.DataFrame:
    """Reassign the claims to a few members, so every member has several claims.

    Random ids drawn from the member-id pattern almost never repeat; a real feed
    has many claims per member, and the aggregation is only exercised if groups
    hold more than one row. The result still validates against ``Claims``.
    """
    member_ids = [f"MBR{i % n_members:07d}" for i in range(len(claims))]
    return Claims.validate(claims.assign(member_id=member_ids))


@pytest.fixture
def dense_claims(synth_df: pd.DataFrame) -> pd.DataFrame:
    return concentrate_members(synth_df, n_members=7)


@pytest.mark.synthdata(Claims, rows=300, seed=20240101)
def test_output_validates_against_summary_schema(dense_claims):
    summary = summarise_member_costs(dense_claims)

    MemberCostSummary.validate(summary)
    assert len(summary) > 0
    assert isinstance(summary.index, pd.RangeIndex)


@pytest.mark.synthdata(Claims, rows=300, seed=7)
def test_totals_are_preserved(dense_claims):
    summary = summarise_member_costs(dense_claims)

    assert summary["n_claims"].sum() == len(dense_claims)
    assert summary["n_pending"].sum() == dense_claims["allowed_amount"].isna().sum()
    assert summary["n_out_of_network"].sum() == (~dense_claims["is_in_network"]).sum()
    assert summary["total_units"].sum() == dense_claims["units"].sum()
    # Summation order differs between the grouped and the flat sums.
    assert summary["billed_amount"].sum() == pytest.approx(
        dense_claims["billed_amount"].sum(), rel=1e-12
    )
    assert summary["allowed_amount"].sum() == pytest.approx(
        dense_claims["allowed_amount"].dropna().sum(), rel=1e-12
    )


@pytest.mark.synthdata(Claims, rows=300, seed=99)
def test_one_row_per_member_and_claim_type(dense_claims):
    summary = summarise_member_costs(dense_claims)

    expected_pairs = dense_claims[GROUP_KEYS].drop_duplicates().sort_values(GROUP_KEYS)
    assert not summary.duplicated(GROUP_KEYS).any()
    pd.testing.assert_frame_equal(
        summary[GROUP_KEYS], expected_pairs.reset_index(drop=True)
    )
    # With 7 members and 300 claims, groups really aggregate several rows.
    assert summary["n_claims"].max() > 1


@pytest.mark.synthdata(Claims, rows=200, seed=11)
def test_pending_claims_are_left_out_of_allowed_and_ratio(dense_claims):
    # The plugin puts some nulls in every nullable column, so pending claims exist.
    assert dense_claims["allowed_amount"].isna().any()

    # Make one member's claims all pending, as for a claim batch not yet priced.
    all_pending_member = dense_claims["member_id"].iloc[0]
    claims = dense_claims.assign(
        allowed_amount=dense_claims["allowed_amount"].mask(
            dense_claims["member_id"] == all_pending_member
        )
    )
    summary = summarise_member_costs(claims)
    MemberCostSummary.validate(summary)

    pending = summary[summary["member_id"] == all_pending_member]
    assert len(pending) > 0
    assert (pending["n_pending"] == pending["n_claims"]).all()
    assert (pending["allowed_amount"] == 0).all()
    assert pending["allowed_to_billed"].isna().all()

    # Elsewhere the ratio uses only adjudicated claims, on both sides.
    adjudicated = claims[claims["allowed_amount"].notna()]
    expected_ratio = (
        adjudicated.groupby(GROUP_KEYS)["allowed_amount"].sum()
        / adjudicated.groupby(GROUP_KEYS)["billed_amount"].sum()
    )
    priced = summary[summary["n_pending"] < summary["n_claims"]].set_index(GROUP_KEYS)
    assert len(priced) > 0
    np.testing.assert_allclose(
        priced["allowed_to_billed"].to_numpy(),
        expected_ratio.loc[priced.index].to_numpy(),
        rtol=1e-12,
    )


@pytest.mark.synthdata(Claims, rows=200, seed=3)
def test_missing_units_stay_missing(dense_claims):
    assert dense_claims["units"].isna().any()

    # One member reports no units at all: their total is unknown, not zero.
    no_units_member = dense_claims["member_id"].iloc[0]
    claims = dense_claims.assign(
        units=dense_claims["units"].mask(dense_claims["member_id"] == no_units_member)
    )
    summary = summarise_member_costs(claims)

    no_units = summary[summary["member_id"] == no_units_member]
    assert no_units["total_units"].isna().all()
    others = summary[summary["member_id"] != no_units_member]
    assert others["total_units"].sum() == claims["units"].sum()


@pytest.mark.synthdata(Claims, rows=150, seed=5)
def test_does_not_mutate_input(synth_df):
    before = synth_df.copy(deep=True)

    summarise_member_costs(synth_df)

    # Same values, dtypes, columns and index: no helper columns left behind.
    pd.testing.assert_frame_equal(synth_df, before)
    assert synth_df.attrs == before.attrs


def test_empty_input_gives_empty_valid_summary():
    claims = generate(Claims, 0, seed=1)
    assert len(claims) == 0

    summary = summarise_member_costs(claims)

    assert summary.empty
    MemberCostSummary.validate(summary)
    assert list(summary.columns) == list(MemberCostSummary.to_schema().columns)


def test_single_claim_gives_single_row():
    claims = generate(Claims, 1, seed=1)
    claim = claims.iloc[0]

    summary = summarise_member_costs(claims)

    MemberCostSummary.validate(summary)
    assert len(summary) == 1
    row = summary.iloc[0]
    assert (row["member_id"], row["claim_type"]) == (
        claim["member_id"],
        claim["claim_type"],
    )
    assert row["n_claims"] == 1
    assert row["billed_amount"] == claim["billed_amount"]
    if pd.isna(claim["allowed_amount"]):
        assert row["n_pending"] == 1
        assert row["allowed_amount"] == 0
        assert pd.isna(row["allowed_to_billed"])
    else:
        assert row["n_pending"] == 0
        assert row["allowed_amount"] == claim["allowed_amount"]
        assert row["allowed_to_billed"] == pytest.approx(
            claim["allowed_amount"] / claim["billed_amount"]
        )


def test_generate_is_reproducible_with_a_fixed_seed():
    first = generate(Claims, 50, seed=1234)
    second = generate(Claims, 50, seed=1234)

    pd.testing.assert_frame_equal(first, second)
    Claims.validate(first)
    # ... and so is everything computed from it.
    pd.testing.assert_frame_equal(
        summarise_member_costs(first), summarise_member_costs(second)
    )
    # A different seed gives different claims.
    other = generate(Claims, 50, seed=4321)
    assert not first["claim_id"].equals(other["claim_id"])


@pytest.mark.synthdata(Claims, rows=40, seed=2024)
def test_recorded_seed_regenerates_the_fixture_frame(synth_df):
    # When a test fails, the seed in attrs is all that is needed to replay it.
    seed = synth_df.attrs["synthdata"]["seed"]
    assert seed == 2024

    pd.testing.assert_frame_equal(generate(Claims, 40, seed=seed), synth_df)
