"""Access and output safety of the web app, driven by its own OpenAPI document:

- every write route refuses a missing, wrong, malformed or other-scheme token (401) and
  every write when no token is configured (403); every read route is closed (401) when
  the ledger is private, and open with the token;
- hostile article fields (script tags, event-handler attributes, attribute breaking,
  ``</script>`` inside the page data, javascript:/data: URLs) never become markup: each
  page is parsed and checked structurally, not by substring.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install 'factledger[web]'")

from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from factledger.records import Article  # noqa: E402
from factledger.store.sqlite import Ledger  # noqa: E402
from factledger.web.app import create_app, http_url  # noqa: E402
from factledger.web.settings import WebSettings  # noqa: E402

TOKEN = "s3cret-token"


def _routes(app) -> list[tuple[str, str]]:
    spec = TestClient(app).get("/openapi.json").json()
    return [(method.upper(), path) for path, ops in spec["paths"].items() for method in ops]


def _page_routes(app) -> list[str]:
    """Every GET route of the app, the HTML pages included (they are left out of the OpenAPI
    document, which covers the JSON API)."""
    from fastapi.routing import APIRoute

    return [r.path for r in app.routes if isinstance(r, APIRoute) and "GET" in r.methods]


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def test_every_write_route_needs_the_token(demo_db, tmp_path):
    db = tmp_path / "w.db"
    db.write_bytes(demo_db.read_bytes())
    app = create_app(WebSettings(db=str(db), api_token=TOKEN))
    client = TestClient(app)
    writes = [(m, p) for m, p in _routes(app) if m not in ("GET", "HEAD")]
    assert {p for _, p in writes} >= {"/api/articles", "/api/aliases"}
    bad_headers = [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
        {"Authorization": "Bearer "},
        {"X-Api-Token": TOKEN},
    ]
    for method, path in writes:
        for headers in bad_headers:
            r = client.request(method, _concrete(path), json={"text": "x", "alias": "a", "name": "b"}, headers=headers)
            assert r.status_code == 401, (method, path, headers, r.status_code)
        closed = TestClient(create_app(WebSettings(db=str(db))))
        r = closed.request(method, _concrete(path), json={}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 403, (method, path)
    # The right token passes the check (a 4xx about the body, not about the token).
    r = client.post("/api/aliases", json={"alias": "X", "name": "Nobody"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 404


def test_every_read_route_is_closed_when_private(demo_db):
    app = create_app(WebSettings(db=str(demo_db), api_token=TOKEN, private=True))
    client = TestClient(app)
    documented = {p for m, p in _routes(app) if m == "GET"}
    reads = _page_routes(app)
    assert documented <= set(reads) and len(documented) >= 8
    assert len(reads) >= 16
    for path in reads:
        url = _concrete(path)
        assert client.get(url).status_code == 401, path
        assert client.get(url, headers={"Authorization": "Bearer nope"}).status_code == 401, path
        assert client.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).status_code in (200, 404), path


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.sampled_from([
    "javascript:alert(1)", " JaVaScRiPt:alert(1)", "\njavascript:x", "java\tscript:x", "data:text/html,<b>",
    "vbscript:x", "//evil.example/x", "http://ok.example/a", "HTTPS://OK.example", "https:javascript:x",
])))
def test_links_are_only_ever_http_urls(url):
    out = http_url(url)
    assert out is None or urlsplit(out).scheme.lower() in ("http", "https")


HOSTILE = {
    "title": 'Strike "><svg onload=alert(1)> \' onmouseover=\'alert(2)',
    "source": "Wire</title><script>alert(3)</script>",
    "url": " JaVaScRiPt:alert(4)",
}
HOSTILE_TEXT = (
    "Strike on Dravna</script><script>alert(5)</script>\n\n"
    "An air strike killed at least 12 people in Dravna on Monday, the health ministry said. "
    '<img src=x onerror=alert(6)> <a href="javascript:alert(7)">x</a>\n\n'
    'The army said {{ 7*7 }} and "</script><!--" that it had struck the market.'
)


class _Markup(HTMLParser):
    """Collects what would run: event-handler attributes, script elements, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: list[str] = []
        self.scripts: list[str] = []
        self.urls: list[str] = []
        self._in_script: list[str] = []
        self._data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}={value}")
            # "data:," is the template's own empty favicon (base.html), not from data.
            if name in ("href", "src", "action", "formaction") and value and value != "data:,":
                if urlsplit(value.strip()).scheme.lower() not in ("", "http", "https"):
                    self.urls.append(f"{tag} {name}={value}")
        if tag == "script":
            self._in_script.append(dict(attrs).get("type") or "")
            self._data = []
        if tag in ("svg", "iframe", "object", "embed", "img") and self._in_script == []:
            self.scripts.append(f"<{tag}>")

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self._data.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script:
            kind = self._in_script.pop()
            body = "".join(self._data)
            if kind != "application/json" and "alert(" in body:
                self.scripts.append(body[:80])


def test_hostile_article_fields_never_become_markup(tmp_path, extractor):
    article = Article.create(HOSTILE_TEXT, title=HOSTILE["title"], source=HOSTILE["source"], url=HOSTILE["url"])
    db = tmp_path / "evil.db"
    with Ledger.open(db) as ledger:
        ledger.add(article, extractor.extract(article)[1:])
    client = TestClient(create_app(WebSettings(db=str(db))))
    pages = ["/", "/events", "/figures", "/entities?kind=ORG", "/entities?kind=GPE", "/sources", "/articles",
             f"/articles/{article.id}"]
    pages += [f"/events/{e['id']}" for e in client.get("/events.json").json()["items"]]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        markup = _Markup()
        markup.feed(response.text)
        assert markup.handlers == [], path
        assert markup.scripts == [], path
        assert markup.urls == [], path
    detail = client.get(f"/articles/{article.id}.json").json()
    assert detail["text"] == HOSTILE_TEXT  # the JSON twin keeps the text as data


def test_the_markup_checker_finds_what_would_run():
    markup = _Markup()
    markup.feed('<p onclick="x">a</p><script>alert(1)</script><a href=" javascript:alert(2)">b</a><svg></svg>'
                '<script type="application/json">{"a": "alert(3)"}</script><link href="data:,">')
    assert markup.handlers == ["p onclick=x"]
    assert markup.scripts == ["alert(1)", "<svg>"]
    assert markup.urls == ["a href= javascript:alert(2)"]
