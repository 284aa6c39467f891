"""Quantities component: where the counts are in a Doc and what they say.

Contract: ``doc._.quantities`` is a list of ``QuantityMention`` sorted by position.
A mention is a number expression with its qualifier ("some 1,200", "at least six",
"15,000 or 18,000", "dozens") and, when the parse shows it, the counted noun
("people" in "six people"). Numbers that are not counts are left out: years,
dates ("October 7"), times, ages ("a 12-year-old", "aged 34"), measures ("48-hour",
"10 days", "60mm"), money, ordinals and labels ("Channel 12", "Resolution 2728").
Percentages are kept with ``kind="percent"``: they are never counts of people.

Finding the span is token work (cheap set look-ups on the Doc spaCy already
made); what the span means is ``numbers.parse_quantity``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..errors import RulesError
from ..records import Quantity
from ..rules import read_json
from . import numbers

if not Doc.has_extension("quantities"):
    Doc.set_extension("quantities", default=None)

# Entity labels of the small model that mean "not a count" (CARDINAL is the count label).
_NOT_COUNT_ENTS = frozenset({"DATE", "TIME", "MONEY", "ORDINAL", "QUANTITY"})
_RANGE_SEPARATORS = frozenset({"or", "to", "-", "–", "—"})
# Words that only count when "a" precedes them ("a few", "a handful of", "a couple of").
_A_WORDS = frozenset({"few", "handful", "couple"})
_VAGUE_STARTS = frozenset({"several", "many", "numerous", "scores", "tens", "dozens"})
_ONE_NOT_COUNT_NEXT = frozenset({"of", "another", "day", "time", "side", "way", "hand", "thing"})
_ONE_NOT_COUNT_PREV = frozenset({"no", "the", "every", "any", "each", "this", "that", "which", "anyone", "someone"})


@dataclass(frozen=True)
class QuantityMention:
    start_char: int  # offsets inside the Doc (the sentence)
    end_char: int
    token_start: int
    token_end: int  # exclusive
    quantity: Quantity
    noun: int | None = None  # token index of the counted noun ("people" in "six people"), if found
    kind: str = "count"  # count | percent
    total: Quantity | None = None  # the whole of a part ("97 of the 251" -> 251)


def _is_digits(tok: Token) -> bool:
    text = tok.text
    if not text or not (text[0].isdigit() or (text[0] == "." and len(text) > 1)):
        return False
    if len(text) > 1 and text[0] == "0" and text[1].isdigit():
        return False  # "03", phone numbers, codes
    return numbers.digit_value(text) is not None


def _is_core(doc: Doc, i: int, words: frozenset[str]) -> bool:
    tok = doc[i]
    if _is_digits(tok):
        return True
    low = tok.lower_
    if low in _A_WORDS:
        return i > 0 and doc[i - 1].lower_ == "a"
    if low not in words:
        return False
    if low == "one":
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        prev = doc[i - 1].lower_ if i > 0 else ""
        if prev == "that" and doc[i - 1].dep_ == "mark":
            prev = ""  # "reported that one person was rescued": "that" opens the clause
        return nxt not in _ONE_NOT_COUNT_NEXT and prev not in _ONE_NOT_COUNT_PREV
    if low in ("scores", "tens", "many", "several", "numerous"):
        return tok.pos_ in ("NOUN", "NUM", "ADJ", "PRON", "DET")
    return True


def _extend_right(doc: Doc, end: int, words: frozenset[str]) -> int:
    """Grow a number span over number words ("one hundred and twenty", "1.9 million",
    "tens of thousands", "twenty-five")."""
    n = len(doc)
    scales = numbers.rules().scales
    while end < n:
        low = doc[end].lower_
        nxt = doc[end + 1].lower_ if end + 1 < n else ""
        if not _is_digits(doc[end]) and _is_core(doc, end, words) and low not in _VAGUE_STARTS:
            end += 1
        elif (
            low in ("-", "and")
            and nxt in words
            and nxt not in _VAGUE_STARTS
            and (low == "-" or doc[end - 1].lower_ in scales)
        ):
            end += 2  # "twenty-five", "one hundred and twenty"
        elif low == "of" and nxt in ("thousands", "millions", "hundreds") and doc[end - 1].lower_ in (
            "tens", "hundreds", "dozens", "thousands"
        ):
            end += 2
        else:
            break
    return end


def _extend_range(doc: Doc, start: int, end: int, words: frozenset[str]) -> int:
    """Include the second number of "15,000 or 18,000", "30-40", "between 30 and 40"."""
    n = len(doc)
    if end + 1 >= n:
        return end
    sep = doc[end].lower_
    between = start > 0 and doc[start - 1].lower_ == "between"
    from_ = start > 0 and doc[start - 1].lower_ == "from"
    if from_ or not (sep in _RANGE_SEPARATORS or (between and sep == "and")):
        return end
    if not _is_core(doc, end + 1, words):
        return end
    if sep == "-" and doc[end].idx != doc[end - 1].idx + len(doc[end - 1].text):
        return end  # a dash with spaces is a clause break, not a range
    return _extend_right(doc, end + 2, words)


def _extend_left(doc: Doc, start: int) -> int:
    """Include a qualifier cue ("at least", "some", "between") and the article of "a dozen"."""
    if start > 0 and doc[start - 1].lower_ in ("a", "an") and doc[start].lower_ in (
        "dozen", "hundred", "thousand", "million", "few", "handful", "couple"
    ):
        start -= 1
    for phrase, _q in numbers.rules().qualifiers:
        k = len(phrase)
        if start - k < 0:
            continue
        if tuple(t.lower_ for t in doc[start - k: start]) == phrase:
            return start - k
    if start > 0 and doc[start - 1].lower_ == "between":
        return start - 1
    return start


def _next_lower(doc: Doc, i: int) -> str:
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def _is_percent(doc: Doc, end: int, r: numbers.NumberRules) -> bool:
    nxt = _next_lower(doc, end)
    return nxt in r.percent_words or (nxt == "per" and _next_lower(doc, end + 1) == "cent")


def _in_digit_code(doc: Doc, core_start: int, end: int) -> bool:
    """True when the number is part of a code written with digits and separators: a phone
    number ("555-0134", "+972"), a reference ("12/2024/3"), a fraction or date ("20/30").
    A plain range ("30-40", "3-4") or a decimal ("1.9") is not a code."""
    lo = core_start
    while lo > 0 and not doc[lo - 1].whitespace_ and (doc[lo - 1].text in "-./+" or doc[lo - 1].text.isdigit()):
        lo -= 1
    hi = end
    while hi < len(doc) and not doc[hi - 1].whitespace_ and (doc[hi].text in "-./" or doc[hi].text.isdigit()):
        hi += 1
    joined = "".join(t.text for t in doc[lo:hi]).rstrip("-./")
    if joined.startswith("+") and joined[1:2].isdigit():
        return True
    parts = re.split(r"[-./]", joined)
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        return False
    return len(parts) > 2 or "/" in joined or any(p.startswith("0") and len(p) > 1 for p in parts[1:])


@lru_cache(maxsize=1)
def _metric_verbs() -> frozenset[str]:
    data = read_json("metrics.json")
    verbs = data.get("verbs") if isinstance(data, dict) else None
    if not isinstance(verbs, dict):
        raise RulesError("rules/metrics.json: 'verbs' must be an object; see docs/claims.md")
    return frozenset(verbs)


def _object_of_metric_verb(doc: Doc, core_start: int, end: int) -> bool:
    """"injuring 87": a bare number (which the NER may tag DATE) as the object of a
    casualty verb is a count, whatever its entity label."""
    if end - core_start != 1 or not doc[core_start].text.isdigit() or len(doc[core_start].text) == 4:
        return False
    tok = doc[core_start]
    return tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in _metric_verbs()


def _not_a_count(doc: Doc, core_start: int, end: int, r: numbers.NumberRules) -> bool:
    """Years, dates, ages, measures, money, labels: numbers that are not counts."""
    first, last = doc[core_start], doc[end - 1]
    if any(doc[k].ent_type_ in _NOT_COUNT_ENTS for k in range(core_start, end)) and not _object_of_metric_verb(
        doc, core_start, end
    ):
        return True
    prev = _next_lower(doc, core_start - 1)
    nxt = _next_lower(doc, end)
    if prev in r.months or nxt in r.months:
        return True
    if prev in r.money_before or prev in r.age_before or prev in r.label_before:
        return True
    if _in_digit_code(doc, core_start, end):
        return True  # phone numbers, codes, scores: "555-0134", "+972 3 555", "3-1"
    if nxt == "-" and end + 1 < len(doc) and doc[end + 1].is_alpha and not _is_core(
        doc, end + 1, r.number_words
    ):
        return True  # "48-hour", "12-day", "12-year-old", "5-member"
    if nxt in r.units_not_counts or (end < len(doc) and doc[end].lemma_.lower() in r.units_not_counts):
        return True
    if nxt in ("year", "years") and _next_lower(doc, end + 1) == "old":
        return True
    if core_start > 0 and doc[core_start - 1].tag_ == "NNP" and doc[core_start - 1].is_title and first.dep_ != "nummod":
        return True  # a name with a number: "Channel 12", "Unit 8200"
    if prev == "," and core_start > 1 and doc[core_start - 2].ent_type_ == "PERSON" and nxt == ",":
        return True  # "Ahmed, 34, was killed": an age
    text = first.text
    if end - core_start == 1 and len(text) == 4 and text.isdigit() and 1800 <= int(text) <= 2100:
        return not (last.dep_ == "nummod" and last.head.tag_ in ("NNS", "NNPS"))  # a year
    return False


def _counted_noun(doc: Doc, start: int, end: int) -> int | None:
    """The noun a number counts: its head ("six people"), or the object of a following
    "of" ("dozens of people", "97 of the 251 hostages")."""
    last = doc[end - 1]
    if end < len(doc) and doc[end].lower_ == "of":
        for child in doc[end].children:
            if child.dep_ == "pobj" and child.pos_ in ("NOUN", "PROPN", "PRON"):
                return child.i
    if last.dep_ in ("nummod", "quantmod", "amod", "compound") and last.head.pos_ in ("NOUN", "PROPN"):
        if not start <= last.head.i < end:
            return last.head.i
    for tok in doc[start:end]:
        if tok.dep_ == "nummod" and tok.head.pos_ in ("NOUN", "PROPN") and not start <= tok.head.i < end:
            return tok.head.i
    return None


def find_mentions(doc: Doc) -> list[QuantityMention]:
    """All number mentions of ``doc`` (one sentence), in order."""
    r = numbers.rules()
    words = r.number_words
    out: list[QuantityMention] = []
    i, n = 0, len(doc)
    while i < n:
        if not _is_core(doc, i, words):
            i += 1
            continue
        core_start = i
        end = _extend_right(doc, i + 1, words)
        end = _extend_range(doc, core_start, end, words)
        start = _extend_left(doc, core_start)
        i = end
        percent = _is_percent(doc, end, r)
        if not percent and _not_a_count(doc, core_start, end, r):
            continue
        quantity = numbers.parse_quantity(doc[start:end].text)
        if quantity is None:
            continue
        if percent:
            end += 2 if doc[end].lower_ == "per" else 1
            i = end
        span = doc[start:end]
        if percent:
            quantity = replace(quantity, text=span.text)
        out.append(
            QuantityMention(
                span.start_char,
                span.end_char,
                start,
                end,
                quantity,
                noun=_counted_noun(doc, start, end),
                kind="percent" if percent else "count",
            )
        )
    return _link_totals(doc, out)


def _link_totals(doc: Doc, mentions: list[QuantityMention]) -> list[QuantityMention]:
    """Give the part of "97 of the 251" its total."""
    out = list(mentions)
    for k, m in enumerate(mentions[:-1]):
        nxt = mentions[k + 1]
        if m.kind != "count" or nxt.kind != "count" or _next_lower(doc, m.token_end) != "of":
            continue
        gap = nxt.token_start - m.token_end
        if gap == 1 or (gap == 2 and _next_lower(doc, m.token_end + 1) in ("the", "those", "these", "all")):
            out[k] = QuantityMention(
                m.start_char, m.end_char, m.token_start, m.token_end, m.quantity,
                noun=m.noun if m.noun is not None else nxt.noun, kind=m.kind, total=nxt.quantity,
            )
    return out


@Language.component("factledger_quantities", assigns=["doc._.quantities"])
def quantities_component(doc: Doc) -> Doc:
    doc._.quantities = find_mentions(doc)
    return doc
