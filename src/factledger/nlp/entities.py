"""Entities: a domain EntityRuler, canonical names, and one Entity per distinct
person/organisation/place of an article.

* ``add_entity_ruler(nlp)`` adds ``factledger_entity_ruler`` before "ner": patterns
  from ``rules/entities.jsonl`` (armed groups, militaries, ministries, agencies, media;
  label ORG, ``ent_id_`` = canonical name) and from the curated place gazetteer
  (GPE/LOC/FAC), so "Khan Younis" is a GPE and "Shin Bet" an ORG.
* ``canonical(text)`` maps a name variant to its canonical name ("the Hamas-run Gaza
  health ministry" -> "Gaza Health Ministry", "the IDF" -> "Israel Defense Forces").
* ``find_entities(ctx)`` reads the annotated sentence Docs (only prefiltered sentences
  are analysed: a deliberate speed choice) and binds aliases within the article
  (surname-only "Kasab" -> "Izz al-Din Kassab" with rapidfuzz), roles from titles and
  appositions, and a simple status for people (killed, injured, arrested, released,
  rescued, sanctioned, charged, convicted, ... when the person is the subject or object
  of that verb in the sentence).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..errors import RulesError
from ..records import Entity, stable_id
from ..rules import read_json
from . import aliases as alias_mod
from . import media as media_mod
from . import roles as roles_mod

KINDS = frozenset({"ORG", "MEDIA"})
# Aliases kept out of the EntityRuler (too generic to tag as a name) but known to canonical().
_GENERIC = frozenset({"the military", "the army", "israeli forces", "israeli troops", "civil defence"})
# Short alias words that are ordinary English words in lower case: matched case-sensitively.
PERSON_MERGE_CUTOFF = 85  # rapidfuzz ratio of surnames; Kassab~Kasab = 91 (FIELD-NOTES)


@dataclass(frozen=True)
class OrgRule:
    name: str
    kind: str
    aliases: tuple[str, ...]
    country: str | None = None


def _validate(rec: Any, line_no: int) -> OrgRule:
    where = f"rules/entities.jsonl line {line_no}"
    if not isinstance(rec, dict) or not isinstance(rec.get("name"), str) or not rec["name"].strip():
        raise RulesError(f"{where}: each line needs a non-empty 'name'")
    if rec.get("kind") not in KINDS:
        raise RulesError(f"{where}: 'kind' must be one of {sorted(KINDS)}, got {rec.get('kind')!r}")
    al = rec.get("aliases", [])
    if not isinstance(al, list) or not all(isinstance(a, str) and a.strip() for a in al):
        raise RulesError(f"{where}: 'aliases' must be a list of non-empty strings")
    extra = set(rec) - {"name", "kind", "aliases", "country"}
    if extra:
        raise RulesError(f"{where}: unknown fields {sorted(extra)}")
    return OrgRule(rec["name"], rec["kind"], tuple(al), rec.get("country"))


def load_rules(lines: Iterable[str] | None = None) -> list[OrgRule]:
    """Organisation/media rules; raises RulesError naming the bad line."""
    if lines is None:
        lines = resources.files("factledger.rules").joinpath("entities.jsonl").read_text("utf-8").splitlines()
    out = []
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            raise RulesError(f"rules/entities.jsonl line {i}: invalid JSON: {exc}") from exc
        out.append(_validate(rec, i))
    return out


@lru_cache(maxsize=1)
def _rules() -> tuple[OrgRule, ...]:
    return tuple(load_rules())


def _key(text: str) -> str:
    t = text.replace("\u2019", "'").strip().lower()
    t = re.sub(r"^(?:the|a)\s+", "", t)
    t = re.sub(r"'s?$", "", t)
    return " ".join(re.sub(r"[^\w'&.-]+", " ", t).split())


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, OrgRule]:
    index: dict[str, OrgRule] = {}
    for rule in _rules():
        for name in (rule.name, *rule.aliases):
            index.setdefault(_key(name), rule)
    return index


_HEALTH = re.compile(r"\b(?:health (?:ministry|authorities|officials|authority)|ministry of (?:public )?health)\b")


def rule_for(text: str) -> OrgRule | None:
    """The organisation rule a name variant belongs to, or None."""
    key = _key(text)
    rule = _alias_index().get(key)
    if rule is not None:
        return rule
    if _HEALTH.search(key):
        if "gaza" in key or "hamas" in key or "palestinian" in key:
            return _alias_index().get(_key("Gaza Health Ministry"))
        if "leban" in key:
            return _alias_index().get(_key("Lebanese Health Ministry"))
    return None


def canonical(text: str) -> str | None:
    """The canonical name of an organisation, source or country variant, or None.

    "the military"/"the army" map to the Israel Defense Forces (kept simple: our
    sources are mostly about Israel; docs/entities.md says so).
    """
    rule = rule_for(text)
    if rule is not None:
        return rule.name
    from .places import COUNTRY_ALIASES, _country_code, country_name

    key = _key(text)
    if key in COUNTRY_ALIASES or key in {"turkey", "israel", "lebanon", "egypt", "qatar", "iran", "syria"}:
        code = _country_code(key)
        return country_name(code) if code else None
    return None


# ---------------------------------------------------------------- EntityRuler


def _token_pattern(nlp: Language, text: str) -> list[dict[str, str]]:
    pattern = []
    for tok in nlp.make_doc(text):
        t = tok.text
        if t.isupper() or any(c.isdigit() for c in t) or len(t) <= 3 and t[:1].isupper():
            pattern.append({"ORTH": t})
        elif t[:1].isupper():
            pattern.append({"LOWER": t.lower(), "IS_TITLE": True} if t.istitle() else {"ORTH": t})
        else:
            pattern.append({"LOWER": t.lower()})
    return pattern


_PLACE_LABELS = {"hospital": "FAC", "crossing": "FAC", "port": "FAC", "corridor": "LOC", "region": "LOC",
                 "area": "LOC", "coast": "LOC", "hill": "LOC"}
# Curated place aliases that are ordinary words or people's names in news text.
_PLACE_SKIP = frozenset({"Harbor", "Old City", "Nasr", "Shati", "Shifa", "the Strip", "Sur", "Sour", "Cana"})


@dataclass(frozen=True)
class _Descriptions:
    heads: tuple[str, ...]  # "government", "armed forces"
    modifiers: frozenset[str]  # country adjectives as written: "Israeli", "US"
    not_alone: frozenset[str]  # lower case: "state", "defense"
    leader_heads: frozenset[str] = frozenset()  # "administration": "Biden administration" is an ORG


@lru_cache(maxsize=1)
def _descriptions() -> _Descriptions:
    """``rules/org_descriptions.json``, with the plain country adjectives of
    ``acled_actors.json`` ("israeli" -> "Israeli") added to its modifiers."""
    data = read_json("org_descriptions.json")
    actors = read_json("acled_actors.json")
    try:
        modifiers = set(data["modifiers"])
        for forms in actors["countries"].values():
            modifiers.update(f.title() for f in forms if re.fullmatch(r"[a-z]+", f))
        return _Descriptions(tuple(data["heads"]), frozenset(modifiers),
                             frozenset(w.lower() for w in data["not_names_alone"]),
                             frozenset(w.lower() for w in data["leader_heads"]))
    except (KeyError, TypeError, AttributeError) as exc:
        raise RulesError(
            f"rules/org_descriptions.json is invalid: {exc!r} (needs heads, modifiers, not_names_alone, leader_heads)"
        ) from exc


def _description_patterns(nlp: Language) -> list[dict[str, Any]]:
    """"Israeli government", "Syrian regime", "US Treasury": a country's adjective and a head
    noun from ``rules/org_descriptions.json`` (adjectives also from ``acled_actors.json``)."""
    rules = _descriptions()
    out = []
    for modifier in sorted(rules.modifiers):
        for head in rules.heads:
            name = f"{modifier} {head}"
            if rule_for(name) is not None:
                continue  # an alias of a known organisation: its own pattern tags it
            words = [{"ORTH": t.text} for t in nlp.make_doc(modifier)]
            words += [{"LOWER": t.lower_} for t in nlp.make_doc(head)]
            out.append({"label": "ORG", "pattern": words})
    return out


def ruler_patterns(nlp: Language) -> list[dict[str, Any]]:
    """EntityRuler patterns: organisations (ORG), organisation descriptions, curated places."""
    from .places import load_curated

    patterns: list[dict[str, Any]] = []
    for rule in _rules():
        for name in (rule.name, *rule.aliases):
            if _key(name) in _GENERIC or name.lower().startswith("the "):
                continue
            patterns.append({"label": "ORG", "pattern": _token_pattern(nlp, name), "id": rule.name})
    patterns += _description_patterns(nlp)
    for entry, place_aliases in load_curated():
        label = _PLACE_LABELS.get(entry.kind, "GPE")
        for name in (entry.name, *place_aliases):
            if name in _PLACE_SKIP or not name[:1].isupper():
                continue
            patterns.append({"label": label, "pattern": _token_pattern(nlp, name), "id": entry.name})
    return patterns


def add_entity_ruler(nlp: Language) -> None:
    """Add ``factledger_entity_ruler`` before "ner" (or last when there is no ner)."""
    if "factledger_entity_ruler" in nlp.pipe_names:
        return
    where = {"before": "ner"} if "ner" in nlp.pipe_names else {"last": True}
    ruler = nlp.add_pipe("entity_ruler", name="factledger_entity_ruler", config={"overwrite_ents": True}, **where)
    ruler.add_patterns(ruler_patterns(nlp))  # type: ignore[attr-defined]


# ---------------------------------------------------------------- people: names and roles

_TITLES = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|prof|gen|lt|col|maj|capt|sgt|sheikh|president|prime minister|minister|"
    r"secretary|king|prince|ambassador|rabbi|judge|general|commander|chief|spokesman|spokesperson|comrade|"
    r"state|foreign|defen[cs]e|deputy|senior|top|official|leader)\.?\s+)+",
    re.IGNORECASE,
)
ROLE_HEADS = roles_mod.people_rules().role_heads
_ROLE_WORDS = roles_mod.people_rules().role_words
_STATUS = roles_mod.people_rules().status_lemmas
_SOURCE_VERBS = frozenset({"say", "announce", "report", "confirm", "claim", "tell", "state"})
_CLAUSE_ROLE = re.compile(
    r"\b(?:(?:who|where (?:he|she)|he|she)\s+(?:had\s+)?(?:served|serves|was serving|has served)\s+as|"
    r"(?:was|has been|had been|is)\s+(?:elected|appointed|named|promoted to)(?:\s+as)?)\s+"
    r"(?:the\s+|a\s+)?(?P<role>[^,.;]+)"
)



def clean_name(text: str) -> str:
    t = " ".join(text.replace("\u2019", "'").split()).strip(" ,.'\"")
    t = re.sub(r"'s?$", "", t)
    return _TITLES.sub("", t).strip()


def _role_before(doc: Doc, ent: Span) -> str | None:
    """Title words right before a name: "Mossad chief", "Top Hamas official",
    "US Secretary of State", "deputy head of the Hamas politburo"."""
    i = ent.start - 1
    words: list[Any] = []
    while i >= 0 and len(words) < 8:
        tok = doc[i]
        low = tok.lower_
        # no tags in an entities-only sentence: any capitalised word then
        if low in _ROLE_WORDS or (tok.is_title or tok.is_upper) and tok.pos_ in ("PROPN", "NOUN", "ADJ", ""):
            words.insert(0, tok)
            i -= 1
            continue
        if tok.text in ("(", ")", "-") and words and i > 0 and doc[i - 1].is_alpha:
            words.insert(0, tok)  # "former Israel Defense Forces (IDF) sergeant", "secretary-general"
            i -= 1
            continue
        break
    while words and words[0].lower_ in ("the", "of"):
        words.pop(0)
    if words and words[0].i > 0 and doc[words[0].i - 1].lemma_ in ("elect", "appoint", "name", "promote"):
        return None  # "X was elected deputy head of ... Y": the role is X's, not Y's
    if not any(w.lower_ in ROLE_HEADS for w in words):
        return None
    return doc[words[0].i: words[-1].i + 1].text


def _roles(doc: Doc, ent: Span) -> list[str]:
    roles = []
    before = _role_before(doc, ent)
    if before:
        roles.append(before)
    for role in (roles_mod.role_after(doc.text[ent.end_char: ent.end_char + 160]),
                 roles_mod.role_before(doc.text[max(0, ent.start_char - 160): ent.start_char])):
        if role and role not in roles:
            roles.append(role)
    return roles


def _status(doc: Doc, ent: Span, ctx: Any) -> dict[str, Any] | None:
    """killed/injured/... when the name is the subject or object of that verb."""
    tok = ent.root
    for _ in range(3):
        if tok.dep_ == "poss":
            break  # "Haddad's bodyguard was killed": the bodyguard's status, not Haddad's
        head = tok.head
        if head.lemma_ in _STATUS and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "conj", "appos", "pobj"):
            dates = getattr(doc._, "dates", None) or []
            when = next((d.when for d in dates if d.when.date), None)
            return {"status": _STATUS[head.lemma_], "date": when.date if when else None,
                    "source": _sentence_source(doc), "sentence": doc.user_data.get("sentence")}
        if head.i == tok.i:
            break
        tok = head
    return None


_SAID_AFTER = re.compile(r"^\s+(?:has\s+|had\s+)?(?:said|says|announced|announces|reported|reports|confirmed|"
                         r"confirms|stated|claimed|claims|told)\b")
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to (?:the\s+)?(?P<who>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})")


def _sentence_source(doc: Doc) -> str | None:
    """Who asserts what the sentence says: an organisation (or a country that speaks) after
    "according to" or as the subject of say/announce/report; "the IDF and Shin Bet announced"
    gives both."""
    for e in doc.ents:
        if e.label_ not in ("ORG", "GPE") or _not_a_name(e):
            continue
        before = doc.text[max(0, e.start_char - 20): e.start_char].lower()  # "according to the "
        said = e.root.head.lemma_ in _SOURCE_VERBS and e.root.dep_ in ("nsubj", "pobj") or \
            bool(_SAID_AFTER.match(doc.text[e.end_char: e.end_char + 30]))
        if e.label_ == "GPE" and not said or not ("according to" in before or said):
            continue
        names = [canonical(e.text) or _LEADING_THE.sub("", e.text)]
        for other in doc.ents:  # "the IDF and Shin Bet": conjoined organisations
            if other.start > e.end and other.label_ == "ORG" and other.root.dep_ == "conj" \
                    and other.root.head.i == e.root.i:
                names.append(canonical(other.text) or other.text)
        return " and ".join(names)
    return _text_source(doc.text)


_ACCORDING_TO_ANY = re.compile(r"\b[Aa]ccording to (?P<who>(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){0,3})")


def _text_source(text: str) -> str | None:
    """"according to the IDF" (a capitalised name), or "according to the army" (a known
    organisation's generic name), in a sentence that was not parsed or has no name tagged."""
    m = _ACCORDING_TO.search(text)
    if m:
        return canonical(m["who"]) or m["who"]
    m = _ACCORDING_TO_ANY.search(text)
    if m:
        words = m["who"].split()
        for n in range(len(words), 0, -1):
            if name := canonical(" ".join(words[:n])):
                return name
    return None


_STATUS_DATE = re.compile(
    r"(?<!last )\b(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\s+\d{1,2}(?:,\s+(?:19|20)\d\d)?|in\s+(?:19|20)\d\d)\b")


def _text_status(ctx: Any, index: int, start: int, end: int) -> dict[str, Any] | None:
    """A status stated around a name at [start, end) of sentence ``index``, read from the
    text ("X, his assistant, was also killed on Friday", "X's death", "the arrest of X")."""
    text = ctx.sentences[index].text
    after = text[end: end + 200]
    status = roles_mod.status_after(after) or roles_mod.status_noun(text[:start], after)
    if status is None:
        return None
    m = _STATUS_DATE.search(after[:120])
    when = ctx.resolve_date(m.group(), sentence=index) if m else None
    doc = ctx.entity_docs().get(index) if hasattr(ctx, "entity_docs") else ctx.docs.get(index)
    source = _sentence_source(doc) if doc is not None else _text_source(text)
    return {"status": status, "date": when.date if when else None, "source": source, "sentence": index}


def _add_status(cluster: _Cluster, status: dict[str, Any] | None) -> None:
    """One status per (status, sentence): the parse's reading first, the text's otherwise."""
    if status and not any((s["status"], s.get("sentence")) == (status["status"], status.get("sentence"))
                          for s in cluster.status):
        cluster.status.append(status)


def _add_role(cluster: _Cluster, role: str | None) -> None:
    if role and role not in cluster.roles:
        cluster.roles.append(role)


def _text_facts(cluster: _Cluster, ctx: Any, index: int, start: int, end: int) -> None:
    """Roles and status from the text around one mention (any sentence, parsed or not)."""
    text = ctx.sentences[index].text
    _add_role(cluster, roles_mod.role_after(text[end: end + 160]))
    _add_role(cluster, roles_mod.role_before(text[max(0, start - 160): start]))
    _add_status(cluster, _text_status(ctx, index, start, end))


_SPEAKS = re.compile(r"\s+(?:has\s+)?(?:said|says|noted|told|added|stressed|explained|wrote|warned)\b")


def _named_in(people: list[_Cluster], sent: Any) -> list[_Cluster]:
    return [c for c in people if any(sent.start <= s < sent.start + len(sent.text) for s, _ in c.spans)]


def _pronoun_facts(people: list[_Cluster], ctx: Any) -> None:
    """"He was sentenced ...", "She was a professor ...": the status or role of the one
    person named in the sentence before (no other pronoun resolution); "X noted ..., the
    defence minister continued": the role of the one person named in that sentence."""
    text = ctx.article.text
    for sent in ctx.sentences:
        role = roles_mod.definite_role(sent.text)
        if role is None:
            continue
        # the one person named in the sentence (or, if none, in the one before), and named as a
        # speaker: "Gallant noted ... . "...," the defence minister continued"
        where = sent if _named_in(people, sent) or sent.index == 0 else ctx.sentences[sent.index - 1]
        named = _named_in(people, where)
        if len(named) == 1 and any(_SPEAKS.match(text, e) for s, e in named[0].spans
                                   if where.start <= s < where.start + len(where.text)):
            _add_role(named[0], role)
    for sent in ctx.sentences[1:]:
        status = roles_mod.pronoun_status(sent.text)
        role = roles_mod.pronoun_role(sent.text)
        if status is None and role is None:
            continue
        named = _named_in(people, ctx.sentences[sent.index - 1])
        if len(named) != 1:
            continue
        _add_role(named[0], role)
        if status:
            m = _STATUS_DATE.search(sent.text)
            when = ctx.resolve_date(m.group(), sentence=sent.index) if m else None
            _add_status(named[0], {"status": status, "date": when.date if when else None,
                                   "source": _text_source(sent.text), "sentence": sent.index})


# ---------------------------------------------------------------- assembling


@dataclass
class _Cluster:
    name: str
    kind: str
    sentence: int
    start: int
    end: int
    aliases: set[str] = field(default_factory=set)
    roles: list[str] = field(default_factory=list)
    status: list[dict[str, Any]] = field(default_factory=list)
    confidence: float = 0.9
    place_text: str | None = None
    spans: set[tuple[int, int]] = field(default_factory=set)

    def mention(self, span: tuple[int, int] | None) -> None:
        if span is not None and not any(s < span[1] and span[0] < e for s, e in self.spans):
            self.spans.add(span)


_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")


def _mention_span(ctx: Any, index: int, start: int, text: str, name: str | None = None) -> tuple[int, int] | None:
    """Article offsets of a mention written as ``text`` at ``start`` in sentence ``index``:
    the name itself (``name`` when it is found in ``text``, titles being dropped), without a
    leading "the" or a possessive "'s" (the entity gold's boundaries)."""
    offset = ctx.sentences[index].start + start
    at = text.find(name) if name else -1
    if at >= 0:
        offset, text = offset + at, name
    else:
        m = _LEADING_THE.match(text)
        if m:
            offset, text = offset + m.end(), text[m.end():]
    m = _POSSESSIVE.search(text)
    if m and len(text) > 3:
        text = text[: m.start() + (1 if text[m.start()] == "s" else 0)]
    stripped = text.rstrip(" ,.;:'\"’")
    return (offset, offset + len(stripped)) if stripped else None


_PERSONISH = frozenset({"PRODUCT", "ORG", "GPE", "NORP", "WORK_OF_ART", "LOC", "FAC"})


def _is_known_non_person(text: str) -> bool:
    from .places import gazetteer, normalise

    return rule_for(text) is not None or normalise(text) in gazetteer().curated_names


@lru_cache(maxsize=1)
def _adjectives() -> frozenset[str]:
    """Country adjectives in lower case, without the abbreviations that name the country itself."""
    return frozenset(m.lower() for m in _descriptions().modifiers) - {"us", "u.s.", "uk"}


def _not_a_name(ent: Span) -> bool:
    """"State" of "Secretary of State", "Defense" of "Defense Minister", and a country's
    adjective tagged as a place ("Ukrainian troops")."""
    text = ent.text.lower()
    return (ent.label_ == "ORG" and text in _descriptions().not_alone) or (
        ent.label_ in ("GPE", "LOC") and text in _adjectives()
    )


def _parsed(doc: Doc) -> bool:
    return doc.has_annotation("DEP")


def _person_label(doc: Doc, ent: Span) -> bool:
    """True for PERSON ents and for mislabelled names with a role cue next to them
    ("Kassab's assistant, Ayman Ayesh" comes out as PRODUCT)."""
    if ent.label_ == "PERSON":
        # "GBU-39" (a model number), "MK" (an acronym: organisations, see _acronym_org)
        return not _is_known_non_person(ent.text) and not any(c.isdigit() for c in ent.text) \
            and _acronym_org(doc, ent) is None
    if ent.label_ not in _PERSONISH or ent.ent_id_ or _is_known_non_person(ent.text):
        return False
    words = ent.text.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() or w.lower() in alias_mod.PARTICLES for w in words):
        return False
    if _AGE.match(doc.text[ent.end_char: ent.end_char + 8]):
        return True  # "Nabil Azar, 58, died": an age is said of people
    return _parsed(doc) and bool(_roles(doc, ent))


