"""Crash safety: SIGKILL ``factledger ingest`` at random points, restart, check the ledger.

The corpus is invented (small wire-style articles about fictional places). A reference
run ingests it without interruption; its records per article are what every article
found after a crash must have, exactly: an article without all its records, a record
without its article, or an article twice is a failure. After the last kill, a complete
run must leave every article present exactly once.

    python -m benchmarks.reliability.crash --kills 20 --articles 30
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RECORD_TABLES = ("claims", "events", "statements", "entities")

_PLACES = ("Dravna", "Olvek", "Marisport", "Tesh Hollow", "Kavari", "Brennmoor", "Solace Bay", "Vetra")
_SOURCES = ("the Kestrian health ministry", "the Northern Liberation Front", "the UN relief agency",
            "local officials", "the regional governor", "a hospital director")
_EVENTS = ("an air strike hit", "shelling struck", "a drone attack hit", "clashes broke out in")
_VERBS = ("said", "reported", "told reporters")

# Snapshot of one ledger: article id -> table -> sorted record ids.
Snapshot = dict[str, dict[str, list[str]]]


def write_corpus(path: Path, n: int, *, seed: int = 7) -> Path:
    """``n`` distinct invented articles as one JSONL file (each with its own URL)."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        place, other = rng.sample(_PLACES, 2)
        killed, wounded = rng.randint(2, 90), rng.randint(5, 300)
        day = rng.randint(1, 27)
        text = (
            f"{place.upper()}, Kestria, March {day} (Meridian Wire) - {rng.choice(_EVENTS).capitalize()} "
            f"{place} on Sunday, killing at least {killed} people and wounding {wounded} others, "
            f"{rng.choice(_SOURCES)} {rng.choice(_VERBS)}.\n\n"
            f"Residents said {rng.randint(3, 40)} homes were destroyed. About {rng.randint(100, 9000):,} "
            f"people have fled to {other} since the fighting began, according to {rng.choice(_SOURCES)}.\n\n"
            f"Story {i}: a ceasefire proposal was rejected on Monday, {rng.choice(_SOURCES)} said."
        )
        lines.append(json.dumps({
            "text": text,
            "title": f"Attack on {place} kills {killed} (story {i})",
            "published": f"2031-03-{day + 1:02d}",
            "url": f"https://meridian-wire.example/2031/{i}",
            "source": "Meridian Wire",
        }))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest_command(corpus: Path, db: str) -> list[str]:
    return [sys.executable, "-m", "factledger", "ingest", str(corpus), "--db", db, "--json"]


def _connect(target: str) -> Any:
    """factledger's own connection layer (``?`` placeholders on SQLite and PostgreSQL)."""
    from factledger.store.db import connect

    return connect(target)


def snapshot(target: str | Path) -> Snapshot:
    """What the ledger holds: every article id with the ids of its records."""
    conn = _connect(str(target))
    try:
        out: Snapshot = {row[0]: {t: [] for t in RECORD_TABLES} for row in conn.execute("SELECT id FROM articles")}
        for table in RECORD_TABLES:
            # Table names come from the constant RECORD_TABLES, never from input.
            for article_id, record_id in conn.execute(f"SELECT article_id, id FROM {table} ORDER BY id"):
                out.setdefault(article_id, {t: [] for t in RECORD_TABLES})[table].append(record_id)
        return out
    finally:
        conn.close()


def check_ledger(target: str | Path, reference: Snapshot) -> list[str]:
    """Problems found in the ledger at ``target``, compared with the reference run (empty: consistent)."""
    problems: list[str] = []
    conn = _connect(str(target))
    try:
        tables = _tables(conn)
        if "articles" not in tables:
            # Killed while the ledger was being created: nothing may be stored yet, and no
            # migration recorded without its tables (each migration is one transaction).
            if tables - {"schema_migrations"}:
                problems.append(f"tables without the articles table: {sorted(tables)}")
            if "schema_migrations" in tables and conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]:
                problems.append("a migration is recorded but its tables are missing")
            return problems
        if conn.dialect == "sqlite":
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if integrity != "ok":
                problems.append(f"integrity_check: {integrity}")
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                problems.append(f"journal_mode is {mode}, not wal")
        for key, n in conn.execute(
            "SELECT content_hash, COUNT(*) FROM articles GROUP BY content_hash HAVING COUNT(*) > 1"
        ):
            problems.append(f"article stored {n} times: {key}")
        for table in RECORD_TABLES:
            orphans = conn.execute(
                f"SELECT COUNT(*) FROM {table} r LEFT JOIN articles a ON a.id = r.article_id WHERE a.id IS NULL"
            ).fetchone()[0]
            if orphans:
                problems.append(f"{orphans} {table} rows without their article")
    finally:
        conn.close()
    for article_id, tables in snapshot(target).items():
        expected = reference.get(article_id)
        if expected is None:
            problems.append(f"{article_id}: not an article of the corpus")
        elif tables != expected:
            missing = {t: len(set(expected[t]) - set(tables[t])) for t in RECORD_TABLES}
            problems.append(f"{article_id}: half-written (records missing per table: {missing})")
    return problems


