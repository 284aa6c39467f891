"""Claims: the figures an article states (killed, injured, hostages held, displaced ...).

For each count in a sentence (``doc._.quantities``) the dependency parse says what
it counts: number -> counted noun -> verb ("22,185 Palestinians have been killed",
"left 42,000 people dead", "seizing 251 hostages"), or a noun that is a metric
itself ("42,000 deaths", "a death toll of 42,000", "the release of four hostages").
Then come who says so (``attribution``), hedges, modality, scope and the as-of date
(``claims_scope``), links between figures ("97 of the 251", "including the bodies of
at least 34") and the event the figure counts the victims of.

The metric vocabulary is data (``rules/metrics.json``) and documented in docs/claims.md,
with the confidence scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from ..errors import RulesError
from ..records import Claim, Event, Quantity, stable_id
from ..rules import read_json
from . import attribution, claims_scope
from .attribution import Attribution
from .quantities import QuantityMention
from .tokens import same

RULES_FILE = "metrics.json"

# Confidence of a metric reading by the path that found it (docs/claims.md "Confidence";
# hand-set on the seeds and 30 CNN 2024 war articles; re-check them after changing).
PATH_CONFIDENCE = {
    "direct": 0.85,  # number -> noun -> metric verb/noun, or a metric noun
    "climbed": 0.75,  # through a coordination ("and another 1,000 terrorists")
    "toll": 0.75,  # "the death toll rose to 42,000"
    "inherited": 0.65,  # the metric of the figure it is part of ("including 10 children")
    "zero": 0.8,  # "no casualties were reported"
    "presence": 0.6,  # fighters/soldiers counted with no outcome: combatants ("3,000 gunmen crossed")
}
VAGUE_PENALTY = 0.1
FAR_SOURCE_PENALTY = 0.05
NO_SOURCE_PENALTY = 0.0


@dataclass(frozen=True)
class MetricRules:
    metrics: dict[str, str]
    verbs: dict[str, str]
    intransitive: frozenset[str]
    needs_person_noun: frozenset[str]
    needs_body_noun: frozenset[str]
    needs_hostage_context: frozenset[str]
    predicates: dict[str, str]
    predicate_verbs: frozenset[str]
    nouns: dict[str, str]
    event_nouns: dict[str, str]
    toll_nouns: dict[str, str | None]
    toll_modifiers: dict[str, str]
    body_nouns: frozenset[str]
    hostage_words: frozenset[str]
    prisoner_words: frozenset[str]
    subjects: dict[str, str]  # word or "compound word" -> normalised subject
    combatant_subjects: frozenset[str]
    object_verbs: frozenset[str] = frozenset()
    life_verbs: frozenset[str] = frozenset()
    refuge_words: frozenset[str] = frozenset()
    refuge_verbs: frozenset[str] = frozenset()  # take/seek/find + refuge_words = displaced
    hospital_verbs: frozenset[str] = frozenset()  # "were taken to hospital" = injured
    risk_verbs: frozenset[str] = frozenset()  # "putting thousands at risk" = affected
    need_words: frozenset[str] = frozenset()  # "people in need" = affected
    partitive_words: frozenset[str] = frozenset()
    fused: dict[tuple[str, str], str] = field(default_factory=dict)  # (killed, injured) -> killed_or_injured
    not_figures: frozenset[str] = frozenset()  # vague words that are no figure ("many", "numerous")
    condition_words: frozenset[str] = frozenset()  # "critical", "serious" (condition) = injured


def _str_map(data: dict[str, Any], key: str, metrics: dict[str, str], *, nullable: bool = False) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise RulesError(f"rules/{RULES_FILE}: '{key}' must be an object; see docs/claims.md")
    for word, metric in value.items():
        if metric is None and nullable:
            continue
        if metric not in metrics:
            raise RulesError(
                f"rules/{RULES_FILE}: '{key}.{word}' names metric {metric!r}, which is not in 'metrics'; "
                "add it there (and to docs/claims.md) first"
            )
    return {k.lower(): v for k, v in value.items()}


def _set(data: dict[str, Any], key: str) -> frozenset[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"rules/{RULES_FILE}: '{key}' must be a list of strings")
    return frozenset(v.lower() for v in value)


def validate_rules(data: Any) -> MetricRules:
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise RulesError(f"rules/{RULES_FILE}: needs a 'metrics' object of metric -> description")
    metrics = data["metrics"]
    subjects_raw = data.get("subjects")
    if not isinstance(subjects_raw, dict):
        raise RulesError(f"rules/{RULES_FILE}: 'subjects' must map a normalised subject to words")
    subjects: dict[str, str] = {}
    for norm, words in subjects_raw.items():
        if not isinstance(words, list):
            raise RulesError(f"rules/{RULES_FILE}: 'subjects.{norm}' must be a list of words")
        for w in words:
            subjects[w.lower()] = norm
    combatants = _set(data, "combatant_subjects")
    unknown = combatants - set(subjects_raw)
    if unknown:
        raise RulesError(f"rules/{RULES_FILE}: combatant_subjects {sorted(unknown)} are not in 'subjects'")
    return MetricRules(
        metrics=metrics,
        verbs=_str_map(data, "verbs", metrics),
        intransitive=_set(data, "intransitive"),
        needs_person_noun=_set(data, "needs_person_noun"),
        needs_body_noun=_set(data, "needs_body_noun"),
        needs_hostage_context=_set(data, "needs_hostage_context"),
        predicates=_str_map(data, "predicates", metrics),
        predicate_verbs=_set(data, "predicate_verbs"),
        nouns=_str_map(data, "nouns", metrics),
        event_nouns=_str_map(data, "event_nouns", metrics),
        toll_nouns=_str_map(data, "toll_nouns", metrics, nullable=True),
        toll_modifiers=_str_map(data, "toll_modifiers", metrics),
        body_nouns=_set(data, "body_nouns"),
        hostage_words=_set(data, "hostage_words"),
        prisoner_words=_set(data, "prisoner_words"),
        subjects=subjects,
        combatant_subjects=combatants,
        object_verbs=_set(data, "object_verbs"),
        life_verbs=_set(data, "life_verbs"),
        refuge_words=_set(data, "refuge_words"),
        refuge_verbs=_set(data, "refuge_verbs"),
        hospital_verbs=_set(data, "hospital_verbs"),
        risk_verbs=_set(data, "risk_verbs"),
        need_words=_set(data, "need_words"),
        partitive_words=_set(data, "partitive_words"),
        fused=_fused(data, metrics),
        not_figures=_set(data, "not_figures"),
        condition_words=_set(data, "condition_words"),
    )


def _fused(data: dict[str, Any], metrics: dict[str, str]) -> dict[tuple[str, str], str]:
    """"killed+injured" -> killed_or_injured, both orders."""
    raw = _str_map(data, "fused", metrics)
    out: dict[tuple[str, str], str] = {}
    for pair, metric in raw.items():
        parts = pair.split("+")
        if len(parts) != 2 or not all(p in metrics for p in parts):
            raise RulesError(f"rules/{RULES_FILE}: 'fused.{pair}' must be two metrics joined by '+'")
        out[(parts[0], parts[1])] = out[(parts[1], parts[0])] = metric
    return out


@lru_cache(maxsize=1)
def rules() -> MetricRules:
    return validate_rules(read_json(RULES_FILE))


# --- reading one number ---------------------------------------------------------------

@dataclass(frozen=True)
class Reading:
    """What one count counts, as the parse shows it."""

    metric: str | None  # None: no metric of its own (may inherit one, "including 10 children")
    predicate: Token  # the word that says what happened ("killed", "deaths", "left")
    anchor: Token  # the count's place in the parse (the counted noun, or the number)
    noun: Token | None  # the counted noun
    path: str  # a PATH_CONFIDENCE key
    bodies: bool = False
    toll: bool = False
    partitive: bool = False  # "six of whom": a part of the count before it


def _span_head(doc: Doc, m: QuantityMention) -> Token:
    for t in doc[m.token_start: m.token_end]:
        if not m.token_start <= t.head.i < m.token_end or t.head.i == t.i:
            return t
    return doc[m.token_end - 1]


def subject_norm(tok: Token | None, r: MetricRules) -> str | None:
    """The normalised subject of a counted noun ("Palestinians" -> palestinians)."""
    if tok is None:
        return None
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ == "compound" and child.i == tok.i - 1:
            both = f"{child.lemma_.lower()} {lemma}"
            if both in r.subjects:
                return r.subjects[both]
    if lemma in r.subjects or tok.lower_ in r.subjects:
        norm = r.subjects.get(lemma) or r.subjects[tok.lower_]
        if norm == "people":
            for child in tok.children:
                if child.ent_type_ == "NORP" and child.dep_ in ("amod", "compound"):
                    return _demonym(child.text)
        return norm
    if tok.ent_type_ == "NORP" or (tok.pos_ == "PROPN" and tok.tag_ == "NNPS"):
        return _demonym(tok.text)
    return None


def _demonym(text: str) -> str:
    low = text.lower()
    if low.endswith(("s", "ese", "sh")) or low in ("french", "dutch", "swiss"):
        return low
    return low + "s"


def _is_person(tok: Token | None, r: MetricRules) -> bool:
    return subject_norm(tok, r) is not None


def _counts_people(noun: Token | None, r: MetricRules) -> bool:
    """A toll's number counts people: no noun ("rose to 42,000"), people or bodies, not
    "the toll came from two separate strikes"."""
    return noun is None or _is_person(noun, r) or _is_body(noun, r) or noun.lemma_.lower() in r.nouns


def _is_body(tok: Token | None, r: MetricRules) -> bool:
    return tok is not None and tok.lemma_.lower() in r.body_nouns


def _predicate_metric(verb: Token, r: MetricRules) -> str | None:
    """The metric of a predicate adjective under ``verb`` ("left ... dead", "are missing",
    "left 30 people dead or missing")."""
    for child in verb.children:
        if child.dep_ in ("oprd", "acomp", "xcomp", "ccomp", "attr", "advmod", "dobj"):
            metric = r.predicates.get(child.lower_) or r.predicates.get(child.lemma_.lower())
            if metric and child.pos_ in ("ADJ", "VERB", "NOUN", "ADV"):
                return _fuse(child, metric, lambda t: r.predicates.get(t.lower_), r)
            if child.dep_ == "xcomp" and child.lemma_ == "be" and verb.lemma_ != "be":
                return _predicate_metric(child, r)  # "believed to be still captive"
    return None


def _fuse(tok: Token, metric: str, metric_of: Any, r: MetricRules) -> str:
    """"killed or wounded", "dead or missing", "killed or captured": one fused count."""
    if not any(c.dep_ == "cc" and c.lower_ == "or" for c in tok.children):
        return metric
    for conj in tok.children:
        if conj.dep_ == "conj":
            other = metric_of(conj)
            if other and other != metric:
                return r.fused.get((metric, other), metric)
    return metric


def _object_metric(verb: Token, rel: str, r: MetricRules) -> str | None:
    """Metrics carried by the verb's object or a participle parsed as the verb:
    "four people sustained shrapnel wounds", "the tragedy claimed 298 lives" / "claimed
    the lives of several people", "hundreds were taking refuge", "more than 195 are
    missing", "four Pakistanis were among the dead"."""
    lemma = verb.lemma_.lower()
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if rel == "nsubj" and lemma in r.object_verbs:
        for obj in objects:
            metric = r.nouns.get(obj.lemma_.lower())
            if metric:
                return metric
    if rel == "dobj" and lemma in r.life_verbs and any(o.lemma_.lower() == "life" for o in objects):
        return "killed"
    if rel == "nsubj" and lemma in r.refuge_verbs and any(o.lemma_.lower() in r.refuge_words for o in objects):
        return "displaced"
    if rel == "nsubjpass" and lemma in r.hospital_verbs and any(
        p.dep_ == "prep" and p.lower_ in ("to", "into") and any(h.lemma_.lower() == "hospital" for h in p.children)
        for p in verb.children
    ):
        return "injured"  # "two Americans were taken to hospital"
    if rel == "dobj" and lemma in r.risk_verbs and any(
        p.dep_ == "prep" and p.lower_ == "at" and any(h.lemma_.lower() == "risk" for h in p.children)
        for p in verb.children
    ):
        return "affected"  # "putting thousands of Palestinians at risk"
    if rel == "nsubj" and verb.lower_ in r.predicates and any(
        c.dep_ in ("aux", "auxpass") and c.lemma_ in ("be", "remain") for c in verb.children
    ):
        return r.predicates[verb.lower_]
    if rel == "nsubj" and lemma == "be":
        for prep in verb.children:
            if prep.dep_ != "prep":
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                if prep.lower_ == "among":  # "among the dead", "among those killed"
                    metric = r.predicates.get(obj.lower_) or r.nouns.get(obj.lemma_.lower())
                    if not metric and obj.lower_ in r.partitive_words:
                        metric = next((r.predicates.get(a.lower_) or _verb_metric(a, "nsubjpass", None, r, bodies=False)
                                       for a in obj.children if a.dep_ in ("acl", "relcl")), None)
                    if metric:
                        return metric
                if prep.lower_ == "in" and obj.lemma_.lower() == "condition" and any(
                    a.lower_ in r.condition_words for a in obj.children
                ):
                    return "injured"  # "five people are in critical condition"
    return None


