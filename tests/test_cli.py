"""The CLI through click's CliRunner (in process; the spaCy model is loaded once per session)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from factledger import __version__, cli

GOOD = "Strike hits Dravna market\n\nAt least 14 people were killed on Sunday, the health ministry said.\n"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def shared_extractor(extractor, monkeypatch):
    """Commands build their Extractor from factledger.nlp.pipeline.Extractor: reuse the session one."""
    import factledger.nlp.pipeline as pipeline

    monkeypatch.setattr(pipeline, "Extractor", lambda **_: extractor)
    return extractor


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    return good, bad


def test_version(runner):
    result = runner.invoke(cli.cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


def test_extract_prints_json_lines_and_fails_on_a_bad_file(runner, files, shared_extractor):
    good, bad = files
    result = runner.invoke(cli.cli, ["extract", str(bad), str(good), "--published", "2031-03-02"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and lines[0]["type"] == "article"
    assert lines[0]["published"] == "2031-03-02" and lines[0]["title"] == "Strike hits Dravna market"
    assert all(line["article_id"] == lines[0]["id"] for line in lines)
    assert f"error: {bad}:" in result.stderr and "binary" in result.stderr
    assert "1 input failed" in result.stderr


def test_extract_from_stdin(runner, shared_extractor):
    result = runner.invoke(cli.cli, ["extract", "-", "--source", "Wire"], input=GOOD)
    assert result.exit_code == 0, result.stderr
    first = json.loads(result.stdout.splitlines()[0])
    assert first["source"] == "Wire" and first["path"] is None


def test_extract_bad_published_option(runner, files):
    result = runner.invoke(cli.cli, ["extract", str(files[0]), "--published", "yesterday"])
    assert result.exit_code == 2 and "not an ISO date" in result.stderr


def test_extract_only_bad_inputs_never_loads_the_model(runner, files, monkeypatch):
    import factledger.nlp.pipeline as pipeline

    def no_model():
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(pipeline, "Extractor", no_model)
    result = runner.invoke(cli.cli, ["extract", str(files[1])])
    assert result.exit_code == 1 and result.stdout == ""


def test_ingest_twice_adds_nothing_the_second_time(runner, files, tmp_path, shared_extractor):
    good, bad = files
    db = tmp_path / "ledger.db"
    first = runner.invoke(cli.cli, ["ingest", str(good), "--db", str(db)])
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith("added 1, duplicate 0, revision 0, failed 0")
    second = runner.invoke(cli.cli, ["ingest", str(good), str(bad), "--db", str(db), "--json"])
    assert second.exit_code == 1
    assert json.loads(second.stdout) == {"added": 0, "duplicate": 1, "revision": 0, "failed": 1, "db": str(db)}
    assert str(bad) in second.stderr


def test_ingest_revision(runner, tmp_path, shared_extractor):
    db = tmp_path / "ledger.db"
    path = tmp_path / "story.txt"
    path.write_text(GOOD, encoding="utf-8")
    runner.invoke(cli.cli, ["ingest", str(path), "--db", str(db)])
    path.write_text(GOOD.replace("14", "17"), encoding="utf-8")
    result = runner.invoke(cli.cli, ["ingest", str(path), "--db", str(db)])
    assert result.stdout.startswith("added 0, duplicate 0, revision 1")


def test_report(runner, files, tmp_path, shared_extractor):
    db = tmp_path / "ledger.db"
    runner.invoke(cli.cli, ["ingest", str(files[0]), "--db", str(db)])
    result = runner.invoke(cli.cli, ["report", "--db", str(db)])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Situation report")
    assert "Strike hits Dravna market" in result.stdout
    out = tmp_path / "report.md"
    result = runner.invoke(cli.cli, ["report", "--db", str(db), "--output", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("# Situation report")


def test_report_without_ledger(runner, tmp_path):
    result = runner.invoke(cli.cli, ["report", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no ledger at" in result.stderr and "factledger ingest" in result.stderr


def test_demo(runner, shared_extractor, tmp_path):
    db = tmp_path / "demo.db"
    result = runner.invoke(cli.cli, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    assert "demo: added 15, duplicate 0, revision 1, failed 0" in result.stderr
    assert result.stdout.startswith("# Situation report")
    assert "Drone strike on Port Miren kills at least 17" in result.stdout
    # The ledger across articles: a clustered event, a contradiction, a denial, a figure series.
    across = result.stdout.split("## Across articles", 1)[1]
    assert "Coastal Post, Meridian Wire" in across and "same_day  hostages_held" in across
    assert "denial" in across and "At least 2,410" in across and "rejection denied" in across
    again = runner.invoke(cli.cli, ["demo", "--db", str(db)])
    assert "demo: added 0, duplicate 16" in again.stderr


def test_unavailable_lazy_command_fails_clearly(runner, monkeypatch, files):
    monkeypatch.setitem(cli.LAZY_COMMANDS, "evaluate", ("factledger.no_such_module", "cmd", "Score it."))
    result = runner.invoke(cli.cli, ["evaluate", "all", "--gate"])
    assert result.exit_code == 1
    assert "evaluate command is not available" in result.stderr and "no_such_module" in result.stderr
    listing = runner.invoke(cli.cli, ["--help"])
    assert listing.exit_code == 0 and "evaluate" in listing.stdout and "extract" in listing.stdout
    assert runner.invoke(cli.cli, ["report", "--help"]).exit_code == 0


def test_lazy_command_is_not_imported_by_other_commands(runner, monkeypatch):
    import sys

    monkeypatch.delitem(sys.modules, "factledger.evaluate.cli", raising=False)
    runner.invoke(cli.cli, ["report", "--help"])
    assert "factledger.evaluate.cli" not in sys.modules
