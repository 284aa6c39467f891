"""Suite ``entities``: the project's entity gold (``gold/entities``, format in its README).

Every person, organisation and place mention of the annotated documents is gold, so
precision counts every system mention of those documents. System kinds map onto the
gold's three (PERSON; ORG and MEDIA -> ORG; GPE, LOC and FAC -> PLACE); other labels are
not scored (the guide excludes NORP, dates and the like: not wrong, only not gold).

* **Mentions, exact**: same kind and the same span once both sides are normalised (a leading
  "the", a trailing possessive and surrounding spaces and punctuation dropped). The headline
  ``f1`` and the per-kind ``f1_person``, ``f1_org``, ``f1_place``.
* **Mentions, overlap**: one-to-one, largest overlap first, same kind (forgives boundary
  conventions; the gap to the exact figure measures boundary errors). ``kind_accuracy`` is the
  share of overlapping pairs (any kind) whose kinds agree.
* **Clustering**: B-cubed F1 of the system's entities against the gold entities, over the
  gold mentions the system found (overlap-matched); missed mentions are not counted here
  (they already cost recall above).
* **People's roles and status**: each gold person is aligned with the system entity that
  holds most of its found mentions; ``role_recall`` is the share of gold people with a role
  whose system entity has a matching role (content words overlap; possessives, plural -s dropped and
  "political bureau" read as "politburo"), ``status_recall`` the
  share of gold (person, status) pairs the system gives (arrested = detained), ``status_precision``
  the share of the system's (person, status) pairs on gold people that the gold gives.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Entity
from . import metrics
from .data import GoldEntity, GoldMention
from .normalise import fold
from .result import Figure, Miss, Scored

NAME = "entities"
KIND_MAP = {"PERSON": "PERSON", "ORG": "ORG", "MEDIA": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
_LEADING = re.compile(r"^(?:the\s+|\W+)", re.IGNORECASE)
_TRAILING = re.compile(r"(?:['’]s|['’]|\W)+$")
_STATUS_SAME = {"detained": "arrested", "dead": "killed"}


def same_status(status: str | None) -> str | None:
    """A status in the scorers' convention: detained = arrested, dead = killed."""
    return _STATUS_SAME.get(status, status) if status else status
_ROLE_STOP = frozenset("the of a an and for in on at to its his her their".split())
CONTEXT = 60  # characters of text shown around a missed or spurious mention


@dataclass(frozen=True)
class DocEntities:
    """The system entities of one document, with its text."""

    corpus: str
    path: str
    text: str
    entities: tuple[Entity, ...]


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: str
    cluster: str  # gold entity id, or system entity id


