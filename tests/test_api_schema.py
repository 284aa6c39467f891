"""OpenAPI-driven testing (schemathesis) of a running `factledger serve`: generated valid
and invalid requests for every operation of its /openapi.json never get a 5xx.
Short in CI (FACTLEDGER_SCHEMATHESIS_EXAMPLES, default 5 per operation and mode)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install 'factledger[web]'")
pytest.importorskip("schemathesis", reason="schemathesis is a dev dependency (pip install -e '.[dev]')")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.reliability import api_fuzz  # noqa: E402

EXAMPLES = int(os.environ.get("FACTLEDGER_SCHEMATHESIS_EXAMPLES", "5"))


def test_generated_requests_never_get_a_server_error(demo_db):
    result = api_fuzz.run(demo_db, examples=EXAMPLES)
    assert result["server_errors"] == 0, result["failures"]
    # The OpenAPI document covers the JSON API (10 operations); the HTML twins are left out.
    assert result["operations"] >= 10 and result["cases"] >= result["operations"] * EXAMPLES
    assert set(result["statuses"]) & {"400", "422"}, "negative cases reached validation"
