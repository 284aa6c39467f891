"""Read records back from their JSON form (what ``factledger extract`` prints).

``load_extracted(path)`` groups the lines of an ``extract`` output into (article, records)
pairs, so a ledger can be built from pre-extracted records without running the NLP
pipeline again (``factledger ingest --records``, the ledger benchmark, tests).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import FactledgerError
from ..records import Article, Record, from_dict


def record_from_dict(data: dict[str, Any]) -> Record:
    """The record a JSON object (output-contract form) describes (``records.from_dict``), with
    a FactledgerError naming the problem when it is no such record."""
    kind = data.get("type")
    if kind not in ("article", "entity", "claim", "event", "statement"):
        raise FactledgerError(f"unknown record type {kind!r}; expected article, entity, claim, event or statement")
    try:
        return from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise FactledgerError(f"a {kind} record could not be read ({exc}); is it factledger extract output?") from exc


def group_records(dicts: Iterable[dict[str, Any]]) -> Iterator[tuple[Article, list[Record]]]:
    """(article, its records) for each article of an extract output (article line first)."""
    article: Article | None = None
    records: list[Record] = []
    for data in dicts:
        record = record_from_dict(data)
        if isinstance(record, Article):
            if article is not None:
                yield article, records
            article, records = record, []
        elif article is None or record.article_id != article.id:
            raise FactledgerError(f"record {record.id} comes before its article {record.article_id}")
        else:
            records.append(record)
    if article is not None:
        yield article, records


def load_extracted(path: str | Path) -> list[tuple[Article, list[Record]]]:
    """Every (article, records) of a JSONL file written by ``factledger extract``."""
    with open(path, encoding="utf-8") as fh:
        return list(group_records(json.loads(line) for line in fh if line.strip()))
