"""Fatalities and injured of one event, read from its sentence.

Uses ``doc._.quantities`` when the quantities component fills it; until then (and for
numbers it does not attach to a casualty word) a small fallback reads digits and number
words (via text2num). ACLED conventions, from the ACLED codebook and the notes in
acled-gaza/dev.csv: "casualties unknown" and "no casualties" code 0; an explicit coder
annotation ("fatalities coded as 10") wins; an unspecified plural ("several people were
killed", "unspecified number of fatalities") is coded 3, "dozens" 12, "hundreds" 100.
"""

from __future__ import annotations

import re

from ..records import Quantity

try:  # text2num is a declared dependency; keep the fallback importable without it
    from text_to_num import alpha2digit
except ImportError:  # pragma: no cover
    alpha2digit = None

# ACLED codebook: unspecified plural -> 3; "dozens" -> 12; "hundreds" -> 100.
VAGUE_CODES = {
    "several": 3,
    "some": 3,
    "a number of": 3,
    "unspecified number of": 3,
    "many": 3,
    "an unspecified number of": 3,
    "a few": 3,
    "multiple": 3,
    "dozens of": 12,
    "dozens": 12,
    "scores of": 12,
    "hundreds of": 100,
    "hundreds": 100,
}

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
_QUAL = r"(?P<q>at least|more than|over|about|around|nearly|almost|some|up to|approximately|roughly)?\s*"
_VAGUE = "|".join(sorted((re.escape(k) for k in VAGUE_CODES), key=len, reverse=True))
_PEOPLE = (
    r"(?:\w+\s+){0,3}?(?:people|persons?|Palestinians?|Israelis?|civilians?|children|child|women|woman|men|man|"
    r"members?|militants?|soldiers?|fighters?|others?|individuals?|residents?|family members|relatives|"
    r"journalists?|paramedics?|boys?|girls?|infants?|babies|teenagers?|youths?|operatives?|commanders?|"
    r"officials?|policemen|officers?|troops|workers?|students?|Lebanese|Syrians?|siblings|brothers?|sisters?)"
)
_DEAD = r"(?:killed|dead|died|fatalities|deaths|martyred|slain|perished|lost their lives|shot dead)"
_HURT = r"(?:injured|wounded|injuries|hurt|casualties)"

CODED = re.compile(
    r"(?:fatalities|deaths)?\s*(?:were\s+)?coded\s+(?:as|to|at)\s+(?:at least\s+)?(?P<n>\d[\d,]*)",
    re.IGNORECASE,
)
ZERO = re.compile(
    r"\b(?:no|zero)\s+(?:\w+\s+)?(?:casualties|fatalities|deaths|one was (?:killed|hurt|injured)|injuries|victims)"
    r"|\bwithout\s+(?:causing\s+)?(?:any\s+)?casualties|\bnobody was (?:killed|hurt)|\bno one was (?:killed|hurt)"
    r"|casualties (?:are |were |remain )?unknown|unknown casualties|fatalities (?:are |were )?unknown"
    r"|no reported (?:casualties|fatalities)|did not (?:cause|result in) (?:any )?casualties",
    re.IGNORECASE,
)


def _patterns(word: str) -> list[re.Pattern[str]]:
    n = rf"(?P<n>{_NUM}|{_VAGUE}|an?|one)"
    return [
        re.compile(
            rf"\b(?:killing|killed|kills|leaving|left)\s+{_QUAL}{n}(?:\s+{_PEOPLE})?(?:\s+(?:dead|killed))?\b"
            if word == "dead"
            else rf"\b(?:injuring|injured|wounding|wounded|injures|wounds)\s+{_QUAL}{n}\b",
            re.IGNORECASE,
        ),
        re.compile(
            rf"\b{_QUAL}{n}\s+{_PEOPLE}?\s*(?:\w+\s+){{0,2}}?(?:were|was|have been|had been|are|been|got|being)?\s*(?:\w+\s+)?"
            + (_DEAD if word == "dead" else _HURT) + r"\b",  # "a deadly attack" is no toll
            re.IGNORECASE,
        ),
        re.compile(
            rf"\b(?:leaving|left)\s+{_QUAL}{n}\s+{_PEOPLE}?\s*" + (_DEAD if word == "dead" else _HURT) + r"\b",
            re.IGNORECASE,
        ),
    ]


