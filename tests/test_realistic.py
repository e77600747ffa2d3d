"""Realistic text: tagged columns filled by mimesis, still meeting their checks."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

pytest.importorskip("mimesis")

from pytest_synthdata import generate, generate_chunks
from pytest_synthdata._generators.realistic import TAGS
from pytest_synthdata.errors import (
    ChecksUnmetError,
    InfeasibleRequestError,
    InvalidShapeError,
    UnsupportedSchemaError,
)

Check = pa.Check


def tagged(tag: str, *checks, locale: str | None = None, **kw) -> pa.Column:
    shape = {"text": tag} if locale is None else {"text": tag, "locale": locale}
    return pa.Column(str, list(checks), metadata={"synthdata": shape}, **kw)


# What each tag's values look like (a loose shape, not an exact format).
LOOKS = {
    "name": r"\S+( \S+)+",
    "first_name": r"[A-Z][a-zA-Z'\- ]+",
    "last_name": r"[A-Z][a-zA-Z'\- ]+",
    "email": r"[^@\s]+@[^@\s]+\.[a-z]+",
    "username": r"[\w.\-]+",
    "phone": r"[+\d][\d\-() .]+",
    "job": r"[A-Z].*",
    "address": r"\d+ .+",
    "city": r"[A-Z].*",
    "country": r"[A-Z].*",
    "postal_code": r"[\dA-Z\- ]+",
    "company": r".+",
    "url": r"https?://\S+",
    "sentence": r"[A-Z].*\W?",
    "paragraph": r"[A-Z].*",
}


def test_every_tag_is_checked_here():
    assert set(LOOKS) == set(TAGS)


@pytest.mark.parametrize("tag", sorted(TAGS))
def test_each_tag_gives_values_that_look_the_part(tag, exact):
    schema = pa.DataFrameSchema({"v": tagged(tag)})
    df = exact(schema, generate(schema, 300, seed=1), 300)
    values = df["v"]
    assert values.str.fullmatch(LOOKS[tag]).mean() > 0.95, values.head().tolist()
    # varied, not one value repeated (mimesis keeps a few dozen sentences)
    assert values.nunique() > (20 if tag == "sentence" else 30)


def test_the_same_seed_gives_the_same_text_and_another_seed_other_text():
    schema = pa.DataFrameSchema({"who": tagged("name"), "mail": tagged("email")})
    a = generate(schema, 200, seed=7)
    pd.testing.assert_frame_equal(a, generate(schema, 200, seed=7))
    b = generate(schema, 200, seed=8)
    assert (a["who"] != b["who"]).mean() > 0.9


def test_columns_draw_from_their_own_streams():
    one = pa.DataFrameSchema({"who": tagged("name")})
    two = pa.DataFrameSchema({"who": tagged("name"), "mail": tagged("email")})
    pd.testing.assert_series_equal(
        generate(one, 100, seed=3)["who"], generate(two, 100, seed=3)["who"]
    )


def test_the_locale_is_used():
    schema = pa.DataFrameSchema(
        {
            "en": tagged("country"),
            "de": tagged("country", locale="de"),
            "ru": tagged("name", locale="ru"),
        }
    )
    df = generate(schema, 300, seed=1)
    assert df["en"].str.contains("Germany").any() or df["en"].nunique() > 50
    assert df["de"].isin(["Deutschland", "Frankreich", "Italien", "Spanien"]).any()
    assert df["ru"].str.contains("[\u0400-\u04ff]").all()  # Cyrillic names


def test_length_checks_are_met(exact):
    schema = pa.DataFrameSchema({"mail": tagged("email", Check.str_length(10, 22))})
    df = exact(schema, generate(schema, 2000, seed=2), 2000)
    assert df["mail"].str.len().between(10, 22).all()
    assert df["mail"].str.contains("@").all()


def test_patterns_are_met(exact):
    schema = pa.DataFrameSchema(
        {"mail": tagged("email", Check.str_matches(r"^[a-z]+\d*@gmail\.com$"))}
    )
    df = exact(schema, generate(schema, 500, seed=2), 500)
    assert df["mail"].str.endswith("@gmail.com").all()


def test_unique_tagged_columns_are_unique(exact):
    schema = pa.DataFrameSchema({"mail": tagged("email", unique=True)})
    df = exact(schema, generate(schema, 20_000, seed=3), 20_000)
    assert df["mail"].is_unique


def test_a_unique_tag_with_too_few_values_says_so():
    schema = pa.DataFrameSchema({"c": tagged("country", unique=True)})
    with pytest.raises(InfeasibleRequestError, match="'c' is unique"):
        generate(schema, 5_000, seed=1)


def test_checks_the_tag_rarely_meets_end_in_a_clear_error():
    schema = pa.DataFrameSchema(
        {"who": tagged("name", Check.str_matches(r"^\d{5}$"))}  # names never
    )
    with pytest.raises(ChecksUnmetError, match="'who'"):
        generate(schema, 50, seed=1)


def test_nulls_follow_the_null_rate():
    schema = pa.DataFrameSchema(
        {
            "city": pa.Column(
                str,
                nullable=True,
                metadata={"synthdata": {"text": "city", "null_rate": 0.25}},
            )
        }
    )
    df = generate(schema, 4000, seed=1)
    assert df["city"].isna().mean() == pytest.approx(0.25, abs=0.03)


def test_tags_can_be_given_per_call():
    schema = pa.DataFrameSchema({"mail": pa.Column(str)})
    df = generate(schema, 100, seed=1, shape={"mail": {"text": "email"}})
    assert df["mail"].str.contains("@").all()


def test_without_a_tag_text_stays_generic():
    schema = pa.DataFrameSchema({"t": pa.Column(str, Check.str_length(3, 6))})
    df = generate(schema, 200, seed=1)
    assert df["t"].str.fullmatch("[a-z]{3,6}").all()


def test_stressed_and_strategy_frames_of_tagged_columns_validate():
    from hypothesis import given, settings

    from pytest_synthdata.strategies import frames

    schema = pa.DataFrameSchema(
        {"mail": tagged("email", Check.str_length(1, 40), nullable=True)}
    )
    stressed = generate(schema, 100, seed=1, stress=True)
    schema.validate(stressed)

    @settings(max_examples=20)
    @given(frames(schema, max_rows=8))
    def check(df):
        schema.validate(df)

    check()


def test_polars_columns_take_tags_too():
    pl = pytest.importorskip("polars")
    pap = pytest.importorskip("pandera.polars")
    schema = pap.DataFrameSchema(
        {"who": pap.Column(pl.String, metadata={"synthdata": {"text": "name"}})}
    )
    df = generate(schema, 50, seed=1)
    assert df["who"].str.contains(" ").all()


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (tagged("nickname"), "unknown text tag 'nickname'"),
        (tagged("name", locale="xx"), "unknown locale 'xx'"),
        (
            pa.Column(str, metadata={"synthdata": {"locale": "de"}}),
            "a locale needs a 'text' tag",
        ),
        (
            pa.Column(int, metadata={"synthdata": {"text": "name"}}),
            "free text columns, not to a int column",
        ),
        (tagged("name", Check.isin(["a", "b"])), "finite set of values"),
        (
            pa.Column(
                str, metadata={"synthdata": {"text": "name", "weights": {"a": 1}}}
            ),
            "drop 'weights'",
        ),
    ],
)
def test_bad_tags_are_refused_by_column(column, message):
    schema = pa.DataFrameSchema({"c": column})
    with pytest.raises(InvalidShapeError, match=message):
        generate(schema, 5, seed=1)


def test_unique_tagged_columns_in_chunks_are_refused_not_made_plain():
    schema = pa.DataFrameSchema({"mail": tagged("email", unique=True)})
    with pytest.raises(UnsupportedSchemaError, match="realistic text"):
        generate_chunks(schema, 1000, 100)


def test_tagged_columns_in_chunks_without_uniqueness_are_realistic():
    schema = pa.DataFrameSchema({"who": tagged("name")})
    whole = pd.concat(list(generate_chunks(schema, 3000, 700, seed=1)))
    assert whole["who"].str.contains(" ").all()


def test_a_tags_vocabulary_limit_is_named():
    schema = pa.DataFrameSchema({"c": tagged("company", unique=True, locale="de")})
    with pytest.raises(
        InfeasibleRequestError, match="text tag 'company' \\(locale de\\)"
    ):
        generate(schema, 1000, seed=1)
