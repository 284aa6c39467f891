"""Versions of one story: which stored articles revise each other, and which one is current.

Two articles are versions of one story when they share a story key (URL, else path, else
title: ``Article.story_key``) or when their texts are near duplicates (word-shingle Jaccard
and containment over ``rules/ledger.json`` "revision"). Near duplicates are found through a
MinHash LSH index (``story_bands``): an article is compared only with the articles that
share a band with it, so the cost of an ingest does not grow with the ledger. The
signatures only find the candidates; each candidate pair is judged on the exact shingle
sets of the two texts (a 64-permutation estimate is off by about 0.06 in Jaccard, enough to
miss a version or take a stranger).

A story's versions form one chain ordered by publication date, then by text length (an
updated story grows), then by id: the order depends on the texts only, never on the order
of ingestion. The last version is current; ``articles.revision_of``/``superseded_by``
point along the chain.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np

from ..rules import read_json

_WORD = re.compile(r"\w+")
# Shingles are hashed to 32 bits and permuted by (a*h + b) mod a prime just over 2**32,
# with a, b < 2**31: a*h + b stays below 2**64, so numpy's uint64 never overflows.
_PRIME = 4294967311
_ESTIMATE_MARGIN = 0.15  # signature agreement below min_jaccard - this: not worth the exact test


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    return dict(read_json("ledger.json")["revision"])


@lru_cache(maxsize=1)
def _permutations() -> tuple[tuple[int, int], ...]:
    n = int(settings()["permutations"])
    out = []
    for i in range(n):
        digest = hashlib.sha256(f"factledger-minhash-{i}".encode()).digest()
        a = int.from_bytes(digest[:8], "big") % ((1 << 31) - 1) + 1
        b = int.from_bytes(digest[8:16], "big") % (1 << 31)
        out.append((a, b))
    return tuple(out)


def shingles(text: str) -> set[int]:
    """32-bit hashes of the text's lower-cased word n-grams."""
    n = int(settings()["shingle_words"])
    words = _WORD.findall(text.lower())
    grams = {" ".join(words[i:i + n]) for i in range(max(1, len(words) - n + 1))} if words else set()
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "big") for g in grams}


def signature(hashes: set[int]) -> tuple[int, ...]:
    """The MinHash signature: per permutation, the least permuted shingle hash."""
    if not hashes:
        return ()
    perms = np.array(_permutations(), dtype=np.uint64)
    values = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    permuted = (perms[:, :1] * values[None, :] + perms[:, 1:]) % np.uint64(_PRIME)
    return tuple(int(v) for v in permuted.min(axis=1))


def bands(sig: tuple[int, ...]) -> list[str]:
    rows = int(settings()["rows_per_band"])
    return [f"{i // rows}:" + ".".join(str(v) for v in sig[i:i + rows]) for i in range(0, len(sig) - rows + 1, rows)]


def similarity(a: set[int], b: set[int]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger) of two shingle sets, exactly."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def _maybe_same(sig: tuple[int, ...], stored: str) -> bool:
    """A cheap test before the exact one: the signatures' agreement (an estimate of the
    Jaccard index, standard error about 0.04 at 0.3) is within 0.15 of the threshold."""
    other = [int(v) for v in stored.split()]
    n = min(len(sig), len(other))
    if n == 0:
        return False
    agreement = sum(x == y for x, y in zip(sig[:n], other[:n], strict=True)) / n
    return agreement >= float(settings()["min_jaccard"]) - _ESTIMATE_MARGIN


def same_story(jaccard: float, containment: float) -> bool:
    s = settings()
    return jaccard >= float(s["min_jaccard"]) and containment >= float(s["min_containment"])


def index_article(conn: sqlite3.Connection, article_id: str, text: str) -> None:
    """Store the article's signature and bands, and link it to the near duplicates found."""
    hashes = shingles(text)
    sig = signature(hashes)
    conn.execute(
        "INSERT INTO story_signatures (article_id, shingles, signature) VALUES (?, ?, ?) "
        "ON CONFLICT (article_id) DO NOTHING",
        (article_id, len(hashes), " ".join(str(v) for v in sig)),
    )
    candidates: set[str] = set()
    for band in bands(sig):
        for (other,) in conn.execute("SELECT article_id FROM story_bands WHERE band = ?", (band,)):
            if other != article_id:
                candidates.add(other)
        conn.execute(
            "INSERT INTO story_bands (band, article_id) VALUES (?, ?) ON CONFLICT (band, article_id) DO NOTHING",
            (band, article_id),
        )
    for other in sorted(candidates):
        row = conn.execute("SELECT s.signature, a.text FROM story_signatures s JOIN articles a ON a.id = s.article_id "
                           "WHERE s.article_id = ?", (other,)).fetchone()
        if row is None or not _maybe_same(sig, row[0]):
            continue
        jaccard, containment = similarity(hashes, shingles(row[1]))
        if same_story(jaccard, containment):
            a, b = sorted((article_id, other))
            conn.execute(
                "INSERT INTO story_links (article_a, article_b, similarity) VALUES (?, ?, ?) "
                "ON CONFLICT (article_a, article_b) DO NOTHING",
                (a, b, round(jaccard, 4)),
            )


def story_members(conn: sqlite3.Connection, article_id: str) -> list[str]:
    """Every article of the story ``article_id`` belongs to (itself included)."""
    seen = {article_id}
    todo = [article_id]
    while todo:
        current = todo.pop()
        neighbours: list[str] = []
        neighbours += [r[0] for r in conn.execute(
            "SELECT article_b FROM story_links WHERE article_a = ?", (current,))]
        neighbours += [r[0] for r in conn.execute(
            "SELECT article_a FROM story_links WHERE article_b = ?", (current,))]
        neighbours += [r[0] for r in conn.execute(
            "SELECT b.id FROM articles a JOIN articles b ON b.story_key = a.story_key WHERE a.id = ?",
            (current,))]
        for other in neighbours:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return sorted(seen)


def chain_order(rows: Iterable[tuple[str, str | None, int]]) -> list[str]:
    """Article ids of (id, published, text length) rows, oldest version first."""
    return [r[0] for r in sorted(rows, key=lambda r: (r[1] is None, r[1] or "", r[2], r[0]))]


def rechain(conn: sqlite3.Connection, article_id: str) -> int:
    """Recompute revision_of/superseded_by along the story of ``article_id``; its size."""
    members = story_members(conn, article_id)
    rows = []
    for member in members:
        row = conn.execute(
            "SELECT id, published, LENGTH(text) FROM articles WHERE id = ?", (member,)
        ).fetchone()
        rows.append((row[0], row[1], int(row[2])))
    chain = chain_order(rows)
    for i, member in enumerate(chain):
        before = chain[i - 1] if i > 0 else None
        after = chain[i + 1] if i + 1 < len(chain) else None
        conn.execute(
            "UPDATE articles SET revision_of = ?, superseded_by = ? WHERE id = ?", (before, after, member)
        )
    return len(chain)
