"""Property-based tests of ``summarise_member_costs`` with Hypothesis.

``frames(Claims, ...)`` draws claim feeds across the whole valid domain,
edge values included (the smallest billed amount above zero, the largest
line, empty and one-row feeds, pending claims, missing units); a failing
property shrinks to a small feed, printed in full.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from examples.claims.schemas import Claims, MemberCostSummary
from examples.claims.transform import summarise_member_costs
from pytest_synthdata.strategies import frames

# A handful of members, so that groups hold several claims.
few_members = st.sampled_from([f"MBR{i:07d}" for i in range(3)])
claim_feeds = frames(Claims, max_rows=30, columns={"member_id": few_members})


@settings(max_examples=60, deadline=None)  # frames plus pandas: not 200 ms
@given(claim_feeds)
def test_every_feed_gives_a_valid_summary(claims: pd.DataFrame) -> None:
    summary = summarise_member_costs(claims)
    MemberCostSummary.validate(summary)
    assert summary["n_claims"].sum() == len(claims)
    assert summary["n_pending"].sum() == claims["allowed_amount"].isna().sum()


@settings(max_examples=60, deadline=None)  # frames plus pandas: not 200 ms
@given(claim_feeds)
def test_billed_totals_are_conserved(claims: pd.DataFrame) -> None:
    summary = summarise_member_costs(claims)
    total = claims["billed_amount"].sum()
    assert abs(summary["billed_amount"].sum() - total) <= 1e-9 * max(total, 1.0)
