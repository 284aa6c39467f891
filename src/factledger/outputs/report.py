"""The situation report: a Markdown summary of what the ledger holds, every line sourced.

Sections: key figures (claims, grouped by metric, newest as-of first, with the
qualifier words, source, as-of date and hedges as read), events by date, people killed,
denials and confirmations, and the articles the report is built from.

The report restates what the sources say; it does not reconcile figures that differ
(that is ``resolve``'s job). It reads only current articles: a superseded revision's
records are left out, and the article list names what superseded what.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from ..store.sqlite import Ledger, StoredArticle
from . import views

# Claims below this confidence are left out of the report by default. Chosen by hand
# (2025-06, demo corpus and seeds): the claims extractor gives 0.3-0.5 to numbers whose
# metric or subject it only guessed; `factledger report --min-confidence 0` shows all.
REPORT_MIN_CONFIDENCE = 0.5

QUALIFIER_WORDS = {
    "exact": "",
    "at_least": "at least",
    "more_than": "more than",
    "about": "about",
    "nearly": "nearly",
    "up_to": "up to",
    "fewer_than": "fewer than",
    "range": "",
}
# Metrics listed first, in this order; any other metric follows alphabetically.
NON_ACLED = "Non-ACLED"
METRIC_ORDER = ("killed", "injured", "missing", "hostages", "prisoners", "detained", "displaced")
_KILLED_WORDS = frozenset({"killed", "dead", "died", "deceased", "assassinated", "executed"})
_STANCE_TITLES = (
    ("denies", "Denials"),
    ("confirms", "Confirmations"),
    ("disputes", "Disputes"),
    ("proposes", "Proposals"),
    ("accepts", "Acceptances"),
    ("rejects", "Rejections"),
    ("suspends", "Suspensions"),
)

Row = dict[str, Any]


def build_report(
    ledger: Ledger,
    *,
    min_confidence: float = REPORT_MIN_CONFIDENCE,
    since: date | None = None,
    area: str | None = None,
) -> str:
    """The Markdown situation report of ``ledger``, optionally limited to records dated
    on or after ``since`` and to ``area`` (see ``scope_records``)."""
    articles = {a.id: a for a in ledger.articles(include_superseded=True)}
    current = [a for a in articles.values() if a.current]
    scope = ReportScope(ledger, articles, since=since, area=area)
    claims = scope.keep(ledger.claims(min_confidence=min_confidence))
    events = scope.keep(ledger.events())
    entities = scope.keep(ledger.entities())
    statements = scope.keep(ledger.statements())
    parts = [
        _header(current, len(articles) - len(current), min_confidence, scope),
        _glance_section(ledger, claims, articles),
        _figures_section(claims, articles),
        _events_section(events, articles),
        _killed_section(entities, events, articles),
        _detained_section(entities, articles),
        _statements_section(statements, articles),
        _articles_section([a for a in articles.values() if scope.article_ok(a.id)]),
    ]
    return "\n".join(parts).rstrip() + "\n"


class ReportScope:
    """What a report is limited to.

    ``since``: records whose own date (event date, claim as-of, else the article's
    publication date) is on or after it. ``area``: events whose place (name, admin1,
    admin2 or country) contains the name; other records (figures, statements, people)
    from articles that name the area in their title or text, since a figure like a
    national death toll has no place of its own.
    """

    def __init__(self, ledger: Ledger, articles: dict[str, StoredArticle], *, since: date | None,
                 area: str | None) -> None:
        self.since = since
        self.area = area
        self.articles = articles
        self._area_articles: set[str] | None = None
        if area:
            needle = area.casefold()
            self._area_articles = {
                a.id for a in articles.values()
                if needle in (a.title or "").casefold() or needle in (ledger.article_text(a.id) or "").casefold()
            }

    def article_ok(self, article_id: str) -> bool:
        if self._area_articles is not None and article_id not in self._area_articles:
            return False
        if self.since is not None:
            article = self.articles.get(article_id)
            return bool(article and article.published and article.published >= self.since.isoformat())
        return True

    def record_ok(self, record: Row) -> bool:
        if self.since is not None:
            day = views.record_date(record, self.articles)
            if not day or day[:10] < self.since.isoformat():
                return False
        if not self.area:
            return True
        if record.get("type") == "event":
            return views._matches_area(record.get("location"), self.area)
        return self._area_articles is not None and record.get("article_id") in self._area_articles

    def keep(self, records: list[Row]) -> list[Row]:
        if self.since is None and not self.area:
            return records
        return [r for r in records if self.record_ok(r)]

    def describe(self) -> str:
        bits = []
        if self.since:
            bits.append(f"dated on or after {self.since.isoformat()}")
        if self.area:
            bits.append(f"about {self.area}")
        return " and ".join(bits)


# -- formatting helpers --------------------------------------------------------------------


def format_number(value: float | int | None) -> str:
    if value is None:
        return "?"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def format_quantity(value: Row | None) -> str:
    """A quantity as a reader would say it: "more than 42,000", "12-15", "dozens"."""
    if not value:
        return "?"
    low, high, best = value.get("low"), value.get("high"), value.get("best")
    qualifier = value.get("qualifier") or "exact"
    if qualifier == "range" and low is not None and high is not None:
        return f"{format_number(low)}–{format_number(high)}"
    number = best if best is not None else (low if low is not None else high)
    if number is None:
        return value.get("vague") or value.get("text") or "?"
    words = QUALIFIER_WORDS.get(qualifier, "")
    return f"{words} {format_number(number)}".strip()


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") if text not in (None, "") else "–"


def _actor(ref: Row | None) -> str | None:
    if not ref:
        return None
    return ref.get("entity") or ref.get("text")


def _cite(article_id: str, articles: dict[str, StoredArticle]) -> str:
    """"Title (Outlet, 2024-03-05)" of a record's article."""
    article = articles.get(article_id)
    if article is None:
        return article_id
    meta = ", ".join(x for x in (article.source, article.published) if x)
    title = article.title or article.path or article.id
    return f"{title} ({meta})" if meta else title


