"""Scorers on hand-made records and rows (no spaCy, no shared data)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from factledger.evaluate import acled, acled_lebanon, case2021, claims, plover, seeds
from factledger.evaluate.data import (
    AcledRow,
    CaseRow,
    GoldAsOf,
    LebanonRow,
    PloverRow,
    parse_acled_date,
    parse_gold_claim,
    sample,
)
from factledger.evaluate.normalise import actor_key, place_matches
from factledger.evaluate.predict import Predictions, acled_fatalities, primary_event
from factledger.evaluate.run import evaluate
from factledger.records import ActorRef, Claim, Entity, Event, Evidence, Place, Quantity, Statement, When

EV = Evidence("art_x", 0, 0, 10, "text")


def event(**kw) -> Event:
    base = dict(id="ev", article_id="art_x", event_type="Explosions/Remote violence",
                sub_event_type="Air/drone strike", evidence=EV, confidence=1.0)
    return Event(**{**base, **kw})


def q(low, high=None, qualifier="exact", vague=None, text="") -> Quantity:
    return Quantity(low, high if high is not None else low, low, qualifier, text, vague)


# ------------------------------------------------------------------ data helpers

@pytest.mark.parametrize("text,expected", [
    ("6-Jun-25", date(2025, 6, 6)), ("26 July 2024", date(2024, 7, 26)), ("2023-10-07", date(2023, 10, 7)),
])
def test_parse_acled_date(text, expected):
    assert parse_acled_date(text) == expected


def test_parse_acled_date_rejects_garbage():
    from factledger.errors import InputError

    with pytest.raises(InputError, match="unreadable ACLED date"):
        parse_acled_date("yesterday")


def test_sample_is_even_and_deterministic():
    assert sample(list(range(10)), 5) == [0, 2, 4, 6, 8]
    assert sample([1, 2], None) == [1, 2]
    assert sample([1, 2], 5) == [1, 2]


def test_primary_event_and_acled_fatalities():
    a, b = event(id="a"), event(id="b", primary=True)
    assert primary_event([a, b]) is b
    assert primary_event([a]) is a
    assert primary_event([]) is None and primary_event(None) is None
    assert acled_fatalities(None) == 0
    assert acled_fatalities(q(5, 7, "range")) == 5
    assert acled_fatalities(Quantity(None, None, None, "about", "dozens", "dozens")) == 3


# ------------------------------------------------------------------ ACLED

@pytest.mark.parametrize("note,remark", [
    ("On 1 May 2024, Israeli warplanes struck Gaza - Sabra, killing 4 people.", False),
    ("... killing and injuring people [unspecified number of fatalities coded to 3].", True),
    ("... leaving an unspecified number of fatalities.", True),
    ("... killing 8 people. Fatalities coded as at least 8.", True),
    ("... [Palestinian Ministry of Health reported 27131 fatalities upto 1 February 2024.]", True),
    ("... targeted an Israeli tank [Merkava 4], casualties unknown.", False),
])
def test_clean_subset_detection(note, remark):
    assert acled.has_coding_remark(note) is remark


def test_place_and_actor_normalisation():
    assert place_matches(["Sabra"], "Gaza - Sabra")
    assert place_matches(["al-Shati camp"], "Gaza - Ash Shati' Camp")
    assert place_matches(["Tel al-Hawa"], "Gaza - Tal el Hawa")
    assert place_matches(["Gaza City"], "Gaza")
    assert not place_matches(["Shujaiyya"], "Gaza - Sabra")
    assert actor_key("Military Forces of Israel (2022-)") == actor_key("military forces of  Israel")
    assert actor_key("Civilians (Palestine)") != actor_key("Civilians")


def acled_row(**kw) -> AcledRow:
    base = dict(id="PSE1", event_date=date(2024, 5, 1), event_type="Explosions/Remote violence",
                sub_event_type="Air/drone strike", actor1="Military Forces of Israel (2022-)",
                actor2="Civilians (Palestine)", location="Gaza - Sabra", latitude=31.4950, longitude=34.4520,
                geo_precision=1, fatalities=4, notes="On 1 May 2024, Israeli warplanes struck Sabra, killing 4.")
    return AcledRow(**{**base, **kw})


def test_acled_score_perfect_and_missing():
    good = event(actor1=ActorRef("Israeli warplanes", "Military Forces of Israel (2022-)"),
                 actor2=ActorRef("people", "Civilians (Palestine)"),
                 location=Place("Sabra", "Sabra", lat=31.4951, lon=34.4521),
                 date=When("2024-05-01", "day"), fatalities=q(4))
    rows = [acled_row(), acled_row(id="PSE2", actor2="", fatalities=0, sub_event_type="Shelling/artillery/missile attack",
                                   notes="... [unspecified number of fatalities coded to 3]")]
    scored = acled.score(rows, [good, None])
    f = {x.name: x.value for x in scored.figures}
    assert f["event_type_accuracy"] == 0.5
    assert f["actor1_accuracy"] == 0.5
    assert f["actor2_accuracy"] == 1.0  # blank ACLED actor2 = our None
    assert f["location_within_1km"] == 0.5 and f["location_name_accuracy"] == 0.5
    assert f["date_exact"] == 0.5
    assert f["fatalities_exact"] == 1.0
    clean = next(x for x in scored.figures if x.name == "fatalities_exact_clean")
    assert clean.n == 1 and clean.value == 1.0
    assert [m.item for m in scored.misses] == ["PSE2"]


# ------------------------------------------------------------------ ACLED Lebanon

@pytest.mark.parametrize("note,killed", [
    ("On 1 May 2024, Israeli warplanes struck a house. There were no casualties.", 0),
    ("Israeli drone struck a car. 2 Hezbollah members were killed in the strike.", 2),
    ("A drone struck. One Hezbollah commander and a civilian were killed and 18 others were injured.", 2),
    ("A strike hit a house. One Hezbollah member and his two sisters were killed in the airstrike.", 3),
    ("A strike hit a car. The attack killed two commanders who were in the car.", 2),
    ("A strike hit. Three civilians were injured in the attack.", 0),
    ("A strike hit. Casualties unknown.", None),
    ("A strike hit. Almost 700 sheep were killed in the attack. There were no casualties.", None),
    ("The military claimed that it had killed a Hezbollah operative.", None),
    ("A strike. Unknown fatalities coded as 3.", 3),
    ("A strike hit. The strike led to the killing of a commander and his bodyguard.", None),
])
def test_lebanon_gold_killed_rule(note, killed):
    assert acled_lebanon.gold_killed(note) == killed


def test_lebanon_score():
    rows = [LebanonRow(0, date(2024, 7, 26), 33.2333, 35.513, "A strike. 2 Hezbollah members were killed."),
            LebanonRow(1, date(2024, 7, 26), 33.2333, 35.513, "A strike. Casualties unknown.")]
    ev = event(location=Place("Markaba", lat=33.25, lon=35.52), date=When("2024-07-26", "day"), fatalities=q(2))
    figures = {f.name: f for f in acled_lebanon.score(rows, [ev, None]).figures}
    assert figures["location_within_5km"].value == 0.5
    assert figures["killed_exact"].n == 1 and figures["killed_exact"].value == 1.0
    assert figures["killed_exact_nonzero"].value == 1.0


# ------------------------------------------------------------------ CASE 2021

def test_case2021_scores_all_30_types():
    to_case = {"Air/drone strike": "AIR_STRIKE", "Diplomacy": "DIPLO", "Armed clash": "ARMED_CLASH"}.get
    rows = [CaseRow("1", "t", "AIR_STRIKE"), CaseRow("2", "t", "NATURAL_DISASTER"), CaseRow("3", "t", "DIPLO"),
            CaseRow("4", "t", "ARMED_CLASH")]
    events = [event(), None, event(sub_event_type="Diplomacy"), event(sub_event_type="Air/drone strike")]
    scored = case2021.score(rows, events, to_case=to_case)
    f = {x.name: x.value for x in scored.figures}
    # A non-ACLED type is its own class (DIPLO right); no event is NOT_ACLED, always wrong.
    assert f["accuracy"] == 0.5
    assert f["acled_recall"] == 1.0
    assert set(scored.tables[0][1]) == {("ARMED_CLASH", "AIR_STRIKE", "1"), ("NATURAL_DISASTER", "NOT_ACLED", "1")}


# ------------------------------------------------------------------ PLOVER

def test_plover_label_map_is_valid_and_maps_old_labels():
    mapping = plover.label_map()
    assert mapping["FIGHT"] == "ASSAULT" and mapping["DEMAND"] == "REQUEST"
    assert mapping["DISAPPROVE"] == "ACCUSE" and mapping["INVESTIGATE"] == "ACCUSE"


def test_plover_unknown_gold_label_is_an_error():
    from factledger.errors import RulesError

    with pytest.raises(RulesError, match="no entry"):
        plover.current_label("ENGAGE", {"AGREE": "AGREE"})


def test_plover_score_actor_overlap():
    rows = [PloverRow("p1", "Serbia demanded a meeting.", "DEMAND", None, ("Serbia",), ("U.N. Security Council",)),
            PloverRow("p2", "Jordan and Britain agreed.", "AGREE", None, ("Jordan", "Britain"), ())]
    e1 = event(plover={"event": "REQUEST", "mode": None}, actor1=ActorRef("Serbia"),
               actor2=ActorRef("the Security Council"))
    e2 = event(plover={"event": "CONSULT", "mode": None}, actor1=ActorRef("Britain"), actor2=ActorRef("Jordan"))
    f = {x.name: x.value for x in plover.score(rows, [e1, e2]).figures}
    assert f["event_accuracy"] == 0.5
    assert f["source_accuracy"] == 1.0
    assert f["target_accuracy"] == 0.5  # no gold target: our actor2 must be None


# ------------------------------------------------------------------ claims

def gold_claim(**kw):
    rec = {"corpus": "seeds", "path": "a.txt", "start": 100, "end": 200, "metric": "killed", "low": 12,
           "high": 12, "qualifier": "exact", "subject": "people", "source": "Gaza's health ministry",
           "as_of": {"date": "2024-07", "precision": "month"}, "hedges": [], "modality": "asserted"}
    return parse_gold_claim({**rec, **kw}, where="test")


JULY = When("2024-07-01", "month")


def claim(start=120, end=180, low=12, high=12, qualifier="exact", source="the Gaza health ministry",
          as_of=JULY, metric="killed") -> Claim:
    return Claim("c", "art", metric, Quantity(low, high, low, qualifier), "people",
                 Evidence("art", 0, start, end, "x"), 1.0,
                 source=ActorRef(source) if source else None, as_of=as_of)


def test_claims_matching_and_attribution():
    gold = [gold_claim(), gold_claim(start=300, end=400, metric="injured", low=40, high=None,
                                     qualifier="at_least", source=None, as_of=None)]
    ours = [claim(), claim(start=310, end=390, metric="injured", low=40, high=None, qualifier="about",
                           source=None, as_of=None), claim(start=500, end=520, low=3, high=3)]
    scored = claims.score([claims.DocClaims("seeds", "a.txt", "x" * 600, tuple(ours))], gold)
    f = {x.name: x for x in scored.figures}
    assert f["precision"].value == pytest.approx(1 / 3) and f["recall"].value == 0.5
    assert f["f1_loose"].value == pytest.approx(2 * (2 / 3) * 1 / (2 / 3 + 1))
    assert f["attribution_accuracy"].value == 1.0 and f["attribution_accuracy"].n == 1
    assert f["as_of_accuracy"].value == 1.0


def test_claims_as_of_and_source_rules():
    assert claims.as_of_matches(When("2024-07-27", "day"), GoldAsOf("2024-07-27", "day"))
    assert not claims.as_of_matches(When("2024-07-27", "day"), GoldAsOf("2024-07", "month"))
    assert claims.as_of_matches(None, None)
    assert not claims.as_of_matches(When("2024-07-27", "day"), None)
    assert not claims.source_matches(claim(source="Israel's army"), gold_claim())
    assert claims.source_matches(claim(source=None), gold_claim(source=None))


def test_gold_claim_loader_names_missing_fields():
    from factledger.errors import InputError

    with pytest.raises(InputError, match="lacks"):
        parse_gold_claim({"corpus": "seeds"}, where="x.jsonl:1")


# ------------------------------------------------------------------ seeds

def test_seeds_expected_facts_found():
    exp = {"a.txt": seeds.SeedExpect(
        events=(seeds.ExpectedEvent("e1", "Air/drone strike", ((0, 10),)),
                seeds.ExpectedEvent("e2", "Attack", ((50, 60),))),
        people=(seeds.ExpectedPerson(("Izz al-Din Kassab", "Kasab")), seeds.ExpectedPerson(("Ayman Ayesh",))),
        statements=(seeds.ExpectedStatement("IDF", "confirm", (0, 10)),))}
    person = Entity("p", "art_x", "Kassab", "PERSON")
    records = {"a.txt": [event(), person, Statement("s", "art_x", None, "denies", "x", EV, 1.0)]}
    f = {x.name: x for x in seeds.score(records, exp).figures}
    assert f["events_found"].value == 0.5 and f["events_detected"].value == 0.5
    assert f["people_found"].value == 0.5
    assert f["statements_found"].value == 0.0  # stance differs
    assert f["found"].n == 5


def test_seeds_people_scored_on_aliases_roles_status_and_source():
    omar = seeds.ExpectedPerson(("Omar Haddad", "Haddad", "Hadad"), ("head of finance (Hamas)",), "killed",
                                "IDF and Shin Bet")
    lina = seeds.ExpectedPerson(("Lina Sabbagh",), ("Omar's deputy",), None)
    exp = {"a.txt": seeds.SeedExpect(events=(), people=(omar, lina), statements=())}
    ours_omar = Entity("p1", "art_x", "Omar Haddad", "PERSON", aliases=("Haddad",), roles=("Hamas head of finance",),
                       status=({"status": "killed", "source": "Israel Defense Forces"},))
    ours_lina = Entity("p2", "art_x", "Lina Sabbagh", "PERSON", roles=("spokeswoman",),
                       status=({"status": "arrested", "source": None},))
    decoy = Entity("p3", "art_x", "Haddad", "PERSON")  # a worse match for Omar: not the one scored
    f = {x.name: x for x in seeds.score({"a.txt": [decoy, ours_omar, ours_lina]}, exp).figures}
    assert f["people_found"].value == 1.0
    assert (f["people_aliases"].value, f["people_aliases"].n) == (0.5, 2)  # "Hadad" missing
    assert (f["people_roles"].value, f["people_roles"].n) == (0.5, 2)
    assert (f["people_status"].value, f["people_status"].n) == (0.5, 2)  # Lina: a status where none is expected
    assert (f["people_status_source"].value, f["people_status_source"].n) == (0.0, 1)  # Shin Bet not named


def test_seeds_status_source_names_every_party():
    assert seeds.source_matches(["Israel Defense Forces and Shin Bet"], "IDF and Shin Bet")
    assert seeds.source_matches(["Israel Defense Forces", "Shin Bet"], "IDF and Shin Bet")
    assert seeds.source_matches(["the Israeli military"], "Israeli military")
    assert not seeds.source_matches(["Hamas"], "IDF")
    assert not seeds.source_matches([None], "IDF")


# ------------------------------------------------------------------ absent data

def test_suites_without_data_are_skipped_with_reason(tmp_path: Path, monkeypatch):
    from factledger.evaluate import run

    monkeypatch.setattr(run, "gold_dir", lambda: tmp_path / "gold")

    def never(items):
        raise AssertionError("no extraction without data")

    card = evaluate(list(run.SUITE_NAMES), data_dir=tmp_path, predictor=never)
    assert [r.status for r in card.suites] == ["skipped"] * len(run.SUITE_NAMES)
    assert all(r.reason for r in card.suites)


def test_suite_runs_with_fake_predictor(tmp_path: Path):
    (tmp_path / "case2021").mkdir()
    (tmp_path / "case2021" / "dev.tsv").write_text(
        "id\tEventSnippet\tSubType\n1\tJets \"bombed\" a town\tAIR_STRIKE\n2\tA flood\tNATURAL_DISASTER\n",
        encoding="utf-8")

    def fake(items):
        return Predictions(tuple((event(),) if "Jets" in a.text else (event(sub_event_type="Natural disaster"),)
                                 for _, a in items))

    card = evaluate(["case2021"], data_dir=tmp_path, predictor=fake)
    (result,) = card.suites
    # A given predictor stands for the whole extraction: no out-of-fold refinement on top.
    assert result.status == "ok" and result.figure("accuracy").value == 1.0
    assert result.figure("accuracy_rules") is None
    assert result.data[0].rows == 2 and len(result.data[0].sha256) == 64


def test_our_bounds_are_compared_in_the_gold_written_numeral_convention():
    assert claims.written(Quantity(22185, None, 22185, "at_least")) == (22185, 22185)
    assert claims.written(Quantity(None, None, 1200, "about")) == (1200, 1200)
    assert claims.written(Quantity(None, 2_000_000, 2_000_000, "nearly")) == (2_000_000, 2_000_000)
    assert claims.written(Quantity(15000, 18000, 15000, "range")) == (15000, 18000)
    assert claims.written(Quantity(12, None, 12, "at_least", "dozens", "dozens")) == (12, None)
    gold = [gold_claim(low=22185, high=22185, qualifier="at_least")]
    ours = [claim(low=22185, high=None, qualifier="at_least")]
    scored = claims.score([claims.DocClaims("seeds", "a.txt", "x" * 600, tuple(ours))], gold)
    assert {x.name: x.value for x in scored.figures}["f1"] == 1.0


# ------------------------------------------------------------------ entities suite

def _mention(start, end, kind, entity, text):
    from factledger.evaluate.data import GoldMention

    return GoldMention("seeds", "e.txt", start, end, text[start:end], kind, entity)


def test_entities_scorer_exact_overlap_kinds_clusters_and_attributes():
    from factledger.evaluate import entities as ents
    from factledger.evaluate.data import GoldEntity

    text = "Omar Haddad met the IDF in Rafah. Haddad's aides and Israel's army left Rafah."
    #       0         1         2         3         4         5         6         7
    at = {w: text.index(w) for w in ("Omar Haddad", "IDF", "Haddad'", "Israel's army")}
    rafah1, rafah2 = text.index("Rafah"), text.rindex("Rafah")
    gold = [
        _mention(0, 11, "PERSON", "p1", text),
        _mention(at["IDF"], at["IDF"] + 3, "ORG", "o1", text),
        _mention(rafah1, rafah1 + 5, "PLACE", "g1", text),
        _mention(at["Haddad'"], at["Haddad'"] + 6, "PERSON", "p1", text),
        _mention(rafah2, rafah2 + 5, "PLACE", "g1", text),
    ]
    gold_entities = {"p1": GoldEntity("p1", "seeds", "e.txt", "Omar Haddad", "PERSON", ("head of finance",), ("killed",))}
    ev = Evidence("art_0000000000000000", 0, 0, 11, "Omar Haddad")
    system = (
        # the person, with the possessive inside the second span (normalised away), role and status
        Entity("ent_p", "art_0000000000000000", "Omar Haddad", "PERSON", roles=("finance head",),
               evidence=ev, status=({"status": "killed"},),
               mentions=((0, 11), (at["Haddad'"], at["Haddad'"] + 8))),
        # "the IDF" with its article: normalised to the gold span
        Entity("ent_o", "art_0000000000000000", "Israel Defense Forces", "ORG", evidence=ev,
               mentions=((at["IDF"] - 4, at["IDF"] + 3),)),
        # Rafah found twice but as two entities (a clustering error), one tagged ORG (a kind error)
        Entity("ent_g", "art_0000000000000000", "Rafah", "GPE", evidence=ev, mentions=((rafah1, rafah1 + 5),)),
        Entity("ent_x", "art_0000000000000000", "Rafah", "ORG", evidence=ev, mentions=((rafah2, rafah2 + 5),)),
        # a NORP is not scored; a spurious place is a false positive
        Entity("ent_n", "art_0000000000000000", "Israeli", "NORP", evidence=ev, mentions=((53, 59),)),
        Entity("ent_a", "art_0000000000000000", "army", "LOC", evidence=ev,
               mentions=((at["Israel's army"] + 9, at["Israel's army"] + 13),)),
    )
    scored = ents.score([ents.DocEntities("seeds", "e.txt", text, system)], gold, gold_entities)
    f = {x.name: x for x in scored.figures}
    assert f["precision"].value == pytest.approx(4 / 6)  # the ORG "Rafah" and "army" are wrong
    assert f["recall"].value == pytest.approx(4 / 5)
    assert f["f1_person"].value == 1.0 and f["f1_org"].value == pytest.approx(2 / 3)
    assert f["kind_accuracy"].value == pytest.approx(4 / 5)
    assert f["role_recall"].value == 1.0 and f["status_recall"].value == 1.0
    # matched mentions: Haddad x2 (one cluster both sides), IDF, Rafah (one): B-cubed perfect on them
    assert f["bcubed_f1"].value == 1.0
    assert any("false positive" in m.gold for m in scored.misses)


def test_bcubed_penalises_split_and_merged_clusters():
    from factledger.evaluate.entities import Mention, bcubed

    g = [Mention(i, i + 1, "PERSON", c) for i, c in enumerate("aab")]
    split = [Mention(0, 1, "PERSON", "x"), Mention(1, 2, "PERSON", "y"), Mention(2, 3, "PERSON", "z")]
    merged = [Mention(i, i + 1, "PERSON", "x") for i in range(3)]
    p, r, _ = bcubed(list(zip(g, split, strict=True)))
    assert p == 1.0 and r == pytest.approx((0.5 + 0.5 + 1) / 3)
    p, r, _ = bcubed(list(zip(g, merged, strict=True)))
    assert r == 1.0 and p == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)


def test_entity_gold_loader_rejects_bad_kinds(tmp_path: Path):
    from factledger.errors import InputError
    from factledger.evaluate.data import load_gold_entities

    (tmp_path / "mentions.jsonl").write_text(
        '{"corpus": "seeds", "path": "a", "start": 0, "end": 1, "surface": "A", "kind": "NORP", "entity": "e1"}\n')
    (tmp_path / "entities.jsonl").write_text("")
    with pytest.raises(InputError, match="kind 'NORP'"):
        load_gold_entities(tmp_path)


def test_rules_only_extraction_is_refined_out_of_fold(tmp_path: Path):
    from factledger.nlp.event_model import shipped

    if shipped() is None:
        pytest.skip("no shipped event head: nothing is refined")
    (tmp_path / "case2021").mkdir()
    (tmp_path / "case2021" / "dev.tsv").write_text(
        "id\tEventSnippet\tSubType\n1\tJets bombed a town\tAIR_STRIKE\n2\tA flood hit the valley\tNATURAL_DISASTER\n",
        encoding="utf-8")

    def rules_only(items):
        return Predictions(tuple((event(),) for _ in items), rules_only=True)

    card = evaluate(["case2021"], data_dir=tmp_path, predictor=rules_only)
    (result,) = card.suites
    # Both figures are reported: the rules' own and the out-of-fold one beside it.
    assert result.figure("accuracy_rules").value == 0.5
    assert result.figure("accuracy") is not None and "out of fold" in result.figure("accuracy").help
