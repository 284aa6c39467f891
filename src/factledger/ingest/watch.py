"""Live feeds: poll RSS/Atom feeds, fetch new articles, extract and store them.

One poll of a feed (``poll_feed``):

1. A feed waiting out a backoff is skipped. Otherwise a conditional GET (``If-None-Match``
   / ``If-Modified-Since`` from the last good response): ``304 Not Modified`` ends the poll.
2. Each item not yet seen (``store.feeds``) is fetched, its main text read (trafilatura,
   ``readers.read_page``), extracted and stored in the ledger; its outcome is recorded,
   so a restart never fetches it again. A failed item (page not found, no text) is an
   error for that item only and is tried again on the next polls, up to
   ``store.feeds.MAX_ITEM_ATTEMPTS`` times.
3. The validators of the response are saved after the items, so a crash in between
   means the feed is fetched in full again, never that items are skipped.

A feed that cannot be fetched or parsed is an error for that feed: it is tried again after
``interval * 2**failures`` seconds (at most ``MAX_BACKOFF_SECONDS``); the other feeds go on.
Only http(s) URLs are fetched. Nothing here prints: ``watch`` yields ``WatchEvent``s.
"""

from __future__ import annotations

import dataclasses
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from .. import __version__
from ..store import feeds as state_mod
from .batch import _LazyExtractor, extract_items, store_result
from .feeds import FeedError, FeedItem, parse_feed
from .readers import MAX_FILE_BYTES, ReadItem, read_page

if TYPE_CHECKING:
    from ..nlp.pipeline import Extractor
    from ..store.sqlite import Ledger

# Default seconds between polls of a feed: news feeds change every few minutes to hours.
DEFAULT_INTERVAL = 900.0
# Longest wait after repeated errors of a feed (6 hours).
MAX_BACKOFF_SECONDS = 6 * 3600.0
# Seconds to wait for a server's answer.
HTTP_TIMEOUT = 30.0
USER_AGENT = f"factledger/{__version__} (+https://github.com/factledger/factledger)"

EventKind = Literal["not_modified", "backoff", "feed_error", "added", "duplicate", "revision", "failed"]


@dataclass(frozen=True)
class Response:
    status: int  # 200 or 304
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""


@dataclass(frozen=True)
class WatchEvent:
    """What happened to a feed or one of its items."""

    feed: str
    kind: EventKind
    item: str | None = None  # the item's URL
    error: str | None = None


class FetchError(Exception):
    """A URL could not be fetched (network error, HTTP error status, too large)."""


Fetch = Callable[..., Response]


def http_get(url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
    """GET ``url`` (http or https only), conditionally when validators are given."""
    if not url.startswith(("http://", "https://")):
        raise FetchError(f"not an http(s) URL: {url!r}")
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as resp:  # noqa: S310 - scheme checked
            body = resp.read(MAX_FILE_BYTES + 1)
            if len(body) > MAX_FILE_BYTES:
                raise FetchError(f"over {MAX_FILE_BYTES:,} bytes")
            return Response(resp.status, body, resp.headers.get("ETag"), resp.headers.get("Last-Modified"),
                            resp.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Response(304, etag=etag, last_modified=last_modified)
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"cannot fetch: {reason}") from exc


def backoff_seconds(interval: float, failures: int) -> float:
    return min(interval * 2 ** max(failures, 0), MAX_BACKOFF_SECONDS)


@dataclass
class Watcher:
    """Polls feeds into a ledger. ``fetch`` and ``clock`` are seams for tests."""

    ledger: Ledger
    interval: float = DEFAULT_INTERVAL
    extractor: Extractor | None = None
    time_limit: float | None = None
    fetch: Fetch = http_get
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def __post_init__(self) -> None:
        if self.extractor is None:
            from ..nlp.pipeline import TIME_LIMIT_SECONDS, Extractor

            budget = TIME_LIMIT_SECONDS if self.time_limit is None else self.time_limit
            self.extractor = _LazyExtractor(lambda: Extractor(time_limit=budget))  # type: ignore[assignment]

    def poll(self, feed_url: str) -> Iterator[WatchEvent]:
        """One poll of one feed (see the module's docstring)."""
        now = self.clock()
        state = state_mod.load_state(self.ledger, feed_url)
        if not state_mod.due(state, now):
            yield WatchEvent(feed_url, "backoff", error=f"waiting after {state.failures} error(s) until "
                             f"{state.next_check_at} (last: {state.last_error})")
            return
        try:
            response = self.fetch(feed_url, etag=state.etag, last_modified=state.last_modified)
            feed = parse_feed(response.body, base_url=feed_url) if response.status != 304 else None
        except (FetchError, FeedError) as exc:
            failures = state.failures + 1
            wait = timedelta(seconds=backoff_seconds(self.interval, failures))
            state_mod.save_state(self.ledger, dataclasses.replace(
                state, checked_at=state_mod.iso(now), next_check_at=state_mod.iso(now + wait),
                failures=failures, last_error=str(exc)))
            yield WatchEvent(feed_url, "feed_error", error=f"{feed_url}: {exc}; trying again in {wait}")
            return
        # next_check_at is a backoff only: after a good poll the loop (or cron) says when.
        checked = dataclasses.replace(state, checked_at=state_mod.iso(now), failures=0, last_error=None,
                                      next_check_at=None)
        if feed is None:
            state_mod.save_state(self.ledger, checked)
            yield WatchEvent(feed_url, "not_modified")
            return
        state_mod.save_state(self.ledger, checked)  # the row items refer to; old validators still
        for problem in feed.problems:
            yield WatchEvent(feed_url, "failed", error=f"{feed_url}: {problem}")
        for item in feed.items:
            if state_mod.item_pending(self.ledger, feed_url, item.key):
                yield self._take(feed_url, item)
        state_mod.save_state(self.ledger, dataclasses.replace(
            checked, etag=response.etag, last_modified=response.last_modified))

    def _take(self, feed_url: str, item: FeedItem) -> WatchEvent:
        read = self._read(item)
        if read.article is None:
            error = read.error or f"{item.url}: no article"
            outcome_kind, article_id = "failed", None
        else:
            (result,) = extract_items([read], extractor=self.extractor, skip=self._known)
            outcome = store_result(self.ledger, result)
            error, outcome_kind, article_id = outcome.error, outcome.outcome, read.article.id
        state_mod.record_item(self.ledger, feed_url, item.key, item.url, article_id=None if error else article_id,
                              error=error, now=self.clock())
        return WatchEvent(feed_url, outcome_kind, item=item.url, error=error)

    def _known(self, article: object) -> bool:
        return self.ledger.has_article(getattr(article, "id", ""))

    def _read(self, item: FeedItem) -> ReadItem:
        try:
            response = self.fetch(item.url)
        except FetchError as exc:
            return ReadItem(item.url, error=f"{item.url}: {exc}")
        html = not response.content_type.lower().startswith("text/plain")
        read = read_page(item.url, response.body, html=html, published=item.published)
        if read.article is None:
            return read
        article = dataclasses.replace(read.article, url=item.url, title=read.article.title or item.title,
                                      published=read.article.published or item.published)
        return ReadItem(read.name, article=article)

    def run(
        self, feeds: Iterable[str], *, once: bool = False, sleep: Callable[[float], None] = time.sleep
    ) -> Iterator[WatchEvent]:
        """Poll every feed, then (unless ``once``) again every ``interval`` seconds, forever."""
        urls = list(dict.fromkeys(feeds))
        while True:
            started = time.monotonic()
            for url in urls:
                yield from self.poll(url)
            if once:
                return
            sleep(max(0.0, self.interval - (time.monotonic() - started)))