def _takes_hostage(verb: Token) -> bool:
    """"took 240 people hostage", "were taken captive"."""
    return verb.lemma_.lower() == "take" and any(
        c.lower_ in ("hostage", "hostages", "captive", "captives", "prisoner") for c in verb.children
    )


def _is_patient(verb: Token, rel: str, r: MetricRules) -> bool:
    if rel in ("nsubjpass", "dobj", "oprd", "nummod", "npadvmod", "attr"):
        return True
    if rel == "nsubj":
        if verb.lemma_.lower() in r.intransitive:
            return True
        has_have = any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)
        if verb.dep_ == "conj" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children) and any(
            c.dep_ == "auxpass" for c in verb.head.children
        ):
            return True  # "1,200 were killed and more than 250 others abducted"
        return verb.tag_ == "VBN" and not has_have  # "57,035 others injured"
    return False


def _verb_metric(verb: Token, rel: str, counted: Token | None, r: MetricRules, *, bodies: bool) -> str | None:
    if verb.pos_ not in ("VERB", "AUX", "ADJ"):
        return None
    lemma = verb.lemma_.lower()
    if lemma in r.predicate_verbs or lemma == "shoot":
        metric = _predicate_metric(verb, r)
        if metric:
            return metric
    if _takes_hostage(verb) and rel in ("nsubjpass", "dobj"):
        return "hostages_taken"
    metric = _object_metric(verb, rel, r)
    if metric:
        return metric
    if lemma == "lose" and rel == "nsubj" and any(c.lemma_ == "life" for c in verb.children):
        return "killed"
    metric = r.verbs.get(lemma)
    if metric is None or not _is_patient(verb, rel, r):
        return None
    if lemma in r.needs_body_noun and not bodies:
        return None
    if lemma in r.needs_person_noun and not (bodies or _is_person(counted, r)):
        return None
    return metric


