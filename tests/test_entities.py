"""Entities: canonical names, the EntityRuler, and article-level entities."""

from datetime import date

import pytest

from conftest import shared_path
from factledger.errors import RulesError
from factledger.nlp.aliases import same_person
from factledger.nlp.entities import canonical, load_rules
from factledger.records import Article, Entity


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Gaza's health authorities", "Gaza Health Ministry"),
        ("the Hamas-run Gaza health ministry", "Gaza Health Ministry"),
        ("the Gaza Health Ministry", "Gaza Health Ministry"),
        ("Palestinian Ministry of Health in Gaza", "Gaza Health Ministry"),
        ("the IDF", "Israel Defense Forces"),
        ("the Israeli military", "Israel Defense Forces"),
        ("the military", "Israel Defense Forces"),
        ("Izz ad-Din al-Qassam Brigades", "Al-Qassam Brigades"),
        ("Kan public broadcaster", "Kan"),
        ("Türkiye", "Turkey"),
        ("Turkey", "Turkey"),
    ],
)
def test_canonical(text, name):
    assert canonical(text) == name


def test_canonical_unknown():
    assert canonical("the neighbourhood bakery") is None


def test_invalid_rules_raise():
    with pytest.raises(RulesError, match="kind"):
        load_rules(['{"name": "X", "kind": "BAND", "aliases": []}'])
    with pytest.raises(RulesError, match="unknown fields"):
        load_rules(['{"name": "X", "kind": "ORG", "aliases": [], "colour": "red"}'])


def test_same_person():
    assert same_person("Izz al-Din Kassab", "Kasab")
    assert same_person("Saleh al-Arouri", "al-Arouri")
    assert same_person("Saleh al-Arouri", "Arouri")
    assert not same_person("Saleh al-Arouri", "Ismail Haniyeh")
    assert same_person("Marek Nowicki-Zalewski", "Nowicki-Zalewski")  # a compound surname
    assert same_person("Henry VIII", "Henry")
    assert not same_person("Marek Nowicki-Zalewski", "Anna Zalewski")


@pytest.fixture(scope="module")
def nlp():
    from factledger.nlp.pipeline import build_nlp

    return build_nlp()


def test_ruler_labels(nlp):
    doc = nlp("Troops entered Khan Younis, the Shin Bet and Channel 12 said, as Hezbollah fired at Kiryat Shmona.")
    ents = {e.text: (e.label_, e.ent_id_) for e in doc.ents}
    assert ents["Khan Younis"][0] == "GPE"
    assert ents["Shin Bet"] == ("ORG", "Shin Bet")
    assert ents["Channel 12"] == ("ORG", "Channel 12")
    assert ents["Hezbollah"][0] == "ORG"


def _entities(nlp, text, published=date(2024, 3, 8)):
    from factledger.nlp.entities import find_entities
    from factledger.nlp.pipeline import Extractor

    ex = Extractor(nlp=nlp)
    ctx = ex.context(Article.create(text, published=published))
    return {e.name: e for e in find_entities(ctx)}


def test_people_roles_aliases_status(nlp):
    text = (
        "Senior Hamas official Omar Haddad was killed on Tuesday in an airstrike in Rafah, the IDF said.\n"
        "Haddad, who served as head of the group's finance office, had survived 2 earlier strikes.\n"
        "The strike also killed Haddad's driver, Sami Nour, according to the Gaza Health Ministry.\n"
        "US Secretary of State Antony Blinken said 3 teams would meet.\n"
    )
    ents = _entities(nlp, text)
    haddad = ents["Omar Haddad"]
    assert haddad.kind == "PERSON"
    assert "Haddad" in haddad.aliases
    assert any("Senior Hamas official" in r for r in haddad.roles)
    assert any("head of the group's finance office" in r for r in haddad.roles)
    assert haddad.status and haddad.status[0]["status"] == "killed"
    assert haddad.status[0]["date"] == "2024-03-05"
    assert any("driver" in r for r in ents["Sami Nour"].roles)
    assert "US Secretary of State" in ents["Antony Blinken"].roles
    assert ents["Israel Defense Forces"].kind == "ORG"
    assert ents["Rafah"].place.country == "Palestine"
    assert all(isinstance(e, Entity) for e in ents.values())


def test_mossad_chief_title_is_stripped(nlp):
    ents = _entities(nlp, "Mossad chief David Barnea met 3 mediators in Doha on Friday.\n")
    assert "David Barnea" in ents
    assert "Mossad chief" in ents["David Barnea"].roles


