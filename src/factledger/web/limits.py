"""Graceful degradation under load: a concurrency limiter in front of the web app.

At most ``max_requests`` requests are served at once, and at most ``max_writes`` writes
(POST: each extracts an article, which takes a CPU for about a second). A request that
cannot start within ``queue_seconds`` is answered at once instead of piling up:

- a write over the write limit: **429** Too Many Requests (the client should slow down);
- any request over the total limit: **503** Service Unavailable (the server is busy);

both with a ``Retry-After`` header (seconds) and a JSON ``{"detail": ...}`` body, never a
crash or an unbounded queue. A write body over ``MAX_BODY_BYTES`` gets **413**: at once when
its Content-Length says so, else as soon as the bytes read pass the limit, so no request
makes the server hold more than that in memory. Settings are declared once below (name, environment
variable, default, help), like ``web.settings``.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..ingest.readers import MAX_ARTICLE_CHARS

LIMIT_SETTINGS: tuple[tuple[str, str, str, str], ...] = (
    ("max_requests", "FACTLEDGER_MAX_REQUESTS", "32",
     "Requests served at once; more wait up to FACTLEDGER_QUEUE_SECONDS, then get 503."),
    ("max_writes", "FACTLEDGER_MAX_WRITES", "2",
     "Writes (POST) served or waiting at once; more get 429 after FACTLEDGER_QUEUE_SECONDS."),
    ("queue_seconds", "FACTLEDGER_QUEUE_SECONDS", "2",
     "How long a request may wait for a free slot before it is refused."),
    ("retry_after", "FACTLEDGER_RETRY_AFTER", "2", "The Retry-After value (seconds) sent with 429 and 503."),
)
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How often a waiting request looks for a free slot.
_POLL_SECONDS = 0.01
# The largest write body: an article of the most characters the API takes, each written as
# a JSON surrogate-pair escape (12 bytes), plus 64 KiB for the other fields. A larger body
# cannot be a valid request.
MAX_BODY_BYTES = 12 * MAX_ARTICLE_CHARS + 64 * 1024
_TOO_LARGE = f"the request body is over the limit of {MAX_BODY_BYTES:,} bytes"


@dataclass(frozen=True)
class Limits:
    max_requests: int = 32
    max_writes: int = 2
    queue_seconds: float = 2.0
    retry_after: int = 2

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """Limits from the environment (``os.environ`` by default); a bad value is a ValueError naming it."""
        env = os.environ if env is None else env
        values: dict[str, float | int] = {}
        for name, var, default, _help in LIMIT_SETTINGS:
            raw = env.get(var, default)
            try:
                value = float(raw) if name == "queue_seconds" else int(raw)
            except ValueError:
                raise ValueError(f"{var}={raw!r} is not a number") from None
            if value < (0 if name == "queue_seconds" else 1):
                raise ValueError(f"{var}={raw!r} is too small")
            values[name] = value
        return cls(**values)  # type: ignore[arg-type]


class ConcurrencyLimit:
    """ASGI middleware enforcing ``Limits`` (see the module doc)."""

    def __init__(self, app: ASGIApp, limits: Limits | None = None) -> None:
        self.app = app
        self.limits = limits or Limits.from_env()
        self._all: asyncio.Semaphore | None = None
        self._writes: asyncio.Semaphore | None = None
        self.refused = {429: 0, 503: 0}

    def _semaphores(self) -> tuple[asyncio.Semaphore, asyncio.Semaphore]:
        # Created on first use, inside the server's event loop.
        if self._all is None or self._writes is None:
            self._all = asyncio.Semaphore(self.limits.max_requests)
            self._writes = asyncio.Semaphore(self.limits.max_writes)
        return self._all, self._writes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        every, writes = self._semaphores()
        held: list[asyncio.Semaphore] = []
        if scope["method"] not in _READ_METHODS:
            if _declared_length(scope) > MAX_BODY_BYTES:
                await self._refuse(send, 413, _TOO_LARGE)
                return
            receive = _bounded(receive, MAX_BODY_BYTES)
        try:
            if scope["method"] not in _READ_METHODS:
                if not await self._acquire(writes):
                    await self._refuse(send, 429, "too many writes at once: retry later")
                    return
                held.append(writes)
            if not await self._acquire(every):
                await self._refuse(send, 503, "the server is busy: retry later")
                return
            held.append(every)
            await self.app(scope, receive, send)
        finally:
            for sem in held:
                sem.release()

    async def _acquire(self, sem: asyncio.Semaphore) -> bool:
        """Take a slot, waiting up to ``queue_seconds``. Polls instead of
        ``wait_for(sem.acquire())``, whose cancellation can lose a slot on Python 3.11;
        ``acquire`` on an unlocked semaphore returns without yielding, so no race."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.queue_seconds
        while sem.locked():
            if loop.time() >= deadline:
                return False
            await asyncio.sleep(_POLL_SECONDS)
        await sem.acquire()
        return True

    async def _refuse(self, send: Send, status: int, detail: str) -> None:
        self.refused[status] = self.refused.get(status, 0) + 1
        body = json.dumps({"detail": detail}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        if status in (429, 503):
            headers.append((b"retry-after", str(self.limits.retry_after).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _declared_length(scope: Scope) -> int:
    """The request's Content-Length (0 when absent or not a number: then ``_bounded`` counts)."""
    for key, value in scope.get("headers", ()):
        if key.lower() == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


def _bounded(receive: Receive, limit: int) -> Receive:
    """``receive`` that raises 413 once the body read so far is over ``limit`` bytes
    (FastAPI passes an HTTPException from the body reader through as the response)."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, _TOO_LARGE)
        return message

    return wrapped


def install(app: ASGIApp, limits: Limits | None = None) -> None:
    """Put the limiter in front of a FastAPI/Starlette ``app`` (outermost middleware)."""
    # Read the environment now: a bad value fails at start-up, not on the first request.
    app.add_middleware(ConcurrencyLimit, limits=limits or Limits.from_env())  # type: ignore[attr-defined]
