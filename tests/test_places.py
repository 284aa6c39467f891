"""Places: offline geocoding and place mentions (hand-written sentences)."""

from types import SimpleNamespace

import pytest

from factledger.errors import RulesError
from factledger.nlp.places import find_places, geocode, load_curated, note_place, skeleton


@pytest.mark.parametrize(
    ("text", "name", "country", "precision"),
    [
        ("Khan Younis", "Khan Younis", "Palestine", 1),
        ("Khan Yunis", "Khan Younis", "Palestine", 1),
        ("Shejaiya", "Shujaiyya", "Palestine", 1),
        ("Gaza - Az Zaytun", "Zeitoun", "Palestine", 1),
        ("Gaza - Sabra (Gaza City, Gaza Strip)", "Sabra", "Palestine", 1),
        ("Deir el-Balah", "Deir al-Balah", "Palestine", 1),
        ("the al-Shifa hospital", "Al-Shifa hospital", "Palestine", 1),
        ("Karem Abu Salem", "Kerem Shalom", "Israel", 1),
        ("near Khan Younis", "Khan Younis", "Palestine", 2),
        ("the outskirts of Kfar Chouba (Hasbeiya)", "Kfar Shouba", "Lebanon", 2),
        ("Aita ech Chaab town (Bint Jbeil, Al Nabatieh)", "Aita al-Shaab", "Lebanon", 1),
        ("Nabatiyeh", "Nabatieh", "Lebanon", 1),
        ("Beirut", "Beirut", "Lebanon", 1),
        ("Kfar Aza", "Kfar Aza", "Israel", 1),
        ("Lebanon", "Lebanon", "Lebanon", 3),
        ("Türkiye", "Turkey", "Turkey", 3),
        ("Gaza", "Gaza Strip", "Palestine", 3),
        ("Golan Heights", "Golan Heights", "Israel", 3),  # a region, not the Iranian town Golan
        ("the Golan Heights", "Golan Heights", "Israel", 3),
    ],
)
def test_geocode(text, name, country, precision):
    place = geocode(text)
    assert place is not None
    assert (place.name, place.country, place.precision) == (name, country, precision)
    assert place.text == text


def test_rafah_disambiguated_by_country():
    assert geocode("Rafah").country == "Palestine"
    assert geocode("Rafah", country_hint="Egypt").country == "Egypt"


def test_unknown_village_falls_back_to_district():
    place = geocode("Imaginaryville town (Tyr, South)")
    assert (place.name, place.precision) == ("Tyre", 3)


def test_admin_context_forbids_other_countries():
    place = geocode("Wadi Imaginary town (Marjayoun, Al Nabatieh)")
    assert place.country == "Lebanon"


def test_unknown_text():
    assert geocode("") is None
    assert geocode("Qwxzyv") is None


def test_skeleton_absorbs_transliterations():
    assert skeleton("Shujaiyya") == skeleton("Shejaiya")
    assert skeleton("Aita ech Chaab") == skeleton("Aita al-Shaab")


def test_find_places_fixes_names_spacy_misses():
    doc = SimpleNamespace(text="The strike took place near Khan Younis and in Beirut, the military said.", ents=())
    found = find_places(doc)
    assert [(doc.text[s:e], p.name, p.precision) for s, e, p in found] == [
        ("Khan Younis", "Khan Younis", 2), ("Beirut", "Beirut", 1),
    ]


def test_find_places_skips_streets_and_people():
    doc = SimpleNamespace(text="On Monday, a drone hit a car on Al Mansoura Road, Hamas said.", ents=())
    assert find_places(doc) == []


def test_note_place_prefers_coded_location():
    text = "Israeli artillery shelled targets east of Gaza City, coded to Gaza - Shujaiyya (Gaza City, Gaza Strip)"
    assert note_place(text).name == "Shujaiyya"
    text = "Israeli jets struck the outskirts of Yaroun (Bint Jbeil) and nearby hills"
    place = note_place(text)
    assert (place.name, place.precision) == ("Yaroun", 2)


def test_invalid_gazetteer_line_raises():
    with pytest.raises(RulesError, match="line 1"):
        load_curated(['{"name": "X", "kind": "town", "country": "Lebanon", "lat": "north", "lon": 35}'])
    with pytest.raises(RulesError, match="invalid JSON"):
        load_curated(["{not json"])


def test_a_place_named_like_its_district_city_is_that_city():
    # ACLED writes the city as "Gaza (Gaza City, Gaza Strip)": the city, not the whole Strip.
    place = geocode("Gaza (Gaza City, Gaza Strip)", country_hint="Palestine")
    assert place.name == "Gaza City" and place.precision == 1
    # a neighbourhood keeps its own entry
    assert geocode("Gaza - Sabra (Gaza City, Gaza Strip)", country_hint="Palestine").name == "Sabra"
    # and "Gaza" alone, with no district, is still the Strip
    assert geocode("Gaza", country_hint="Palestine").name == "Gaza Strip"
