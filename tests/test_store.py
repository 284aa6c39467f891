"""The ledger with hand-built records: duplicates, revisions, rollback, re-open, migrations.

Tests taking ``ledger`` or ``db_target`` run on SQLite and on PostgreSQL (tests/conftest.py)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from factledger.errors import StoreError
from factledger.records import (
    ActorRef,
    Article,
    Claim,
    Entity,
    Event,
    Evidence,
    Place,
    Quantity,
    Statement,
    When,
    stable_id,
)
from factledger.store import migrations
from factledger.store.sqlite import Ledger

URL = "https://meridian-wire.example/2031/03/10/port-miren-strike"


def make_article(count: int = 9, *, url: str | None = URL, day: int = 10) -> Article:
    text = f"Drone strike on Port Miren\n\nA drone strike killed at least {count} people on Monday, the Red Cross said."
    return Article.create(text, title="Drone strike on Port Miren", published=date(2031, 3, day),
                          source="Meridian Wire", url=url)


def make_records(article: Article) -> list:
    start = article.text.index("A drone")
    ev = Evidence(article.id, 1, start, len(article.text), article.text[start:])
    count = float(article.text.split("at least ")[1].split()[0])
    event = Event(
        stable_id("evt", article.id, 0), article.id, "Explosions/Remote violence", "Air/drone strike", ev, 0.8,
        plover={"event": "FIGHT", "mode": "aerial"},
        location=Place("Port Miren", name="Port Miren", country="Kestria"),
        date=When("2031-03-10", "day", "on Monday"),
        fatalities=Quantity(count, None, count, "at_least", f"at least {count:g}"),
        primary=True,
    )
    claim = Claim(
        stable_id("clm", article.id, 0), article.id, "killed",
        Quantity(count, None, count, "at_least", f"at least {count:g}"), "people", ev, 0.9,
        source=ActorRef("the Red Cross", "Kestrian Red Cross Society"),
        as_of=When("2031-03-10", "day"), event_id=event.id,
    )
    entity = Entity(stable_id("ent", article.id, "rc"), article.id, "Kestrian Red Cross Society", "ORG", evidence=ev)
    statement = Statement(stable_id("stm", article.id, 0), article.id, ActorRef("the Red Cross"), "confirms",
                          "the toll", ev, 0.7)
    return [article, entity, event, claim, statement]


@pytest.fixture
def ledger(db_target):
    with Ledger.open(db_target) as led:
        yield led


def test_add_then_duplicate_adds_nothing(ledger):
    article = make_article()
    assert ledger.add(article, make_records(article)) == "added"
    before = ledger.counts()
    assert before == {"articles": 1, "claims": 1, "events": 1, "statements": 1, "entities": 1}
    assert ledger.add(article, make_records(article)) == "duplicate"
    assert ledger.counts() == before


def test_whitespace_only_change_is_a_duplicate(ledger):
    article = make_article()
    ledger.add(article)
    same = Article.create(article.text.replace("\n\n", "\n  \n"), url=URL)
    assert ledger.add(same) == "duplicate"


def test_revision_keeps_both_and_supersedes_the_old(ledger):
    old, new = make_article(9), make_article(17)
    assert old.story_key == new.story_key and old.content_hash != new.content_hash
    assert ledger.add(old, make_records(old)) == "added"
    assert ledger.add(new, make_records(new)) == "revision"
    arts = {a.id: a for a in ledger.articles()}
    assert arts[old.id].superseded_by == new.id and not arts[old.id].current
    assert arts[new.id].revision_of == old.id and arts[new.id].current
    # Queries show the current revision only, unless asked.
    assert [c["value"]["best"] for c in ledger.claims()] == [17]
    assert sorted(c["value"]["best"] for c in ledger.claims(include_superseded=True)) == [9, 17]
    assert [a.id for a in ledger.articles(include_superseded=False)] == [new.id]
    # The old version again is a duplicate, not a new revision.
    assert ledger.add(old, make_records(old)) == "duplicate"
    assert ledger.counts()["articles"] == 2


def test_third_revision_chains(ledger):
    a, b, c = make_article(9), make_article(17, day=11), make_article(21, day=12)
    for article in (c, a, b):  # the chain follows publication, not the order of ingestion
        ledger.add(article, make_records(article))
    arts = {x.id: x for x in ledger.articles()}
    assert (arts[a.id].superseded_by, arts[b.id].superseded_by, arts[c.id].superseded_by) == (b.id, c.id, None)
    assert arts[c.id].revision_of == b.id


def test_a_preferred_copy_under_another_url_leaves_its_story_and_the_story_is_chained_again(ledger):
    """An exact copy with the metadata the ledger keeps (an earlier date, another URL) moves
    the stored article to another story key: the versions of the story it left are chained
    again without it (``Ledger._replace_copy``)."""
    first = make_article(9, day=10)
    update = Article.create("Port Miren after the strike\n\nRescuers searched the rubble on Tuesday for survivors.",
                            title="Port Miren after the strike", published=date(2031, 3, 11),
                            source="Meridian Wire", url=URL)
    assert ledger.add(first, make_records(first)) == "added"
    assert ledger.add(update) == "revision"
    arts = {a.id: a for a in ledger.articles()}
    assert arts[update.id].revision_of == first.id
    copy = Article.create(first.text, title=first.title, published=date(2031, 3, 9), source="Coastal Post",
                          url="https://coastalpost.example/port-miren")
    assert copy.id == first.id
    assert ledger.add(copy, make_records(copy)) == "duplicate"
    arts = {a.id: a for a in ledger.articles()}
    assert arts[first.id].url == copy.url and arts[first.id].published == "2031-03-09"
    assert (arts[first.id].revision_of, arts[first.id].superseded_by) == (None, None)
    assert (arts[update.id].revision_of, arts[update.id].superseded_by) == (None, None)
    assert arts[first.id].current and arts[update.id].current


def test_different_stories_are_both_added(ledger):
    a = make_article(9)
    b = make_article(9, url="https://coastalpost.example/port-miren")
    assert ledger.add(a) == "added"
    # Same text, other URL: the text is what counts, so this is a duplicate.
    assert ledger.add(b) == "duplicate"
    c = Article.create("Talks resume in Halvard\n\nNegotiators met on Tuesday to discuss a truce.", url=b.url + "/talks")
    assert ledger.add(c) == "added"
    # Nearly the same text under another URL is an updated version of the same story.
    d = Article.create(b.text + " More details.", url=b.url)
    assert ledger.add(d) == "revision"


def test_failing_article_is_rolled_back_and_nothing_is_lost(ledger):
    good = make_article(9, url="https://x.example/good")
    ledger.add(good, make_records(good))
    before = ledger.counts()
    bad = make_article(17)
    records = make_records(bad)
    records.insert(3, "not a record")  # fails after the article and some records were inserted
    with pytest.raises(StoreError, match="cannot store a str"):
        ledger.add(bad, records)
    assert ledger.counts() == before
    assert not ledger.has_article(bad.id)
    # A later good article still goes in (nearly the text of `good`: a version of its story).
    assert ledger.add(bad, make_records(bad)) == "revision"


def test_failing_revision_does_not_mark_the_old_one_superseded(ledger):
    old, new = make_article(9), make_article(17)
    ledger.add(old, make_records(old))
    other = make_article(3, url="https://x.example/other")
    with pytest.raises(StoreError, match="belongs to article"):
        ledger.add(new, [new, *make_records(other)[1:]])
    (only,) = ledger.articles()
    assert only.id == old.id and only.current


def test_database_error_is_a_store_error(ledger, monkeypatch):
    article = make_article()
    driver_error = ledger.conn.Error[0]  # sqlite3.Error or psycopg.Error

    def boom(*args, **kwargs):
        raise driver_error("disk I/O error")

    monkeypatch.setattr(ledger, "_insert_record", boom)
    with pytest.raises(StoreError, match="nothing of it was stored"):
        ledger.add(article, make_records(article))
    assert ledger.counts()["articles"] == 0


def test_reopen_keeps_everything(db_target):
    path = db_target
    article = make_article()
    with Ledger.open(path) as led:
        led.add(article, make_records(article))
    with Ledger.open(path) as led:
        assert led.schema_version == migrations.LATEST_VERSION
        assert led.add(article, make_records(article)) == "duplicate"
        (claim,) = led.claims()
        assert claim["source"]["entity"] == "Kestrian Red Cross Society"
        assert claim["evidence"]["text"].startswith("A drone strike")
        (event,) = led.events()
        assert event["location"]["name"] == "Port Miren"
        assert led.article_text(article.id) == article.text


def test_wal_mode_and_migrations_recorded(tmp_path):
    path = tmp_path / "ledger.db"
    Ledger.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = conn.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert rows == [(m.version, m.name) for m in migrations.MIGRATIONS]
    conn.close()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "ledger.db"
    Ledger.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', '2099-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="upgrade factledger"):
        Ledger.open(path)


def test_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite " * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="not a factledger database"):
        Ledger.open(path)


def test_missing_ledger_without_create(tmp_path):
    with pytest.raises(StoreError, match="factledger ingest"):
        Ledger.open(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_min_confidence_filter(ledger):
    article = make_article()
    ledger.add(article, make_records(article))
    assert len(ledger.claims(min_confidence=0.95)) == 0
    assert len(ledger.claims(min_confidence=0.9)) == 1


def test_in_memory(tmp_path):
    with Ledger.open(":memory:") as led:
        article = make_article()
        assert led.add(article, make_records(article)) == "added"
        assert led.article_ids() == {article.id}
