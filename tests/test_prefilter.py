"""The pre-filter: which sentences get the full pipeline, which get entities only."""

from __future__ import annotations

from factledger.nlp import prefilter
from factledger.nlp.segment import split_sentences

CONFLICT = (
    "Strike hits market\n"
    "An air strike hit the market on Friday. "
    "The ministry said at least 14 people were killed. "
    "The market reopened later. "
    "Residents were shocked. "
    "The mayor visited the site. "
    "Rebels denied firing rockets."
)
CAMPAIGN = (
    "Senator launches campaign\n"
    "The senator announced her campaign on Monday. "
    "She spoke in Ohio. "
    "Her rival responded quickly. "
    "Polls open in November. "
    "Donors gave generously. "
    "The party welcomed the news."
)


def _indexes(sentences):
    return [s.index for s in sentences]


def test_a_conflict_article_sends_fact_sentences_to_the_full_pipeline():
    sentences = split_sentences(CONFLICT)
    full, light = prefilter.split(CONFLICT, sentences)
    texts = [s.text for s in full]
    assert "The ministry said at least 14 people were killed." in texts
    assert "Rebels denied firing rockets." in texts
    assert _indexes(full)[:2] == [0, 1]  # headline and lead always
    assert "Residents were shocked." in [s.text for s in light]
    assert sorted(_indexes(full) + _indexes(light)) == _indexes(sentences)


def test_a_long_article_not_about_conflict_gets_entities_only():
    sentences = split_sentences(CAMPAIGN)
    assert len(sentences) >= prefilter.SHORT_TEXT_SENTENCES
    full, light = prefilter.split(CAMPAIGN, sentences)
    assert full == [] and len(light) == len(sentences)


def test_a_short_text_is_always_coded():
    text = "The foreign minister met his Egyptian counterpart in Cairo on Tuesday."
    sentences = split_sentences(text)
    full, light = prefilter.split(text, sentences)
    assert _indexes(full) == [0] and light == []


def test_relevance_needs_more_than_one_cue():
    assert not prefilter.is_relevant("The army band played at the parade.")
    assert prefilter.is_relevant("The army said two soldiers were killed.")