def _climb(tok: Token) -> Token:
    """Up through coordinations and appositions of nouns ("17,000 combatants ... and
    another 1,000 terrorists")."""
    t = tok
    while t.dep_ in ("conj", "appos") and t.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        t = t.head
    return t


def _modifier_metric(tok: Token, r: MetricRules, *, bodies: bool) -> tuple[str, Token] | None:
    """A participle or adjective on the counted noun ("hostages abducted", "people who
    were killed", "injured people", "34 confirmed dead")."""
    for child in tok.children:
        if child.dep_ in ("acl", "relcl") and child.pos_ in ("VERB", "AUX"):
            if _part_subject(child, r):
                continue  # "eight citizens ..., three of whom have been confirmed dead": the part's
            rel = "nsubjpass" if child.dep_ == "acl" else _relcl_role(child)
            metric = _verb_metric(child, rel, tok, r, bodies=bodies)
            if metric:
                return metric, child
        if child.dep_ == "amod" and child.i < tok.i:
            metric = r.predicates.get(child.lower_)
            if metric and metric != "killed":
                return metric, child
    head = tok.head
    if tok.dep_ in ("nummod", "npadvmod", "nsubj") and head.pos_ == "VERB" and head.dep_ == "acl":
        metric = _verb_metric(head, "nummod", tok, r, bodies=bodies)
        if metric:
            return metric, head
    return None


