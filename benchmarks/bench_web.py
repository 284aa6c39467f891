"""Response times of the dashboard and JSON API, over HTTP on 127.0.0.1.

    .venv/bin/python benchmarks/bench_web.py [--db LEDGER] [--repeat 30] [--json]

Serves the ledger (default: the demo corpus, ingested into a temporary ledger first) with
uvicorn in a thread and requests every page and its JSON twin ``--repeat`` times, one at a
time; prints the median and 95th percentile per route in milliseconds. The target for the
demo ledger is a median under 100 ms per JSON route. Requests only go to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from factledger.demo import run_demo
from factledger.outputs import views
from factledger.store.sqlite import Ledger
from factledger.web.server import running_server
from factledger.web.settings import WebSettings

TARGET_MEDIAN_MS = 100.0


def routes(db: Path) -> list[str]:
    with Ledger.open(db, create=False) as ledger:
        events = views.events(ledger)
        articles = views.article_list(ledger, limit=1)["items"]
    out = []
    for page in ("overview", "events", "figures", "entities", "sources", "articles"):
        out += [f"/{page}.json", f"/{page}"]
    out += ["/events.json?type=Air/drone%20strike", "/events.json?since=2024-07-20&limit=50"]
    if events:
        out += [f"/events/{events[0]['id']}.json", f"/events/{events[0]['id']}"]
    if articles:
        out += [f"/articles/{articles[0]['article_id']}.json", f"/articles/{articles[0]['article_id']}"]
    return out


def measure(base: str, path: str, repeat: int) -> dict[str, float]:
    times = []
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        with urllib.request.urlopen(base + path.replace(" ", "%20"), timeout=60) as response:
            size = len(response.read())
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1), "bytes": size}


def run(db: Path, repeat: int) -> dict[str, dict[str, float]]:
    with running_server(WebSettings(db=str(db))) as base:
        measure(base, "/overview.json", 2)  # warm up (imports, first queries)
        return {path: measure(base, path, repeat) for path in routes(db)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="ledger to serve (default: the demo corpus)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if args.db:
        results = run(args.db, args.repeat)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "demo.db"
            run_demo(db=db)
            results = run(db, args.repeat)
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        print(f"{'route':60} {'median ms':>10} {'p95 ms':>8} {'bytes':>9}")
        for path, r in results.items():
            print(f"{path[:60]:60} {r['median_ms']:>10} {r['p95_ms']:>8} {r['bytes']:>9}")
    json_medians = [r["median_ms"] for p, r in results.items() if ".json" in p]
    print(f"median of the JSON routes' medians: {statistics.median(json_medians):.1f} ms "
          f"(target < {TARGET_MEDIAN_MS:.0f} ms)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
