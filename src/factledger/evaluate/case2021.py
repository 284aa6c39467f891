"""Suite ``case2021``: CASE 2021 Task 2 snippets (``case2021/dev.tsv``), event type only.

The snippet's primary event's sub-event type is mapped to a CASE SubType (the event
coder's ``acled_to_case``, else ``rules/case2021_map.json``) and scored over all 30 SubTypes:
the 25 ACLED-derived ones and the five non-ACLED ones (``NON_ACLED``: diplomacy, attribution,
organised crime, natural and man-made disasters), which the coder has as extra types. A
snippet without an event is ``NOT_ACLED`` (always wrong). The trained sub-event head is
scored out of fold here (``out_of_fold.py``). Place names in the snippets were scrambled by
the organisers: no location figure here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from ..errors import RulesError
from ..records import Article, Event
from . import metrics
from .data import CaseRow, load_case2021
from .result import Figure, Miss, Scored

NAME = "case2021"
DATA = ("case2021", "dev.tsv")
NOT_ACLED = "NOT_ACLED"
# The task's non-ACLED SubTypes: the labels of dev.tsv missing from its event_types.txt.
NON_ACLED = frozenset({"DIPLO", "ATTRIB", "ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER"})
_MAP_FILE = Path(__file__).resolve().parents[1] / "rules" / "case2021_map.json"


@cache
def _file_mapping() -> dict[str, str]:
    """ACLED sub-event type -> CASE SubType, inverted from ``rules/case2021_map.json``."""
    with open(_MAP_FILE, encoding="utf-8") as fh:
        data = json.load(fh)
    mapping = data.get("map") if isinstance(data, dict) else None
    if not isinstance(mapping, dict):
        raise RulesError(f"{_MAP_FILE}: expected an object with a 'map' of CASE label -> sub-event type")
    return {sub: case for case, sub in mapping.items()}


def acled_to_case_fn() -> Callable[[str], str | None]:
    """The event coder's mapping when it exists, else the inverted rules file."""
    try:
        from ..nlp.events import acled_to_case  # type: ignore[attr-defined]
    except ImportError:
        return _file_mapping().get
    return acled_to_case


def case_label(gold: str) -> str:
    return gold


def predicted_label(ev: Event | None, to_case: Callable[[str], str | None]) -> str:
    if ev is None or not ev.sub_event_type:
        return NOT_ACLED
    return to_case(ev.sub_event_type) or NOT_ACLED


def load(path: Path) -> list[CaseRow]:
    return load_case2021(path)


def inputs(rows: Sequence[CaseRow]) -> list[tuple[str, Article]]:
    return [(f"case{r.id}", Article.create(r.text, source="CASE 2021")) for r in rows]


def score(rows: Sequence[CaseRow], events: Sequence[Event | None], *,
          to_case: Callable[[str], str | None] | None = None) -> Scored:
    to_case = to_case or acled_to_case_fn()
    pairs = []
    misses = []
    for row, ev in zip(rows, events, strict=True):
        gold, pred = case_label(row.subtype), predicted_label(ev, to_case)
        pairs.append((gold, pred))
        if gold != pred:
            ours = f"{pred} ({ev.event_type} / {ev.sub_event_type})" if ev else pred
            outside = NOT_ACLED in (gold, pred) or gold in NON_ACLED or pred in NON_ACLED
            misses.append(Miss(NAME, row.id, 2.0 if outside else 1.0, row.text, ours,
                               f"{gold} ({row.subtype})"))
    n = len(rows)
    acled_only = [(g, p) for g, p in pairs if g not in NON_ACLED]
    figures = (
        Figure("accuracy", metrics.accuracy(pairs), n, "SubType (30 classes: 25 ACLED + 5 non-ACLED)"),
        Figure("weighted_f1", metrics.weighted_f1(pairs), n, "F1 per class weighted by gold support"),
        Figure("macro_f1", metrics.macro_f1(pairs), n, "unweighted mean F1 over classes"),
        Figure("acled_recall", metrics.share(p not in NON_ACLED and p != NOT_ACLED for _, p in acled_only),
               len(acled_only),
               "share of ACLED-type snippets where we found an ACLED event (any type)"),
    )
    table = tuple((g, p, str(c)) for g, p, c in metrics.top_confusions(pairs, 10))
    return Scored(figures, tuple(misses), (("top SubType confusions (gold, ours, count)", table),))