_AGE = re.compile(r"^,\s*\d{1,3},")


def find_entities(ctx: Any) -> list[Entity]:
    """One Entity per distinct person, organisation and place of the article."""
    people: list[_Cluster] = []
    others: dict[tuple[str, str], _Cluster] = {}
    pending: list[tuple[int, Doc, Span]] = []
    outlets: list[tuple[int, Doc, Span]] = []
    # Every analysed sentence: fully parsed ones, and those that got named entities only
    # (no parse: roles and status are read from parsed sentences alone).
    docs = ctx.entity_docs() if hasattr(ctx, "entity_docs") else {i: ctx.docs[i] for i in sorted(ctx.docs)}
    for index, doc in docs.items():
        for ent in doc.ents:
            if _outlet(doc, ent):
                outlets.append((index, doc, ent))
            elif (other := _leader_org(doc, ent) or _acronym_org(doc, ent) or _misfiled_place(doc, ent)) is not None:
                pending.append((index, doc, other))
            elif _person_label(doc, ent):
                _add_person(people, index, doc, ent, ctx)
            elif ent.label_ in ("ORG", "GPE", "LOC", "FAC") and _LEADING_THE.sub("", ent.text)[:1].isupper() \
                    and not _not_a_name(ent):
                pending.append((index, doc, ent))
        if _parsed(doc):
            _clause_roles(people, doc)
    _scan_unanalysed(people, ctx)
    _pronoun_facts(people, ctx)
    _contributors(people, ctx)
    for index, doc, ent in pending:
        if alias_mod.match_person([c.name for c in people], clean_name(ent.text)) is not None \
                and not _is_known_non_person(ent.text):
            _add_person(people, index, doc, ent, ctx)  # "Arouri" tagged GPE, "al-Arouri" ORG
        else:
            _add_other(others, index, ent, ctx)
    for index, _doc, ent in outlets:
        _add_other(others, index, ent, ctx, kind="MEDIA")
    _scan_outlets(others, people, ctx)
    _merge_acronyms(others)
    return [_entity(ctx, c) for c in [*people, *others.values()]]


