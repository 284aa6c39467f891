"""The evaluation gate: floors per suite and figure, pinned in ``eval/baseline.json``.

Rules (after trafilatura's ``tests/eval_gate.py``):

* ``check``: a figure below its floor fails the gate. Figures are deterministic, so the
  tolerance is 0 (``TOLERANCE``); values are compared rounded to ``DIGITS`` decimals.
  A suite whose data hash differs from the pinned one fails (its floors were measured on
  other data). A pinned figure the run did not produce fails. A skipped suite (data absent)
  is reported, not failed: a user's clone has no ../shared data. A run on a sample
  (``--limit``) cannot be gated.
* ``raise_floors``: floors go up to the measured values, never down; new figures and suites
  are pinned at their value. Refused on a sample or on changed data.
* ``lower_floor``: the only way down, one figure at a time, with a reason; the date, old and
  new floor and the reason are appended to the file's ``history``.
* ``accept_data``: re-pin a suite whose data file changed (floors = measured, may go down),
  with a reason, recorded in ``history``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Literal

from ..errors import FactledgerError
from .data import REPO_ROOT
from .result import Card, SuiteResult

BASELINE_PATH = REPO_ROOT / "eval" / "baseline.json"
TOLERANCE = 0.0  # figures are deterministic: any drop is a regression
DIGITS = 4


class GateError(FactledgerError):
    """A gate operation was refused (lowering without a reason, raising on a sample, ...)."""


@dataclass(frozen=True)
class SuiteFloors:
    data: dict[str, str]  # data file -> sha256 the floors were measured on
    floors: dict[str, float]
    rows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Baseline:
    suites: dict[str, SuiteFloors] = field(default_factory=dict)
    history: tuple[dict[str, object], ...] = ()
    tolerance: float = TOLERANCE


CheckStatus = Literal["ok", "below", "missing", "no-floor", "data-changed", "skipped", "error"]


@dataclass(frozen=True)
class GateLine:
    suite: str
    figure: str
    status: CheckStatus
    value: float | None = None
    floor: float | None = None
    note: str = ""


@dataclass(frozen=True)
class GateReport:
    lines: tuple[GateLine, ...]

    @property
    def failed(self) -> tuple[GateLine, ...]:
        return tuple(x for x in self.lines if x.status in ("below", "missing", "data-changed", "error"))

    @property
    def passed(self) -> bool:
        return not self.failed


def rounded(value: float) -> float:
    return round(value, DIGITS)


def load_baseline(path: Path = BASELINE_PATH) -> Baseline:
    """The pinned floors; an absent file is an empty baseline (nothing pinned yet)."""
    if not path.exists():
        return Baseline()
    try:
        with open(path, encoding="utf-8") as fh:
            raw = json.load(fh)
        suites = {name: SuiteFloors(dict(s.get("data", {})), {k: float(v) for k, v in s["floors"].items()},
                                    dict(s.get("rows", {})))
                  for name, s in raw.get("suites", {}).items()}
        return Baseline(suites, tuple(raw.get("history", ())), float(raw.get("tolerance", TOLERANCE)))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise GateError(f"{path}: not a valid baseline file ({exc}); restore it from git") from exc


def save_baseline(baseline: Baseline, path: Path = BASELINE_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "about": "Evaluation floors: `factledger evaluate all --gate` fails below them. Raise with "
                 "--raise-floors; lower only with --lower-floor SUITE.FIGURE=VALUE --reason TEXT. "
                 "See docs/evaluation.md.",
        "tolerance": baseline.tolerance,
        "suites": {name: {"data": s.data, "rows": s.rows, "floors": dict(sorted(s.floors.items()))}
                   for name, s in sorted(baseline.suites.items())},
        "history": list(baseline.history),
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def _hashes(result: SuiteResult) -> dict[str, str]:
    return {d.path: d.sha256 for d in result.data}


def _data_changed(result: SuiteResult, pinned: SuiteFloors) -> list[str]:
    current = _hashes(result)
    return sorted(p for p in set(current) | set(pinned.data) if current.get(p) != pinned.data.get(p))


def check(card: Card, baseline: Baseline) -> GateReport:
    if card.limit is not None:
        raise GateError(f"cannot gate a run on a sample (--limit {card.limit}): floors are pinned on "
                        "full data; drop --limit")
    lines: list[GateLine] = []
    for result in card.suites:
        pinned = baseline.suites.get(result.name)
        if result.status == "skipped":
            lines.append(GateLine(result.name, "*", "skipped", note=result.reason))
            continue
        if result.status == "error":
            lines.append(GateLine(result.name, "*", "error", note=result.reason))
            continue
        if pinned is None:
            lines.extend(GateLine(result.name, f.name, "no-floor", rounded(f.value)) for f in result.figures)
            continue
        changed = _data_changed(result, pinned)
        if changed:
            lines.append(GateLine(result.name, "*", "data-changed",
                                  note=f"data differs from what the floors were measured on: {', '.join(changed)};"
                                       " re-pin with --accept-data --reason TEXT"))
            continue
        produced = {f.name: f for f in result.figures}
        for name, floor in sorted(pinned.floors.items()):
            fig = produced.get(name)
            if fig is None:
                lines.append(GateLine(result.name, name, "missing", None, floor,
                                      "figure no longer produced; lower or remove its floor"))
                continue
            value = rounded(fig.value)
            status: CheckStatus = "below" if value < floor - baseline.tolerance else "ok"
            lines.append(GateLine(result.name, name, status, value, floor))
        lines.extend(GateLine(result.name, f.name, "no-floor", rounded(f.value))
                     for f in result.figures if f.name not in pinned.floors)
    return GateReport(tuple(lines))


def _full_runs(card: Card, action: str) -> list[SuiteResult]:
    if card.limit is not None:
        raise GateError(f"cannot {action} from a run on a sample (--limit {card.limit}); drop --limit")
    return [r for r in card.suites if r.status == "ok"]


def raise_floors(baseline: Baseline, card: Card) -> tuple[Baseline, list[GateLine]]:
    """Floors up to the measured values (never down). Returns the new baseline and the changes."""
    suites = dict(baseline.suites)
    changes: list[GateLine] = []
    for result in _full_runs(card, "raise floors"):
        pinned = suites.get(result.name)
        if pinned is not None and _data_changed(result, pinned):
            raise GateError(f"suite {result.name}: data changed since its floors were pinned; "
                            "use --accept-data --reason TEXT to re-pin it")
        floors = dict(pinned.floors) if pinned else {}
        for f in result.figures:
            value = rounded(f.value)
            old = floors.get(f.name)
            if old is None or value > old:
                floors[f.name] = value
                changes.append(GateLine(result.name, f.name, "ok", value, old, "raised" if old is not None
                                        else "pinned"))
        suites[result.name] = SuiteFloors(_hashes(result), floors, {d.path: d.rows for d in result.data})
    return replace(baseline, suites=suites), changes


def parse_floor_spec(spec: str) -> tuple[str, str, float]:
    """"acled.event_type_accuracy=0.55" -> ("acled", "event_type_accuracy", 0.55)."""
    name, sep, value = spec.partition("=")
    suite, dot, figure = name.strip().partition(".")
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not sep or not dot or not suite or not figure or not 0.0 <= number <= 1.0:
        raise GateError(f"--lower-floor {spec!r}: expected SUITE.FIGURE=VALUE with VALUE in [0, 1], "
                        "e.g. acled.event_type_accuracy=0.55")
    return suite, figure, number


def lower_floor(baseline: Baseline, spec: str, reason: str, *, today: date | None = None) -> Baseline:
    """Lower one floor, recording date, old and new value and the reason in ``history``."""
    if not reason or not reason.strip():
        raise GateError("lowering a floor needs --reason TEXT saying why (it is recorded in the baseline)")
    suite, figure, value = parse_floor_spec(spec)
    pinned = baseline.suites.get(suite)
    if pinned is None or figure not in pinned.floors:
        raise GateError(f"no floor {suite}.{figure} in the baseline; pinned: "
                        + ", ".join(f"{s}.{f}" for s, p in sorted(baseline.suites.items()) for f in sorted(p.floors)))
    old = pinned.floors[figure]
    value = rounded(value)
    if value >= old:
        raise GateError(f"{suite}.{figure}: {value} is not below the floor {old}; use --raise-floors to raise")
    floors = {**pinned.floors, figure: value}
    entry = {"date": (today or date.today()).isoformat(), "action": "lower", "figure": f"{suite}.{figure}",
             "from": old, "to": value, "reason": reason.strip()}
    return replace(baseline, suites={**baseline.suites, suite: replace(pinned, floors=floors)},
                   history=(*baseline.history, entry))


def accept_data(baseline: Baseline, card: Card, reason: str, *, today: date | None = None) -> Baseline:
    """Re-pin the suites whose data changed: floors = measured values (may go down), recorded."""
    if not reason or not reason.strip():
        raise GateError("--accept-data needs --reason TEXT (it is recorded in the baseline)")
    suites = dict(baseline.suites)
    history = list(baseline.history)
    for result in _full_runs(card, "accept new data"):
        pinned = suites.get(result.name)
        if pinned is None or not _data_changed(result, pinned):
            continue
        floors = {f.name: rounded(f.value) for f in result.figures}
        suites[result.name] = SuiteFloors(_hashes(result), floors, {d.path: d.rows for d in result.data})
        history.append({"date": (today or date.today()).isoformat(), "action": "accept-data",
                        "figure": f"{result.name}.*", "from": pinned.data, "to": _hashes(result),
                        "reason": reason.strip()})
    return Baseline(suites, tuple(history), baseline.tolerance)
