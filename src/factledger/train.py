"""Train the event model (``nlp/event_model.py``) from the dev data in ../shared.

One command, deterministic, offline::

    python -m factledger.train events          # or: make train

writes ``src/factledger/data/event_model.{json,npz}``. Training data (dev files only; the
held-out audit set is never read):

* ``case2021/dev.tsv``: CASE 2021 snippets with their SubType -> head ``sub_event``.

Measured and left out (out-of-fold figures, 2026-12): the 1,648 ACLED Gaza notes as
cross-source training (weighted CASE 2021 weighted-F1 0.615 with them, 0.619 without, at
five times the training time), and a PLOVER head trained on ``plover/gsr_dev.json``
(149 sentences: event accuracy 0.48 out of fold against 0.58 for the rules alone).

Each example's features include the rules' own answer (text-only coder), so the model
learns where the rules are right. ``out_of_fold`` gives the figures the evaluation harness
reports for the suites whose data trains the model: every item is predicted by models
trained without its fold (5 folds by item id, fixed hashing), never by the shipped weights.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .nlp import event_model as em
from .nlp.events import cue_of
from .records import Event

FOLDS = 5
SOURCES = ("case2021",)


@dataclass(frozen=True)
class Example:
    source: str  # the evaluation suite whose dev data holds it
    id: str
    text: str
    head: str
    label: str
    weight: float
    rule: tuple[str, ...]
    cue: str = "NONE"  # the cue group that coded the text's primary event (events.cue_of)


def fold_of(item_id: str, folds: int = FOLDS) -> int:
    """The fold of an item: a fixed hash of its id (no random state, stable across runs)."""
    return int(hashlib.sha256(item_id.encode("utf-8")).hexdigest(), 16) % folds


def _rules_event(text: str) -> Event | None:
    from .nlp.events import classify_text

    return classify_text(text)


def examples(data_dir: Path) -> list[Example]:
    """All training examples of the dev data found in ``data_dir`` (sources absent are skipped)."""
    from .evaluate.data import load_case2021
    from .nlp.event_rules import case_map

    out: list[Example] = []
    case_path = data_dir / "case2021" / "dev.tsv"
    if case_path.exists():
        for row in load_case2021(case_path):
            event = _rules_event(row.text)
            cue = cue_of(event.evidence.text) if event is not None else "NONE"
            out.append(Example("case2021", f"case{row.id}", row.text, "sub_event", case_map()[row.subtype], 1.0,
                               em.rule_features(event), cue))
    return out


def train_heads(data: Sequence[Example]) -> dict[str, em.LinearModel]:
    """One model per head over ``data``, with the full label set of the head."""
    models = {}
    for head in em.HEADS:
        rows = [e for e in data if e.head == head]
        if not rows:
            continue
        model = em.fit([em.features(e.text, e.rule) for e in rows], [e.label for e in rows],
                       weights=[e.weight for e in rows], label_set=em.label_set(head))
        models[head] = dataclasses.replace(model, seen_cues=em.seen_cues([e.cue for e in rows]))
    return models


def out_of_fold(source: str, items: Sequence[tuple[str, str, Event | None]], data: Sequence[Example],
                *, progress: Callable[[str], None] | None = None) -> list[Event | None]:
    """Refine each (id, text, rules-only event) of suite ``source`` with models trained on
    ``data`` minus the examples of ``source`` in the item's fold."""
    out: list[Event | None] = [ev for _, _, ev in items]
    for k in range(FOLDS):
        wanted = [i for i, (item_id, _, _) in enumerate(items) if fold_of(item_id) == k]
        if not wanted:
            continue
        train = [e for e in data if not (e.source == source and fold_of(e.id) == k)]
        if progress:
            progress(f"{source}: fold {k + 1}/{FOLDS}, {len(train)} training examples")
        models = train_heads(train)
        for i in wanted:
            _, text, ev = items[i]
            out[i] = em.refine_event(ev, text, models) if ev is not None else None
    return out


def train_events(data_dir: Path, out_dir: Path | None = None) -> tuple[Path, Path, dict[str, int]]:
    """Train on all dev data and write the shipped weights."""
    data = examples(data_dir)
    if not data:
        raise SystemExit(f"no training data under {data_dir} (needs ../shared/data); nothing written")
    models = train_heads(data)
    counts = {s: sum(e.source == s for e in data) for s in SOURCES}
    meta = {"trained_on": counts, "folds": FOLDS, "l2": em.L2, "iterations": em.ITERATIONS,
            "rule_value": em.RULE_VALUE, "command": "python -m factledger.train events",
            "rules_sha256": em.rules_digest()}
    js, npz = em.save(models, meta, out_dir)
    return js, npz, counts


def main(argv: Sequence[str] | None = None) -> int:
    from .evaluate.data import default_data_dir

    parser = argparse.ArgumentParser(
        prog="python -m factledger.train",
        description="Train factledger's statistical event heads on the dev data in ../shared.\n"
                    "Example: python -m factledger.train events",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["events"], help="what to train (only 'events' so far)")
    parser.add_argument("--data", type=Path, default=None, help="folder of the shared data")
    parser.add_argument("--out", type=Path, default=None, help="folder for the weights (default: the package)")
    args = parser.parse_args(argv)
    js, npz, counts = train_events(args.data or default_data_dir(), args.out)
    print(f"trained on {counts}; wrote {js} and {npz} ({npz.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

