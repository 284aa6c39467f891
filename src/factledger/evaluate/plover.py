"""Suite ``plover``: PLOVER gold standard sentences (``plover/gsr_dev.json``).

Gold labels are PLOVER 0.5b1; they are mapped to current PLOVER with the data file
``plover_0_5_to_current.json`` (from ``CAMEO2PLOVER-2021.txt``). We score the primary event's
``plover["event"]``, and its actor1/actor2 against the gold source/target actor texts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from ..errors import RulesError
from ..records import ActorRef, Article, Event
from . import metrics
from .data import PloverRow, load_plover
from .normalise import text_overlap
from .result import Figure, Miss, Scored

NAME = "plover"
DATA = ("plover", "gsr_dev.json")
MAP_FILE = Path(__file__).resolve().with_name("plover_0_5_to_current.json")


@cache
def label_map(path: Path = MAP_FILE) -> dict[str, str]:
    """PLOVER 0.5b1 label -> current label, validated: every target is a current label."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    current = set(data.get("current", ()))
    mapping = data.get("map")
    if not current or not isinstance(mapping, dict):
        raise RulesError(f"{path}: expected 'current' (list of labels) and 'map' (old -> current)")
    bad = {k: v for k, v in mapping.items() if v not in current}
    if bad:
        raise RulesError(f"{path}: these map to labels that are not current PLOVER: {bad}")
    return dict(mapping)


def current_label(old: str, mapping: dict[str, str]) -> str:
    if old not in mapping:
        raise RulesError(f"PLOVER gold label {old!r} has no entry in {MAP_FILE.name}; add it there")
    return mapping[old]


def actor_matches(ours: ActorRef | None, gold: Sequence[str]) -> bool:
    """Our actor's text (or entity name) overlaps one of the gold actor texts; no gold actor
    matches our None."""
    if not gold:
        return ours is None
    if ours is None:
        return False
    return any(text_overlap(ours.text, g) or text_overlap(ours.entity, g) for g in gold)


def load(path: Path) -> list[PloverRow]:
    return load_plover(path)


def inputs(rows: Sequence[PloverRow]) -> list[tuple[str, Article]]:
    return [(r.id, Article.create(r.text, source="PLOVER GSR")) for r in rows]


def score(rows: Sequence[PloverRow], events: Sequence[Event | None], *,
          mapping: dict[str, str] | None = None) -> Scored:
    mapping = mapping or label_map()
    pairs, src_ok, tgt_ok = [], [], []
    misses = []
    for row, ev in zip(rows, events, strict=True):
        gold = current_label(row.event, mapping)
        pred = (ev.plover.get("event") if ev else None) or metrics.NONE_LABEL
        pairs.append((gold, pred))
        src_ok.append(actor_matches(ev.actor1 if ev else None, row.sources))
        tgt_ok.append(actor_matches(ev.actor2 if ev else None, row.targets))
        wrong = 2 * (gold != pred) + (not src_ok[-1]) + (not tgt_ok[-1])
        if wrong:
            ours = (f"{pred}; source={ev.actor1.text if ev and ev.actor1 else None}; "
                    f"target={ev.actor2.text if ev and ev.actor2 else None}")
            misses.append(Miss(NAME, row.id, wrong, row.text, ours,
                               f"{gold} (0.5b1 {row.event}); source={list(row.sources)}; "
                               f"target={list(row.targets)}"))
    n = len(rows)
    figures = (
        Figure("event_accuracy", metrics.accuracy(pairs), n, "primary event's PLOVER event = mapped gold"),
        Figure("event_macro_f1", metrics.macro_f1(pairs), n, "unweighted mean F1 over PLOVER events"),
        Figure("source_accuracy", metrics.share(src_ok), n, "actor1 overlaps a gold source actorText"),
        Figure("target_accuracy", metrics.share(tgt_ok), n, "actor2 overlaps a gold target actorText"),
    )
    table = tuple((g, p, str(c)) for g, p, c in metrics.top_confusions(pairs, 10))
    return Scored(figures, tuple(misses), (("top PLOVER confusions (gold, ours, count)", table),))
