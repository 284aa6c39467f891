"""The situation report as data, and its HTML and PDF renderings (the Markdown one is ``report``).

``situation`` gathers, within a ``report.ReportScope`` (``--since``, ``--area``): key
figures with their range and sources, a chart per main metric (series by source), new
events, people killed or detained, contradictions and denials. Every item carries its
citation (outlet, date, URL) and its evidence sentence.

HTML: one self-contained page (Jinja2, autoescaped; charts as inline SVG).
PDF: fpdf2 (pure Python), DejaVu Sans when the system has it (any Unicode), else
Helvetica with text reduced to Latin-1.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jinja2

from .. import __version__
from ..store.sqlite import Ledger
from . import charts, views
from .report import REPORT_MIN_CONFIDENCE, ReportScope, format_number

Row = dict[str, Any]
# Charts drawn: these metrics, when the scope has figures for them.
CHART_METRICS = ("killed", "injured", "hostages_held", "displaced")
# Rows per section, so a report of a large ledger stays readable; the counts say what was left out.
MAX_EVENTS = 60
MAX_STATEMENTS = 40
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


def situation(
    ledger: Ledger,
    *,
    since: date | None = None,
    area: str | None = None,
    min_confidence: float = REPORT_MIN_CONFIDENCE,
) -> Row:
    """Everything the HTML and PDF reports show, as plain data."""
    articles = views.article_map(ledger)
    scope = ReportScope(ledger, articles, since=since, area=area)
    claims = [views.claim_row(c, articles) for c in scope.keep(ledger.claims(min_confidence=min_confidence))]
    events = [views.event_row(e, articles) for e in scope.keep(ledger.events())
              if e.get("event_type") not in (None, views.NON_ACLED)]
    events.sort(key=lambda r: (r["date"] or "", r["id"]), reverse=True)
    statements = [views.statement_row(s, articles) for s in scope.keep(ledger.statements())]
    statements.sort(key=lambda r: (r["date"] or "", r["id"]), reverse=True)
    contested = [s for s in statements if s["stance"] in views.CONTESTING_STANCES]
    people = _people(scope.keep(ledger.entities()), articles)
    series = views.series(claims)
    chart_list = []
    for metric in CHART_METRICS:
        chosen = [s for s in series if s["metric"] == metric]
        # The curve of running totals (a death toll) when sources give one; else every figure.
        totals = [{**s, "points": [p for p in s["points"] if p["scope"] == "cumulative"]} for s in chosen]
        totals = [s for s in totals if s["points"]]
        chosen = totals or chosen
        if chosen:
            chart_list.append(charts.layout(f"{metric.replace('_', ' ').capitalize()} — by source (▲ hedged)", chosen))
    current = [a for a in articles.values() if a.current and scope.article_ok(a.id)]
    dates = sorted(a.published for a in current if a.published)
    return {
        "title": "Situation report" + (f": {area}" if area else ""),
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
        "scope": scope.describe() or "everything in the ledger",
        "articles": len(current),
        "published": (dates[0], dates[-1]) if dates else None,
        "min_confidence": min_confidence,
        "key_figures": views.key_figures(claims),
        "charts": chart_list,
        "events": events[:MAX_EVENTS],
        "events_total": len(events),
        "killed": people["killed"],
        "detained": people["detained"],
        "contradictions": contested[:MAX_STATEMENTS],
        "contradictions_total": len(contested),
    }


def _people(entities: list[Row], articles: dict[str, Any]) -> dict[str, list[Row]]:
    out: dict[str, dict[str, Row]] = {"killed": {}, "detained": {}}
    for entity in entities:
        if entity.get("kind") != "PERSON":
            continue
        for status in entity.get("status") or ():
            word = (views._status_word(status) or "").lower() if isinstance(status, dict) else ""
            group = "killed" if word in views.KILLED_WORDS else "detained" if word in views.DETAINED_WORDS else None
            if group is None:
                continue
            person = out[group].setdefault(entity["name"], {"name": entity["name"], "roles": [], "entries": []})
            for role in entity.get("roles") or ():
                if role not in person["roles"]:
                    person["roles"].append(role)
            when = status.get("date") if isinstance(status.get("date"), str) else None
            person["entries"].append({"status": word, "date": when, **views.cite(articles.get(entity["article_id"]))})
    return {k: sorted(v.values(), key=lambda p: p["name"]) for k, v in out.items()}


# -- HTML ----------------------------------------------------------------------------------------


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("factledger.outputs", "templates"), autoescape=True, trim_blocks=True
    )
    env.filters["number"] = format_number
    env.filters["svg"] = lambda chart: jinja2.utils.markupsafe.Markup(charts.to_svg(chart))
    env.filters["http_url"] = lambda u: u if isinstance(u, str) and u.startswith(("http://", "https://")) else None
    return env


def render_html(data: Row) -> str:
    """The report as one self-contained HTML page."""
    return _env().get_template("report.html").render(r=data)


# -- PDF -----------------------------------------------------------------------------------------


def render_pdf(data: Row) -> bytes:
    """The report as PDF bytes (fpdf2). Needs the ``pdf`` extra."""
    from .report_pdf import build_pdf

    return build_pdf(data, font_dirs=FONT_DIRS)
