"""The concurrency limiter (web.limits): over its limits a request gets 429 (writes) or
503 (everything) with Retry-After, at once, and the server goes on serving."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install 'factledger[web]'")

import httpx  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from factledger.web.app import create_app  # noqa: E402
from factledger.web.limits import ConcurrencyLimit, Limits  # noqa: E402
from factledger.web.settings import WebSettings  # noqa: E402


async def _slow(request):
    await asyncio.sleep(float(request.query_params.get("s", "0.5")))
    return JSONResponse({"ok": True})


def _app(limits: Limits) -> ConcurrencyLimit:
    inner = Starlette(routes=[Route("/slow", _slow, methods=["GET", "POST"])])
    return ConcurrencyLimit(inner, limits)


async def _burst(app, method: str, n: int) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await asyncio.gather(*(client.request(method, "/slow") for _ in range(n)))


def test_over_the_request_limit_is_503_with_retry_after():
    app = _app(Limits(max_requests=2, max_writes=2, queue_seconds=0.1, retry_after=7))
    responses = asyncio.run(_burst(app, "GET", 6))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 200, 503, 503, 503, 503]
    refused = [r for r in responses if r.status_code == 503]
    assert all(r.headers["retry-after"] == "7" and "busy" in r.json()["detail"] for r in refused)
    assert app.refused == {429: 0, 503: 4}
    # The slots are given back: the next burst is served again.
    assert sorted(r.status_code for r in asyncio.run(_burst(app, "GET", 2))) == [200, 200]


def test_over_the_write_limit_is_429_and_reads_still_pass():
    app = _app(Limits(max_requests=10, max_writes=1, queue_seconds=0.1, retry_after=3))

    async def mixed():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            writes = [client.post("/slow") for _ in range(3)]
            reads = [client.get("/slow", params={"s": "0.01"}) for _ in range(3)]
            return await asyncio.gather(*writes, *reads)

    responses = asyncio.run(mixed())
    assert sorted(r.status_code for r in responses[:3]) == [200, 429, 429]
    assert all(r.headers["retry-after"] == "3" for r in responses[:3] if r.status_code == 429)
    assert [r.status_code for r in responses[3:]] == [200, 200, 200]


def test_a_waiting_request_is_served_when_a_slot_frees_in_time():
    app = _app(Limits(max_requests=1, max_writes=1, queue_seconds=3, retry_after=1))
    assert [r.status_code for r in asyncio.run(_burst(app, "GET", 3))] == [200, 200, 200]


@pytest.mark.parametrize("env", [{"FACTLEDGER_MAX_REQUESTS": "many"}, {"FACTLEDGER_MAX_WRITES": "0"},
                                 {"FACTLEDGER_QUEUE_SECONDS": "-1"}])
def test_bad_limit_settings_are_refused_naming_the_variable(env):
    with pytest.raises(ValueError, match=next(iter(env))):
        Limits.from_env(env)


def test_the_app_has_the_limiter_outermost(tmp_path):
    app = create_app(WebSettings(db=str(tmp_path / "none.db")))
    assert app.user_middleware[0].cls is ConcurrencyLimit


@pytest.fixture
def writable(demo_db, tmp_path, extractor, monkeypatch):
    """A copy of the demo ledger served with writes on, sharing the session's extractor."""
    from factledger.web import ingest

    monkeypatch.setattr(ingest, "_extractors", [extractor])
    db = tmp_path / "w.db"
    db.write_bytes(demo_db.read_bytes())
    return db


_AUTH = {"Authorization": "Bearer t"}
_BODY = {"text": "Shelling kills 4 in Selvik\n\nShelling killed four people in Selvik on Monday.",
         "published": "2031-03-21"}


def test_a_posted_article_over_the_time_budget_is_422_naming_it(writable, monkeypatch):
    from fastapi.testclient import TestClient

    from factledger.nlp import entities

    real = entities.find_entities
    monkeypatch.setattr(entities, "find_entities", lambda ctx: (time.sleep(2), real(ctx))[1])
    client = TestClient(create_app(WebSettings(db=str(writable), api_token="t", time_limit=0.5)))
    slow = client.post("/api/articles", json=_BODY, headers=_AUTH)
    assert slow.status_code == 422, slow.text
    assert slow.json()["detail"] == "POST /api/articles: over the time budget of 0.5 s per article"
    monkeypatch.setattr(entities, "find_entities", real)
    ok = client.post("/api/articles", json=_BODY, headers=_AUTH)
    assert ok.status_code == 200 and ok.json()["outcome"] == "added"  # nothing of the slow one was stored


def test_a_posted_article_over_the_sentence_limit_is_422_naming_it(writable, monkeypatch):
    from fastapi.testclient import TestClient

    from factledger.nlp import pipeline

    monkeypatch.setattr(pipeline, "MAX_SENTENCES", 2)
    client = TestClient(create_app(WebSettings(db=str(writable), api_token="t")))
    many = client.post("/api/articles", json={"text": "One. Two. Three. Four."}, headers=_AUTH)
    assert many.status_code == 422
    assert many.json()["detail"].startswith("POST /api/articles: article has 4 sentences, over the limit of 2")


def test_a_write_body_over_the_byte_limit_is_413_declared_or_streamed(writable, monkeypatch):
    from fastapi.testclient import TestClient

    from factledger.web import limits

    monkeypatch.setattr(limits, "MAX_BODY_BYTES", 1000)
    client = TestClient(create_app(WebSettings(db=str(writable), api_token="t")))
    big = {"text": "Four people were killed. " * 100}
    declared = client.post("/api/articles", json=big, headers=_AUTH)
    assert declared.status_code == 413 and "over the limit" in declared.json()["detail"]
    assert "retry-after" not in declared.headers  # retrying the same body cannot help
    payload = json.dumps(big).encode()
    streamed = client.post("/api/articles", content=iter([payload[:600], payload[600:]]),
                           headers={**_AUTH, "Content-Type": "application/json"})
    assert streamed.status_code == 413, streamed.text
    assert client.get("/events.json").status_code == 200  # reads have no body limit; the server is fine


def test_the_byte_limit_admits_the_largest_valid_article():
    from factledger.ingest.readers import MAX_ARTICLE_CHARS
    from factledger.web import limits

    worst = json.dumps({"text": "\U0001F600" * MAX_ARTICLE_CHARS, "title": "\U0001F600" * 2000,
                        "source": "\U0001F600" * 500, "url": "\U0001F600" * 2000,
                        "published": "2031-03-21"})  # ensure_ascii: 12 bytes a character
    assert len(worst.encode()) <= limits.MAX_BODY_BYTES