def _published(article_id: str, articles: dict[str, StoredArticle]) -> str | None:
    article = articles.get(article_id)
    return article.published if article else None


# -- sections ------------------------------------------------------------------------------


def _header(current: list[StoredArticle], superseded: int, min_confidence: float,
            scope: ReportScope | None = None) -> str:
    dates = sorted(a.published for a in current if a.published)
    span = f", published {dates[0]} to {dates[-1]}" if dates else ""
    revised = f" ({superseded} earlier revision{'s' * (superseded != 1)} superseded)" if superseded else ""
    limited = f" Limited to records {scope.describe()}." if scope and scope.describe() else ""
    return (
        "# Situation report\n\n"
        f"Built from {len(current)} article{'s' * (len(current) != 1)}{revised}{span}.{limited} "
        "Figures are given as each source states them and are not reconciled; "
        f"claims with confidence below {min_confidence:g} are left out.\n"
    )


def _link(row: Row) -> str:
    """A Markdown citation of a view row, linked to the article when it has a URL."""
    label = f"{row['outlet'] or 'unknown outlet'}, {row['published'] or 'undated'}"
    url = row.get("url") or ""
    if url.startswith(("http://", "https://")):
        return f"[{label}]({url})"
    return label


def _glance_section(ledger: Ledger, claims: list[Row], articles: dict[str, StoredArticle]) -> str:
    """Key figures at a glance: per metric, the range of the newest figure of each source."""
    lines = ["## Key figures at a glance", ""]
    rows = [views.claim_row(c, articles) for c in claims]
    summary = views.key_figures(rows)
    if not summary:
        return "\n".join([*lines, "No figures found.", ""])
    for kf in summary:
        span = format_number(kf["low"]) if kf["low"] == kf["high"] else f"{format_number(kf['low'])}–{format_number(kf['high'])}"
        what = "running totals" if kf["scope"] == "cumulative" else "as reported"
        sources = "; ".join(
            f"{f['value_text'] or format_number(f['best'])} ({f['source']}"
            + (f", as of {f['as_of']}" if f["as_of"] else "")
            + (f", {', '.join(f['hedges'])}" if f["hedges"] else "")
            + f", {_link(f)})"
            for f in kf["figures"]
        )
        lines.append(f"- **{kf['metric'].replace('_', ' ').capitalize()}: {span}** ({what}) — {sources}")
    lines.append("")
    return "\n".join(lines)


