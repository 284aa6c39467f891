"""Suite ``ledger``: the ledger across articles, against our own gold (``gold/ledger``).

The gold articles (CNN, July 2024) are extracted and ingested, in the order given, into an
in-memory ledger; then:

- **event clustering** (``events.jsonl``): each stored event mention is aligned to the gold
  happening whose sentence spans its evidence overlaps most (mentions overlapping no gold
  span are not scored). Pairwise precision/recall/F1 over pairs of aligned mentions from
  different articles: a pair is positive when both mentions have one gold happening, and
  predicted positive when the ledger puts them in one event (superseded versions included,
  so links across the versions of a story count). ``mention_coverage``: the share of gold
  (article, happening) units with at least one aligned mention.
- **figure series** (``series.jsonl``): claims aligned the same way (same metric too), scored
  pairwise on "in one series".
- **revision chains** (``revisions.jsonl``): a gold chain is found when the ledger chains
  exactly those articles in that order (an article whose text is an exact copy of an earlier
  one is a duplicate, stored once: it leaves the chain); precision counts the ledger's revision pairs (among
  gold articles) that some gold chain has.
- **cross-source linking**: the ACLED Gaza notes of July 2024 are ingested too (as articles,
  like the ``acled`` suite reads them), and ``gold/ledger/acled_links.jsonl`` says which CNN
  happening is which ACLED row. Recall: gold links found (an ACLED mention in the gold
  happening's ledger event); precision: CNN-ACLED links of the ledger that are gold.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import Article, Record
from ..resolve import api
from . import metrics
from .result import Figure, Miss, Scored

if TYPE_CHECKING:  # the store imports resolution, which imports evaluate.normalise
    from ..store.sqlite import Ledger

NAME = "ledger"
ACLED_PREFIX = "acled:"


@dataclass(frozen=True)
class GoldUnit:
    path: str
    spans: tuple[tuple[int, int], ...]
    label: str
    metric: str | None = None


@dataclass(frozen=True)
class Gold:
    events: tuple[GoldUnit, ...]
    series: tuple[GoldUnit, ...]
    chains: tuple[tuple[str, ...], ...]
    acled_links: tuple[tuple[str, str], ...]  # (gold happening, ACLED event_id_cnty)

    def paths(self) -> list[str]:
        seen = {u.path for u in self.events} | {u.path for u in self.series}
        seen |= {p for chain in self.chains for p in chain}
        return sorted(seen)


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_gold(folder: Path) -> Gold:
    def units(name: str, key: str) -> tuple[GoldUnit, ...]:
        return tuple(GoldUnit(r["path"], tuple((int(s), int(e)) for s, e in r["spans"]), r[key], r.get("metric"))
                     for r in _jsonl(folder / name))

    return Gold(units("events.jsonl", "cluster"), units("series.jsonl", "series"),
                tuple(tuple(r["chain"]) for r in _jsonl(folder / "revisions.jsonl")),
                tuple((r["cluster"], r["acled_id"]) for r in _jsonl(folder / "acled_links.jsonl")))


def build_ledger(items: Sequence[tuple[Article, Sequence[Record] | None]]) -> Ledger:
    """An in-memory ledger of the items, ingested in the order given."""
    from ..store.sqlite import Ledger

    ledger = Ledger.open(":memory:")
    for article, records in items:
        ledger.add(article, [r for r in records or () if not isinstance(r, Article)])
    return ledger


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _align(units: Sequence[GoldUnit], path: str, span: tuple[int, int], metric: str | None = None) -> str | None:
    best, label = 0, None
    for u in units:
        if u.path != path or (metric is not None and u.metric != metric):
            continue
        for s in u.spans:
            o = _overlap(s, span)
            if o > best:
                best, label = o, u.label
    return label


def pairwise(items: Sequence[tuple[str, str, str]]) -> metrics.PRF:
    """(article, gold label, predicted label) items: pairwise P/R over pairs of different articles."""
    tp = fp = fn = 0
    for i, (art_a, gold_a, pred_a) in enumerate(items):
        for art_b, gold_b, pred_b in items[i + 1:]:
            if art_a == art_b:
                continue
            same_gold, same_pred = gold_a == gold_b, pred_a == pred_b
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    return metrics.PRF(tp, fp, fn)


def _evidence(ledger: Ledger, table: str, article_id: str, record_id: str) -> dict[str, Any]:
    row = ledger.conn.execute(f"SELECT json FROM {table} WHERE article_id = ? AND id = ?",
                              (article_id, record_id)).fetchone()
    return json.loads(row[0])


def score_ledger(ledger: Ledger, path_of: dict[str, str], gold: Gold) -> Scored:
    """Figures on a ledger built from the gold articles (``path_of``: article id -> CNN path)."""
    misses: list[Miss] = []
    # -- events
    clusters = api.event_clusters(ledger, include_superseded=True)
    cluster_of = {m: i for i, members in enumerate(clusters) for m in members}
    aligned: list[tuple[str, str, str]] = []
    covered: set[tuple[str, str]] = set()
    for (article_id, record_id), cid in sorted(cluster_of.items()):
        path = path_of.get(article_id)
        if path is None:
            continue
        ev = _evidence(ledger, "events", article_id, record_id)["evidence"]
        label = _align(gold.events, path, (ev["start"], ev["end"]))
        if label is not None:
            aligned.append((article_id, label, str(cid)))
            covered.add((path, label))
    ev_prf = pairwise(aligned)
    units = {(u.path, u.label) for u in gold.events}
    by_label: dict[str, set[str]] = defaultdict(set)
    for _, label, cid in aligned:
        by_label[label].add(cid)
    for label, cids in sorted(by_label.items()):
        if len(cids) > 1:
            misses.append(Miss(NAME, label, len(cids) - 1, label, f"split into {len(cids)} ledger events",
                               "one happening"))
    # -- series
    series = api.figure_series(ledger, include_event_scope=True, include_superseded=True)
    series_of = {(p["article_id"], p["claim_id"]): s["id"] for s in series for p in s["points"]}
    s_aligned = []
    for (article_id, claim_id), sid in sorted(series_of.items()):
        path = path_of.get(article_id)
        if path is None:
            continue
        claim = _evidence(ledger, "claims", article_id, claim_id)
        label = _align(gold.series, path, (claim["evidence"]["start"], claim["evidence"]["end"]), claim["metric"])
        if label is not None:
            s_aligned.append((article_id, label, sid))
    s_prf = pairwise(s_aligned)
    s_units = {(u.path, u.label) for u in gold.series}
    s_covered = {(path_of[a], label) for a, label, _ in s_aligned}
    # -- revision chains
    chains = [tuple(path_of.get(v["article_id"], "") for v in c["versions"]) for c in api.revision_chains(ledger)]
    # An exact copy of a version's text is stored once (a duplicate): it collapses into it.
    stored = {path for path in path_of.values()}
    gold_chains = [c for c in (tuple(p for p in chain if p in stored) for chain in gold.chains) if len(c) > 1]
    found = [chain in chains for chain in gold_chains]
    for chain, ok in zip(gold_chains, found, strict=True):
        if not ok:
            ours = [c for c in chains if set(c) & set(chain)]
            misses.append(Miss(NAME, chain[0], 1.0, " -> ".join(chain), repr(ours), "one chain in this order"))
    gold_pairs = {frozenset((a, b)) for chain in gold_chains for a, b in zip(chain, chain[1:], strict=False)}
    our_pairs = [frozenset((a, b)) for chain in chains for a, b in zip(chain, chain[1:], strict=False)
                 if a and b]
    rev_precision = metrics.share(p in gold_pairs for p in our_pairs) if our_pairs else 0.0
    figures = [
        Figure("cluster_pairwise_f1", ev_prf.f1, ev_prf.tp + ev_prf.fp + ev_prf.fn,
               "event mentions of different articles: one ledger event iff one gold happening"),
        Figure("cluster_pairwise_precision", ev_prf.precision, ev_prf.tp + ev_prf.fp, "pairs the ledger joins"),
        Figure("cluster_pairwise_recall", ev_prf.recall, ev_prf.tp + ev_prf.fn, "pairs gold joins"),
        Figure("mention_coverage", len(covered & units) / len(units) if units else 0.0, len(units),
               "gold (article, happening) units with an aligned event mention"),
        Figure("series_pairwise_f1", s_prf.f1, s_prf.tp + s_prf.fp + s_prf.fn,
               "claims of different articles: one series iff one gold series"),
        Figure("series_coverage", len(s_covered & s_units) / len(s_units) if s_units else 0.0, len(s_units),
               "gold (article, series) units with an aligned claim"),
        Figure("revision_chains_found", metrics.share(found), len(found),
               "gold chains the ledger has exactly, in order"),
        Figure("revision_pair_precision", rev_precision, len(our_pairs),
               "consecutive versions in the ledger's chains that a gold chain has"),
    ]
    figures += _acled_figures(ledger, path_of, gold, cluster_of, aligned)
    return Scored(tuple(figures), tuple(misses))


def _acled_figures(ledger: Ledger, path_of: dict[str, str], gold: Gold, cluster_of: dict[tuple[str, str], int],
                   aligned: Sequence[tuple[str, str, str]]) -> list[Figure]:
    """Cross-source links between CNN happenings and ACLED rows (ingested as notes)."""
    acled_clusters: dict[int, set[str]] = defaultdict(set)
    for (article_id, _), cid in cluster_of.items():
        path = path_of.get(article_id, "")
        if path.startswith(ACLED_PREFIX):
            acled_clusters[cid].add(path[len(ACLED_PREFIX):])
    if not any(p.startswith(ACLED_PREFIX) for p in path_of.values()):
        return []
    label_clusters: dict[str, set[int]] = defaultdict(set)
    for _, label, cid in aligned:
        label_clusters[label].add(int(cid))
    found = [any(acled_id in acled_clusters.get(c, set()) for c in label_clusters.get(label, set()))
             for label, acled_id in gold.acled_links]
    gold_set = set(gold.acled_links)
    made = {(label, acled_id) for label, cids in label_clusters.items() for c in cids
            for acled_id in acled_clusters.get(c, set())}
    return [
        Figure("acled_link_recall", metrics.share(found), len(found), "gold CNN-ACLED links the ledger makes"),
        Figure("acled_link_precision", metrics.share(m in gold_set for m in made) if made else 1.0, len(made),
               "CNN-ACLED links of the ledger (among gold happenings) that are gold"),
    ]
