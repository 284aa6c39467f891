"""``factledger export``: the ledger in jsonl, csv, acled-csv, parquet or geojson (loaded only when used)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

import click

from ..errors import FactledgerError
from ..store.sqlite import DEFAULT_PATH


def _iso(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; give YYYY-MM-DD") from exc


@click.command("export")
@click.option("--db", type=click.Path(dir_okay=False), default=DEFAULT_PATH, show_default=True,
              help="The SQLite ledger (must exist).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "acled-csv", "parquet", "geojson"]),
              default="jsonl", show_default=True, help="Output format.")
@click.option("--records", "kind", type=click.Choice(["events", "claims", "statements", "entities"]),
              default="events", show_default=True,
              help="Which records to export (acled-csv and geojson are events only).")
@click.option("--since", metavar="YYYY-MM-DD", callback=_iso, help="Only records dated on or after this day.")
@click.option("--until", metavar="YYYY-MM-DD", callback=_iso, help="Only records dated on or before this day.")
@click.option("--type", "event_type", metavar="TYPE", help="Only events of this ACLED event type or sub-event type.")
@click.option("--area", metavar="NAME", help="Only events whose place, region or country contains NAME.")
@click.option("--actor", metavar="NAME", help="Only events with an actor whose name contains NAME.")
@click.option("--metric", metavar="METRIC", help="Only figures of this metric (with --records claims).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Write to this file instead of stdout (parquet needs a file).")
def export_command(db: str, fmt: str, kind: str, since: date | None, until: date | None,
                   event_type: str | None, area: str | None, actor: str | None, metric: str | None,
                   output: str) -> None:
    """Export the ledger's records for other tools.

    jsonl: the records in the output contract's JSON; csv and parquet: one flat row per
    record; acled-csv: events in ACLED's export columns (our evidence and citation in
    notes); geojson: an RFC 7946 FeatureCollection of the events that have coordinates.
    Only current revisions of articles are exported. A record's date is its own (event
    date, claim as-of) else its article's publication date.

    Example:

    \b
        factledger export --db ledger.db --format acled-csv --since 2024-07-01 -o events.csv
        factledger export --db ledger.db --format geojson --area Gaza -o events.geojson
        factledger export --db ledger.db --format parquet --records claims -o claims.parquet
    """
    from tqdm import tqdm

    from ..store.sqlite import Ledger
    from . import views
    from .export import export

    filters = views.Filters(since=since, until=until, event_type=event_type, area=area, actor=actor,
                            metric=metric)

    def progress(rows: Iterable[Any]) -> Iterator[Any]:
        # disable=None: the bar shows only when stderr is a terminal.
        return iter(tqdm(rows, file=sys.stderr, unit=" record", disable=None, desc=f"export {fmt}"))

    try:
        with Ledger.open(db, create=False) as ledger:
            if fmt == "parquet":
                if output == "-":
                    raise click.UsageError("parquet is a binary format: give --output FILE")
                result = export(ledger, fmt, kind=kind, filters=filters, path=output, progress=progress)
            elif output == "-":
                result = export(ledger, fmt, kind=kind, filters=filters, out=sys.stdout, progress=progress)
            else:
                with open(output, "w", encoding="utf-8", newline="") as fh:
                    result = export(ledger, fmt, kind=kind, filters=filters, out=fh, progress=progress)
    except FactledgerError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    note = f" ({result.skipped} without coordinates left out)" if result.skipped else ""
    click.echo(f"exported {result.written} record(s) as {fmt}{note}" + (f" to {output}" if output != "-" else ""),
               err=True)
