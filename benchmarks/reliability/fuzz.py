"""Coverage-guided fuzzing (atheris, libFuzzer) of the readers, the feed parser and the text parsers.

Each target takes raw bytes, as hostile input would come: a text file, a JSONL file, an
HTML page, an RSS/Atom feed, or a string for the number/date/attribution parsers. A target fails when its
code raises (readers must turn every bad input into an error item, never an exception)
or when one input takes longer than ``--per-input`` seconds (libFuzzer's ``-timeout``).

Run one target by hand (libFuzzer flags pass through)::

    python -m benchmarks.reliability.fuzz html -max_total_time=60 -timeout=10 CORPUS_DIR

``run_campaign`` runs each target in a subprocess for a fixed time and returns the
figures libFuzzer prints (executions, corpus size, coverage, crashes).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# Seeds: small invented inputs of each kind, so the fuzzer starts from valid shapes.
SEEDS: dict[str, list[bytes]] = {
    "text": [
        b"# Strike on Dravna\n\nAt least 14 people were killed on Sunday, officials said.\n",
        "Caf\u00e9 in Olvek: 3 killed, 12 wounded".encode("latin-1"),
        "\ufeffUTF-16 text with a BOM: 40 dead".encode("utf-16"),
    ],
    "jsonl": [
        b'{"text": "At least 14 people were killed.", "title": "Dravna", "published": "2031-03-02"}\n'
        b'{"text": "Nearly 2,000 fled.", "url": "https://x.example/1"}\n',
        b'{"text": 3}\n[1, 2]\nnot json\n{"text": "ok", "published": "yesterday"}\n',
    ],
    "html": [
        b"<html><head><title>Strike</title><meta name='date' content='2031-03-02'></head><body>"
        b"<article><h1>Strike on Dravna</h1><p>At least 14 people were killed on Sunday in an air "
        b"strike on the market, the health ministry said.</p><p>Another 31 were wounded.</p></article>"
        b"</body></html>",
        b"<html><body><script>alert(1)</script><p onclick='x'>text</p></body></html>",
    ],
    "feed": [
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>Strike</title>'
        b'<link>https://x.example/1</link><guid>g1</guid><pubDate>Sun, 02 Mar 2031 10:00:00 GMT</pubDate></item>'
        b'<item><title>No link</title></item></channel></rss>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>e1</id><title>T</title>'
        b'<link href="/a/1"/><updated>2031-03-02T10:00:00Z</updated></entry></feed>',
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
        b'<channel><title>R</title></channel><item><link>https://x.example/r</link></item></rdf:RDF>',
    ],
    "parsers": [
        b"between 1,200 and 1,500", b"nearly two million", b"dozens", b"late November 2023",
        b"last Friday", b"2023 - AUG", b"GAZA CITY, March 5 (Reuters) - ", b"the Hamas-run health ministry",
    ],
}


def _target_text(data: bytes) -> None:
    from factledger.ingest import readers

    if os.environ.get("FACTLEDGER_FUZZ_SELFTEST") and data.startswith(b"# Strike"):
        raise RuntimeError("self-test: the harness reports an exception as a crash")

    item = readers._from_text_bytes("fuzz.txt", data, path=None, published=None, source=None)
    _check_item(item)


def _target_jsonl(data: bytes) -> None:
    from factledger.ingest import readers

    for item in readers._from_jsonl_bytes("fuzz.jsonl", data, published=None, source=None):
        _check_item(item)


def _target_html(data: bytes) -> None:
    from factledger.ingest import readers

    _check_item(readers._from_html_bytes("fuzz.html", data, published=None, source=None))


def _target_feed(data: bytes) -> None:
    from factledger.ingest.feeds import FeedError, parse_feed

    try:
        feed = parse_feed(data, base_url="https://feeds.example/")
    except FeedError:
        return  # a clear error for a bad feed is the right outcome
    for item in feed.items:
        if not item.url or not item.key:
            raise AssertionError(f"feed item without a url or key: {item!r}")


def _target_parsers(data: bytes) -> None:
    from datetime import date

    from factledger.nlp import attribution, dates, numbers

    text = data.decode("utf-8", errors="replace")[:2000]
    numbers.parse_quantity(text)
    numbers.parse_part_of(text)
    dates.resolve(text, published=date(2024, 3, 8), year_hint=None)
    dates.resolve(text, published=None, year_hint=2024)
    dates.dateline(text, published=None)
    attribution.canonical_name(text)
    attribution.trailing_speaker(text)


def _check_item(item: Any) -> None:
    """A reader's item is an article or an error naming its input, never both or neither."""
    if (item.article is None) == (item.error is None):
        raise AssertionError(f"item with article={item.article!r} and error={item.error!r}")
    if item.error is not None and not item.error.startswith("fuzz."):
        raise AssertionError(f"error does not name its input: {item.error!r}")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "text": _target_text,
    "jsonl": _target_jsonl,
    "html": _target_html,
    "feed": _target_feed,
    "parsers": _target_parsers,
}
INSTRUMENT = ["factledger", "xml", "trafilatura", "charset_normalizer", "htmldate", "justext", "courlan"]


