"""Several processes ingest overlapping inputs into one ledger at once (SQLite and PostgreSQL):
every article and record is stored exactly once, nothing is lost, each story has one
current revision, and each name is bound to one ledger entity."""

from __future__ import annotations

import multiprocessing
import random
from datetime import date

import pytest

from factledger.records import Article, Claim, Entity, Evidence, Quantity, stable_id
from factledger.store.sqlite import Ledger

WRITERS = 4
STORIES = 24


def _article(story: int, version: int) -> Article:
    text = (f"Strike {story}\n\nAt least {story + version * 100} people were killed in strike {story}, "
            f"officials told Meridian Wire, according to Commander Tarin Vosk.")
    return Article.create(text, title=f"Strike {story}", published=date(2031, 3, 1 + story % 28),
                          url=f"https://meridian-wire.example/strike-{story}")


def _records(article: Article) -> list:
    start = article.text.index("At least")
    ev = Evidence(article.id, 1, start, len(article.text), article.text[start:])
    n = float(article.text[start:].split()[2])
    claim = Claim(stable_id("clm", article.id, 0), article.id, "killed",
                  Quantity(n, None, n, "at_least", f"at least {n:g}"), "people", ev, 0.9)
    people = Entity(stable_id("ent", article.id, 0), article.id, "Tarin Vosk", "PERSON",
                    aliases=("Commander Tarin Vosk",), evidence=ev)
    outlet = Entity(stable_id("ent", article.id, 1), article.id, "Meridian Wire", "ORG", evidence=ev)
    return [article, people, outlet, claim]


def _inputs() -> list[Article]:
    """Every story once, and every third story in a second version (a revision)."""
    return [_article(s, 0) for s in range(STORIES)] + [_article(s, 1) for s in range(0, STORIES, 3)]


def _writer(target: str, seed: int, barrier, out) -> None:
    articles = _inputs()
    rng = random.Random(seed)
    # Overlapping: each writer takes most of the inputs; first versions before second ones.
    first = [a for a in articles[:STORIES] if rng.random() < 0.8]
    second = [a for a in articles[STORIES:] if rng.random() < 0.8]
    rng.shuffle(first)
    outcomes = []
    with Ledger.open(target) as led:
        barrier.wait(timeout=60)
        for article in [*first, *second]:
            outcomes.append((article.id, led.add(article, _records(article))))
    out.put(outcomes)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_ingesters_store_everything_once(backend, tmp_path, request):
    target = str(tmp_path / "ledger.db") if backend == "sqlite" else request.getfixturevalue("pg_url")
    ctx = multiprocessing.get_context("fork")
    barrier, out = ctx.Barrier(WRITERS), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(target, seed, barrier, out)) for seed in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:  # outcomes are small: a writer never blocks on a full queue
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    results = [out.get(timeout=5) for _ in procs]

    outcomes = [o for r in results for o in r]
    attempted = {aid for aid, _ in outcomes}
    added = [aid for aid, o in outcomes if o in ("added", "revision")]
    # Each article attempted is stored by exactly one writer; the others saw a duplicate.
    assert sorted(added) == sorted(attempted)
    with Ledger.open(target, create=False) as led:
        stored = led.articles()
        assert {a.id for a in stored} == attempted
        assert led.counts() == {"articles": len(attempted), "claims": len(attempted), "events": 0,
                                "statements": 0, "entities": 2 * len(attempted)}
        # One current revision per story, and a revision points at the one it superseded.
        current = [a for a in stored if a.current]
        assert len({a.story_key for a in current}) == len(current) == len({a.story_key for a in stored})
        by_id = {a.id: a for a in stored}
        for a in stored:
            if a.superseded_by:
                assert by_id[a.superseded_by].revision_of == a.id
        # One ledger entity per name across every writer.
        entities = led.ledger_entities()
        assert sorted(e["name"] for e in entities) == ["Meridian Wire", "Tarin Vosk"]
        assert all(e["articles"] == len(current) for e in entities)