@pytest.fixture(scope="module")
def seed_entities(nlp):
    from factledger.ingest.readers import read_path
    from factledger.nlp.entities import find_entities
    from factledger.nlp.pipeline import Extractor

    ex = Extractor(nlp=nlp)
    out = {}
    for name in ("000_25c9c99f66e4d546.txt", "003_3e29466ed914d5cb.txt"):
        (item,) = list(read_path(shared_path("seeds", name)))
        out[name] = {e.name: e for e in find_entities(ex.context(item.article))}
    return out


@pytest.mark.shared
def test_seed_kassab(seed_entities):
    ents = seed_entities["000_25c9c99f66e4d546.txt"]
    kassab = ents["Izz al-Din Kassab"]
    assert {"Kassab", "Kasab"} <= set(kassab.aliases)
    assert any("head of national relations" in r for r in kassab.roles)
    assert ents["Ayman Ayesh"].kind == "PERSON"
    assert any("assistant" in r for r in ents["Ayman Ayesh"].roles)
    assert ents["Khan Younis"].place.country == "Palestine"
    assert ents["Khan Younis"].place.precision in (1, 2)
    assert ents["Shin Bet"].kind == "ORG"
    assert ents["Kan"].kind == "MEDIA"


@pytest.mark.shared
def test_seed_arouri(seed_entities):
    ents = seed_entities["003_3e29466ed914d5cb.txt"]
    arouri = ents["Saleh al-Arouri"]
    assert {"Arouri"} <= set(arouri.aliases)
    assert any(a.lower() == "al-arouri" for a in arouri.aliases)
    assert any("deputy head of the Hamas politburo" in r for r in arouri.roles)
    assert ents["Beirut"].place.country == "Lebanon"


def test_mentions_cover_every_name_without_the_titles_or_possessive(nlp):
    text = (
        "Senior Hamas official Omar Haddad was killed in Rafah, the IDF said.\n"
        "Haddad's driver was also killed, and the United States condemned the strike.\n"
        "The European Union and the Israeli government did not comment.\n"
    )
    ents = _entities(nlp, text)
    spans = {name: [text[s:e] for s, e in e.mentions] for name, e in ents.items()}
    assert spans["Omar Haddad"] == ["Omar Haddad", "Haddad"]
    assert spans["Israel Defense Forces"] == ["IDF"]
    us = next(e for e in ents.values() if "United States" in e.name or "United States" in e.aliases)
    assert [text[s:e] for s, e in us.mentions] == ["United States"]  # "the" left out
    assert "European Union" in {text[s:e] for e in ents.values() for s, e in e.mentions}
    gov = next(e for e in ents.values() if e.kind == "ORG" and "Israeli government" in {e.name, *e.aliases})
    assert [text[s:e] for s, e in gov.mentions] == ["Israeli government"]


def test_title_words_and_adjectives_are_no_entities(nlp):
    text = "US Secretary of State Antony Blinken met Polish Defense Minister Kosiniak-Kamysz as Ukrainian troops withdrew.\n"
    ents = _entities(nlp, text)
    assert "State" not in ents and "Defense" not in ents and "Ukrainian" not in ents


def test_titles_in_a_capitalised_run_and_byline_contributors_are_roles(nlp):
    text = (
        "Kestrian Finance Minister Daro Velk said the budget would grow.\n"
        "He spoke after the vote, which Defense Minister Ilan Sorel attended.\n"
        "CNN’s Mara Quint, Tobias J. Ferran and Lena Ostrova contributed to this report.\n"
    )
    ents = _entities(nlp, text)
    assert "Kestrian Finance Minister" in ents["Daro Velk"].roles
    assert "Defense Minister" in ents["Ilan Sorel"].roles
    for name in ("Mara Quint", "Tobias J. Ferran", "Lena Ostrova"):
        assert "CNN contributor" in ents[name].roles, (name, ents.get(name))


def test_legal_statuses(nlp):
    text = ("The Treasury sanctioned Omar Haddad in 2018.\n"
            "A court convicted former sergeant John Miller of manslaughter on Monday.\n")
    ents = _entities(nlp, text)
    assert any(s["status"] == "sanctioned" for s in ents["Omar Haddad"].status)
    assert any(s["status"] == "convicted" for s in ents["John Miller"].status)