def _part_subject(verb: Token, r: MetricRules) -> bool:
    """The clause's subject is a part ("three of whom")."""
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and any(
            p.dep_ == "prep" and p.lower_ == "of" and any(w.lower_ in r.partitive_words for w in p.children)
            for p in c.children)
        for c in verb.children
    )


def _in_need(noun: Token | None, r: MetricRules) -> Token | None:
    """"hundreds of thousands of people in need": the "need" token."""
    if noun is None or not _is_person(noun, r):
        return None
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "in":
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.lemma_.lower() in r.need_words:
                    return obj
    return None


def _relcl_role(verb: Token) -> str:
    for c in verb.children:
        if c.lower_ in ("who", "that", "which", "whom"):
            return c.dep_
    return ""


def _toll_metric(noun: Token, r: MetricRules) -> str | None:
    lemma = noun.lemma_.lower()
    if lemma not in r.toll_nouns:
        return None
    for child in noun.children:
        if child.dep_ in ("compound", "amod") and child.lemma_.lower() in r.toll_modifiers:
            return r.toll_modifiers[child.lemma_.lower()]
        if child.dep_ == "prep" and child.lower_ == "of":
            for p in child.children:
                metric = r.toll_modifiers.get(p.lower_) or r.toll_modifiers.get(p.lemma_.lower())
                if metric:
                    return metric
                for a in p.children:  # "the number of people displaced"
                    if a.dep_ in ("acl", "amod") and a.lower_ in r.toll_modifiers:
                        return r.toll_modifiers[a.lower_]
    return r.toll_nouns[lemma]


def _shared_object_reading(head: Token, rel: str, anchor: Token, noun: Token | None, r: MetricRules,
                           *, bodies: bool, path: str) -> Reading | None:
    """"killed and displaced dozens": the object of both verbs takes the first outcome;
    "killed or captured 14,000": one fused count."""
    first = head.head
    if rel != "dobj" or head.dep_ != "conj" or first.pos_ != "VERB" or any(c.dep_ == "dobj" for c in first.children):
        return None
    metric = _verb_metric(first, rel, noun, r, bodies=bodies)
    if not metric:
        return None
    return Reading(_fuse(first, metric, lambda t: _verb_metric(t, rel, noun, r, bodies=bodies), r),
                   first, anchor, noun, path, bodies)


