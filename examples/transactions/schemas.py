"""Pandera schemas for a card-transaction feed and its per-card features.

``Transactions`` describes one row per authorised card transaction as it lands
from the card processor; ``CardVelocity`` is the contract of
:func:`examples.transactions.transform.card_velocity_features`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

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

CURRENCIES = ("USD", "EUR", "GBP", "CAD")

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
    amount: Series[float] = pa.Field(gt=0, le=MAX_AMOUNT)
    currency: Series[str] = pa.Field(isin=list(CURRENCIES))
    timestamp: Series[pd.DatetimeTZDtype] = pa.Field(
        dtype_kwargs={"unit": "ns", "tz": "UTC"}, ge=START, le=END
    )
    channel: Series[str] = pa.Field(isin=list(CHANNELS))
    is_fraud: Series[bool]
    # Null unless the cardholder disputed the transaction.
    chargeback_amount: Series[float] = pa.Field(ge=0, le=MAX_AMOUNT, nullable=True)

    class Config:
        strict = True
