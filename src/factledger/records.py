"""Typed records: the core data model of factledger.

Every stage of the pipeline produces or consumes these frozen dataclasses.
Records are values: they never change once built, and ``to_dict`` gives the
JSON form defined by the output contract (``docs/output-contract.md`` and
``src/factledger/data/schema/record.schema.json``).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

SCHEMA_VERSION = "1.1"

Precision = Literal["day", "week", "month", "year", "unknown"]
PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year", "unknown")

Qualifier = Literal["exact", "at_least", "more_than", "about", "nearly", "up_to", "fewer_than", "range"]
QUALIFIERS: tuple[str, ...] = (
    "exact",
    "at_least",
    "more_than",
    "about",
    "nearly",
    "up_to",
    "fewer_than",
    "range",
)

Modality = Literal["asserted", "proposed", "denied", "hypothetical", "reported", "negated", "future"]
MODALITIES: tuple[str, ...] = (
    "asserted",
    "proposed",
    "denied",
    "hypothetical",
    "reported",
    "negated",
    "future",
)

Stance = Literal["denies", "confirms", "disputes"]
_BASE_STANCES = (
    "asserts",
    "denies",
    "confirms",
    "disputes",
    "proposes",
    "accepts",
    "rejects",
    "suspends",
    "threatens",
    "demands",
    "accuses",
    "warns",
)
# A negated stance verb ("did not deny") keeps its stance with a "not_" prefix.
STANCES: tuple[str, ...] = _BASE_STANCES + tuple("not_" + s for s in _BASE_STANCES)


def stable_id(prefix: str, *parts: object) -> str:
    """A deterministic id: the same inputs always give the same id."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:16]}"


def content_hash(text: str) -> str:
    """Hash of an article's text, with whitespace normalised, for de-duplication."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Article:
    """One news article. ``text`` is what offsets in evidence refer to."""

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    content_hash: str = ""

    @classmethod
    def create(
        cls,
        text: str,
        *,
        title: str | None = None,
        published: date | None = None,
        source: str | None = None,
        url: str | None = None,
        path: str | None = None,
    ) -> Article:
        digest = content_hash(text)
        return cls(
            id="art_" + digest[:16],
            text=text,
            title=title,
            published=published,
            source=source,
            url=url,
            path=path,
            content_hash=digest,
        )

    @property
    def story_key(self) -> str:
        """What identifies the story across revisions: its URL, else path, else title."""
        if self.url:
            return "url:" + self.url.strip()
        if self.path:
            return "path:" + self.path
        if self.title:
            return "title:" + " ".join(self.title.lower().split())
        return "hash:" + self.content_hash


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: article, sentence index, character offsets, text."""

    article_id: str
    sentence: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class When:
    """A date with its precision. ``date`` is ISO (YYYY-MM-DD) or None when unknown.

    For week/month/year precision ``date`` is the first day of the period.
    ``end`` is set for ranges ("between Oct 7 and Nov 24").
    """

    date: str | None
    precision: Precision = "unknown"
    text: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Quantity:
    """A number as written: low/high bounds, a best estimate and the qualifier."""

    low: float | None
    high: float | None
    best: float | None
    qualifier: Qualifier = "exact"
    text: str = ""
    vague: str | None = None  # the vague word kept as written ("dozens")


@dataclass(frozen=True)
class Place:
    """A place mention, geocoded offline. ``precision`` follows ACLED geo_precision
    (1 = the exact town/neighbourhood, 2 = near/part of a region, 3 = only a larger region)."""

    text: str
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: int | None = None
    geonameid: int | None = None


@dataclass(frozen=True)
class ActorRef:
    """An actor as written in the text and, when known, its canonical entity name."""

    text: str
    entity: str | None = None


@dataclass(frozen=True)
class Entity:
    id: str
    article_id: str
    name: str
    kind: str  # PERSON | ORG | GPE | LOC | NORP | FAC | MEDIA
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    evidence: Evidence | None = None
    confidence: float = 1.0
    place: Place | None = None
    status: tuple[dict[str, Any], ...] = ()
    # Every mention of the entity in the article: (start, end) character offsets into the
    # article text, the name as written without a leading "the", titles or a possessive.
    mentions: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Claim:
    id: str
    article_id: str
    metric: str
    value: Quantity
    subject: str | None
    evidence: Evidence
    confidence: float
    source: ActorRef | None = None
    as_of: When | None = None
    hedges: tuple[str, ...] = ()
    modality: str = "asserted"
    event_id: str | None = None
    subject_norm: str | None = None
    part_of: str | None = None
    scope: str | None = None  # cumulative | period | event | None
    unit: str = "count"  # count | percent ("70 percent of those killed": a share, not a number of people)


@dataclass(frozen=True)
class Event:
    id: str
    article_id: str
    event_type: str
    sub_event_type: str
    evidence: Evidence
    confidence: float
    plover: dict[str, str | None] = field(default_factory=dict)
    actor1: ActorRef | None = None
    actor2: ActorRef | None = None
    assoc_actors: tuple[ActorRef, ...] = ()
    location: Place | None = None
    date: When | None = None
    fatalities: Quantity | None = None
    injured: Quantity | None = None
    victims: tuple[str, ...] = ()
    claimed_by: tuple[str, ...] = ()
    primary: bool = False
    modality: str = "asserted"
    trigger: str | None = None


@dataclass(frozen=True)
class Statement:
    id: str
    article_id: str
    speaker: ActorRef | None
    stance: str
    proposition: str
    evidence: Evidence
    confidence: float
    target_id: str | None = None


Record = Article | Entity | Claim | Event | Statement

_TYPE_NAMES = {Article: "article", Entity: "entity", Claim: "claim", Event: "event", Statement: "statement"}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_dict(record: Record) -> dict[str, Any]:
    """The JSON form of a record, as the output contract defines it."""
    data = _plain(record)
    data = {"type": _TYPE_NAMES[type(record)], **data}
    if isinstance(record, Article):
        data["article_id"] = record.id
        data["evidence"] = None
        data["confidence"] = 1.0
        data.pop("content_hash", None)
        data["content_hash"] = record.content_hash
    return data


_TYPES_BY_NAME: dict[str, type] = {name: cls for cls, name in _TYPE_NAMES.items()}


def from_dict(data: dict[str, Any]) -> Record:
    """The record whose JSON form (``to_dict``) is ``data``: ``to_dict(from_dict(d)) == d``.

    For records that crossed a process or file boundary as JSON (Parquet partitions of a
    distributed extraction). Raises ``ValueError`` for an unknown ``type``.
    """
    cls = _TYPES_BY_NAME.get(str(data.get("type")))
    if cls is None:
        raise ValueError(f"unknown record type {data.get('type')!r}")
    return _build(cls, data)


@functools.lru_cache(maxsize=32)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(cls: type, data: dict[str, Any]) -> Any:
    hints = _hints(cls)
    return cls(**{f.name: _typed(hints[f.name], data[f.name]) for f in dataclasses.fields(cls) if f.name in data})


def _typed(hint: Any, value: Any) -> Any:
    """``value`` (from JSON) as the type ``hint`` names: dataclasses, tuples and dates rebuilt."""
    if value is None:
        return None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return _typed(options[0], value) if len(options) == 1 else value
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _build(hint, value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_typed(args[0], v) for v in value)
        return tuple(_typed(a, v) for a, v in zip(args, value, strict=True))
    if hint is date:
        return date.fromisoformat(value)
    return value
