"""Suite ``seeds``: expected facts on the two seed articles (``gold/seeds/expected.json``,
format in ``gold/seeds/README.md``). Claims of the seeds are scored by the ``claims`` suite.

* an expected **event** is found when one of our events has evidence overlapping one of its
  evidence spans and the same ``sub_event_type`` (``events_detected``: overlap only);
* an expected **person** is found when one of our PERSON entities has the name or an alias as
  its name or alias (folded; rapidfuzz token_set_ratio >= 90 also counts: "Kasab" ~ "Kassab");
* an expected **statement** is found when one of our statements overlaps its evidence with the
  stance ("deny" -> "denies", "confirm" -> "confirms"; "assert" accepts any stance).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from ..errors import InputError
from ..records import Entity, Event, Record, Statement
from . import metrics
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
    names: tuple[str, ...]


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
                tuple(ExpectedPerson((p["name"], *p.get("aliases", ()))) for p in s.get("people", ())),
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


def score(records: Mapping[str, Sequence[Record]], expected: Mapping[str, SeedExpect]) -> Scored:
    found_ev, detected_ev, found_people, found_st = [], [], [], []
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
            found_people.append(any(_name_match((x.name, *x.aliases), p.names) for x in people))
            if not found_people[-1]:
                misses.append(Miss(NAME, f"{name}:person", 1.0, "", f"{len(people)} people extracted",
                                   " / ".join(p.names)))
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
        Figure("statements_found", metrics.share(found_st), len(found_st), "statement at its evidence, stance"),
    )
    return Scored(figures, tuple(misses))
