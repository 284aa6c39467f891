"""Statements about statements: who denies, confirms, proposes, rejects, suspends... what.

Read from the parse of each fully analysed sentence, with the lexicon in
``rules/statements.json`` (documented in docs/statements.md):

* **a stance verb with a speaker**: "Hamas confirmed that Arouri ... were killed"
  (confirms), "The office recalled that it had denied claims that ..." (denies; the pronoun
  resolved to the office), "Hamas has frozen discussions about a cease-fire" (suspends),
  "Egypt proposed a 12-day ceasefire" (proposes). The speaker is the verb's subject (or
  its agent, "was rejected by Hamas"); the proposition is its clausal complement, else its
  object, as written.
* **a denial adjective judging a report**: "reports that Hamas rejected a recent Egyptian
  proposal ... are incorrect" (denies; proposition: "Hamas rejected a recent Egyptian
  proposal ..."); the speaker is whoever the clause is attributed to ("Barnea told the
  families that ..."), found by ``attribution.attribute``.
* **assertions of our facts**: a reporting verb ("said", "announced") or "according to X"
  over a sentence that holds a figure claim or an event becomes an ``asserts`` statement
  whose ``target_id`` is that claim or event. Plain "said" sentences without a fact are not
  statements: every quote would be one.

A negated stance verb ("did not deny") is kept with the stance prefixed ``not_``, never
dropped and never read as its opposite. ``target_id`` links a statement to a claim or
event of the same article whose evidence lies inside the proposition.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..errors import RulesError
from ..records import ActorRef, Statement, stable_id
from ..rules import read_json
from . import attribution

RULES_FILE = "statements.json"
NON_ACLED = "Non-ACLED"  # PLOVER-only interactions are not facts a statement asserts


@dataclass(frozen=True)
class StatementRules:
    verbs: dict[str, str]
    assert_verbs: frozenset[str]
    report_nouns: frozenset[str]
    denial_adjectives: frozenset[str]
    confidence: dict[str, float]


def validate_rules(data: Any) -> StatementRules:
    try:
        verbs = {str(k).lower(): str(v) for k, v in dict(data["verbs"]).items()}
        conf = {str(k): float(v) for k, v in dict(data["confidence"]).items()}
        out = StatementRules(
            verbs=verbs,
            assert_verbs=frozenset(w.lower() for w in data["assert_verbs"]),
            report_nouns=frozenset(w.lower() for w in data["report_nouns"]),
            denial_adjectives=frozenset(w.lower() for w in data["denial_adjectives"]),
            confidence=conf,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RulesError(
            f"rules/{RULES_FILE} is invalid near {exc!r}: it needs verbs, assert_verbs, report_nouns, "
            "denial_adjectives and confidence"
        ) from exc
    missing = {"verb", "denial_adjective", "assert", "according_to"} - set(out.confidence)
    if missing:
        raise RulesError(f"rules/{RULES_FILE}: confidence lacks {sorted(missing)}")
    return out


@lru_cache(maxsize=1)
def rules() -> StatementRules:
    return validate_rules(read_json(RULES_FILE))


# --- spans -----------------------------------------------------------------------------

_CLAUSE_DEPS = ("ccomp", "xcomp")
_OBJECT_DEPS = ("dobj", "obj", "attr")


def _span(tokens: list[Token]) -> Span | None:
    if not tokens:
        return None
    doc = tokens[0].doc
    lo = min(t.i for t in tokens)
    hi = max(t.i for t in tokens) + 1
    while hi > lo and doc[hi - 1].is_punct:
        hi -= 1
    while lo < hi and (doc[lo].dep_ in ("mark", "punct") or doc[lo].lower_ in ("that", ",")):
        lo += 1
    return doc[lo:hi] if hi > lo else None


def _complement(verb: Token) -> Span | None:
    """What the verb states: its clausal complement, else its object with its clauses."""
    for child in verb.children:
        if child.dep_ in _CLAUSE_DEPS:  # after the verb, or before it ("X, the army said")
            return _span(list(child.subtree))
    for child in verb.children:
        if child.dep_ in _OBJECT_DEPS:
            return _span(list(child.subtree))
    for child in verb.children:  # "freeze talks about ...", "called for a truce"
        if child.dep_ == "prep" and child.i > verb.i:
            return _span(list(child.subtree))
    return None


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _speaker(doc: Doc, verb: Token) -> ActorRef | None:
    r = attribution.rules()
    for child in verb.children:
        if child.dep_ in ("nsubj",) and child.pos_ in ("PROPN", "NOUN", "PRON"):
            head = attribution._resolve_pronoun(child, r)
            if head.lower_ in r.pronouns:
                return None
            return attribution.actor_ref(attribution.phrase_of(head))
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return attribution.actor_ref(attribution.phrase_of(pobj))
    return None


# --- the finders -------------------------------------------------------------------------


@dataclass
class _Draft:
    stance: str
    speaker: ActorRef | None
    proposition: Span
    anchor: Token
    cue: str


def _stance_verbs(doc: Doc, r: StatementRules) -> list[_Draft]:
    out = []
    for tok in doc:
        stance = r.verbs.get(tok.lemma_.lower())
        if stance is None or tok.pos_ not in ("VERB", "AUX"):
            continue
        prop = _complement(tok)
        if prop is None:
            continue
        speaker = _speaker(doc, tok)
        if speaker is None:
            found = attribution.attribute(doc, tok, exclude=tok)
            speaker = found.source if found is not None else None
        if _negated(tok):
            stance = "not_" + stance
        out.append(_Draft(stance, speaker, prop, tok, "verb"))
    return out


def _nearest_speaker_before(doc: Doc, i: int) -> ActorRef | None:
    """The speaker of the closest speech verb before token ``i`` ("Barnea told the
    families ... that reports ... are incorrect" -> Barnea)."""
    r = attribution.rules()
    for tok in reversed(doc[:i]):
        if tok.lemma_.lower() in r.speech_verbs and tok.pos_ in ("VERB", "AUX"):
            speaker = _speaker(doc, tok)
            if speaker is not None:
                return speaker
    return None


def _denial_adjectives(doc: Doc, r: StatementRules) -> list[_Draft]:
    """ "reports (that) X are incorrect": read from the token sequence, because the
    small model often parses "reports" in this shape as a verb."""
    out = []
    for n in doc:
        if n.lemma_.lower() not in r.report_nouns and n.lower_.rstrip("s") not in r.report_nouns:
            continue
        if n.i > 0 and doc[n.i - 1].lower_ in ("he", "she", "it", "they", "who"):
            continue  # "she reports that ...": a verb
        for adj in doc[n.i + 2 :]:
            if adj.lower_ not in r.denial_adjectives:
                continue
            k = adj.i - 1
            negated = False
            while k > n.i and doc[k].pos_ in ("ADV", "PART") or (k > n.i and doc[k].lower_ in ("not", "n't")):
                negated = negated or doc[k].lower_ in ("not", "n't", "never")
                k -= 1
            if k <= n.i or doc[k].lemma_.lower() != "be":
                continue
            first = n.i + 1
            if first < k and doc[first].lower_ == "that":
                first += 1
            prop = _span(list(doc[first:k]))
            if prop is None:
                continue
            found = attribution.attribute(doc, adj)
            speaker = found.source if found is not None and found.source is not None else None
            speaker = speaker or _nearest_speaker_before(doc, n.i)
            stance = "not_denies" if negated else "denies"
            out.append(_Draft(stance, speaker, prop, adj, "denial_adjective"))
            break
    return out


def _assertions(doc: Doc, r: StatementRules) -> list[_Draft]:
    out = []
    for tok in doc:
        if tok.lemma_.lower() not in r.assert_verbs or tok.pos_ != "VERB":
            continue
        speaker = _speaker(doc, tok)
        if speaker is None:
            continue
        prop = _complement(tok)
        first = min(x.i for x in tok.subtree)
        if prop is None and first > 0 and doc[first - 1].text in (",", "”", '"'):
            # a trailing reporting clause: "..., the army said." states what comes before it
            prop = _span([t for t in doc if t.i < first])
        if prop is None:
            continue
        out.append(_Draft("asserts", speaker, prop, tok, "assert"))
    r_attr = attribution.rules()
    for cue, head in attribution.according_to(doc, r_attr):
        rest = [t for t in doc if not (cue.i <= t.i <= max(x.i for x in head.subtree))]
        prop = _span(rest)
        if prop is not None:
            out.append(_Draft("asserts", attribution.actor_ref(attribution.phrase_of(head)), prop, cue, "according_to"))
    return out


def _targets(ctx: Any, index: int, start: int, end: int) -> list[str]:
    """Claims and ACLED-coded events of this sentence whose evidence lies inside [start, end)."""
    out = []
    events = [e for e in getattr(ctx, "events", []) if e.event_type != NON_ACLED]
    for rec in [*getattr(ctx, "claims", []), *events]:
        ev = rec.evidence
        if ev is not None and ev.sentence == index and ev.start >= start and ev.end <= end:
            out.append(rec.id)
    return out


def find_statements(ctx: Any) -> list[Statement]:
    """Statements of an article, in text order (see the module docstring)."""
    r = rules()
    out: list[Statement] = []
    seen: set[tuple[int, int, int, str]] = set()
    for index in sorted(ctx.docs):
        doc = ctx.docs[index]
        sent_start = ctx.sentences[index].start
        denials = _denial_adjectives(doc, r)
        inside = [(d.proposition.start, d.proposition.end) for d in denials]
        # A stance verb inside a proposition that is itself denied ("reports that Hamas
        # rejected ...") is not the text's statement; one without a speaker is too weak.
        verbs = [
            d
            for d in _stance_verbs(doc, r)
            if d.speaker is not None and not any(lo <= d.anchor.i < hi for lo, hi in inside)
        ]
        drafts = verbs + denials
        covered = {(d.proposition.start, d.proposition.end) for d in drafts}
        for d in _assertions(doc, r):
            if (d.proposition.start, d.proposition.end) not in covered:
                drafts.append(d)
        for d in drafts:
            prop = d.proposition
            lo = min(prop.start_char, d.anchor.idx)
            hi = max(prop.end_char, d.anchor.idx + len(d.anchor))
            targets = _targets(ctx, index, sent_start + prop.start_char, sent_start + prop.end_char)
            if d.stance == "asserts" and not targets:
                continue  # a quote that carries none of our facts is not a ledger statement
            key = (index, prop.start_char, prop.end_char, d.stance)
            if key in seen:
                continue
            seen.add(key)
            evidence = ctx.evidence(index, lo, hi)
            speaker_key = d.speaker.text if d.speaker else ""
            out.append(
                Statement(
                    id=stable_id("st", ctx.article.id, index, prop.start_char, d.stance, speaker_key),
                    article_id=ctx.article.id,
                    speaker=d.speaker,
                    stance=d.stance,
                    proposition=prop.text,
                    evidence=evidence,
                    confidence=r.confidence[d.cue] if d.speaker is not None else r.confidence[d.cue] - 0.2,
                    target_id=targets[0] if targets else None,
                )
            )
    return out