check_sqlite = check_ledger  # the name the tests use for a SQLite file


def _tables(conn: Any) -> set[str]:
    """The ledger's tables (SQLite or PostgreSQL)."""
    if conn.dialect == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    return {row[0] for row in conn.execute(sql)}


def _count_articles(target: str) -> int:
    """Articles stored so far (0 before the ledger exists), without creating anything."""
    if "://" not in target:
        if not Path(target).exists():
            return 0
        try:
            conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True, timeout=5)
            try:
                return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.Error:
            return 0
    conn = _connect(target)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except conn.Error:
        return 0  # the schema is not there yet
    finally:
        conn.close()


@dataclass
class CrashResult:
    articles: int
    kills: int
    kills_mid_ingest: int = 0
    kills_before_first_write: int = 0
    kills_after_last_write: int = 0
    checks: int = 0
    problems: list[str] = field(default_factory=list)
    final_articles: int = 0
    final_exactly_once: bool = False
    reference_seconds: float = 0.0
    first_write_seconds: float = 0.0
    seconds: float = 0.0
    # One entry per interrupted run: how it was stopped, articles before and after.
    runs: list[dict[str, Any]] = field(default_factory=list)
    # Ledgers used: a new one each time a run had stored the whole corpus.
    rounds: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _kill_after(proc: subprocess.Popen[bytes], delay: float) -> bool:
    """SIGKILL ``proc`` after ``delay`` seconds unless it has exited by then; whether it was killed."""
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return True
    return False