def _governor_reading(anchor: Token, noun: Token | None, r: MetricRules, *, bodies: bool) -> Reading | None:
    t = _climb(anchor)
    path = "direct" if same(t, anchor) else "climbed"
    rel, head = t.dep_, t.head
    if same(head, t):
        return None
    shared = _shared_object_reading(head, rel, anchor, noun, r, bodies=bodies, path=path)
    if shared:
        return shared
    metric = _verb_metric(head, rel, noun, r, bodies=bodies)
    if metric:
        return Reading(metric, head, anchor, noun, path, bodies)
    if rel in ("nsubj", "nsubjpass"):
        # "Three perpetrators were identified and were killed": a later verb of the same subject.
        for conj in head.children:
            if conj.dep_ == "conj" and conj.pos_ == "VERB" and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in conj.children
            ):
                passive = any(c.dep_ == "auxpass" for c in conj.children) or (
                    rel == "nsubjpass" and conj.tag_ == "VBN"
                )
                metric = _verb_metric(conj, "nsubjpass" if passive else "nsubj", noun, r, bodies=bodies)
                if metric:
                    return Reading(metric, conj, anchor, noun, "climbed", bodies)
    if rel == "pobj" and head.dep_ == "prep":
        owner = head.head
        if head.lower_ in ("of", "for") and owner.pos_ == "NOUN":
            metric = r.event_nouns.get(owner.lemma_.lower())
            if metric and (metric != "released" or _is_person(noun, r)):
                return Reading(metric, owner, anchor, noun, path, bodies)
            metric = _toll_metric(owner, r)
            if metric and _counts_people(noun, r):
                return Reading(metric, owner, anchor, noun, "toll", bodies, toll=True)
        if head.lower_ in ("to", "at", "from") and owner.pos_ == "VERB":
            for c in owner.children:
                if c.dep_ in ("nsubj", "dobj", "nsubjpass"):
                    metric = _toll_metric(c, r)
                    if metric and _counts_people(noun, r):
                        return Reading(metric, c, anchor, noun, "toll", bodies, toll=True)
    if rel in ("attr", "acomp") and head.lemma_ == "be":
        for c in head.children:
            if c.dep_ == "nsubj":
                metric = _toll_metric(c, r)
                if metric:
                    return Reading(metric, c, anchor, noun, "toll", bodies, toll=True)
    return None


def _partitive(num: Token, noun: Token | None, r: MetricRules) -> Reading | None:
    """"Five of those killed" (the metric of the participle), "ten of the killed", and "six
    of whom" / "two of them" (no metric of its own: a part of the count before it)."""
    whole = noun
    if whole is None or whole.lower_ not in r.partitive_words:
        whole = next((p for c in num.children if c.dep_ == "prep" and c.lower_ == "of"
                      for p in c.children if p.dep_ == "pobj"), None)
        if whole is None:
            return None
        metric = r.predicates.get(whole.lower_)
        return Reading(metric, whole, num, None, "direct") if metric else None
    for child in whole.children:
        if child.dep_ in ("acl", "relcl") and child.pos_ in ("VERB", "ADJ"):
            metric = _verb_metric(child, "nsubjpass", None, r, bodies=False) or r.predicates.get(child.lower_)
            if metric:
                return Reading(metric, child, num, None, "direct")
    # "three of whom have been confirmed dead": the part's own predicate, if any; the whole
    # before it gives what is counted (and, without a predicate, the metric).
    own = _governor_reading(num, None, r, bodies=False)
    if own is not None:
        return replace(own, partitive=True)
    return Reading(None, num, num, None, "inherited", partitive=True)


def read_metric(doc: Doc, m: QuantityMention, r: MetricRules) -> Reading:
    """What the count ``m`` counts; ``metric`` is None when the parse does not say."""
    num = _span_head(doc, m)
    noun = doc[m.noun] if m.noun is not None else None
    anchor = noun if noun is not None and same(num.head, noun) else num
    if same(anchor, num) and num.head.lower_ in ("more", "others", "other") and num.dep_ in ("nummod", "npadvmod"):
        anchor = num.head  # "injured 300 more"
    bodies = False
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "of" and _is_body(anchor.head.head, r):
        anchor, bodies = anchor.head.head, True  # "the bodies of 37 hostages"
    elif anchor.dep_ == "pobj" and anchor.head.lower_ == "of" and anchor.head.head.lemma_.lower() == "life":
        anchor = anchor.head.head  # "claimed the lives of several people"
    bodies = bodies or _is_body(noun, r)  # "received three bodies", "recovered 37 bodies"
    partitive = _partitive(num, noun, r)
    if partitive is not None:
        return partitive
    if noun is not None:
        metric = r.nouns.get(noun.lemma_.lower()) or r.nouns.get(noun.lower_)
        if metric:
            return Reading(metric, noun, anchor, noun, "direct", bodies)
    if not bodies:
        found = _modifier_metric(anchor, r, bodies=bodies)
        if found:
            return Reading(found[0], found[1], anchor, noun, "direct", bodies)
    need = _in_need(noun, r)
    if need is not None:
        return Reading("affected", need, anchor, noun, "direct", bodies)
    reading = _governor_reading(anchor, noun, r, bodies=bodies)
    if reading:
        return reading
    return Reading(None, anchor, anchor, noun, "inherited", bodies)