def normalise_span(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) without a leading "the"/punctuation and a trailing possessive/punctuation."""
    piece = text[start:end]
    while (m := _LEADING.match(piece)) and m.end() > 0:
        start, piece = start + m.end(), piece[m.end():]
    m = _TRAILING.search(piece)
    if m and m.start() > 0:
        end = start + m.start()
    return start, end


def system_mentions(doc: DocEntities) -> list[Mention]:
    out = []
    for e in doc.entities:
        kind = KIND_MAP.get(e.kind)
        if kind is None:
            continue
        spans = e.mentions
        if not spans and e.evidence is not None:  # a record of contract 1.0: its first mention only
            spans = ((e.evidence.start, e.evidence.end),)
        for start, end in spans:
            s, t = normalise_span(doc.text, start, end)
            out.append(Mention(s, t, kind, e.id))
    return out


def gold_mentions(doc: DocEntities, gold: Sequence[GoldMention]) -> list[Mention]:
    return [Mention(*normalise_span(doc.text, g.start, g.end), g.kind, g.entity) for g in gold]


def overlap_pairs(ours: Sequence[Mention], golds: Sequence[Mention], *, same_kind: bool) -> list[tuple[Mention, Mention]]:
    """One-to-one (gold, ours) pairs of overlapping mentions, largest overlap first."""
    candidates = []
    for gi, g in enumerate(golds):
        for oi, o in enumerate(ours):
            size = min(g.end, o.end) - max(g.start, o.start)
            if size > 0 and (not same_kind or g.kind == o.kind):
                candidates.append((-size, gi, oi))
    used_g: set[int] = set()
    used_o: set[int] = set()
    pairs = []
    for _, gi, oi in sorted(candidates):
        if gi not in used_g and oi not in used_o:
            used_g.add(gi)
            used_o.add(oi)
            pairs.append((golds[gi], ours[oi]))
    return pairs


def bcubed(pairs: Sequence[tuple[Mention, Mention]]) -> tuple[float, float, int]:
    """(precision, recall, n) of B-cubed over matched (gold, ours) mention pairs."""
    by_gold: dict[str, set[int]] = defaultdict(set)
    by_ours: dict[str, set[int]] = defaultdict(set)
    for i, (g, o) in enumerate(pairs):
        by_gold[g.cluster].add(i)
        by_ours[o.cluster].add(i)
    p = r = 0.0
    for g, o in pairs:
        both = len(by_gold[g.cluster] & by_ours[o.cluster])
        p += both / len(by_ours[o.cluster])
        r += both / len(by_gold[g.cluster])
    n = len(pairs)
    return (p / n, r / n, n) if n else (0.0, 0.0, 0)


_POSSESSIVE_S = re.compile(r"['’]s?\b")


def _role_words(role: str) -> set[str]:
    """Content words, without possessives and plural -s ("members of Hamas's political bureau"
    and "Hamas politburo member" share "member", "hamas", "politburo")."""
    text = fold(_POSSESSIVE_S.sub("", role)).replace("political bureau", "politburo")
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in text.split() if w not in _ROLE_STOP}


def role_matches(ours: Sequence[str], gold: Sequence[str]) -> bool:
    """Some system role shares at least half the content words of some gold role."""
    for g in gold:
        gw = _role_words(g)
        for o in ours:
            ow = _role_words(o)
            if gw and len(gw & ow) * 2 >= len(gw):
                return True
    return False


def _cluster_misses(doc: DocEntities, pairs: Sequence[tuple[Mention, Mention]], by_id: dict[str, Entity],
                    gold: dict[str, GoldEntity]) -> list[Miss]:
    """Gold entities our entities split, and our entities that merge gold ones (B-cubed's errors)."""
    ours_of: dict[str, set[str]] = defaultdict(set)
    gold_of: dict[str, set[str]] = defaultdict(set)
    for g, o in pairs:
        ours_of[g.cluster].add(o.cluster)
        gold_of[o.cluster].add(g.cluster)
    out = []
    for gid, ours in ours_of.items():
        if len(ours) > 1:
            names = "; ".join(sorted(by_id[o].name for o in ours if o in by_id))
            out.append(Miss(NAME, f"{doc.path}:{gid}:split", 1.0, "", names,
                            f"one entity {gold[gid].name if gid in gold else gid!r}"))
    for oid, golds in gold_of.items():
        if len(golds) > 1:
            names = "; ".join(sorted(gold[g].name for g in golds if g in gold))
            out.append(Miss(NAME, f"{doc.path}:{oid}:merged", 1.0, "",
                            f"one entity {by_id[oid].name if oid in by_id else oid!r}", names))
    return out


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - CONTEXT): start].replace("\n", " ")
    right = text[end: end + CONTEXT].replace("\n", " ")
    return f"…{left}[[{text[start:end]}]]{right}…"


def _f1(tp: int, n_ours: int, n_gold: int) -> metrics.PRF:
    return metrics.PRF(tp, n_ours - tp, n_gold - tp)


