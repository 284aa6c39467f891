"""What qualifies a figure: hedges, modality, scope and the date it holds as of.

Rules are data (``rules/hedges.json``, documented in docs/claims.md):

* hedges: sentence phrases ("cannot be verified", "does not differentiate between
  civilians and fighters"), which also reach back to the previous sentence when the
  hedging sentence refers to a figure ("This toll cannot be verified ..."); and
  clause words ("believed to", "reportedly", "presumed dead", "estimated");
* modality: asserted | proposed | hypothetical | future | negated | denied | reported;
* scope: cumulative ("since October 7", "as of August", a death toll) | event (in an
  attack) | period (on a date, during a truce) | None, and ``as_of``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from ..errors import RulesError
from ..records import When
from ..rules import read_json
from .tokens import same

RULES_FILE = "hedges.json"

# Nouns that make a figure the toll of one event, or of the whole war (scope).
EVENT_NOUNS = frozenset(
    "attack strike airstrike raid bombing bombardment massacre explosion blast shelling shooting ambush "
    "assault incident crash stampede collapse fire barrage operation assassination".split()
)
WAR_NOUNS = frozenset("war conflict campaign offensive onslaught invasion fighting hostilities".split())
_CUMULATIVE_WORDS = frozenset({"since", "so far", "to date", "in total", "overall", "total", "cumulative"})
_AS_OF_BEFORE = (("as", "of"), ("as", "at"), ("by",), ("through",), ("until",), ("till",), ("up", "to"))
_CLAUSE_STOP = frozenset({"conj", "advcl", "ccomp", "relcl", "parataxis"})


@dataclass(frozen=True)
class WordCue:
    lemma: str
    tag: str | None = None


@dataclass(frozen=True)
class HedgeRules:
    phrases: tuple[tuple[str, re.Pattern[str]], ...]
    refers_back: re.Pattern[str]
    words: dict[str, tuple[WordCue, ...]]  # lemma -> cues
    word_labels: dict[str, str]  # lemma -> label
    proposal: re.Pattern[str]
    proposal_window: int
    hypothetical_aux: frozenset[str]
    future_aux: frozenset[str]
    future_verbs: frozenset[str]
    conditional_marks: frozenset[str]
    denial_verbs: frozenset[str]


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"rules/{RULES_FILE}: '{where}' must be a list of strings; see docs/claims.md")
    return value


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise RulesError(f"rules/{RULES_FILE}: bad regular expression in '{where}': {exc}") from exc


def validate_rules(data: Any) -> HedgeRules:
    if not isinstance(data, dict):
        raise RulesError(f"rules/{RULES_FILE}: the top level must be an object")
    for key in ("phrases", "refers_back", "words", "modality"):
        if key not in data:
            raise RulesError(f"rules/{RULES_FILE}: missing key '{key}'; see docs/claims.md")
    phrases = tuple(
        (label, _compile(p, f"phrases.{label}"))
        for label, pats in data["phrases"].items()
        for p in _strings(pats, f"phrases.{label}")
    )
    words: dict[str, tuple[WordCue, ...]] = {}
    labels: dict[str, str] = {}
    for label, cues in data["words"].items():
        if not isinstance(cues, list):
            raise RulesError(f"rules/{RULES_FILE}: 'words.{label}' must be a list of {{lemma, tag}} objects")
        for cue in cues:
            if not isinstance(cue, dict) or not isinstance(cue.get("lemma"), str):
                raise RulesError(f"rules/{RULES_FILE}: every cue of 'words.{label}' needs a 'lemma'")
            lemma = cue["lemma"].lower()
            words[lemma] = (*words.get(lemma, ()), WordCue(lemma, cue.get("tag")))
            labels[lemma] = label
    mod = data["modality"]
    if not isinstance(mod, dict):
        raise RulesError(f"rules/{RULES_FILE}: 'modality' must be an object")
    proposal_words = _strings(mod.get("proposal_words"), "modality.proposal_words")
    window = mod.get("proposal_window")
    if not isinstance(window, int) or window < 0:
        raise RulesError(f"rules/{RULES_FILE}: 'modality.proposal_window' must be a non-negative integer")
    return HedgeRules(
        phrases=phrases,
        refers_back=_compile(str(data["refers_back"]), "refers_back"),
        words=words,
        word_labels=labels,
        proposal=_compile(r"\b(?:" + "|".join(re.escape(w) for w in proposal_words) + r")", "proposal_words"),
        proposal_window=window,
        hypothetical_aux=frozenset(_strings(mod.get("hypothetical_aux"), "modality.hypothetical_aux")),
        future_aux=frozenset(_strings(mod.get("future_aux"), "modality.future_aux")),
        future_verbs=frozenset(_strings(mod.get("future_verbs"), "modality.future_verbs")),
        conditional_marks=frozenset(_strings(mod.get("conditional_marks"), "modality.conditional_marks")),
        denial_verbs=frozenset(_strings(mod.get("denial_verbs"), "modality.denial_verbs")),
    )


@lru_cache(maxsize=1)
def rules() -> HedgeRules:
    return validate_rules(read_json(RULES_FILE))


# --- clauses -------------------------------------------------------------------------

def clause_tokens(head: Token) -> list[Token]:
    """``head`` and its dependents, without coordinated or subordinate clauses."""
    out = [head]
    stack = [c for c in head.children if c.dep_ not in _CLAUSE_STOP]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in _CLAUSE_STOP)
    return out


def ancestors_in_scope(tok: Token, marks: frozenset[str]) -> list[Token]:
    """The heads above ``tok`` up to the root or the first contrast clause ("while ...")."""
    from .attribution import contrast_root

    out: list[Token] = []
    t = tok
    while t.head.i != t.i:
        if same(contrast_root(t, marks), t):
            break
        t = t.head
        out.append(t)
    return out


# --- hedges --------------------------------------------------------------------------

def sentence_hedges(text: str) -> tuple[str, ...]:
    """Hedge labels of the phrases in ``text`` (apply to every claim of the sentence)."""
    found: list[str] = []
    for label, pattern in rules().phrases:
        if label not in found and pattern.search(text):
            found.append(label)
    return tuple(found)


def refers_back(text: str) -> bool:
    """True when a sentence speaks about a figure given before ("This toll ...")."""
    return rules().refers_back.search(text) is not None


def clause_hedges(pred: Token, marks: frozenset[str]) -> tuple[str, ...]:
    """Hedge labels of the words in the clause of ``pred`` and the clauses above it."""
    r = rules()
    found: list[str] = []
    for t in [*clause_tokens(pred), *ancestors_in_scope(pred, marks)]:
        cues = r.words.get(t.lemma_.lower()) or r.words.get(t.lower_)
        if not cues:
            continue
        if any(c.tag is None or c.tag == t.tag_ for c in cues):
            label = r.word_labels.get(t.lemma_.lower()) or r.word_labels[t.lower_]
            if label not in found:
                found.append(label)
    return tuple(found)


# --- modality ------------------------------------------------------------------------

def proposal_context(texts: list[str]) -> bool:
    """True when the sentence or the sentences before it talk about a proposal or deal."""
    pattern = rules().proposal
    return any(pattern.search(t) for t in texts)


def modality(pred: Token, marks: frozenset[str], *, proposal: bool) -> str:
    """The modality of the clause of ``pred``."""
    r = rules()
    chain = [pred, *ancestors_in_scope(pred, marks)]
    for t in chain[1:]:
        if t.lemma_.lower() in r.denial_verbs:
            return "denied"
    for k, t in enumerate(chain):
        if t.pos_ not in ("VERB", "AUX") and k > 0:
            continue
        children = list(t.children)
        if k == 0 and any(c.dep_ == "neg" for c in children):
            return "negated"
        if any(c.dep_ == "mark" and c.lower_ in r.conditional_marks for c in children):
            return "hypothetical"
        aux = [c.lower_ for c in children if c.dep_ == "aux"]
        if any(a in r.hypothetical_aux for a in aux):
            return "proposed" if proposal else "hypothetical"
        if any(a in r.future_aux for a in aux):
            return "future"
        if t.lemma_.lower() in r.future_verbs and k > 0 and chain[k - 1].dep_ == "xcomp" and t.tag_ != "VBD":
            return "proposed" if proposal and t.lemma_.lower() in ("plan", "set") else "future"
        if t.pos_ == "VERB" and t.tag_ in ("VBD", "VBN", "VBZ", "VBP") and k > 0:
            break  # a finite verb above in the past or present: what it says is asserted
    return "asserted"


# --- scope and as-of ----------------------------------------------------------------------

@dataclass(frozen=True)
class DateSpan:
    start: int  # token indices in the Doc
    end: int
    text: str
    when: When


def date_spans(doc: Doc, resolve: Any) -> list[DateSpan]:
    """The Doc's date mentions as token spans: ``doc._.dates`` when the dates component
    gives any, else the model's DATE entities resolved with ``resolve(text)``."""
    out: list[DateSpan] = []
    mentions = doc._.dates if Doc.has_extension("dates") and doc._.dates else None
    if mentions:
        for m in mentions:
            span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None:
                out.append(DateSpan(span.start, span.end, m.text, m.when))
        return out
    for ent in doc.ents:
        if ent.label_ == "DATE":
            out.append(DateSpan(ent.start, ent.end, ent.text, resolve(ent.text)))
    return out


