"""Event mentions across articles: what makes two of them one happening.

Each stored ``Event`` becomes an **event mention** (``event_mentions``): its type family, a
date interval (from the event's date and precision, else a window before the article's
publication), a place (name key, country, point, ACLED geo precision), its fatality
bounds and the keys of its actors and victims. A new mention is compared only with the
stored mentions of its family whose interval is near its own (index ``(family,
date_lo)``), so resolution costs the same however large the ledger grows.

``link_score`` decides a pair from the two mentions alone (no other mention, no order of
arrival): that is what makes the ledger's clusters (the connected components of the links,
``api.clustered_events``) the same whatever order the articles come in.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from ..evaluate.metrics import haversine_km
from ..evaluate.normalise import fold, place_key
from ..records import Article, Event
from ..rules import read_json


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    return dict(read_json("ledger.json"))


def family_of(event_type: str, sub_event_type: str) -> str | None:
    """The type family two events must share to be one happening; None: never clustered."""
    r = rules()
    if f"{event_type}/{sub_event_type}" in r["unclustered_sub_types"]:
        return None
    if f"{event_type}/{sub_event_type}" in r["family_overrides"]:
        return str(r["family_overrides"][f"{event_type}/{sub_event_type}"])
    family = r["families"].get(event_type)
    if family is None:
        return None
    if event_type in r["split_by_sub_type"]:
        return f"{family}/{fold(sub_event_type).replace(' ', '_')}"
    return str(family)


def from_event_dataset(source: str | None) -> bool:
    """Whether an article is a row of a coded event dataset (rules "event_datasets"): each
    row is its own happening, never one with another row of a dataset."""
    key = fold(source or "")
    return bool(key) and any(key.startswith(s) for s in rules()["event_datasets"]["sources"])


@dataclass(frozen=True)
class Mention:
    article_id: str
    record_id: str
    family: str
    date_lo: str | None
    date_hi: str | None
    place_key: str | None
    country: str | None
    lat: float | None
    lon: float | None
    geo_precision: int | None
    fatalities_low: float | None
    fatalities_best: float | None
    fatalities_high: float | None
    actor_keys: tuple[str, ...]
    victim_keys: tuple[str, ...]
    name_keys: tuple[str, ...]
    text_keys: tuple[str, ...] = ()


def _interval(when: Any, published: date | None) -> tuple[str | None, str | None]:
    cfg = rules()["event_link"]
    if when is not None and when.date and when.precision in ("day", "week", "month"):
        start = date.fromisoformat(when.date)
        if when.end:
            end = date.fromisoformat(when.end)
        elif when.precision == "day":
            end = start
        elif when.precision == "week":
            end = start + timedelta(days=6)
        else:
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if (end - start).days > int(cfg["max_interval_days"]):
            return None, None
        return start.isoformat(), end.isoformat()
    if when is None or not when.date:
        if published is None:
            return None, None
        window = int(cfg["undated_window_days"])
        return (published - timedelta(days=window)).isoformat(), published.isoformat()
    return None, None  # a year, or an unknown precision: too vague to cluster on


def _actor_key(ref: Any) -> str | None:
    """The folded actor name; None for a generic one ("people", "the army")."""
    if ref is None:
        return None
    key = fold(_PERIOD.sub("", ref.entity or ref.text or ""))
    generic = rules()["event_link"]["generic_actors"]
    if not key or key in generic or key.split()[0] in generic or key.startswith("unidentified"):
        return None
    return key


_PERIOD = re.compile(r"\s*\((?:19|20)\d\d-(?:(?:19|20)\d\d)?\)")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’-]+")


def text_keys(text: str) -> set[str]:
    """Folded content words of an evidence sentence (stop words out)."""
    from .statements import content_words

    return set(content_words(text))


def same_text(a: Mention, b: Mention) -> bool:
    """Near-identical evidence sentences: most words of the shorter are in the longer."""
    cfg = rules()["event_link"]
    if not a.text_keys or not b.text_keys:
        return False
    shared = len(set(a.text_keys) & set(b.text_keys))
    return shared >= int(cfg["same_text_min_words"]) and \
        shared / min(len(a.text_keys), len(b.text_keys)) >= float(cfg["same_text_containment"])


def name_keys(text: str) -> set[str]:
    """Folded capitalised words of an evidence text (not at its start), without weekdays,
    months and function words: the names two reports of one happening share ("Dravna")."""
    cfg = rules()["event_link"]
    stop = set(cfg["name_stop"]) | set(cfg["generic_names"])
    out = set()
    for m in _NAME.finditer(text):
        key = fold(m.group(0))
        if key and key not in stop and len(key) > 2:
            out.add(key)
    return out


def mention_of(event: Event, article: Article) -> Mention | None:
    """The mention of a stored event, or None when it cannot be clustered (no family, no date)."""
    family = family_of(event.event_type, event.sub_event_type)
    if family is None or event.modality not in ("asserted", "reported"):
        return None
    lo, hi = _interval(event.date, article.published)
    if lo is None:
        return None
    loc = event.location
    key = place_key(loc.name or loc.text) if loc else None
    actors = {k for k in (_actor_key(event.actor1), _actor_key(event.actor2),
                          *(_actor_key(a) for a in event.assoc_actors)) if k}
    victims = {fold(v) for v in event.victims if fold(v)}
    fat = event.fatalities
    return Mention(
        article.id, event.id, family, lo, hi, key or None,
        loc.country if loc else None,
        loc.lat if loc else None, loc.lon if loc else None,
        loc.precision if loc else None,
        fat.low if fat else None, fat.best if fat else None, fat.high if fat else None,
        tuple(sorted(actors)), tuple(sorted(victims)), tuple(sorted(name_keys(event.evidence.text))),
        tuple(sorted(text_keys(event.evidence.text))),
    )


_COLUMNS = ("article_id, record_id, family, date_lo, date_hi, place_key, country, lat, lon, geo_precision, "
            "fatalities_low, fatalities_best, fatalities_high, actor_keys, victim_keys, name_keys, text_keys")


def _row(m: Mention) -> tuple[Any, ...]:
    return (m.article_id, m.record_id, m.family, m.date_lo, m.date_hi, m.place_key, m.country, m.lat, m.lon,
            m.geo_precision, m.fatalities_low, m.fatalities_best, m.fatalities_high,
            json.dumps(list(m.actor_keys)), json.dumps(list(m.victim_keys)), json.dumps(list(m.name_keys)),
            json.dumps(list(m.text_keys)))


def _from_row(row: tuple[Any, ...]) -> Mention:
    return Mention(*row[:13], *(tuple(json.loads(v or "[]")) for v in row[13:17]))


def _days(a: str, b: str) -> int:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def _fine(m: Mention) -> bool:
    """A town, neighbourhood or site (ACLED geo precision 1-2), or a named place the
    gazetteer does not know (no precision): not a country or a region."""
    return m.geo_precision is None or m.geo_precision <= 2


def _place_relation(a: Mention, b: Mention) -> str:
    """same | near | region | unknown | different.

    Two countries are apart only when both places are towns or sites: a country-level place
    is often the other side's country or where the attack came from (rockets "from Lebanon"
    on the Golan Heights, Israel's strikes in Yemen "a day after" the Tel Aviv attack)."""
    cfg = rules()["event_link"]
    if a.country and b.country and a.country != b.country:
        return "different" if _fine(a) and _fine(b) else "unknown"
    points = None not in (a.lat, a.lon, b.lat, b.lon)
    km = haversine_km(a.lat, a.lon, b.lat, b.lon) if points else None  # type: ignore[arg-type]
    fine = _fine(a) and _fine(b)
    if a.place_key and a.place_key == b.place_key:
        return "same" if fine else "region"
    if km is not None and fine:
        if km <= cfg["same_place_km"]:
            return "same"
        if km <= cfg["near_place_km"]:
            return "near"
        return "different"
    if (a.country and a.country == b.country) or (a.place_key and a.place_key == b.country) \
            or (b.place_key and b.place_key == a.country):
        return "region"
    return "unknown"


