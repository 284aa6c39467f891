"""Loaders for the evaluation data, file hashes, and where the data lives.

The licensed data sits in ``../shared/data`` beside the checkout (``FACTLEDGER_SHARED``
overrides ``../shared``; ``--data`` overrides both). It is never copied into the repository:
loaders read it in place and return typed rows. Gold that the project owns
(``gold/claims``, ``gold/entities``, ``gold/seeds``) is read from the repository root.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from ..errors import InputError

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parents[3]


def default_data_dir() -> Path:
    """``$FACTLEDGER_SHARED/data``, else ``../shared/data`` beside the repository."""
    shared = os.environ.get("FACTLEDGER_SHARED")
    base = Path(shared) if shared else REPO_ROOT.parent / "shared"
    return (base / "data").resolve()


def gold_dir() -> Path:
    return REPO_ROOT / "gold"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sample(items: Sequence[T], limit: int | None) -> list[T]:
    """``limit`` items spread evenly over ``items`` (deterministic), or all of them.

    Evenly spaced rather than the first N: the ACLED files are sorted by date, so a head
    sample would see only the last weeks of the war."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


_ACLED_DATE_FORMATS = ("%d-%b-%y", "%d %B %Y", "%Y-%m-%d", "%d-%b-%Y", "%d/%m/%Y")


def parse_acled_date(text: str) -> date:
    """ACLED export dates: "6-Jun-25" (the Gaza file), "26 July 2024" (Lebanon), ISO."""
    cleaned = text.strip()
    for fmt in _ACLED_DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    raise InputError(f"unreadable ACLED date {text!r}: expected e.g. '6-Jun-25' or '26 July 2024'")


# ---------------------------------------------------------------- ACLED (Gaza export)

@dataclass(frozen=True)
class AcledRow:
    id: str
    event_date: date
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    location: str
    latitude: float
    longitude: float
    geo_precision: int | None
    fatalities: int
    notes: str


def load_acled(path: Path) -> list[AcledRow]:
    """Rows of an ACLED export (31 columns; ``notes`` is the text we extract from)."""
    rows: list[AcledRow] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for line, rec in enumerate(csv.DictReader(fh), start=2):
            try:
                rows.append(AcledRow(
                    id=rec["event_id_cnty"],
                    event_date=parse_acled_date(rec["event_date"]),
                    event_type=rec["event_type"],
                    sub_event_type=rec["sub_event_type"],
                    actor1=rec["actor1"],
                    actor2=rec["actor2"],
                    location=rec["location"],
                    latitude=float(rec["latitude"]),
                    longitude=float(rec["longitude"]),
                    geo_precision=int(rec["geo_precision"]) if rec.get("geo_precision") else None,
                    fatalities=int(rec["fatalities"] or 0),
                    notes=rec["notes"],
                ))
            except (KeyError, ValueError) as exc:
                raise InputError(f"{path}:{line}: not an ACLED export row ({exc})") from exc
    return rows


# ---------------------------------------------------------------- ACLED notes (Lebanon)

@dataclass(frozen=True)
class LebanonRow:
    index: int
    event_date: date
    latitude: float
    longitude: float
    notes: str


def load_acled_lebanon(path: Path) -> list[LebanonRow]:
    rows: list[LebanonRow] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for line, rec in enumerate(csv.DictReader(fh), start=2):
            try:
                rows.append(LebanonRow(line - 2, parse_acled_date(rec["date"]), float(rec["latitude"]),
                                       float(rec["longitude"]), rec["description"]))
            except (KeyError, ValueError) as exc:
                raise InputError(f"{path}:{line}: expected columns date, latitude, longitude, "
                                 f"description ({exc})") from exc
    return rows


# ---------------------------------------------------------------- CASE 2021 task 2

@dataclass(frozen=True)
class CaseRow:
    id: str
    text: str
    subtype: str


def load_case2021(path: Path) -> list[CaseRow]:
    """Tab separated, quotes are literal (``csv.QUOTE_NONE``)."""
    rows: list[CaseRow] = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header != ["id", "EventSnippet", "SubType"]:
            raise InputError(f"{path}: expected the header id, EventSnippet, SubType, got {header}")
        for line, rec in enumerate(reader, start=2):
            if len(rec) != 3:
                raise InputError(f"{path}:{line}: expected 3 tab-separated fields, got {len(rec)}")
            rows.append(CaseRow(rec[0], rec[1], rec[2].strip()))
    return rows


# ---------------------------------------------------------------- PLOVER gold standard records

@dataclass(frozen=True)
class PloverRow:
    id: str
    text: str
    event: str  # as coded (PLOVER 0.5b1)
    mode: str | None
    sources: tuple[str, ...]
    targets: tuple[str, ...]


def _actor_texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(a["actorText"] for a in value if isinstance(a, dict) and a.get("actorText"))


def load_plover(path: Path) -> list[PloverRow]:
    """Gold sentences of ``gsr_dev.json``, without the DOCUMENT header record."""
    with open(path, encoding="utf-8") as fh:
        records = json.load(fh)
    if not isinstance(records, list):
        raise InputError(f"{path}: expected a JSON list of PLOVER records")
    rows: list[PloverRow] = []
    for rec in records:
        if rec.get("event") == "DOCUMENT":
            continue
        if not rec.get("text") or not rec.get("event"):
            raise InputError(f"{path}: record {rec.get('id')} has no text or event")
        rows.append(PloverRow(rec["id"], rec["text"], rec["event"], rec.get("mode") or None,
                              _actor_texts(rec.get("source")), _actor_texts(rec.get("target"))))
    return rows