def _reference_run(corpus: Path, db: Path) -> tuple[float, float]:
    """Run the ingest without interruption; (seconds to the first stored article, total seconds)."""
    start = time.monotonic()
    proc = subprocess.Popen(ingest_command(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    first = None
    while proc.poll() is None:
        if first is None and _count_articles(str(db)) > 0:
            first = time.monotonic() - start
        time.sleep(0.05)
    total = time.monotonic() - start
    if proc.returncode != 0:
        raise RuntimeError(f"reference ingest failed ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}")
    return (first if first is not None else total), total


def run_campaign(
    *, kills: int, articles: int, seed: int = 1, workdir: Path | None = None,
    new_target: Callable[[], str] | None = None,
) -> CrashResult:
    """Kill ``factledger ingest`` ``kills`` times at random delays, checking the ledger each time.

    ``new_target()`` gives a new, empty ledger (a PostgreSQL database URL); by default a new
    SQLite file in a temporary directory. When a run has stored the whole corpus, the next
    kill starts a new round on a new ledger, so every kill interrupts real work. The
    reference run is on SQLite (record ids are the same on both back-ends)."""
    rng = random.Random(seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        root = Path(tmp)
        corpus = write_corpus(root / "corpus.jsonl", articles, seed=seed)
        ref_db = root / "reference.db"
        first, total = _reference_run(corpus, ref_db)
        reference = snapshot(ref_db)
        result = CrashResult(articles=articles, kills=kills, reference_seconds=round(total, 2),
                             first_write_seconds=round(first, 2))
        if len(reference) != articles:
            result.problems.append(f"reference run stored {len(reference)} of {articles} articles")
        rounds = iter(range(1, kills + 2))

        def fresh() -> str:
            result.rounds = next(rounds)
            return new_target() if new_target else str(root / f"crashed-{result.rounds}.db")

        db = fresh()
        per_article = max(total - first, 0.1) / articles
        for _ in range(kills):
            if _count_articles(db) == articles:
                db = fresh()
            before = _count_articles(db)
            errors = root / "stderr.txt"
            with errors.open("wb") as err:
                proc = subprocess.Popen(ingest_command(corpus, db), stdout=subprocess.DEVNULL, stderr=err)
                mode = "start-up" if rng.random() < 0.25 else "storing"
                if mode == "start-up":
                    # During start-up: opening or migrating the ledger, loading the model.
                    killed = _kill_after(proc, rng.uniform(0, first))
                else:
                    # While storing: a random time after this run's first write (the start-up
                    # takes most of a run, so a delay from the spawn would rarely hit a write).
                    while proc.poll() is None and _count_articles(db) == before:
                        time.sleep(0.02)
                    killed = _kill_after(proc, rng.uniform(0, per_article * max(articles - before, 1)))
            after = _count_articles(db)
            entry: dict[str, Any] = {"mode": mode, "before": before, "after": after, "killed": killed}
            if not killed:
                entry["exit_code"] = proc.returncode
                if proc.returncode:
                    entry["stderr"] = errors.read_text(errors="replace")[-300:]
            result.runs.append(entry)
            if after == before:
                result.kills_before_first_write += 1
            elif after == articles:
                result.kills_after_last_write += 1
            else:
                result.kills_mid_ingest += 1
            result.checks += 1
            result.problems.extend(check_ledger(db, reference))
        final = subprocess.run(ingest_command(corpus, db), capture_output=True, text=True, check=False)
        if final.returncode != 0:
            result.problems.append(f"final ingest failed ({final.returncode}): {final.stderr[-500:]}")
        result.checks += 1
        result.problems.extend(check_ledger(db, reference))
        final_state = snapshot(db)
        result.final_articles = len(final_state)
        result.final_exactly_once = final_state == reference
    result.seconds = round(time.monotonic() - started, 1)
    return result


# -- a kill inside the transaction itself ---------------------------------------------

_CHILD = r"""
import sys, time
from factledger.store.sqlite import Ledger
from benchmarks.reliability.crash import invented_records

db, ready = sys.argv[1], sys.argv[2]
article, records = invented_records(int(sys.argv[3]))

def slow_records():
    for i, record in enumerate(records):
        if i == len(records) // 2:
            open(ready, "w").close()  # half the records are written, the transaction is open
            time.sleep(60)
        yield record

with Ledger.open(db) as ledger:
    ledger.add(article, slow_records())
"""


def invented_records(n: int) -> tuple[Any, list[Any]]:
    """An invented article with ``n`` entity records (for the in-transaction kill)."""
    from factledger.records import Article, Entity

    article = Article.create(f"Invented article with {n} names, for a crash test.", title=f"crash {n}")
    return article, [
        Entity(id=f"ent_{i:04d}", article_id=article.id, name=f"Person Number{i}", kind="PERSON",
               confidence=0.9, mentions=(), aliases=())
        for i in range(n)
    ]


def kill_inside_transaction(db: Path, *, records: int = 40, timeout: float = 60) -> dict[str, Any]:
    """SIGKILL a writer while its article's transaction is open, half its records
    written; then the ledger must hold nothing of that article and still open."""
    ready = db.with_suffix(".ready")
    ready.unlink(missing_ok=True)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(db), str(ready), str(records)], env=env,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while not ready.exists():
        if proc.poll() is not None:
            raise RuntimeError(f"writer exited early: {proc.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("writer never reached the middle of its transaction")
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    wal_left = db.with_name(db.name + "-wal").exists()
    article, again = invented_records(records)
    conn = sqlite3.connect(db)
    try:
        stored = conn.execute("SELECT COUNT(*) FROM articles WHERE id = ?", (article.id,)).fetchone()[0]
        entities = conn.execute("SELECT COUNT(*) FROM entities WHERE article_id = ?", (article.id,)).fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    from factledger.store.sqlite import Ledger

    with Ledger.open(db) as ledger:  # the ledger opens and takes the same article again
        outcome = ledger.add(article, again)
        stored_again = ledger.counts()["entities"]
    return {"article_rows": stored, "entity_rows": entities, "integrity": integrity, "wal_left": wal_left,
            "readd_outcome": outcome, "readd_entity_rows": stored_again, "records": records}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite",
                        help="postgres: a throwaway server (or $FACTLEDGER_TEST_PG_URL), a new database.")
    args = parser.parse_args(argv)
    if args.backend == "postgres":
        data = run_postgres_campaign(kills=args.kills, articles=args.articles, seed=args.seed)
    else:
        data = run_campaign(kills=args.kills, articles=args.articles, seed=args.seed).to_dict()
    print(json.dumps(data, indent=2))
    return 1 if data.get("problems") or not data.get("final_exactly_once") else 0


def run_postgres_campaign(*, kills: int, articles: int, seed: int = 1) -> dict[str, Any]:
    """The campaign on a new PostgreSQL database: $FACTLEDGER_TEST_PG_URL's server, else a
    throwaway one (``store.pgtemp``); ``{"skipped": reason}`` when neither is available."""
    try:
        from factledger.errors import StoreError
        from factledger.store.pgtemp import TempPostgres, create_database, find_bindir
    except ImportError as exc:
        return {"skipped": f"no PostgreSQL support here ({exc})"}
    url = os.environ.get("FACTLEDGER_TEST_PG_URL")
    if url:
        return run_campaign(kills=kills, articles=articles, seed=seed,
                            new_target=lambda: create_database(url)).to_dict()
    if find_bindir() is None:
        return {"skipped": "PostgreSQL server binaries (initdb, pg_ctl) not found"}
    try:
        server = TempPostgres.start()
    except StoreError as exc:
        return {"skipped": f"cannot start a throwaway PostgreSQL server: {exc}"}
    try:
        return run_campaign(kills=kills, articles=articles, seed=seed, new_target=server.create_database).to_dict()
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