# --- assembling claims ----------------------------------------------------------------

@dataclass
class _Draft:
    """A claim being built (mutable while the sentence's figures are linked)."""

    sentence: int
    mention: QuantityMention
    reading: Reading
    metric: str | None
    subject: str | None
    subject_norm: str | None
    quantity: Quantity
    parent: _Draft | None = None
    confidence: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def _subject_text(noun: Token | None) -> str | None:
    if noun is None:
        return None
    lo = noun.i
    for child in sorted(noun.children, key=lambda c: -c.i):
        if child.i < noun.i and child.dep_ in ("compound", "amod") and child.i == lo - 1:
            lo = child.i
    return noun.doc[lo: noun.i + 1].text


def _hostage_context(texts: list[str], r: MetricRules) -> str | None:
    joined = " ".join(texts).lower()
    if any(w in joined for w in r.hostage_words):
        return "hostages"
    if any(w in joined for w in r.prisoner_words):
        return "prisoners"
    return None


def _specialise(d: _Draft, context: str | None, r: MetricRules) -> str | None:
    """Refine a generic metric by what is counted and the hostage/prisoner context."""
    metric, norm = d.metric, d.subject_norm
    lemma = d.reading.predicate.lemma_.lower()
    if metric == "released":
        if norm == "prisoners":
            return "prisoners_released"
        if norm == "hostages":
            return "hostages_released"
        return f"{context}_released" if context else "released"
    if metric in ("hostages_held", "hostages_taken") and lemma in r.needs_hostage_context:
        if norm == "prisoners":
            return "detained" if lemma == "hold" else None
        if norm != "hostages" and context != "hostages" and not d.reading.bodies:
            return None
        # "Hamas holds the bodies of two soldiers": still hostages held (the guide's rule 2).
    if metric == "hostages_rescued" and norm != "hostages" and context != "hostages":
        return "rescued" if norm is not None else None
    if metric == "killed":
        if norm == "hostages":
            return "hostages_dead"
        # Fighters killed stay "killed" (subject_norm says who): "combatants" counts
        # fighters present or deployed, never casualties (docs/annotation-guide.md).
    return metric


def _drafts_for(doc: Doc, sentence: int, texts: list[str], r: MetricRules) -> list[_Draft]:
    drafts: list[_Draft] = []
    mentions = [m for m in (doc._.quantities or [])
                if m.kind in ("count", "percent") and (m.quantity.vague or "").lower() not in r.not_figures]
    for m in mentions:
        reading = read_metric(doc, m, r)
        noun = reading.noun
        if m.kind == "percent" and noun is None:
            noun = _share_of(doc, m)  # "70 percent of those killed were women": the women
        drafts.append(
            _Draft(sentence, m, reading, reading.metric, _subject_text(noun), subject_norm(noun, r), m.quantity)
        )
    _link_parts(drafts)
    context = _hostage_context(texts, r)
    previous_norm: str | None = None
    for d in drafts:
        if d.parent is not None:
            if d.metric is None:
                d.metric = d.parent.metric
            if d.subject_norm is None:
                d.subject, d.subject_norm = d.subject or d.parent.subject, d.parent.subject_norm
            if d.metric in ("killed", "hostages_dead") and (
                d.parent.subject_norm == "hostages" or (d.parent.metric or "").startswith("hostages_")
                or d.parent.metric == "bodies_recovered"
            ):
                d.subject_norm = "hostages"
        if d.reading.noun is not None and d.reading.noun.lower_ in ("others", "other") and previous_norm:
            d.subject_norm = previous_norm
        if d.metric is not None:
            d.metric = _specialise(d, context, r)
        elif d.parent is None and d.mention.kind == "count" and d.subject_norm in r.combatant_subjects \
                and not _speaks(d.reading.anchor):
            d.metric = "combatants"  # fighters present, deployed or remaining
            d.reading = replace(d.reading, path="presence")
        if d.subject_norm:
            previous_norm = d.subject_norm
    return [d for d in drafts if d.metric is not None]


def _share_of(doc: Doc, m: QuantityMention) -> Token | None:
    """Who a share is of, when a copula says it: "70 percent of those killed were women"."""
    num = _span_head(doc, m)
    verb = num.head
    if num.dep_ == "nsubj" and verb.lemma_ == "be":
        return next((c for c in verb.children if c.dep_ == "attr"), None)
    return None


