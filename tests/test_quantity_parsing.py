"""Numbers and quantity mentions: values, qualifiers, ranges, and what is not a count."""

from __future__ import annotations

import pytest

from factledger.nlp.numbers import parse_part_of, parse_quantity


@pytest.mark.parametrize(
    ("text", "low", "high", "best", "qualifier"),
    [
        ("six", 6, 6, 6, "exact"),
        ("two dozen", 24, 24, 24, "exact"),
        ("1.9 million", 1_900_000, 1_900_000, 1_900_000, "exact"),
        ("nearly 2 million", None, 2_000_000, 2_000_000, "nearly"),
        ("more than 100,000", 100_000, None, 100_000, "more_than"),
        ("at least six", 6, None, 6, "at_least"),
        ("some 1,200", None, None, 1200, "about"),
        ("roughly 100", None, None, 100, "about"),
        ("up to 40,000", None, 40_000, 40_000, "up_to"),
        ("fewer than 30", None, 30, 30, "fewer_than"),
        ("15,000 or 18,000", 15_000, 18_000, 15_000, "range"),
        ("between 30 and 40", 30, 40, 30, "range"),
    ],
)
def test_values_and_qualifiers(text, low, high, best, qualifier):
    q = parse_quantity(text)
    assert q is not None
    assert (q.low, q.high, q.best, q.qualifier) == (low, high, best, qualifier)
    assert q.text == text and q.vague is None


@pytest.mark.parametrize(
    ("text", "low"),
    [("dozens", 12), ("hundreds", 100), ("tens of thousands", 10_000), ("a few thousand", 2000)],
)
def test_vague_quantities_keep_their_word_and_an_acled_lower_bound(text, low):
    q = parse_quantity(text)
    assert q is not None and q.vague == text
    assert q.qualifier == "at_least" and q.low == low and q.high is None


def test_part_of_a_total():
    part, total = parse_part_of("97 of the 251")
    assert (part.best, total.best) == (97, 251)


def test_not_a_number():
    assert parse_quantity("Channel 12") is None
    assert parse_quantity("the ministry") is None


@pytest.fixture(scope="module")
def nlp(extractor):
    return extractor.nlp


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        ("Some 1,200 people were killed and 251 hostages were seized.", ["Some 1,200", "251"]),
        ("The 45-year-old man called 555-0134 and watched Channel 12.", []),
        ("On October 7, 2023, a 12-day truce was proposed.", []),
        ("In 2014, two soldiers were captured.", ["two"]),
        ("Some 1.9 million people fled and 3-4 soldiers died.", ["Some 1.9 million", "3-4"]),
    ],
)
def test_mentions_skip_years_dates_ages_phone_numbers_and_labels(nlp, sentence, counts):
    doc = nlp(sentence)
    found = [m.quantity.text for m in doc._.quantities if m.kind == "count"]
    assert found == counts
