"""Cost of cross-article resolution as the ledger grows (not a unit test).

    factledger extract ../shared/data/cnn-2024/articles.jsonl --source CNN > /tmp/cnn-records.jsonl
    python benchmarks/bench_ledger.py /tmp/cnn-records.jsonl [--json] [--shuffle SEED]

Extraction is slow (a few articles/s) and not what this measures: the input is records
already extracted (``factledger extract`` output). Each article is stored with
``Ledger.add`` into a fresh SQLite ledger on disk, twice:

* ``store``: resolution switched off (the store alone, as before the ledger across articles);
* ``store+resolve``: as shipped (revision index, event links, claim keys, contradictions,
  denials, negotiations in the same transaction).

For each run it reports articles/s over the slices 0-10 %, 10-50 % and 50-100 % of the
corpus and the resolution cost per article in each slice (ms, ``store+resolve`` minus
``store``). Flat per-article cost across slices means resolution does not grow with the
ledger. Finally it times the queries (``clustered_events``, ``figure_series``,
``contradictions``) on the full ledger.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from factledger.ingest.records_in import load_extracted  # noqa: E402
from factledger.resolve import api, ingest  # noqa: E402
from factledger.store import sqlite as store_mod  # noqa: E402

SLICES = ((0.0, 0.1), (0.1, 0.5), (0.5, 1.0))


def _noop(conn: Any, article: Any, records: Any) -> ingest.Resolution:
    return ingest.Resolution(1, 0, 0, 0)


def run(items: list, *, resolve: bool) -> dict[str, Any]:
    original = store_mod.resolve_article
    store_mod.resolve_article = original if resolve else _noop  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory(prefix="factledger-bench-") as tmp:
            ledger = store_mod.Ledger.open(Path(tmp) / "bench.db")
            times = []
            for article, records in items:
                started = time.perf_counter()
                ledger.add(article, records)
                times.append(time.perf_counter() - started)
            queries = {}
            if resolve:
                for name, fn in (("clustered_events", api.clustered_events), ("figure_series", api.figure_series),
                                 ("contradictions", api.contradictions)):
                    started = time.perf_counter()
                    n = len(fn(ledger))
                    queries[name] = {"seconds": round(time.perf_counter() - started, 3), "items": n}
            counts = {t: ledger.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                      for t in ("event_mentions", "event_links", "story_links", "contradictions")}
            ledger.close()
    finally:
        store_mod.resolve_article = original  # type: ignore[assignment]
    n = len(times)
    slices = []
    for lo, hi in SLICES:
        part = times[int(lo * n):int(hi * n)]
        slices.append({"slice": f"{int(lo * 100)}-{int(hi * 100)}%", "articles": len(part),
                       "articles_per_s": round(len(part) / sum(part), 1) if part else None,
                       "ms_per_article": round(1000 * sum(part) / len(part), 2) if part else None})
    return {"resolve": resolve, "articles": n, "seconds": round(sum(times), 2), "slices": slices,
            "queries": queries, "rows": counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("records", type=Path, help="factledger extract output (JSON lines)")
    parser.add_argument("--shuffle", type=int, metavar="SEED", help="ingest in a random order (seeded)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.records.exists():
        sys.exit(f"{args.records} not found: run `factledger extract ... > {args.records}` first")
    items = load_extracted(args.records)
    if args.shuffle is not None:
        random.Random(args.shuffle).shuffle(items)
    results = [run(items, resolve=False), run(items, resolve=True)]
    for plain, full in zip(results[0]["slices"], results[1]["slices"], strict=True):
        full["resolution_ms_per_article"] = round(full["ms_per_article"] - plain["ms_per_article"], 2)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        print(f"{'store+resolve' if r['resolve'] else 'store'}: {r['articles']} articles in {r['seconds']} s")
        for s in r["slices"]:
            extra = f", resolution {s['resolution_ms_per_article']} ms/article" if "resolution_ms_per_article" in s \
                else ""
            print(f"  {s['slice']:>8}: {s['articles_per_s']} articles/s ({s['ms_per_article']} ms/article{extra})")
        if r["queries"]:
            print("  queries: " + ", ".join(f"{k} {v['seconds']} s ({v['items']})" for k, v in r["queries"].items()))
            print("  rows: " + ", ".join(f"{k} {v}" for k, v in r["rows"].items()))


if __name__ == "__main__":
    main()
