"""docs/reliability.md: its table is exactly what benchmarks/results/reliability.json renders
to (so no figure is typed by hand), the JSON holds every section the script writes, and
the defaults the page states are the ones in the code."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.reliability import report  # noqa: E402

from factledger.ingest import readers  # noqa: E402
from factledger.nlp import pipeline  # noqa: E402

DOC = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")


def test_the_table_is_generated_from_the_results():
    results = report.load_results()
    assert results, "run `python -m benchmarks.reliability` to write benchmarks/results/reliability.json"
    assert report.doc_table(DOC) == report.render(results).strip(), (
        "docs/reliability.md is out of date or was edited by hand: run "
        "`python -m benchmarks.reliability --only SECTION` (the table is regenerated)"
    )


def test_the_results_hold_every_section_with_its_command():
    results = report.load_results()
    assert set(report.SECTIONS) <= set(results), set(report.SECTIONS) - set(results)
    for name in report.SECTIONS:
        command = results[name]["command"]
        assert command.split()[-1] and ("benchmarks.reliability" in command or "pytest" in command), name
    assert {"date", "cpus", "python"} <= set(results["machine"])


def test_every_section_renders_rows():
    results = report.load_results()
    table = report.render(results)
    assert table.startswith(report.HEADER)
    rows = [line for line in table.splitlines()[2:] if line.startswith("| ")]
    assert len(rows) >= len(report.SECTIONS)
    assert all(line.count(" | ") >= 3 for line in rows)


def _default(test_file: str, var: str) -> str:
    source = (ROOT / "tests" / test_file).read_text(encoding="utf-8")
    match = re.search(rf'os\.environ\.get\("{var}", "([^"]+)"\)', source)
    assert match, (test_file, var)
    return match[1]


def test_the_stated_defaults_are_the_code_defaults():
    from factledger.web.limits import LIMIT_SETTINGS

    assert f"{_default('test_properties.py', 'FACTLEDGER_HYPOTHESIS_EXAMPLES')} examples per property" in DOC
    assert f"{_default('test_fuzz.py', 'FACTLEDGER_FUZZ_SECONDS')} s per target" in DOC
    assert f"{_default('test_crash.py', 'FACTLEDGER_CRASH_KILLS')} kills" in DOC
    assert f"{_default('test_load.py', 'FACTLEDGER_LOAD_SECONDS')} s, overloaded" in DOC
    assert f"{_default('test_api_schema.py', 'FACTLEDGER_SCHEMATHESIS_EXAMPLES')} per operation" in DOC
    for _name, var, default, _help in LIMIT_SETTINGS:
        assert f"`{var}` ({default}" in DOC, var
    assert f"{readers.MAX_FILE_BYTES // 2**20} MB" in DOC and f"{readers.MAX_ARTICLE_CHARS:,} characters" in DOC
    assert f"{pipeline.MAX_SENTENCES:,} sentences" in DOC
    assert f"default {pipeline.TIME_LIMIT_SECONDS:g} s" in DOC


def test_the_stated_web_limits_are_the_code_limits():
    from factledger.web.limits import MAX_BODY_BYTES
    from factledger.web.settings import SETTINGS, WebSettings

    assert f"{MAX_BODY_BYTES:,} bytes" in DOC
    default = {var: d for _n, var, d, _h in SETTINGS}["FACTLEDGER_TIME_LIMIT"]
    assert float(default) == WebSettings().time_limit == pipeline.TIME_LIMIT_SECONDS
    assert f"(`FACTLEDGER_TIME_LIMIT`, default {float(default):g} s" in DOC
