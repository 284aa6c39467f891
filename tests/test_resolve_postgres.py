"""Cross-article resolution and the query API give the same ledger on PostgreSQL as on SQLite."""

from __future__ import annotations

from factledger.resolve import api
from factledger.store.sqlite import Ledger
from test_resolve import corpus, snapshot


def _build(target: str, items) -> Ledger:
    ledger = Ledger.open(target)
    for article, records in items:
        ledger.add(article, records)
    return ledger


def test_postgres_ledger_equals_sqlite_ledger(pg_url):
    items = corpus()
    with _build(":memory:", items) as lite, _build(pg_url, items[::-1]) as pg:
        assert snapshot(pg) == snapshot(lite)
        assert {pg.add(a, r) for a, r in items} == {"duplicate"}
        assert snapshot(pg) == snapshot(lite)
        assert api.entity_profile(pg, "Nobody Known") is None
