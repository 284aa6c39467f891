"""Coverage-guided fuzzing (atheris) of the text, JSONL and HTML readers and of the
number/date/attribution parsers: no exception, no input slower than the per-input limit.

Short in CI (``FACTLEDGER_FUZZ_SECONDS``, default 3 s per target); a long campaign:
``FACTLEDGER_FUZZ_SECONDS=300 pytest tests/test_fuzz.py`` or ``make fuzz``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.reliability import fuzz  # noqa: E402

SECONDS = int(os.environ.get("FACTLEDGER_FUZZ_SECONDS", "3"))
# A fixed libFuzzer seed by default, so a CI failure can be replayed; FACTLEDGER_FUZZ_SEED=
# (empty) lets libFuzzer draw one, as a long campaign should.
_SEED = os.environ.get("FACTLEDGER_FUZZ_SEED", "1")
SEED = int(_SEED) if _SEED else None


@pytest.mark.parametrize("target", sorted(fuzz.TARGETS))
def test_fuzzing_finds_no_crash_and_no_slow_input(target, tmp_path):
    pytest.importorskip("atheris", reason="atheris is a dev dependency (pip install -e '.[dev]')")
    result = fuzz.run_target(target, seconds=SECONDS, per_input=10, workdir=tmp_path, seed=SEED)
    assert result["crashes"] == [] and result["exit_code"] == 0, (
        f"libFuzzer seed {result['seed']}; inputs {result['crash_inputs']}\n{result['tail']}")
    assert result["executions"] > 0 and result["corpus_inputs"] > 0


def test_a_crashing_input_is_reported(tmp_path, monkeypatch):
    """The harness does fail: a target that raises on its seed gives a crash artifact."""
    pytest.importorskip("atheris", reason="atheris is a dev dependency (pip install -e '.[dev]')")
    monkeypatch.setenv("FACTLEDGER_FUZZ_SELFTEST", "1")
    result = fuzz.run_target("text", seconds=SECONDS, per_input=10, workdir=tmp_path)
    assert result["exit_code"] != 0 and result["crashes"]
    assert "RuntimeError: self-test" in result["tail"]  # the traceback, not only "fuzz target exited"
