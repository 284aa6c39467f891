"""Read-only views of the ledger shared by the dashboard, the situation report and the exports.

Each function takes an open ``Ledger`` and returns plain data (lists and dicts in the
output contract's JSON form, plus the article each record comes from), never HTML or
text: the web app renders them as pages and JSON, the report as Markdown/HTML/PDF.

Only current articles are read (a superseded revision's records are left out). Filters
take ISO dates; a record's date is its own (event date, claim as-of) else its article's
publication date.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..nlp.segment import split_sentences
from ..store.sqlite import Ledger, StoredArticle

Row = dict[str, Any]

NON_ACLED = "Non-ACLED"
# Metrics shown first (overview, report), in this order; any other follows alphabetically.
METRIC_ORDER = ("killed", "injured", "missing", "hostages_held", "hostages", "detained", "prisoners", "displaced")
# Stances that put a fact in question: shown as open contradictions until resolved.
CONTESTING_STANCES = ("denies", "disputes")
KILLED_WORDS = frozenset({"killed", "dead", "died", "deceased", "assassinated", "executed"})
DETAINED_WORDS = frozenset({"detained", "arrested", "captured", "abducted", "kidnapped", "held", "imprisoned"})


@dataclass(frozen=True)
class Filters:
    """What the event, figure and export views are restricted to (None: no restriction)."""

    since: date | None = None
    until: date | None = None
    event_type: str | None = None  # an ACLED event type or sub-event type
    actor: str | None = None  # a substring of an actor's name (case-insensitive)
    area: str | None = None  # a substring of the place: name, admin1, admin2 or country
    metric: str | None = None


NO_FILTERS = Filters()


def article_map(ledger: Ledger) -> dict[str, StoredArticle]:
    """Every stored article by id (superseded ones too, for citations)."""
    return {a.id: a for a in ledger.articles(include_superseded=True)}


def cite(article: StoredArticle | None) -> Row:
    """The citation fields of a record's article."""
    if article is None:
        return {"article_id": None, "title": None, "outlet": None, "published": None, "url": None}
    return {
        "article_id": article.id,
        "title": article.title or article.path or article.id,
        "outlet": article.source,
        "published": article.published,
        "url": article.url,
    }


def actor_name(ref: Row | None) -> str | None:
    if not ref:
        return None
    return ref.get("entity") or ref.get("text")


def place_label(location: Row | None) -> str | None:
    if not location:
        return None
    parts: list[str] = []
    for part in (location.get("name") or location.get("text"), location.get("admin1"), location.get("country")):
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts) or None


def record_date(record: Row, articles: dict[str, StoredArticle]) -> str | None:
    """A record's own date (event date, claim as-of) else its article's publication date."""
    when = record.get("date") if record.get("type") == "event" else record.get("as_of")
    if isinstance(when, dict) and when.get("date"):
        return str(when["date"])
    article = articles.get(record.get("article_id", ""))
    return article.published if article else None


def _in_range(day: str | None, filters: Filters) -> bool:
    if filters.since is None and filters.until is None:
        return True
    if not day:
        return False
    d = day[:10]
    if filters.since and d < filters.since.isoformat():
        return False
    return not (filters.until and d > filters.until.isoformat())


def _matches_area(location: Row | None, area: str | None) -> bool:
    if not area:
        return True
    if not location:
        return False
    needle = area.casefold()
    fields = ("name", "text", "admin1", "admin2", "country")
    return any(needle in str(location.get(f) or "").casefold() for f in fields)


def _matches_actor(event: Row, actor: str | None) -> bool:
    if not actor:
        return True
    needle = actor.casefold()
    refs = [event.get("actor1"), event.get("actor2"), *(event.get("assoc_actors") or [])]
    names = [n for r in refs if r for n in (r.get("text"), r.get("entity")) if n]
    names += list(event.get("claimed_by") or [])
    return any(needle in n.casefold() for n in names)


def _matches_type(event: Row, event_type: str | None) -> bool:
    if not event_type:
        return True
    wanted = event_type.casefold()
    return wanted in (str(event.get("event_type", "")).casefold(), str(event.get("sub_event_type", "")).casefold())


# -- events --------------------------------------------------------------------------------


