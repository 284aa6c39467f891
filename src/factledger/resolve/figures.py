"""Figures across articles: series keys and contradictions.

Every stored claim gets a **series key** (``claim_keys``): metric, population (the claim's
normalised subject), area (the country of its event, else the country most of its
article's events are in), source (who gave the figure) and scope (cumulative, period,
event). A figure series is the claims of one key ordered by as-of date; a later figure is
a new point, never an overwrite.

Two claims **contradict** when they count the same metric of the same population in the
same area as of the same day (or of one happening: events linked across articles), come
from different articles, and their value intervals cannot both hold: "at least
7" is [7, inf), "about 40" is [36, 44], "3" is [3, 3]. Versions of one story are updates,
not contradictions: ``api.contradictions`` leaves such pairs out.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..evaluate.normalise import fold
from ..records import Article, Claim, Event
from ..rules import read_json

UNSPECIFIED = ""


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    return dict(read_json("ledger.json")["contradiction"])


@dataclass(frozen=True)
class ClaimKey:
    article_id: str
    record_id: str
    metric: str
    population: str
    area: str
    source_key: str
    scope: str
    as_of: str | None
    low: float | None
    high: float | None


def interval(qualifier: str | None, best: float | None, low: float | None,
             high: float | None) -> tuple[float, float] | None:
    """The values a figure allows, from its qualifier: None when it has no number."""
    cfg = rules()
    value = best if best is not None else low
    if value is None:
        return None
    if qualifier in ("at_least", "more_than"):
        return (low if low is not None else value), math.inf
    if qualifier in ("up_to", "fewer_than"):
        return 0.0, (high if high is not None else value)
    if qualifier == "about":
        t = float(cfg["about_tolerance"])
        return value * (1 - t), value * (1 + t)
    if qualifier == "nearly":
        return value * (1 - float(cfg["nearly_tolerance"])), value
    if qualifier == "range":
        return (low if low is not None else value), (high if high is not None else value)
    return value, value


def disjoint(a: tuple[float, float] | None, b: tuple[float, float] | None) -> bool:
    return a is not None and b is not None and (a[1] < b[0] or b[1] < a[0])


def article_area(events: Sequence[Event]) -> str:
    """The country most of an article's located events are in (ties: first by name)."""
    counts = Counter(e.location.country for e in events if e.location and e.location.country)
    if not counts:
        return UNSPECIFIED
    top = max(counts.values())
    return sorted(c for c, n in counts.items() if n == top)[0]


def population_of(claim: Claim) -> str:
    """The claim's normalised subject; "people", "hostages", "captives" are all "people"."""
    population = fold(claim.subject_norm or claim.subject or "people") or "people"
    return "people" if population in rules()["generic_populations"] else population


def key_of(claim: Claim, article: Article, events_by_id: dict[str, Event], default_area: str) -> ClaimKey:
    event = events_by_id.get(claim.event_id or "")
    area = event.location.country if event and event.location and event.location.country else default_area
    source = claim.source.entity or claim.source.text if claim.source else None
    as_of = claim.as_of.date if claim.as_of and claim.as_of.date and claim.as_of.precision == "day" else None
    if as_of is None and article.published is not None:
        as_of = article.published.isoformat()
    v = claim.value
    bounds = interval(v.qualifier, v.best, v.low, v.high)
    return ClaimKey(
        article.id, claim.id, claim.metric, population_of(claim),
        area or UNSPECIFIED, fold(source) if source else UNSPECIFIED, claim.scope or "unspecified", as_of,
        bounds[0] if bounds else None,
        None if bounds is None or math.isinf(bounds[1]) else bounds[1],
    )


def _bounds(low: float | None, high: float | None) -> tuple[float, float] | None:
    if low is None:
        return None
    return low, (math.inf if high is None else high)


def _record(conn: sqlite3.Connection, a: tuple[str, str], b: tuple[str, str], metric: str, kind: str,
            detail: dict[str, Any]) -> None:
    (aa, ac), (ba, bc) = sorted([a, b])
    conn.execute(
        "INSERT INTO contradictions (a_article, a_claim, b_article, b_claim, metric, kind, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (a_article, a_claim, b_article, b_claim) DO NOTHING",
        (aa, ac, ba, bc, metric, kind, json.dumps(detail, sort_keys=True)),
    )


def add_claim_key(conn: sqlite3.Connection, key: ClaimKey, modality: str) -> int:
    """Store a claim's series key; record the contradictions it makes with stored claims."""
    conn.execute(
        "INSERT INTO claim_keys (article_id, record_id, metric, population, area, source_key, scope, as_of, "
        "low, high) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id, record_id) DO NOTHING",
        (key.article_id, key.record_id, key.metric, key.population, key.area, key.source_key, key.scope,
         key.as_of, key.low, key.high),
    )
    cfg = rules()
    if (key.scope == "event" or key.as_of is None or key.low is None or key.metric in cfg["metrics_excluded"]
            or modality not in cfg["modalities"]):
        return 0
    rows = conn.execute(
        "SELECT k.article_id, k.record_id, k.source_key, k.low, k.high FROM claim_keys k "
        "JOIN claims c ON c.article_id = k.article_id AND c.id = k.record_id "
        "WHERE k.metric = ? AND k.population = ? AND k.area = ? AND k.as_of = ? AND k.scope = ? "
        "AND k.article_id <> ? AND c.modality IN ('asserted', 'reported')",
        (key.metric, key.population, key.area, key.as_of, key.scope, key.article_id),
    ).fetchall()
    mine = _bounds(key.low, key.high)
    n = 0
    for article_id, record_id, _source, low, high in rows:
        if not disjoint(mine, _bounds(low, high)):
            continue
        _record(conn, (key.article_id, key.record_id), (article_id, record_id), key.metric, "same_day",
                {"as_of": key.as_of, "population": key.population, "area": key.area})
        n += 1
    return n


def event_claims(conn: sqlite3.Connection, article_id: str, event_id: str) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT k.record_id, k.metric, k.population, k.source_key, k.low, k.high FROM claim_keys k "
        "JOIN claims c ON c.article_id = k.article_id AND c.id = k.record_id "
        "WHERE c.article_id = ? AND c.event_id = ? AND c.modality IN ('asserted', 'reported')",
        (article_id, event_id),
    ).fetchall()


def contradict_linked_events(conn: sqlite3.Connection, a: tuple[str, str], b: tuple[str, str]) -> int:
    """Contradictions between the claims of two event mentions judged one happening."""
    excluded = rules()["metrics_excluded"]
    n = 0
    for ca in event_claims(conn, *a):
        for cb in event_claims(conn, *b):
            if ca[1] != cb[1] or ca[2] != cb[2] or ca[1] in excluded:
                continue
            if not disjoint(_bounds(ca[4], ca[5]), _bounds(cb[4], cb[5])):
                continue
            _record(conn, (a[0], ca[0]), (b[0], cb[0]), ca[1], "same_event",
                    {"population": ca[2], "events": sorted([f"{a[0]}/{a[1]}", f"{b[0]}/{b[1]}"])})
            n += 1
    return n