def _fatalities_agree(a: Mention, b: Mention) -> bool:
    if a.fatalities_best is None or b.fatalities_best is None:
        return False
    if a.fatalities_best <= 0 and b.fatalities_best <= 0:
        return False
    a_lo = a.fatalities_low if a.fatalities_low is not None else a.fatalities_best
    b_lo = b.fatalities_low if b.fatalities_low is not None else b.fatalities_best
    a_hi = a.fatalities_high if a.fatalities_high is not None else a.fatalities_best
    b_hi = b.fatalities_high if b.fatalities_high is not None else b.fatalities_best
    return a_lo <= b_hi and b_lo <= a_hi


def link_score(a: Mention, b: Mention, *, same_story: bool = False) -> tuple[float, list[str]]:
    """How strongly two mentions of different articles are one happening (0 = vetoed).
    ``same_story``: the two articles are versions of one story, where a copied sentence may
    carry a date resolved a few days apart."""
    cfg = rules()["event_link"]
    w = cfg["weights"]
    if a.article_id == b.article_id or a.family != b.family:
        return 0.0, []
    assert a.date_lo and a.date_hi and b.date_lo and b.date_hi
    copy = same_text(a, b)
    both_days = a.date_lo == a.date_hi and b.date_lo == b.date_hi
    if copy and same_story:
        slack = int(cfg["same_text_date_slack_days"])
    else:
        slack = 0 if both_days else int(cfg["date_slack_days"])
    if _days(a.date_hi, b.date_lo) > slack or _days(b.date_hi, a.date_lo) > slack:
        return 0.0, ["dates apart"]
    score, why = 0.0, []
    if copy:
        score += w["same_text"]
        why.append("same sentence")
    if a.date_lo == a.date_hi == b.date_lo == b.date_hi:
        score += w["same_day"]
        why.append("same day")
    else:
        score += w["overlapping_dates"]
        why.append("dates overlap")
    place = _place_relation(a, b)
    if place == "different":
        return 0.0, ["places apart"]
    if place in ("same", "near"):
        score += w[f"{place}_place"]
        why.append(f"{place} place")
    elif place == "region":
        score += w["same_region"]
        why.append("same region")
    anchored = place in ("same", "near") or copy
    shared = set(a.actor_keys) & set(b.actor_keys)
    if shared:
        score += min(cfg["max_actor_weight"], w["shared_actor"] * len(shared))
        why.append("actors " + ", ".join(sorted(shared)))
        anchored = anchored or (len(shared) >= 2 and place == "region")
    victims = set(a.victim_keys) & set(b.victim_keys)
    if victims:
        score += w["shared_victim"]
        why.append("victims " + ", ".join(sorted(victims)))
        anchored = True
    names = set(a.name_keys) & set(b.name_keys)
    if names:
        score += min(cfg["max_name_weight"], w["shared_name"] * len(names))
        why.append("names " + ", ".join(sorted(names)))
    if _fatalities_agree(a, b):
        score += w["same_fatalities"]
        why.append("fatalities agree")
        anchored = anchored or "same day" in why
    if not anchored:
        return 0.0, [*why, "no anchor (place, victim, or same-day toll)"]
    # Over a window of days one place sees several happenings (strikes on one camp in a week):
    # there a shared place needs a shared actor, victim, toll or sentence too.
    if "same day" not in why and not (copy or shared or victims or "fatalities agree" in why):
        return 0.0, [*why, "dates only overlap: a place needs an actor, victim, toll or sentence too"]
    return score, why


