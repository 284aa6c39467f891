"""Read records back from their JSON form (what ``factledger extract`` prints).

``load_extracted(path)`` groups the lines of an ``extract`` output into (article, records)
pairs, so a ledger can be built from pre-extracted records without running the NLP
pipeline again (``factledger ingest --records``, the ledger benchmark, tests).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import FactledgerError
from ..records import (
    ActorRef,
    Article,
    Claim,
    Entity,
    Event,
    Evidence,
    Place,
    Quantity,
    Record,
    Statement,
    When,
)


def _opt(cls: Any, data: dict[str, Any] | None) -> Any:
    return cls(**data) if data else None


def _evidence(data: dict[str, Any] | None) -> Evidence | None:
    return Evidence(**data) if data else None


def record_from_dict(data: dict[str, Any]) -> Record:
    """The record a JSON object (output-contract form) describes; FactledgerError if none."""
    kind = data.get("type")
    d = {k: v for k, v in data.items() if k != "type"}
    try:
        if kind == "article":
            published = d.get("published")
            return Article(id=d["id"], text=d["text"], title=d.get("title"),
                           published=date.fromisoformat(published) if published else None,
                           source=d.get("source"), url=d.get("url"), path=d.get("path"),
                           content_hash=d.get("content_hash") or "")
        if kind == "entity":
            return Entity(**{**d, "aliases": tuple(d.get("aliases") or ()), "roles": tuple(d.get("roles") or ()),
                             "evidence": _evidence(d.get("evidence")), "place": _opt(Place, d.get("place")),
                             "status": tuple(d.get("status") or ()),
                             "mentions": tuple(tuple(m) for m in d.get("mentions") or ())})
        if kind == "claim":
            return Claim(**{**d, "value": Quantity(**d["value"]), "evidence": _evidence(d["evidence"]),
                            "source": _opt(ActorRef, d.get("source")), "as_of": _opt(When, d.get("as_of")),
                            "hedges": tuple(d.get("hedges") or ())})
        if kind == "event":
            return Event(**{**d, "evidence": _evidence(d["evidence"]),
                            "actor1": _opt(ActorRef, d.get("actor1")), "actor2": _opt(ActorRef, d.get("actor2")),
                            "assoc_actors": tuple(ActorRef(**a) for a in d.get("assoc_actors") or ()),
                            "location": _opt(Place, d.get("location")), "date": _opt(When, d.get("date")),
                            "fatalities": _opt(Quantity, d.get("fatalities")),
                            "injured": _opt(Quantity, d.get("injured")),
                            "victims": tuple(d.get("victims") or ()), "claimed_by": tuple(d.get("claimed_by") or ())})
        if kind == "statement":
            return Statement(**{**d, "speaker": _opt(ActorRef, d.get("speaker")), "evidence": _evidence(d["evidence"])})
    except (KeyError, TypeError, ValueError) as exc:
        raise FactledgerError(f"a {kind} record could not be read ({exc}); is it factledger extract output?") from exc
    raise FactledgerError(f"unknown record type {kind!r}; expected article, entity, claim, event or statement")


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
