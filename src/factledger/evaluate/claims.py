"""Suite ``claims``: the project's claims gold (``gold/claims/*.jsonl``, format in its README).

A system claim matches a gold claim when both are in the same document, the claim's evidence
overlaps the gold sentence span, and metric, value low/high and qualifier are equal
(one-to-one, first match wins in document order). Precision counts every system claim of the
exhaustively annotated documents (``gold/claims/articles.json``; without it, of the documents
that have gold lines). On matched claims we score attribution (source), as-of and modality.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from ..records import Claim, Quantity, When
from . import metrics
from .data import GoldAsOf, GoldClaim
from .normalise import fold
from .result import Figure, Miss, Scored

NAME = "claims"
# Two source phrases name the same source at this rapidfuzz token_set_ratio
# ("the Gaza health ministry" ~ "Gaza's health ministry"); hand-set on the gold's sources.
SOURCE_FUZZ = 80
_DATE_CHARS = {"day": 10, "week": 10, "month": 7, "year": 4}


@dataclass(frozen=True)
class DocClaims:
    """The system claims of one document, with its text for error reports."""

    corpus: str
    path: str
    text: str
    claims: tuple[Claim, ...]


def _overlaps(claim: Claim, gold: GoldClaim) -> bool:
    return claim.evidence.start < gold.end and gold.start < claim.evidence.end


def _same_number(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


def written(value: Quantity) -> tuple[float | None, float | None]:
    """Our value in the gold's convention (docs/annotation-guide.md section 4): a single
    written numeral is low = high = that numeral whatever the qualifier; a range keeps its
    two numerals; a vague quantity ("dozens") keeps its lower bound and no upper bound.
    Our output contract instead gives the bounds the qualifier implies ("at least 12":
    low 12, high null; "some 1,200": best 1,200), so the two are compared in one form."""
    if value.qualifier == "range" or value.vague:
        return value.low, value.high
    number = value.best if value.best is not None else (value.low if value.low is not None else value.high)
    return number, number


def strict_match(claim: Claim, gold: GoldClaim) -> bool:
    low, high = written(claim.value)
    return (_overlaps(claim, gold) and claim.metric == gold.metric
            and _same_number(low, gold.low) and _same_number(high, gold.high)
            and claim.value.qualifier == gold.qualifier)


def loose_match(claim: Claim, gold: GoldClaim) -> bool:
    """Same sentence, metric and lower number (qualifier and upper number ignored)."""
    return _overlaps(claim, gold) and claim.metric == gold.metric and _same_number(written(claim.value)[0], gold.low)


def source_matches(claim: Claim, gold: GoldClaim) -> bool:
    """The outlet itself (gold None) matches no source; else our source's text or canonical
    entity names the gold source (containment after folding, or token-set ratio >= SOURCE_FUZZ)."""
    if gold.source is None:
        return claim.source is None
    if claim.source is None:
        return False
    g = fold(gold.source)
    for ours in (claim.source.text, claim.source.entity):
        o = fold(ours or "")
        if o and (o in g or g in o or fuzz.token_set_ratio(o, g) >= SOURCE_FUZZ):
            return True
    return False


def as_of_matches(ours: When | None, gold: GoldAsOf | None) -> bool:
    """Gold None = no as-of stated: ours must be None (or unknown). Else same precision and
    the same date up to that precision ("2024-07" = "2024-07-01" at month precision)."""
    if gold is None or gold.date is None:
        return ours is None or ours.date is None
    if ours is None or ours.date is None or ours.precision != gold.precision:
        return False
    width = _DATE_CHARS.get(gold.precision, 10)
    return ours.date[:width] == gold.date[:width]


def _match(claims: Sequence[Claim], golds: Sequence[GoldClaim], rule) -> list[tuple[GoldClaim, Claim]]:
    used: set[int] = set()
    pairs = []
    for g in sorted(golds, key=lambda x: (x.start, x.end)):
        for i, c in enumerate(claims):
            if i not in used and rule(c, g):
                used.add(i)
                pairs.append((g, c))
                break
    return pairs


def _show_claim(c: Claim) -> str:
    v = c.value
    src = c.source.text if c.source else None
    as_of = f"{c.as_of.date}/{c.as_of.precision}" if c.as_of else None
    return (f"{c.metric} low={v.low} high={v.high} {v.qualifier} subject={c.subject} source={src} "
            f"as_of={as_of} modality={c.modality} [{c.evidence.text[:80]}]")


def _show_gold(g: GoldClaim) -> str:
    as_of = f"{g.as_of.date}/{g.as_of.precision}" if g.as_of else None
    return (f"{g.metric} low={g.low} high={g.high} {g.qualifier} subject={g.subject} source={g.source} "
            f"as_of={as_of} modality={g.modality}")


def score(docs: Sequence[DocClaims], gold: Sequence[GoldClaim]) -> Scored:
    # Shares ("70 percent of those killed") are outside the gold (annotation guide, section 2).
    docs = [replace(d, claims=tuple(c for c in d.claims if c.unit == "count")) for d in docs]
    by_doc: dict[tuple[str, str], list[GoldClaim]] = defaultdict(list)
    for g in gold:
        by_doc[(g.corpus, g.path)].append(g)
    tp = fp = fn = loose_tp = n_pred = 0
    attribution, as_of, modality = [], [], []
    misses: list[Miss] = []
    for doc in docs:
        golds = by_doc.get((doc.corpus, doc.path), [])
        matched = _match(doc.claims, golds, strict_match)
        loose_tp += len(_match(doc.claims, golds, loose_match))
        n_pred += len(doc.claims)
        tp += len(matched)
        fp += len(doc.claims) - len(matched)
        fn += len(golds) - len(matched)
        for g, c in matched:
            attribution.append(source_matches(c, g))
            as_of.append(as_of_matches(c.as_of, g.as_of))
            modality.append(c.modality == g.modality)
            wrong = (not attribution[-1]) + (not as_of[-1]) + (not modality[-1])
            if wrong:
                misses.append(Miss(NAME, f"{doc.path}:{g.start}", wrong, doc.text[g.start:g.end],
                                   _show_claim(c), _show_gold(g)))
        matched_ids = {id(g) for g, _ in matched}
        used = {id(c) for _, c in matched}
        for g in golds:
            if id(g) not in matched_ids:
                near = [c for c in doc.claims if _overlaps(c, g)]
                misses.append(Miss(NAME, f"{doc.path}:{g.start}", 3.0, doc.text[g.start:g.end],
                                   "; ".join(_show_claim(c) for c in near) or "no claim in this sentence",
                                   "missed: " + _show_gold(g)))
        for c in doc.claims:
            if id(c) not in used and not any(_overlaps(c, g) for g in golds):
                misses.append(Miss(NAME, f"{doc.path}:{c.evidence.start}", 2.5, c.evidence.text,
                                   _show_claim(c), "no gold claim in this sentence (false positive)"))
    prf = metrics.PRF(tp, fp, fn)
    loose = metrics.PRF(loose_tp, n_pred - loose_tp, len(gold) - loose_tp) if docs else metrics.PRF(0, 0, 0)
    figures = (
        Figure("precision", prf.precision, tp + fp, "matched / system claims (metric, low, high, qualifier, span)"),
        Figure("recall", prf.recall, tp + fn, "matched / gold claims"),
        Figure("f1", prf.f1, tp + fp + fn, "harmonic mean of precision and recall"),
        Figure("f1_loose", loose.f1, n_pred + len(gold), "F1 matching on span, metric and low only"),
        Figure("attribution_accuracy", metrics.share(attribution), len(attribution),
               "matched claims whose source names the gold source (None = the outlet)"),
        Figure("as_of_accuracy", metrics.share(as_of), len(as_of), "matched claims with gold as_of date+precision"),
        Figure("modality_accuracy", metrics.share(modality), len(modality), "matched claims with gold modality"),
    )
    return Scored(figures, tuple(misses))
