"""Suite ``acled``: ACLED Gaza notes (``acled-gaza/dev.csv``) against the analysts' coding.

Each row's ``notes`` is one article, published on the row's ``event_date``; we score the
primary event extracted from it. Caveat: notes are analysts' summaries, not news text, so
these figures flatter the system (``../shared/README.md``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..records import Article, Event
from . import metrics
from .data import AcledRow, load_acled
from .normalise import actor_key, place_matches
from .predict import acled_fatalities
from .result import Figure, Miss, Scored

NAME = "acled"
DATA = ("acled-gaza", "dev.csv")

# Notes whose fatality figure follows an ACLED coding rule rather than the text's own count:
# explicit coding remarks ("[unspecified number of fatalities coded as 3]", "Fatalities coded
# as at least 8", "[... bodies were recovered ... coded to this event]") and reports of
# unspecified deaths. Fatalities on the rest (the "clean subset") should be read from the text.
_CODING_REMARK = re.compile(
    r"unspecified (?:number of )?fatalit|fatalities (?:were )?coded|coded (?:as|to) (?:at )?(?:least )?\d"
    r"|\[[^\]]*(?:fatalit|killed|bodies|rubble|coded)[^\]]*\]|bodies were recovered",
    re.IGNORECASE,
)


def has_coding_remark(notes: str) -> bool:
    """True when the note carries an ACLED fatality coding remark (not in the clean subset)."""
    return bool(_CODING_REMARK.search(notes))


def load(path: Path) -> list[AcledRow]:
    return load_acled(path)


def inputs(rows: Sequence[AcledRow]) -> list[tuple[str, Article]]:
    return [(r.id, Article.create(r.notes, published=r.event_date, source="ACLED notes")) for r in rows]


def _label(value: str | None) -> str:
    return value or metrics.NONE_LABEL


def _describe(ev: Event | None) -> str:
    if ev is None:
        return "no event"
    loc = ev.location
    where = f"{loc.name or loc.text} ({loc.lat}, {loc.lon})" if loc else None
    return (f"{ev.event_type} / {ev.sub_event_type}; actor1={ev.actor1.entity if ev.actor1 else None}; "
            f"actor2={ev.actor2.entity if ev.actor2 else None}; location={where}; "
            f"date={ev.date.date if ev.date else None}; fatalities={acled_fatalities(ev.fatalities)}")


def _gold(r: AcledRow) -> str:
    return (f"{r.event_type} / {r.sub_event_type}; actor1={r.actor1}; actor2={r.actor2 or None}; "
            f"location={r.location} ({r.latitude}, {r.longitude}); date={r.event_date}; "
            f"fatalities={r.fatalities}")


def score(rows: Sequence[AcledRow], events: Sequence[Event | None]) -> Scored:
    """Figures on the primary event of each note (``events[i]`` for ``rows[i]``)."""
    type_pairs, sub_pairs = [], []
    actor1, actor2, loc_name, loc_1km, date_ok, fat_exact, fat_within, fat_clean = ([] for _ in range(8))
    found = []
    misses: list[Miss] = []
    for row, ev in zip(rows, events, strict=True):
        found.append(ev is not None)
        type_pairs.append((row.event_type, _label(ev.event_type if ev else None)))
        sub_pairs.append((row.sub_event_type, _label(ev.sub_event_type if ev else None)))
        a1 = actor_key(ev.actor1.entity if ev and ev.actor1 else None)
        a2 = actor_key(ev.actor2.entity if ev and ev.actor2 else None)
        actor1.append(a1 == actor_key(row.actor1))
        actor2.append(a2 == actor_key(row.actor2))
        loc = ev.location if ev else None
        loc_name.append(loc is not None and place_matches([loc.name, loc.text], row.location))
        loc_1km.append(loc is not None and metrics.within_km((loc.lat, loc.lon),
                                                             (row.latitude, row.longitude), 1.0))
        when = ev.date if ev else None
        date_ok.append(when is not None and when.precision == "day" and when.date == row.event_date.isoformat())
        ours = acled_fatalities(ev.fatalities if ev else None)
        fat_exact.append(ours == row.fatalities)
        fat_within.append(abs(ours - row.fatalities) <= 1)
        if not has_coding_remark(row.notes):
            fat_clean.append(ours == row.fatalities)
        wrong = (2 * (type_pairs[-1][0] != type_pairs[-1][1]) + (sub_pairs[-1][0] != sub_pairs[-1][1])
                 + (not actor1[-1]) + (not actor2[-1]) + (not loc_name[-1]) + (not date_ok[-1])
                 + min(abs(ours - row.fatalities), 10) / 5)
        if wrong:
            misses.append(Miss(NAME, row.id, wrong, row.notes, _describe(ev), _gold(row)))
    n = len(rows)
    figures = (
        Figure("event_found", metrics.share(found), n, "share of notes with at least one event"),
        Figure("event_type_accuracy", metrics.accuracy(type_pairs), n, "primary event's ACLED event_type"),
        Figure("sub_event_type_accuracy", metrics.accuracy(sub_pairs), n, "ACLED sub_event_type"),
        Figure("sub_event_type_macro_f1", metrics.macro_f1(sub_pairs), n,
               "unweighted mean F1 over sub-event types seen in gold or predictions"),
        Figure("actor1_accuracy", metrics.share(actor1), n, "ActorRef.entity = ACLED actor1 (period suffix ignored)"),
        Figure("actor2_accuracy", metrics.share(actor2), n, "as actor1; blank ACLED actor2 = our None"),
        Figure("location_name_accuracy", metrics.share(loc_name), n, "normalised name = ACLED location"),
        Figure("location_within_1km", metrics.share(loc_1km), n, "haversine(ours, ACLED lat/lon) <= 1 km"),
        Figure("date_exact", metrics.share(date_ok), n, "day-precision date = event_date"),
        Figure("fatalities_exact", metrics.share(fat_exact), n, "ACLED-convention count = fatalities"),
        Figure("fatalities_within_1", metrics.share(fat_within), n, "|ours - ACLED| <= 1"),
        Figure("fatalities_exact_clean", metrics.share(fat_clean), len(fat_clean),
               "exact, on notes without ACLED coding remarks"),
    )
    table = tuple((g, p, str(c)) for g, p, c in metrics.top_confusions(sub_pairs, 10))
    return Scored(figures, tuple(misses), (("top sub_event_type confusions (gold, ours, count)", table),))

