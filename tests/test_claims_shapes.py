"""Figure claims on hand-written sentences of the shapes wire reports use (always run).

The names, places and numbers are invented; the shapes are those of the seeds: a toll
with its source and caveat, several figures with their own qualifiers and sources in one
sentence, hostage counts, a total and its part.
"""

from __future__ import annotations

from datetime import date

import pytest

from factledger.records import Article, Claim, Event


@pytest.fixture(scope="module")
def run(extractor):
    def _run(text: str) -> list:
        return extractor.extract(Article.create(text, title=None, published=date(2031, 3, 8)))

    return _run


def _claim(records, metric, best):
    found = [r for r in records if isinstance(r, Claim) and r.metric == metric and r.value.best == best]
    assert found, f"no {metric} claim of {best}: {[(r.metric, r.value.best) for r in records if isinstance(r, Claim)]}"
    return found[0]


def test_a_toll_with_its_source_and_the_caveat_of_the_next_sentence(run):
    records = run(
        "Ministry says toll tops 31,000\n"
        "More than 31,000 people have been killed in Dravna since the war began, the Kestrian health "
        "ministry says. This toll cannot be verified independently."
    )
    c = _claim(records, "killed", 31000)
    assert c.value.qualifier == "more_than" and c.subject == "people"
    assert c.source is not None and c.source.text == "Kestrian health ministry"
    assert "cannot_be_verified" in c.hedges
    assert c.evidence.text in records[0].text


def test_each_figure_keeps_its_own_qualifier_and_source(run):
    records = run(
        "At least 12,400 Kestrians have since been killed and 40,210 others injured, mostly children and "
        "women, according to Kestria's health authorities, while nearly 900 soldiers are believed to have "
        "been killed in the offensive."
    )
    killed = _claim(records, "killed", 12400)
    injured = _claim(records, "injured", 40210)
    soldiers = _claim(records, "killed", 900)
    assert killed.value.qualifier == "at_least" and injured.value.qualifier == "exact"
    assert killed.source.text == injured.source.text == "Kestria's health authorities"
    assert soldiers.value.qualifier == "nearly" and soldiers.subject == "soldiers"
    assert soldiers.source is None  # across "while ...": not the health authorities' figure
    assert "believed" in soldiers.hedges


def test_hostage_counts(run):
    records = run(
        "Rebels seized 180 hostages in the raid. Some 70 hostages were released in a truce in May. "
        "Five hostages have been rescued alive by troops, and the bodies of 19 hostages have been recovered."
    )
    assert _claim(records, "hostages_taken", 180).value.qualifier == "exact"
    assert _claim(records, "hostages_released", 70).value.qualifier == "about"
    assert _claim(records, "hostages_rescued", 5)
    assert _claim(records, "bodies_recovered", 19)


def test_said_and_told_give_the_source(run):
    records = run(
        "A drone strike on an office in Selvara killed at least four people, officials told reporters.\n"
        "The army said 16 fighters were killed in the clashes."
    )
    assert _claim(records, "killed", 4).source.text == "officials"
    fighters = _claim(records, "killed", 16)
    assert fighters.source.text == "army" or fighters.source.text == "The army"


def test_an_air_strike_with_named_victims(run):
    records = run("Militia commander Tarin Vosk was killed Friday in an air strike, the army announced.")
    [strike] = [r for r in records if isinstance(r, Event) and r.sub_event_type == "Air/drone strike"]
    assert strike.event_type == "Explosions/Remote violence"
    assert "Tarin Vosk" in strike.victims
    assert strike.date is not None and strike.date.date == "2031-03-07" and strike.date.precision == "day"


def test_units_and_labels_are_not_people(run):
    records = run("The army said it had dismantled 12 battalions, and Channel 12 reported 3 soldiers were wounded.")
    claims = [r for r in records if isinstance(r, Claim)]
    assert all(c.value.best != 12 for c in claims)
    assert _claim(records, "injured", 3)


