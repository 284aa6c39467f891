"""A short load test of `factledger serve` on loopback, overloaded on purpose: requests over
the limits are shed with 429/503 and Retry-After, none fails (no 500, no dropped
connection) and the server is still up after. The long run: `python -m benchmarks.reliability`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install 'factledger[web]'")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.reliability import load  # noqa: E402

SECONDS = float(os.environ.get("FACTLEDGER_LOAD_SECONDS", "5"))
OVERLOAD = {"FACTLEDGER_MAX_REQUESTS": "3", "FACTLEDGER_MAX_WRITES": "1", "FACTLEDGER_QUEUE_SECONDS": "0.2"}


def test_an_overloaded_server_sheds_load_and_never_fails(demo_db):
    result = load.run_load(demo_db, seconds=SECONDS, readers=8, writers=3, env=OVERLOAD)
    assert result["server_alive"]
    for kind in ("read", "write"):
        assert result[kind]["errors"] == 0, result
        assert result[kind]["shed_without_retry_after"] == 0, result
        assert result[kind]["ok"] > 0, result
        assert result[kind]["other_4xx"] == 0, result
    assert result["read"]["shed_503"] + result["write"]["shed_429"] + result["write"]["shed_503"] > 0, result
