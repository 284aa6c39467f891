"""OpenAPI-driven testing (schemathesis) of a running ``factledger serve``: cases generated
from the server's own /openapi.json, positive and negative, for every operation, sent
over HTTP; a 5xx (other than a 503 shed by the limiter) or a dropped connection is a
failure. Writes are sent with the API token, so their handlers run too.

    python -m benchmarks.reliability.api_fuzz --examples 100
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from .load import TOKEN, build_demo_ledger, serve


def run_schemathesis(base: str, *, examples: int, token: str = TOKEN) -> dict[str, Any]:
    """Every operation of ``base``'s OpenAPI document, ``examples`` generated cases each."""
    import schemathesis
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_url(base + "/openapi.json")
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    operations = 0
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        headers = {"Authorization": f"Bearer {token}"} if operation.method.upper() != "GET" else {}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            check = _checker(operation, mode, base, headers, examples, statuses, failures)
            try:
                check()
            except Unsatisfiable:
                pass  # e.g. no negative case exists for an operation without parameters
    return {
        "operations": operations,
        "cases": sum(statuses.values()) + sum(1 for f in failures if "no answer" in f),
        "examples_per_operation_and_mode": examples,
        "modes": ["positive", "negative"],
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": len([f for f in failures if "->" in f or "no answer" in f]),
        "failures": failures[:20],
        "seconds": round(time.monotonic() - started, 1),
    }


def _checker(operation: Any, mode: Any, base: str, headers: dict[str, str], examples: int,
             statuses: Counter[int], failures: list[str]) -> Any:
    """A hypothesis test sending ``examples`` generated cases of ``operation``."""

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        try:
            response = case.call(base_url=base, headers=headers, timeout=120)
        except Exception as exc:  # noqa: BLE001 - any transport error is a finding
            failures.append(f"{case.method} {case.formatted_path}: no answer ({type(exc).__name__})")
            return
        statuses[response.status_code] += 1
        if response.status_code >= 500 and response.status_code != 503:
            failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:200]}")

    return check


def run(db: Path | None = None, *, examples: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        ledger = db or build_demo_ledger(Path(tmp, "demo.db"))
        copy = Path(tmp, "served.db")
        copy.write_bytes(ledger.read_bytes())
        with serve(copy) as (base, _pid):
            return run_schemathesis(base, examples=examples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=100, help="Generated cases per operation.")
    parser.add_argument("--db", type=Path)
    args = parser.parse_args(argv)
    result = run(args.db, examples=args.examples)
    print(json.dumps(result, indent=2))
    return 1 if result["server_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
