"""The FastAPI app: dashboard pages (HTML) and their JSON twins, from the same views.

Every page ``/x`` has a twin ``/x.json`` with the same query parameters, typed by the
models in ``web.models`` (the OpenAPI document at /openapi.json, browsable at /docs).
Reads are open unless ``private`` is set; writes need the API token (constant-time
compare). Query parameters are validated (422 on a bad one); unknown ids are 404.
Article text is only ever rendered through Jinja2's autoescaping or JSON.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

import jinja2
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import __version__
from ..errors import FactledgerError
from ..outputs import views
from ..outputs.report import REPORT_MIN_CONFIDENCE, format_number
from ..store.sqlite import Ledger
from . import limits, models
from .highlight import segments
from .settings import WebSettings

HERE = Path(__file__).parent
STATIC = HERE / "static"
# How many rows a list page shows at most (the JSON twin pages with limit/offset).
MAX_LIMIT = 1000
# Latest events and contradictions on the overview.
OVERVIEW_ROWS = 10

_bearer = HTTPBearer(auto_error=False, description="The API token (FACTLEDGER_API_TOKEN).")
Token = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]

# Shared query parameters (validated: a bad value is a 422 naming it).
Since = Annotated[models.IsoDate | None, Query(description="Only records dated on or after this day (YYYY-MM-DD).")]
Until = Annotated[models.IsoDate | None, Query(description="Only records dated on or before this day (YYYY-MM-DD).")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]
Text = Annotated[str | None, Query(max_length=200)]
EventType = Annotated[str | None, Query(max_length=200, description="ACLED event type or sub-event type.")]
Actor = Annotated[str | None, Query(max_length=200, description="Part of an actor's name.")]
Place = Annotated[str | None, Query(max_length=200, description="Part of a place, region or country name.")]
Metric = Annotated[str | None, Query(max_length=60, description="A metric (killed, injured, ...).")]
MinConf = Annotated[float, Query(ge=0, le=1, description="Leave out figures below this confidence.")]
Kind = Annotated[str | None, Query(max_length=20, pattern=r"^[A-Z_]+$", description="PERSON, ORG, GPE, ...")]
Name = Annotated[str | None, Query(max_length=200, description="A name or alias of the entity.")]


def _token_ok(settings: WebSettings, credentials: HTTPAuthorizationCredentials | None) -> bool:
    if not settings.api_token or credentials is None:
        return False
    return hmac.compare_digest(credentials.credentials.encode(), settings.api_token.encode())


class DropEmptyQueryParams:
    """ASGI middleware: on the HTML pages, ``?since=&type=`` (a form's empty fields) means
    "not given". The JSON API (``.json`` routes) is strict: an empty date is a 422."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string") and not scope["path"].endswith(".json"):
            pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True, encoding="latin-1")
            kept = [(k, v) for k, v in pairs if v != ""]
            if len(kept) != len(pairs):
                scope = {**scope, "query_string": urlencode(kept, encoding="latin-1").encode("latin-1")}
        await self.app(scope, receive, send)


