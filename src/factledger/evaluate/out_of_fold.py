"""Honest figures for the trained event heads: out-of-fold scoring.

The suite ``case2021`` scores the same dev file the sub-event head is trained on. Their figures are
therefore never produced with the shipped weights: the harness extracts their items with
the rules only (``Extractor(event_model=False)``), then refines each item's primary event
with heads trained on all training data *except the item's fold* (5 folds by a fixed hash
of the item id, ``factledger.train.fold_of``), exactly as the pipeline refines with the
shipped heads (``event_model.refine_event``). The rules-only value of each figure is
reported beside it as ``<figure>_rules``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from ..records import Article, Event
from .result import Figure, Scored

# Suites whose dev data is training data of the event heads (see factledger.train).
TRAINED_SUITES = frozenset({"case2021"})


def heads_shipped() -> bool:
    from ..nlp.event_model import shipped

    return shipped() is not None


@cache
def _examples(data_dir: Path) -> tuple:
    from ..train import examples

    return tuple(examples(data_dir))


def refine(suite: str, items: Sequence[tuple[str, Article]], events: Sequence[Event | None],
           data_dir: Path) -> list[Event | None]:
    """Each item's rules-only primary event refined by heads that never saw the item."""
    from ..train import out_of_fold as oof

    # Item names are the training examples' ids ("case<id>", the ACLED event id, the PLOVER id).
    return oof(suite, [(name, a.text, e) for (name, a), e in zip(items, events, strict=True)],
               _examples(data_dir))


def with_rules_figures(scored: Scored, rules: Scored) -> Scored:
    """The out-of-fold figures, then the rules-only value of each as ``<name>_rules``."""
    extra = tuple(Figure(f"{f.name}_rules", f.value, f.n, f"{f.help} (rules only, no trained head)")
                  for f in rules.figures)
    figures = tuple(dataclasses.replace(f, help=f"{f.help} (out of fold: heads trained without the item)")
                    for f in scored.figures)
    return dataclasses.replace(scored, figures=figures + extra)
