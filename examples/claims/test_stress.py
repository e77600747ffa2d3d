"""Stress mode on the claims feed: the edges the shaped data alone never shows.

``Claims`` declares billed amounts as lognormal (most lines a few hundred
dollars), so a shaped frame of a few hundred rows almost never holds a line
near the $250,000 cap. ``stress=True`` puts the cap, the smallest amount
above zero, every claim type and place of service, the nulls and a repeated
value into rows of their own, and records where in
``df.attrs["synthdata"]["stress"]``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from examples.claims.schemas import MAX_LINE_AMOUNT, Claims, MemberCostSummary
from examples.claims.transform import (
    BAND_LABELS,
    band_billed_amounts,
    summarise_member_costs,
)
from pytest_synthdata import edge_frames
from pytest_synthdata import scenarios as sc


def band_billed_amounts_naive(claims: pd.DataFrame) -> pd.Series:
    """The first draft: bins written from the amounts seen so far."""
    return pd.cut(
        claims["billed_amount"],
        bins=[0, 100, 1_000, 10_000, 100_000],
        labels=list(BAND_LABELS[:4]),
        right=False,
    )


@pytest.mark.synthdata(Claims, rows=500, seed=7)
def test_the_naive_bands_pass_on_shaped_data(synth_df):
    # 500 lognormal amounts: none reaches $100,000, so the bug stays hidden
    assert synth_df["billed_amount"].max() < 100_000
    assert band_billed_amounts_naive(synth_df).notna().all()


@pytest.mark.xfail(
    strict=True, reason="stress injects the $250,000 cap, which the naive bins drop"
)
@pytest.mark.synthdata(Claims, rows=500, seed=7, stress=True)
def test_stress_catches_the_naive_bands(synth_df):
    assert band_billed_amounts_naive(synth_df).notna().all()


@pytest.mark.synthdata(Claims, rows=500, seed=7, stress=True)
def test_every_line_gets_a_band(synth_df):
    assert synth_df["billed_amount"].max() == MAX_LINE_AMOUNT
    bands = band_billed_amounts(synth_df)
    assert bands.notna().all()
    assert bands[synth_df["billed_amount"] == MAX_LINE_AMOUNT].eq("100k and over").all()


@pytest.mark.synthdata(Claims, rows=500, seed=8, stress=True)
def test_the_summary_survives_the_edges(synth_df):
    coverage = pd.DataFrame(synth_df.attrs["synthdata"]["stress"])
    assert (coverage["status"] != "skipped").sum() > 40
    summary = summarise_member_costs(synth_df)
    assert summary["n_claims"].sum() == len(synth_df)
    assert summary["billed_amount"].sum() == pytest.approx(
        synth_df["billed_amount"].sum()
    )


@pytest.mark.parametrize("claims", edge_frames(Claims))
def test_summary_survives_the_edge_frames(claims):
    summary = summarise_member_costs(claims)
    MemberCostSummary.validate(summary)
    assert summary["n_claims"].sum() == len(claims)


DRIFT = (
    sc.shift("billed_amount", by=200, scale=1.5)
    + sc.frequency("claim_type", "DENT", 0.3)
    + sc.null_rate("allowed_amount", 0.6)
)


@pytest.mark.synthdata(Claims, rows=2_000, seed=9, scenario=DRIFT)
def test_summary_under_drift(synth_df):
    # the dental share and the pending backlog are what the scenario declares
    assert (synth_df["claim_type"] == "DENT").mean() == pytest.approx(0.3, abs=0.05)
    assert synth_df["allowed_amount"].isna().mean() == pytest.approx(0.6, abs=0.001)
    summary = summarise_member_costs(synth_df)
    MemberCostSummary.validate(summary)
    assert summary["n_pending"].sum() == synth_df["allowed_amount"].isna().sum()