def _metrics(records) -> set[tuple[str, float | None]]:
    return {(r.metric, r.value.best if r.value.best is not None else r.value.low)
            for r in records if isinstance(r, Claim)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare number as the object of a casualty verb (the NER may call it a DATE)
        ("Strikes on the port hit oil tanks, killing at least three people and injuring 87, the TV channel said.", ("injured", 87)),
        ("The strike killed 40 people and injured 300 more.", ("injured", 300)),
        ("The ministry recorded the wounding of more than 700 others since May.", ("injured", 700)),
        # a participle parsed as the verb; an object that is the metric; lives claimed
        ("At least 15 people have died and more than 195 are missing after the boat capsized.", ("missing", 195)),
        ("Four people sustained shrapnel wounds, the rescue service said.", ("injured", 4)),
        ("The landslide claimed 298 lives.", ("killed", 298)),
        ("A second slide claimed the lives of 12 people helping the rescue.", ("killed", 12)),
        ("At least four Kestrians were among the dead, the ministry said.", ("killed", 4)),
        ("At least one police officer was among those killed in the attack.", ("killed", 1)),
        ("Five people are in critical condition, a spokesperson said.", ("injured", 5)),
        ("Two volunteers were taken to hospital with fractures, their group said.", ("injured", 2)),
        # a later verb of the same subject, and an elided passive
        ("Three gunmen were identified and were killed during the exchange, police said.", ("killed", 3)),
        ("At least 900 people were killed and more than 150 others abducted.", ("hostages_taken", 150)),
        # parts: "N of whom", "N of those killed"
        ("A further 29 people were injured, six of whom were in a serious condition.", ("injured", 6)),
        ("Five of those killed were residents of the home, the police chief said.", ("killed", 5)),
        # fused outcomes, and the first outcome of two verbs sharing an object
        ("The flood left 30 people dead or missing, officials said.", ("dead_or_missing", 30)),
        ("The army said it had killed or captured more than 1,400 fighters.", ("killed_or_detained", 1400)),
        ("Landslides killed and displaced dozens of people.", ("killed", 12)),
        # non-hostage rescue; refuge; fighters present
        ("The coastguard has rescued 120 people since the boat capsized, according to the agency.", ("rescued", 120)),
        ("Chinese state media reported that one person was rescued.", ("rescued", 1)),
        ("Hundreds were taking refuge at the school when it was struck.", ("displaced", 100)),
        ("Some 3,000 gunmen crossed the border at dawn.", ("combatants", 3000)),
        # people otherwise harmed: disease, risk, hunger, need
        ("Infectious diseases had affected some 1.7 million people, the ministry said.", ("affected", 1700000)),
        ("The outbreak put thousands of residents at risk, the agency said.", ("affected", 1000)),
        ("About 1.1 million people face catastrophic hunger, the agency said.", ("affected", 1100000)),
        ("The agency said it could not reach 500,000 people in need of aid.", ("affected", 500000)),
    ],
)
def test_more_shapes_of_figures(run, text, expected):
    assert expected in _metrics(run(text))


@pytest.mark.parametrize(
    "text",
    [
        "Officials said the toll came from two separate strikes.",  # strikes are not people
        "Many people remained missing after the storm.",  # "many" is no figure
        "Two soldiers said the road was closed.",  # speakers, not a count of combatants
        "The bombing affected three buildings.",  # things, not people
    ],
)
def test_not_figures(run, text):
    assert not _metrics(run(text)), _metrics(run(text))


def test_a_part_takes_its_own_predicate_and_the_hostage_context(run):
    records = run("There are eight citizens believed to be still captive in Dravna, three of whom have been "
                  "confirmed dead.")
    assert {("hostages_held", 8), ("hostages_dead", 3)} <= _metrics(records)


@pytest.mark.parametrize(
    ("text", "metric", "as_of"),
    [
        # the figure is the toll of an event whose date is stated on the event, not in the clause
        ("The town came under attacks, including a strike on February 14 which killed 9 people.", "killed", "2031-02-14"),
        ("The war followed the militia's October 7 raid that killed 120 people.", "killed", "2030-10-07"),
        ("In April 2029, a bus crashed in the hills, leaving 20 people dead and 14 injured.", "injured", "2029-04-01"),
        ("In May 2028, 45 people were killed in twin landslides.", "killed", "2028-05-01"),
    ],
)
def test_as_of_is_the_date_of_the_event_the_figure_counts(run, text, metric, as_of):
    c = next(r for r in run(text) if isinstance(r, Claim) and r.metric == metric)
    assert c.as_of is not None and c.as_of.date == as_of


def test_a_share_of_a_population_is_a_percent_claim(run):
    records = run("More than 70 percent of those killed were women and children, the ministry said. "
                  "Nearly 60 per cent of the town's buildings have been destroyed.")
    shares = [r for r in records if isinstance(r, Claim) and r.unit == "percent"]
    assert [(c.metric, c.value.low, c.value.qualifier, c.subject) for c in shares] == [
        ("killed", 70, "more_than", "women")]
    assert all(r.unit == "count" for r in records if isinstance(r, Claim) and r not in shares)
