"""Parse number expressions as written in news text into a ``Quantity``.

Pure functions over strings: no spaCy, no I/O beyond reading the rules file once.
The ``factledger_quantities`` component finds where an expression starts and ends
in a Doc; this module says what it means::

    >>> parse_quantity("more than 42,000")
    Quantity(low=42000.0, high=None, best=42000.0, qualifier='more_than', text='more than 42,000', vague=None)
    >>> parse_quantity("15,000 or 18,000").qualifier
    'range'
    >>> parse_quantity("dozens").vague
    'dozens'

The vocabulary (number words, scales, vague words with their lower bounds, qualifier
cues) is data: ``rules/claims_numbers.json``, documented in ``docs/claims.md``.
How bounds are filled for each qualifier:

============  =====  =====  ====
qualifier     low    high   best
============  =====  =====  ====
exact         v      v      v
at_least      v      --     v      (also every vague quantity, with its lower bound)
more_than     v      --     v
about         --     --     v
nearly        --     v      v
up_to         --     v      v
fewer_than    --     v      v
range         lo     hi     lo     (the lower value, as ACLED codes ranges)
============  =====  =====  ====
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import RulesError
from ..records import QUALIFIERS, Quantity
from ..rules import read_json

RULES_FILE = "claims_numbers.json"

_WORD = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+|[a-z]+(?:\.(?=\s|$))?|[-–—$%€£]")
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")


@dataclass(frozen=True)
class NumberRules:
    """The validated contents of ``rules/claims_numbers.json``."""

    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    vague_alone: dict[str, int]
    vague_multiplier: dict[str, int]
    qualifiers: tuple[tuple[tuple[str, ...], str], ...]  # longest phrase first
    units_not_counts: frozenset[str]
    percent_words: frozenset[str]
    money_before: frozenset[str]
    label_before: frozenset[str]
    age_before: frozenset[str]
    months: frozenset[str]

    @property
    def number_words(self) -> frozenset[str]:
        """Single words that can be (part of) a number, excluding the article 'a'."""
        vague_single = {w for w in self.vague_alone if " " not in w}
        return frozenset(
            (set(self.units) - {"a", "an", "single"}) | set(self.tens) | set(self.scales)
            | {s + "s" for s in self.scales} | vague_single
        ) - {"k", "m", "mn", "bn"}


def _str_list(data: dict[str, Any], key: str) -> frozenset[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"rules/{RULES_FILE}: not_counts.{key} must be a list of strings")
    return frozenset(v.lower() for v in value)


def _int_map(data: Any, key: str) -> dict[str, int]:
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in data.items()
    ):
        raise RulesError(f"rules/{RULES_FILE}: '{key}' must map words to integers")
    return {k.lower(): v for k, v in data.items()}


def validate_rules(data: Any) -> NumberRules:
    """Check the structure of the number rules and build ``NumberRules``; raise RulesError."""
    if not isinstance(data, dict):
        raise RulesError(f"rules/{RULES_FILE}: the top level must be an object")
    for key in ("units", "tens", "scales", "vague", "qualifiers", "not_counts"):
        if key not in data:
            raise RulesError(f"rules/{RULES_FILE}: missing key '{key}'; see docs/claims.md")
    vague = data["vague"].get("words") if isinstance(data["vague"], dict) else None
    if not isinstance(vague, dict):
        raise RulesError(f"rules/{RULES_FILE}: 'vague.words' must be an object")
    alone: dict[str, int] = {}
    mult: dict[str, int] = {}
    for word, spec in vague.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("alone"), int) or not isinstance(
            spec.get("multiplier"), int
        ):
            raise RulesError(
                f"rules/{RULES_FILE}: vague word '{word}' needs integer 'alone' and 'multiplier'"
            )
        alone[word.lower()] = spec["alone"]
        mult[word.lower()] = spec["multiplier"]
    quals = data["qualifiers"]
    if not isinstance(quals, dict):
        raise RulesError(f"rules/{RULES_FILE}: 'qualifiers' must map phrases to qualifiers")
    bad = sorted(q for q in quals.values() if q not in QUALIFIERS)
    if bad:
        raise RulesError(
            f"rules/{RULES_FILE}: unknown qualifier(s) {bad}; use one of {', '.join(QUALIFIERS)}"
        )
    phrases = sorted(
        ((tuple(p.lower().split()), q) for p, q in quals.items()), key=lambda pq: -len(pq[0])
    )
    nc = data["not_counts"]
    if not isinstance(nc, dict):
        raise RulesError(f"rules/{RULES_FILE}: 'not_counts' must be an object")
    return NumberRules(
        units=_int_map(data["units"], "units"),
        tens=_int_map(data["tens"], "tens"),
        scales=_int_map(data["scales"], "scales"),
        vague_alone=alone,
        vague_multiplier=mult,
        qualifiers=tuple(phrases),
        units_not_counts=_str_list(nc, "units"),
        percent_words=_str_list(nc, "percent"),
        money_before=_str_list(nc, "money_before"),
        label_before=_str_list(nc, "label_before"),
        age_before=_str_list(nc, "age_before"),
        months=_str_list(nc, "months"),
    )


@lru_cache(maxsize=1)
def rules() -> NumberRules:
    """The number rules, loaded and validated once."""
    return validate_rules(read_json(RULES_FILE))


def words_of(text: str) -> list[str]:
    """Lower-cased words of a number expression ("twenty-five" -> twenty, -, five)."""
    return _WORD.findall(text.lower().replace("per cent", "percent"))


def digit_value(word: str) -> float | None:
    """The value of a digit string ("1,200" -> 1200.0), or None."""
    if not _DIGITS.fullmatch(word):
        return None
    return float(word.replace(",", ""))


def _scale_of(word: str, r: NumberRules) -> int | None:
    if word in r.scales:
        return r.scales[word]
    return None


def parse_value(words: list[str]) -> tuple[float, str | None] | None:
    """The value of a run of number words with no qualifier, and the vague phrase if any.

    ``["1.9", "million"]`` -> (1900000.0, None); ``["two", "dozen"]`` -> (24.0, None);
    ``["tens", "of", "thousands"]`` -> (10000.0, "tens of thousands").
    Returns None when the words are not a number.
    """
    r = rules()
    words = [w for w in words if w != "-"]
    while words and words[-1] == "of":
        words = words[:-1]
    if not words:
        return None
    phrase = " ".join(words)
    if phrase in r.vague_alone:
        return float(r.vague_alone[phrase]), phrase
    # A vague word scaling a scale: "a few thousand", "several hundred", "dozens of thousands".
    for vague, mult in r.vague_multiplier.items():
        vw = vague.split()
        if words[: len(vw)] == vw and len(words) > len(vw):
            rest = [w for w in words[len(vw):] if w != "of"]
            scale = 1
            for w in rest:
                s = _scale_of(w, r) or _scale_of(w.rstrip("s"), r)
                if s is None:
                    return None
                scale *= s
            return float(mult * scale), phrase
    return _exact_value(words, r)


def _exact_value(words: list[str], r: NumberRules) -> tuple[float, str | None] | None:
    total = 0.0
    current: float | None = None
    seen = False
    for i, w in enumerate(words):
        d = digit_value(w)
        if d is not None:
            if current is not None:
                return None  # two numbers in a row: not one value
            current = d
        elif w in ("a", "an"):
            if i + 1 >= len(words) or _scale_of(words[i + 1], r) is None or current is not None:
                return None
            current = 1.0
        elif w in r.units and w != "single":
            if current is None:
                current = float(r.units[w])
            elif current >= 20 and current % 10 == 0:
                current += r.units[w]  # "twenty five", "one hundred five"
            else:
                return None
        elif w in r.tens:
            if current is None:
                current = float(r.tens[w])
            elif current >= 100 and current % 100 == 0:
                current += r.tens[w]  # "one hundred twenty"
            else:
                return None
        elif w == "and" and seen:
            continue
        elif _scale_of(w, r) is not None:
            s = _scale_of(w, r) or 1
            base = current if current is not None else (1.0 if not seen else None)
            if base is None and total:
                total *= s  # "one hundred thousand"
                continue
            if base is None:
                return None
            if s == 100:
                current = base * s
            else:
                total += base * s
                current = None
        else:
            return None
        seen = True
    if not seen:
        return None
    return total + (current or 0.0), None


def split_qualifier(words: list[str]) -> tuple[str | None, list[str]]:
    """Split a leading qualifier cue off ``words``: (qualifier or None, the rest)."""
    r = rules()
    for phrase, qualifier in r.qualifiers:
        n = len(phrase)
        if tuple(words[:n]) == phrase and len(words) > n:
            return qualifier, words[n:]
    return None, words


def _range(words: list[str], *, between: bool) -> tuple[float, float] | None:
    r = rules()
    seps = ("and",) if between else ("or", "to", "-", "–", "—")
    for k, w in enumerate(words):
        if w not in seps or k == 0 or k == len(words) - 1:
            continue
        left, right = parse_value(words[:k]), parse_value(words[k + 1:])
        if left is None or right is None or left[1] or right[1]:
            continue
        lo, hi = left[0], right[0]
        right_scale = _scale_of(words[-1], r)
        if right_scale and right_scale >= 1000 and not any(_scale_of(x, r) for x in words[:k]):
            lo *= right_scale  # "two to three million"
        if lo < hi:
            return lo, hi
    return None


def make_quantity(value: float, qualifier: str, *, text: str, vague: str | None = None) -> Quantity:
    """A Quantity with bounds filled as the module docstring's table says."""
    if qualifier in ("exact",):
        return Quantity(value, value, value, "exact", text, vague)
    if qualifier in ("at_least", "more_than"):
        return Quantity(value, None, value, qualifier, text, vague)  # type: ignore[arg-type]
    if qualifier in ("nearly", "up_to", "fewer_than"):
        return Quantity(None, value, value, qualifier, text, vague)  # type: ignore[arg-type]
    return Quantity(None, None, value, "about", text, vague)


