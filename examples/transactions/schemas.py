"""Pandera schemas for a card-transaction feed and its per-card features.

``Transactions`` describes one row per authorised card transaction as it lands
from the card processor; ``CardVelocity`` is the contract of
:func:`examples.transactions.transform.card_velocity_features`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from pytest_synthdata import shapes as sh

CARD_ID_PATTERN = r"^CARD-[0-9A-F]{12}$"

#: ISO 18245 merchant category codes: grocery stores, eating places, fast food,
#: service stations, airlines, lodging, electronics, ATM cash, digital goods,
#: money orders and wire transfers.
MCC_CODES = (
    "5411",
    "5812",
    "5814",
    "5541",
    "4511",
    "7011",
    "5732",
    "6011",
    "5818",
    "4829",
)

#: Fixed conversion rates to US dollars, one per accepted currency.
FX_TO_USD = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CAD": 0.74}

CURRENCIES = tuple(FX_TO_USD)

CHANNELS = ("pos", "ecom", "atm")

#: Largest single transaction the processor authorises, in currency units.
MAX_AMOUNT = 20_000.0

START = pd.Timestamp("2024-01-01", tz="UTC")
END = pd.Timestamp("2024-06-30 23:59:59", tz="UTC")


class Transactions(pa.DataFrameModel):
    """One row per authorised card transaction."""

    transaction_id: Series[str] = pa.Field(unique=True, str_matches=r"^TX[0-9]{10}$")
    card_id: Series[str] = pa.Field(str_matches=CARD_ID_PATTERN)
    mcc: Series[str] = pa.Field(isin=list(MCC_CODES))
    # Most card spend is small with a long tail: lognormal, median about $33.
    amount: Series[float] = pa.Field(
        gt=0, le=MAX_AMOUNT, metadata=sh.column(sh.lognormal(3.5, 1.2))
    )
    currency: Series[str] = pa.Field(isin=list(CURRENCIES))
    timestamp: Series[pd.DatetimeTZDtype] = pa.Field(
        dtype_kwargs={"unit": "ns", "tz": "UTC"}, ge=START, le=END
    )
    channel: Series[str] = pa.Field(isin=list(CHANNELS))
    # Fraud is rare: one transaction in a hundred.
    is_fraud: Series[bool] = pa.Field(metadata=sh.column(p_true=0.01))
    # Null unless the cardholder disputed the transaction (2% of them); often
    # part of the amount, which the frame check below requires at most.
    chargeback_amount: Series[float] = pa.Field(
        ge=0,
        le=MAX_AMOUNT,
        nullable=True,
        metadata=sh.column(sh.lognormal(2.5, 1.0), null_rate=0.98),
    )

    class Config:
        strict = True

    @pa.dataframe_check
    def chargeback_within_amount(cls, df: pd.DataFrame) -> pd.Series:
        # A cardholder can dispute at most what was paid.
        return df["chargeback_amount"].isna() | (
            df["chargeback_amount"] <= df["amount"]
        )


class CardVelocity(pa.DataFrameModel):
    """One row per card: activity, spend and fraud features over the feed."""

    card_id: Series[str] = pa.Field(unique=True, str_matches=CARD_ID_PATTERN)
    n_transactions: Series[int] = pa.Field(ge=1)
    # Amounts converted to US dollars at the fixed rates in ``FX_TO_USD``.
    total_spend_usd: Series[float] = pa.Field(gt=0)
    max_amount_usd: Series[float] = pa.Field(gt=0)
    ecom_share: Series[float] = pa.Field(ge=0, le=1)
    n_fraud: Series[int] = pa.Field(ge=0)
    fraud_rate: Series[float] = pa.Field(ge=0, le=1)
    # Zero when no transaction of the card was charged back.
    chargeback_usd: Series[float] = pa.Field(ge=0)
    first_seen: Series[pd.DatetimeTZDtype] = pa.Field(
        dtype_kwargs={"unit": "ns", "tz": "UTC"}
    )
    last_seen: Series[pd.DatetimeTZDtype] = pa.Field(
        dtype_kwargs={"unit": "ns", "tz": "UTC"}
    )
    # Most transactions of the card inside any one-hour window.
    max_tx_per_hour: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check
    def counts_are_consistent(cls, df: pd.DataFrame) -> pd.Series:
        return (
            (df["n_fraud"] <= df["n_transactions"])
            & (df["max_tx_per_hour"] <= df["n_transactions"])
            & (df["max_amount_usd"] <= df["total_spend_usd"])
            & (df["first_seen"] <= df["last_seen"])
        )
