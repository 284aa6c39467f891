"""Peak memory (RSS) while streaming large JSONL inputs.

* ``ingest``: ``factledger ingest`` of the demo corpus and of 10 times the demo corpus
  (each copy's text and URL changed, so every article is new): the peak RSS must not
  grow with the input.
* ``read``: the readers alone over a JSONL of the CNN corpus repeated ``--copies``
  times (read from ../shared at run time, written to a temporary file, never kept).

    python -m benchmarks.reliability.memory --copies 10
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "factledger" / "data" / "demo" / "wire.jsonl"

# Runs CMD as a child and prints its peak RSS (ru_maxrss of children, KiB on Linux).
_MEASURE = (
    "import resource, subprocess, sys, json, time\n"
    "t = time.monotonic()\n"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
    "print(json.dumps({'rc': p.returncode, 'kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
    " 'seconds': time.monotonic() - t, 'stderr': p.stderr[-1500:]}))\n"
)

_READ = (
    "import sys\n"
    "from factledger.ingest.readers import read_path\n"
    "ok = sum(1 for item in read_path(sys.argv[1]) if item.ok)\n"
    "print(ok, file=sys.stderr)\n"
)


def peak_rss(cmd: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    if data["rc"] != 0:
        raise RuntimeError(f"{cmd} failed ({data['rc']}): {data['stderr']}")
    return {"peak_rss_mb": round(data["kib"] / 1024, 1), "seconds": round(data["seconds"], 1),
            "stderr": data["stderr"]}


def multiply_jsonl(source: Path, target: Path, copies: int, *, limit: int | None = None) -> tuple[int, int]:
    """Write ``copies`` distinct copies of each line of ``source``; (lines, bytes) written."""
    lines = 0
    with source.open(encoding="utf-8") as src:
        rows = [json.loads(line) for i, line in enumerate(src) if line.strip() and (limit is None or i < limit)]
    with target.open("w", encoding="utf-8") as out:
        for k in range(copies):
            for i, row in enumerate(rows):
                row = dict(row)
                row["text"] = f"{row['text']}\n\n(copy {k})"
                row["url"] = f"https://copies.example/{k}/{i}"
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                lines += 1
    return lines, target.stat().st_size


def measure_ingest(copies: int, workdir: Path) -> dict[str, Any]:
    corpus = workdir / f"demo-x{copies}.jsonl"
    lines, size = multiply_jsonl(DEMO, corpus, copies)
    db = workdir / f"demo-x{copies}.db"
    cmd = [sys.executable, "-m", "factledger", "ingest", str(corpus), "--db", str(db), "--json"]
    result = peak_rss(cmd)
    result.pop("stderr")
    return {"input": f"demo corpus x{copies}", "articles": lines, "bytes": size, **result}


def measure_read(source: Path, copies: int, workdir: Path) -> dict[str, Any]:
    corpus = workdir / f"read-x{copies}.jsonl"
    lines, size = multiply_jsonl(source, corpus, copies)
    result = peak_rss([sys.executable, "-c", _READ, str(corpus)])
    read_ok = int(result.pop("stderr").strip().splitlines()[-1])
    corpus.unlink()
    return {"input": f"{source.parent.name}/{source.name} x{copies} (readers only)", "articles": lines,
            "read_ok": read_ok, "bytes": size, **result}


def cnn_path() -> Path:
    shared = os.environ.get("FACTLEDGER_SHARED")
    base = Path(shared) if shared else ROOT.parent / "shared"
    return base / "data" / "cnn-2024" / "articles.jsonl"


def run(*, copies: int = 10, read_copies: int = 10) -> dict[str, Any]:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = [measure_ingest(1, work), measure_ingest(copies, work)]
        cnn = cnn_path()
        if cnn.exists():
            rows.append(measure_read(cnn, 1, work))
            rows.append(measure_read(cnn, read_copies, work))
        else:
            rows.append({"input": "cnn-2024 (readers only)", "skipped": f"{cnn} not found"})
    return {"rows": rows, "seconds": round(time.monotonic() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=10, help="Copies of the demo corpus to ingest.")
    parser.add_argument("--read-copies", type=int, default=10, help="Copies of the CNN corpus to read.")
    args = parser.parse_args(argv)
    print(json.dumps(run(copies=args.copies, read_copies=args.read_copies), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