def _detained_section(entities: list[Row], articles: dict[str, StoredArticle]) -> str:
    lines = ["## People detained", ""]
    found: dict[str, list[str]] = defaultdict(list)
    for entity in entities:
        if entity.get("kind") != "PERSON":
            continue
        for status in entity.get("status") or ():
            word = views._status_word(status) if isinstance(status, dict) else None
            if word and word.lower() in views.DETAINED_WORDS:
                when = status.get("date") if isinstance(status.get("date"), str) else None
                found[entity["name"]].append(
                    f"{word}{' ' + when if when else ''} — source: {_cite(entity['article_id'], articles)}"
                )
    if not found:
        return "\n".join([*lines, "No named people reported detained.", ""])
    for name in sorted(found):
        lines.append(f"- **{name}**: " + "; ".join(sorted(set(found[name]))))
    lines.append("")
    return "\n".join(lines)


def _metric_key(metric: str) -> tuple[int, str]:
    return (METRIC_ORDER.index(metric) if metric in METRIC_ORDER else len(METRIC_ORDER), metric)


def _figures_section(claims: list[Row], articles: dict[str, StoredArticle]) -> str:
    lines = ["## Key figures", ""]
    if not claims:
        return "\n".join([*lines, "No figures found.", ""])
    by_metric: dict[str, list[Row]] = defaultdict(list)
    for claim in claims:
        by_metric[claim.get("metric") or "other"].append(claim)
    for metric in sorted(by_metric, key=_metric_key):
        lines += [f"### {metric.replace('_', ' ').capitalize()}", ""]
        lines += ["| Figure | Of | Source | As of | Hedges | Article |", "|---|---|---|---|---|---|"]
        rows = []
        for claim in by_metric[metric]:
            as_of = (claim.get("as_of") or {}).get("date")
            shown_as_of = as_of or (
                f"published {_published(claim['article_id'], articles)}"
                if _published(claim["article_id"], articles)
                else None
            )
            sort_date = as_of or _published(claim["article_id"], articles) or ""
            hedges = list(claim.get("hedges") or [])
            if claim.get("modality") not in (None, "asserted"):
                hedges.append(str(claim["modality"]))
            best = (claim.get("value") or {}).get("best")
            shown = format_quantity(claim.get("value")) + ("%" if claim.get("unit") == "percent" else "")
            if claim.get("unit") == "percent":
                best = -1  # a share sorts after the counts
            rows.append(
                (
                    sort_date,
                    best if best is not None else -1,
                    "| "
                    + " | ".join(
                        _cell(x)
                        for x in (
                            f"**{shown}**",
                            claim.get("subject"),
                            _actor(claim.get("source")) or "unattributed",
                            shown_as_of,
                            ", ".join(hedges),
                            _cite(claim["article_id"], articles),
                        )
                    )
                    + " |",
                )
            )
        rows.sort(key=lambda r: (r[0], r[1]), reverse=True)
        lines += [r[2] for r in rows]
        lines.append("")
    return "\n".join(lines)


def _place(location: Row | None) -> str | None:
    if not location:
        return None
    name = location.get("name") or location.get("text")
    parts = [name, location.get("admin1"), location.get("country")]
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return ", ".join(seen) or None


def _event_line(event: Row, articles: dict[str, StoredArticle]) -> str:
    sub = event.get("sub_event_type") or "Event"
    bits = [f"**{sub}** ({event.get('event_type')})"]
    place = _place(event.get("location"))
    if place:
        bits[0] += f" in {place}"
    actors = [a for a in (_actor(event.get("actor1")), _actor(event.get("actor2"))) if a]
    if actors:
        bits.append(" against ".join(actors))
    if event.get("fatalities"):
        bits.append(f"killed: {format_quantity(event['fatalities'])}")
    if event.get("injured"):
        bits.append(f"injured: {format_quantity(event['injured'])}")
    if event.get("victims"):
        bits.append("victims: " + ", ".join(event["victims"]))
    if event.get("claimed_by"):
        bits.append("claimed by: " + ", ".join(event["claimed_by"]))
    if event.get("modality") not in (None, "asserted"):
        bits.append(str(event["modality"]))
    bits.append(f"source: {_cite(event['article_id'], articles)}")
    return "- " + " — ".join(bits)