def http_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL, else None: a link never runs a javascript: URL."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def create_app(settings: WebSettings) -> FastAPI:
    """The app serving the ledger ``settings.db``."""
    app = FastAPI(
        title="factledger",
        version=__version__,
        description="A sourced ledger of conflict events and figures. Every dashboard page "
        "has a JSON twin (`/events` and `/events.json`). Writes need the API token.",
        responses={
            401: {"model": models.Problem, "description": "a token is needed (writes; reads of a private ledger)"},
            503: {"model": models.Problem, "description": "the ledger cannot be opened"},
        },
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(DropEmptyQueryParams)
    limits.install(app)  # outermost: 429/503 with Retry-After under overload (web.limits)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
    templates = Jinja2Templates(env=env)
    templates.env.filters["number"] = format_number
    templates.env.filters["http_url"] = http_url
    templates.env.globals.update(version=__version__, settings=settings)

    def check_read(credentials: Token) -> None:
        if settings.private and not _token_ok(settings, credentials):
            raise HTTPException(401, "this ledger is private: send 'Authorization: Bearer TOKEN'")

    def check_write(credentials: Token) -> None:
        if not settings.api_token:
            raise HTTPException(403, "writes are disabled: set FACTLEDGER_API_TOKEN on the server")
        if not _token_ok(settings, credentials):
            raise HTTPException(401, "a valid API token is needed: send 'Authorization: Bearer TOKEN'")

    # Open reads declare no security in the OpenAPI document; a private ledger's do.
    reads = [Depends(check_read)] if settings.private else []

    @contextmanager
    def ledger() -> Iterator[Ledger]:
        try:
            with Ledger.open(settings.db, create=False) as led:
                yield led
        except FactledgerError as exc:
            raise HTTPException(503, str(exc)) from exc

    def page(request: Request, template: str, data: Any, **extra: Any) -> HTMLResponse:
        context = {"data": data, "nav": template, **extra}
        return templates.TemplateResponse(request, f"{template}.html", context)

    def not_found(request: Request, what: str) -> HTMLResponse:
        response = templates.TemplateResponse(request, "not_found.html", {"what": what, "nav": ""}, status_code=404)
        return response

    # -- overview ------------------------------------------------------------------------

    def overview_data() -> dict[str, Any]:
        with ledger() as led:
            articles = views.article_map(led)
            rows = views.figures(led, min_confidence=REPORT_MIN_CONFIDENCE, articles=articles)
            events = views.events(led, articles=articles)
            denials = views.contradictions(led, articles=articles)
            resolved = views.ledger_contradictions(led)
            counts = {
                "articles": sum(1 for a in articles.values() if a.current),
                "events": len(events),
                "claims": len(rows),
                "statements": led.conn.execute(
                    "SELECT COUNT(*) FROM statements s JOIN articles a ON a.id = s.article_id "
                    "WHERE a.superseded_by IS NULL").fetchone()[0],
                "entities": led.conn.execute("SELECT COUNT(*) FROM ledger_entities").fetchone()[0],
            }
            return {
                "counts": counts,
                "key_figures": views.key_figures(rows),
                "latest_events": events[:OVERVIEW_ROWS],
                "contradictions": resolved[:OVERVIEW_ROWS],
                "denials": denials[:OVERVIEW_ROWS],
            }

    @app.get("/overview.json", response_model=models.Overview, dependencies=reads, tags=["pages"])
    def overview_json() -> dict[str, Any]:
        """Key figures with their sources, latest events, open contradictions."""
        return overview_data()

    @app.get("/", response_class=HTMLResponse, dependencies=reads, tags=["dashboard"], include_in_schema=False)
    @app.get("/overview", response_class=HTMLResponse, dependencies=reads, tags=["dashboard"], include_in_schema=False)
    def overview_page(request: Request) -> HTMLResponse:
        """The overview page (JSON twin: /overview.json)."""
        return page(request, "overview", overview_data())

    # -- events --------------------------------------------------------------------------

    def events_data(type: str | None, actor: str | None, place: str | None, since: date | None,
                    until: date | None, limit: int, offset: int) -> dict[str, Any]:
        filters = views.Filters(since=since, until=until, event_type=type, actor=actor, area=place)
        with ledger() as led:
            rows = views.events(led, filters)
            return {"total": len(rows), "items": rows[offset:offset + limit], "event_types": views.event_types(led)}


    @app.get("/events.json", response_model=models.EventList, dependencies=reads, tags=["pages"])
    def events_json(type: EventType = None, actor: Actor = None, place: Place = None, since: Since = None,
                    until: Until = None, limit: Limit = 200, offset: Offset = 0) -> dict[str, Any]:
        """Events (ACLED-coded), newest first, filtered by type, actor, place and date."""
        return events_data(type, actor, place, since, until, limit, offset)

    @app.get("/events", response_class=HTMLResponse, dependencies=reads, tags=["dashboard"], include_in_schema=False)
    def events_page(request: Request, type: EventType = None, actor: Actor = None, place: Place = None,
                    since: Since = None, until: Until = None, limit: Limit = 200,
                    offset: Offset = 0) -> HTMLResponse:
        """The events page: filters, map, timeline, table (JSON twin: /events.json)."""
        data = events_data(type, actor, place, since, until, limit, offset)
        query = {"type": type or "", "actor": actor or "", "place": place or "",
                 "since": since.isoformat() if since else "", "until": until.isoformat() if until else ""}
        return page(request, "events", data, query=query)

    @app.get("/events/{event_id}.json", response_model=models.EventDetail, dependencies=reads, tags=["pages"],
             responses={404: {"model": models.Problem}})
    def event_json(event_id: str) -> dict[str, Any]:
        """One event with every mention: evidence highlighted in its sentence."""
        with ledger() as led:
            data = views.event_detail(led, event_id)
        if data is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return data

    @app.get("/events/{event_id}", response_class=HTMLResponse, dependencies=reads, tags=["dashboard"], include_in_schema=False,
             responses={404: {"content": {"text/html": {}}}})
    def event_page(request: Request, event_id: str) -> HTMLResponse:
        """The event page (JSON twin: /events/{event_id}.json)."""
        with ledger() as led:
            data = views.event_detail(led, event_id)
        if data is None:
            return not_found(request, f"event {event_id}")
        return page(request, "event", data)

    # -- figures -------------------------------------------------------------------------


    def figures_data(metric: str | None, since: date | None, until: date | None, min_confidence: float) -> dict[str, Any]:
        with ledger() as led:
            everything = views.figures(led, min_confidence=min_confidence)
        metrics = sorted({r["metric"] for r in everything if r["metric"]}, key=views.metric_key)
        filters = views.Filters(since=since, until=until, metric=metric)
        rows = [r for r in everything if (not metric or r["metric"] == metric) and views._in_range(r["date"], filters)]
        return {"metrics": metrics, "series": views.series(rows), "items": rows}

    @app.get("/figures.json", response_model=models.Figures, dependencies=reads, tags=["pages"])
    def figures_json(metric: Metric = None, since: Since = None, until: Until = None,
                     min_confidence: MinConf = REPORT_MIN_CONFIDENCE) -> dict[str, Any]:
        """Figures (claims) and their series per metric and source, with qualifiers and hedges."""
        return figures_data(metric, since, until, min_confidence)

    @app.get("/figures", response_class=HTMLResponse, dependencies=reads, tags=["dashboard"], include_in_schema=False)
    def figures_page(request: Request, metric: Metric = None, since: Since = None, until: Until = None,
                     min_confidence: MinConf = REPORT_MIN_CONFIDENCE) -> HTMLResponse:
        """The figures page: one chart per metric, a series per source (JSON twin: /figures.json)."""
        data = figures_data(metric, since, until, min_confidence)
        return page(request, "figures", data, metric=metric or "")

    # -- entities ------------------------------------------------------------------------


    def entities_data(kind: str | None, name: str | None, limit: int) -> dict[str, Any]:
        with ledger() as led:
            return {"items": views.entities(led, kind=kind, name=name, limit=limit)}

    @app.get("/entities.json", response_model=models.EntityList, dependencies=reads, tags=["pages"])
    def entities_json(kind: Kind = None, name: Name = None, limit: Limit = 200) -> dict[str, Any]:
        """People and organisations across articles: aliases, roles, status timeline."""
        return entities_data(kind, name, limit)

    @app.get("/entities", response_class=HTMLResponse, dependencies=reads, tags=["dashboard"], include_in_schema=False)
    def entities_page(request: Request, kind: Kind = "PERSON", name: Name = None, limit: Limit = 200) -> HTMLResponse:
        """The entities page (JSON twin: /entities.json)."""
        return page(request, "entities", entities_data(kind, name, limit), kind=kind or "", name=name or "")

    # -- sources -------------------------------------------------------------------------

    @app.get("/sources.json", response_model=models.Sources, dependencies=reads, tags=["pages"])
    def sources_json() -> dict[str, Any]:
        """Outlets (who published) and asserting bodies (who is cited)."""
        with ledger() as led:
            return views.sources(led)

    @app.get("/sources", response_class=HTMLResponse, dependencies=reads, tags=["dashboard"], include_in_schema=False)
    def sources_page(request: Request) -> HTMLResponse:
        """The sources page (JSON twin: /sources.json)."""
        with ledger() as led:
            return page(request, "sources", views.sources(led))

    # -- articles ------------------------------------------------------------------------

    @app.get("/articles.json", response_model=models.ArticleList, dependencies=reads, tags=["pages"])
    def articles_json(q: Text = None, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
        """Current articles, newest first, with their counts of facts."""
        with ledger() as led:
            return views.article_list(led, q=q, limit=limit, offset=offset)

    @app.get("/articles", response_class=HTMLResponse, dependencies=reads, tags=["dashboard"], include_in_schema=False)
    def articles_page(request: Request, q: Text = None, limit: Limit = 100, offset: Offset = 0) -> HTMLResponse:
        """The articles page (JSON twin: /articles.json)."""
        with ledger() as led:
            return page(request, "articles", views.article_list(led, q=q, limit=limit, offset=offset), q=q or "")

    @app.get("/articles/{article_id}.json", response_model=models.ArticleDetail, dependencies=reads,
             tags=["pages"], responses={404: {"model": models.Problem}})
    def article_json(article_id: str) -> dict[str, Any]:
        """One article: its text and the spans of every extracted fact."""
        with ledger() as led:
            data = views.article_detail(led, article_id)
        if data is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return data

    @app.get("/articles/{article_id}", response_class=HTMLResponse, dependencies=reads, tags=["dashboard"], include_in_schema=False,
             responses={404: {"content": {"text/html": {}}}})
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        """The article page with its facts highlighted inline (JSON twin: /articles/{article_id}.json)."""
        with ledger() as led:
            data = views.article_detail(led, article_id)
        if data is None:
            return not_found(request, f"article {article_id}")
        return page(request, "article", data, segments=segments(data["text"], data["spans"]))

    # -- writes --------------------------------------------------------------------------

    writes = [Depends(check_write)]
    write_errors: dict[int | str, dict[str, Any]] = {
        400: {"model": models.Problem, "description": "the body is not JSON"},
        403: {"model": models.Problem, "description": "writes are disabled (no API token configured)"},
    }

    @app.post("/api/articles", response_model=models.IngestResult, dependencies=writes, tags=["api"],
              responses={**write_errors, 413: {"model": models.Problem, "description": "the body is too large"},
                         500: {"model": models.Problem, "description": "extraction failed"}})
    def post_article(body: models.ArticleIn) -> dict[str, Any]:
        """Extract one article and store it in the ledger (needs the API token). An article
        over a limit (size, sentences, the time budget FACTLEDGER_TIME_LIMIT) gets 422 naming it."""
        from .ingest import ingest_one

        with ledger() as led:
            return ingest_one(led, body, time_limit=settings.time_limit)

    @app.post("/api/aliases", response_model=models.AliasResult, dependencies=writes, tags=["api"],
              responses={**write_errors, 404: {"model": models.Problem}, 409: {"model": models.Problem}})
    def post_alias(body: models.AliasIn) -> dict[str, Any]:
        """Make ``alias`` a name of the entity called ``name`` (needs the API token)."""
        with ledger() as led:
            try:
                entity_id = led.add_alias(body.alias, body.name, kind=body.kind)
            except FactledgerError as exc:
                # No such entity: 404. Several entities of that name (give kind), or a name the
                # alias table cannot key: 409, a conflict with the table as it is.
                status = 404 if "no entity" in str(exc) else 409
                raise HTTPException(status, str(exc)) from exc
        return {"entity_id": entity_id, "alias": body.alias}

    if settings.api_token:
        from .ingest import warm_up

        app.router.on_startup.append(warm_up)
    app.state.settings = settings
    return app