def _before(doc: Doc, start: int, words: tuple[str, ...]) -> bool:
    k = len(words)
    return start - k >= 0 and tuple(t.lower_ for t in doc[start - k: start]) == words


def _date_role(doc: Doc, d: DateSpan) -> str:
    low = d.text.lower()
    if low.startswith(("as of", "as at", "by ", "through ", "until ")):
        return "as_of"
    if low.startswith("since"):
        return "since"
    if any(_before(doc, d.start, w) for w in _AS_OF_BEFORE):
        return "as_of"
    if _before(doc, d.start, ("since",)):
        return "since"
    return "on"


@dataclass(frozen=True)
class Scope:
    scope: str | None
    as_of: When | None


_PERIOD_UNITS = frozenset({"hour", "day", "week", "month"})


def _has_recent_period(doc: Doc, tokens: list[Token]) -> bool:
    """"in the past 24 hours", "over the last three days", "in the past week"."""
    for t in tokens:
        if t.lower_ in ("past", "last") and t.i + 1 < len(doc):
            nxt = doc[t.i + 1]
            unit = doc[t.i + 2] if nxt.like_num and t.i + 2 < len(doc) else nxt
            if unit.lemma_.lower() in _PERIOD_UNITS:
                return True
    return False


def _has_cumulative_cue(tokens: list[Token]) -> bool:
    for t in tokens:
        low = t.lower_
        if low in ("since", "overall", "cumulative", "total") or t.lemma_.lower() == "toll":
            return True
        if low == "far" and t.i > 0 and t.doc[t.i - 1].lower_ == "so":
            return True
        if low == "date" and t.i > 0 and t.doc[t.i - 1].lower_ == "to":
            return True
    return False