def event_row(event: Row, articles: dict[str, StoredArticle]) -> Row:
    """An event with the fields a table or a map needs, and its citation."""
    location = event.get("location") or {}
    return {
        "id": event["id"],
        "date": record_date(event, articles),
        "event_type": event.get("event_type"),
        "sub_event_type": event.get("sub_event_type"),
        "actor1": actor_name(event.get("actor1")),
        "actor2": actor_name(event.get("actor2")),
        "place": place_label(event.get("location")),
        "country": location.get("country"),
        "lat": location.get("lat"),
        "lon": location.get("lon"),
        "fatalities": (event.get("fatalities") or {}).get("best"),
        "fatalities_text": (event.get("fatalities") or {}).get("text"),
        "modality": event.get("modality"),
        "evidence": (event.get("evidence") or {}).get("text"),
        "confidence": event.get("confidence"),
        **cite(articles.get(event["article_id"])),
    }


def events(
    ledger: Ledger,
    filters: Filters = NO_FILTERS,
    *,
    articles: dict[str, StoredArticle] | None = None,
    include_non_acled: bool = False,
) -> list[Row]:
    """Events of current articles that pass ``filters``, newest first, as ``event_row``s."""
    articles = articles if articles is not None else article_map(ledger)
    out = []
    for event in ledger.events():
        if not include_non_acled and event.get("event_type") in (None, NON_ACLED):
            continue
        if not (_matches_type(event, filters.event_type) and _matches_actor(event, filters.actor)):
            continue
        if not _matches_area(event.get("location"), filters.area):
            continue
        row = event_row(event, articles)
        if _in_range(row["date"], filters):
            out.append(row)
    out.sort(key=lambda r: (r["date"] or "", r["id"]), reverse=True)
    return out


def event_types(ledger: Ledger) -> list[str]:
    """The ACLED event types and sub-event types in the ledger (for filter menus)."""
    rows = ledger.conn.execute(
        "SELECT DISTINCT event_type, sub_event_type FROM events WHERE event_type <> ? ORDER BY 1, 2", (NON_ACLED,)
    ).fetchall()
    out: list[str] = []
    for event_type, sub in rows:
        for name in (event_type, sub):
            if name not in out:
                out.append(name)
    return out


def sentence_of(text: str, start: int, end: int) -> Row:
    """The sentence holding ``text[start:end]``, and the span's offsets inside it."""
    for sentence in split_sentences(text):
        if sentence.start <= start < max(sentence.end, start + 1):
            s_end = max(sentence.end, min(end, len(text)))
            return {
                "sentence": text[sentence.start:s_end],
                "start": start - sentence.start,
                "end": min(end, s_end) - sentence.start,
            }
    return {"sentence": text[start:end], "start": 0, "end": max(0, min(end, len(text)) - start)}


def mention(record: Row, articles: dict[str, StoredArticle], texts: dict[str, str | None], kind: str) -> Row:
    """A record as a mention: its evidence highlighted in its sentence, with its citation."""
    evidence = record.get("evidence") or {}
    text = texts.get(record["article_id"]) or ""
    start, end = int(evidence.get("start", 0)), int(evidence.get("end", 0))
    if text[start:end] == evidence.get("text"):
        located = sentence_of(text, start, end)
    else:  # offsets that do not point at the evidence: show the evidence alone
        located = {"sentence": evidence.get("text") or "", "start": 0, "end": len(evidence.get("text") or "")}
    return {"kind": kind, "id": record["id"], **located, **cite(articles.get(record["article_id"]))}


def event_detail(ledger: Ledger, event_id: str) -> Row | None:
    """One event with every mention: its own evidence, the figures and statements tied to it."""
    found = [e for e in ledger.events() if e["id"] == event_id]
    if not found:
        return None
    event = found[0]
    articles = article_map(ledger)
    texts: dict[str, str | None] = {}
    claims = [c for c in ledger.claims() if c.get("event_id") == event_id]
    claim_ids = {c["id"] for c in claims}
    statements = [s for s in ledger.statements() if s.get("target_id") in claim_ids | {event_id}]
    for record in (*found, *claims, *statements):
        if record["article_id"] not in texts:
            texts[record["article_id"]] = ledger.article_text(record["article_id"])
    mentions = [mention(e, articles, texts, "event") for e in found]
    mentions += [mention(c, articles, texts, "claim") for c in claims]
    mentions += [mention(s, articles, texts, "statement") for s in statements]
    return {
        "event": event_row(event, articles),
        "record": event,
        "mentions": mentions,
        "claims": [claim_row(c, articles) for c in claims],
        "statements": [statement_row(s, articles) for s in statements],
    }


