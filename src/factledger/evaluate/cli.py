"""``factledger evaluate``: parse options, call ``evaluate.run`` and ``evaluate.gate``, print."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import FactledgerError
from . import gate as gate_mod
from .card import card_dict, format_card, format_misses
from .run import SUITE_NAMES, evaluate, expand

HELP = """Score extraction against gold data and print the report card.

SUITE is one of: acled, acled-lebanon, case2021, plover, claims, entities, seeds, ledger, all.
Suites whose data is absent are reported as skipped, with the reason.

\b
Examples:
  factledger evaluate plover --limit 40 --errors 5
  factledger evaluate all --processes 2 --gate
  factledger evaluate all --raise-floors
  factledger evaluate acled --lower-floor acled.date_exact=0.8 --reason "notes without dates"
"""


@click.command("evaluate", help=HELP)
@click.argument("suite", type=click.Choice([*SUITE_NAMES, "all"]))
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of the shared data (default: $FACTLEDGER_SHARED/data or ../shared/data).")
@click.option("--json", "as_json", is_flag=True, help="Print the card as JSON.")
@click.option("--limit", type=click.IntRange(min=1), help="Score an evenly spaced sample of N items per suite.")
@click.option("--errors", type=click.IntRange(min=0), default=0, show_default=True,
              help="Also show the N worst misses of each suite (text, ours, gold).")
@click.option("--processes", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extraction worker processes.")
@click.option("--gate", "run_gate", is_flag=True, help="Exit 1 when a figure is below its floor in the baseline.")
@click.option("--raise-floors", is_flag=True, help="Raise floors to the measured values (never lowers).")
@click.option("--lower-floor", "lower", multiple=True, metavar="SUITE.FIGURE=VALUE",
              help="Lower one floor (needs --reason); recorded with the date in the baseline.")
@click.option("--accept-data", is_flag=True, help="Re-pin suites whose data file changed (needs --reason).")
@click.option("--reason", help="Why a floor is lowered or new data accepted (recorded).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              default=gate_mod.BASELINE_PATH, show_default=True, help="Baseline file of floors.")
def evaluate_command(suite: str, data_dir: Path | None, as_json: bool, limit: int | None, errors: int,
                     processes: int, run_gate: bool, raise_floors: bool, lower: tuple[str, ...],
                     accept_data: bool, reason: str | None, baseline_path: Path) -> None:
    try:
        baseline = gate_mod.load_baseline(baseline_path)
        if lower:
            for spec in lower:
                baseline = gate_mod.lower_floor(baseline, spec, reason or "")
            gate_mod.save_baseline(baseline, baseline_path)
            click.echo(f"lowered {', '.join(lower)} in {baseline_path}", err=True)
        if limit is not None and (run_gate or raise_floors or accept_data):
            raise gate_mod.GateError("--gate, --raise-floors and --accept-data need a full run: drop --limit")
        card = evaluate(expand(suite), data_dir=data_dir, limit=limit, processes=processes)
        if accept_data:
            baseline = gate_mod.accept_data(baseline, card, reason or "")
            gate_mod.save_baseline(baseline, baseline_path)
        if raise_floors:
            baseline, changes = gate_mod.raise_floors(baseline, card)
            gate_mod.save_baseline(baseline, baseline_path)
            click.echo(f"{len(changes)} floor(s) raised or pinned in {baseline_path}", err=True)
        report = gate_mod.check(card, baseline) if run_gate else None
    except FactledgerError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(card_dict(card, report, errors=errors), indent=2, ensure_ascii=False))
    else:
        click.echo(format_card(card, report))
        if errors:
            click.echo("")
            click.echo(format_misses(card, errors))
    if report is not None and not report.passed:
        raise SystemExit(1)
