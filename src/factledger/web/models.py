"""Response and request models of the JSON API: they are what the OpenAPI document says.

Records in the output contract's JSON form (docs/output-contract.md) are passed through
as objects (``Record``); the rows built by ``outputs.views`` are typed here field by field.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ..ingest.readers import MAX_ARTICLE_CHARS

Record = dict[str, Any]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Publication dates an article may be posted with (a wider range only makes the date
# arithmetic of extraction overflow); the OpenAPI document states it as a pattern.
PUBLISHED_PATTERN = r"^(19\d\d|20\d\d|2100)-\d\d-\d\d$"


def iso_date_only(value: object) -> object:
    """Accept a date or a YYYY-MM-DD string only (pydantic alone also takes 0 as 1970-01-01)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("give a date as YYYY-MM-DD")
    return value


def published_range(value: object) -> object:
    if isinstance(value, str) and not re.fullmatch(PUBLISHED_PATTERN, value):
        raise ValueError("give a publication date between 1900-01-01 and 2100-12-31")
    return value


IsoDate = Annotated[date, BeforeValidator(iso_date_only)]


class Citation(BaseModel):
    article_id: str | None
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None


class EventRow(Citation):
    id: str
    reports: int = Field(1, description="mentions of the same happening across articles")
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


class Contradiction(BaseModel):
    """Two claims that cannot both hold, or a denial linked to what it denies (resolve.api)."""

    id: str
    kind: str
    metric: str | None
    detail: Record
    a: Record = Field(description="one side: article citation, record id, value, evidence")
    b: Record


class Overview(BaseModel):
    counts: Counts
    key_figures: list[KeyFigure]
    latest_events: list[EventRow]
    contradictions: list[Contradiction]
    denials: list[StatementRow]


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


class FatalitiesSummary(BaseModel):
    low: float | None
    best: float | None
    high: float | None
    acled: float | None = Field(description="ACLED's rule: the most conservative figure")
    reports: int


class EventDetail(BaseModel):
    event: EventRow
    record: Record
    fatalities_across_reports: FatalitiesSummary
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
    text: str = Field(
        min_length=1,
        max_length=MAX_ARTICLE_CHARS,
        pattern=r"^[^\x00]*\S[^\x00]*$",
        description="the article text (first line = headline when no title); no NUL characters",
    )
    title: str | None = Field(default=None, max_length=2000)
    published: Annotated[IsoDate, BeforeValidator(published_range)] | None = Field(
        default=None,
        description="publication date, YYYY-MM-DD (1900-2100)",
        json_schema_extra={"pattern": PUBLISHED_PATTERN},
    )
    source: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=2000)


class IngestResult(BaseModel):
    article_id: str
    outcome: str = Field(description="added, duplicate or revision")
    records: int


class AliasIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    alias: str = Field(min_length=1, max_length=300, pattern=r"[^\W\d_]", description="a new name (with a letter)")
    name: str = Field(min_length=1, max_length=300, description="a name of the existing entity")
    kind: str | None = Field(default=None, max_length=20)


class AliasResult(BaseModel):
    entity_id: str
    alias: str


class Problem(BaseModel):
    detail: str
