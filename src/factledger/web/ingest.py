"""POST /api/articles: extract one article and store it (the extractor is loaded once).

Extraction runs one article at a time under a lock (spaCy's pipeline is not shared across
threads); the per-article time budget works only in a main thread, so over HTTP an article
is bounded by the size limit of the readers instead.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException

from ..errors import FactledgerError
from ..ingest.readers import _check_text, _title_of, parse_published
from ..records import Article
from ..store.sqlite import Ledger
from .models import ArticleIn

if TYPE_CHECKING:
    from ..nlp.pipeline import Extractor

_lock = threading.Lock()
_extractors: list[Extractor] = []


def _extractor() -> Extractor:
    """The shared extractor (spaCy is loaded on the first POST, ~1 s); call under _lock."""
    if not _extractors:
        from ..nlp.pipeline import Extractor

        _extractors.append(Extractor())
    return _extractors[0]


def ingest_one(ledger: Ledger, body: ArticleIn) -> dict[str, Any]:
    """Extract ``body`` and add it to ``ledger``; bad input is a 400 naming the field."""
    from ..nlp.pipeline import _safe_extract

    name = "POST /api/articles"
    published = None
    if body.published:
        try:
            published = parse_published(body.published)
        except ValueError as exc:
            raise HTTPException(400, f"published: {exc}") from exc
    problem = _check_text(name, body.text)
    if problem:
        raise HTTPException(400, problem)
    article = Article.create(
        body.text, title=body.title or _title_of(body.text), published=published, source=body.source, url=body.url
    )
    with _lock:
        result = _safe_extract(_extractor(), name, article)
    if result.error is not None or not result.records:
        raise HTTPException(400, result.error or f"{name}: extraction returned nothing")
    try:
        outcome = ledger.add(article, result.records[1:])
    except FactledgerError as exc:
        raise HTTPException(400, str(exc)) from exc
    return {"article_id": article.id, "outcome": outcome, "records": len(result.records) - 1}
