"""The evaluation gate's rules, on tmp baseline files and hand-made cards."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from factledger.evaluate import gate
from factledger.evaluate.result import Card, DataFile, Figure, SuiteResult


def card(value=0.5, sha="a" * 64, limit=None, extra=()):
    figures = (Figure("accuracy", value, 10), *extra)
    return Card((SuiteResult("plover", "ok", data=(DataFile("plover/gsr_dev.json", sha, 10),), figures=figures),
                 SuiteResult("claims", "skipped", reason="no gold")), limit=limit)


def pinned(tmp_path, value=0.5):
    path = tmp_path / "baseline.json"
    baseline, changes = gate.raise_floors(gate.Baseline(), card(value))
    gate.save_baseline(baseline, path)
    assert [c.note for c in changes] == ["pinned"]
    return path


def test_pin_then_pass_and_fail(tmp_path):
    path = pinned(tmp_path)
    baseline = gate.load_baseline(path)
    assert baseline.suites["plover"].floors == {"accuracy": 0.5}
    assert gate.check(card(0.5), baseline).passed
    assert gate.check(card(0.6), baseline).passed
    report = gate.check(card(0.4999), baseline)
    assert not report.passed and report.failed[0].status == "below"
    skipped = [x for x in report.lines if x.suite == "claims"]
    assert skipped[0].status == "skipped"  # absent data is reported, not failed


def test_raise_never_lowers(tmp_path):
    path = pinned(tmp_path, 0.5)
    baseline, changes = gate.raise_floors(gate.load_baseline(path), card(0.4))
    assert baseline.suites["plover"].floors["accuracy"] == 0.5 and not changes
    baseline, changes = gate.raise_floors(baseline, card(0.61234))
    assert baseline.suites["plover"].floors["accuracy"] == 0.6123 and changes[0].note == "raised"


def test_lowering_needs_reason_and_is_recorded(tmp_path):
    path = pinned(tmp_path, 0.5)
    baseline = gate.load_baseline(path)
    with pytest.raises(gate.GateError, match="reason"):
        gate.lower_floor(baseline, "plover.accuracy=0.4", "")
    with pytest.raises(gate.GateError, match="not below"):
        gate.lower_floor(baseline, "plover.accuracy=0.6", "why not")
    with pytest.raises(gate.GateError, match="no floor"):
        gate.lower_floor(baseline, "plover.nothing=0.1", "x")
    with pytest.raises(gate.GateError, match="SUITE.FIGURE=VALUE"):
        gate.lower_floor(baseline, "plover.accuracy", "x")
    lowered = gate.lower_floor(baseline, "plover.accuracy=0.4", "new PLOVER mapping", today=date(2026, 1, 2))
    gate.save_baseline(lowered, path)
    saved = json.loads(path.read_text())
    assert saved["suites"]["plover"]["floors"]["accuracy"] == 0.4
    assert saved["history"] == [{"date": "2026-01-02", "action": "lower", "figure": "plover.accuracy",
                                 "from": 0.5, "to": 0.4, "reason": "new PLOVER mapping"}]


def test_changed_data_fails_and_needs_accept(tmp_path):
    baseline = gate.load_baseline(pinned(tmp_path))
    other = card(0.3, sha="b" * 64)
    report = gate.check(other, baseline)
    assert report.failed[0].status == "data-changed"
    with pytest.raises(gate.GateError, match="data changed"):
        gate.raise_floors(baseline, other)
    accepted = gate.accept_data(baseline, other, "new dev split")
    assert accepted.suites["plover"].floors["accuracy"] == 0.3
    assert accepted.history[-1]["action"] == "accept-data"


def test_missing_figure_fails_and_new_figure_is_reported(tmp_path):
    baseline = gate.load_baseline(pinned(tmp_path))
    renamed = Card((SuiteResult("plover", "ok", data=(DataFile("plover/gsr_dev.json", "a" * 64, 10),),
                                figures=(Figure("event_accuracy", 0.9, 10),)),))
    statuses = {x.figure: x.status for x in gate.check(renamed, baseline).lines}
    assert statuses == {"accuracy": "missing", "event_accuracy": "no-floor"}


def test_sample_runs_cannot_gate_or_raise():
    with pytest.raises(gate.GateError, match="sample"):
        gate.check(card(limit=5), gate.Baseline())
    with pytest.raises(gate.GateError, match="sample"):
        gate.raise_floors(gate.Baseline(), card(limit=5))


def test_corrupt_baseline_is_an_actionable_error(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_text("{not json")
    with pytest.raises(gate.GateError, match="restore it from git"):
        gate.load_baseline(path)


def test_cli_gate_exit_code(tmp_path, monkeypatch):
    from factledger.evaluate import cli

    path = pinned(tmp_path, 0.5)
    monkeypatch.setattr(cli, "evaluate", lambda *a, **k: card(0.4))
    result = CliRunner().invoke(cli.evaluate_command, ["plover", "--gate", "--baseline", str(path)])
    assert result.exit_code == 1 and "below" in result.output
    monkeypatch.setattr(cli, "evaluate", lambda *a, **k: card(0.5))
    result = CliRunner().invoke(cli.evaluate_command, ["plover", "--gate", "--json", "--baseline", str(path)])
    assert result.exit_code == 0 and json.loads(result.output)["gate"]["passed"] is True
    result = CliRunner().invoke(cli.evaluate_command, ["plover", "--limit", "3", "--gate", "--baseline", str(path)])
    assert result.exit_code != 0 and "full run" in result.output
