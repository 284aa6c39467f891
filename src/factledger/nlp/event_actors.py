"""Actors of an event: who acted, who was targeted, who claimed it, who died.

Works on the text of one sentence (character offsets), so it runs with or without
a parse; the ACLED canonical names come from ``rules/acled_actors.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import ActorRef
from .event_rules import actor_rules


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    name: str | None
    kind: str
    country: str | None


# A mention right after one of these words is an object or a place, not the one who acted.
_OBJECT_BEFORE = re.compile(
    r"(?:\b(?:at|on|toward|towards|against|targeting|targeted|target|struck|hit|shelled|attacked|with|of|near|"
    r"from|to|into|in|by|between|killing|injuring|wounding|kill|killed|shot|arrested|detained|abducted|"
    r"after|among|including|injured|wounded|and|upon|its|their|his|her)\s+(?:the\s+|an?\s+|two\s+|several\s+)?)$",
    re.IGNORECASE,
)
_REPORTING = re.compile(
    r"(?:according to|cited|quoted|citing)\s+[^,.;]{1,80}"
    r"|,?\s*(?:the\s+)?[A-Z][\w'’\- ]{1,60}?\s+(?:said|says|announced|stated|reported|claimed|confirmed|added|told)\b",
)
_CLAIMANT = re.compile(
    r"(?:according to\s+(?P<a>[^,.;]{2,80}))"
    r"|(?:(?P<b>(?:the\s+)?(?:[A-Z][\w'’\-]*\s*(?:and\s+|,\s*)?){1,6}(?:(?:forces|army|military|troops|officials|spokesman|spokesperson|sources|authorities|ministry|police)\s+)?)\s*(?:said|says|announced|stated|reported|claimed|confirmed)\b)"
    r"|(?:(?P<c>[A-Z][\w'’\- ]{1,40}?)\s+claimed responsibility)",
)
_PASSIVE = re.compile(
    r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+\s+){0,2}?"
    r"(?:killed|shot|injured|wounded|struck|targeted|hit|bombed|shelled|arrested|detained|abducted|kidnapped|"
    r"assassinated|attacked|destroyed|demolished|martyred|executed|stabbed|beaten|murdered|displaced|intercepted|"
    r"eliminated|raided|burned|looted|seized|captured)\b",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"\b(?:[A-Z][a-z'’]+|al|el|bin|ibn|abu|abd|ad|ud|ul)(?:[\s-]+(?:[A-Z][a-z'’]+|al|el|bin|ibn|abu|abd|ad|ud|ul)(?=[\s-]|\W|$))+"
)
_NOT_NAMES = re.compile(
    r"^(?:On|In|At|The|A|An|Also|Around|Top|Senior|Israeli|Palestinian|Gaza|Strip|Hamas|Lebanese|Israel|Beirut|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|"
    r"September|October|November|December|Khan|Younis|City|Movement|Brigades?|Forces|Military|Army|Ministry|Health|"
    r"According|Meanwhile|However|Hezbollah|IDF|Shin|Bet|Deputy|Chief|Commander|Official|Leader|Head|Prime|Minister|"
    r"President|Secretary|General|Mr|Mrs|Dr|Sheikh|Street|Camp|Hospital|School|Mosque|North|South|East|West|Northern|"
    r"Southern|Eastern|Western|Central|Lebanon|Syria|Palestine|West|Bank|Jerusalem|Al|El)$"
)


def find_mentions(text: str) -> list[Mention]:
    """Actor mentions in ``text``, left to right, without overlaps (named actors first)."""
    rules = actor_rules()
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for group in (rules.actors, rules.generic):
        for actor in group:
            for m in actor.pattern.finditer(text):
                if free(m.start(), m.end()):
                    found.append(
                        Mention(m.start(), m.end(), m.group(), actor.name, actor.kind, actor.country)
                    )
                    taken.append((m.start(), m.end()))
    for kind, pattern in rules.kind_words.items():
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
                found.append(Mention(m.start(), m.end(), m.group(), None, kind, None))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda x: x.start)


def reporting_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _REPORTING.finditer(text)]


def claimants(text: str) -> tuple[str, ...]:
    """Who the sentence says announced or claimed the event ("the IDF and Shin Bet announced")."""
    out: list[str] = []
    for m in _CLAIMANT.finditer(text):
        chunk = next(g for g in (m.group("a"), m.group("b"), m.group("c")) if g)
        chunk = re.sub(r"^(?:the|a|an)\s+", "", chunk.strip(), flags=re.IGNORECASE)
        for part in re.split(r"\s*(?:,|\band\b)\s*", chunk):
            part = re.sub(r"^(?:the|a|an)\s+", "", part.strip(), flags=re.IGNORECASE).strip()
            if part and part[0].isupper() and part not in out and len(part.split()) <= 6:
                out.append(part)
    return tuple(out)


def passive_at(text: str, before: int) -> re.Match[str] | None:
    """The passive verb group ("was killed") nearest before ``before``, if any."""
    best = None
    for m in _PASSIVE.finditer(text):
        if m.start() <= before + 40:
            best = m
    return best


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def agent_and_target(
    text: str, trigger_at: int, mentions: list[Mention]
) -> tuple[Mention | None, Mention | None, bool]:
    """(actor1, actor2, passive) for a trigger at ``trigger_at``."""
    skip = reporting_spans(text)
    usable = [m for m in mentions if not _in_spans(m.start, skip)]
    passive = passive_at(text, trigger_at)
    if passive is not None:
        after = [m for m in usable if m.start >= passive.end() and m.kind in ("state", "nonstate")]
        before = [m for m in usable if m.end <= passive.start()]
        agent = after[0] if after else None
        target = next((m for m in before if m is not agent), None)
        return agent, target, True
    agent = None
    for m in usable:
        if m.kind in ("civilian",) and m.name is None:
            continue
        if _OBJECT_BEFORE.search(text[max(0, m.start - 30) : m.start]):
            continue
        agent = m
        break
    target = None
    for m in usable:
        if m is agent or (agent is not None and m.start < agent.end):
            continue
        if agent is not None and m.name is not None and m.name == agent.name:
            continue
        target = m
        break
    return agent, target, False


def victim_names(text: str, region: tuple[int, int]) -> tuple[str, ...]:
    """Personal names written in ``region`` of the sentence (the victims' noun phrase)."""
    out: list[str] = []
    chunk = text[region[0] : region[1]]
    for m in _NAME.finditer(chunk):
        words = [w for w in re.split(r"\s+", m.group()) if w]
        while words and _NOT_NAMES.match(words[0]):
            words.pop(0)
        while words and _NOT_NAMES.match(words[-1]) and words[-1] not in ("Al", "El"):
            words.pop()
        name = " ".join(words)
        if len(words) >= 2 and name not in out:
            out.append(name)
    return tuple(out)


def to_ref(
    mention: Mention | None, *, country: str | None, fallback_kind: str | None = None
) -> ActorRef | None:
    """An ActorRef with the ACLED canonical name (a default name for an unnamed actor)."""
    if mention is None:
        return None
    name = mention.name
    if name is None:
        name = default_name(mention.kind, country)
    return ActorRef(mention.text, name)


def default_name(kind: str, country: str | None) -> str | None:
    """ACLED's name for an unnamed actor of ``country`` ("Civilians (Lebanon)"); None when
    the country is unknown: a made-up country ("Military Forces of International") or
    another country's name would be a wrong fact, and the actor's text is kept anyway."""
    rules = actor_rules()
    template = rules.defaults.get(kind)
    if template is None or not country:
        return None
    return template.replace("{country}", country)


def text_country(text: str) -> str | None:
    """The country a text is about, by its first nationality adjective or named actor."""
    rules = actor_rules()
    best: tuple[int, str] | None = None
    for country, pattern in rules.countries.items():
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), country)
    return best[1] if best else None


