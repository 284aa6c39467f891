"""Run the reliability campaigns, write benchmarks/results/reliability.json and regenerate
the table of docs/reliability.md (between its markers; never edit it by hand).

    python -m benchmarks.reliability                      # everything (about an hour on 2 CPUs)
    python -m benchmarks.reliability --only crash memory  # some sections; the others are kept
    python -m benchmarks.reliability --quick              # small sizes, to try the script

Sections given to ``--only`` may run in parallel (two shells): the results file is
re-read under a lock before each section is stored.

Sizes are options, and each section records the exact command that reproduces it.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import api_fuzz, crash, fuzz, load, memory, report

ROOT = report.ROOT


def properties(examples: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_properties.py"]
    env = {**os.environ, "FACTLEDGER_HYPOTHESIS_EXAMPLES": str(examples)}
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    tail = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-300:]
    passed = int(m[1]) if (m := re.search(r"(\d+) passed", tail)) else 0
    failed = int(m[1]) if (m := re.search(r"(\d+) failed", tail)) else 0
    seconds = float(m[1]) if (m := re.search(r"in ([\d.]+)s", tail)) else None
    source = (ROOT / "tests" / "test_properties.py").read_text(encoding="utf-8")
    limit = int(m[1]) if (m := re.search(r"PER_INPUT = timedelta\(seconds=(\d+)\)", source)) else None
    return {"tests": passed + failed, "passed": passed, "failed": failed, "examples": examples,
            "per_input_limit_s": limit, "seconds": seconds,
            "command": f"FACTLEDGER_HYPOTHESIS_EXAMPLES={examples} python -m pytest tests/test_properties.py"}


def run_sections(names: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Run the sections in order; the results file and the doc are updated after each one,
    so a failure in one section keeps the others' figures."""
    out: dict[str, Any] = report.load_results(args.results)
    demo_db: Path | None = None
    with tempfile.TemporaryDirectory() as tmp:
        def demo() -> Path:
            nonlocal demo_db
            if demo_db is None:
                demo_db = load.build_demo_ledger(Path(tmp, "demo.db"))
            return demo_db

        for name in names:
            print(f"reliability: {name} ...", file=sys.stderr, flush=True)
            measured = provenance()
            if name == "properties":
                out[name] = properties(args.examples)
            elif name == "fuzz":
                out[name] = {"seconds_per_target": args.fuzz_seconds,
                             "targets": fuzz.run_campaign(seconds=args.fuzz_seconds, seed=args.fuzz_seed),
                             "command": f"python -m benchmarks.reliability.fuzz --seconds {args.fuzz_seconds}"}
            elif name == "crash":
                result = crash.run_campaign(kills=args.kills, articles=args.articles, seed=args.seed)
                out[name] = {**result.to_dict(), "command": f"python -m benchmarks.reliability.crash --kills "
                             f"{args.kills} --articles {args.articles} --seed {args.seed}"}
            elif name == "kill_in_transaction":
                out[name] = {**crash.kill_inside_transaction(Path(tmp, "tx.db"), records=40),
                             "command": "python -m pytest tests/test_crash.py -k inside_a_transaction"}
            elif name == "crash_postgres":
                out[name] = crash_postgres(args)
            elif name == "memory":
                out[name] = {**memory.run(copies=args.copies, read_copies=args.read_copies),
                             "command": f"python -m benchmarks.reliability.memory --copies {args.copies} "
                             f"--read-copies {args.read_copies}"}
            elif name == "load":
                out[name] = {**load.run_load(demo(), seconds=args.load_seconds, readers=16, writers=2),
                             "command": f"python -m benchmarks.reliability.load --seconds {args.load_seconds} "
                             "--readers 16 --writers 2"}
            elif name == "load_overloaded":
                env = {"FACTLEDGER_MAX_REQUESTS": "4", "FACTLEDGER_MAX_WRITES": "1", "FACTLEDGER_QUEUE_SECONDS": "0.2"}
                out[name] = {**load.run_load(demo(), seconds=args.load_seconds, readers=16, writers=4, env=env),
                             "command": " ".join(f"{k}={v}" for k, v in env.items())
                             + f" python -m benchmarks.reliability.load --seconds {args.load_seconds} "
                             "--readers 16 --writers 4"}
            elif name == "api_schema":
                out[name] = {**api_fuzz.run(demo(), examples=args.api_examples),
                             "command": f"python -m benchmarks.reliability.api_fuzz --examples {args.api_examples}"}
            measured["load_average"] = [measured["load_average"], round(os.getloadavg()[0], 2)]
            out[name]["measured"] = measured
            out = save(name, out[name], args)
    return out


def provenance() -> dict[str, Any]:
    """Which code a section measured (the commit; "+changes" when src/ or benchmarks/ differ
    from it), when, and how busy the machine was (1-minute load average at the start)."""
    def git(*cmd: str) -> str:
        run = subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True, check=False)
        return run.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--", "src", "benchmarks/reliability"):
        commit += "+changes"
    return {"commit": commit, "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "load_average": round(os.getloadavg()[0], 2)}


def save(name: str, section: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Store one section in the results file (re-read under a lock, so that campaigns run in
    parallel with ``--only`` keep each other's sections) and regenerate the doc's table."""
    args.results.parent.mkdir(parents=True, exist_ok=True)
    with open(args.results.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        results = report.load_results(args.results)
        results[name] = section
        results["machine"] = {"date": datetime.now(UTC).strftime("%Y-%m-%d"), "cpus": os.cpu_count(),
                              "python": platform.python_version()}
        args.results.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        report.update_doc(results, args.doc)
    return results


def crash_postgres(args: argparse.Namespace) -> dict[str, Any]:
    kills, articles = args.pg_kills, args.pg_articles
    command = (f"python -m benchmarks.reliability.crash --backend postgres --kills {kills} "
               f"--articles {articles} --seed {args.seed}")
    return {**crash.run_postgres_campaign(kills=kills, articles=articles, seed=args.seed), "command": command}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", choices=report.SECTIONS, help="Sections to run (default: all).")
    parser.add_argument("--quick", action="store_true", help="Small sizes, to try the script.")
    parser.add_argument("--examples", type=int, default=500, help="Hypothesis examples per property.")
    parser.add_argument("--fuzz-seconds", type=int, default=120, help="Fuzzing time per target.")
    parser.add_argument("--fuzz-seed", type=int, default=None,
                        help="libFuzzer's seed (default: drawn per target, and recorded).")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg-kills", type=int, default=5)
    parser.add_argument("--pg-articles", type=int, default=12)
    parser.add_argument("--copies", type=int, default=50, help="Copies of the demo corpus ingested for memory.")
    parser.add_argument("--read-copies", type=int, default=30, help="Copies of the CNN corpus read for memory.")
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--api-examples", type=int, default=25)
    parser.add_argument("--results", type=Path, default=report.RESULTS)
    parser.add_argument("--doc", type=Path, default=report.DOC)
    args = parser.parse_args(argv)
    if args.quick:
        args.examples, args.fuzz_seconds, args.kills, args.articles = 50, 5, 2, 8
        args.pg_kills, args.pg_articles = 2, 6
        args.copies, args.read_copies, args.load_seconds, args.api_examples = 2, 2, 5, 3
    results = run_sections(list(args.only if args.only is not None else report.SECTIONS), args)
    print(report.render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
