"""Who a figure or a statement comes from.

Shapes recognised (rules in ``rules/attribution.json``, documented in docs/claims.md):

* a speech verb governing the clause: "the ministry **says** 42,000 ...", "X said in a statement";
* "**according to** X" anywhere in the sentence, except across a contrast ("..., while
  nearly 1,200 Israelis are believed to have been killed" is not covered by an earlier
  "according to");
* a trailing reporting clause: "..., **the officials said**";
* figures that show: "**X's figures show** ...";
* "by X" only after verbs of counting/confirming ("confirmed dead **by the IDF**");
  after other verbs it names the perpetrator, never the source;
* reported speech across sentences: a quotation that closes, or a sentence of the same
  paragraph that ends in a reporting clause, covers the sentences it spans.

No source (``None``) means the outlet's own statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from ..errors import RulesError
from ..records import ActorRef
from ..rules import read_json
from .tokens import same

RULES_FILE = "attribution.json"

# Confidence of each attribution shape (hand-set on the seeds and 30 CNN war articles,
# 2024 corpus; see docs/claims.md "Confidence").
CONFIDENCE = {
    "speech_verb": 0.9,
    "according_to": 0.9,
    "figures_show": 0.85,
    "by_agent": 0.8,
    "reporting_clause": 0.85,
    "quote": 0.75,
    "paragraph": 0.6,
}

_QUOTES_OPEN = "“\""
_QUOTES_CLOSE = "”\""


@dataclass(frozen=True)
class AttributionRules:
    speech_verbs: frozenset[str]
    figure_nouns: frozenset[str]
    agent_source_verbs: frozenset[str]
    contrast_marks: frozenset[str]
    according_to: tuple[tuple[str, ...], ...]
    pronouns: frozenset[str]
    reporting_clause_verbs: frozenset[str]
    aliases: dict[str, str]  # normalised alias -> canonical name


@dataclass(frozen=True)
class Attribution:
    """A source with how it was found (``cue``) and how sure that shape is."""

    source: ActorRef | None
    cue: str
    confidence: float
    token: int | None = None  # the cue token in the Doc, when in the same sentence


def _list(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"rules/{RULES_FILE}: '{key}' must be a list of strings; see docs/claims.md")
    return [v.lower() for v in value]


def validate_rules(data: Any) -> AttributionRules:
    if not isinstance(data, dict):
        raise RulesError(f"rules/{RULES_FILE}: the top level must be an object")
    aliases_raw = data.get("aliases")
    if not isinstance(aliases_raw, dict):
        raise RulesError(f"rules/{RULES_FILE}: 'aliases' must map canonical names to lists of aliases")
    aliases: dict[str, str] = {}
    for name, values in aliases_raw.items():
        if name.startswith("_"):
            continue
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise RulesError(f"rules/{RULES_FILE}: aliases of '{name}' must be a list of strings")
        for v in values:
            aliases[normalise_name(v)] = name
    return AttributionRules(
        speech_verbs=frozenset(_list(data, "speech_verbs")),
        figure_nouns=frozenset(_list(data, "figure_nouns")),
        agent_source_verbs=frozenset(_list(data, "agent_source_verbs")),
        contrast_marks=frozenset(_list(data, "contrast_marks")),
        according_to=tuple(tuple(p.split()) for p in _list(data, "according_to")),
        pronouns=frozenset(_list(data, "pronouns")),
        reporting_clause_verbs=frozenset(_list(data, "reporting_clause_verbs")),
        aliases=aliases,
    )


@lru_cache(maxsize=1)
def rules() -> AttributionRules:
    return validate_rules(read_json(RULES_FILE))


# --- names -------------------------------------------------------------------------

_RUN_BY = re.compile(r"\b[\w-]+-(?:run|led|controlled|backed|affiliated)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’']s\b")


def normalise_name(text: str) -> str:
    """A small normaliser for actor names: lower case, no determiner, no "Hamas-run",
    no possessive ("Gaza's health authorities" -> "gaza health authorities")."""
    t = _RUN_BY.sub("", text.strip())
    t = _POSSESSIVE.sub("", t).lower()
    t = re.sub(r"^(?:(?:the|a|an)\s+)+", "", t)
    return " ".join(t.replace("’", "'").split())


def canonical_name(text: str) -> str | None:
    """The canonical entity name of an actor: ``entities.canonical`` when the entities
    stage provides it, else our alias table."""
    from . import entities

    fn = getattr(entities, "canonical", None)
    if callable(fn):
        return fn(text)
    key = normalise_name(text)
    aliases = rules().aliases
    if key in aliases:
        return aliases[key]
    return aliases.get(" ".join(key.split()[-3:])) if len(key.split()) > 3 else None


def actor_ref(text: str) -> ActorRef:
    return ActorRef(text=text, entity=canonical_name(text))


# --- spans ---------------------------------------------------------------------------

_CUT_DEPS = frozenset({"relcl", "appos", "advcl", "acl", "punct", "cc", "conj", "prep", "parataxis"})
_KEEP_PREPS = frozenset({"of", "for", "in", "at", "from"})


def phrase_of(tok: Token) -> str:
    """The noun phrase headed by ``tok``, as written, without relative clauses,
    appositions or a leading "the" ("the Hamas-run Gaza health ministry" ->
    "Hamas-run Gaza health ministry")."""
    keep = [tok]
    for child in tok.children:
        if child.dep_ == "conj" or child.dep_ == "cc":
            keep.extend(child.subtree)
        elif child.dep_ == "prep" and child.lower_ in _KEEP_PREPS and child.i > tok.i:
            keep.extend(t for t in child.subtree if t.dep_ not in ("relcl", "acl"))
        elif child.dep_ not in _CUT_DEPS:
            keep.extend(child.subtree)
    lo = min(t.i for t in keep)
    hi = max(t.i for t in keep)
    doc = tok.doc
    while lo < tok.i and doc[lo].lower_ in ("the", ",", "a", "an"):
        lo += 1
    while hi > tok.i and doc[hi].is_punct:
        hi -= 1
    return doc[lo: hi + 1].text


# --- contrast boundaries ---------------------------------------------------------------

def contrast_root(tok: Token, marks: frozenset[str]) -> Token | None:
    """The nearest clause above ``tok`` that is set against the rest of the sentence
    ("while ...", "but ..."), or None."""
    t = tok
    while t.head.i != t.i:
        if t.dep_ in ("advcl", "conj", "ccomp"):
            for child in t.children:
                if child.dep_ in ("mark", "cc", "advmod") and child.lower_ in marks and child.i < t.i:
                    return t
            if t.dep_ == "conj":
                for sib in t.head.children:
                    if sib.dep_ == "cc" and sib.lower_ in marks and sib.i < t.i:
                        return t
        t = t.head
    return None


def covers(cue: Token, tok: Token, marks: frozenset[str]) -> bool:
    """True when a sentence-level cue (according to, a reporting clause) covers ``tok``."""
    root_t = contrast_root(tok, marks)
    root_c = contrast_root(cue, marks)
    if root_t is None:
        return root_c is None
    return same(root_c, root_t) or root_t.is_ancestor(cue)


# --- in-sentence attribution -------------------------------------------------------------

def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "nsubj" and child.pos_ in ("PROPN", "NOUN", "PRON"):
            return child
    return None


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def _source_of_speech(verb: Token, r: AttributionRules) -> tuple[Token, str] | None:
    """The speaker of a speech verb, or None when the verb has none or is not speech."""
    if verb.lemma_.lower() not in r.speech_verbs:
        return None
    subj = _subject(verb)
    if verb.lemma_.lower() == "show":
        if subj is None or subj.lemma_.lower() not in r.figure_nouns:
            return None
        for child in subj.children:
            if child.dep_ in ("poss", "compound") and child.pos_ in ("PROPN", "NOUN"):
                return child, "figures_show"
        return None
    if subj is not None:
        return subj, "speech_verb"
    agent = _agent(verb)
    if agent is not None:
        return agent, "by_agent"
    return None


def according_to(doc: Doc, r: AttributionRules) -> list[tuple[Token, Token]]:
    """(cue token, source head) for each "according to X" / "citing X" in ``doc``."""
    out: list[tuple[Token, Token]] = []
    for tok in doc:
        low = tok.lower_
        if low not in ("according", "citing", "as", "per"):
            continue
        for phrase in r.according_to:
            if tuple(t.lower_ for t in doc[tok.i: tok.i + len(phrase)]) != phrase:
                continue
            end = tok.i + len(phrase)
            head = _first_pobj(doc, tok.i, end)
            if head is not None:
                out.append((tok, _owner_of_figures(head, r)))
            break
    return out


def _owner_of_figures(head: Token, r: AttributionRules) -> Token:
    """"according to figures by/from/of the health ministry": the ministry, not "figures"."""
    if head.lemma_.lower() not in r.figure_nouns:
        return head
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("by", "from", "of"):
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return obj
    return head


def _first_pobj(doc: Doc, start: int, end: int) -> Token | None:
    for t in doc[start:end]:
        for child in t.children:
            if child.dep_ in ("pobj", "dobj") and child.i >= end - 1:
                return child
    if end < len(doc) and doc[end].pos_ in ("PROPN", "NOUN", "DET"):
        t = doc[end]
        while t.head.i > t.i and t.head.i < len(doc) and t.dep_ in ("det", "compound", "amod", "poss", "case"):
            t = t.head
        return t
    return None


def _resolve_pronoun(tok: Token, r: AttributionRules) -> Token:
    """A pronoun speaker resolved to the subject of a higher speech verb in the
    same sentence ("The office recalled that it had denied ..." -> the office)."""
    if tok.lower_ not in r.pronouns:
        return tok
    t = tok.head
    while t.head.i != t.i:
        t = t.head
        found = _source_of_speech(t, r)
        if found and found[0].lower_ not in r.pronouns:
            return found[0]
    return tok


def attribute(doc: Doc, tok: Token, *, exclude: Token | None = None) -> Attribution | None:
    """The source of the clause of ``tok`` inside its own sentence, or None.

    ``exclude`` is a token that must not be taken as the speech verb (the claim's own
    verb, when it is also a speech verb such as "reported").
    """
    r = rules()
    marks = r.contrast_marks
    # 1. A speech verb above the clause, not across a contrast boundary.
    t = tok
    while True:
        found = _source_of_speech(t, r) if not same(t, exclude) else None
        if found and not same(found[0], tok):
            src, cue = found
            if cue != "by_agent" or t.lemma_.lower() in r.agent_source_verbs:
                return _make(doc, _resolve_pronoun(src, r), cue, t)
        if t.head.i == t.i or same(contrast_root(t, marks), t):
            break
        t = t.head
    # 2. "according to X" that covers the clause.
    for cue_tok, head in according_to(doc, r):
        if covers(cue_tok, tok, marks) and not head.is_ancestor(tok):
            return _make(doc, head, "according_to", cue_tok)
    # 3. A trailing reporting clause ("..., the officials said").
    for verb in doc:
        if verb.i <= tok.i or verb.lower_ not in r.reporting_clause_verbs or same(verb, exclude):
            continue
        if any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
            continue
        subj = _subject(verb)
        if subj is not None and covers(verb, tok, marks):
            return _make(doc, _resolve_pronoun(subj, r), "reporting_clause", verb)
    return None


def _make(doc: Doc, head: Token, cue: str, cue_tok: Token) -> Attribution:
    text = phrase_of(head)
    return Attribution(actor_ref(text), cue, CONFIDENCE[cue], cue_tok.i)


def is_pronoun(ref: ActorRef | None) -> bool:
    return ref is not None and ref.text.lower() in rules().pronouns


# --- across sentences ---------------------------------------------------------------

_TRAILING = re.compile(
    r"[,”\"]\s*(?P<who>(?:the\s+)?[A-Za-z][\w’'\-]*(?:\s+[\w’'\-]+){0,6}?)\s+"
    r"(?P<verb>said|says|told|tells|added|adds|announced|reported|stated|noted|wrote|continued|circulated|explained)"
    r"\b[^,]{0,80}$"
)
_TRAILING_INV = re.compile(
    r"[,”\"]\s*(?:said|says|added|told)\s+(?P<who>(?:the\s+)?[A-Za-z][\w’'\-]*(?:\s+[\w’'\-]+){0,6}?)\s*[.]?$"
)


def trailing_speaker(text: str) -> str | None:
    """The speaker of a sentence that ends in a reporting clause
    ("..., the officials said." -> "the officials"), from its text."""
    t = text.strip().rstrip(".").strip()
    m = _TRAILING.search(t) or _TRAILING_INV.search(t)
    if not m:
        return None
    who = m.group("who").strip()
    if who.lower() in rules().pronouns:
        return who
    return re.sub(r"^(?:the|a|an)\s+", "", who, flags=re.IGNORECASE)


def _quote_state(text: str) -> tuple[bool, bool]:
    """(opens a quotation left open at the end, closes one opened before)."""
    curly_open, curly_close = text.count("“"), text.count("”")
    straight = text.count('"')
    opens_unclosed = curly_open > curly_close or straight % 2 == 1 and text.lstrip().startswith('"')
    closes_earlier = curly_close > curly_open or straight % 2 == 1 and not text.lstrip().startswith('"')
    return opens_unclosed, closes_earlier


def sentence_sources(sentences: list[Any]) -> dict[int, Attribution]:
    """Sources that reach a sentence from its neighbours in the paragraph: the speaker
    of a quotation that spans several sentences, or an adjacent sentence's trailing
    reporting clause. ``sentences`` are ``segment.Sentence`` objects."""
    out: dict[int, Attribution] = {}
    k = 0
    n = len(sentences)
    while k < n:
        opens, _closes = _quote_state(sentences[k].text)
        if not opens:
            k += 1
            continue
        run = [k]
        j = k + 1
        while j < n and sentences[j].paragraph == sentences[k].paragraph:
            run.append(j)
            if _quote_state(sentences[j].text)[1]:
                break
            j += 1
        speaker = trailing_speaker(sentences[run[-1]].text) if len(run) > 1 else None
        if speaker:
            for idx in run[:-1]:
                out[idx] = Attribution(actor_ref(speaker), "quote", CONFIDENCE["quote"])
        k = j + 1 if len(run) > 1 else k + 1
    for idx, s in enumerate(sentences):
        if idx in out:
            continue
        for nb in (idx + 1, idx - 1):
            if 0 <= nb < n and sentences[nb].paragraph == s.paragraph:
                speaker = trailing_speaker(sentences[nb].text)
                if speaker and not _has_own_reporting(sentences[idx].text):
                    out[idx] = Attribution(actor_ref(speaker), "paragraph", CONFIDENCE["paragraph"])
                    break
    return out


def _has_own_reporting(text: str) -> bool:
    return trailing_speaker(text) is not None


def previous_speaker(ctx: Any, sentence: int, *, lookback: int = 3) -> ActorRef | None:
    """The last named speaker in the sentences before ``sentence`` (for "he said",
    "they added"): the subject of a speech verb, or a trailing reporting clause."""
    r = rules()
    for idx in range(sentence - 1, max(-1, sentence - 1 - lookback), -1):
        doc = ctx.docs.get(idx)
        if doc is not None:
            for tok in reversed(doc):
                found = _source_of_speech(tok, r) if tok.pos_ == "VERB" else None
                if found and found[0].lower_ not in r.pronouns and found[0].pos_ != "PRON":
                    return actor_ref(phrase_of(found[0]))
        speaker = trailing_speaker(ctx.sentences[idx].text)
        if speaker and speaker.lower() not in r.pronouns:
            return actor_ref(speaker)
    return None
