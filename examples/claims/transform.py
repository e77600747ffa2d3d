"""Per-member cost summary of a claims feed."""

from __future__ import annotations

import pandas as pd

GROUP_KEYS = ["member_id", "claim_type"]

SUMMARY_COLUMNS = [
    *GROUP_KEYS,
    "n_claims",
    "n_pending",
    "n_out_of_network",
    "total_units",
    "billed_amount",
    "allowed_amount",
    "allowed_to_billed",
]


def summarise_member_costs(claims: pd.DataFrame) -> pd.DataFrame:
    """Summarise claim lines per member and claim type.

    A null ``allowed_amount`` means the claim is still pending adjudication. Pending
    claims count towards ``n_claims``, ``n_pending`` and ``billed_amount`` but not
    towards ``allowed_amount``, and they are left out of both sides of
    ``allowed_to_billed`` so the ratio compares like with like. A group whose claims
    are all pending has an ``allowed_amount`` of 0 and a null ratio; a group none of
    whose claims reported units has a null ``total_units``.

    The input is not modified. The result has one row per (member, claim type) pair,
    sorted by those keys, with a fresh ``RangeIndex``; an empty input gives an empty
    result with the same columns and dtypes.
    """
    adjudicated = claims["allowed_amount"].notna()
    lines = claims.assign(
        is_pending=~adjudicated,
        is_out_of_network=~claims["is_in_network"],
        adjudicated_billed=claims["billed_amount"].where(adjudicated, 0.0),
        allowed=claims["allowed_amount"].fillna(0.0),
    )

    grouped = lines.groupby(GROUP_KEYS, sort=True)
    summary = pd.DataFrame(
        {
            "n_claims": grouped.size(),
            "n_pending": grouped["is_pending"].sum(),
            "n_out_of_network": grouped["is_out_of_network"].sum(),
            # min_count=1 keeps "no units reported" distinct from zero units.
            "total_units": grouped["units"].sum(min_count=1),
            "billed_amount": grouped["billed_amount"].sum(),
            "allowed_amount": grouped["allowed"].sum(),
            "adjudicated_billed": grouped["adjudicated_billed"].sum(),
        }
    )
    has_adjudicated = summary["adjudicated_billed"] > 0
    ratio = summary["allowed_amount"] / summary["adjudicated_billed"].where(
        has_adjudicated
    )
    summary = summary.assign(allowed_to_billed=ratio).reset_index()

    return summary[SUMMARY_COLUMNS]


#: Upper edges of the billed-amount bands used in cost reports, in dollars.
BAND_EDGES = (100.0, 1_000.0, 10_000.0, 100_000.0)
BAND_LABELS = ("under 100", "100-1k", "1k-10k", "10k-100k", "100k and over")


def band_billed_amounts(claims: pd.DataFrame) -> pd.Series:
    """The cost band of each claim line's billed amount.

    The last band is open-ended, so every positive amount has a band, up to
    the largest line the feed accepts.
    """
    edges = [0.0, *BAND_EDGES, float("inf")]
    return pd.cut(
        claims["billed_amount"], bins=edges, labels=list(BAND_LABELS), right=False
    )