_SMALL_WORDS = frozenset({"of", "the", "for", "and", "in", "on", "de"})


def _initials(name: str) -> str:
    """"Institute for the Study of War" -> "ISW"; "Magen David Adom" -> "MDA"."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _SMALL_WORDS]
    return "".join(w[0] for w in words).upper() if all(w[:1].isupper() for w in words) else ""


def _merge_acronyms(others: dict[tuple[str, str], _Cluster]) -> None:
    """An organisation named by its acronym elsewhere in the article ("ANC" and "African
    National Congress", "MDA" and "Magen David Adom") is one entity, under its full name; an
    outlet and an organisation of the same name too ("IRNA" tagged both ways)."""
    orgs = {key: c for key, c in others.items() if c.kind in ("ORG", "MEDIA")}
    by_initials: dict[str, tuple[str, str]] = {}
    for key, c in orgs.items():
        if len(c.name.split()) >= 2 and len(ini := _initials(c.name)) >= 2:
            by_initials.setdefault(ini, key)
    for key, c in orgs.items():
        target = by_initials.get(c.name) if re.fullmatch(r"[A-Z]{2,6}", c.name) else None
        if target is None and c.kind == "ORG" and ("MEDIA", c.name) in orgs:
            target = ("MEDIA", c.name)
        if target is None or target == key or target not in others or key not in others:
            continue
        into = others[target]
        into.aliases |= c.aliases | {c.name}
        for span in c.spans:
            into.mention(span)
        into.roles += [r for r in c.roles if r not in into.roles]
        del others[key]


def _leader_org(doc: Doc, ent: Span) -> Span | None:
    """"Biden administration", "Netanyahu government": a person's name and a head noun from
    ``leader_heads`` (no possessive between) name an organisation, as one ORG span."""
    if ent.label_ != "PERSON" or ent.end >= len(doc) or doc[ent.end].lower_ not in _descriptions().leader_heads \
            or not doc[ent.end].is_lower:
        return None
    return doc.char_span(ent.start_char, doc[ent.end].idx + len(doc[ent.end]), label="ORG")


_LOCATIVE = re.compile(r"\b(?:in|near|at|toward|towards|into|on|outside|around)\s+(?:the\s+)?$", re.IGNORECASE)
PLACE_MIN_POPULATION = 10_000  # a town this size tagged ORG is taken for the town


def _misfiled_place(doc: Doc, ent: Span) -> Span | None:
    """A town tagged as an organisation ("Kostiantynivka" as ORG) or, after "in"/"near"/"on",
    as a person ("strike on Hodeidah"): a GPE span, when the gazetteer knows the name as a
    curated place, a country or a city of PLACE_MIN_POPULATION or more, and no rule names it otherwise."""
    from .places import gazetteer, normalise

    if ent.label_ not in ("ORG", "PERSON") or ent.ent_id_ or rule_for(ent.text) is not None \
            or len(ent.text.split()) > 2 or not ent.text[:1].isupper():
        return None
    if ent.label_ == "PERSON" and not _LOCATIVE.search(doc.text[max(0, ent.start_char - 20): ent.start_char]):
        return None
    entries = gazetteer().exact.get(normalise(ent.text), [])
    if not any(e.curated or e.kind == "country" or e.kind == "city" and e.population >= PLACE_MIN_POPULATION
               for e in entries):
        return None
    return doc.char_span(ent.start_char, ent.end_char, label="GPE")


def _acronym_org(doc: Doc, ent: Span) -> Span | None:
    """A "person" written as one all-capital acronym ("MK", "NNA") is an organisation."""
    if ent.label_ != "PERSON" or not re.fullmatch(r"[A-Z]{2,5}", ent.text):
        return None
    return doc.char_span(ent.start_char, ent.end_char, label="ORG")


def _outlet(doc: Doc, ent: Span) -> bool:
    """A name spaCy tagged (as anything) that its context makes a news outlet ("the Northern
    Herald", "Kan public broadcaster"); known organisations and places keep their kind."""
    if ent.label_ not in _PERSONISH | {"PERSON"} or not ent.text[:1].isupper() or _is_known_non_person(ent.text) \
            or canonical(ent.text) is not None:
        return False
    return media_mod.is_outlet(doc.text[: ent.start_char], _LEADING_THE.sub("", ent.text), doc.text[ent.end_char:])


def _scan_outlets(others: dict[tuple[str, str], _Cluster], people: list[_Cluster], ctx: Any) -> None:
    """Outlet names after a cue noun that no entity covers ("newspaper al-Watan": spaCy
    tags nothing there)."""
    taken = [span for c in [*people, *others.values()] for span in c.spans]
    for sent in ctx.sentences:
        for start, end, name in media_mod.outlet_mentions(sent.text):
            span = (sent.start + start, sent.start + end)
            if any(s < span[1] and span[0] < e for s, e in taken) or _is_known_non_person(name):
                continue
            rule = rule_for(name)
            key = ("MEDIA", rule.name if rule else name)
            cluster = others.setdefault(key, _Cluster(key[1], "MEDIA", sent.index, start, end, confidence=0.7))
            if name != cluster.name:
                cluster.aliases.add(name)
            cluster.mention(span)
            taken.append(span)


def _add_person(people: list[_Cluster], index: int, doc: Doc, ent: Span, ctx: Any) -> None:
    name = clean_name(ent.text)
    if len(name) < 4 or not name[:1].isupper() or doc.text[ent.end_char: ent.end_char + 1] == "-":
        return  # "Tit" of "Tit-for-tat"
    at = alias_mod.match_person([c.name for c in people], name, cutoff=PERSON_MERGE_CUTOFF)
    if at is None:
        cluster = _Cluster(name, "PERSON", index, ent.start_char, ent.end_char,
                           confidence=0.9 if ent.label_ == "PERSON" else 0.7)
        people.append(cluster)
    else:
        cluster = people[at]
        if len(name.split()) > len(cluster.name.split()):  # the fuller name becomes the name
            cluster.aliases.add(cluster.name)
            cluster.name = name
        elif name != cluster.name:
            cluster.aliases.add(name)
    span = _mention_span(ctx, index, ent.start_char, ent.text, name)
    cluster.mention(span)
    if _parsed(doc):  # the parse's readings first; the text's below fill the gaps
        for role in _roles(doc, ent):
            _add_role(cluster, role)
        _add_status(cluster, _status(doc, ent, ctx))
    if span is not None:
        offset = ctx.sentences[index].start
        _text_facts(cluster, ctx, index, span[0] - offset, span[1] - offset)


def _clause_roles(people: list[_Cluster], doc: Doc) -> None:
    """"..., where he served as head of national relations": a role of the last
    person named before the clause."""
    for m in _CLAUSE_ROLE.finditer(doc.text):
        named = [e for e in doc.ents if e.end_char <= m.start()]
        for e in reversed(named):
            at = alias_mod.match_person([c.name for c in people], clean_name(e.text))
            if at is not None:
                role = roles_mod.clean_role(m["role"], drop_name=True)
                if role not in people[at].roles:
                    people[at].roles.append(role)
                break


_CAP_NAME = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:(?:al|el|bin|abu|ibn)[- ])?[A-Z][\w’'-]+)*")
_TEXT_ROLE = re.compile(
    r"(?P<role>(?:\b(?:[A-Z][\w’'-]+|" + "|".join(sorted(_ROLE_WORDS)) + r")\s+){1,7})$"
)


_CONTRIBUTED = re.compile(
    r"(?:\b(?P<outlet>[A-Z][\w]*(?:\s[A-Z][\w]*)?)['’]s?\s+)?(?P<names>(?:[^.;:\n]|(?<=\b[A-Z])\.){3,400}?)\s+"
    r"contributed\s+(?:reporting(?:\s+to\s+this\s+(?:report|story|article))?|to\s+this\s+(?:report|story|article))"
)


def _contributors(people: list[_Cluster], ctx: Any) -> None:
    """"CNN's Eve Brennan and Kareem Khadder contributed to this report": their role."""
    for m in _CONTRIBUTED.finditer(ctx.article.text):
        role = f"{m['outlet']} contributor" if m["outlet"] else "contributor"
        start, end = m.start("names"), m.end("names")
        for cluster in people:
            if any(start <= s and e <= end for s, e in cluster.spans) and role not in cluster.roles:
                cluster.roles.append(role)


def _split_title(run: str) -> tuple[str | None, str]:
    """"Israeli Finance Minister Bezalel Smotrich" -> ("Israeli Finance Minister", "Bezalel
    Smotrich"): the title words of a capitalised run, up to its last role word."""
    words = run.split()
    cut = max((i for i, w in enumerate(words[:-1]) if w.lower() in ROLE_HEADS), default=-1)
    if cut < 0:
        return None, run
    return " ".join(words[: cut + 1]), " ".join(words[cut + 1:])


def _scan_unanalysed(people: list[_Cluster], ctx: Any) -> None:
    """Sentences the pre-filter skipped are not parsed (speed), and the model misses
    some variants ("Kasab"): scan every sentence cheaply for name variants of people
    already found and for their roles."""
    if not people:
        return
    for sent in ctx.sentences:
        text = sent.text
        for m in _CAP_NAME.finditer(text):
            title, name_part = _split_title(m.group())
            cand = clean_name(name_part)
            at = alias_mod.match_person([c.name for c in people], cand)
            if at is None or _is_known_non_person(cand):
                continue
            cluster = people[at]
            span = _mention_span(ctx, sent.index, m.start(), m.group(), cand)
            cluster.mention(span)
            if span is not None:
                _text_facts(cluster, ctx, sent.index, span[0] - sent.start, span[1] - sent.start)
            if title and title not in cluster.roles:
                cluster.roles.append(title)  # "Israeli Finance Minister Bezalel Smotrich"
            if cand != cluster.name:
                if len(cand.split()) > len(cluster.name.split()):
                    cluster.aliases.add(cluster.name)
                    cluster.name = cand
                else:
                    cluster.aliases.add(cand)
            start = m.start() + max(0, m.group().find(cand))
            window = text[max(0, start - 80): start]
            before = _TEXT_ROLE.search(window)
            elected = before and re.search(r"\b(?:elected|appointed|named|promoted to)\s+$", window[: before.start()])
            if before and not elected and any(w.lower() in ROLE_HEADS for w in before["role"].split()):
                role = re.sub(r"^(?:the|of)\s+", "", before["role"].strip())
                if role not in cluster.roles:
                    cluster.roles.append(role)
            for cm in _CLAUSE_ROLE.finditer(text, m.end()):
                role = roles_mod.clean_role(cm["role"], drop_name=True)
                if role not in cluster.roles:
                    cluster.roles.append(role)
                break


_ACRONYM_AFTER = re.compile(r"\s*\((?P<acronym>[A-Z]{2,6})\)?$")


def _add_other(others: dict[tuple[str, str], _Cluster], index: int, ent: Span, ctx: Any, *,
               kind: str | None = None) -> None:
    """An organisation or place mention; ``kind`` forces one ("MEDIA" for an outlet)."""
    m = _ACRONYM_AFTER.search(ent.text)
    if m and m.start() > 0 and ent.label_ == "ORG":  # "Office of Foreign Assets Control (OFAC": two mentions
        name_span = ent.doc.char_span(ent.start_char, ent.start_char + m.start(), label="ORG")
        acronym = ent.doc.char_span(ent.start_char + m.start("acronym"), ent.start_char + m.end("acronym"),
                                    label="ORG")
        if name_span is not None and acronym is not None:
            _add_other(others, index, name_span, ctx, kind=kind)
            _add_other(others, index, acronym, ctx, kind=kind)
            return
    text = clean_name(ent.text) if ent.label_ != "ORG" and kind is None else ent.text.strip()
    rule = rule_for(text)
    if ent.label_ == "ORG" or rule is not None or kind is not None:
        name = ent.ent_id_ if ent.ent_id_ and rule is not None else (rule.name if rule else re.sub(r"^the\s+", "", text, flags=re.I))
        kind = kind or (rule.kind if rule else "ORG")
    else:
        place = ctx.geocode(text)
        name, kind = (place.name if place and place.name else (ent.ent_id_ or text)), ent.label_
    if not name:
        return
    key = (kind, name)
    cluster = others.get(key)
    if cluster is None:
        cluster = _Cluster(name, kind, index, ent.start_char, ent.end_char,
                           place_text=text if kind in ("GPE", "LOC", "FAC") else None)
        others[key] = cluster
    if text != name:
        cluster.aliases.add(text)
    cluster.mention(_mention_span(ctx, index, ent.start_char, ent.text, _core(ent.text, rule)))


def _core(text: str, rule: OrgRule | None) -> str | None:
    """The name inside a rule alias with lower-case descriptors: "Kan public broadcaster",
    "public broadcaster Kan" -> "Kan"; "Channel 12 news" -> "Channel 12" (the gold's span)."""
    if rule is None:
        return None
    for form in sorted((rule.name, *rule.aliases), key=len):
        m = re.fullmatch(rf"((?:[a-z]+ )*)({re.escape(form)})((?: [a-z]+)*)", text, re.IGNORECASE)
        if m and (m[1] or m[3]) and (m[1] + m[3]).islower():
            return m[2]
    return None


def _entity(ctx: Any, c: _Cluster) -> Entity:
    place = ctx.geocode(c.place_text) if c.place_text else None
    return Entity(
        id=stable_id("ent", ctx.article.id, c.kind, c.name),
        article_id=ctx.article.id,
        name=c.name,
        kind=c.kind,
        aliases=tuple(sorted(c.aliases - {c.name})),
        roles=tuple(c.roles),
        evidence=ctx.evidence(c.sentence, c.start, c.end),
        confidence=c.confidence,
        place=place,
        status=tuple(c.status),
        mentions=tuple(sorted(c.spans)),
    )
