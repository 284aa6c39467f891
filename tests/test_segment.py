"""Sentence segmentation on hand-written text (no model needed)."""

from factledger.nlp.prefilter import is_candidate, select
from factledger.nlp.segment import split_sentences


def texts(text):
    return [s.text for s in split_sentences(text)]


def test_headline_is_its_own_sentence():
    doc = "Army says it struck a depot\nThe army said on Friday it struck a depot. Two people died."
    assert texts(doc) == [
        "Army says it struck a depot",
        "The army said on Friday it struck a depot.",
        "Two people died.",
    ]


def test_offsets_point_into_the_text():
    doc = "First line\n\n  Second paragraph here. And a third sentence!  \nLast?"
    for s in split_sentences(doc):
        assert doc[s.start : s.end] == s.text
    assert [s.paragraph for s in split_sentences(doc)] == [0, 1, 1, 2]


def test_abbreviations_and_initials_do_not_split():
    doc = "Gen. Smith met U.S. envoy J. Doe on Jan. 3 in the capital. He left."
    assert texts(doc) == ["Gen. Smith met U.S. envoy J. Doe on Jan. 3 in the capital.", "He left."]


def test_closing_quote_stays_with_its_sentence():
    doc = "\u201cWe will respond,\u201d he said. \u201cThe war goes on.\u201d The talks stalled."
    assert texts(doc) == [
        "\u201cWe will respond,\u201d he said.",
        "\u201cThe war goes on.\u201d",
        "The talks stalled.",
    ]


def test_lowercase_after_period_does_not_split():
    assert len(split_sentences("The toll rose to 12 vs. 10 the day before.")) == 1


def test_empty_and_whitespace():
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t") == []


def test_prefilter_keeps_fact_sentences_and_drops_others():
    assert is_candidate("Three people were killed in the strike.")
    assert is_candidate("Officials said the talks would resume.")
    assert is_candidate("The ministry reported 42,000 dead.")
    assert not is_candidate("The weather was pleasant and the market was busy.")


def test_prefilter_always_keeps_the_lead():
    sents = split_sentences("Quiet headline\nNothing here at all.\nThe weather was mild.")
    assert [s.index for s in select(sents)] == [0, 1]
