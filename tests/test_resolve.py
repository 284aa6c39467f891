"""The ledger across articles, with hand-built records: clustering, series, contradictions,
revisions, denials, negotiations, and order independence (hypothesis over permutations)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from factledger.resolve import api
from factledger.resolve.cli import events_command, figures_command, negotiations_command
from factledger.store.sqlite import Ledger

KESTRIA = "Kestria"


def _article(text: str, day: int, source: str, url: str) -> Article:
    return Article.create(text, title=text.split("\n")[0], published=date(2031, 3, day), source=source, url=url)


def _evidence(article: Article, needle: str) -> Evidence:
    start = article.text.index(needle)
    return Evidence(article.id, 1, start, start + len(needle), needle)


def _strike(article: Article, needle: str, killed: float, qualifier: str = "exact", *, place: str = "Dravna",
            day: int = 2) -> list:
    ev = _evidence(article, needle)
    event = Event(stable_id("evt", article.id, needle), article.id, "Explosions/Remote violence", "Air/drone strike",
                  ev, 0.8, actor1=ActorRef("government jets", "Military Forces of Kestria"),
                  location=Place(place, name=place, country=KESTRIA, lat=60.1, lon=20.1, precision=1),
                  date=When(f"2031-03-{day:02d}", "day", "on Sunday"),
                  fatalities=Quantity(killed, None if qualifier == "at_least" else killed, killed, qualifier))
    claim = Claim(stable_id("clm", article.id, needle), article.id, "killed",
                  Quantity(killed, None if qualifier == "at_least" else killed, killed, qualifier), "people", ev, 0.9,
                  as_of=When(f"2031-03-{day:02d}", "day"), event_id=event.id, scope="event", subject_norm="people")
    return [event, claim]


def _toll(article: Article, needle: str, killed: float, source: str, day: int, qualifier: str = "exact") -> Claim:
    return Claim(stable_id("clm", article.id, needle), article.id, "killed",
                 Quantity(killed, None if qualifier == "at_least" else killed, killed, qualifier), "people",
                 _evidence(article, needle), 0.9, source=ActorRef(source, source),
                 as_of=When(f"2031-03-{day:02d}", "day"), scope="cumulative", subject_norm="people")


def corpus() -> list[tuple[Article, list]]:
    """Five invented reports: one strike told by three outlets (3, 5 and at least 7 dead), a
    toll series with a same-day contradiction, a rejection and its denial."""
    a = _article("Strike on Dravna market\n\nAn air strike on the Dravna market killed 5 people on Sunday.", 2,
                 "Meridian Wire", "https://mw.example/a")
    b = _article("Jets hit Dravna\n\nJets struck the market in Dravna on Sunday, killing 3 people.", 2,
                 "Coastal Post", "https://cp.example/b")
    c = _article("Dravna toll rises\n\nAt least 7 people died in the Dravna market strike on Sunday.", 3,
                 "Northern Herald", "https://nh.example/c")
    d = _article("Toll passes 2,300\n\nMore than 2,300 people have been killed, the health ministry said. "
                 "The Northern Liberation Front rejected the Ostova ceasefire proposal.", 9, "Meridian Wire",
                 "https://mw.example/d")
    e = _article("NLF disputes toll\n\nThe war has killed 1,900 people, the NLF said. Reports that the Northern "
                 "Liberation Front rejected the Ostova ceasefire proposal are incorrect, a spokesman said.", 9,
                 "Kestria Today", "https://kt.example/e")
    f = _article("Toll passes 2,400\n\nAt least 2,410 people have been killed, the health ministry said.", 13,
                 "Meridian Wire", "https://mw.example/f")
    rejects = Statement(stable_id("stm", d.id, 0), d.id, ActorRef("Northern Liberation Front"), "rejects",
                        "the Ostova ceasefire proposal", _evidence(d, "rejected the Ostova ceasefire proposal"), 0.8)
    denial = Statement(stable_id("stm", e.id, 0), e.id, ActorRef("a spokesman"), "denies",
                       "the Northern Liberation Front rejected the Ostova ceasefire proposal",
                       _evidence(e, "the Northern Liberation Front rejected the Ostova ceasefire proposal"), 0.8)
    # The same text again from a syndicating outlet, dated a day earlier: a duplicate whose
    # metadata (the earliest) the ledger keeps whatever the order of arrival.
    copy = Article.create(a.text, title="Copy of the Dravna report", published=date(2031, 3, 1),
                          source="Wire Copy", url="https://copy.example/a")
    strike_a = _strike(a, "An air strike on the Dravna market killed 5 people on Sunday.", 5)
    return [
        (a, strike_a),
        (copy, strike_a),
        (b, _strike(b, "Jets struck the market in Dravna on Sunday, killing 3 people.", 3)),
        (c, _strike(c, "At least 7 people died in the Dravna market strike on Sunday.", 7, "at_least")),
        (d, [_toll(d, "More than 2,300 people have been killed", 2300, "health ministry", 9, "at_least"), rejects]),
        (e, [_toll(e, "The war has killed 1,900 people", 1900, "NLF", 9), denial]),
        (f, [_toll(f, "At least 2,410 people have been killed", 2410, "health ministry", 13, "at_least")]),
    ]


def build(items) -> Ledger:
    ledger = Ledger.open(":memory:")
    for article, records in items:
        ledger.add(article, records)
    return ledger


DERIVED = {
    "story_links": "article_a, article_b, similarity",
    "event_mentions": "article_id, record_id, family, date_lo, date_hi",
    "event_links": "a_article, a_record, b_article, b_record, score, reasons",
    "claim_keys": "article_id, record_id, metric, population, area, source_key, scope, as_of, low, high",
    "contradictions": "a_article, a_claim, b_article, b_claim, metric, kind, detail",
    "statement_links": "article_id, statement_id, target_article, target_type, target_id, relation",
    "negotiation_mentions": "article_id, record_id, thread_key, kind, action, actor, date, terms",
}


def snapshot(ledger: Ledger) -> dict:
    """Everything resolution derived, and what the API shows, in a comparable form."""
    out = {t: sorted(ledger.conn.execute(f"SELECT {cols} FROM {t}").fetchall()) for t, cols in DERIVED.items()}
    out["chains"] = sorted(ledger.conn.execute("SELECT id, revision_of, superseded_by FROM articles").fetchall())
    out["api"] = json.dumps([api.clustered_events(ledger), api.figure_series(ledger), api.contradictions(ledger),
                             api.negotiations(ledger), api.revision_chains(ledger)], sort_keys=True)
    return out


@pytest.fixture(scope="module")
def ledger():
    with build(corpus()) as led:
        yield led


def test_one_strike_from_three_outlets_is_one_ledger_event(ledger):
    (event,) = api.clustered_events(ledger, min_mentions=2)
    assert event["articles"] == 3 and event["sources"] == ["Coastal Post", "Northern Herald", "Wire Copy"]
    assert event["fatalities"] == {"low": 3.0, "best": 5.0, "high": 7.0, "acled": 3.0, "reports": 3}
    assert len(event["mentions"]) == 3 and event["date"] == "2031-03-02"


def test_strike_tolls_that_cannot_both_hold_are_contradictions(ledger):
    same_event = [c for c in api.contradictions(ledger) if c["kind"] == "same_event"]
    values = sorted(sorted((c["a"]["value"]["best"], c["b"]["value"]["best"])) for c in same_event)
    # 3 vs 5 and 3 vs "at least 7", 5 vs "at least 7"; never 7 vs itself.
    assert values == [[3.0, 5.0], [3.0, 7.0], [5.0, 7.0]]


def test_same_day_tolls_contradict_and_a_series_keeps_every_point(ledger):
    same_day = [c for c in api.contradictions(ledger) if c["kind"] == "same_day"]
    assert len(same_day) == 1 and {same_day[0]["a"]["value"]["best"], same_day[0]["b"]["value"]["best"]} == {
        1900.0, 2300.0}
    (series,) = api.figure_series(ledger, "killed", source="health ministry")
    assert [p["as_of"] for p in series["points"]] == ["2031-03-09", "2031-03-13"]
    assert [p["value"]["best"] for p in series["points"]] == [2300.0, 2410.0]


def test_a_denial_is_linked_to_the_rejection_it_denies(ledger):
    (denial,) = [c for c in api.contradictions(ledger) if c["kind"] == "denial"
                 and c["b"].get("type") == "statement"]
    assert denial["b"]["source"] == "Meridian Wire" and denial["a"]["source"] == "Kestria Today"
    threads = api.negotiations(ledger)
    actions = [t["action"] for thread in threads for t in thread["timeline"]]
    assert "rejected" in actions and "rejection denied" in actions


def test_updated_version_supersedes_whatever_the_order():
    text = "Drone strike on Port Miren\n\n" + " ".join(f"Sentence {i} about the strike on the depot." for i in range(30))
    old = Article.create(text + " At least 9 dead.", published=date(2031, 3, 10), url="https://a.example/1")
    new = Article.create(text + " At least 17 dead.", published=date(2031, 3, 11), url="https://b.example/2")
    for order in ((old, new), (new, old)):
        with Ledger.open(":memory:") as led:
            outcomes = [led.add(a) for a in order]
            assert outcomes == ["added", "revision"]
            arts = {a.id: a for a in led.articles()}
            assert arts[old.id].superseded_by == new.id and arts[new.id].revision_of == old.id
            assert [c["current"] for c in api.revision_chains(led)] == [new.id]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.permutations(range(7)))
def test_any_order_gives_the_same_ledger(ledger, order):
    items = corpus()
    with build([items[i] for i in order]) as led:
        assert snapshot(led) == snapshot(ledger)
        # Ingesting everything again adds nothing.
        assert {led.add(a, r) for a, r in items} == {"duplicate"}
        assert snapshot(led) == snapshot(ledger)


def test_commands_print_table_json_and_csv(tmp_path):
    db = tmp_path / "ledger.db"
    with Ledger.open(db) as led:
        for article, records in corpus():
            led.add(article, records)
    runner = CliRunner()
    table = runner.invoke(events_command, ["--db", str(db)])
    assert table.exit_code == 0 and "Air/drone strike" in table.output and "killed_acled" in table.output
    as_json = runner.invoke(figures_command, ["killed", "--db", str(db), "--format", "json"])
    assert json.loads(as_json.output)[0]["metric"] == "killed"
    as_csv = runner.invoke(negotiations_command, ["--db", str(db), "--format", "csv"])
    assert as_csv.output.splitlines()[0].startswith("thread,status,date,kind,action")


def test_entity_profile_has_roles_status_timeline_and_events():
    from factledger.records import Entity

    art = _article("Commander killed\n\nTarin Vosk, a senior NLF commander, was killed in Brenna on Sunday.", 11,
                   "Northern Herald", "https://nh.example/vosk")
    event, claim = _strike(art, "Tarin Vosk, a senior NLF commander, was killed in Brenna on Sunday.", 1,
                           place="Brenna", day=10)
    event = Event(**{**event.__dict__, "victims": ("Tarin Vosk",)})
    person = Entity(stable_id("ent", art.id, "vosk"), art.id, "Tarin Vosk", "PERSON", aliases=("Vosk",),
                    roles=("senior NLF commander",), evidence=_evidence(art, "Tarin Vosk"),
                    status=({"status": "killed", "date": "2031-03-10", "source": "army", "sentence": 1},))
    with Ledger.open(":memory:") as led:
        led.add(art, [person, event, claim])
        profile = api.entity_profile(led, "Tarin Vosk")
        assert profile["roles"] == [{"role": "senior NLF commander", "count": 1}]
        assert [(t["status"], t["date"]) for t in profile["status_timeline"]] == [("killed", "2031-03-10")]
        assert [e["role"] for e in profile["events"]] == ["victim"]
        assert api.entity_profile(led, "Nobody Known") is None


def test_a_copy_without_records_keeps_the_stored_records():
    items = corpus()
    (a, records), (copy, _) = items[0], items[1]
    with Ledger.open(":memory:") as led:
        led.add(a, records)
        before = led.counts()
        assert led.add(copy) == "duplicate"  # as `ingest` stores a text it did not extract again
        assert led.counts() == before
        (art,) = led.articles()
        assert art.source == "Wire Copy" and art.published == "2031-03-01"


def test_a_source_named_by_two_aliases_of_one_entity_gives_one_series():
    """"NLF" and "Northern Liberation Front" are one source when the alias table binds them
    (here an article names both), whichever article comes first; "ministry of health" and
    "health ministry" are one source by their words."""
    reports = [  # (day, outlet, source as written, toll)
        (5, "Coastal Post", "The Northern Liberation Front (NLF)", 2150),
        (9, "Meridian Wire", "The NLF", 2300),
        (9, "Northern Herald", "The ministry of health", 2410),
        (12, "Kestria Today", "The health ministry", 2500),
    ]
    items = []
    for day, outlet, source, toll in reports:
        needle = f"{toll:,} people had been killed"
        article = _article(f"Toll\n\n{source} said {needle}.", day, outlet, f"https://{day}.example/{toll}")
        items.append((article, [_toll(article, needle, toll, source.removeprefix("The ").split(" (")[0], day)]))
    first = items[0][0]
    items[0][1].append(Entity(stable_id("ent", first.id, "nlf"), first.id, "Northern Liberation Front", "ORG",
                              aliases=("NLF",), evidence=_evidence(first, "Northern Liberation Front (NLF)")))
    for order in (items, items[::-1]):
        with Ledger.open(":memory:") as led:
            for article, records in order:
                led.add(article, records)
            series = api.figure_series(led, "killed", min_points=2)
            values = sorted(sorted(p["value"]["best"] for p in s["points"]) for s in series)
            assert values == [[2150, 2300], [2410, 2500]]
            (nlf_series,) = [s for s in series if s["points"][0]["value"]["best"] == 2150]
            assert nlf_series["source"] == "northern liberation front"


def test_rows_of_an_event_dataset_are_never_one_event_nor_versions_of_a_story():
    """Two ACLED notes of one town and day are two happenings (ACLED coded them apart) and
    their templated texts are no story versions; a news report still links to its row."""
    notes = [_article(f"On 2 March 2031, government jets struck a house in Dravna, killing {n}.", 2,
                      "ACLED notes", f"https://acled.example/{n}") for n in (5, 3)]
    news = _article("Strike on Dravna\n\nAn air strike on a house in Dravna killed 5 people on Sunday.", 2,
                    "Meridian Wire", "https://mw.example/house")
    items = [(a, _strike(a, needle, n)) for a, needle, n in (
        (notes[0], notes[0].text, 5), (notes[1], notes[1].text, 3),
        (news, "An air strike on a house in Dravna killed 5 people on Sunday.", 5))]
    for order in (items, items[::-1]):
        with Ledger.open(":memory:") as led:
            for article, records in order:
                led.add(article, records)
            assert api.revision_chains(led) == []
            clusters = [{a for a, _ in c} for c in api.event_clusters(led) if len(c) > 1]
            assert clusters == [{notes[0].id, news.id}]
