"""The command line: thin. Each command parses its options, calls the library, prints.

One command per verb: ``extract``, ``ingest``, ``report``, ``demo``, ``evaluate``.
Records go to stdout (JSON lines, for pipes); errors and progress go to stderr.
``docs/cli.md`` documents every command, and tests/test_docs.py checks it does.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import click

from . import __version__
from .errors import FactledgerError
from .outputs.report import REPORT_MIN_CONFIDENCE
from .store.db import display_name
from .store.sqlite import DEFAULT_PATH

# Show a progress bar for an ingest of at least this many input files (or any JSONL file),
# when stderr is a terminal.
PROGRESS_MIN_FILES = 5

# Commands defined in modules that are imported only when the command is used:
# name -> (module, attribute, short help shown in `factledger --help`).
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "evaluate": (
        "factledger.evaluate.cli",
        "evaluate_command",
        "Score the extraction against gold data.",
    ),
    "serve": ("factledger.web.cli", "serve_command", "Serve the dashboard and JSON API of a ledger."),
    "export": ("factledger.outputs.export_cli", "export_command", "Export the ledger (jsonl, csv, acled-csv, parquet, geojson)."),
}


class LazyGroup(click.Group):
    """A group whose commands in LAZY_COMMANDS are imported on first use. A command
    whose module cannot be imported fails with a clear message when run, and never
    breaks the other commands."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            return _load_lazy(cmd_name)
        return super().get_command(ctx, cmd_name)


def _load_lazy(name: str) -> click.Command:
    module_name, attr, short_help = LAZY_COMMANDS[name]
    try:
        command = getattr(importlib.import_module(module_name), attr)
    # Any error while importing another module must not break the whole CLI: the
    # command reports it when used.
    except Exception as exc:  # noqa: BLE001
        return _unavailable(name, short_help, f"{module_name} could not be loaded ({type(exc).__name__}: {exc})")
    if not isinstance(command, click.Command):
        return _unavailable(name, short_help, f"{module_name}.{attr} is not a click command")
    return command


def _unavailable(name: str, short_help: str, reason: str) -> click.Command:
    def run(args: tuple[str, ...]) -> None:
        raise click.ClickException(
            f"the {name} command is not available: {reason}. "
            "Reinstall factledger (`pip install -e .`) or report this bug."
        )

    return click.Command(
        name,
        callback=run,
        params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
        context_settings={"ignore_unknown_options": True},
        short_help=f"{short_help} (not available)",
        help=f"{short_help}\n\nNot available: {reason}\n\nExample:\n\n    factledger {name} --help",
    )


class DateType(click.ParamType):
    """An ISO date (YYYY-MM-DD; a datetime is cut to its date)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from .ingest.readers import parse_published

        try:
            return parse_published(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


_TIME_LIMIT = click.option(
    "--time-limit",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="Time budget per article; an article over it fails with an error naming it (0: no limit).",
)
# --db of the commands that create the ledger when it is missing.
_DB_CREATE = click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=DEFAULT_PATH,
    show_default=True,
    help="The ledger: a SQLite file (created when missing) or a postgresql://USER:PASSWORD@HOST/DB URL.",
)


def input_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that read articles (defined once)."""
    func = _TIME_LIMIT(func)
    func = click.option(
        "--processes",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        help="Worker processes for extraction (each loads the model, ~0.5 s and ~300 MB).",
    )(func)
    func = click.option(
        "--source", metavar="NAME", help="Outlet of every article (overrides the one in the input)."
    )(func)
    func = click.option(
        "--published",
        type=DateType(),
        help="Publication date of every article (overrides the one in the input); "
        "relative dates like 'on Friday' are resolved from it.",
    )(func)
    func = click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))(func)
    return func


def engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options choosing where extraction runs (defined once, for extract and ingest); the
    command gets them as one ``dask`` argument: DaskSettings, or None for local processes."""

    @functools.wraps(func)
    def command(
        *args: Any,
        engine: str,
        scheduler: str | None,
        workers: int | None,
        partition_size: int | None,
        parquet_dir: str | None,
        **kwargs: Any,
    ) -> Any:
        return func(*args, dask=_dask_settings(engine, scheduler, workers, partition_size, parquet_dir), **kwargs)

    options = (
        click.option(
            "--engine",
            type=click.Choice(["local", "dask"]),
            default="local",
            show_default=True,
            help="Where extraction runs: local processes (--processes), or a Dask cluster (docs/scale.md).",
        ),
        click.option(
            "--scheduler",
            metavar="tcp://HOST:PORT",
            help="With --engine dask: the address of a running Dask scheduler (default: a local cluster).",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            help="With --engine dask: worker processes of the local cluster (default: 2; one thread "
            "and one model, ~400 MB, each).",
        ),
        click.option(
            "--partition-size",
            type=click.IntRange(min=1),
            help="With --engine dask: articles per task (default: 8).",
        ),
        click.option(
            "--parquet-dir",
            type=click.Path(file_okay=False),
            help="With --engine dask: keep the partitions' Parquet files here (default: a temporary directory).",
        ),
    )
    decorated: Callable[..., Any] = command
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


def _dask_settings(
    engine: str, scheduler: str | None, workers: int | None, partition_size: int | None, parquet_dir: str | None
) -> Any:
    """The DaskSettings of --engine dask, or None for the local engine."""
    if engine != "dask":
        given = [n for n, v in (("--scheduler", scheduler), ("--workers", workers),
                                ("--partition-size", partition_size), ("--parquet-dir", parquet_dir)) if v]
        if given:
            raise click.UsageError(f"{', '.join(given)} need --engine dask")
        return None
    if scheduler and workers:
        raise click.UsageError("give --scheduler (a running cluster) or --workers (a local one), not both")
    from .ingest.distributed import DaskSettings

    sizes = {"partition_size": partition_size} if partition_size else {}
    return DaskSettings(scheduler=scheduler, workers=workers or 2, parquet_dir=parquet_dir, **sizes)


def _fail_on(exc: FactledgerError) -> click.ClickException:
    return click.ClickException(str(exc))


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="factledger")
def cli() -> None:
    """factledger: conflict news into a sourced ledger of events and figures.

    Example:

    \b
        factledger extract article.txt --published 2024-03-05
        factledger ingest news/ --db ledger.db && factledger report --db ledger.db
    """


@cli.command()
@input_options
@engine_options
def extract(
    paths: tuple[str, ...],
    published: date | None,
    source: str | None,
    processes: int,
    time_limit: float,
    dask: Any,
) -> None:
    """Extract records from articles and print them as JSON lines.

    PATHS are .txt/.md files (first line = headline), .html/.htm pages, .jsonl files
    (one article per line), directories (read recursively) or - for stdin. Each line
    printed is one record (article, entity, event, claim, statement) as defined in the
    output contract (docs/output-contract.md). Errors go to stderr, naming the input;
    the other inputs go on, and the exit code is 1 when any input failed.

    Example:

    \b
        factledger extract article.txt --published 2024-03-05 > records.jsonl
        cat article.txt | factledger extract - --source Reuters
        factledger extract archive/ --engine dask --workers 4 > records.jsonl
    """
    from .ingest.batch import extract_items
    from .ingest.readers import read_paths
    from .outputs.jsonl import record_lines

    failed = 0
    items = read_paths(paths, published=published, source=source)
    if dask is not None:
        from .ingest.distributed import extract_dask

        results = extract_dask(items, settings=dask, time_limit=time_limit)
    else:
        results = extract_items(items, processes=processes, time_limit=time_limit)
    try:
        for result in results:
            if result.error is not None:
                failed += 1
                click.echo(f"error: {result.error}", err=True)
                continue
            for line in record_lines(result.records or ()):
                click.echo(line)
    except FactledgerError as exc:
        raise _fail_on(exc) from exc
    if failed:
        click.echo(f"{failed} input{'s' * (failed != 1)} failed", err=True)
        sys.exit(1)


def _count_files(paths: tuple[str, ...]) -> tuple[int, bool]:
    """How many files the inputs hold, and whether one is JSONL (for the progress bar)."""
    from pathlib import Path

    from .ingest.readers import JSONL_SUFFIXES, iter_files

    files: list[Path] = []
    for p in paths:
        path = Path(p)
        files.extend(iter_files(path) if path.is_dir() else [path])
    return len(files), any(f.suffix.lower() in JSONL_SUFFIXES for f in files)


@cli.command()
@input_options
@engine_options
@_DB_CREATE
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest(
    paths: tuple[str, ...],
    published: date | None,
    source: str | None,
    processes: int,
    time_limit: float,
    dask: Any,
    db: str,
    as_json: bool,
) -> None:
    """Extract records from articles and store them in the ledger.

    The ledger is a SQLite file, or a PostgreSQL database given as a postgresql:// URL
    (for a team: several ingesters and readers at once; see docs/scale.md).

    Re-ingesting an article already stored (same text) adds nothing; a changed version
    of a stored story (same URL, else same path, else same title) is stored as a new
    revision that supersedes the old one. Each article is stored in one transaction.
    Prints the counts added / duplicate / revision / failed; errors go to stderr and the
    exit code is 1 when any input failed.

    Example:

    \b
        factledger ingest news/ wire.jsonl --db ledger.db --processes 2
        factledger ingest news/ --db postgresql://factledger@db.example/news
        factledger ingest archive/ --engine dask --scheduler tcp://10.0.0.5:8786 --db ledger.db
    """
    from tqdm import tqdm

    from .ingest.batch import IngestSummary, ingest_paths
    from .store.sqlite import Ledger

    files, has_jsonl = _count_files(paths)
    show_progress = files >= PROGRESS_MIN_FILES or has_jsonl
    summary = IngestSummary()
    try:
        with Ledger.open(db) as ledger:
            run_on: Any = None
            if dask is not None:
                from .ingest.distributed import extract_dask

                def run_on(items: Any, skip: Any) -> Any:
                    return extract_dask(items, settings=dask, skip=skip, time_limit=time_limit)

            outcomes = ingest_paths(
                ledger, paths, published=published, source=source, processes=processes,
                time_limit=time_limit, engine=run_on,
            )
            # disable=None: tqdm shows the bar only when stderr is a terminal.
            bar = tqdm(outcomes, file=sys.stderr, unit=" article", disable=None if show_progress else True)
            for outcome in bar:
                summary.count(outcome.outcome)
                if outcome.error:
                    summary.errors.append(outcome.error)
                    tqdm.write(f"error: {outcome.error}", file=sys.stderr)
    except FactledgerError as exc:
        raise _fail_on(exc) from exc
    if as_json:
        data = {k: getattr(summary, k) for k in ("added", "duplicate", "revision", "failed")}
        click.echo(json.dumps({**data, "db": display_name(db)}))
    else:
        click.echo(
            f"added {summary.added}, duplicate {summary.duplicate}, revision {summary.revision}, "
            f"failed {summary.failed} (ledger {display_name(db)})"
        )
    if summary.failed:
        sys.exit(1)


@cli.command()
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=DEFAULT_PATH,
    show_default=True,
    help="The ledger to report on: a SQLite file (must exist) or a postgresql:// URL.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Write the report to this file instead of stdout.",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=REPORT_MIN_CONFIDENCE,
    show_default=True,
    help="Leave out claims below this confidence (0 shows all).",
)
def report(db: str, output: str, min_confidence: float) -> None:
    """Write a Markdown situation report of the ledger.

    Key figures with their sources, qualifiers and as-of dates; events by date; people
    killed; denials and confirmations; and the list of articles. Only current
    revisions of articles are used.

    Example:

    \b
        factledger report --db ledger.db --output report.md
    """
    from .outputs.report import build_report
    from .store.sqlite import Ledger

    try:
        with Ledger.open(db, create=False) as ledger:
            text = build_report(ledger, min_confidence=min_confidence)
    except FactledgerError as exc:
        raise _fail_on(exc) from exc
    _write(output, text)


_DB_EXISTING = click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=DEFAULT_PATH,
    show_default=True,
    help="The ledger: a SQLite file (must exist) or a postgresql:// URL.",
)
_KIND = click.option("--kind", metavar="KIND", help="Entity kind (PERSON, ORG, GPE, ...) when a name is ambiguous.")


@cli.group()
def alias() -> None:
    """List and edit the ledger's alias table (one entity across articles).

    Every person, organisation and place found on ingest is bound to a ledger entity by
    its name variants ("al-Arouri", "Arouri" and "Saleh al-Arouri"). Edits made here are
    kept over anything extraction finds later (see docs/ledger.md).

    Example:

    \b
        factledger alias list --db ledger.db Arouri
        factledger alias add "Abu Obeida" "Abu Ubaida" --db ledger.db
        factledger alias merge "Israel Defense Forces" "Israeli army" --db ledger.db
    """


@alias.command("list")
@_DB_EXISTING
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of text.")
def alias_list(db: str, name: str | None, as_json: bool) -> None:
    """List ledger entities with their aliases (those named NAME, or all).

    Example:

    \b
        factledger alias list --db ledger.db "Kassab"
    """
    from .store.sqlite import Ledger

    try:
        with Ledger.open(db, create=False) as ledger:
            rows = ledger.ledger_entities(name=name)
    except FactledgerError as exc:
        raise _fail_on(exc) from exc
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        names = ", ".join(a["alias"] + (" (user)" if a["origin"] == "user" else "") for a in row["aliases"])
        click.echo(f"{row['name']} [{row['kind']}] {row['articles']} article(s): {names or '-'}")
    if name and not rows:
        raise click.ClickException(f"no entity named {name!r} in {display_name(db)}")


@alias.command("add")
@_DB_EXISTING
@_KIND
@click.argument("new_alias", metavar="ALIAS")
@click.argument("name")
def alias_add(db: str, kind: str | None, new_alias: str, name: str) -> None:
    """Make ALIAS a name of the entity called NAME.

    Example:

    \b
        factledger alias add "Abu Obeida" "Abu Ubaida" --db ledger.db --kind PERSON
    """
    from .store.sqlite import Ledger

    try:
        with Ledger.open(db, create=False) as ledger:
            entity_id = ledger.add_alias(new_alias, name, kind=kind)
    except FactledgerError as exc:
        raise _fail_on(exc) from exc
    click.echo(f"{new_alias!r} now names {name!r} ({entity_id})")


@alias.command("merge")
@_DB_EXISTING
@_KIND
@click.argument("keep")
@click.argument("other")
def alias_merge(db: str, kind: str | None, keep: str, other: str) -> None:
    """Fold the entity OTHER into KEEP: its aliases and mentions move to KEEP.

    Example:

    \b
        factledger alias merge "Israel Defense Forces" "Israeli army" --db ledger.db
    """
    from .store.sqlite import Ledger

    try:
        with Ledger.open(db, create=False) as ledger:
            entity_id = ledger.merge_entities(keep, other, kind=kind)
    except FactledgerError as exc:
        raise _fail_on(exc) from exc
    click.echo(f"merged {other!r} into {keep!r} ({entity_id})")


@cli.command()
@click.argument("feeds", nargs=-1, required=True, metavar="FEED_URL...")
@_DB_CREATE
@click.option(
    "--interval",
    type=click.FloatRange(min=1),
    default=900.0,
    show_default=True,
    metavar="SECONDS",
    help="Seconds between polls of each feed (a feed that failed waits longer: doubled per error, up to 6 h).",
)
@click.option("--once", is_flag=True, help="Poll every feed once and exit (for cron); exit code 1 on any error.")
@_TIME_LIMIT
def watch(feeds: tuple[str, ...], db: str, interval: float, once: bool, time_limit: float) -> None:
    """Poll RSS/Atom feeds and ingest their new articles into the ledger.

    Each poll is a conditional GET (ETag / Last-Modified); each new item's page is
    fetched once, its main text extracted and stored. The state of every feed and item
    is kept in the ledger, so a restart fetches nothing twice. A feed or page that fails
    is an error for it alone (printed to stderr; a failed feed is retried with backoff,
    a failed page on the next polls, three times at most). Stop with Ctrl-C.

    Example:

    \b
        factledger watch https://news.example/world/rss.xml --db ledger.db --interval 600
        factledger watch https://a.example/feed https://b.example/atom.xml --once --db ledger.db
    """
    from .ingest.watch import Watcher
    from .store.sqlite import Ledger

    errors = 0
    try:
        with Ledger.open(db) as ledger:
            watcher = Watcher(ledger, interval=interval, time_limit=time_limit)
            for event in watcher.run(feeds, once=once):
                if event.error:
                    errors += event.kind in ("feed_error", "failed")
                    click.echo(f"{'note' if event.kind == 'backoff' else 'error'}: {event.error}", err=True)
                elif event.item:
                    click.echo(f"{event.kind} {event.item}")
                else:
                    click.echo(f"{event.kind.replace('_', ' ')} {event.feed}", err=True)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    except FactledgerError as exc:
        raise _fail_on(exc) from exc
    if once and errors:
        sys.exit(1)


def _write(output: str, text: str) -> None:
    if output == "-":
        click.echo(text, nl=False)
        return
    try:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {output}", err=True)


@cli.command()
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="Keep the demo ledger in this file or postgresql:// database (default: a temporary one, deleted afterwards).",
)
@click.option("--processes", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
def demo(db: str | None, processes: int) -> None:
    """Ingest the bundled demo corpus and print its situation report.

    The demo corpus is a dozen invented wire reports on an invented conflict (see
    docs/ledger.md): casualty figures from several sources, an air strike, shelling,
    hostages, a ceasefire proposal, a denial and a revised death toll.

    Example:

    \b
        factledger demo | less
        factledger demo --db demo.db && factledger report --db demo.db
    """
    from .demo import run_demo

    try:
        result = run_demo(db=db, processes=processes)
    except FactledgerError as exc:
        raise _fail_on(exc) from exc
    s = result.summary
    click.echo(
        f"demo: added {s.added}, duplicate {s.duplicate}, revision {s.revision}, failed {s.failed}"
        + (f" (ledger {display_name(db)})" if db else ""),
        err=True,
    )
    for error in s.errors:
        click.echo(f"error: {error}", err=True)
    click.echo(result.report, nl=False)
    if s.failed:
        sys.exit(1)


def main() -> None:
    """Entry point of the ``factledger`` command."""
    try:
        cli(prog_name="factledger")
    except BrokenPipeError:
        # The reader of our stdout went away (`factledger extract ... | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