# --- the sentence's own subject and object, for interactions no actor pattern names ------
_CLAUSE_START = re.compile(r"(?:^|[,;:]\s+|\b(?:that|said|says|and|but|while|after|as|when)\s+)", re.IGNORECASE)
_SUBJECT_TAIL = re.compile(
    r"(?:\s+(?:has|have|had|will|would|could|can|may|might|shall|should|is|are|was|were|been|be|also|again|"
    r"still|not|never|reportedly|formally|officially|yesterday|today|on\s+\w+))+\s*$",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"^(?:it|he|she|they|we|i|you|this|that|there|who|which)$", re.IGNORECASE)
_OBJECT = re.compile(
    r"\w*\s+((?:[\w'’.-]+\s+){0,5}?[\w'’.-]+)(?=\s+(?:to|for|in|on|at|with|from|over|into|by|after|of|that|and|"
    r"who|which|as|if|unless|amid|during)\b|\s*[,.;:]|\s*$)",
    re.IGNORECASE,
)


def subject_before(text: str, at: int) -> str | None:
    """The words opening the clause whose verb is at ``at`` (its subject, roughly): "The
    APEC forum has agreed" -> "The APEC forum". None for a pronoun or a long run of words."""
    head = text[:at]
    starts = [m.end() for m in _CLAUSE_START.finditer(head)]
    span = _SUBJECT_TAIL.sub("", head[starts[-1] if starts else 0 :]).strip(" ,;:-\"“”'")
    if not span or len(span.split()) > 10 or _PRONOUN.match(span):
        return None
    return span


def object_after(text: str, end: int) -> str | None:
    """The words after the verb ending at ``end`` up to a preposition or punctuation (its
    object, roughly): "accused the rebels of ..." -> "the rebels"."""
    m = _OBJECT.match(text, end)
    if m is None:
        return None
    span = m.group(1).strip(" \"“”'")
    return None if not span or _PRONOUN.match(span) else span
