"""POST /api/articles: extract one article and store it (the extractor is loaded once).

Extraction runs one article at a time under a lock (spaCy's pipeline is not shared across
threads). An article gets the limits of the CLI: its size (the request model and the body
limit of ``web.limits``), its sentence count and a time budget (``FACTLEDGER_TIME_LIMIT``,
checked between batches of sentences and between stages, as the interval timer of the CLI
cannot interrupt a server thread). An article over a limit is refused with 422 and a
message naming the limit; the wait for the lock is not charged to the budget.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException

from ..errors import FactledgerError
from ..ingest.readers import _check_text, _title_of
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


def warm_up() -> None:
    """Load the extractor in the background when the server starts with writes enabled,
    so the first POST does not wait for spaCy."""

    def load() -> None:
        with _lock:
            _extractor()

    threading.Thread(target=load, name="factledger-warm-up", daemon=True).start()


def ingest_one(ledger: Ledger, body: ArticleIn, *, time_limit: float) -> dict[str, Any]:
    """Extract ``body`` and add it to ``ledger``, in at most ``time_limit`` seconds (0: no
    limit). Bad input is refused by the model (422), an article over a limit too (422,
    naming it); an extraction failure is a 500 naming it, a store failure a 503."""
    from ..nlp.pipeline import _safe_extract

    name = "POST /api/articles"
    problem = _check_text(name, body.text)
    if problem:  # the model's constraints make this unreachable; kept as the readers' rule
        raise HTTPException(422, problem)
    article = Article.create(
        body.text, title=body.title or _title_of(body.text), published=body.published, source=body.source,
        url=body.url,
    )
    with _lock:
        result = _safe_extract(_extractor(), name, article, budget=time_limit)
    if result.error is not None or not result.records:
        status = 422 if result.over_limit else 500
        raise HTTPException(status, result.error or f"{name}: extraction returned nothing")
    try:
        outcome = ledger.add(article, result.records[1:])
    except FactledgerError as exc:
        raise HTTPException(503, str(exc)) from exc
    return {"article_id": article.id, "outcome": outcome, "records": len(result.records) - 1}