_DEAD_PATTERNS = _patterns("dead")
_HURT_PATTERNS = _patterns("hurt")
_YEAR_BEFORE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\s*,?\s*(?:\d{1,2},?\s*)?$"
)
_QUAL_MAP = {
    "at least": "at_least",
    "more than": "more_than",
    "over": "more_than",
    "about": "about",
    "around": "about",
    "nearly": "nearly",
    "almost": "nearly",
    "some": "about",
    "up to": "up_to",
    "approximately": "about",
    "roughly": "about",
}


def _digits(text: str) -> str:
    if alpha2digit is None:
        return text
    return alpha2digit(text, "en")


def _value(raw: str) -> tuple[float, str | None]:
    low = raw.lower()
    if low in ("a", "an", "one"):
        return 1.0, None
    if low in VAGUE_CODES:
        return float(VAGUE_CODES[low]), low
    return float(low.replace(",", "")), None


def _scan(text: str, patterns: list[re.Pattern[str]]) -> Quantity | None:
    found: list[tuple[int, Quantity]] = []
    seen: set[int] = set()
    for pattern in patterns:
        for m in pattern.finditer(text):
            raw = m.group("n")
            if (
                m.start("n") in seen
                or _YEAR_BEFORE.search(text[max(0, m.start("n") - 12) : m.start("n")])
                and raw.isdigit()
                and len(raw) == 4
            ):
                continue
            seen.add(m.start("n"))
            value, vague = _value(raw)
            qual = _QUAL_MAP.get((m.group("q") or "").lower(), "exact") if m.group("q") else "exact"
            if vague:
                found.append((m.start(), Quantity(None, None, value, "about", m.group().strip(), vague)))
            else:
                found.append(
                    (
                        m.start(),
                        Quantity(value, None if qual != "exact" else value, value, qual, m.group().strip()),
                    )
                )
    if not found:
        return None
    found.sort(key=lambda x: x[0])
    exact = [q for _, q in found if q.vague is None]
    if len(exact) > 1:
        total = sum(q.best or 0 for q in exact)
        return Quantity(total, total, total, "exact", "; ".join(q.text for q in exact))
    return exact[0] if exact else found[0][1]


def fatalities(text: str) -> Quantity | None:
    """Deaths in ``text`` (a sentence or the sentences of one event)."""
    coded = CODED.search(text)
    if coded:
        n = float(coded.group("n").replace(",", ""))
        return Quantity(
            n, None, n, "at_least" if "at least" in coded.group().lower() else "exact", coded.group().strip()
        )
    converted = _digits(text)
    q = _scan(converted, _DEAD_PATTERNS)
    if q is not None:
        return q
    if ZERO.search(text):
        return Quantity(0, 0, 0, "exact", ZERO.search(text).group())
    if re.search(
        r"\b(?:an? )?unspecified number of (?:people|persons|fatalities|Palestinians)|several (?:people|persons|Palestinians) (?:were )?killed",
        text,
        re.IGNORECASE,
    ):
        return Quantity(None, None, 3, "about", "unspecified number", "unspecified")
    return None


def injured(text: str) -> Quantity | None:
    converted = _digits(text)
    q = _scan(converted, _HURT_PATTERNS)
    if q is not None:
        return q
    if re.search(r"\bno (?:\w+ )?(?:injuries|casualties)|no one was (?:hurt|injured)", text, re.IGNORECASE):
        return Quantity(0, 0, 0, "exact", "no injuries")
    return None
