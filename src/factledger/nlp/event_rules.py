"""Load and validate the event coder's rule files (``rules/*.json``).

Every file is read once, checked, and compiled into frozen records; a wrong file
raises :class:`factledger.errors.RulesError` naming the file and the problem.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import RulesError

ACTOR_KINDS = ("state", "nonstate", "civilian", "protester", "rioter", "unknown")


def _read(name: str) -> dict[str, Any]:
    path = resources.files("factledger.rules").joinpath(name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RulesError(f"rules/{name} cannot be read: {exc}; fix the JSON or reinstall factledger") from exc
    if not isinstance(data, dict):
        raise RulesError(f"rules/{name} must hold a JSON object")
    return data


def _compile(name: str, where: str, fragments: list[str]) -> re.Pattern[str]:
    if not isinstance(fragments, list) or not all(isinstance(f, str) and f for f in fragments):
        raise RulesError(f"rules/{name}: {where} must be a list of non-empty strings")
    alternatives = "|".join(f"(?:{f})" for f in sorted(fragments, key=len, reverse=True))
    try:
        return re.compile(r"(?<![\w-])(?:" + alternatives + ")", re.IGNORECASE)
    except re.error as exc:
        raise RulesError(f"rules/{name}: {where} holds an invalid pattern: {exc}") from exc


@dataclass(frozen=True)
class SubEventType:
    name: str
    event_type: str
    definition: str
    plover: tuple[str | None, str | None]
    violent: bool
    acled: bool


@dataclass(frozen=True)
class TriggerRule:
    sub_event_type: str
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    agent: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    generic_unless: tuple[str, ...] = ()
    # A topic rule's cues name a subject (a diplomat, a summit), not an act: its coding
    # stands only where a snippet yields no other event (see events.find_events).
    topic: bool = False


@dataclass(frozen=True)
class Triggers:
    cues: dict[str, re.Pattern[str]]
    rules: tuple[TriggerRule, ...]
    prefixes: dict[str, str]


@dataclass(frozen=True)
class ActorPattern:
    name: str
    kind: str
    country: str | None
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class ActorRules:
    actors: tuple[ActorPattern, ...]
    generic: tuple[ActorPattern, ...]  # built from nationality adjectives
    kind_words: dict[str, re.Pattern[str]]
    defaults: dict[str, str]
    weapon_owner: dict[str, dict[str, str]]
    countries: dict[str, re.Pattern[str]]


@dataclass(frozen=True)
class PloverCue:
    event: str
    mode: str | None
    pattern: re.Pattern[str]
    # A topic cue ("must", "ready to", "aid") codes the PLOVER event of an event found
    # otherwise but does not make a non-violent event on its own.
    topic: bool = False


@dataclass(frozen=True)
class PloverRules:
    events: tuple[str, ...]
    current: dict[str, str]
    cues: tuple[PloverCue, ...]


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, SubEventType]:
    """Sub-event type name -> record (the 25 ACLED types and the non-ACLED extras)."""
    name = "acled_taxonomy.json"
    data = _read(name)
    out: dict[str, SubEventType] = {}
    try:
        sections = [(data["event_types"], True), (data["extra"]["event_types"], False)]
        for types, acled in sections:
            for etype, spec in types.items():
                for sub, sspec in spec["sub_event_types"].items():
                    event, mode = sspec["plover"]
                    out[sub] = SubEventType(
                        sub, etype, sspec["definition"], (event, mode), bool(sspec["violent"]), acled
                    )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RulesError(
            f"rules/{name} is invalid near {exc!r}: every sub-event type needs definition, plover [event, mode] and violent"
        ) from exc
    n_acled = sum(1 for s in out.values() if s.acled)
    if n_acled != 25:
        raise RulesError(f"rules/{name} defines {n_acled} ACLED sub-event types; ACLED has 25")
    return out


@lru_cache(maxsize=1)
def triggers() -> Triggers:
    name = "event_triggers.json"
    data = _read(name)
    known = taxonomy()
    try:
        cues = {k: _compile(name, f"cue group {k}", v) for k, v in data["cues"].items()}
        rules = []
        for i, spec in enumerate(data["rules"]):
            rule = TriggerRule(
                spec["sub_event_type"],
                *(
                    tuple(spec.get(k, ()))
                    for k in ("any", "all", "none", "agent", "target", "generic_unless")
                ),
                topic=bool(spec.get("topic", False)),
            )
            for group in (*rule.any, *rule.all, *rule.none, *rule.generic_unless):
                if group not in cues:
                    raise RulesError(f"rules/{name}: rule {i} names unknown cue group {group!r}")
            for kind in (*rule.agent, *rule.target):
                if kind not in ACTOR_KINDS:
                    raise RulesError(
                        f"rules/{name}: rule {i} names unknown actor kind {kind!r}; use one of {ACTOR_KINDS}"
                    )
            if rule.sub_event_type not in known:
                raise RulesError(
                    f"rules/{name}: rule {i} names unknown sub-event type {rule.sub_event_type!r}"
                )
            if not rule.any and not rule.all:
                raise RulesError(f"rules/{name}: rule {i} needs 'any' or 'all'")
            rules.append(rule)
        prefixes = dict(data["prefixes"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise RulesError(
            f"rules/{name} is invalid near {exc!r}: it needs 'cues', 'rules' and 'prefixes'"
        ) from exc
    for label, sub in prefixes.items():
        if sub not in known:
            raise RulesError(f"rules/{name}: prefix {label!r} maps to unknown sub-event type {sub!r}")
    return Triggers(cues, tuple(rules), prefixes)


@lru_cache(maxsize=1)
def actor_rules() -> ActorRules:
    name = "acled_actors.json"
    data = _read(name)
    try:
        actors = tuple(
            ActorPattern(
                a["name"], a["kind"], a.get("country"), _compile(name, f"actor {a['name']}", a["patterns"])
            )
            for a in data["actors"]
        )
        countries = {c: _compile(name, f"country {c}", adjs) for c, adjs in data["countries"].items()}
        generic = []
        for kind, spec in data["generic"].items():
            for country, adjs in data["countries"].items():
                adj = "|".join(adjs)
                pattern = _compile(name, f"generic {kind}", [spec["pattern"].replace("{adj}", adj)])
                generic.append(
                    ActorPattern(spec["name"].replace("{country}", country), kind, country, pattern)
                )
        kind_words = {k: _compile(name, f"kind_words {k}", v) for k, v in data["kind_words"].items()}
        defaults = dict(data["defaults"])
        weapon_owner = {k: v for k, v in data["weapon_owner"].items() if isinstance(v, dict)}
    except (KeyError, TypeError, AttributeError) as exc:
        raise RulesError(f"rules/{name} is invalid near {exc!r}") from exc
    for a in (*actors, *generic):
        if a.kind not in ACTOR_KINDS:
            raise RulesError(f"rules/{name}: actor {a.name!r} has unknown kind {a.kind!r}")
    return ActorRules(actors, tuple(generic), kind_words, defaults, weapon_owner, countries)


@lru_cache(maxsize=1)
def plover_rules() -> PloverRules:
    name = "plover.json"
    data = _read(name)
    try:
        events = tuple(data["events"])
        cues = tuple(
            PloverCue(c["event"], c.get("mode"), _compile(name, f"cue {i} ({c['event']})", c["any"]),
                      bool(c.get("topic", False)))
            for i, c in enumerate(data["cues"])
        )
        current = dict(data["current"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise RulesError(f"rules/{name} is invalid near {exc!r}") from exc
    for cue in cues:
        if cue.event not in events:
            raise RulesError(f"rules/{name}: cue for unknown PLOVER event {cue.event!r}")
    for sub in taxonomy().values():
        if sub.plover[0] is not None and sub.plover[0] not in events:
            raise RulesError(f"acled_taxonomy.json: {sub.name} has unknown PLOVER event {sub.plover[0]!r}")
    return PloverRules(events, current, cues)


@lru_cache(maxsize=1)
def case_map() -> dict[str, str]:
    """CASE 2021 SubType -> sub-event type."""
    name = "case2021_map.json"
    data = _read(name)
    mapping = data.get("map")
    if not isinstance(mapping, dict):
        raise RulesError(f"rules/{name} needs a 'map' object")
    known = taxonomy()
    for label, sub in mapping.items():
        if sub not in known:
            raise RulesError(f"rules/{name}: {label} maps to unknown sub-event type {sub!r}")
    return dict(mapping)
