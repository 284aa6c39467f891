"""Suite ``seeds``: expected facts on the two seed articles (``gold/seeds/expected.json``,
format in ``gold/seeds/README.md``). Claims of the seeds are scored by the ``claims`` suite.

* an expected **event** is found when one of our events has evidence overlapping one of its
  evidence spans and the same ``sub_event_type`` (``events_detected``: overlap only);
* an expected **person** is found when one of our PERSON entities has the name or an alias as
  its name or alias (folded; rapidfuzz token_set_ratio >= 90 also counts: "Kasab" ~ "Kassab");
  that entity (the one naming most of the person's names, an exact name first) is then scored
  for the person's details: each expected **alias** must be its name or one of its aliases
  (folded, exactly: a fuzzy match would hide a missed spelling); each expected **role** must
  share half its content words with one of its roles (the ``entities`` suite's rule); its
  **status** must be the expected one (``null``: no status at all); and the **status source**
  must name every party of the expected one ("IDF and Shin Bet": both, canonical names or
  folded containment);
* an expected **statement** is found when one of our statements overlaps its evidence with the
  stance ("deny" -> "denies", "confirm" -> "confirms"; "assert" accepts any stance).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from ..errors import InputError
from ..records import Entity, Event, Record, Statement
from . import metrics
from .entities import role_matches, same_status
from .normalise import fold
from .result import Figure, Miss, Scored

NAME = "seeds"
NAME_FUZZ = 90
_STANCE = {"deny": "denies", "confirm": "confirms", "dispute": "disputes"}


@dataclass(frozen=True)
class ExpectedEvent:
    id: str
    sub_event_type: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ExpectedPerson:
    names: tuple[str, ...]  # the name first, then its aliases
    roles: tuple[str, ...] = ()
    status: str | None = None
    status_source: str | None = None

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.names[1:]


@dataclass(frozen=True)
class ExpectedStatement:
    speaker: str
    stance: str
    span: tuple[int, int]


@dataclass(frozen=True)
class SeedExpect:
    events: tuple[ExpectedEvent, ...]
    people: tuple[ExpectedPerson, ...]
    statements: tuple[ExpectedStatement, ...]


def _span(d: Mapping) -> tuple[int, int]:
    return int(d["start"]), int(d["end"])


def _person(p: Mapping) -> ExpectedPerson:
    return ExpectedPerson((p["name"], *p.get("aliases", ())), tuple(p.get("roles", ())),
                          p.get("status"), p.get("status_source"))


def load_expected(path: Path) -> dict[str, SeedExpect]:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    seeds = data.get("seeds") if isinstance(data, dict) else None
    if not isinstance(seeds, dict):
        raise InputError(f"{path}: expected {{'seeds': {{file name: ...}}}}; see gold/seeds/README.md")
    out = {}
    try:
        for name, s in seeds.items():
            out[name] = SeedExpect(
                tuple(ExpectedEvent(e["id"], e["sub_event_type"], tuple(_span(x) for x in e["evidence"]))
                      for e in s.get("events", ())),
                tuple(_person(p) for p in s.get("people", ())),
                tuple(ExpectedStatement(st["speaker"], st["stance"], _span(st["evidence"]))
                      for st in s.get("statements", ())),
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: malformed seeds gold ({exc!r}); see gold/seeds/README.md") from exc
    return out


def _overlaps(start: int, end: int, span: tuple[int, int]) -> bool:
    return start < span[1] and span[0] < end


def _name_match(ours: Sequence[str], names: Sequence[str]) -> bool:
    a = [fold(x) for x in ours if x]
    b = [fold(x) for x in names if x]
    return any(x == y or fuzz.token_set_ratio(x, y) >= NAME_FUZZ for x in a for y in b)


def _person_entity(people: Sequence[Entity], p: ExpectedPerson) -> Entity | None:
    """Our entity for an expected person: among those matching a name, the one with the
    expected name itself, then the one holding most of the expected names."""
    names = {fold(n) for n in p.names}

    def rank(x: Entity) -> tuple[bool, int]:
        return fold(x.name) in names, sum(fold(n) in names for n in (x.name, *x.aliases))

    return max((x for x in people if _name_match((x.name, *x.aliases), p.names)), key=rank, default=None)


def _parties(text: str) -> set[str]:
    """"IDF and Shin Bet" -> {"israel defense forces", "shin bet"}: folded canonical names."""
    from ..nlp.entities import canonical

    parts = re.split(r"\s*(?:,|\band\b|&)\s*", text)
    return {fold(canonical(x) or x) for x in parts if x.strip()}


def source_matches(ours: Sequence[str | None], gold: str) -> bool:
    """Every party of the gold source is named by one of our sources (canonical names equal,
    or one folded name contains the other)."""
    have = set().union(*(_parties(o) for o in ours if o))
    return all(any(g == h or g in h or h in g for h in have) for g in _parties(gold))


def _statuses(entity: Entity) -> set[str]:
    return {same_status(s.get("status")) for s in entity.status}


def _person_details(name: str, p: ExpectedPerson, ours: Entity | None) -> tuple[dict[str, list[bool]], list[Miss]]:
    """The person's aliases, roles, status and status source, each as found/not found."""
    got: dict[str, list[bool]] = {"aliases": [], "roles": [], "status": [], "status_source": []}
    misses = []
    who = f"{name}:{p.names[0]}"
    our_names = {fold(n) for n in ((ours.name, *ours.aliases) if ours else ())}
    for alias in p.aliases:
        got["aliases"].append(fold(alias) in our_names)
        if not got["aliases"][-1]:
            misses.append(Miss(NAME, f"{who}:alias", 0.5, "", " / ".join(sorted(our_names)) or "no entity", alias))
    for role in p.roles:
        got["roles"].append(ours is not None and role_matches(ours.roles, (role,)))
        if not got["roles"][-1]:
            misses.append(Miss(NAME, f"{who}:role", 0.5, "", "; ".join(ours.roles) if ours else "no entity", role))
    have = _statuses(ours) if ours else set()
    want = same_status(p.status)
    got["status"].append(want in have if want else not have)
    if not got["status"][-1]:
        misses.append(Miss(NAME, f"{who}:status", 0.5, "", ", ".join(sorted(have)) or "no status", str(want)))
    if want and p.status_source:
        sources = [s.get("source") for s in (ours.status if ours else ()) if same_status(s.get("status")) == want]
        got["status_source"].append(source_matches(sources, p.status_source))
        if not got["status_source"][-1]:
            misses.append(Miss(NAME, f"{who}:status_source", 0.5, "", "; ".join(str(x) for x in sources) or "no source",
                               p.status_source))
    return got, misses


