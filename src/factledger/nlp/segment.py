"""Fast, rule-based paragraph and sentence segmentation.

The statistical pipeline runs only on the sentences that may carry a fact (see
``prefilter``), so segmentation has to be cheap and must not depend on the parser.
Paragraphs are never merged: a line break always ends a sentence (the headline of
a .txt article stays its own sentence). Inside a paragraph a sentence ends at
``.``, ``!`` or ``?`` (optionally followed by closing quotes/brackets) when the
next non-space character opens a new sentence (an upper-case letter, a digit or an
opening quote) and the word before the stop is not a known abbreviation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations that end with a period but rarely end a sentence in news text.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt sgt cpl pvt adm cmdr sen rep gov pres st jr sr
    rev hon amb no vs etc inc corp co ltd dept jan feb mar apr jun jul aug sep sept oct nov dec
    mt ft approx est fig u.s u.n u.k e.g i.e a.m p.m""".split()
)

_BOUNDARY = re.compile(r"""([.!?]+)(["'”’)\]]*)(\s+)(?=["'“‘(\[]?[A-Z0-9])""")
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int


def _is_abbreviation(text: str, stop_at: int) -> bool:
    """True when the word ending at ``stop_at`` (the position of the period) is an abbreviation."""
    i = stop_at
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    word = text[i:stop_at].strip("\"'“‘(").lower()
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    # Single capital initial ("J. Smith") or dotted acronym ("U.S").
    if len(word) == 1 and word.isalpha():
        return True
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with character offsets into ``text``."""
    sentences: list[Sentence] = []
    for p_index, para in enumerate(_PARAGRAPH.finditer(text)):
        p_start = para.start()
        chunk = para.group()
        pos = 0
        for m in _BOUNDARY.finditer(chunk):
            if m.group(1) == "." and _is_abbreviation(chunk, m.start(1)):
                continue
            end = m.end(2)
            _append(sentences, text, p_start + pos, p_start + end, p_index)
            pos = m.end(3)
        _append(sentences, text, p_start + pos, p_start + len(chunk), p_index)
    return sentences


def _append(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end], paragraph))
