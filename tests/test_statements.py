"""Statements about statements on hand-written sentences (always run), and the seeds."""

from __future__ import annotations

from datetime import date

import pytest

from factledger.errors import RulesError
from factledger.nlp.statements import validate_rules
from factledger.records import Article, Statement


@pytest.fixture(scope="module")
def statements(extractor):
    def _run(text: str) -> list[Statement]:
        records = extractor.extract(Article.create(text, title=None, published=date(2031, 3, 8)))
        return [r for r in records if isinstance(r, Statement)]

    return _run


def _one(found, stance):
    chosen = [s for s in found if s.stance == stance]
    assert chosen, f"no {stance}: {[(s.stance, s.proposition) for s in found]}"
    return chosen[0]


def test_a_denied_report_is_a_denial_by_whoever_told_it_not_a_rejection(statements):
    found = statements(
        "The radio said envoy Lara Venn told the families on Friday that reports that the NLF rejected "
        "a recent Ostovan proposal for a 30-day truce are incorrect."
    )
    denial = _one(found, "denies")
    assert denial.speaker is not None and "Lara Venn" in denial.speaker.text
    assert denial.proposition.startswith("the NLF rejected a recent Ostovan proposal")
    assert not [s for s in found if s.stance == "rejects"]  # the rejection is what is denied


def test_confirmation_with_its_figure(statements):
    found = statements("The NLF confirmed that its commander and two aides were killed in the strike, which left 6 dead.")
    confirm = _one(found, "confirms")
    assert confirm.speaker.text == "NLF"
    assert "its commander and two aides were killed" in confirm.proposition


def test_suspension_and_pronoun_speaker(statements):
    found = statements(
        "The NLF has frozen talks about a ceasefire with the government. "
        "The ministry recalled that it had previously denied claims that troops were withdrawing."
    )
    assert _one(found, "suspends").speaker.text == "NLF"
    denial = _one(found, "denies")
    assert denial.speaker.text == "ministry" and "troops were withdrawing" in denial.proposition


def test_negated_stance_is_kept_as_such(statements):
    found = statements("The army did not deny that its jets struck the hospital.")
    assert _one(found, "not_denies").speaker.text == "army"


def test_assertion_only_when_it_carries_a_fact(statements):
    found = statements(
        "At least 40 people were killed, the health ministry said. The minister said the weather was fine."
    )
    assertions = [s for s in found if s.stance == "asserts"]
    assert len(assertions) == 1
    assert assertions[0].speaker.text == "health ministry" and assertions[0].target_id is not None


def test_rules_are_validated():
    with pytest.raises(RulesError, match="statements.json"):
        validate_rules({"verbs": {}})


@pytest.mark.shared
def test_seed_denial_by_the_mossad_chief(seed_records):
    found = [r for r in seed_records["000_25c9c99f66e4d546.txt"] if isinstance(r, Statement)]
    denial = _one(found, "denies")
    assert "Barnea" in denial.speaker.text
    assert "Hamas rejected a recent Egyptian proposal" in denial.proposition