def score(docs: Sequence[DocEntities], gold: Sequence[GoldMention], entities: dict[str, GoldEntity]) -> Scored:
    by_doc: dict[tuple[str, str], list[GoldMention]] = defaultdict(list)
    for g in gold:
        by_doc[(g.corpus, g.path)].append(g)
    exact_tp: Counter[str] = Counter()
    n_ours: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    overlap_tp = kind_pairs = kind_same = 0
    bc_p = bc_r = 0.0
    bc_n = 0
    roles: list[bool] = []
    status: list[bool] = []
    status_given: list[bool] = []
    misses: list[Miss] = []
    missed_surfaces: Counter[str] = Counter()
    spurious_surfaces: Counter[str] = Counter()
    for doc in docs:
        golds = gold_mentions(doc, by_doc.get((doc.corpus, doc.path), []))
        ours = system_mentions(doc)
        n_ours.update(m.kind for m in ours)
        n_gold.update(m.kind for m in golds)
        gold_keys = {(m.start, m.end, m.kind) for m in golds}
        our_keys = {(m.start, m.end, m.kind) for m in ours}
        exact_tp.update(k for _, _, k in gold_keys & our_keys)
        pairs = overlap_pairs(ours, golds, same_kind=True)
        overlap_tp += len(pairs)
        any_kind = overlap_pairs(ours, golds, same_kind=False)
        kind_pairs += len(any_kind)
        kind_same += sum(g.kind == o.kind for g, o in any_kind)
        p, r, n = bcubed(pairs)
        bc_p, bc_r, bc_n = bc_p + p * n, bc_r + r * n, bc_n + n
        # People's roles and status, on the system entity holding most of the person's mentions.
        held: dict[str, Counter[str]] = defaultdict(Counter)
        for g, o in pairs:
            held[g.cluster][o.cluster] += 1
        by_id = {e.id: e for e in doc.entities}
        misses += _cluster_misses(doc, pairs, by_id, entities)
        for gid in {m.cluster for m in golds}:
            ge = entities.get(gid)
            if ge is None or ge.kind != "PERSON":
                continue
            top = held[gid].most_common(1)
            ours_e = by_id.get(top[0][0]) if top else None
            where = f"{doc.path}:{ge.name}"
            if ge.roles:
                roles.append(ours_e is not None and role_matches(ours_e.roles, ge.roles))
                if not roles[-1]:
                    misses.append(Miss(NAME, f"{where}:role", 1.0, "",
                                       "; ".join(ours_e.roles) if ours_e else "person not found", "; ".join(ge.roles)))
            our_status = {same_status(s.get("status")) for s in (ours_e.status if ours_e else ())}
            for s in ge.status:
                status.append(same_status(s) in our_status)
                if not status[-1]:
                    misses.append(Miss(NAME, f"{where}:status", 1.0, "",
                                       ", ".join(sorted(x for x in our_status if x)) or "no status", s))
            gold_status = {same_status(s) for s in ge.status}
            for s in sorted(x for x in our_status if x):
                status_given.append(s in gold_status)
                if not status_given[-1]:
                    misses.append(Miss(NAME, f"{where}:status", 1.0, "", s,
                                       ", ".join(sorted(gold_status)) or "no status (false status)"))
        for m in golds:
            if (m.start, m.end, m.kind) not in our_keys:
                surface = doc.text[m.start:m.end]
                missed_surfaces[f"{m.kind} {surface}"] += 1
                near = [o for o in ours if o.start < m.end and m.start < o.end]
                ours_text = "; ".join(f"{o.kind} {doc.text[o.start:o.end]!r}" for o in near) or "not found"
                misses.append(Miss(NAME, f"{doc.path}:{m.start}", 1.0 + (not near), _context(doc.text, m.start, m.end),
                                   ours_text, f"{m.kind} {surface!r}"))
        for o in ours:
            if (o.start, o.end, o.kind) not in gold_keys:
                surface = doc.text[o.start:o.end]
                spurious_surfaces[f"{o.kind} {surface}"] += 1
                if not any(g.start < o.end and o.start < g.end for g in golds):
                    misses.append(Miss(NAME, f"{doc.path}:{o.start}", 1.5, _context(doc.text, o.start, o.end),
                                       f"{o.kind} {surface!r}", "no gold mention here (false positive)"))
    total_tp, total_ours, total_gold = sum(exact_tp.values()), sum(n_ours.values()), sum(n_gold.values())
    prf = _f1(total_tp, total_ours, total_gold)
    overlap = _f1(overlap_tp, total_ours, total_gold)
    bp, br = (bc_p / bc_n, bc_r / bc_n) if bc_n else (0.0, 0.0)
    bf = 2 * bp * br / (bp + br) if bp + br else 0.0
    figures = [
        Figure("precision", prf.precision, total_ours, "system mentions with a gold mention of the same kind and span"),
        Figure("recall", prf.recall, total_gold, "gold mentions found with the same kind and span"),
        Figure("f1", prf.f1, total_ours + total_gold, "exact-span mention F1, persons, organisations and places"),
    ]
    for kind in ("PERSON", "ORG", "PLACE"):
        k = _f1(exact_tp[kind], n_ours[kind], n_gold[kind])
        figures.append(Figure(f"f1_{kind.lower()}", k.f1, n_ours[kind] + n_gold[kind], f"exact-span F1 of {kind} mentions"))
    figures += [
        Figure("f1_overlap", overlap.f1, total_ours + total_gold, "mention F1 when overlapping spans of the same kind match"),
        Figure("kind_accuracy", metrics.share([True] * kind_same + [False] * (kind_pairs - kind_same)), kind_pairs,
               "overlapping mention pairs whose kinds agree"),
        Figure("bcubed_f1", bf, bc_n, "B-cubed F1 of entity clusters over the gold mentions found"),
        Figure("role_recall", metrics.share(roles), len(roles), "gold people with roles whose entity has a matching role"),
        Figure("status_recall", metrics.share(status), len(status), "gold (person, status) pairs found"),
        Figure("status_precision", metrics.share(status_given), len(status_given),
               "our (person, status) pairs on gold people that the gold gives"),
    ]
    tables = (
        ("most missed gold mentions (kind surface, count)",
         tuple((s, str(n)) for s, n in missed_surfaces.most_common(12))),
        ("most frequent spurious mentions (kind surface, count)",
         tuple((s, str(n)) for s, n in spurious_surfaces.most_common(12))),
    )
    return Scored(tuple(figures), tuple(misses), tables)
