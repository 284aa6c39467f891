"""Roles and statuses read from the text around a name (factledger.nlp.roles): invented sentences."""

import pytest

from factledger.nlp import roles


@pytest.mark.parametrize(
    ("after", "role"),
    [
        (", the group’s top commander at the time, was killed", "group’s top commander at the time"),
        (", who served as the movement’s head of finance, was killed", "movement’s head of finance"),
        (" was one of the last remaining members of the Velor council, where", "last remaining members of the Velor council"),
        (", a senior medic from the ambulance service said, “We", "senior medic from the ambulance service"),
        (" is a resident of Deir Tamra.", "resident of Deir Tamra"),
        (", who was elected deputy head of the bureau in 2017, said", "deputy head of the bureau"),
        (", Hamas said.", None),
        (" said on Friday.", None),
    ],
)
def test_role_after(after, role):
    assert roles.role_after(after) == role


@pytest.mark.parametrize(
    ("before", "role"),
    [
        ("Vandor, the mayor of Vandor, ", "mayor of Vandor"),
        ("According to the army, Haddad’s assistant, ", "Haddad's assistant"),
        ("Officials say they killed Hezbollah’s most senior military official, ", "Hezbollah's most senior military official"),
        ("A former nationalist parliamentarian and professor, ", "former nationalist parliamentarian and professor"),
        ("It came a day after Hamas’ political leader, ", "Hamas's political leader"),
        ("Her father, ", "father"),
        ("Another resident, ", "resident"),
        ("In his speech, ", None),  # a possessive pronoun needs a role noun
        ("In Gaza, ", None),
    ],
)
def test_role_before(before, role):
    assert roles.role_before(before) == role


@pytest.mark.parametrize(
    ("after", "status"),
    [
        (" was killed on Friday", "killed"),
        (", his driver, was also killed in the strike.", "killed"),
        (", 58, died in hospital last week", "killed"),
        (" has been expelled from the party", "expelled"),
        (" was forced to resign in 2018", "resigned"),
        (" and Rami Nasser – who were also sanctioned by the Treasury", "sanctioned"),
        (", who was arrested on Monday, said", "arrested"),
        (" were later released", "released"),
        (" was rescued by troops", "rescued"),
        (" was not killed", None),
        (" killed two soldiers", None),  # the person acts: no status
        (" said the strike killed 3 people", None),
    ],
)
def test_status_after(after, status):
    assert roles.status_after(after) == status


def test_status_nouns_and_negation():
    assert roles.status_noun("The army announced Salama", "’s death last month.") == "killed"
    assert roles.status_noun("They protested the arrest of ", "") == "arrested"
    assert roles.status_noun("The group has not confirmed Salama", "’s death") is None
    assert roles.status_noun("If true, Salama", "’s death would") is None


def test_pronoun_sentences():
    assert roles.pronoun_status("He was sentenced to 18 months in prison in 2017.") == "sentenced"
    assert roles.pronoun_status("She was later released.") == "released"
    assert roles.pronoun_status("He said he was released.") is None
    assert roles.pronoun_role("He was a senior adviser to the group’s leader, and a member") == \
        "senior adviser to the group’s leader"


def test_media_cues():
    from factledger.nlp.media import is_outlet, outlet_mentions

    assert is_outlet("the ", "Northern Herald", " reported")
    assert is_outlet("according to the state newspaper ", "al-Kalima", ".")
    assert is_outlet("the ", "Tarsin", " public broadcaster said")
    assert not is_outlet("the UN agency ", "UNRWA", " said")
    assert not is_outlet("at a ", "Velor", " news conference")
    assert not is_outlet("in ", "Tarsin", " on Monday")
    assert outlet_mentions("said the newspaper al-Kalima. A daily UN briefing") == [(19, 28, "al-Kalima")]


def test_definite_role_of_a_speaker():
    assert roles.definite_role("Haddad noted that the talks had failed, the defence minister continued.") == \
        "defence minister"
    assert roles.definite_role("The minister of finance said the budget would grow.") == "minister of finance"
    assert roles.definite_role("The strike killed 3, the army said.") is None
