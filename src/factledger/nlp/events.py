"""The event coder: sentences -> ACLED-typed, PLOVER-coded events with roles.

``find_events(ctx)`` reads every sentence of an article (a Doc when the pre-filter
chose it, else the plain text), codes at most one event per sentence with the
ordered trigger rules of ``rules/event_triggers.json`` (ACLED codebook precedence),
adds actors (``event_actors``), modality (``event_modality``), fatalities/injured
(``event_numbers``), place and date, then merges mentions of the same happening
(a headline's bare "killed", a later "the strike") and marks the primary event.

``classify_text`` codes a snippet (an ACLED note, a CASE 2021 snippet) and returns
its primary event; ``acled_to_case`` maps a sub-event type to its CASE label.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from ..records import Article, Event, Place, Quantity, When, stable_id
from . import event_actors as actors_mod
from .event_modality import modality as modality_of
from .event_numbers import CODED
from .event_numbers import fatalities as fatalities_of
from .event_numbers import injured as injured_of
from .event_rules import TriggerRule, case_map, plover_rules, taxonomy, triggers
from .segment import split_sentences

# Quotes longer than this are someone's words (statements handle them), not a narrated event.
MIN_QUOTE_CHARS = 30
# An event dated this many days before the article's date is background, never primary.
BACKGROUND_DAYS = 30
# A text this short is a snippet handed over as the report of one event (an ACLED note, a
# CASE 2021 snippet): where it holds no act, its topic words still code it.
SNIPPET_CHARS = 1200

_PREFIX = re.compile(r"^\s*([A-Z][A-Za-z ]{2,30}):\s+")
_BRACKETS = re.compile(r"\[[^\]]*\]")
_QUOTE = re.compile(r"[\"“][^\"”]{" + str(MIN_QUOTE_CHARS) + r",}[\"”]")
_ANAPHOR = re.compile(
    r"\b(?:the|that|this)\s+(?:air\s*strike|strike|attack|raid|bombing|blast|explosion|assault|operation|shelling|"
    r"incident|fighting|clashes|violence|killings?)\b",
    re.IGNORECASE,
)
_BACKGROUND = re.compile(
    r"\b(?:since|triggered by|erupted|outbreak of|began with|sparked by|in the wake of|recalled)\b",
    re.IGNORECASE,
)
# ACLED note style: optional topic prefix, then "On 6 June 2025," / "Around 17 October 2023".
_ACLED_NOTE = re.compile(
    r"^(?:[A-Z][A-Za-z ]{2,30}:\s+)?(?:On|Around|Between|During|From|Since|Overnight)\s+(?:\w+\s+){0,3}?\d{1,2}\s+[A-Z][a-z]+\s+\d{4}"
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS})\s*,?\s*(\d{{4}})?\b")
_DATE_MDY = re.compile(rf"\b({_MONTHS})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(\d{{4}}))?")
_ACLED_PLACE = re.compile(r"(?P<loc>[A-Z][\w'’ -]{1,60}?)\s+\((?P<a2>[^,()]+),\s*(?P<a1>[^()]+?)\)")
_LOC_TAIL = re.compile(
    r"((?:[A-Z][\w'’]*|al|el|ad|as|ash|az|at|-)(?:\s+(?:[A-Z][\w'’]*|al|el|ad|as|ash|az|at|-))*)$"
)
# The words of an organisation's name before its head noun ("Northern Liberation Front",
# "Popular Mobilization Forces", "Al-Aqsa Martyrs Brigades") are masked before the trigger
# cues are read: a name is not an act ("liberat-", "mobiliz-", "martyr"). The head noun stays
# (it tells an armed target), and "Air Force" stays (it tells an air strike).
_ORG_NAME = re.compile(
    r"\b(?:[A-Z][\w'’-]*\s+(?:(?:of|for|and|the|al|el)\s+)?){1,5}"
    r"(?=(?:Front|Army|Movement|Brigades?|Forces|Party|Organi[sz]ation|Alliance|Coalition|Battalions?|Tigers|"
    r"Guards?|Militias?|Corps|Union)\b)"
)
# Newsroom boilerplate, not an event: "did not respond to a request for comment".
_BOILERPLATE = re.compile(
    r"\b(?:did not|didn[’']t|has not|hasn[’']t|have not|haven[’']t)\s+(?:immediately\s+)?"
    r"(?:respond(?:ed)?|replied|reply)\s+to\s+(?:\w+[’']s?\s+|an?\s+|the\s+|multiple\s+|several\s+)*"
    r"(?:requests?|inquir(?:y|ies)|queries)\s+for\s+comment\b"
    r"|\b(?:declined|refused)\s+to\s+comment\b|\bcould\s+not\s+(?:immediately\s+)?be\s+reached\s+for\s+comment\b",
    re.IGNORECASE,
)
_PLACE_PREP = re.compile(
    r"\b(?:in|near|at|of|outside|into|around|east of|west of|north of|south of|across)\s+(?:the\s+)?$",
    re.IGNORECASE,
)

# A clause about another happening, dated relative to this one: a counted interval before
# "after"/"before" ("a day after", "hours before", "two weeks after"), or a retaliation.
_OTHER_EVENT = re.compile(
    r"\b(?:(?:(?:a|one|two|three|four|five|several|a few|\d+)\s+)?(?:days?|hours?|weeks?)|the\s+day)\s+"
    r"(?:after|before)\b|\bin\s+(?:response|retaliation|revenge)\s+(?:to|for)\b",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"[’']s\s+(?:the\s+)?")


@dataclass(frozen=True)
class Coding:
    """One sentence coded: the sub-event type and the words that triggered it."""

    sub_event_type: str
    trigger: str
    start: int
    end: int
    generic: bool = False
    topic: bool = False  # a topic cue only (see TriggerRule.topic)
    cue: str = ""  # the cue group that triggered ("AIR"), "prefix:<label>" or "plover:<event>"


def mask_names(text: str) -> str:
    """``text`` with the words of organisation names before their head noun blanked
    (same length, so offsets hold)."""

    def blank(m: re.Match[str]) -> str:
        return m.group() if re.search(r"\bAir\s*$", m.group()) else " " * len(m.group())

    return _ORG_NAME.sub(blank, text)


def _first_match(text: str, groups: tuple[str, ...]) -> tuple[str, re.Match[str]] | None:
    """The cue group that matches first in ``text`` and its match."""
    cues = triggers().cues
    best = None
    for g in groups:
        m = cues[g].search(text)
        if m and (best is None or m.start() < best[1].start()):
            best = (g, m)
    return best


def _target_kind(text: str, after: int, target: actors_mod.Mention | None, agent_kind: str) -> str:
    if target is not None and target.kind != "unknown":
        return target.kind
    cues = triggers().cues
    civ = cues["CIV_TARGET"].search(text, after)
    armed = cues["ARMED_TARGET"].search(text, after)
    if armed and (civ is None or armed.start() < civ.start()):
        return "nonstate" if agent_kind == "state" else "state"
    if civ:
        return "civilian"
    return "unknown"


def _roles_ok(rule: TriggerRule, text: str, at: int, mentions: list[actors_mod.Mention]) -> bool:
    if not rule.agent and not rule.target:
        return True
    agent, target, _ = actors_mod.agent_and_target(text, at, mentions)
    agent_kind = agent.kind if agent is not None else "unknown"
    if rule.agent and agent_kind not in rule.agent:
        return False
    if rule.target:
        after = agent.end if agent is not None else 0
        if _target_kind(text, after, target, agent_kind) not in rule.target:
            return False
    return True


def code_sentence(text: str) -> Coding | None:
    """The sub-event type of one sentence (first rule that holds), or None. Actors are read
    from ``text``, trigger cues from ``text`` with organisation names masked."""
    rules = triggers()
    cues = rules.cues
    mentions = actors_mod.find_mentions(text)
    text = mask_names(text)
    for rule in rules.rules:
        if rule.all and not all(cues[g].search(text) for g in rule.all):
            continue
        if rule.any and not any(cues[g].search(text) for g in rule.any):
            continue
        if rule.none and any(cues[g].search(text) for g in rule.none):
            continue
        first = _first_match(text, rule.any or rule.all)
        if first is None or not _roles_ok(rule, text, first[1].start(), mentions):
            continue
        group, m = first
        generic = bool(rule.generic_unless) and not any(cues[g].search(text) for g in rule.generic_unless)
        return Coding(rule.sub_event_type, m.group(), m.start(), m.end(), generic, rule.topic, group)
    return None


def plover_for(sub_event_type: str | None, text: str, at: int | None = None) -> dict[str, str | None]:
    """PLOVER event and mode of a sentence: the cue (or, at ``at``, the violent trigger's
    ACLED default) that comes first in the sentence, since the first event verb is most often
    the main one ("Lebanon complained ... over two Israeli air raids" is ACCUSE). Without
    ``at`` a violent type's default wins over every cue except a threat."""
    spec = taxonomy().get(sub_event_type) if sub_event_type else None
    text = mask_names(text)
    found = []
    for order, cue in enumerate(plover_rules().cues):
        if cue.event in ("ASSAULT", "FIGHT") and spec is not None:
            continue
        m = cue.pattern.search(text)
        if m is not None:
            found.append((m.start(), order, cue.event, cue.mode))
    if spec is not None and spec.violent:
        if at is None:
            threat = next((f for f in sorted(found, key=lambda f: f[1]) if f[2] == "THREATEN"), None)
            return {"event": threat[2], "mode": threat[3]} if threat else {"event": spec.plover[0], "mode": spec.plover[1]}
        found.append((at, -1, spec.plover[0], spec.plover[1]))
    if found:
        _, _, event, mode = min(found)
        return {"event": event, "mode": mode}
    if spec is not None:
        return {"event": spec.plover[0], "mode": spec.plover[1]}
    return {"event": None, "mode": None}


