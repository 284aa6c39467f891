"""Dates: find date mentions in a sentence Doc and resolve them to ``When``.

``resolve(text, published=, year_hint=)`` is rule based: explicit dates ("2 January
2024", "October 7, 2023", "6-Jun-25", "2024-01-02"), month-days without a year
("January 2": the latest such date not after publication), months ("late November",
"as of August": month precision), years ("in 2017"), weekdays ("on Friday": the most
recent such day on or before publication), relative days ("yesterday", "overnight",
"this morning", "3 days ago"), weeks ("last week", "early next week": week precision)
and ranges ("between Oct 7 and Nov 24": ``date`` and ``end``). dateparser is used only
as a last resort on what the rules do not cover (FIELD-NOTES: it misreads "late
November", "as of August" and picks the publication year for past month-days).

Without a publication date, explicit month-days use ``year_hint`` and relative
expressions (weekdays, "yesterday") stay unknown: a date is never invented.

Contract: ``doc._.dates`` is a list of ``DateMention`` sorted by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc

from ..records import When

if not Doc.has_extension("dates"):
    Doc.set_extension("dates", default=None)

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

# Explicit shapes, tried in order on the whole expression (lower-cased).
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<day>\d\d)\b")
_DMONY = re.compile(rf"\b{_DAY}[ -]{_MONTH}(?:,?[ -](?P<year>(?:19|20)?\d\d))?\b")
_MONDY = re.compile(rf"\b{_MONTH} {_DAY}\b(?:,? {_YEAR})?")
_MONY = re.compile(rf"\b{_MONTH},? {_YEAR}\b")
_MON = re.compile(rf"\b(?P<part>early|mid|middle of|late|end of|beginning of|start of)?[ -]?{_MONTH}\b")
_YEAR_ONLY = re.compile(rf"\b{_YEAR}\b")
_WEEKDAY_RE = re.compile(rf"\b(?P<rel>last|next|this|past)?\s*{_WEEKDAY}\b")
_AGO = re.compile(r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten) (?P<unit>day|week|month|year)s? ago\b")
_RANGE = re.compile(r"\b(?:between|from)\s+(?P<a>.+?)\s+(?:and|to|until|till)\s+(?P<b>.+)$|^(?P<c>.+?)(?:\s*[-–—]\s*|\s+(?:to|until|through)\s+)(?P<d>.+)$")
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_RELATIVE_DAYS = (
    (re.compile(r"\b(?:today|this (?:morning|afternoon|evening)|tonight|earlier today|later today)\b"), 0),
    (re.compile(r"\b(?:yesterday|last night|overnight)\b"), -1),
    (re.compile(r"\b(?:day before yesterday)\b"), -2),
    (re.compile(r"\btomorrow\b"), 1),
)
_WEEK = re.compile(r"\b(?P<rel>last|past|this|next|coming)\s+week(?:end)?\b")
_REL_MONTH = re.compile(r"\b(?P<rel>last|this|next)\s+month\b")
_REL_YEAR = re.compile(r"\b(?P<rel>last|this|next)\s+year\b")


@dataclass(frozen=True)
class DateMention:
    start_char: int  # offsets inside the Doc (the sentence)
    end_char: int
    text: str
    when: When


# ---------------------------------------------------------------- helpers


def _month_day_year(month: int, day: int, published: date | None, year_hint: int | None) -> date | None:
    """The latest (month, day) not after publication; with no publication, in year_hint."""
    if published is not None:
        for year in (published.year, published.year - 1):
            d = _safe_date(year, month, day)
            if d is not None and d <= published:
                return d
        return None
    if year_hint is not None:
        return _safe_date(year_hint, month, day)
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_year(month: int, published: date | None, year_hint: int | None) -> int | None:
    """The year of a bare month: the latest not after publication."""
    if published is not None:
        return published.year if month <= published.month else published.year - 1
    return year_hint


def _full_year(y: str) -> int:
    n = int(y)
    return n + 2000 if n < 100 else n


def _when(d: date | None, precision: str, text: str, end: date | None = None) -> When:
    if d is None:
        return When(None, "unknown", text)
    return When(d.isoformat(), precision, text, end.isoformat() if end else None)  # type: ignore[arg-type]


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


# ---------------------------------------------------------------- resolution


def _explicit(t: str, text: str, published: date | None, year_hint: int | None) -> When | None:
    m = _ISO.search(t)
    if m:
        return _when(_safe_date(int(m["year"]), int(m["m"]), int(m["day"])), "day", text)
    for rx in (_DMONY, _MONDY):
        m = rx.search(t)
        if m and 1 <= int(m["day"]) <= 31:
            month = MONTHS[m["month"].rstrip(".")]
            if m["year"]:
                return _when(_safe_date(_full_year(m["year"]), month, int(m["day"])), "day", text)
            return _when(_month_day_year(month, int(m["day"]), published, year_hint), "day", text)
    m = _MONY.search(t)
    if m:
        return _when(_safe_date(int(m["year"]), MONTHS[m["month"].rstrip(".")], 1), "month", text)
    return None


def _relative(t: str, text: str, published: date | None) -> When | None:
    """Expressions relative to publication; unknown without a publication date."""
    for rx, offset in _RELATIVE_DAYS:
        if rx.search(t):
            return _when(published + timedelta(days=offset) if published else None, "day", text)
    m = _AGO.search(t)
    if m:
        n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]
        if published is None:
            return When(None, "unknown", text)
        unit = m["unit"]
        if unit == "day":
            return _when(published - timedelta(days=n), "day", text)
        if unit == "week":
            return _when(_monday(published - timedelta(weeks=n)), "week", text)
        if unit == "month":
            y, mo = divmod(published.year * 12 + published.month - 1 - n, 12)
            return _when(date(y, mo + 1, 1), "month", text)
        return _when(date(published.year - n, 1, 1), "year", text)
    m = _WEEK.search(t)
    if m:
        if published is None:
            return When(None, "unknown", text)
        shift = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[m["rel"]]
        return _when(_monday(published) + timedelta(weeks=shift), "week", text)
    m = _WEEKDAY_RE.search(t)
    if m:
        if published is None:
            return When(None, "unknown", text)
        wd = WEEKDAYS[m["weekday"]]
        back = (published.weekday() - wd) % 7
        if m["rel"] == "next":
            return _when(published + timedelta(days=(wd - published.weekday()) % 7 or 7), "day", text)
        if m["rel"] in ("last", "past") and back == 0:
            back = 7
        return _when(published - timedelta(days=back), "day", text)
    for rx, unit in ((_REL_MONTH, "month"), (_REL_YEAR, "year")):
        m = rx.search(t)
        if m:
            if published is None:
                return When(None, "unknown", text)
            shift = {"last": -1, "this": 0, "next": 1}[m["rel"]]
            if unit == "year":
                return _when(date(published.year + shift, 1, 1), "year", text)
            y, mo = divmod(published.year * 12 + published.month - 1 + shift, 12)
            return _when(date(y, mo + 1, 1), "month", text)
    return None


def _coarse(t: str, text: str, published: date | None, year_hint: int | None) -> When | None:
    """A bare month ("late November", "as of August") or a year ("in 2017")."""
    m = _MON.search(t)
    if m and not (m["month"] == "may" and not re.search(r"\b(?:in|of|since|until|early|mid|late|as of)\s+may\b", t)):
        month = MONTHS[m["month"].rstrip(".")]
        y = _YEAR_ONLY.search(t)
        year = int(y["year"]) if y else _month_year(month, published, year_hint)
        return _when(_safe_date(year, month, 1) if year else None, "month", text)
    m = _YEAR_ONLY.search(t)
    if m:
        return _when(date(int(m["year"]), 1, 1), "year", text)
    return None


def _single(t: str, text: str, published: date | None, year_hint: int | None) -> When | None:
    return (
        _explicit(t, text, published, year_hint)
        or _relative(t, text, published)
        or _coarse(t, text, published, year_hint)
    )


def _range(t: str, text: str, published: date | None, year_hint: int | None) -> When | None:
    if _ISO.fullmatch(t) or re.fullmatch(r"\d{1,2}-[a-z]{3,9}\.?-\d{2,4}", t):  # "6-Jun-25" is one date
        return None
    m = _RANGE.search(t)
    if not m:
        return None
    a, b = (m["a"], m["b"]) if m["a"] else (m["c"], m["d"])
    if not a or not b:
        return None
    # "Oct 7-10": the end borrows the month of the start.
    if re.fullmatch(r"[0-3]?\d", b.strip()) and (sm := re.search(_MONTH, a)):
        b = f"{sm['month']} {b.strip()}"
    # "from 1 to 3 January 2024": the start borrows the month (and year) of the end.
    if re.fullmatch(r"[0-3]?\d", a.strip()) and (em := re.search(rf"{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?", b)):
        a = f"{a.strip()} {em['month']} {em['year'] or ''}".strip()
    # "between Oct 7 and Nov 24, 2023": the start borrows the year of the end.
    yb = _YEAR_ONLY.search(b)
    if yb and not _YEAR_ONLY.search(a):
        a = f"{a} {yb['year']}" if _MONDY.search(a) is None else f"{a}, {yb['year']}"
    wa = _single(a, text, published, year_hint)
    wb = _single(b, text, published, year_hint)
    if wa is None or wb is None or wa.date is None or wb.date is None:
        return None
    start, end = date.fromisoformat(wa.date), date.fromisoformat(wb.date)
    if end < start and not yb:  # "Dec 28 to Jan 3": the start is in the year before
        start = _safe_date(start.year - 1, start.month, start.day) or start
    if end < start:  # not a range ("2023 - AUG" read with another year): never an end before the start
        return None
    return When(start.isoformat(), wa.precision, text, end.isoformat())


def resolve(text: str, *, published: date | None, year_hint: int | None = None) -> When:
    """Resolve a date expression relative to the publication date (see module doc)."""
    t = " ".join(text.lower().replace("\u2013", "-").split()).strip(" ,.")
    if not t:
        return When(None, "unknown", text)
    when = _range(t, text, published, year_hint) or _single(t, text, published, year_hint)
    if when is not None:
        return when
    return _dateparser_fallback(t, text, published)


def _dateparser_fallback(t: str, text: str, published: date | None) -> When:
    if published is None or not re.search(r"\d", t):
        return When(None, "unknown", text)
    from datetime import datetime

    import dateparser

    base = datetime(published.year, published.month, published.day)
    parsed = dateparser.parse(
        t, languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "STRICT_PARSING": True},
    )
    if parsed is None or parsed.date() > published:
        return When(None, "unknown", text)
    return When(parsed.date().isoformat(), "day", text)


# ---------------------------------------------------------------- datelines

_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z.'’ -]{1,40}?(?:,\s*[A-Z][A-Za-z.]+)?)\s*,?\s*"
    r"(?P<date>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?)?\s*"
    r"(?:\((?P<agency>[A-Za-z ]{2,20})\))?\s*(?:-|–|—|:)\s",
    re.IGNORECASE,
)


def dateline(text: str, *, published: date | None = None, year_hint: int | None = None) -> tuple[str | None, date | None]:
    """The place and date of a wire dateline ("JERUSALEM, Jan 2 (Reuters) - ...").

    The place must be written in capitals (as datelines are); returns (None, None)
    when the text does not open with a dateline.
    """
    m = _DATELINE.match(text)
    if not m or not (m["date"] or m["agency"]):
        return None, None
    place = m["place"].strip(" ,")
    head = place.split(",")[0]
    if head != head.upper() or len(head.strip()) < 2:
        return None, None
    place = place.title() if place == place.upper() else place
    day = None
    if m["date"]:
        w = resolve(m["date"], published=published, year_hint=year_hint)
        day = date.fromisoformat(w.date) if w.date else None
    return place, day


# ---------------------------------------------------------------- spaCy component

_PATTERNS = re.compile(
    "|".join(
        [
            r"\b(?:between|from)\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,?\s+\d{4})?\s+(?:and|to|until)\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,?\s+\d{4})?",
            r"\b\d{1,2}-[A-Z][a-z]{2}-\d{2}\b",
            r"\b(?:19|20)\d\d-\d\d-\d\d\b",
            r"\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)(?:,?\s+\d{4})?",
            r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?",
            r"\bMay\s+\d{1,2}\b(?:,?\s+\d{4})?",
            r"\b(?:(?:early|mid|late)[ -])?(?:January|February|March|April|June|July|August|September|October|November|December)(?:\s+\d{4})?\b",
            r"\b(?:early|late|mid|in|of|since|until)\s+May\b(?:\s+(?:19|20)\d\d\b)?",
            r"\b(?-i:May)\s+(?:19|20)\d\d\b",
            r"\b(?:(?:early|late)\s+)?(?:last|next|this|past)\s+(?:week|month|year)\b",
            r"\b(?:(?:last|next|this|on)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
            r"\b(?:today|yesterday|overnight|tonight|last night|this (?:morning|afternoon|evening))\b",
            r"\b(?:\d+|one|two|three|four|five|six|seven|a) (?:day|week|month|year)s? ago\b",
            r"\b(?:in|since|during|by|of) (?:19|20)\d\d\b",
        ]
    ),
    re.IGNORECASE,
)


def find_dates(text: str, spans: list[tuple[int, int]], *, published: date | None, year_hint: int | None) -> list[DateMention]:
    """Date mentions in ``text``: our patterns first, then spaCy DATE/TIME spans
    (``spans``) that resolve to a date and do not overlap a pattern match."""
    found: list[tuple[int, int]] = []
    for m in _PATTERNS.finditer(text):
        s, e = m.start(), m.end()
        lead = re.match(r"(?:on|in|of|since|during|by)\s+", m.group(), re.IGNORECASE)
        if lead and not re.match(r"(?:in|of|since|until)\s+May", m.group(), re.IGNORECASE):
            s += lead.end()
        if not any(s < fe and fs < e for fs, fe in found):
            found.append((s, e))
    for s, e in spans:
        if not any(s < fe and fs < e for fs, fe in found):
            found.append((s, e))
    out = []
    for s, e in sorted(found):
        when = resolve(text[s:e], published=published, year_hint=year_hint)
        is_weekday = re.fullmatch(r"(?:last |next |this )?[A-Za-z]+day", text[s:e], re.IGNORECASE)
        if when.date is None and not is_weekday:
            continue
        out.append(DateMention(s, e, text[s:e], when))
    return out


@Language.component("factledger_dates", assigns=["doc._.dates"])
def dates_component(doc: Doc) -> Doc:
    spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    doc._.dates = find_dates(
        doc.text, spans, published=doc.user_data.get("published"), year_hint=doc.user_data.get("year_hint")
    )
    return doc