def _event_noun_above(pred: Token, tokens: list[Token]) -> bool:
    for t in tokens:
        if t.lemma_.lower() in EVENT_NOUNS and t.dep_ in ("pobj", "nsubj", "nsubjpass"):
            return True
    t, steps = pred, 0
    while t.head.i != t.i and steps < 5:
        if t.dep_ == "relcl" and t.head.lemma_.lower() in EVENT_NOUNS:
            return True
        t, steps = t.head, steps + 1
        if t.lemma_.lower() in EVENT_NOUNS and t.pos_ == "NOUN":
            return True
    return False


_GOVERNED = ("relcl", "acl", "advcl", "conj")


def _governing_date(doc: Doc, pred: Token, dates: list[DateSpan]) -> When | None:
    """The date of the event a figure's clause hangs on: "a strike on July 14 which killed
    90", "Hamas' October 7 attack that killed 1,200", "In April 2021, a bus crashed, leaving
    20 people dead" (the figure is that event's toll). Up to two clauses up, dates of the
    governing clause only (not of its other subordinate clauses), "on" dates only."""
    t = pred
    for _ in range(2):
        if t.dep_ not in _GOVERNED or same(t.head, t):
            return None
        head = t.head
        ids = {k.i for k in clause_tokens(head)}
        for d in dates:
            if any(k in ids for k in range(d.start, d.end)) and _date_role(doc, d) == "on":
                return d.when
        t = head
    return None


def scope_of(
    doc: Doc,
    pred: Token,
    anchor: Token,
    dates: list[DateSpan],
    *,
    published: date | None,
    toll: bool,
) -> Scope:
    """Scope and as-of date of the claim whose clause is headed by ``pred``."""
    tokens = clause_tokens(pred)
    ids = {t.i for t in tokens} | {t.i for t in anchor.subtree}
    as_of: When | None = None
    scope: str | None = None
    for d in dates:
        if not any(k in ids for k in range(d.start, d.end)):
            continue
        role = _date_role(doc, d)
        if role == "as_of":
            return Scope("cumulative", d.when)
        if role == "since":
            scope = "cumulative"
        elif as_of is None:
            as_of = d.when
            scope = scope or "period"
    if scope == "cumulative" or toll or _has_cumulative_cue(tokens):
        pub = When(published.isoformat(), "day", None) if published else None
        return Scope("cumulative", pub)
    if as_of is None and _has_recent_period(doc, tokens):
        # "in the past 24 hours", "over the last three days": a period ending at publication
        pub = When(published.isoformat(), "day", None) if published else None
        return Scope("recent", pub)
    if as_of is None:
        as_of = _governing_date(doc, pred, dates)
    if _event_noun_above(pred, tokens):
        return Scope("event", as_of)
    if any(t.lower_ == "during" for t in tokens):
        return Scope("period", as_of)
    return Scope(scope, as_of)