def _plover_cue(text: str, *, topic: bool = True) -> tuple[Any, re.Match[str]] | None:
    """The PLOVER cue that matches first in ``text`` (ties: the earlier cue) with its match,
    None when there is none or it is a violent one (ASSAULT, FIGHT: the trigger rules code
    violence); ``topic=False`` skips topic cues."""
    masked = mask_names(text)
    best = None
    for order, cue in enumerate(plover_rules().cues):
        if cue.topic and not topic:
            continue
        m = cue.pattern.search(masked)
        if m is not None and (best is None or (m.start(), order) < best[0]):
            best = ((m.start(), order), cue, m)
    if best is None or best[1].event in ("ASSAULT", "FIGHT"):
        return None
    return best[1], best[2]


def current_plover(plover: dict[str, str | None]) -> dict[str, str | None]:
    """PLOVER event in the current (2021 manual) vocabulary: the rule files use the 0.5b1
    names of the gold standard (DEMAND, DISAPPROVE, INVESTIGATE, FIGHT); records do not."""
    event = plover.get("event")
    return {**plover, "event": plover_rules().current.get(event, event) if event else event}


def _clean(text: str) -> tuple[str, str | None]:
    """The sentence with an ACLED topic prefix removed, coder notes and long quotes blanked."""
    prefix = None
    m = _PREFIX.match(text)
    if m and m.group(1) in triggers().prefixes:
        prefix = triggers().prefixes[m.group(1)]
        text = " " * m.end() + text[m.end() :]
    text = _BRACKETS.sub(lambda x: " " * len(x.group()), text)
    text = _BOILERPLATE.sub(lambda x: " " * len(x.group()), text)
    text = _QUOTE.sub(_blank_quote, text)
    # A quote that spans sentences: blank from an unmatched opening mark to the end,
    # or from the start to an unmatched closing mark.
    opening, closing = text.rfind("“"), text.rfind("”")
    if opening > closing:
        text = text[:opening] + " " * (len(text) - opening)
    elif closing >= 0 and "“" not in text[:closing]:
        text = " " * (closing + 1) + text[closing + 1 :]
    return text, prefix


