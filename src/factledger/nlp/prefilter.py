"""Choose how much analysis each sentence gets (the main lever for speed, FIELD-NOTES).

Two decisions, both driven by lexicons in ``rules/prefilter.json`` (data, not code):

1. **Is the article about conflict?** It is when it holds at least ``min_relevance_hits``
   word-start cues from ``relevance`` (killed, air strike, hostages, ceasefire, protest...).
   A long article that is not gets named entities only: none of our casualty metrics or
   violent event types can be read from it without such a word. Short texts (fewer than
   ``SHORT_TEXT_SENTENCES`` sentences: a snippet, a wire brief, an event note) are always
   treated as relevant: the saving would be small and a user who sends one sentence wants
   it coded (including non-violent PLOVER interactions such as a meeting).
2. **Which sentences of a relevant article get the full pipeline?** Those with a number
   (digits or a number word), a casualty/violence/negotiation/statement cue, and the first
   two (headline and lead). The others get named entities only.

Recall matters more than speed here: a sentence skipped is a fact lost. The evaluation
harness measures extraction through this filter, and ``make bench`` measures its speed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import RulesError
from ..rules import read_json
from .segment import Sentence

LEAD_SENTENCES = 2
SHORT_TEXT_SENTENCES = 6


@dataclass(frozen=True)
class _Rules:
    cue: re.Pattern[str]
    relevance: re.Pattern[str]
    min_relevance_hits: int


def _stems(words: list[str]) -> str:
    return "|".join(sorted({re.escape(w.lower()) for w in words}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = read_json("prefilter.json")
    try:
        words = [w for group in data["cues"].values() for w in group]
        relevance = list(data["relevance"])
        hits = int(data["min_relevance_hits"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RulesError(f"rules/prefilter.json is invalid: {exc!r} (needs cues, relevance, min_relevance_hits)") from exc
    return _Rules(
        cue=re.compile(r"\d|\b(?:" + _stems(words) + r")", re.IGNORECASE),
        relevance=re.compile(r"\b(?:" + _stems(relevance) + r")", re.IGNORECASE),
        min_relevance_hits=hits,
    )


def is_candidate(text: str) -> bool:
    """True when a sentence may carry a fact (a number or a cue)."""
    return _rules().cue.search(text) is not None


def is_relevant(text: str) -> bool:
    """True when an article is about armed conflict, protest or hostages."""
    r = _rules()
    found = 0
    for _ in r.relevance.finditer(text):
        found += 1
        if found >= r.min_relevance_hits:
            return True
    return False


def select(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences of a relevant article that get the full pipeline."""
    return [s for s in sentences if s.index < LEAD_SENTENCES or is_candidate(s.text)]


def split(text: str, sentences: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """(full, entities-only) sentences of an article."""
    if len(sentences) >= SHORT_TEXT_SENTENCES and not is_relevant(text):
        return [], list(sentences)
    full = select(sentences)
    chosen = {s.index for s in full}
    return full, [s for s in sentences if s.index not in chosen]
