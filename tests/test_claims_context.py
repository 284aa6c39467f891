"""Who asserts a figure, when it holds, its caveats and its modality, on hand-written
sentences (invented names and numbers; the shapes of issue 4, points 3-5 and 7)."""

from __future__ import annotations

from datetime import date

import pytest

from factledger.records import Claim, Event


@pytest.fixture(scope="module")
def run(extractor):
    def _run(text: str, published: date | None = date(2031, 3, 8)) -> list:
        return extractor.extract(_article(text, published))

    return _run


def _article(text, published):
    from factledger.records import Article

    return Article.create(text, title=None, published=published)


def _claim(records, metric, best):
    found = [r for r in records if isinstance(r, Claim) and r.metric == metric
             and (r.value.best if r.value.best is not None else r.value.low) == best]
    assert found, f"no {metric} {best}: {[(r.metric, r.value.best, r.value.low) for r in records if isinstance(r, Claim)]}"
    return found[0]


# ------------------------------------------------------------------ attribution (point 3)

@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("At least 40 people were killed, according to the Dravna health ministry.", "Dravna health ministry"),
        ("The Kestrian army said 16 fighters were killed in the clashes.", "Kestrian army"),
        ("Rescuers told reporters that 12 people were injured.", "Rescuers"),
        ("The civil defence announced that 30 bodies had been recovered from the rubble.", "civil defence"),
        ("The Vosk-run health ministry says 2,100 people have been killed since May.", "Vosk-run health ministry"),
        ("The agency's figures show 5,000 people have been displaced.", "agency"),
    ],
)
def test_the_source_in_the_sentence(run, text, source):
    claims = [r for r in run(text) if isinstance(r, Claim)]
    assert claims and claims[0].source is not None
    assert source.lower() in claims[0].source.text.lower(), claims[0].source


def test_a_reporting_clause_at_the_end_of_the_paragraph_covers_its_sentences(run):
    records = run("Nine people were killed in the first strike. Another 14 were injured in the second, "
                  "the officials said.")
    assert _claim(records, "injured", 14).source.text.lower().endswith("officials")


def test_a_quote_is_its_speaker_s_figure(run):
    records = run("\u201cMore than 60 people were killed in one night,\u201d the mayor said.")
    assert "mayor" in _claim(records, "killed", 60).source.text


def test_no_source_is_the_outlet(run):
    assert _claim(run("The strike killed 11 people in Selvara."), "killed", 11).source is None


# ------------------------------------------------------------------ scope and time (point 4)

def test_a_running_total_since_a_date_is_as_of_publication(run):
    c = _claim(run("At least 2,300 people have been killed since October 7, the ministry said."), "killed", 2300)
    assert c.scope == "cumulative"
    assert c.as_of is not None and c.as_of.date == "2031-03-08"


def test_as_of_a_month_and_by_a_weekday(run):
    c = _claim(run("Some 17,000 fighters had been killed as of August, the army says."), "killed", 17000)
    assert c.as_of is not None and c.as_of.date.startswith("2030-08") and c.as_of.precision == "month"
    c = _claim(run("By Friday, 45 people had been evacuated from the town."), "evacuated", 45)
    assert c.as_of is not None and c.as_of.date == "2031-03-07"


def test_a_period_figure(run):
    c = _claim(run("In the past 24 hours, 38 people were killed across the territory, the ministry said."),
               "killed", 38)
    assert c.scope in ("period", "cumulative") and c.scope is not None


def test_a_single_event_figure_links_to_its_event(run):
    records = run("An air strike on a house in Selvara killed seven people on Friday, witnesses said.")
    c = _claim(records, "killed", 7)
    events = {r.id for r in records if isinstance(r, Event)}
    assert c.event_id in events and c.scope == "event"


# ------------------------------------------------------------------ caveats and modality (point 5)

@pytest.mark.parametrize(
    ("text", "metric", "value", "hedge"),
    [
        ("The ministry says 900 people have been killed. It does not differentiate between civilians and fighters.",
         "killed", 900, "does_not_differentiate"),
        ("The ministry says 900 people have been killed. This toll cannot be verified.",
         "killed", 900, "cannot_be_verified"),
        ("Nearly 300 soldiers are believed to have been killed.", "killed", 300, "believed"),
        ("Militants reportedly killed 14 villagers.", "killed", 14, "reportedly"),
        ("Eight hostages are presumed dead.", "hostages_dead", 8, "presumed"),
    ],
)
def test_hedges(run, text, metric, value, hedge):
    assert hedge in _claim(run(text), metric, value).hedges


def test_a_proposal_s_figures_are_proposed(run):
    records = run("Under the proposal, the rebels would release four hostages and the government would free "
                  "about 100 prisoners during a 12-day truce.")
    assert _claim(records, "hostages_released", 4).modality == "proposed"
    assert _claim(records, "prisoners_released", 100).modality == "proposed"


def test_negated_figures_are_zero_claims(run):
    c = _claim(run("No casualties were reported after the drone hit the depot."), "killed", 0)
    assert c.value.qualifier == "exact"


# ------------------------------------------------------------------ confidence (point 7)

def test_every_claim_has_a_calibrated_confidence(run):
    records = run("At least 40 people were killed, according to the ministry. Dozens were hurt, it said.")
    confident = _claim(records, "killed", 40).confidence
    vague = _claim(records, "injured", 12).confidence
    assert 0 < vague < confident <= 1


def test_a_second_verb_shares_the_first_one_s_hedge(run):
    records = run("A strike on February 14 reportedly killed 90 people and injured 300 more.")
    assert _claim(records, "injured", 300).modality == "reported"
    assert "reportedly" in _claim(records, "injured", 300).hedges


def test_according_to_figures_by_an_authority_is_that_authority(run):
    records = run("Attacks have killed more than 3,900 people, according to figures by the Dravna health ministry.")
    assert "ministry" in _claim(records, "killed", 3900).source.text


@pytest.mark.parametrize(
    ("text", "metric", "value", "modality"),
    [
        ("The army will release 40 prisoners next week.", "prisoners_released", 40, "future"),
        ("If the talks fail, thousands of people could be displaced.", "displaced", 1000, "hypothetical"),
        ("The ministry denied that 30 people were killed in the raid.", "killed", 30, "denied"),
    ],
)
def test_future_hypothetical_and_denied_figures_are_kept_and_marked(run, text, metric, value, modality):
    assert _claim(run(text), metric, value).modality == modality