def fuzz_main(argv: list[str]) -> None:
    """Entry point of one fuzzing process: ``fuzz TARGET [libFuzzer flags] [CORPUS]``."""
    import atheris

    name = argv[1]
    with atheris.instrument_imports(include=INSTRUMENT):
        from factledger.ingest import feeds, readers  # noqa: F401
        from factledger.nlp import attribution, dates, numbers  # noqa: F401
        if name == "html":
            import trafilatura  # noqa: F401
    target = TARGETS[name]
    target(SEEDS[name][-1])  # load what is lazily loaded before the clock starts
    atheris.Setup([argv[0], *argv[2:]], target)
    atheris.Fuzz()


# -- campaigns ------------------------------------------------------------------------

_STATS = re.compile(r"#(?P<execs>\d+)\s+(?:DONE|pulse|NEW|REDUCE|INITED)\s+cov: (?P<cov>\d+) ft: (?P<ft>\d+) "
                    r"corp: (?P<corp>\d+)/(?P<size>\d+(?:b|Kb|Mb))")
_DONE = re.compile(r"Done (?P<runs>\d+) runs in (?P<secs>\d+) second")
_SLOWEST = re.compile(r"stat::slowest_unit_time_sec:\s+(?P<s>\d+)")
_PEAK = re.compile(r"stat::peak_rss_mb:\s+(?P<mb>\d+)")
_SEED = re.compile(r"INFO: Seed: (?P<seed>\d+)")


def run_target(name: str, *, seconds: int, per_input: int = 10, workdir: Path, seed: int | None = None) -> dict[str, Any]:
    """Fuzz one target for ``seconds``; its figures (the last stats line libFuzzer prints).

    ``seed`` fixes libFuzzer's random seed (CI passes one, so a run can be replayed);
    None lets libFuzzer draw one, as a long campaign should."""
    corpus = workdir / f"corpus-{name}"
    corpus.mkdir(parents=True, exist_ok=True)
    for i, example in enumerate(SEEDS[name]):
        (corpus / f"seed-{i}").write_bytes(example)
    artifacts = workdir / f"artifacts-{name}"
    artifacts.mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "benchmarks.reliability.fuzz", name, f"-max_total_time={seconds}",
           f"-timeout={per_input}", "-rss_limit_mb=3072", "-max_len=65536", "-print_final_stats=1",
           f"-artifact_prefix={artifacts}/", *([f"-seed={seed}"] if seed is not None else []), str(corpus)]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=seconds + per_input + 300)
    elapsed = time.monotonic() - started
    stats = list(_STATS.finditer(proc.stderr))
    done = _DONE.search(proc.stderr)
    last = stats[-1] if stats else None
    crashes = sorted(p.name for p in artifacts.iterdir())
    return {
        "target": name,
        "seed": int(m["seed"]) if (m := _SEED.search(proc.stderr)) else seed,
        "seconds": round(elapsed, 1),
        "executions": int(done["runs"]) if done else (int(last["execs"]) if last else 0),
        "corpus_inputs": int(last["corp"]) if last else 0,
        "corpus_size": last["size"] if last else "0b",
        "coverage_edges": int(last["cov"]) if last else 0,
        "per_input_limit_s": per_input,
        "slowest_input_s": int(m["s"]) if (m := _SLOWEST.search(proc.stderr)) else None,
        "peak_rss_mb": int(m["mb"]) if (m := _PEAK.search(proc.stderr)) else None,
        "crashes": crashes,
        # The inputs themselves (the artifacts are in a temporary folder), to turn into regression tests.
        "crash_inputs": [repr((artifacts / c).read_bytes()[:2000]) for c in crashes],
        "exit_code": proc.returncode,
        "tail": "" if proc.returncode == 0 else _tail(proc.stdout, proc.stderr),
    }


def _tail(stdout: str, stderr: str) -> str:
    """What explains a failed run: the Python traceback atheris prints (on stdout; libFuzzer's
    summary on stderr says only "fuzz target exited"), then the end of libFuzzer's log."""
    start = stdout.find("=== Uncaught Python exception")
    head = stdout[start:start + 4000] + "\n...\n" if start >= 0 else stdout[-1000:]
    return head + stderr[-2000:]


def run_campaign(*, seconds: int, targets: list[str] | None = None, per_input: int = 10,
                 seed: int | None = None) -> list[dict[str, Any]]:
    """Each target in turn; ``seed`` None lets libFuzzer draw one per target (recorded)."""
    with tempfile.TemporaryDirectory() as tmp:
        return [run_target(t, seconds=seconds, per_input=per_input, workdir=Path(tmp), seed=seed)
                for t in (targets or list(TARGETS))]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in TARGETS:
        fuzz_main(argv)
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=30, help="Time per target.")
    parser.add_argument("--targets", nargs="*", choices=sorted(TARGETS))
    parser.add_argument("--seed", type=int, default=None,
                        help="libFuzzer's random seed, to replay a run (default: drawn, and reported).")
    args = parser.parse_args(argv[1:])
    results = run_campaign(seconds=args.seconds, targets=args.targets, seed=args.seed)
    print(json.dumps(results, indent=2))
    return 1 if any(r["crashes"] or r["exit_code"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
