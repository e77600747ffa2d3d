"""Per-card velocity features of a card-transaction feed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from examples.transactions.schemas import FX_TO_USD

#: Width of the sliding window behind ``max_tx_per_hour``.
VELOCITY_WINDOW = pd.Timedelta(hours=1)

FEATURE_COLUMNS = [
    "card_id",
    "n_transactions",
    "total_spend_usd",
    "max_amount_usd",
    "ecom_share",
    "n_fraud",
    "fraud_rate",
    "chargeback_usd",
    "first_seen",
    "last_seen",
    "max_tx_per_hour",
]


def max_in_window(timestamps: pd.Series, window: pd.Timedelta = VELOCITY_WINDOW) -> int:
    """Most timestamps that fall in any half-open window ``(t - window, t]``."""
    if timestamps.empty:
        return 0
    # Nanoseconds since the epoch, whatever the unit (pandas 3 infers "us" or "s"
    # for many constructors); ordering is what matters, not the time zone.
    ns = np.sort(timestamps.dt.as_unit("ns").array.asi8)
    window_starts = np.searchsorted(ns, ns - window.value, side="right")
    return int((np.arange(len(ns)) - window_starts + 1).max())


def card_velocity_features(transactions: pd.DataFrame) -> pd.DataFrame:
    """Summarise transactions per card into velocity and fraud features.

    Amounts are converted to US dollars with ``FX_TO_USD`` before they are added
    up, so cards that spend in several currencies are comparable. A null
    ``chargeback_amount`` means the transaction was not disputed and counts as no
    money charged back. ``fraud_rate`` is the share of the card's transactions
    labelled fraudulent (0 for a clean card, never null), and ``max_tx_per_hour``
    the largest number of the card's transactions inside one hour.

    The input is not modified. The result has one row per card, sorted by
    ``card_id``, with a fresh ``RangeIndex``; an empty input gives an empty result
    with the same columns and dtypes.
    """
    rate = transactions["currency"].map(FX_TO_USD).astype("float64")
    lines = transactions.assign(
        amount_usd=transactions["amount"] * rate,
        chargeback_usd=transactions["chargeback_amount"] * rate,
        is_ecom=transactions["channel"] == "ecom",
    )

    grouped = lines.groupby("card_id", sort=True)
    features = pd.DataFrame(
        {
            "n_transactions": grouped.size().astype("int64"),
            "total_spend_usd": grouped["amount_usd"].sum(),
            "max_amount_usd": grouped["amount_usd"].max(),
            "n_ecom": grouped["is_ecom"].sum().astype("int64"),
            "n_fraud": grouped["is_fraud"].sum().astype("int64"),
            # Nulls (undisputed transactions) add nothing; an all-null card gives 0.
            "chargeback_usd": grouped["chargeback_usd"].sum(),
            "first_seen": grouped["timestamp"].min(),
            "last_seen": grouped["timestamp"].max(),
            "max_tx_per_hour": grouped["timestamp"].agg(max_in_window).astype("int64"),
        }
    )
    features = features.assign(
        ecom_share=features["n_ecom"] / features["n_transactions"],
        fraud_rate=features["n_fraud"] / features["n_transactions"],
    ).reset_index()

    return features[FEATURE_COLUMNS]