def score(records: Mapping[str, Sequence[Record]], expected: Mapping[str, SeedExpect]) -> Scored:
    found_ev, detected_ev, found_people, found_st = [], [], [], []
    details: dict[str, list[bool]] = {"aliases": [], "roles": [], "status": [], "status_source": []}
    misses = []
    for name, exp in expected.items():
        recs = records.get(name, ())
        events = [r for r in recs if isinstance(r, Event)]
        people = [r for r in recs if isinstance(r, Entity) and r.kind == "PERSON"]
        statements = [r for r in recs if isinstance(r, Statement)]
        for e in exp.events:
            near = [x for x in events if any(_overlaps(x.evidence.start, x.evidence.end, s) for s in e.spans)]
            detected_ev.append(bool(near))
            found_ev.append(any(x.sub_event_type == e.sub_event_type for x in near))
            if not found_ev[-1]:
                misses.append(Miss(NAME, f"{name}:{e.id}", 2.0, f"spans {list(e.spans)}",
                                   "; ".join(f"{x.sub_event_type}" for x in near) or "no event there",
                                   e.sub_event_type))
        for p in exp.people:
            ours = _person_entity(people, p)
            found_people.append(ours is not None)
            if ours is None:
                misses.append(Miss(NAME, f"{name}:person", 1.0, "", f"{len(people)} people extracted",
                                   " / ".join(p.names)))
            got, person_misses = _person_details(name, p, ours)
            for key, flags in got.items():
                details[key] += flags
            misses += person_misses
        for st in exp.statements:
            want = _STANCE.get(st.stance)
            ok = any(_overlaps(x.evidence.start, x.evidence.end, st.span) and (want is None or x.stance == want)
                     for x in statements)
            found_st.append(ok)
            if not ok:
                misses.append(Miss(NAME, f"{name}:statement", 1.0, f"span {st.span}",
                                   f"{len(statements)} statements extracted", f"{st.speaker}: {st.stance}"))
    allf = found_ev + found_people + found_st
    figures = (
        Figure("found", metrics.share(allf), len(allf), "expected events, people and statements found"),
        Figure("events_found", metrics.share(found_ev), len(found_ev), "event at its evidence, same sub_event_type"),
        Figure("events_detected", metrics.share(detected_ev), len(detected_ev), "any event at its evidence"),
        Figure("people_found", metrics.share(found_people), len(found_people), "PERSON entity by name/alias"),
        Figure("people_aliases", metrics.share(details["aliases"]), len(details["aliases"]),
               "expected aliases among the person's entity's names (folded, exact)"),
        Figure("people_roles", metrics.share(details["roles"]), len(details["roles"]),
               "expected roles the person's entity has (half the content words)"),
        Figure("people_status", metrics.share(details["status"]), len(details["status"]),
               "people with the expected status (null: none)"),
        Figure("people_status_source", metrics.share(details["status_source"]), len(details["status_source"]),
               "expected status sources named (every party)"),
        Figure("statements_found", metrics.share(found_st), len(found_st), "statement at its evidence, stance"),
    )
    return Scored(figures, tuple(misses))
