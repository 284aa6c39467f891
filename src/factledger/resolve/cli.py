"""Commands over the cross-article ledger: events, figures, contradictions, entity, negotiations.

Each reads a ledger (``--db``), calls ``resolve.api`` and prints a table, JSON or CSV
(``--format``). Tables and CSV show one row per item with its main columns; JSON gives
everything the API returns.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

import click

from ..errors import FactledgerError
from ..store.sqlite import DEFAULT_PATH, Ledger
from . import api

Row = dict[str, Any]


def _db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", default=DEFAULT_PATH, show_default=True, type=click.Path(dir_okay=False),
                        help="The ledger (SQLite) file to read.")(func)


def _format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                        show_default=True, help="Output: an aligned table, JSON (everything), or CSV.")(func)


def _history_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--include-superseded", is_flag=True,
                        help="Count superseded versions of stories too (history), not only current ones.")(func)


def _open(db: str) -> Ledger:
    try:
        return Ledger.open(db, create=False)
    except FactledgerError as exc:
        raise click.ClickException(str(exc)) from exc


def _cell(value: Any, width: int = 60) -> str:
    text = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(rows: Sequence[Row], columns: Sequence[str], fmt: str, full: Any) -> str:
    """Rows as an aligned table or CSV (the columns), or ``full`` as JSON."""
    if fmt == "json":
        return json.dumps(full, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
        return buf.getvalue().rstrip("\n")
    if not rows:
        return "(none)"
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines)


def _value(v: dict[str, Any] | None) -> str | None:
    if not v:
        return None
    return v.get("text") or (f"{v['best']:g}" if v.get("best") is not None else None)


@click.command("events")
@_db_option
@_format_option
@_history_option
@click.option("--min-mentions", type=click.IntRange(min=1), default=2, show_default=True,
              help="Show ledger events reported in at least this many mentions.")
@click.option("--family", help="Only this type family (armed_violence, demonstration, strategic/...).")
def events_command(db: str, fmt: str, include_superseded: bool, min_mentions: int, family: str | None) -> None:
    """Events clustered across articles: one row per happening, with every mention.

    Fatalities are given across sources as low/best/high (best: the median report) and by
    ACLED's conservative rule (the lowest report).

    Example:

        factledger events --db ledger.db --min-mentions 2 --format table
    """
    with _open(db) as ledger:
        items = api.clustered_events(ledger, min_mentions=min_mentions, include_superseded=include_superseded,
                                     family=family)
    rows = [{"id": c["id"], "date": c["date"], "type": c["sub_event_type"], "location": c["location"],
             "mentions": len(c["mentions"]), "sources": ", ".join(c["sources"]),
             "killed_low": c["fatalities"]["low"], "killed_best": c["fatalities"]["best"],
             "killed_high": c["fatalities"]["high"], "killed_acled": c["fatalities"]["acled"],
             "evidence": c["mentions"][0]["evidence"]} for c in items]
    click.echo(render(rows, ["id", "date", "type", "location", "mentions", "sources", "killed_low", "killed_best",
                             "killed_high", "killed_acled", "evidence"], fmt, items))


@click.command("figures")
@click.argument("metric", required=False)
@_db_option
@_format_option
@_history_option
@click.option("--source", help="Only series whose source contains this (e.g. 'health ministry').")
@click.option("--population", help="Only this population (the claim's normalised subject, e.g. palestinians).")
@click.option("--area", help="Only this area (a country, e.g. Palestine).")
@click.option("--scope", type=click.Choice(["cumulative", "period", "event", "unspecified"]),
              help="Only this scope (default: every scope but event tolls).")
@click.option("--min-points", type=click.IntRange(min=1), default=1, show_default=True,
              help="Only series with at least this many points.")
def figures_command(metric: str | None, db: str, fmt: str, include_superseded: bool, source: str | None,
                    population: str | None, area: str | None, scope: str | None, min_points: int) -> None:
    """Figure series of METRIC (killed, injured, displaced, hostages_held...): one row per point.

    A series is the claims of one (metric, population, area, source, scope), ordered by
    as-of date; a later figure is a new point, never an overwrite. Cumulative totals and
    per-period counts are separate series.

    Example:

        factledger figures killed --source "health ministry" --db ledger.db --format csv
    """
    with _open(db) as ledger:
        items = api.figure_series(ledger, metric, source=source, population=population, area=area, scope=scope,
                                  min_points=min_points, include_superseded=include_superseded)
    rows = [{"series": s["id"], "metric": s["metric"], "population": s["population"], "area": s["area"],
             "source": s["source"], "scope": s["scope"], "as_of": p["as_of"], "value": _value(p["value"]),
             "best": p["value"].get("best"), "qualifier": p["value"].get("qualifier"), "outlet": p["outlet"],
             "article_id": p["article_id"], "evidence": p["evidence"]}
            for s in items for p in s["points"]]
    click.echo(render(rows, ["series", "metric", "population", "area", "source", "scope", "as_of", "value", "best",
                             "qualifier", "outlet", "article_id", "evidence"], fmt, items))


@click.command("contradictions")
@_db_option
@_format_option
@_history_option
@click.option("--metric", help="Only contradictions about this metric (leaves denials out).")
def contradictions_command(db: str, fmt: str, include_superseded: bool, metric: str | None) -> None:
    """Claims that cannot both be true, and denials linked to what they deny.

    Two claims contradict when they count the same metric of the same population (same
    area and as-of day, or the same happening) in different articles and their values,
    qualifiers and ranges included ("at least 7", "about 40"), cannot both hold.

    Example:

        factledger contradictions --db ledger.db --format json
    """
    with _open(db) as ledger:
        items = api.contradictions(ledger, metric=metric, include_superseded=include_superseded)
    rows = [{"id": c["id"], "kind": c["kind"], "metric": c["metric"],
             "a_source": c["a"].get("source"), "a_published": c["a"].get("published"),
             "a": _value(c["a"].get("value")) or c["a"].get("evidence"),
             "b_source": c["b"].get("source"), "b_published": c["b"].get("published"),
             "b": _value(c["b"].get("value")) or c["b"].get("evidence")} for c in items]
    click.echo(render(rows, ["id", "kind", "metric", "a_source", "a_published", "a", "b_source", "b_published", "b"],
                      fmt, items))


@click.command("entity")
@click.argument("name")
@_db_option
@_format_option
@_history_option
def entity_command(name: str, db: str, fmt: str, include_superseded: bool) -> None:
    """NAME across articles: aliases, roles, status timeline, events and statements.

    Example:

        factledger entity "Ismail Haniyeh" --db ledger.db
    """
    with _open(db) as ledger:
        profile = api.entity_profile(ledger, name, include_superseded=include_superseded)
    if profile is None:
        raise click.ClickException(f"no entity named {name!r} in the ledger; see `factledger alias list`")
    rows: list[Row] = [{"what": "entity", "date": None, "value": f"{profile['name']} ({profile['kind']})",
                        "source": f"{profile['articles']} article(s)"}]
    rows += [{"what": "alias", "value": a} for a in profile["aliases"]]
    rows += [{"what": "role", "value": r["role"], "source": f"{r['count']} mention(s)"} for r in profile["roles"]]
    rows += [{"what": "status", "date": t["date"], "value": t["status"], "source": t["source"]}
             for t in profile["status_timeline"]]
    rows += [{"what": "event", "date": e["date"], "value": f"{e['sub_event_type']} @ {e['location']}",
              "source": e["id"]} for e in profile["events"]]
    rows += [{"what": "statement", "value": f"{s['stance']}: {s['proposition']}", "source": s["article_id"]}
             for s in profile["statements"]]
    click.echo(render(rows, ["what", "date", "value", "source"], fmt, profile))


@click.command("negotiations")
@_db_option
@_format_option
@_history_option
def negotiations_command(db: str, fmt: str, include_superseded: bool) -> None:
    """Negotiation threads: proposals, responses and terms, with every statement and its source.

    One row per statement, in time order within each thread; the thread's status is its
    latest proposal or response (proposed, accepted, rejected, frozen, rejection denied...).

    Example:

        factledger negotiations --db ledger.db --format table
    """
    with _open(db) as ledger:
        items = api.negotiations(ledger, include_superseded=include_superseded)
    rows = [{"thread": t["thread"], "status": t["status"], "date": s["date"], "kind": s["kind"],
             "action": s["action"], "actor": s["actor"], "terms": json.dumps(s["terms"], sort_keys=True),
             "source": s.get("source"), "evidence": s["evidence"]} for t in items for s in t["statements"]]
    click.echo(render(rows, ["thread", "status", "date", "kind", "action", "actor", "terms", "source", "evidence"],
                      fmt, items))
