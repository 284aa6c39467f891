"""Response and request models of the JSON API: they are what the OpenAPI document says.

Records in the output contract's JSON form (docs/output-contract.md) are passed through
as objects (``Record``); the rows built by ``outputs.views`` are typed here field by field.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Record = dict[str, Any]


class Citation(BaseModel):
    article_id: str | None
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None


class EventRow(Citation):
    id: str
    date: str | None
    event_type: str | None
    sub_event_type: str | None
    actor1: str | None
    actor2: str | None
    place: str | None
    country: str | None
    lat: float | None
    lon: float | None
    fatalities: float | None
    fatalities_text: str | None
    modality: str | None
    evidence: str | None
    confidence: float | None


class ClaimRow(Citation):
    id: str
    metric: str | None
    date: str | None
    as_of: str | None
    best: float | None
    low: float | None
    high: float | None
    qualifier: str | None
    value_text: str | None
    subject: str | None
    source: str
    hedges: list[str]
    modality: str | None
    scope: str | None
    unit: str
    evidence: str | None
    event_id: str | None
    confidence: float | None


class Contested(BaseModel):
    kind: str
    text: str | None


class StatementRow(Citation):
    id: str
    stance: str | None
    speaker: str
    proposition: str
    target_id: str | None
    date: str | None
    evidence: str | None
    contests: Contested | None = None


class KeyFigure(BaseModel):
    metric: str
    scope: str = Field(description="'cumulative' when the figures are running totals, else 'any'")
    low: float
    high: float
    figures: list[ClaimRow]


class Counts(BaseModel):
    articles: int
    events: int
    claims: int
    statements: int
    entities: int


class Overview(BaseModel):
    counts: Counts
    key_figures: list[KeyFigure]
    latest_events: list[EventRow]
    contradictions: list[StatementRow]


class EventList(BaseModel):
    total: int
    items: list[EventRow]
    event_types: list[str]


class Mention(Citation):
    kind: str = Field(description="event, claim or statement")
    id: str
    sentence: str
    start: int = Field(description="start of the evidence inside the sentence")
    end: int


class EventDetail(BaseModel):
    event: EventRow
    record: Record
    mentions: list[Mention]
    claims: list[ClaimRow]
    statements: list[StatementRow]


class SeriesPoint(ClaimRow):
    pass


class Series(BaseModel):
    metric: str
    source: str
    points: list[SeriesPoint]


class Figures(BaseModel):
    metrics: list[str]
    series: list[Series]
    items: list[ClaimRow]


class Alias(BaseModel):
    alias: str
    origin: str


class StatusEntry(Citation):
    status: str | None
    date: str | None
    source: str | None


class EntityRow(BaseModel):
    id: str
    name: str
    kind: str
    articles: int
    aliases: list[Alias]
    roles: list[str]
    status: list[StatusEntry]


class EntityList(BaseModel):
    items: list[EntityRow]


class Outlet(BaseModel):
    name: str
    articles: int
    first: str | None
    last: str | None


class Body(BaseModel):
    name: str
    claims: int
    statements: int
    metrics: list[str | None]
    stances: list[str | None]


class Sources(BaseModel):
    outlets: list[Outlet]
    bodies: list[Body]


class ArticleRow(Citation):
    revision_of: str | None
    claims: int
    events: int
    statements: int


class ArticleList(BaseModel):
    total: int
    items: list[ArticleRow]


class Span(BaseModel):
    kind: str = Field(description="event, claim, statement or entity")
    id: str
    start: int
    end: int
    label: str


class ArticleDetail(Citation):
    revision_of: str | None
    superseded_by: str | None
    text: str
    spans: list[Span]


# -- writes ------------------------------------------------------------------------------------


class ArticleIn(BaseModel):
    """An article to ingest: the same fields as a line of a JSONL input."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=2_000_000)
    title: str | None = Field(default=None, max_length=2000)
    published: str | None = Field(default=None, max_length=40, description="YYYY-MM-DD")
    source: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=2000)


class IngestResult(BaseModel):
    article_id: str
    outcome: str = Field(description="added, duplicate or revision")
    records: int


class AliasIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    alias: str = Field(min_length=1, max_length=300)
    name: str = Field(min_length=1, max_length=300, description="a name of the existing entity")
    kind: str | None = Field(default=None, max_length=20)


class AliasResult(BaseModel):
    entity_id: str
    alias: str


class Problem(BaseModel):
    detail: str