def _blank_quote(m: re.Match[str]) -> str:
    """A quotation blanked, except a mark that opens the whole text and closes on no
    punctuation: that is a text wrapped in quotes (a CSV field: '"Hundreds marched ... a
    ""Peace March"" ...'), not someone's words."""
    quote = m.group()
    if not m.string[: m.start()].strip() and quote[-2] not in ",.!?…;:—-":
        return quote
    return " " * len(quote)


def _own_date(text: str, year: int | None, published: date | None) -> When | None:
    """A small fallback for "6 June 2025" / "October 7, 2023" while the dates component is empty."""
    months = _MONTHS.split("|")
    m = _DATE_DMY.search(text)
    if m:
        day, month, y = int(m.group(1)), months.index(m.group(2)) + 1, m.group(3)
    else:
        m = _DATE_MDY.search(text)
        if not m:
            return None
        month, day, y = months.index(m.group(1)) + 1, int(m.group(2)), m.group(3)
    yr = int(y) if y else (published.year if published else year)
    if yr is None:
        return When(None, "unknown", m.group())
    try:
        d = date(yr, month, day)
    except ValueError:
        return None
    if not y and published is not None and d > published:
        d = d.replace(year=d.year - 1)
    return When(d.isoformat(), "day", m.group())


def _event_date(ctx: Any, index: int, text: str) -> When | None:
    doc = ctx.docs.get(index) if getattr(ctx, "docs", None) else None
    mentions = getattr(doc._, "dates", None) if doc is not None else None
    if mentions:
        when = mentions[0].when
        if when.date:
            return when
    own = _own_date(text, ctx.year_hint, ctx.published)
    if own is not None and own.date:
        resolved = ctx.resolve_date(own.text or "") if hasattr(ctx, "resolve_date") else None
        return resolved if resolved is not None and resolved.date else own
    if ctx.published is not None:
        # Not stated: the event happened in the week up to publication.
        start = ctx.published - timedelta(days=6)
        return When(start.isoformat(), "week", None, ctx.published.isoformat())
    return None