# -- figures -------------------------------------------------------------------------------


def claim_row(claim: Row, articles: dict[str, StoredArticle]) -> Row:
    value = claim.get("value") or {}
    hedges = list(claim.get("hedges") or [])
    return {
        "id": claim["id"],
        "metric": claim.get("metric"),
        "date": record_date(claim, articles),
        "as_of": (claim.get("as_of") or {}).get("date"),
        "best": value.get("best"),
        "low": value.get("low"),
        "high": value.get("high"),
        "qualifier": value.get("qualifier"),
        "value_text": value.get("text"),
        "subject": claim.get("subject"),
        "source": actor_name(claim.get("source")) or "unattributed",
        "hedges": hedges,
        "modality": claim.get("modality"),
        "scope": claim.get("scope"),
        "unit": claim.get("unit") or "count",
        "evidence": (claim.get("evidence") or {}).get("text"),
        "event_id": claim.get("event_id"),
        "confidence": claim.get("confidence"),
        **cite(articles.get(claim["article_id"])),
    }


def metric_key(metric: str) -> tuple[int, str]:
    return (METRIC_ORDER.index(metric) if metric in METRIC_ORDER else len(METRIC_ORDER), metric)


def figures(
    ledger: Ledger,
    filters: Filters = NO_FILTERS,
    *,
    min_confidence: float = 0.0,
    articles: dict[str, StoredArticle] | None = None,
) -> list[Row]:
    """Claims that pass ``filters`` as ``claim_row``s, oldest first."""
    articles = articles if articles is not None else article_map(ledger)
    out = []
    for claim in ledger.claims(min_confidence=min_confidence):
        if filters.metric and claim.get("metric") != filters.metric:
            continue
        row = claim_row(claim, articles)
        if _in_range(row["date"], filters):
            out.append(row)
    out.sort(key=lambda r: (r["date"] or "", r["id"]))
    return out


def series(rows: Iterable[Row]) -> list[Row]:
    """Figures grouped into one series per (metric, source), counts only, points by date."""
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        if row["unit"] != "count" or row["best"] is None or not row["date"]:
            continue
        groups[(row["metric"], row["source"])].append(row)
    out = []
    for (metric, source), points in sorted(groups.items(), key=lambda kv: (metric_key(kv[0][0]), kv[0][1])):
        out.append({"metric": metric, "source": source, "points": sorted(points, key=lambda p: p["date"])})
    return out


def key_figures(rows: list[Row], *, per_metric: int = 4) -> list[Row]:
    """Per metric: the newest figure of each source (up to ``per_metric`` sources) and
    the range they span. Counts only; the figures are not reconciled."""
    latest: dict[str, dict[tuple[str, bool], Row]] = defaultdict(dict)
    for row in rows:
        if row["unit"] != "count" or row["best"] is None:
            continue
        key = (row["source"], row["scope"] == "cumulative")
        current = latest[row["metric"]].get(key)
        if current is None or (row["date"] or "", row["best"]) >= (current["date"] or "", current["best"]):
            latest[row["metric"]][key] = row
    out = []
    for metric in sorted(latest, key=metric_key):
        newest = sorted(latest[metric].values(), key=lambda r: (r["date"] or "", r["best"]), reverse=True)
        # A running total ("the toll has passed 2,300") is the key figure; a single
        # incident's count is only shown when no source gives a total.
        totals = [r for r in newest if r["scope"] == "cumulative"]
        chosen = totals or newest
        values = [r["best"] for r in chosen]
        out.append(
            {
                "metric": metric,
                "scope": "cumulative" if totals else "any",
                "low": min(values),
                "high": max(values),
                "figures": chosen[:per_metric],
            }
        )
    return out


# -- statements and contradictions ------------------------------------------------------------


def statement_row(statement: Row, articles: dict[str, StoredArticle]) -> Row:
    return {
        "id": statement["id"],
        "stance": statement.get("stance"),
        "speaker": actor_name(statement.get("speaker")) or "unattributed",
        "proposition": " ".join(str(statement.get("proposition") or "").split()),
        "target_id": statement.get("target_id"),
        "date": record_date(statement, articles),
        "evidence": (statement.get("evidence") or {}).get("text"),
        **cite(articles.get(statement["article_id"])),
    }