def linked(a: Mention, b: Mention, *, same_story: bool = False) -> tuple[bool, float, list[str]]:
    score, why = link_score(a, b, same_story=same_story)
    return score >= float(rules()["event_link"]["threshold"]), score, why


def _direct_story_articles(conn: sqlite3.Connection, article_id: str) -> list[str]:
    """Articles directly linked to this one as versions of a story (a pairwise relation)."""
    rows = conn.execute(
        "SELECT article_b FROM story_links WHERE article_a = ? UNION SELECT article_a FROM story_links "
        "WHERE article_b = ? UNION SELECT b.id FROM articles a JOIN articles b ON b.story_key = a.story_key "
        "WHERE a.id = ? AND b.id <> a.id", (article_id, article_id, article_id)).fetchall()
    return sorted(r[0] for r in rows)


def candidates(conn: sqlite3.Connection, mention: Mention) -> list[tuple[Any, ...]]:
    """Stored mentions a new one is compared with, found through indexes only: the same
    family and country in the date window; the same family on the same day (tolls,
    victims); the mentions of articles directly known as versions of the same story. The
    relation is symmetric, so the pairs compared do not depend on the order of arrival."""
    cfg = rules()["event_link"]
    assert mention.date_lo and mention.date_hi
    # Wide enough for the largest gap link_score allows outside a story (versions of one
    # story are candidates whatever their dates), so any pair that can link is a candidate
    # whichever of the two arrives first.
    slack = int(cfg["date_slack_days"])
    reach = int(cfg["max_interval_days"]) + slack
    lo = (date.fromisoformat(mention.date_lo) - timedelta(days=reach)).isoformat()
    hi = (date.fromisoformat(mention.date_hi) + timedelta(days=slack)).isoformat()
    # The index finds the intervals starting in the window; only those ending near enough
    # can pass link_score's date test (ISO dates compare as strings).
    reach_lo = (date.fromisoformat(mention.date_lo) - timedelta(days=slack)).isoformat()
    found: dict[tuple[str, str], tuple[Any, ...]] = {}
    if mention.country:
        for row in conn.execute(
                f"SELECT {_COLUMNS} FROM event_mentions WHERE family = ? AND country = ? AND date_lo >= ? "
                "AND date_lo <= ? AND date_hi >= ? AND article_id <> ?",
                (mention.family, mention.country, lo, hi, reach_lo, mention.article_id)):
            found[(row[0], row[1])] = row
    if mention.date_lo == mention.date_hi:
        for row in conn.execute(
                f"SELECT {_COLUMNS} FROM event_mentions WHERE family = ? AND date_lo = ? AND date_hi = ? "
                "AND article_id <> ?", (mention.family, mention.date_lo, mention.date_hi, mention.article_id)):
            found[(row[0], row[1])] = row
    for other in _direct_story_articles(conn, mention.article_id):
        for row in conn.execute(f"SELECT {_COLUMNS} FROM event_mentions WHERE article_id = ? AND family = ?",
                                (other, mention.family)):
            found[(row[0], row[1])] = row
    return [found[k] for k in sorted(found)]