def test_roles_and_statuses_from_appositions_clauses_and_pronouns(nlp):
    text = (
        "According to the army, Haddad's bodyguard, Karim Soufan, was also killed in the strike.\n"
        "Senior Velor official Omar Haddad was killed on Tuesday, the IDF and the Shin Bet announced.\n"
        "Haddad was one of the founding members of the Velor council.\n"
        "The mayor of Tarsin, Lina Morcos, said the town was shelled.\n"
        "Nabil Azar, 58, died in hospital on Wednesday.\n"
        "Colonel Dan Ravid was charged with manslaughter in 2016.\n"
        "He was sentenced to 18 months in prison in 2017.\n"
    )
    ents = _entities(nlp, text)
    soufan = ents["Karim Soufan"]
    assert any(r.startswith("Haddad's bodyguard") for r in soufan.roles)
    assert [(s["status"], s["source"]) for s in soufan.status] == [("killed", "Israel Defense Forces")]
    haddad = ents["Omar Haddad"]
    assert any("members of the Velor council" in r for r in haddad.roles)
    (killed,) = haddad.status
    assert killed["date"] == "2024-03-05" and killed["source"] == "Israel Defense Forces and Shin Bet"
    assert "mayor of Tarsin" in ents["Lina Morcos"].roles
    assert [(s["status"], s["date"]) for s in ents["Nabil Azar"].status] == [("killed", "2024-03-06")]
    assert {s["status"] for s in ents["Dan Ravid"].status} == {"charged", "sentenced"}
    assert not ents["Lina Morcos"].status


def test_outlets_are_media_with_the_name_as_span(nlp):
    text = (
        "The Northern Herald reported that 4 people were killed in Tarsin on Monday.\n"
        "The strike hit a car on the coastal road, according to the state newspaper al-Kalima.\n"
        "Meanwhile, the Kan public broadcaster said talks had stalled, and Channel 12 news agreed.\n"
    )
    ents = _entities(nlp, text)
    spans = {e.name: (e.kind, [text[s:t] for s, t in e.mentions]) for e in ents.values()}
    assert spans["Northern Herald"] == ("MEDIA", ["Northern Herald"])
    assert spans["al-Kalima"] == ("MEDIA", ["al-Kalima"])
    assert spans["Kan"] == ("MEDIA", ["Kan"])
    assert spans["Channel 12"] == ("MEDIA", ["Channel 12"])
    assert spans["Tarsin"][0] in ("GPE", "LOC")


def test_leader_governments_are_organisations(nlp):
    text = ("The Obama administration imposed sanctions on the group, John Miller said.\n"
            "John Miller later met officials of the Netanyahu government.\n")
    ents = _entities(nlp, text)
    assert ents["Obama administration"].kind == "ORG"
    assert ents["Netanyahu government"].kind == "ORG"
    assert [text[s:e] for s, e in ents["Netanyahu government"].mentions] == ["Netanyahu government"]
    assert "Obama" not in ents and "Netanyahu" not in ents


def test_acronyms_join_their_organisation(nlp):
    text = ("The Velor Relief Committee (VRC) said 4 people were injured in Tarsin.\n"
            "A VRC spokesperson said the clinic had closed.\n")
    ents = _entities(nlp, text)
    vrc = ents["Velor Relief Committee"]
    assert "VRC" in vrc.aliases and "VRC" not in ents
    assert sorted(text[s:e] for s, e in vrc.mentions) == ["VRC", "VRC", "Velor Relief Committee"]


def test_towns_tagged_as_organisations_or_people_are_places(nlp):
    from spacy.tokens import Span

    from factledger.nlp.entities import _misfiled_place

    doc = nlp.make_doc("Troops advanced on Beirut as Beirut officials met Hamas.")
    doc.ents = [Span(doc, 3, 4, label="PERSON"), Span(doc, 5, 6, label="ORG"), Span(doc, 8, 9, label="ORG")]
    on_beirut, beirut_org, hamas = doc.ents
    assert _misfiled_place(doc, on_beirut).label_ == "GPE"  # after "on"
    assert _misfiled_place(doc, beirut_org).label_ == "GPE"
    assert _misfiled_place(doc, hamas) is None  # a known organisation
    doc2 = nlp.make_doc("Beirut said no.")
    doc2.ents = [Span(doc2, 0, 1, label="PERSON")]
    assert _misfiled_place(doc2, doc2.ents[0]) is None  # a person without a locative cue stays


def test_a_speaker_named_by_role_later_in_the_sentence(nlp):
    text = ("Omar Haddad noted that the talks had failed, the finance minister continued.\n"
            "The army killed Sami Nour in Rafah, the spokesman said.\n"
            "Lina Morcos said the road was closed.\n"
            "\"We will reopen it,\" the mayor of Tarsin added.\n")
    ents = _entities(nlp, text)
    assert "finance minister" in ents["Omar Haddad"].roles
    assert "mayor of Tarsin" in ents["Lina Morcos"].roles
    assert "spokesman" not in ents["Sami Nour"].roles  # not the speaker
