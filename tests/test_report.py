"""The Markdown situation report, from a ledger filled with hand-built records."""

from __future__ import annotations

from datetime import date

import pytest

from factledger.outputs.report import REPORT_MIN_CONFIDENCE, build_report, format_quantity
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
)
from factledger.store.sqlite import Ledger


def _ev(article: Article, phrase: str) -> Evidence:
    start = article.text.index(phrase)
    return Evidence(article.id, 0, start, start + len(phrase), phrase)


@pytest.fixture
def ledger(db_target):
    with Ledger.open(db_target) as led:
        a = Article.create(
            "Toll passes 42,000\n\nMore than 42,000 people have been killed, the health ministry said. "
            "About 300 were reportedly wounded. Reports that the group rejected the proposal are incorrect, "
            "a spokesman said. Commander Tarin Vosk was killed in an air strike on Brenna.",
            title="Toll passes 42,000", published=date(2031, 3, 9), source="Meridian Wire",
            url="https://x.example/toll",
        )
        old = Article.create("Strike kills 9\n\nAt least 9 killed.", title="Strike kills 9",
                             published=date(2031, 3, 10), url="https://x.example/strike")
        new = Article.create("Strike kills 17\n\nAt least 17 killed.", title="Strike kills 17",
                             published=date(2031, 3, 10), url="https://x.example/strike")
        killed = _ev(a, "More than 42,000 people have been killed")
        records = [
            Claim("c1", a.id, "killed", Quantity(42000, None, 42000, "more_than", "More than 42,000"), "people",
                  killed, 0.9, source=ActorRef("the health ministry", "Ministry of Health"),
                  as_of=When("2031-03-08", "day")),
            Claim("c2", a.id, "injured", Quantity(300, None, 300, "about", "About 300"), None,
                  _ev(a, "About 300 were reportedly wounded"), 0.8, hedges=("reportedly",)),
            Claim("c3", a.id, "displaced", Quantity(5, None, 5, "exact", "5"), None, killed, 0.2),
            Event("e1", a.id, "Explosions/Remote violence", "Air/drone strike", _ev(a, "killed in an air strike"),
                  0.8, plover={"event": "FIGHT", "mode": "aerial"},
                  location=Place("Brenna", name="Brenna", country="Kestria"), date=When("2031-03-11", "day"),
                  fatalities=Quantity(1, None, 1, "exact", "1"), victims=("Tarin Vosk",),
                  actor1=ActorRef("the army", "Military Forces of Kestria")),
            Entity("p1", a.id, "Tarin Vosk", "PERSON", roles=("commander",),
                   status=({"status": "killed", "date": "2031-03-11"},)),
            Statement("s1", a.id, ActorRef("a spokesman", "NLF"), "denies",
                      "the group rejected the proposal", _ev(a, "Reports that the group"), 0.8),
        ]
        led.add(a, records)
        led.add(old, [Claim("c9", old.id, "killed", Quantity(9, None, 9, "at_least", "At least 9"), None,
                            _ev(old, "At least 9 killed"), 0.9)])
        led.add(new, [Claim("c17", new.id, "killed", Quantity(17, None, 17, "at_least", "At least 17"), None,
                            _ev(new, "At least 17 killed"), 0.9)])
        yield led


def test_report_sections_and_figures(ledger):
    text = build_report(ledger)
    for heading in ("# Situation report", "## Key figures", "## Events by date", "## People killed",
                    "## Denials and confirmations", "## Articles"):
        assert heading in text
    assert "**more than 42,000**" in text
    assert "Ministry of Health" in text and "2031-03-08" in text
    assert "**about 300**" in text and "reportedly" in text
    assert "unattributed" in text
    # Killed figures: newest as-of first.
    assert text.index("at least 17") < text.index("more than 42,000")


def test_low_confidence_claims_are_left_out_by_default(ledger):
    assert "Displaced" not in build_report(ledger)
    assert "Displaced" in build_report(ledger, min_confidence=0.0)
    assert REPORT_MIN_CONFIDENCE == 0.5


def test_superseded_revision_is_left_out_but_listed(ledger):
    text = build_report(ledger)
    assert "at least 9**" not in text
    assert "**at least 17**" in text
    assert "superseded by" in text and "(revises" in text
    assert "1 earlier revision superseded" in text


def test_events_people_and_statements(ledger):
    text = build_report(ledger)
    assert "### 2031-03-11" in text
    assert "**Air/drone strike** (Explosions/Remote violence) in Brenna, Kestria" in text
    assert "Military Forces of Kestria" in text
    assert "- **Tarin Vosk**, commander — 2031-03-11" in text
    assert "### Denials" in text and "**NLF** denies: “the group rejected the proposal”" in text


def test_empty_ledger():
    with Ledger.open(":memory:") as led:
        text = build_report(led)
    assert "Built from 0 articles" in text and "factledger ingest" in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"low": 42000, "high": None, "best": 42000, "qualifier": "more_than"}, "more than 42,000"),
        ({"low": 12, "high": 15, "best": 13.5, "qualifier": "range"}, "12–15"),
        ({"low": None, "high": None, "best": None, "qualifier": "about", "vague": "dozens"}, "dozens"),
        ({"low": 5, "high": 5, "best": 5, "qualifier": "exact"}, "5"),
        ({"low": None, "high": 30, "best": 30, "qualifier": "fewer_than"}, "fewer than 30"),
    ],
)
def test_format_quantity(value, expected):
    assert format_quantity(value) == expected


def test_report_lists_acled_events_and_only_people_as_killed():
    with Ledger.open(":memory:") as led:
        a = Article.create("Talks resume\n\nThe envoy met the Red Cross. Rami Tal was killed; the Red Cross said so.",
                           title="Talks resume", published=date(2031, 3, 9))
        ev = _ev(a, "The envoy met the Red Cross")
        led.add(a, [
            Event("e1", a.id, "Non-ACLED", "Diplomacy", ev, 0.8, plover={"event": "CONSULT", "mode": None}),
            Event("e2", a.id, "Violence against civilians", "Attack", _ev(a, "Rami Tal was killed"), 0.8,
                  fatalities=Quantity(1, 1, 1, "exact", "1"), victims=("Rami Tal", "Red Cross")),
            Entity("p1", a.id, "Rami Tal", "PERSON", status=({"status": "killed", "date": None},)),
            Entity("o1", a.id, "Red Cross", "ORG", status=({"status": "killed", "date": None},)),
        ])
        text = build_report(led)
    events = text[text.index("## Events by date"):text.index("## People killed")]
    killed = text[text.index("## People killed"):text.index("## Denials")]
    assert "**Attack**" in events and "**Diplomacy**" not in events and "1 other interaction" in events
    assert "**Rami Tal**" in killed and "Red Cross" not in killed
