"""Tests of ``card_velocity_features`` on synthetic card transactions.

The input frames come from the ``Transactions`` schema: ``synth_df`` with the
``synthdata`` marker for one frame, ``synth_factory`` when a test builds its own,
and ``pytest_synthdata.generate`` for edge sizes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from examples.transactions.schemas import FX_TO_USD, CardVelocity, Transactions
from examples.transactions.transform import (
    VELOCITY_WINDOW,
    card_velocity_features,
    max_in_window,
)
from pytest_synthdata import generate


def concentrate_cards(transactions: pd.DataFrame, n_cards: int) -> pd.DataFrame:
    """Reassign the transactions to a few cards, so every card has several.

    Random ids drawn from the card-id pattern almost never repeat, while a real
    feed has many transactions per card. The result still validates.
    """
    card_ids = pd.Series(
        [f"CARD-{i % n_cards:012X}" for i in range(len(transactions))],
        index=transactions.index,
        dtype="str",
    )
    return Transactions.validate(transactions.assign(card_id=card_ids))


def usd(transactions: pd.DataFrame, column: str) -> pd.Series:
    return transactions[column] * transactions["currency"].map(FX_TO_USD)


@pytest.fixture
def dense_transactions(synth_df: pd.DataFrame) -> pd.DataFrame:
    return concentrate_cards(synth_df, n_cards=9)


@pytest.mark.synthdata(Transactions, rows=400, seed=101)
def test_output_validates_against_feature_schema(dense_transactions):
    features = card_velocity_features(dense_transactions)

    CardVelocity.validate(features)
    assert len(features) == 9
    assert isinstance(features.index, pd.RangeIndex)
    assert features["card_id"].is_monotonic_increasing


@pytest.mark.synthdata(Transactions, rows=400, seed=202)
def test_counts_and_sums_are_preserved(dense_transactions):
    tx = dense_transactions
    features = card_velocity_features(tx)

    assert features["n_transactions"].sum() == len(tx)
    assert features["n_fraud"].sum() == tx["is_fraud"].sum()
    n_ecom = (features["ecom_share"] * features["n_transactions"]).round()
    assert n_ecom.sum() == (tx["channel"] == "ecom").sum()
    # Summation order differs between the grouped and the flat sums.
    assert features["total_spend_usd"].sum() == pytest.approx(
        usd(tx, "amount").sum(), rel=1e-12
    )
    assert tx["chargeback_amount"].isna().any()
    assert features["chargeback_usd"].sum() == pytest.approx(
        usd(tx, "chargeback_amount").sum(), rel=1e-12
    )
    assert features["max_amount_usd"].max() == usd(tx, "amount").max()


@pytest.mark.synthdata(Transactions, rows=300, seed=303)
def test_per_card_features_match_the_card_rows(dense_transactions):
    tx = dense_transactions
    features = card_velocity_features(tx).set_index("card_id")

    for card_id, rows in tx.groupby("card_id"):
        row = features.loc[card_id]
        assert row["n_transactions"] == len(rows)
        assert row["first_seen"] == rows["timestamp"].min()
        assert row["last_seen"] == rows["timestamp"].max()
        assert row["fraud_rate"] == pytest.approx(rows["is_fraud"].mean())
        assert row["ecom_share"] == pytest.approx((rows["channel"] == "ecom").mean())


@pytest.mark.synthdata(Transactions, rows=300, seed=404)
def test_max_tx_per_hour_matches_a_brute_force_count(dense_transactions):
    # Put a burst of six transactions within ten minutes on one card, as a
    # card-testing attack would, so the window holds more than one transaction.
    tx = dense_transactions
    burst_card = tx["card_id"].iloc[0]
    burst_rows = tx.index[tx["card_id"] == burst_card][:6]
    burst_start = pd.Timestamp("2024-03-15 02:00", tz="UTC")
    burst_times = burst_start + pd.to_timedelta(np.arange(6) * 2, unit="min")
    tx = tx.copy()
    tx.loc[burst_rows, "timestamp"] = burst_times
    Transactions.validate(tx)

    features = card_velocity_features(tx).set_index("card_id")

    for card_id, rows in tx.groupby("card_id"):
        times = rows["timestamp"]
        expected = max(
            ((times > t - VELOCITY_WINDOW) & (times <= t)).sum() for t in times
        )
        assert features.loc[card_id, "max_tx_per_hour"] == expected
    assert features.loc[burst_card, "max_tx_per_hour"] >= 6


def test_max_in_window_treats_the_window_as_half_open():
    hour = pd.Timestamp("2024-02-01 10:00", tz="UTC")
    times = pd.Series([hour, hour + pd.Timedelta(minutes=59), hour + VELOCITY_WINDOW])

    # The third is exactly one hour after the first: they share no window.
    assert max_in_window(times) == 2
    assert max_in_window(times.iloc[::-1]) == 2
    assert max_in_window(times.iloc[:0]) == 0


def test_rare_fraud_events_are_counted_exactly(synth_factory):
    # The schema declares fraud as rare (p_true=0.01): about 20 of 2,000
    # transactions, spread over 40 cards, so most cards have none.
    tx = concentrate_cards(synth_factory(Transactions, rows=2_000, seed=7), 40)
    n_fraud = int(tx["is_fraud"].sum())
    assert 0 < n_fraud < 60  # 20 expected; 60 is over eight standard deviations

    features = card_velocity_features(tx)
    CardVelocity.validate(features)

    assert features["n_fraud"].sum() == n_fraud
    fraud_cards = set(tx.loc[tx["is_fraud"], "card_id"])
    flagged = features[features["fraud_rate"] > 0]
    assert set(flagged["card_id"]) == fraud_cards
    assert len(fraud_cards) < len(features)
    # Clean cards have a fraud rate of exactly 0, not null.
    clean = features[~features["card_id"].isin(fraud_cards)]
    assert clean["fraud_rate"].notna().all()
    assert (clean["fraud_rate"] == 0).all()
    assert (clean["n_fraud"] == 0).all()


def test_a_feed_without_fraud_gives_zero_rates(synth_factory):
    tx = concentrate_cards(synth_factory(Transactions, rows=200, seed=8), 5)
    tx = tx.assign(is_fraud=False)

    features = card_velocity_features(tx)

    CardVelocity.validate(features)
    assert (features["fraud_rate"] == 0).all()
    assert features["n_fraud"].sum() == 0


@pytest.mark.synthdata(Transactions, rows=150, seed=505)
def test_does_not_mutate_input(synth_df):
    before = synth_df.copy(deep=True)

    card_velocity_features(synth_df)

    pd.testing.assert_frame_equal(synth_df, before)
    assert synth_df.attrs == before.attrs


def test_empty_input_gives_empty_valid_features():
    tx = generate(Transactions, 0, seed=1)
    assert len(tx) == 0

    features = card_velocity_features(tx)

    assert features.empty
    CardVelocity.validate(features)
    assert list(features.columns) == list(CardVelocity.to_schema().columns)


def test_single_transaction_gives_single_card():
    tx = generate(Transactions, 1, seed=2)
    row = tx.iloc[0]
    rate = FX_TO_USD[row["currency"]]

    features = card_velocity_features(tx)

    CardVelocity.validate(features)
    assert len(features) == 1
    card = features.iloc[0]
    assert card["card_id"] == row["card_id"]
    assert card["n_transactions"] == 1
    assert card["max_tx_per_hour"] == 1
    assert card["total_spend_usd"] == card["max_amount_usd"] == row["amount"] * rate
    assert card["fraud_rate"] == float(row["is_fraud"])
    assert card["ecom_share"] == float(row["channel"] == "ecom")
    assert card["first_seen"] == card["last_seen"] == row["timestamp"]
    if pd.isna(row["chargeback_amount"]):
        assert card["chargeback_usd"] == 0
    else:
        assert card["chargeback_usd"] == row["chargeback_amount"] * rate
