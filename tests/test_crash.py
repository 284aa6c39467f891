"""Crash safety of the SQLite ledger: SIGKILL mid-ingest and mid-transaction, concurrent
opening of a new ledger, and a checker that does find a half-written article.

The kill campaign is short here (``FACTLEDGER_CRASH_KILLS``, default 3);
``python -m benchmarks.reliability`` runs the long one for docs/reliability.md.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.reliability import crash  # noqa: E402

from factledger.store.sqlite import Ledger  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

KILLS = int(os.environ.get("FACTLEDGER_CRASH_KILLS", "3"))


def test_sigkill_during_ingest_never_leaves_half_an_article_or_a_duplicate(tmp_path):
    result = crash.run_campaign(kills=KILLS, articles=10, seed=3, workdir=tmp_path)
    assert result.problems == []
    assert result.checks == KILLS + 1
    assert result.final_exactly_once and result.final_articles == 10


def test_sigkill_inside_a_transaction_stores_nothing_of_that_article(tmp_path):
    out = crash.kill_inside_transaction(tmp_path / "ledger.db", records=40)
    assert out["wal_left"], "the writer was killed before it wrote to the WAL: the test proves nothing"
    assert (out["article_rows"], out["entity_rows"], out["integrity"]) == (0, 0, "ok")
    assert (out["readd_outcome"], out["readd_entity_rows"]) == ("added", 40)


def test_the_checker_finds_a_half_written_article_and_orphans(tmp_path):
    corpus = crash.write_corpus(tmp_path / "c.jsonl", 1)
    article, records = crash.invented_records(5)
    db = tmp_path / "l.db"
    with Ledger.open(db) as ledger:
        ledger.add(article, records)
    reference = crash.snapshot(db)
    assert crash.check_sqlite(db, reference) == []
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM entities WHERE id = ?", (records[0].id,))
    conn.execute("INSERT INTO entities (id, article_id, confidence, json, name, kind) "
                 "VALUES ('ent_x', 'art_missing', 1, '{}', 'X', 'PERSON')")
    conn.commit()
    conn.close()
    problems = crash.check_sqlite(db, reference)
    assert any("half-written" in p for p in problems)
    assert any("without their article" in p for p in problems)
    assert corpus.read_text().count("\n") == 1


def test_a_ledger_killed_while_being_created_is_consistent_but_a_half_schema_is_not(tmp_path):
    """A kill during start-up can leave a file with no tables, or only the migrations table
    (found by the reliability campaign: the checker raised 'no such table: articles')."""
    reference = crash.snapshot(_ledger_with_one_article(tmp_path / "ref.db"))
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    assert crash.check_ledger(empty, reference) == []
    conn = sqlite3.connect(empty)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    conn.commit()
    assert crash.check_ledger(empty, reference) == []
    resumed = tmp_path / "resumed.db"
    resumed.write_bytes(empty.read_bytes())
    with Ledger.open(resumed) as ledger:  # the next run creates the ledger over it
        ledger.add(*crash.invented_records(3))
    assert crash.check_ledger(resumed, reference) == []
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'initial', 'now')")
    conn.execute("CREATE TABLE claims (id TEXT)")
    conn.commit()
    conn.close()
    assert crash.check_ledger(empty, reference) == [
        "tables without the articles table: ['claims', 'schema_migrations']",
        "a migration is recorded but its tables are missing"]


def _ledger_with_one_article(db):
    article, records = crash.invented_records(3)
    with Ledger.open(db) as ledger:
        ledger.add(article, records)
    return db


def test_a_new_ledger_opened_by_several_writers_at_once_is_created_once(tmp_path):
    errors: list[str] = []
    for trial in range(15):
        path = tmp_path / f"new{trial}.db"

        def open_it(path: Path = path) -> None:
            try:
                Ledger.open(path).close()
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(repr(exc))

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []


def test_the_ledger_is_in_wal_mode(tmp_path):
    with Ledger.open(tmp_path / "l.db") as ledger:
        assert ledger.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sigkill_during_ingest_into_postgresql(pg_server, tmp_path):
    """The same campaign with the ledger in PostgreSQL (skips without a server)."""
    result = crash.run_campaign(kills=KILLS, articles=8, seed=5, workdir=tmp_path,
                                new_target=pg_server.create_database)
    assert result.problems == []
    assert result.final_exactly_once and result.final_articles == 8
