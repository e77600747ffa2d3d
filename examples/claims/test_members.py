"""The claims summary on related tables: members, and claims that belong to them.

``@pytest.mark.synthdata(MEMBER_TABLES, rows={"members": N})`` hands the test a
dict of frames: ``N`` members, and claims whose ``member_id`` always names one
of them (Poisson(4) claims each), served after that member's enrolment. No
reassigning of ids is needed to get several claims per member.
"""

from __future__ import annotations

import pandas as pd
import pytest

from examples.claims.schemas import MEMBER_TABLES, MemberCostSummary, Members
from examples.claims.transform import summarise_member_costs


@pytest.mark.synthdata(MEMBER_TABLES, rows={"members": 40}, seed=7)
def test_summary_of_members_claims_counts_each_members_claims(synth_df):
    members, claims = synth_df["members"], synth_df["claims"]
    summary = summarise_member_costs(claims)

    MemberCostSummary.validate(summary)
    per_member = summary.groupby("member_id")["n_claims"].sum()
    expected = claims["member_id"].value_counts()
    pd.testing.assert_series_equal(
        per_member.sort_index(),
        expected.sort_index(),
        check_names=False,
        check_dtype=False,  # value_counts of arrow strings counts in int64[pyarrow]
    )
    # every summarised member is enrolled
    assert set(summary["member_id"]) <= set(members["member_id"])


@pytest.mark.synthdata(MEMBER_TABLES, rows={"members": 200})
def test_claims_come_after_enrolment_and_belong_to_members(synth_df):
    members, claims = synth_df["members"], synth_df["claims"]
    Members.validate(members)
    joined = claims.merge(members, on="member_id", how="left", validate="m:1")
    assert joined["enrolled_on"].notna().all()
    assert (joined["service_date"] >= joined["enrolled_on"]).all()


def test_members_without_claims_are_absent_from_the_summary(synth_factory):
    tables = synth_factory(MEMBER_TABLES, rows={"members": 300})
    members, claims = tables["members"], tables["claims"]
    summary = summarise_member_costs(claims)
    silent = set(members["member_id"]) - set(claims["member_id"])
    assert silent  # Poisson(4) leaves about 2% of members without claims
    assert not silent & set(summary["member_id"])
