"""The concurrency limiter (web.limits): over its limits a request gets 429 (writes) or
503 (everything) with Retry-After, at once, and the server goes on serving."""

from __future__ import annotations

import asyncio

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