def _event_place(ctx: Any, index: int, text: str, at: int) -> Place | None:
    from . import places as places_mod

    coded = places_mod.coded_place(text)  # ACLED's "coded to X" names the event's place
    if coded is not None:
        return coded
    m = _ACLED_PLACE.search(text)
    if m:
        loc = _LOC_TAIL.search(m.group("loc").strip())
        name = loc.group(1) if loc else m.group("loc").strip()
        written = f"{name} ({m.group('a2').strip()}, {m.group('a1').strip()})"
        # Geocode the named place (the note's admin context helps the gazetteer pick it).
        found = places_mod.note_place(text[m.start() :]) or ctx.geocode(name)
        if found is not None and found.lat is not None:
            return dataclasses.replace(found, text=name)  # text as written, name as the gazetteer has it
        return Place(
            written,
            name=name,
            admin2=m.group("a2").strip(),
            admin1=m.group("a1").strip(),
            precision=1,
        )
    doc = ctx.docs.get(index) if getattr(ctx, "docs", None) else None
    if doc is None:
        return None
    finder = getattr(places_mod, "find_places", None)
    if finder is not None:
        found = [(s, e, p) for s, e, p in finder(doc, evidence=places_mod.article_evidence(ctx))]
    else:
        found = [
            (ent.start_char, ent.end_char, None) for ent in doc.ents if ent.label_ in ("GPE", "LOC", "FAC")
        ]
    found = _own_places(text, at, found)
    if not found:
        return None

    def score(item: tuple[int, int, Any]) -> tuple[int, int]:
        prep = 0 if _PLACE_PREP.search(text[max(0, item[0] - 12) : item[0]]) else 1
        return (prep, abs(item[0] - at))

    s, e, place = min(found, key=score)
    if place is not None:
        return place
    name = text[s:e]
    return ctx.geocode(name) or Place(name, name=name)


def _other_event_spans(text: str, at: int) -> list[tuple[int, int]]:
    """Clauses that place another happening in time relative to this one ("a day after the
    rebels claimed an attack on Haifa", "in retaliation for the strike in X"): from the
    connective to the end of the sentence when the trigger is before it, else to the next comma."""
    spans = []
    for m in _OTHER_EVENT.finditer(text):
        if m.start() > at:
            spans.append((m.start(), len(text)))
        else:
            comma = text.find(",", m.end())
            end = comma if comma >= 0 else len(text)
            if not m.start() <= at < end:
                spans.append((m.start(), end))
    return spans