def _speaks(tok: Token) -> bool:
    """"two soldiers said": a group as the speaker, not a count of combatants."""
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in attribution.rules().speech_verbs


def _link_parts(drafts: list[_Draft]) -> None:
    """Set ``parent`` for "97 of the 251", "six of whom" and "including (the bodies of) at least 34"."""
    for i, d in enumerate(drafts):
        if d.reading.partitive and d.mention.kind == "count":
            d.parent = next((p for p in reversed(drafts[:i]) if p.metric), None)
    for d in drafts:
        m = d.mention
        if m.total is not None:
            for other in drafts:
                if other is not d and other.mention.token_start >= m.token_end and other.quantity.best == m.total.best:
                    d.parent = other
                    break
    for d in drafts:
        t = d.reading.anchor
        steps = 0
        while t.head.i != t.i and steps < 6:
            if t.lemma_.lower() == "include" or t.lower_ in ("including", "among"):
                target = t.head
                for other in drafts:
                    if other is d:
                        continue
                    r = other.reading
                    if target in (r.predicate, r.anchor, r.noun) or (
                        r.noun is not None and same(target.head, r.noun)
                    ):
                        d.parent = other
                        break
                break
            t, steps = t.head, steps + 1


def _zero_drafts(doc: Doc, sentence: int, r: MetricRules) -> list[_Draft]:
    """"No casualties were reported", "There were no casualties", "no one was killed or injured"."""
    out: list[_Draft] = []
    for tok in doc:
        low = tok.lower_
        target: Token | None = None
        if low == "no" and tok.dep_ == "det":
            target = tok.head
        elif low in ("nobody", "none") or (low == "one" and tok.i > 0 and doc[tok.i - 1].lower_ == "no"):
            target = tok
        if target is None:
            continue
        metrics: list[tuple[str, Token]] = []
        noun_metric = r.nouns.get(target.lemma_.lower())
        if noun_metric:
            metrics.append(("killed" if noun_metric == "killed_or_injured" else noun_metric, target))
        elif target.dep_ in ("nsubj", "nsubjpass"):
            verb = target.head
            for v in (verb, *[c for c in verb.children if c.dep_ == "conj"]):
                metric = _verb_metric(v, "nsubjpass", None, r, bodies=False) or _predicate_metric(v, r)
                if metric:
                    metrics.append((metric, v))
        start = tok.i - 1 if low == "one" else tok.i
        text = doc[start: target.i + 1].text if target.i >= start else tok.text
        for metric, pred in metrics:
            q = Quantity(0.0, 0.0, 0.0, "exact", text)
            mention = QuantityMention(doc[start].idx, doc[start].idx + len(text), start, target.i + 1, q)
            reading = Reading(metric, pred, target, None, "zero")
            out.append(_Draft(sentence, mention, reading, metric, None, None, q))
    return out


def _confidence(d: _Draft, attr: Attribution | None) -> float:
    c = PATH_CONFIDENCE[d.reading.path]
    if d.quantity.vague:
        c -= VAGUE_PENALTY
    if attr is not None and attr.cue in ("quote", "paragraph"):
        c -= FAR_SOURCE_PENALTY
    if attr is not None and attribution.is_pronoun(attr.source):
        c -= FAR_SOURCE_PENALTY
    if attr is None:
        c -= NO_SOURCE_PENALTY
    return round(max(0.05, min(0.99, c)), 2)


def _evidence_bounds(d: _Draft) -> tuple[int, int]:
    toks = [d.reading.predicate, d.reading.anchor]
    if d.reading.noun is not None:
        toks.append(d.reading.noun)
    start = min([d.mention.start_char, *(t.idx for t in toks)])
    end = max([d.mention.end_char, *(t.idx + len(t.text) for t in toks)])
    for child in d.reading.predicate.children:
        if child.dep_ in ("oprd", "acomp") and child.i > d.reading.predicate.i:
            end = max(end, child.idx + len(child.text))
    return start, end


def _event_for(events: list[Event], d: _Draft) -> Event | None:
    same = [e for e in events if e.evidence.sentence == d.sentence]
    if not same:
        return None
    best = d.quantity.best
    for e in same:
        q = e.fatalities if d.metric in ("killed", "combatants", "hostages_dead") else (
            e.injured if d.metric == "injured" else None
        )
        if q is not None and q.best == best:
            return e
    return same[0] if len(same) == 1 and d.metric in ("killed", "injured", "killed_or_injured") else None


