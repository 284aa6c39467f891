"""The pipeline's per-article limits and error isolation (hand-built inputs)."""

from __future__ import annotations

import time

import pytest

from factledger.errors import ExtractionError
from factledger.nlp import pipeline
from factledger.nlp.pipeline import Extractor, extract_many, time_limit
from factledger.records import Article


def test_time_limit_interrupts_a_runaway_block():
    started = time.monotonic()
    with pytest.raises(ExtractionError, match="time budget of 0.2 s"):
        with time_limit(0.2):
            while True:
                pass
    assert time.monotonic() - started < 2


def test_time_limit_leaves_fast_blocks_alone_and_clears_the_alarm():
    with time_limit(5):
        total = sum(range(1000))
    assert total == 499500
    time.sleep(0.05)  # no stray alarm fires after the block


class _Stalling(Extractor):
    """An extractor whose first article never finishes (a pathological input)."""

    def extract(self, article):
        if "stall" in article.text:
            while True:
                pass
        return super().extract(article)


def test_a_stalling_article_is_reported_and_the_batch_goes_on(extractor):
    slow = _Stalling(nlp=extractor.nlp, time_limit=3)
    items = [
        ("a.txt", Article.create("stall forever", title=None)),
        ("b.txt", Article.create("Three people were killed in Gaza on Friday, officials said.", title=None)),
    ]
    results = list(extract_many(items, extractor=slow))
    assert results[0].name == "a.txt" and results[0].records is None
    assert "a.txt" in results[0].error and "time budget" in results[0].error
    assert results[1].error is None and any(type(r).__name__ == "Claim" for r in results[1].records)


def test_an_article_over_the_size_limit_is_refused(extractor, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_ARTICLE_CHARS", 100)
    [result] = extract_many([("big.txt", Article.create("x " * 100, title=None))], extractor=extractor)
    assert result.records is None and "big.txt" in result.error and "over the limit" in result.error


CAMPAIGN = (
    "Senator launches campaign\n"
    "Senator Maria Delgado announced her campaign on Monday. "
    "She spoke to supporters in Chicago. "
    "Her rival, Thomas Brandt, responded quickly. "
    "Polls open in November. "
    "Donors gave generously. "
    "The party welcomed the news."
)


def test_entities_are_found_in_entities_only_sentences(extractor):
    from factledger.records import Entity

    ctx = extractor.context(Article.create(CAMPAIGN, title=None))
    assert ctx.docs == {} and len(ctx.entity_only_docs) >= 6  # not about conflict: no parse
    names = {r.name for r in extractor.extract(Article.create(CAMPAIGN, title=None)) if isinstance(r, Entity)}
    assert {"Maria Delgado", "Thomas Brandt"} <= names
