"""Suite ``seeds``: expected facts on the two seed articles (``gold/seeds/expected.json``).

Until ``gold/seeds/README.md`` fixes the format, the loader accepts::

    {"<seed file name>": {"events": [EXPECT, ...], "claims": [...], "entities": [...],
                          "statements": [...]}, ...}

optionally wrapped in {"seeds": {...}}. An EXPECT is an object of field -> value where a field
is a record field or a dotted path into it ("value.low", "actor1.entity", "location.name");
keys starting with "_" (comments) are ignored. An expected fact is *found* when one record of
that kind has every field equal (strings compared case- and punctuation-folded, numbers
numerically, a list value = the record's list contains all of its items).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import Record, to_dict
from . import metrics
from .normalise import fold
from .result import Figure, Miss, Scored

NAME = "seeds"
KINDS = ("events", "claims", "entities", "statements")
_TYPE = {"events": "event", "claims": "claim", "entities": "entity", "statements": "statement"}


def load_expected(path: Path) -> dict[str, dict[str, list[dict[str, Any]]]]:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if isinstance(data, dict) and isinstance(data.get("seeds"), dict):
        data = data["seeds"]
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected an object keyed by seed file name")
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name, facts in data.items():
        if name.startswith("_"):
            continue
        if not isinstance(facts, dict):
            raise InputError(f"{path}: {name!r} must map to an object with events/claims/entities lists")
        out[name] = {k: [e for e in facts.get(k, []) if isinstance(e, dict)] for k in KINDS}
    return out


def _get(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def _equal(ours: Any, want: Any) -> bool:
    if isinstance(want, bool) or want is None:
        return ours == want
    if isinstance(want, (int, float)):
        return isinstance(ours, (int, float)) and not isinstance(ours, bool) and abs(ours - want) < 1e-9
    if isinstance(want, str):
        return isinstance(ours, str) and fold(ours) == fold(want)
    if isinstance(want, list):
        return isinstance(ours, list) and all(any(_equal(o, w) for o in ours) for w in want)
    if isinstance(want, dict):
        return all(_equal(_get(ours, k), v) for k, v in want.items())
    return False


def fact_found(expect: Mapping[str, Any], records: Sequence[Mapping[str, Any]]) -> bool:
    fields = {k: v for k, v in expect.items() if not k.startswith("_")}
    return any(all(_equal(_get(r, k), v) for k, v in fields.items()) for r in records)


def score(records: Mapping[str, Sequence[Record]], expected: Mapping[str, Mapping[str, Sequence[dict]]]
          ) -> Scored:
    per_kind: dict[str, list[bool]] = {k: [] for k in KINDS}
    misses = []
    for name, facts in expected.items():
        plain = [to_dict(r) for r in records.get(name, ())]
        for kind in KINDS:
            candidates = [r for r in plain if r.get("type") == _TYPE[kind]]
            for expect in facts.get(kind, ()):
                ok = fact_found(expect, candidates)
                per_kind[kind].append(ok)
                if not ok:
                    misses.append(Miss(NAME, f"{name}:{kind}", 1.0, expect.get("_text", ""),
                                       f"{len(candidates)} {kind} extracted", json.dumps(expect)))
    everything = [x for v in per_kind.values() for x in v]
    figures = [Figure("found", metrics.share(everything), len(everything), "expected facts found, all kinds")]
    figures += [Figure(f"{kind}_found", metrics.share(v), len(v), f"expected {kind} found")
                for kind, v in per_kind.items() if v]
    return Scored(tuple(figures), tuple(misses))