def find_claims(ctx: Any) -> list[Claim]:
    """All claims of an article (``ctx`` is the pipeline's ArticleContext)."""
    r = rules()
    marks = attribution.rules().contrast_marks
    neighbours = attribution.sentence_sources(ctx.sentences)
    by_sentence: dict[int, list[Claim]] = {}
    claims: list[Claim] = []
    for idx in sorted(ctx.docs):
        doc = ctx.docs[idx]
        texts = [s.text for s in ctx.sentences[max(0, idx - 1): idx + 1]]
        drafts = _drafts_for(doc, idx, texts, r) + _zero_drafts(doc, idx, r)
        if not drafts:
            continue
        built = _build(ctx, doc, idx, drafts, neighbours, marks)
        by_sentence[idx] = built
        claims.extend(built)
    return _hedges_from_next_sentence(ctx, claims, by_sentence)


def _source_for(ctx: Any, doc: Doc, idx: int, d: _Draft, neighbours: dict[int, Attribution]) -> Attribution | None:
    pred = d.reading.predicate
    # "the tragedy claimed 298 lives": the figure's own verb is no speech verb.
    own = pred if pred.lemma_.lower() in rules().life_verbs else None
    attr = attribution.attribute(doc, pred, exclude=own)
    if attr is None and pred is not d.reading.anchor:
        attr = attribution.attribute(doc, d.reading.anchor, exclude=own)
    if attr is None:
        attr = neighbours.get(idx)
    if attr is not None and attribution.is_pronoun(attr.source):
        prev = attribution.previous_speaker(ctx, idx)
        if prev is not None:
            attr = replace(attr, source=prev)
    return attr


def _build(ctx: Any, doc: Doc, idx: int, drafts: list[_Draft], neighbours: dict[int, Attribution],
           marks: frozenset[str]) -> list[Claim]:
    sentence_text = ctx.sentences[idx].text
    window = claims_scope.rules().proposal_window
    proposal = claims_scope.proposal_context([s.text for s in ctx.sentences[max(0, idx - window): idx + 1]])
    dates = claims_scope.date_spans(doc, ctx.resolve_date)
    sent_hedges = claims_scope.sentence_hedges(sentence_text)
    ids: dict[int, str] = {}
    out: list[Claim] = []
    for d in drafts:
        pred = d.reading.predicate
        attr = _source_for(ctx, doc, idx, d, neighbours)
        shared = []
        if pred.dep_ == "conj" and pred.head.pos_ == "VERB" and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in pred.children
        ):
            shared = claims_scope.clause_hedges(pred.head, marks)  # "reportedly killed 90 and injured 300"
        hedges = tuple(dict.fromkeys([*claims_scope.clause_hedges(pred, marks), *shared, *sent_hedges]))
        modality = claims_scope.modality(pred, marks, proposal=proposal)
        if modality == "asserted" and attr is None and "reportedly" in hedges:
            modality = "reported"
        scope = claims_scope.scope_of(doc, pred, d.reading.anchor, dates, published=ctx.published,
                                      toll=d.reading.toll)
        # A running total or a period's count is no single event's toll.
        event = _event_for(ctx.events, d) if scope.scope not in ("cumulative", "recent") \
            and d.mention.kind == "count" else None
        start, end = _evidence_bounds(d)
        claim_id = stable_id("clm", ctx.article.id, idx, d.mention.start_char, d.metric)
        ids[id(d)] = claim_id
        out.append(
            Claim(
                id=claim_id,
                article_id=ctx.article.id,
                metric=d.metric or "",
                value=d.quantity,
                subject=d.subject,
                evidence=ctx.evidence(idx, start, end),
                confidence=_confidence(d, attr),
                source=attr.source if attr else None,
                as_of=scope.as_of,
                hedges=hedges,
                modality=modality,
                event_id=event.id if event else None,
                subject_norm=d.subject_norm,
                part_of=None,
                scope="event" if event is not None else ("period" if scope.scope == "recent" else scope.scope),
                unit=d.mention.kind,
            )
        )
    return [
        replace(c, part_of=ids.get(id(d.parent))) if d.parent is not None else c
        for c, d in zip(out, drafts, strict=True)
    ]


def _hedges_from_next_sentence(ctx: Any, claims: list[Claim], by_sentence: dict[int, list[Claim]]) -> list[Claim]:
    """"This toll cannot be verified ...": hedges of a sentence that refers back apply to
    the claims of the sentence before it."""
    updated: dict[str, Claim] = {}
    for idx in by_sentence:
        nxt = idx + 1
        if nxt >= len(ctx.sentences) or nxt in by_sentence and _has_own_figures(by_sentence[nxt]):
            continue
        text = ctx.sentences[nxt].text
        if not claims_scope.refers_back(text):
            continue
        extra = claims_scope.sentence_hedges(text)
        if not extra:
            continue
        for c in by_sentence[idx]:
            updated[c.id] = replace(c, hedges=tuple(dict.fromkeys([*c.hedges, *extra])))
    return [updated.get(c.id, c) for c in claims]


def _has_own_figures(claims: list[Claim]) -> bool:
    return any(c.value.best for c in claims)

