"""A bounded load test of ``factledger serve`` on loopback: concurrent readers and writers
for a fixed time, then throughput, p50/p99 latency, error rate and shed requests.

The server runs as its own process (``factledger serve``) on a copy of a ledger; readers
GET the JSON twins and pages, writers POST invented articles with the API token. An
"error" is a 5xx other than 503, or a request that got no answer (connection refused or
reset, time-out); a 429/503 with Retry-After is load shed on purpose, not an error.

    python -m benchmarks.reliability.load --seconds 30 --readers 16 --writers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

TOKEN = "load-test-token"
READ_PATHS = ("/overview.json", "/events.json", "/figures.json", "/articles.json", "/entities.json",
              "/sources.json", "/events", "/articles", "/overview")
# A request that takes longer than this counts as an error (no answer).
CLIENT_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_demo_ledger(path: Path) -> Path:
    subprocess.run([sys.executable, "-m", "factledger", "demo", "--db", str(path)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


@contextmanager
def serve(db: Path, *, env: dict[str, str] | None = None, start_timeout: float = 120) -> Iterator[tuple[str, int]]:
    """``factledger serve`` on a free loopback port; yields (base URL, server pid)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "factledger", "serve", "--db", str(db), "--port", str(port)],
        env={**os.environ, "FACTLEDGER_API_TOKEN": TOKEN, **(env or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + start_timeout
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(base + "/overview.json", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM of a live process (Linux), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


@dataclass
class Sample:
    kind: str  # "read" | "write"
    status: int  # 0: no answer
    seconds: float
    retry_after: str | None = None


@dataclass
class LoadRun:
    samples: list[Sample] = field(default_factory=list)


def _article(i: int, rng: random.Random) -> dict[str, Any]:
    killed = rng.randint(2, 60)
    return {
        "text": f"Strike on Olvek kills {killed} (load {i})\n\nAn air strike killed {killed} people in Olvek "
                f"on Monday, the regional governor said. Load-test article {i} {rng.random():.6f}.",
        "published": "2031-03-22",
        "source": "Load Wire",
    }


async def _reader(client: httpx.AsyncClient, stop: float, run: LoadRun, rng: random.Random) -> None:
    while time.monotonic() < stop:
        await _request(client, run, "read", "GET", rng.choice(READ_PATHS))


async def _writer(client: httpx.AsyncClient, stop: float, run: LoadRun, rng: random.Random, wid: int) -> None:
    i = 0
    while time.monotonic() < stop:
        i += 1
        await _request(client, run, "write", "POST", "/api/articles", json=_article(wid * 1_000_000 + i, rng),
                       headers={"Authorization": f"Bearer {TOKEN}"})


async def _request(client: httpx.AsyncClient, run: LoadRun, kind: str, method: str, path: str, **kw: Any) -> None:
    started = time.monotonic()
    try:
        r = await client.request(method, path, **kw)
        run.samples.append(Sample(kind, r.status_code, time.monotonic() - started, r.headers.get("retry-after")))
        if r.status_code in (429, 503):
            await asyncio.sleep(float(r.headers.get("retry-after") or 1))  # a polite client backs off
    except httpx.HTTPError:
        run.samples.append(Sample(kind, 0, time.monotonic() - started))


async def _drive(base: str, *, seconds: float, readers: int, writers: int, seed: int) -> LoadRun:
    run = LoadRun()
    rng = random.Random(seed)
    limits = httpx.Limits(max_connections=readers + writers + 4)
    async with httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT, limits=limits) as client:
        stop = time.monotonic() + seconds
        tasks = [_reader(client, stop, run, random.Random(rng.random())) for _ in range(readers)]
        tasks += [_writer(client, stop, run, random.Random(rng.random()), w) for w in range(writers)]
        await asyncio.gather(*tasks)
    return run


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def summarise(run: LoadRun, seconds: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("read", "write"):
        samples = [s for s in run.samples if s.kind == kind]
        ok = [s.seconds for s in samples if 200 <= s.status < 300]
        errors = [s for s in samples if s.status == 0 or (s.status >= 500 and s.status != 503)]
        shed = [s for s in samples if s.status in (429, 503)]
        out[kind] = {
            "requests": len(samples),
            "ok": len(ok),
            "per_second": round(len(ok) / seconds, 1),
            "p50_ms": round(1000 * q, 1) if (q := _quantile(ok, 0.50)) is not None else None,
            "p99_ms": round(1000 * q, 1) if (q := _quantile(ok, 0.99)) is not None else None,
            "errors": len(errors),
            "error_rate": round(len(errors) / len(samples), 4) if samples else 0.0,
            "shed_429": sum(1 for s in shed if s.status == 429),
            "shed_503": sum(1 for s in shed if s.status == 503),
            "shed_without_retry_after": sum(1 for s in shed if not s.retry_after),
            "other_4xx": sum(1 for s in samples if 400 <= s.status < 500 and s.status != 429),
        }
    return out


def run_load(db: Path, *, seconds: float, readers: int, writers: int, seed: int = 1,
             env: dict[str, str] | None = None) -> dict[str, Any]:
    """Serve a copy of ``db`` and drive it; the figures, and whether the server survived."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp, "ledger.db")
        shutil.copyfile(db, copy)
        with serve(copy, env=env) as (base, pid):
            # Load the extractor before the clock starts (the first write loads spaCy).
            httpx.post(base + "/api/articles", json=_article(0, random.Random(0)),
                       headers={"Authorization": f"Bearer {TOKEN}"}, timeout=CLIENT_TIMEOUT)
            started = time.monotonic()
            run = asyncio.run(_drive(base, seconds=seconds, readers=readers, writers=writers, seed=seed))
            elapsed = time.monotonic() - started
            alive = httpx.get(base + "/overview.json", timeout=30).status_code == 200
            rss = peak_rss_mb(pid)
    return {"seconds": round(elapsed, 1), "readers": readers, "writers": writers, "server_alive": alive,
            "server_peak_rss_mb": rss, "env": env or {}, **summarise(run, elapsed)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--db", type=Path, help="Ledger to serve a copy of (default: the demo ledger, built).")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or build_demo_ledger(Path(tmp, "demo.db"))
        result = run_load(db, seconds=args.seconds, readers=args.readers, writers=args.writers)
    print(json.dumps(result, indent=2))
    return 0 if result["server_alive"] and not result["read"]["errors"] and not result["write"]["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