def statements(
    ledger: Ledger,
    filters: Filters = NO_FILTERS,
    *,
    stances: Iterable[str] | None = None,
    articles: dict[str, StoredArticle] | None = None,
) -> list[Row]:
    """Statements (who said what) that pass the date filters, newest first."""
    articles = articles if articles is not None else article_map(ledger)
    wanted = set(stances) if stances is not None else None
    out = []
    for s in ledger.statements():
        if wanted is not None and s.get("stance") not in wanted:
            continue
        row = statement_row(s, articles)
        if _in_range(row["date"], filters):
            out.append(row)
    out.sort(key=lambda r: (r["date"] or "", r["id"]), reverse=True)
    return out


def contradictions(ledger: Ledger, *, articles: dict[str, StoredArticle] | None = None) -> list[Row]:
    """Open contradictions: denials and disputes, each with what it contests (when linked)."""
    articles = articles if articles is not None else article_map(ledger)
    rows = statements(ledger, stances=CONTESTING_STANCES, articles=articles)
    targets: dict[str, Row] = {}
    ids = {r["target_id"] for r in rows if r["target_id"]}
    if ids:
        for claim in ledger.claims():
            if claim["id"] in ids:
                targets[claim["id"]] = {"kind": "claim", "text": (claim.get("evidence") or {}).get("text")}
        for event in ledger.events():
            if event["id"] in ids:
                targets[event["id"]] = {"kind": "event", "text": (event.get("evidence") or {}).get("text")}
    for row in rows:
        row["contests"] = targets.get(row["target_id"] or "")
    return rows


# -- entities, people --------------------------------------------------------------------------


def _status_word(status: Row) -> str | None:
    for key in ("status", "state", "value", "kind"):
        value = status.get(key)
        if isinstance(value, str):
            return value
    return None