def parse_quantity(text: str) -> Quantity | None:
    """Parse a whole number expression ("some 1,200", "between 30 and 40", "dozens").

    Returns None when ``text`` is not a number expression. Percent signs and
    currency are not handled here: the quantities component decides what a number
    counts before calling this.
    """
    words = words_of(text)
    if not words:
        return None
    tail_about = words[-2:] == ["or", "so"]
    if tail_about:
        words = words[:-2]
    if words[0] == "between":
        rng = _range(words[1:], between=True)
        if rng:
            return Quantity(rng[0], rng[1], rng[0], "range", text)
        return None
    if words[0] == "from":
        words = words[1:]
    qualifier, rest = split_qualifier(words)
    rng = _range(rest, between=False)
    if rng:
        return Quantity(rng[0], rng[1], rng[0], "range", text)
    parsed = parse_value(rest)
    if parsed is None:
        return None
    value, vague = parsed
    if tail_about and qualifier is None:
        qualifier = "about"
    if vague is not None:
        # A vague quantity is a lower bound (ACLED convention) unless a cue says otherwise.
        return make_quantity(value, qualifier or "at_least", text=text, vague=vague)
    return make_quantity(value, qualifier or "exact", text=text)


def parse_part_of(text: str) -> tuple[Quantity, Quantity] | None:
    """Parse "97 of the 251" into (part, total); None when ``text`` is not that shape."""
    m = re.fullmatch(r"\s*(.+?)\s+of\s+(?:the|those|these|all)?\s*(.+?)\s*", text, re.IGNORECASE)
    if not m:
        return None
    part, total = parse_quantity(m.group(1)), parse_quantity(m.group(2))
    if part is None or total is None or part.vague or total.vague:
        return None
    return part, total