def _events_section(events: list[Row], articles: dict[str, StoredArticle]) -> str:
    lines = ["## Events by date", ""]
    other = [e for e in events if e.get("event_type") in (None, NON_ACLED)]
    events = [e for e in events if e.get("event_type") not in (None, NON_ACLED)]
    if other:
        lines += [
            f"ACLED-coded events only; {len(other)} other interaction(s) coded in PLOVER alone "
            "(consultations, appeals, accusations) are in the ledger and in `factledger extract`.",
            "",
        ]
    if not events:
        return "\n".join([*lines, "No events found.", ""])
    by_date: dict[str, list[Row]] = defaultdict(list)
    for event in events:
        when = event.get("date") or {}
        key = when.get("date") or "undated"
        if when.get("precision") not in (None, "day", "unknown") and key != "undated":
            key = f"{key} ({when['precision']})"
        by_date[key].append(event)
    for key in sorted(by_date, key=lambda k: (k == "undated", k)):
        lines += [f"### {key}", ""]
        lines += [_event_line(e, articles) for e in by_date[key]]
        lines.append("")
    return "\n".join(lines)


def _is_killed(status: Row) -> bool:
    for key in ("status", "state", "value", "kind"):
        value = status.get(key)
        if isinstance(value, str) and value.lower() in _KILLED_WORDS:
            return True
    return False


def _killed_section(entities: list[Row], events: list[Row], articles: dict[str, StoredArticle]) -> str:
    lines = ["## People killed", ""]
    people: dict[str, dict[str, set[str]]] = {}

    def person(name: str) -> dict[str, set[str]]:
        return people.setdefault(name, {"roles": set(), "sources": set(), "dates": set()})

    roles_by_name: dict[str, set[str]] = defaultdict(set)
    persons = {e.get("name") for e in entities if e.get("kind") == "PERSON"}
    for entity in entities:
        roles_by_name[entity.get("name", "")].update(entity.get("roles") or ())
        if entity.get("kind") != "PERSON":
            continue  # organisations and places have no death to report
        for status in entity.get("status") or ():
            if isinstance(status, dict) and _is_killed(status):
                p = person(entity["name"])
                p["roles"].update(entity.get("roles") or ())
                p["sources"].add(_cite(entity["article_id"], articles))
                when = status.get("date")
                if isinstance(when, dict):
                    when = when.get("date")
                if isinstance(when, str):
                    p["dates"].add(when)
    for event in events:
        if not event.get("fatalities"):
            continue
        for victim in event.get("victims") or ():
            if victim not in persons:
                continue  # a victim named in the text but not recognised as a person
            p = person(victim)
            p["sources"].add(_cite(event["article_id"], articles))
            when = (event.get("date") or {}).get("date")
            if when:
                p["dates"].add(when)
    if not people:
        return "\n".join([*lines, "No named people reported killed.", ""])
    for name in sorted(people):
        p = people[name]
        roles = p["roles"] | roles_by_name.get(name, set())
        line = f"- **{name}**"
        if roles:
            line += f", {', '.join(sorted(roles))}"
        if p["dates"]:
            line += f" — {', '.join(sorted(p['dates']))}"
        line += f" — source: {'; '.join(sorted(p['sources']))}"
        lines.append(line)
    lines.append("")
    return "\n".join(lines)


def _statements_section(statements: list[Row], articles: dict[str, StoredArticle]) -> str:
    lines = ["## Denials and confirmations", ""]
    if not statements:
        return "\n".join([*lines, "No denials or confirmations found.", ""])
    for stance, title in _STANCE_TITLES:
        chosen = [s for s in statements if s.get("stance") == stance]
        if not chosen:
            continue
        lines += [f"### {title}", ""]
        for s in chosen:
            speaker = _actor(s.get("speaker")) or "unattributed"
            proposition = " ".join(str(s.get("proposition") or "").split())
            lines.append(f"- **{speaker}** {stance}: “{proposition}” — source: {_cite(s['article_id'], articles)}")
        lines.append("")
    return "\n".join(lines)


def _articles_section(articles: Iterable[StoredArticle]) -> str:
    lines = ["## Articles", ""]
    items = list(articles)
    if not items:
        return "\n".join([*lines, "The ledger is empty: add articles with `factledger ingest`.", ""])
    for a in items:
        bits = [a.published or "undated", a.title or a.path or a.id]
        if a.source:
            bits.append(a.source)
        if a.url:
            bits.append(a.url)
        line = "- " + " — ".join(bits) + f" [`{a.id}`]"
        if a.revision_of:
            line += f" (revises `{a.revision_of}`)"
        if a.superseded_by:
            line += f" (superseded by `{a.superseded_by}`; its records are left out)"
        lines.append(line)
    lines.append("")
    return "\n".join(lines)
