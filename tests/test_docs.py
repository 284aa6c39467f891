"""Docs that are tested: every CLI command is documented in docs/cli.md, every help text has an
example, and the reference part of docs/cli.md is the commands' --help output.

Regenerate the reference after changing a command's help:

    FACTLEDGER_UPDATE_DOCS=1 /work/venv/bin/pytest tests/test_docs.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from factledger import cli

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = ROOT / "docs" / "cli.md"
BEGIN = "<!-- reference: generated from --help by tests/test_docs.py; do not edit by hand -->"
END = "<!-- end of reference -->"
WIDTH = 88


def _commands() -> list[str]:
    ctx = click.Context(cli.cli)
    return cli.cli.list_commands(ctx)


def _help(*args: str) -> str:
    result = CliRunner().invoke(cli.cli, [*args, "--help"], terminal_width=WIDTH, prog_name="factledger")
    assert result.exit_code == 0, result.output
    return result.stdout


def _reference() -> str:
    parts = [BEGIN, "", "## factledger", "", "```", _help().rstrip(), "```", ""]
    for name in _commands():
        parts += [f"## factledger {name}", ""]
        if name in cli.LAZY_COMMANDS:
            parts += [f"Run `factledger {name} --help` for its options (defined in "
                      f"`{cli.LAZY_COMMANDS[name][0]}`, loaded only when used).", ""]
            continue
        parts += ["```", _help(name).rstrip(), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def test_every_command_is_documented():
    doc = CLI_DOC.read_text(encoding="utf-8")
    missing = [name for name in _commands() if f"## factledger {name}\n" not in doc]
    assert not missing, f"commands missing from docs/cli.md: {missing}"


@pytest.mark.parametrize("name", [None, *_commands()])
def test_every_help_text_has_an_example(name):
    args = [] if name is None else [name]
    if name in cli.LAZY_COMMANDS:
        command = cli.cli.get_command(click.Context(cli.cli), name)
        if command is not None and "not available" in (command.short_help or ""):
            pytest.skip(f"{name} is not importable yet: {command.help}")
    assert "Example" in _help(*args), f"`factledger {' '.join(args)} --help` has no example"


def test_cli_reference_is_up_to_date():
    doc = CLI_DOC.read_text(encoding="utf-8")
    reference = _reference()
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    assert pattern.search(doc), f"docs/cli.md has no {BEGIN!r} ... {END!r} section"
    if os.environ.get("FACTLEDGER_UPDATE_DOCS"):
        CLI_DOC.write_text(pattern.sub(lambda _: reference, doc), encoding="utf-8")
        return
    assert pattern.search(doc).group(0) == reference, (
        "docs/cli.md is out of date: run FACTLEDGER_UPDATE_DOCS=1 pytest tests/test_docs.py"
    )


def test_limits_in_docs_match_the_code():
    from factledger.ingest import readers
    from factledger.outputs import report

    doc = CLI_DOC.read_text(encoding="utf-8")
    assert f"{readers.MAX_FILE_BYTES // (1024 * 1024)} MB" in doc
    assert f"{readers.MAX_ARTICLE_CHARS:,}" in doc
    assert f"{report.REPORT_MIN_CONFIDENCE}" in doc
    from factledger.nlp import pipeline

    assert f"default {pipeline.TIME_LIMIT_SECONDS:g} s" in doc


def test_claims_doc_lists_every_metric_of_the_rules():
    import json

    rules = json.loads((ROOT / "src" / "factledger" / "rules" / "metrics.json").read_text(encoding="utf-8"))
    doc = (ROOT / "docs" / "claims.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", doc, re.M))
    assert set(rules["metrics"]) <= documented, f"metrics missing from docs/claims.md: {set(rules['metrics']) - documented}"
