"""Batches: inputs -> read -> extract -> (optionally) store, one item at a time.

The functions here are what the ``extract`` and ``ingest`` commands call. They never
print: every outcome is yielded as a value, and errors name the input.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from ..errors import StoreError
from ..records import Article, Record
from .readers import ReadItem, read_paths

if TYPE_CHECKING:
    from ..nlp.pipeline import Extractor, ItemResult
    from ..store.sqlite import Ledger

Outcome = Literal["added", "duplicate", "revision", "failed"]
# Another extraction engine (``distributed.extract_dask``): (items, skip) -> results.
Engine = Callable[[Iterable[ReadItem], Callable[[Article], bool]], Iterator["ItemResult"]]


def extract_items(
    items: Iterable[ReadItem],
    *,
    processes: int = 1,
    extractor: Extractor | None = None,
    skip: Callable[[Article], bool] | None = None,
    time_limit: float | None = None,
) -> Iterator[ItemResult]:
    """Extract the records of every readable item; a read error passes through as an
    ``ItemResult`` with its ``error``, so one bad input never stops the others.

    ``skip(article)`` true means: do not extract this article, yield it with no records
    (``records == [article]``); ``ingest`` uses it for articles already in the ledger.
    With one process results come in input order; with several, read errors and
    skipped items may come ahead of the extraction results that precede them.
    ``time_limit`` is the budget per article in seconds (None: the pipeline's default).
    """
    from ..nlp.pipeline import TIME_LIMIT_SECONDS, ItemResult, extract_many

    budget = TIME_LIMIT_SECONDS if time_limit is None else time_limit

    # Items that need no extraction, queued by the feeder (which may run in the pool's
    # feeder thread) and handed out between extraction results.
    side: deque[ItemResult] = deque()
    lock = threading.Lock()

    def feed() -> Iterator[tuple[str, Article]]:
        for item in items:
            if item.article is None:
                with lock:
                    side.append(ItemResult(item.name, error=item.error))
            elif skip is not None and skip(item.article):
                with lock:
                    side.append(ItemResult(item.name, records=[item.article]))
            else:
                yield item.name, item.article

    def drain() -> Iterator[ItemResult]:
        while True:
            with lock:
                if not side:
                    return
                result = side.popleft()
            yield result

    if processes <= 1 and extractor is None:
        from ..nlp.pipeline import Extractor

        extractor = _LazyExtractor(lambda: Extractor(time_limit=budget))  # type: ignore[assignment]
    for result in extract_many(feed(), processes=processes, extractor=extractor, time_limit=budget):
        yield from drain()
        yield result
    yield from drain()


class _LazyExtractor:
    """An Extractor loaded on first use, so a batch of only bad inputs never loads spaCy."""

    def __init__(self, factory: Callable[[], Extractor]) -> None:
        self._factory = factory
        self._extractor: Extractor | None = None

    def _load(self) -> Extractor:
        if self._extractor is None:
            self._extractor = self._factory()
        return self._extractor

    @property
    def time_limit(self) -> float | None:
        # Read before an article's time budget starts, so loading is never charged to it.
        return self._load().time_limit

    def extract(self, article: Article) -> list[Record]:
        return self._load().extract(article)


@dataclass
class IngestSummary:
    """Counts of an ingest, and the error of each failed input."""

    added: int = 0
    duplicate: int = 0
    revision: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def total(self) -> int:
        return self.added + self.duplicate + self.revision + self.failed


@dataclass(frozen=True)
class IngestOutcome:
    name: str
    outcome: Outcome
    error: str | None = None


def ingest_paths(
    ledger: Ledger,
    paths: Iterable[str | os.PathLike[str]],
    *,
    published: date | None = None,
    source: str | None = None,
    processes: int = 1,
    extractor: Extractor | None = None,
    time_limit: float | None = None,
    engine: Engine | None = None,
) -> Iterator[IngestOutcome]:
    """Read, extract and store every input; yields one outcome per input item.

    Articles already in the ledger (same content hash) are not extracted again.
    ``engine`` extracts instead of ``extract_items`` (e.g. on a Dask cluster).
    """
    known = ledger.article_ids()
    items = read_paths(paths, published=published, source=source)

    def skip(article: Article) -> bool:
        return article.id in known

    if engine is not None:
        results = engine(items, skip)
    else:
        results = extract_items(
            items, processes=processes, extractor=extractor, skip=skip, time_limit=time_limit
        )
    for result in results:
        yield store_result(ledger, result, known=known)


def store_result(ledger: Ledger, result: ItemResult, *, known: set[str] | None = None) -> IngestOutcome:
    """Store one ``ItemResult`` (its first record is the article)."""
    if result.error is not None or not result.records:
        return IngestOutcome(result.name, "failed", result.error or f"{result.name}: no article")
    article = result.records[0]
    if not isinstance(article, Article):
        return IngestOutcome(result.name, "failed", f"{result.name}: extraction returned no article first")
    try:
        outcome = ledger.add(article, result.records[1:])
    except StoreError as exc:
        return IngestOutcome(result.name, "failed", f"{result.name}: {exc}")
    if known is not None:
        known.add(article.id)
    return IngestOutcome(result.name, outcome)


def summarise(outcomes: Iterable[IngestOutcome]) -> IngestSummary:
    summary = IngestSummary()
    for outcome in outcomes:
        summary.count(outcome.outcome)
        if outcome.error:
            summary.errors.append(outcome.error)
    return summary