# ---------------------------------------------------------------- corpora the project's gold points into

@dataclass(frozen=True)
class CorpusDoc:
    corpus: str  # "cnn-2024" | "seeds"
    path: str
    text: str
    title: str | None = None
    published: date | None = None


def load_cnn(path: Path, wanted: set[str] | None = None) -> dict[str, CorpusDoc]:
    """Articles of ``cnn-2024/articles.jsonl`` by ``path`` (only ``wanted`` ones when given)."""
    out: dict[str, CorpusDoc] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if wanted is not None and rec["path"] not in wanted:
                continue
            published = rec.get("published") or ""
            when = date.fromisoformat(published[:10]) if re.match(r"\d{4}-\d\d-\d\d", published) else None
            out[rec["path"]] = CorpusDoc("cnn-2024", rec["path"], rec["text"], rec.get("title"), when)
    return out


def load_seed(path: Path) -> CorpusDoc:
    """A seed file as read by the gold offsets: the whole file, headline line included."""
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    return CorpusDoc("seeds", path.name, text, None, None)


# ---------------------------------------------------------------- claims gold (gold/claims/*.jsonl)

@dataclass(frozen=True)
class GoldAsOf:
    date: str | None
    precision: str


@dataclass(frozen=True)
class GoldClaim:
    corpus: str
    path: str
    start: int
    end: int
    metric: str
    low: float | None
    high: float | None
    qualifier: str
    subject: str | None
    source: str | None
    as_of: GoldAsOf | None
    hedges: tuple[str, ...]
    modality: str
    id: str = ""


_CLAIM_FIELDS = {"corpus", "path", "start", "end", "metric", "low", "high", "qualifier", "subject",
                 "source", "as_of", "hedges", "modality"}


def parse_gold_claim(rec: dict[str, Any], *, where: str) -> GoldClaim:
    """One gold line (format: ``gold/claims/README.md``); extra helper fields are allowed."""
    missing = _CLAIM_FIELDS - rec.keys()
    if missing:
        raise InputError(f"{where}: gold claim lacks {sorted(missing)}; see gold/claims/README.md")
    if rec["corpus"] not in ("cnn-2024", "seeds"):
        raise InputError(f"{where}: corpus must be 'cnn-2024' or 'seeds', got {rec['corpus']!r}")
    as_of = rec["as_of"]
    return GoldClaim(
        corpus=rec["corpus"], path=rec["path"], start=int(rec["start"]), end=int(rec["end"]),
        metric=rec["metric"],
        low=None if rec["low"] is None else float(rec["low"]),
        high=None if rec["high"] is None else float(rec["high"]),
        qualifier=rec["qualifier"], subject=rec["subject"], source=rec["source"],
        as_of=GoldAsOf(as_of.get("date"), as_of.get("precision", "unknown")) if as_of else None,
        hedges=tuple(sorted(rec["hedges"] or ())), modality=rec["modality"], id=str(rec.get("id", "")),
    )


def load_gold_claims(folder: Path) -> list[GoldClaim]:
    claims: list[GoldClaim] = []
    for path in sorted(folder.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{line_no}: not JSON ({exc.msg})") from exc
                claims.append(parse_gold_claim(rec, where=f"{path}:{line_no}"))
    return claims


def load_annotated_docs(folder: Path) -> list[tuple[str, str]] | None:
    """(corpus, path) of exhaustively annotated documents (``articles.json``), None if absent."""
    path = folder / "articles.json"
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as fh:
        docs = json.load(fh)
    return [(d["corpus"], d["path"]) for d in docs]


# ---------------------------------------------------------------- entities gold (gold/entities)

ENTITY_KINDS = ("PERSON", "ORG", "PLACE")


@dataclass(frozen=True)
class GoldMention:
    corpus: str
    path: str
    start: int
    end: int
    surface: str
    kind: str  # PERSON | ORG | PLACE
    entity: str


@dataclass(frozen=True)
class GoldEntity:
    id: str
    corpus: str
    path: str
    name: str
    kind: str
    roles: tuple[str, ...]
    status: tuple[str, ...]


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield line_no, json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{line_no}: not JSON ({exc.msg})") from exc


def load_gold_entities(folder: Path) -> tuple[list[GoldMention], dict[str, GoldEntity]]:
    """Mentions and entities of ``gold/entities`` (format: its README)."""
    mentions: list[GoldMention] = []
    for line_no, rec in _jsonl(folder / "mentions.jsonl"):
        try:
            m = GoldMention(rec["corpus"], rec["path"], int(rec["start"]), int(rec["end"]),
                            rec["surface"], rec["kind"], rec["entity"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{folder / 'mentions.jsonl'}:{line_no}: bad mention ({exc!r})") from exc
        if m.kind not in ENTITY_KINDS:
            raise InputError(f"{folder / 'mentions.jsonl'}:{line_no}: kind {m.kind!r} is not one of {ENTITY_KINDS}")
        mentions.append(m)
    entities: dict[str, GoldEntity] = {}
    for line_no, rec in _jsonl(folder / "entities.jsonl"):
        try:
            entities[rec["id"]] = GoldEntity(
                rec["id"], rec["corpus"], rec["path"], rec["name"], rec["kind"],
                tuple(rec.get("roles") or ()), tuple(s["status"] for s in rec.get("status") or ()))
        except (KeyError, TypeError) as exc:
            raise InputError(f"{folder / 'entities.jsonl'}:{line_no}: bad entity ({exc!r})") from exc
    return mentions, entities