def entities(
    ledger: Ledger,
    *,
    kind: str | None = None,
    name: str | None = None,
    limit: int = 200,
    articles: dict[str, StoredArticle] | None = None,
) -> list[Row]:
    """Ledger entities (one per person/organisation across articles) with aliases, roles
    and their status timeline (killed, detained, released... with date and article)."""
    articles = articles if articles is not None else article_map(ledger)
    rows = ledger.ledger_entities(name=name)
    if kind:
        rows = [r for r in rows if r["kind"] == kind]
    rows = rows[:limit]
    links: dict[str, list[tuple[str, str]]] = defaultdict(list)
    ids = [r["id"] for r in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for article_id, record_id, entity_id in ledger.conn.execute(
            f"SELECT article_id, record_id, entity_id FROM entity_links WHERE entity_id IN ({marks})", chunk
        ):
            links[entity_id].append((article_id, record_id))
    records: dict[tuple[str, str], Row] = {}
    wanted = {pair for pairs in links.values() for pair in pairs}
    if wanted:
        for entity in ledger.entities():
            key = (entity["article_id"], entity["id"])
            if key in wanted:
                records[key] = entity
    out = []
    for row in rows:
        roles: list[str] = []
        timeline: list[Row] = []
        for pair in links.get(row["id"], []):
            record = records.get(pair)
            if record is None:
                continue  # a superseded revision's mention
            for role in record.get("roles") or ():
                if role not in roles:
                    roles.append(role)
            for status in record.get("status") or ():
                if not isinstance(status, dict):
                    continue
                when = status.get("date")
                if isinstance(when, dict):
                    when = when.get("date")
                article = articles.get(record["article_id"])
                timeline.append(
                    {
                        "status": _status_word(status),
                        "date": when if isinstance(when, str) else None,
                        "source": status.get("source") if isinstance(status.get("source"), str) else None,
                        **cite(article),
                    }
                )
        timeline.sort(key=lambda t: (t["date"] or t["published"] or ""))
        out.append({**row, "roles": roles, "status": timeline})
    return out


def people_with_status(rows: Iterable[Row], words: frozenset[str]) -> list[Row]:
    """People among entity rows with a status in ``words`` (e.g. KILLED_WORDS)."""
    out = []
    for row in rows:
        if row["kind"] != "PERSON":
            continue
        hits = [s for s in row["status"] if (s["status"] or "").lower() in words]
        if hits:
            out.append({**row, "status": hits})
    return out


# -- sources -----------------------------------------------------------------------------------


def sources(ledger: Ledger) -> Row:
    """Outlets (who published) and asserting bodies (who is cited for figures and statements)."""
    outlets = [
        {"name": name or "unknown", "articles": n, "first": first, "last": last}
        for name, n, first, last in ledger.conn.execute(
            "SELECT source, COUNT(*), MIN(published), MAX(published) FROM articles "
            "WHERE superseded_by IS NULL GROUP BY source ORDER BY COUNT(*) DESC, source"
        )
    ]
    bodies: dict[str, Row] = {}

    def body(name: str) -> Row:
        return bodies.setdefault(name, {"name": name, "claims": 0, "statements": 0, "metrics": [], "stances": []})

    tallies = (
        (ledger.claims(), "source", "claims", "metrics", "metric"),
        (ledger.statements(), "speaker", "statements", "stances", "stance"),
    )
    for records, actor_key, count_key, list_key, value_key in tallies:
        for record in records:
            name = actor_name(record.get(actor_key))
            if not name:
                continue
            b = body(name)
            b[count_key] += 1
            if record.get(value_key) not in b[list_key]:
                b[list_key].append(record.get(value_key))
    ranked = sorted(bodies.values(), key=lambda b: (-(b["claims"] + b["statements"]), b["name"]))
    return {"outlets": outlets, "bodies": ranked}


# -- articles ----------------------------------------------------------------------------------


def article_list(ledger: Ledger, *, q: str | None = None, limit: int = 100, offset: int = 0) -> Row:
    """Current articles, newest first, with how many facts each holds."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for table in ("claims", "events", "statements"):
        for article_id, n in ledger.conn.execute(f"SELECT article_id, COUNT(*) FROM {table} GROUP BY article_id"):
            counts[article_id][table] = n
    rows = [a for a in ledger.articles(include_superseded=False)]
    if q:
        needle = q.casefold()
        rows = [a for a in rows if needle in (a.title or "").casefold() or needle in (a.source or "").casefold()]
    rows.sort(key=lambda a: (a.published or "", a.id), reverse=True)
    total = len(rows)
    page = rows[offset:offset + limit]
    items = [
        {
            **cite(a),
            "revision_of": a.revision_of,
            "claims": counts[a.id].get("claims", 0),
            "events": counts[a.id].get("events", 0),
            "statements": counts[a.id].get("statements", 0),
        }
        for a in page
    ]
    return {"total": total, "items": items}


def _span_label(kind: str, record: Row) -> str:
    if kind == "event":
        return f"{record.get('event_type')}: {record.get('sub_event_type')}"
    if kind == "claim":
        return f"{record.get('metric')}: {(record.get('value') or {}).get('text')}"
    return f"{actor_name(record.get('speaker')) or 'unattributed'} {record.get('stance')}"


def article_detail(ledger: Ledger, article_id: str) -> Row | None:
    """One article (any revision) with its text and the spans of every extracted fact."""
    articles = article_map(ledger)
    article = articles.get(article_id)
    if article is None:
        return None
    text = ledger.article_text(article_id) or ""
    spans: list[Row] = []

    def rows(table: str) -> list[Row]:
        return [
            json.loads(r[0])
            for r in ledger.conn.execute(f"SELECT json FROM {table} WHERE article_id = ? ORDER BY rowid", (article_id,))
        ]

    for kind, table in (("event", "events"), ("claim", "claims"), ("statement", "statements")):
        for record in rows(table):
            ev = record.get("evidence") or {}
            spans.append({"kind": kind, "id": record["id"], "start": ev.get("start"), "end": ev.get("end"),
                          "label": _span_label(kind, record)})
    for record in rows("entities"):
        for start, end in record.get("mentions") or ():
            spans.append({"kind": "entity", "id": record["id"], "start": start, "end": end,
                          "label": f"{record.get('name')} ({record.get('kind')})"})
    spans = [s for s in spans if isinstance(s["start"], int) and isinstance(s["end"], int)
             and 0 <= s["start"] < s["end"] <= len(text)]
    return {
        **cite(article),
        "revision_of": article.revision_of,
        "superseded_by": article.superseded_by,
        "text": text,
        "spans": spans,
    }
