"""Suite ``acled-lebanon``: ACLED notes on Israeli strikes in south Lebanon (``acled-lebanon/dev.csv``).

The file gives only date, latitude, longitude and the note; casualties are inside the note.
We score the primary event: location within 5 km, date exact, and the "killed" count.

The gold "killed" count comes from the note by an independent rule (``gold_killed``), written
for this file's formulaic English and deliberately simpler than the extractor:

* "no casualties" (any phrasing: "There were no casualties", "No casualties were reported") -> 0;
* "fatalities coded as N" -> N (ACLED's own total);
* otherwise the sum over sentences of: the number words/digits before "was/were killed"
  ("One Hezbollah commander and a civilian were killed" -> 2), the number after an active
  "killed" ("The attack killed two ... commanders" -> 2), and "announced the death of N fighters";
* a note that reports only injuries -> 0 killed;
* notes with unknown casualties, a claim of killing ("claimed that it had killed"), non-human
  victims, a death the rule cannot count ("the killing of a commander and his bodyguard"),
  "N were killed" together with "announced the death of N" (perhaps the same people),
  or no casualty sentence at all give no gold count and are left out of the
  killed-count figures (their number is the figure's ``n``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..records import Article, Event
from . import metrics
from .data import LebanonRow, load_acled_lebanon
from .predict import acled_fatalities
from .result import Figure, Miss, Scored

NAME = "acled-lebanon"
DATA = ("acled-lebanon", "dev.csv")
WITHIN_KM = 5.0

_WORDS = {"a": 1, "an": 1, "one": 1, "another": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_NUMBER = r"(?:\d+|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")"
_NONE = re.compile(r"\b(?:there (?:were )?no|no) casualties\b", re.IGNORECASE)
_UNKNOWN = re.compile(r"casualties unknown|unknown (?:casualties|fatalities)|unspecified|claimed that|"
                      r"\b(?:sheep|cattle|goats?|cows?|animals?|livestock)\b", re.IGNORECASE)
_CODED = re.compile(r"fatalities (?:were )?coded (?:as|to) (?:at least )?(\d+)", re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:was|were) killed\b", re.IGNORECASE)
# After an active "killed" only a real number counts ("killed two" yes; "the killing of a
# commander and his bodyguard" no: the rule cannot count it and the note gets no gold).
_ACTIVE = re.compile(r"\bkill(?:ed|ing)(?: of)? (\d+|two|three|four|five|six|seven|eight|nine|ten)\b",
                     re.IGNORECASE)
_DEATH_OF = re.compile(r"\bdeath of (" + _NUMBER + r") (?:\w+ )?(?:fighters?|members?|commanders?)",
                       re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_CIRCUMSTANCES = re.compile(r"\bcircumstances\b", re.IGNORECASE)
_DEATH_WORD = re.compile(r"\b(?:kill\w*|death|dead|died|succumb\w*|bodies|body)\b", re.IGNORECASE)
_INJURED = re.compile(r"\b(?:injur\w*|wounded)\b", re.IGNORECASE)


def _value(token: str) -> int:
    return int(token) if token.isdigit() else _WORDS[token.lower()]


def gold_killed(note: str) -> int | None:
    """The number killed that the note states, by the documented rule, or None (no gold)."""
    if m := _CODED.search(note):
        return int(m.group(1))
    if _UNKNOWN.search(note):
        return None
    passive = active = announced = 0
    for sentence in _SENTENCE.split(note):
        if _CIRCUMSTANCES.search(sentence):
            continue
        if m := _PASSIVE.search(sentence):
            numbers = re.findall(r"\b" + _NUMBER + r"\b", sentence[: m.start()], re.IGNORECASE)
            if not numbers:
                return None
            passive += sum(_value(t) for t in numbers)
        elif m := _ACTIVE.search(sentence):
            active += _value(m.group(1))
        elif m := _DEATH_OF.search(sentence):
            announced += _value(m.group(1))
        elif _DEATH_WORD.search(sentence):
            return None  # a death we cannot count by rule
    if announced and (passive or active):
        return None  # "N were killed" and "announced the death of N": maybe the same people
    if passive or active or announced:
        return passive + active + announced
    return 0 if _NONE.search(note) or _INJURED.search(note) else None


def load(path: Path) -> list[LebanonRow]:
    return load_acled_lebanon(path)


def inputs(rows: Sequence[LebanonRow]) -> list[tuple[str, Article]]:
    return [(f"row{r.index}", Article.create(r.notes, published=r.event_date, source="ACLED notes"))
            for r in rows]


def score(rows: Sequence[LebanonRow], events: Sequence[Event | None]) -> Scored:
    near, date_ok, killed, killed_nonzero = [], [], [], []
    misses: list[Miss] = []
    for row, ev in zip(rows, events, strict=True):
        loc = ev.location if ev else None
        near.append(loc is not None and metrics.within_km((loc.lat, loc.lon), (row.latitude, row.longitude),
                                                          WITHIN_KM))
        when = ev.date if ev else None
        date_ok.append(when is not None and when.precision == "day" and when.date == row.event_date.isoformat())
        gold = gold_killed(row.notes)
        ours = acled_fatalities(ev.fatalities if ev else None)
        count_ok = gold is None or ours == gold
        if gold is not None:
            killed.append(ours == gold)
            if gold > 0:
                killed_nonzero.append(ours == gold)
        wrong = (not near[-1]) + (not date_ok[-1]) + (0 if count_ok else 1 + min(abs(ours - (gold or 0)), 10) / 5)
        if wrong:
            where = f"{loc.name or loc.text} ({loc.lat}, {loc.lon})" if loc else None
            misses.append(Miss(NAME, f"row{row.index}", wrong, row.notes,
                               f"location={where}; date={when.date if when else None}; killed={ours}",
                               f"({row.latitude}, {row.longitude}); date={row.event_date}; killed={gold}"))
    n = len(rows)
    figures = (
        Figure("location_within_5km", metrics.share(near), n, "haversine(ours, ACLED lat/lon) <= 5 km"),
        Figure("date_exact", metrics.share(date_ok), n, "day-precision date = ACLED date"),
        Figure("killed_exact", metrics.share(killed), len(killed),
               "our fatalities = the note's killed count (gold rule in the module doc)"),
        Figure("killed_exact_nonzero", metrics.share(killed_nonzero), len(killed_nonzero),
               "as killed_exact, on notes that report at least one death"),
    )
    return Scored(figures, tuple(misses))