def _own_places(text: str, at: int, found: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """The candidate places of the event at ``at``: not those inside a clause about another
    happening (see ``_other_event_spans``), and not a country that only owns the next place
    ("Yemen's Hodeidah port": the port is the place)."""
    spans = _other_event_spans(text, at)
    kept = [f for f in found if not any(s <= f[0] < e for s, e in spans)]
    starts = {f[0] for f in kept}

    def owner(item: tuple[int, int, Any]) -> bool:
        if item[2] is None or item[2].precision != 3:
            return False
        m = _POSSESSIVE.match(text, item[1])
        return m is not None and m.end() in starts

    return [f for f in kept if not owner(f)]


def _quantity_from_doc(doc: Any, word: str) -> Quantity | None:
    """Use doc._.quantities when the quantities component attached one to a casualty word."""
    mentions = getattr(doc._, "quantities", None) if doc is not None else None
    if not mentions:
        return None
    cue = re.compile(
        r"kill|dead|die|fatal|death|slain" if word == "dead" else r"injur|wound|hurt", re.IGNORECASE
    )
    for qm in mentions:
        window = doc.text[qm.start_char : min(len(doc.text), qm.end_char + 60)]
        before = doc.text[max(0, qm.start_char - 25) : qm.start_char]
        if cue.search(window) or cue.search(before):
            return qm.quantity
    return None


@dataclass(frozen=True)
class _Draft:
    index: int
    coding: Coding
    event: Event
    anaphoric: bool
    background: bool


def _draft(ctx: Any, index: int, sentence_text: str, country: str | None) -> _Draft | None:
    text, prefix = _clean(sentence_text)
    coding = code_sentence(text)
    if prefix is not None:
        at = coding.start if coding else 0
        coding = Coding(prefix, coding.trigger if coding else prefix, at, coding.end if coding else 0,
                        cue="prefix")
    plover_cue = None  # the PLOVER cue, when it is what codes the sentence (reused for its actors)
    if coding is None:
        plover_cue = _plover_cue(text)
        if plover_cue is None:
            return None
        cue, m = plover_cue
        coding = Coding("Diplomacy", m.group(), m.start(), m.end(), generic=True, topic=cue.topic,
                        cue=f"plover:{cue.event}")
    if coding.sub_event_type == "Agreement" and plover_for("Agreement", text)["event"] not in (
        "AGREE",
        "RETREAT",
        "SUPPORT",
        "COOPERATE",
    ):
        # "rejected the plan for a truce" speaks of an agreement but is not one.
        coding = dataclasses.replace(coding, sub_event_type="Diplomacy")
    spec = taxonomy()[coding.sub_event_type]
    mentions = actors_mod.find_mentions(text)
    agent, target, passive = actors_mod.agent_and_target(text, coding.start, mentions)
    if spec.event_type == "Non-ACLED" and spec.name == "Diplomacy":
        # A diplomatic act needs a political actor doing it and a verb of an act, not only a
        # topic word ("the foreign ministry", "a visiting fellow", "support").
        political = agent is not None and agent.kind in ("state", "nonstate")
        coding = dataclasses.replace(coding, topic=not (political and _plover_cue(text, topic=False)))
    claimed = actors_mod.claimants(text)
    if agent is not None and agent.name is None and agent.kind == "nonstate":
        # "Palestinian militants (likely Hamas)": the group the sentence names.
        agent = next((m for m in mentions if m.kind == "nonstate" and m.name), agent)
    actor1 = actors_mod.to_ref(agent, country=country)
    if actor1 is None:
        actor1 = _default_agent(text, coding, mentions, claimed, country)
    actor2 = actors_mod.to_ref(target, country=country)
    if actor2 is None and spec.violent and spec.acled:
        kind = _target_kind(
            text, coding.start, None, "state" if agent and agent.kind == "state" else "unknown"
        )
        civilians = actors_mod.default_name("civilian", _civ_country(text, country))
        if kind == "civilian" and civilians is not None:
            actor2 = actors_mod.ActorRef("", civilians)
    if spec.event_type == "Non-ACLED":
        # An interaction no actor pattern names: the clause's own subject and object (PLOVER
        # codes the source and target as written).
        cue = plover_cue or _plover_cue(text)
        verb = (cue[1].start(), cue[1].end()) if cue else (coding.start, coding.end)
        if actor1 is None and (subject := actors_mod.subject_before(text, verb[0])):
            actor1 = actors_mod.ActorRef(subject, None)
        if actor2 is None and (obj := actors_mod.object_after(text, verb[1])):
            actor2 = actors_mod.ActorRef(obj, None)
    assoc = tuple(
        actors_mod.to_ref(m, country=country)
        for m in mentions
        if m.name
        and agent is not None
        and m.kind == agent.kind
        and m.name != agent.name
        and m.start > agent.start
        and m.start < coding.start
    )
    victims = _victims(text, coding, passive)
    doc = ctx.docs.get(index) if getattr(ctx, "docs", None) else None
    dead = _quantity_from_doc(doc, "dead") or fatalities_of(sentence_text)
    hurt = _quantity_from_doc(doc, "hurt") or injured_of(text)
    when = _event_date(ctx, index, text)
    background = bool(_BACKGROUND.search(text)) or _is_old(when, ctx)
    event = Event(
        id=stable_id("evt", ctx.article.id, index, coding.sub_event_type, coding.start),
        article_id=ctx.article.id,
        event_type=spec.event_type,
        sub_event_type=coding.sub_event_type,
        evidence=ctx.evidence(index),
        confidence=0.5 if coding.generic else (0.8 if spec.acled else 0.6),
        plover=current_plover(plover_for(coding.sub_event_type, text, coding.start)),
        actor1=actor1,
        actor2=actor2,
        assoc_actors=tuple(a for a in assoc if a is not None),
        location=_event_place(ctx, index, text, coding.start),
        date=when,
        fatalities=dead,
        injured=hurt,
        victims=victims,
        claimed_by=claimed,
        modality=modality_of(text, coding.start, coding.end),
        trigger=coding.trigger,
    )
    anaphoric = bool(_ANAPHOR.search(text)) and agent is None
    return _Draft(index, coding, event, anaphoric, background)


def cue_of(sentence: str) -> str:
    """The cue group that codes ``sentence`` (see ``Coding.cue``), "NONE" when none does."""
    text, prefix = _clean(sentence)
    if prefix is not None:
        return "prefix"
    coding = code_sentence(text)
    if coding is not None:
        return coding.cue
    found = _plover_cue(text)
    return f"plover:{found[0].event}" if found else "NONE"


def _civ_country(text: str, country: str | None) -> str | None:
    return actors_mod.text_country(re.sub(r"\bisraeli?\b", "", text, flags=re.IGNORECASE)) or country


def _default_agent(
    text: str, coding: Coding, mentions: list, claimed: tuple[str, ...], country: str | None
) -> Any:
    """Who acted when the sentence names no agent: the weapon's only owner in the country,
    else an armed actor that announced the act (militaries announce their own strikes)."""
    owners = actors_mod.actor_rules().weapon_owner.get(country or "", {})
    cues = triggers().cues
    if "AIR" in owners and cues["AIR"].search(text):
        return actors_mod.ActorRef("", owners["AIR"])
    if (
        "SHELL_STATE" in owners
        and coding.sub_event_type == "Shelling/artillery/missile attack"
        and cues["SHELL"].search(text)
    ):
        return actors_mod.ActorRef("", owners["SHELL_STATE"])
    if "DESTROY" in owners and coding.sub_event_type == "Looting/property destruction":
        return actors_mod.ActorRef("", owners["DESTROY"])
    for name in claimed:
        for m in actors_mod.find_mentions(name):
            if m.kind in ("state", "nonstate") and m.name:
                return actors_mod.ActorRef(name, m.name)
    return None


def _victims(text: str, coding: Coding, passive: bool) -> tuple[str, ...]:
    if not re.search(r"kill|dead|died|slain|assassinat|martyr|murder|eliminat", text, re.IGNORECASE):
        return ()
    p = actors_mod.passive_at(text, coding.start)
    if passive and p is not None:
        return actors_mod.victim_names(text, (0, p.start()))
    k = re.search(r"\b(?:killing|killed|assassinat\w*|eliminat\w*)\b", text, re.IGNORECASE)
    if k:
        return actors_mod.victim_names(text, (k.end(), min(len(text), k.end() + 120)))
    return ()


def _is_old(when: When | None, ctx: Any) -> bool:
    if when is None or not when.date or when.precision == "week":
        return False
    ref = ctx.published
    if ref is None:
        return False
    return date.fromisoformat(when.date) < ref - timedelta(days=BACKGROUND_DAYS)


def _merge(into: Event, other: Event) -> Event:
    """Add what ``other`` (a later mention of the same happening) knows to ``into``."""
    victims = into.victims + tuple(v for v in other.victims if v not in into.victims)
    location = into.location
    if other.location is not None and (location is None or _vaguer(location, other.location)):
        location = other.location
    return dataclasses.replace(
        into,
        victims=victims,
        location=location,
        fatalities=into.fatalities or other.fatalities,
        date=other.date if _vaguer_date(into.date, other.date) else into.date,
        injured=into.injured or other.injured,
        claimed_by=into.claimed_by + tuple(c for c in other.claimed_by if c not in into.claimed_by),
        actor1=into.actor1 or other.actor1,
    )


def _vaguer_date(a: When | None, b: When | None) -> bool:
    """True when ``b`` states a day and ``a`` is only the publication week (or nothing)."""
    return b is not None and b.precision == "day" and (a is None or a.precision == "week")


def _vaguer(a: Place, b: Place) -> bool:
    """True when ``b`` places the happening more precisely than ``a``: a finer ACLED-style
    precision (1 town, 2 part of a region, 3 region) inside the same country, else (no
    precision known) a region word in ``a``'s text and none in ``b``'s."""
    if a.precision is not None and b.precision is not None:
        same_country = a.country is None or b.country is None or a.country == b.country
        return same_country and b.precision < a.precision
    region = re.compile(
        r"\b(?:strip|region|province|governorate|northern|southern|eastern|western|central|country)\b",
        re.IGNORECASE,
    )
    return bool(region.search(a.text)) and not region.search(b.text)


def _is_violent(event: Event) -> bool:
    spec = taxonomy().get(event.sub_event_type)
    return bool(spec and spec.violent)


def _corefer(event: Event, named_state: str | None) -> Event:
    """An unnamed state actor ("artillery", "warplanes") is the article's named state actor."""
    a1 = event.actor1
    if (
        named_state
        and a1 is not None
        and a1.entity
        and a1.entity.startswith("Military Forces of ")
        and a1.entity != named_state
    ):
        if not any(m.name for m in actors_mod.find_mentions(a1.text)):
            return dataclasses.replace(event, actor1=actors_mod.ActorRef(a1.text, named_state))
    return event


def _note_total(events: list[Event]) -> Quantity | None:
    """An ACLED note codes one event: its fatalities are the sum over the note's sentences."""
    known = [e.fatalities for e in events if e.fatalities is not None and e.fatalities.best is not None]
    if not known:
        return None
    total = sum(q.best for q in known)
    return Quantity(total, total, total, "exact", "; ".join(q.text for q in known))


def _weak_anchor(d: _Draft, events: list[Event]) -> int | None:
    """The specific violent event a bare casualty sentence belongs to, if any."""

    def same_victims(e: Event) -> bool:
        return not (d.event.victims and e.victims) or bool(set(d.event.victims) & set(e.victims))

    violent = [i for i, e in enumerate(events) if _is_violent(e) and same_victims(e)]
    before = [i for i in violent if events[i].evidence.sentence <= d.index]
    if before:
        return before[-1]
    after = (
        i
        for i in violent
        if (d.event.victims and set(d.event.victims) & set(events[i].victims))
        or (events[i].evidence.sentence <= d.index + 2 and events[i].modality in ("asserted", "reported"))
    )
    return next(after, None)


def _assemble(drafts: list[_Draft], coded_note: Quantity | None, *, note: bool = False) -> list[Event]:
    events: list[Event] = []
    weak: list[_Draft] = []
    for d in drafts:
        anchor = next((i for i in range(len(events) - 1, -1, -1) if _is_violent(events[i])), None)
        if d.anaphoric and anchor is not None and _is_violent(d.event) and not d.background:
            events[anchor] = _merge(events[anchor], d.event)
            continue
        if d.coding.generic and _is_violent(d.event):
            weak.append(d)
            continue
        events.append(d.event)
    # A bare casualty sentence ("killed", "were wounded", with no act or weapon of its own)
    # reports the victims of a specific violent event of the article: the nearest one before
    # it, else one just after it (a lead's "was killed" and the next sentence's strike) or one
    # naming the same victims. Named victims that differ make another happening.
    for d in weak:
        anchor = _weak_anchor(d, events)
        if anchor is not None:
            events[anchor] = _merge(events[anchor], d.event)
        else:
            events.append(d.event)
    events.sort(key=lambda e: (e.evidence.sentence, e.evidence.start))
    background = {d.event.id for d in drafts if d.background}
    primary = None
    if note and events:
        primary = 0
        # Summed over the note's sentences, casualty sentences merged into an event included.
        coded_note = coded_note or _note_total([d.event for d in drafts])
    if primary is None:
        primary = next(
            (
                i
                for i, e in enumerate(events)
                if _is_violent(e) and e.id not in background and e.modality in ("asserted", "reported")
            ),
            None,
        )
    if primary is None:
        primary = next((i for i, e in enumerate(events) if e.id not in background), 0 if events else None)
    if primary is not None:
        chosen = events[primary]
        if coded_note is not None:
            chosen = dataclasses.replace(chosen, fatalities=coded_note)
        events[primary] = dataclasses.replace(chosen, primary=True)
    return events


def find_events(ctx: Any) -> list[Event]:
    """All events of one article, the primary one marked."""
    country = _article_country(ctx)
    drafts = _without_topics(
        [d for s in ctx.sentences if (d := _draft(ctx, s.index, s.text, country)) is not None],
        snippet=len(ctx.article.text) <= SNIPPET_CHARS,
    )
    coded = CODED.search(ctx.article.text)
    coded_q = None
    if coded:
        n = float(coded.group("n").replace(",", ""))
        coded_q = Quantity(
            n, None, n, "at_least" if "at least" in coded.group().lower() else "exact", coded.group().strip()
        )
    named_state = next(
        (m.name for m in actors_mod.find_mentions(ctx.article.text) if m.kind == "state" and m.name), None
    )
    drafts = [dataclasses.replace(d, event=_corefer(d.event, named_state)) for d in drafts]
    return _assemble(drafts, coded_q, note=bool(_ACLED_NOTE.match(ctx.article.text)))


def _without_topics(drafts: list[_Draft], *, snippet: bool) -> list[_Draft]:
    """Topic-only codings ("the foreign minister said", "support for athletes") are no events
    in an article; a snippet with no act keeps its first one as its best guess."""
    acts = [d for d in drafts if not d.coding.topic]
    if acts:
        return acts
    return drafts[:1] if snippet else []


def _article_country(ctx: Any) -> str | None:
    hint = None
    if hasattr(ctx, "country_hint"):
        hint = ctx.country_hint()
    if hint:
        return hint
    text = ctx.article.text
    if re.search(r"\bGaza\b|Palestin|West Bank", text):
        return "Palestine"
    if re.search(r"\bLebanon\b|Lebanese|Beirut", text):
        return "Lebanon"
    return actors_mod.text_country(text)


@dataclass
class _TextContext:
    """The parts of ArticleContext the coder reads, without spaCy (for fast batch coding)."""

    article: Article
    sentences: list
    docs: dict
    published: date | None
    year_hint: int | None

    def evidence(self, sentence: int, start: int | None = None, end: int | None = None) -> Any:
        from ..records import Evidence

        sent = self.sentences[sentence]
        s = sent.start + (start or 0)
        e = sent.start + (end if end is not None else len(sent.text))
        return Evidence(self.article.id, sentence, s, e, self.article.text[s:e])

    def resolve_date(self, text: str) -> When:
        from .dates import resolve

        return resolve(text, published=self.published, year_hint=self.year_hint)

    def geocode(self, text: str, *, country_hint: str | None = None) -> Place | None:
        return None

    def country_hint(self) -> str | None:
        return None


def classify_text(text: str, *, published: date | None = None, extractor: Any = None) -> Event | None:
    """The primary event of a snippet (an ACLED note, a CASE 2021 snippet), or None.

    With an ``Extractor`` the full pipeline runs (places, quantities, dates); without one
    a text-only context is used, which codes types, actors, modality and fatalities.
    """
    if extractor is not None:
        article = Article.create(text, published=published)
        events = [r for r in extractor.extract(article) if isinstance(r, Event)]
    else:
        events = _text_events(text, published)
    return next((e for e in events if e.primary), events[0] if events else None)


def _text_events(text: str, published: date | None) -> list[Event]:
    article = Article.create(text, published=published)
    year_hint = published.year if published else None
    if year_hint is None:
        years = [int(y) for y in re.findall(r"\b(19[5-9]\d|20[0-4]\d)\b", text)]
        year_hint = max(years) if years else None
    ctx = _TextContext(article, split_sentences(text), {}, published, year_hint)
    return find_events(ctx)


def acled_to_case(sub_event_type: str | None) -> str:
    """The CASE 2021 SubType label of a sub-event type ('OTHER' when unknown)."""
    return _reverse_case().get(sub_event_type or "", "OTHER")


@lru_cache(maxsize=1)
def _reverse_case() -> dict[str, str]:
    return {sub: label for label, sub in case_map().items()}


def case_to_acled(label: str) -> str | None:
    """The sub-event type of a CASE 2021 SubType label."""
    return case_map().get(label)
