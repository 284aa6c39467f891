"""Choose the sentences worth running the statistical pipeline on.

A sentence is analysed when it contains a number (digits or a number word), a
casualty/violence/negotiation/statement cue, or when it is the article's first
sentence (headline or lead). The cue lexicon is data: ``rules/prefilter.json``.
Recall matters more than speed here: a sentence skipped is a fact lost, so the
evaluation harness measures extraction with and without the filter.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from ..errors import RulesError
from .segment import Sentence


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    path = resources.files("factledger.rules").joinpath("prefilter.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        words = [w for group in data["cues"].values() for w in group]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RulesError(f"rules/prefilter.json is invalid: {exc}") from exc
    stems = "|".join(sorted({re.escape(w.lower()) for w in words}, key=len, reverse=True))
    return re.compile(r"\d|\b(?:" + stems + r")", re.IGNORECASE)


def is_candidate(text: str) -> bool:
    return _pattern().search(text) is not None


def select(sentences: list[Sentence]) -> list[Sentence]:
    return [s for s in sentences if s.index < 2 or is_candidate(s.text)]
