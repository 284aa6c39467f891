"""Resolution at ingest: what one new article adds to the cross-article ledger.

``resolve_article`` runs inside the article's own transaction (``Ledger.add``), after its
records are stored. Everything it writes is a function of the new article and of stored
rows found through indexes (story bands, event blocks by family and date, claim keys,
statements near in time), and every link is decided from its two ends alone. So:

- ingesting articles one by one or all at once, in any order, gives the same rows;
- re-ingesting an article is a duplicate and adds nothing;
- the cost of one article does not grow with the size of the ledger.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Article, Claim, Event, Record, Statement
from . import events as event_mod
from . import figures, statements, stories


@dataclass(frozen=True)
class Resolution:
    story_size: int
    event_links: int
    contradictions: int
    statement_links: int


def resolve_article(conn: sqlite3.Connection, article: Article, records: Sequence[Record]) -> Resolution:
    """Index one stored article and link it to the stored ones; returns what it found."""
    dataset = event_mod.from_event_dataset(article.source)
    if not dataset:  # a row of an event dataset is no version of a story (its text is a template)
        stories.index_article(conn, article.id, article.text)
    story_size = stories.rechain(conn, article.id)

    evs = [r for r in records if isinstance(r, Event)]
    by_id = {e.id: e for e in evs}
    area = figures.article_area(evs)
    n_contra = 0
    for claim in (r for r in records if isinstance(r, Claim)):
        key = figures.key_of(claim, article, by_id, area)
        n_contra += figures.add_claim_key(conn, key, claim.modality)

    n_links = 0
    for event in evs:
        mention = event_mod.mention_of(event, article)
        if mention is None:
            continue
        n_links += event_mod.add_mention(conn, mention, dataset=dataset)
        for other in event_mod.mentions_linked_to(conn, article.id, event.id):
            n_contra += figures.contradict_linked_events(conn, (article.id, event.id), other)

    n_st = 0
    for statement in (r for r in records if isinstance(r, Statement)):
        n_st += statements.add_statement(conn, statement, article, records)
    n_st += statements.link_new_targets(conn, article, records)
    return Resolution(story_size, n_links, n_contra, n_st)


_METADATA = ("published", "path", "title", "url", "source", "story_key")

# Derived rows of one article: (table, column naming the article). Pairs name it on either side.
_DERIVED = (
    ("story_bands", "article_id"), ("story_signatures", "article_id"), ("story_links", "article_a"),
    ("story_links", "article_b"), ("event_mentions", "article_id"), ("event_links", "a_article"),
    ("event_links", "b_article"), ("claim_keys", "article_id"), ("contradictions", "a_article"),
    ("contradictions", "b_article"), ("statement_links", "article_id"), ("statement_links", "target_article"),
    ("negotiation_mentions", "article_id"),
)


def _metadata_key(values: Sequence[str | None]) -> tuple[str, ...]:
    """Which copy's metadata an exact duplicate keeps: the earliest published, then the
    smallest path, title, URL, source (undated last): the same whatever the order of arrival."""
    return tuple("\uffff" if v is None else v for v in values)


def prefers_copy(conn: sqlite3.Connection, article: Article) -> bool:
    """Whether an exact copy of a stored text brings the metadata the ledger keeps (see
    ``_metadata_key``); its records then replace the stored ones (they were extracted with
    that publication date)."""
    row = conn.execute(f"SELECT {', '.join(_METADATA)} FROM articles WHERE content_hash = ?",
                       (article.content_hash,)).fetchone()
    new = (article.published.isoformat() if article.published else None, article.path, article.title,
           article.url, article.source, article.story_key)
    return row is not None and _metadata_key(new) < _metadata_key(row)


def forget_article(conn: sqlite3.Connection, article: Article) -> list[str]:
    """Drop what resolution derived from a stored article and take its new metadata; returns
    the other articles of the story it was in (to chain again once it is resolved anew)."""
    old_story = [m for m in stories.story_members(conn, article.id) if m != article.id]
    new = (article.published.isoformat() if article.published else None, article.path, article.title,
           article.url, article.source, article.story_key)
    conn.execute(f"UPDATE articles SET {', '.join(f'{c} = ?' for c in _METADATA)} WHERE id = ?", (*new, article.id))
    for table, column in _DERIVED:
        conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (article.id,))
    return old_story
