"""Pandera schemas for a health-insurance claims feed and its member summary.

``Claims`` describes one row per adjudicated (or pending) claim line as it lands
from the claims system; ``MemberCostSummary`` is the contract of
:func:`examples.claims.transform.summarise_member_costs`.
"""

from __future__ import annotations

from typing import ClassVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pytest_synthdata import shapes

MEMBER_ID_PATTERN = r"^MBR[0-9]{7}$"

#: Claim types: professional, institutional, pharmacy, dental.
CLAIM_TYPES = ("PROF", "INST", "RX", "DENT")

#: CMS place-of-service codes: telehealth, office, home, inpatient hospital,
#: outpatient hospital, emergency room, independent laboratory.
PLACE_OF_SERVICE_CODES = ("02", "11", "12", "21", "22", "23", "81")

#: Largest single claim line the feed accepts, in dollars.
MAX_LINE_AMOUNT = 250_000.0


class Claims(pa.DataFrameModel):
    """One row per claim line, as delivered by the claims system."""

    claim_id: Series[str] = pa.Field(unique=True, str_matches=r"^CLM-[0-9]{8}$")
    member_id: Series[str] = pa.Field(str_matches=MEMBER_ID_PATTERN)
    service_date: Series[pd.Timestamp] = pa.Field(
        ge=pd.Timestamp("2023-01-01"), le=pd.Timestamp("2024-12-31")
    )
    claim_type: Series[str] = pa.Field(isin=list(CLAIM_TYPES))
    # Most lines are a few hundred dollars; a rare few reach the cap.
    billed_amount: Series[float] = pa.Field(
        gt=0, le=MAX_LINE_AMOUNT, metadata=shapes.column(shapes.lognormal(5.5, 1.0))
    )
    # Null while the claim is still pending adjudication.
    allowed_amount: Series[float] = pa.Field(ge=0, le=MAX_LINE_AMOUNT, nullable=True)
    place_of_service: Series[pd.CategoricalDtype] = pa.Field(
        dtype_kwargs={"categories": list(PLACE_OF_SERVICE_CODES), "ordered": False}
    )
    # Service units; pharmacy claims often arrive without them.
    units: Series[pd.Int64Dtype] = pa.Field(ge=1, le=999, nullable=True)
    is_in_network: Series[bool]

    class Config:
        strict = True


class MemberCostSummary(pa.DataFrameModel):
    """One row per (member, claim type): what was billed and what was allowed."""

    member_id: Series[str] = pa.Field(str_matches=MEMBER_ID_PATTERN)
    claim_type: Series[str] = pa.Field(isin=list(CLAIM_TYPES))
    n_claims: Series[int] = pa.Field(ge=1)
    n_pending: Series[int] = pa.Field(ge=0)
    n_out_of_network: Series[int] = pa.Field(ge=0)
    # Null when no claim line of the group reported units.
    total_units: Series[pd.Int64Dtype] = pa.Field(ge=1, nullable=True)
    billed_amount: Series[float] = pa.Field(gt=0)
    allowed_amount: Series[float] = pa.Field(ge=0)
    # Allowed over billed, on adjudicated claims only; null when all are pending.
    allowed_to_billed: Series[float] = pa.Field(ge=0, nullable=True)

    class Config:
        strict = True
        ordered = True
        unique: ClassVar[list[str]] = ["member_id", "claim_type"]

    @pa.dataframe_check
    def pending_within_claims(cls, df: pd.DataFrame) -> pd.Series:
        return (df["n_pending"] <= df["n_claims"]) & (
            df["n_out_of_network"] <= df["n_claims"]
        )


#: Plans a member can be enrolled in.
PLANS = ("HMO", "PPO", "EPO")


class Members(pa.DataFrameModel):
    """One row per enrolled member, from the enrolment system."""

    member_id: Series[str] = pa.Field(unique=True, str_matches=MEMBER_ID_PATTERN)
    enrolled_on: Series[pd.Timestamp] = pa.Field(
        ge=pd.Timestamp("2020-01-01"), le=pd.Timestamp("2024-06-30")
    )
    plan: Series[str] = pa.Field(isin=list(PLANS))


class MemberClaims(Claims):
    """Claims of the members above: each member has Poisson(4) claim lines,
    each served after the member's enrolment (a gap of about 200 days)."""

    member_id: Series[str] = pa.Field(
        str_matches=MEMBER_ID_PATTERN,
        metadata={
            "synthdata": {
                "references": "members.member_id",
                "per_parent": {"dist": "poisson", "lam": 4},
            }
        },
    )
    service_date: Series[pd.Timestamp] = pa.Field(
        ge=pd.Timestamp("2020-01-01"),
        le=pd.Timestamp("2026-12-31"),
        metadata={
            "synthdata": {
                "after_parent": {
                    "column": "members.enrolled_on",
                    "gap": {"dist": "exponential", "scale": 200, "unit": "D"},
                }
            }
        },
    )


#: The enrolment and claims tables together, for ``synth_df`` and ``generate``.
MEMBER_TABLES = {"members": Members, "claims": MemberClaims}