def _dataset_articles(conn: sqlite3.Connection, article_ids: set[str]) -> set[str]:
    out = set()
    for article_id in sorted(article_ids):
        row = conn.execute("SELECT source FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is not None and from_event_dataset(row[0]):
            out.add(article_id)
    return out


def add_mention(conn: sqlite3.Connection, mention: Mention, *, dataset: bool = False) -> int:
    """Store a mention and its links to the stored mentions it matches; how many links.
    ``dataset``: the mention is a row of a coded event dataset, never linked to another row."""
    rows = candidates(conn, mention)
    if dataset:
        rows_of_datasets = _dataset_articles(conn, {row[0] for row in rows})
        rows = [row for row in rows if row[0] not in rows_of_datasets]
    story = set(_direct_story_articles(conn, mention.article_id))
    conn.execute(
        f"INSERT INTO event_mentions ({_COLUMNS}) VALUES ({', '.join('?' * 17)}) "
        "ON CONFLICT (article_id, record_id) DO NOTHING",
        _row(mention),
    )
    n = 0
    for row in rows:
        other = _from_row(row)
        ok, score, why = linked(mention, other, same_story=other.article_id in story)
        if not ok:
            continue
        a, b = sorted([(mention.article_id, mention.record_id), (other.article_id, other.record_id)])
        conn.execute(
            "INSERT INTO event_links (a_article, a_record, b_article, b_record, score, reasons) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (a_article, a_record, b_article, b_record) DO NOTHING",
            (a[0], a[1], b[0], b[1], round(score, 3), "; ".join(why)),
        )
        n += 1
    return n


def mentions_linked_to(conn: sqlite3.Connection, article_id: str, record_id: str) -> list[tuple[str, str]]:
    """(article, record) of every mention directly linked to one mention."""
    out = [(r[0], r[1]) for r in conn.execute(
        "SELECT b_article, b_record FROM event_links WHERE a_article = ? AND a_record = ?", (article_id, record_id))]
    out += [(r[0], r[1]) for r in conn.execute(
        "SELECT a_article, a_record FROM event_links WHERE b_article = ? AND b_record = ?", (article_id, record_id))]
    return out
