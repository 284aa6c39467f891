"""Scoring arithmetic: plain functions over plain values, no I/O, no spaCy.

Conventions (the same as scikit-learn's, so figures can be checked against it):

* ``accuracy(pairs)``: share of (gold, predicted) pairs that are equal; 0.0 on no pairs.
* per-class precision/recall/F1 from (gold, predicted) label pairs; a class with no
  predictions has precision 0, with no gold items recall 0, and F1 0 when P + R = 0.
* ``macro_f1``: unweighted mean of per-class F1 over the classes seen in gold or predictions
  (``labels=`` to fix the list). ``NONE_LABEL`` ("no prediction") is never a class.
* ``weighted_f1``: per-class F1 weighted by the class's gold support (the CASE 2021 official figure).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

NONE_LABEL = "(none)"  # what a scorer records when the system predicted nothing

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG), as used by geopy and haversine


@dataclass(frozen=True)
class PRF:
    """Precision, recall, F1 with the counts they come from."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def accuracy(pairs: Iterable[tuple[Hashable, Hashable]]) -> float:
    """Share of (gold, predicted) pairs that agree."""
    total = correct = 0
    for gold, pred in pairs:
        total += 1
        correct += gold == pred
    return correct / total if total else 0.0


def share(flags: Iterable[bool]) -> float:
    """Share of true values; 0.0 when empty."""
    values = list(flags)
    return sum(values) / len(values) if values else 0.0


def per_class(pairs: Sequence[tuple[Hashable, Hashable]], *, labels: Iterable[Hashable] | None = None
              ) -> dict[Hashable, PRF]:
    """Per-class counts from (gold, predicted) pairs."""
    tp: Counter[Hashable] = Counter()
    fp: Counter[Hashable] = Counter()
    fn: Counter[Hashable] = Counter()
    for gold, pred in pairs:
        if gold == pred:
            tp[gold] += 1
        else:
            fn[gold] += 1
            fp[pred] += 1
    if labels is None:
        seen = {g for g, _ in pairs} | {p for _, p in pairs}
        labels = sorted((x for x in seen if x != NONE_LABEL), key=str)
    return {label: PRF(tp[label], fp[label], fn[label]) for label in labels}


def macro_f1(pairs: Sequence[tuple[Hashable, Hashable]], *, labels: Iterable[Hashable] | None = None) -> float:
    classes = per_class(pairs, labels=labels)
    return sum(c.f1 for c in classes.values()) / len(classes) if classes else 0.0


def weighted_f1(pairs: Sequence[tuple[Hashable, Hashable]], *, labels: Iterable[Hashable] | None = None
                ) -> float:
    """F1 per class weighted by gold support (classes without gold items weigh 0)."""
    classes = per_class(pairs, labels=labels)
    support = sum(c.tp + c.fn for c in classes.values())
    if not support:
        return 0.0
    return sum(c.f1 * (c.tp + c.fn) for c in classes.values()) / support


def confusions(pairs: Iterable[tuple[Hashable, Hashable]]) -> Counter[tuple[Hashable, Hashable]]:
    """Counts of (gold, predicted) pairs that disagree."""
    return Counter((g, p) for g, p in pairs if g != p)


def top_confusions(pairs: Iterable[tuple[Hashable, Hashable]], n: int = 10
                   ) -> list[tuple[Hashable, Hashable, int]]:
    """The ``n`` most frequent (gold, predicted, count) errors, ties in label order."""
    counted = confusions(pairs)
    ordered = sorted(counted.items(), key=lambda kv: (-kv[1], str(kv[0][0]), str(kv[0][1])))
    return [(g, p, c) for (g, p), c in ordered[:n]]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def within_km(pred: tuple[float | None, float | None] | None, gold: tuple[float, float], km: float) -> bool:
    """True when the predicted point exists and lies within ``km`` of the gold point."""
    if pred is None or pred[0] is None or pred[1] is None:
        return False
    return haversine_km(pred[0], pred[1], gold[0], gold[1]) <= km
