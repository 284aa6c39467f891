"""The state of live feeds in the ledger (tables ``feeds`` and ``feed_items``, migration 3).

Per feed: the validators of its last good response (``ETag``, ``Last-Modified``) for a
conditional GET, when to check it next (later after errors: backoff) and its last error.
Per item: whether its article is stored or failed (and how often), so that a restarted
``factledger watch`` fetches no page twice and retries failed ones a few times only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from .sqlite import Ledger

# How often a failed item (page not found, no main text, extraction error) is tried again
# on later polls before it is left alone.
MAX_ITEM_ATTEMPTS = 3


@dataclass(frozen=True)
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    checked_at: str | None = None
    next_check_at: str | None = None
    failures: int = 0
    last_error: str | None = None


def iso(moment: datetime) -> str:
    """How the feed tables write a moment (UTC, ISO 8601, seconds)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def load_state(ledger: Ledger, url: str) -> FeedState:
    row = ledger.conn.execute(
        "SELECT url, etag, last_modified, checked_at, next_check_at, failures, last_error FROM feeds "
        "WHERE url = ?",
        (url,),
    ).fetchone()
    return FeedState(*row) if row else FeedState(url)


def save_state(ledger: Ledger, state: FeedState) -> None:
    with ledger.conn.transaction() as conn:
        conn.execute(
            "INSERT INTO feeds (url, etag, last_modified, checked_at, next_check_at, failures, last_error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, checked_at = excluded.checked_at, "
            "next_check_at = excluded.next_check_at, failures = excluded.failures, "
            "last_error = excluded.last_error",
            (state.url, state.etag, state.last_modified, state.checked_at, state.next_check_at,
             state.failures, state.last_error),
        )


def due(state: FeedState, now: datetime) -> bool:
    """Whether the feed may be fetched at ``now`` (not waiting out a backoff)."""
    return state.next_check_at is None or datetime.fromisoformat(state.next_check_at) <= now


def item_pending(ledger: Ledger, feed_url: str, key: str) -> bool:
    """Whether the item still needs fetching: never seen, or failed fewer than MAX_ITEM_ATTEMPTS times."""
    row = ledger.conn.execute(
        "SELECT status, attempts FROM feed_items WHERE feed_url = ? AND item_key = ?", (feed_url, key)
    ).fetchone()
    return row is None or (row[0] == "failed" and row[1] < MAX_ITEM_ATTEMPTS)


def record_item(
    ledger: Ledger, feed_url: str, key: str, url: str, *, article_id: str | None, error: str | None, now: datetime
) -> None:
    """Record an item's outcome: stored (with its article) or failed (with the error)."""
    status = "failed" if error else "stored"
    with ledger.conn.transaction() as conn:
        conn.execute(
            "INSERT INTO feed_items (feed_url, item_key, url, status, article_id, attempts, error, seen_at) "
            "VALUES (?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (feed_url, item_key) DO UPDATE SET "
            "status = excluded.status, article_id = excluded.article_id, error = excluded.error, "
            "seen_at = excluded.seen_at, attempts = feed_items.attempts + 1",
            (feed_url, key, url, status, article_id, error, iso(now)),
        )
