"""Live feeds against a fake feed server on 127.0.0.1 (no other address is ever contacted):
conditional GET (304), no page fetched twice across restarts, per-item and per-feed errors,
backoff."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from factledger import cli
from factledger.ingest.feeds import FeedError, parse_feed
from factledger.ingest.watch import Watcher
from factledger.store.sqlite import Ledger

PAGE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>A drone strike killed at least {n} people in the port town of Miren on Monday, the Kestrian
Red Cross said, adding that rescue teams were still searching the rubble for survivors.</p>
<p>The Northern Liberation Front denied responsibility for the attack in a statement on Tuesday,
and said its fighters had withdrawn from the coast a week before the strike took place.</p>
<p>Officials said the dead included {n} civilians, among them children, and that dozens were
wounded. Hospitals in the district reported shortages of fuel and medicine.</p>
</article></body></html>"""


def _rss(items: list[tuple[str, str]]) -> str:
    body = "".join(
        f"<item><title>{title}</title><link>/{slug}.html</link><guid isPermaLink='false'>{slug}</guid>"
        f"<pubDate>Mon, 10 Mar 2031 08:00:00 GMT</pubDate></item>"
        for slug, title in items
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Meridian Wire</title>{body}</channel></rss>"


class FakeSite:
    """Feeds and pages served from dicts; counts every request by path."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, str]] = {}  # path -> (content type, body)
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.requests[self.path] += 1
                if self.path not in site.files:
                    self.send_error(404)
                    return
                kind, body = site.files[self.path]
                etag = f'"{abs(hash(body))}"'
                if self.headers.get("If-None-Match") == etag:
                    site.not_modified[self.path] += 1
                    self.send_response(304)
                    self.end_headers()
                    return
                data = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def page(self, slug: str, title: str, n: int) -> None:
        self.files[f"/{slug}.html"] = ("text/html; charset=utf-8", PAGE.format(title=title, n=n))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    s = FakeSite()
    yield s
    s.close()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2031, 3, 10, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _kinds(events) -> list[tuple[str, str | None]]:
    return [(e.kind, e.item.rsplit("/", 1)[-1] if e.item else None) for e in events]


def test_poll_fetches_new_items_once_and_uses_conditional_get(site, extractor, db_target):
    site.page("a", "Strike on Miren", 9)
    site.page("b", "Front denies strike", 4)
    site.files["/feed.xml"] = ("application/rss+xml", _rss([("a", "Strike on Miren"), ("b", "Front denies"),
                                                            ("gone", "Deleted story")]))
    feed = site.base + "/feed.xml"
    clock = Clock()
    with Ledger.open(db_target) as led:
        events = list(Watcher(led, extractor=extractor, clock=clock).run([feed], once=True))
        assert _kinds(events) == [("added", "a.html"), ("added", "b.html"), ("failed", "gone.html")]
        assert "HTTP 404" in events[2].error
        (article,) = [a for a in led.articles() if a.url == site.base + "/a.html"]
        assert article.title == "Strike on Miren" and article.published == "2031-03-10"
        assert any(c["value"]["best"] == 9 for c in led.claims())
    # A restart (a new process would open the ledger the same way): 304, no page fetched again.
    with Ledger.open(db_target) as led:
        clock.now += timedelta(hours=1)
        events = list(Watcher(led, extractor=extractor, clock=clock).run([feed], once=True))
        assert _kinds(events) == [("not_modified", None)]
    assert site.not_modified["/feed.xml"] == 1
    assert site.requests == Counter({"/feed.xml": 2, "/a.html": 1, "/b.html": 1, "/gone.html": 1})
    # The feed changes: only the new item and the failed one (a retry) are fetched.
    site.page("c", "Ceasefire proposal", 0)
    site.files["/feed.xml"] = ("application/rss+xml", _rss([("c", "Ceasefire"), ("a", "Strike on Miren"),
                                                            ("gone", "Deleted story")]))
    with Ledger.open(db_target) as led:
        clock.now += timedelta(hours=1)
        events = list(Watcher(led, extractor=extractor, clock=clock).run([feed], once=True))
        assert _kinds(events) == [("added", "c.html"), ("failed", "gone.html")]
        assert led.counts()["articles"] == 3
    assert site.requests["/a.html"] == 1 and site.requests["/c.html"] == 1 and site.requests["/gone.html"] == 2


def test_a_malformed_feed_backs_off_and_the_other_feed_goes_on(site, extractor, tmp_path):
    site.page("a", "Strike on Miren", 9)
    site.files["/good.xml"] = ("application/rss+xml", _rss([("a", "Strike on Miren")]))
    site.files["/bad.xml"] = ("application/rss+xml", "<rss><channel><item>")
    feeds = [site.base + "/bad.xml", site.base + "/good.xml"]
    clock = Clock()
    with Ledger.open(tmp_path / "l.db") as led:
        watcher = Watcher(led, extractor=extractor, clock=clock, interval=600)
        events = list(watcher.run(feeds, once=True))
        assert [e.kind for e in events] == ["feed_error", "added"]
        assert "not well-formed XML" in events[0].error and "0:20:00" in events[0].error  # 2 x 600 s
        clock.now += timedelta(minutes=10)  # still backing off: not fetched
        assert [e.kind for e in watcher.run(feeds, once=True)] == ["backoff", "not_modified"]
        assert site.requests["/bad.xml"] == 1
        clock.now += timedelta(minutes=11)  # backoff over: fetched, fails again, waits twice as long
        events = list(watcher.run(feeds[:1], once=True))
        assert events[0].kind == "feed_error" and "0:40:00" in events[0].error
        assert site.requests["/bad.xml"] == 2


def test_parse_rss_atom_and_refuse_entities():
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
      <entry><id>urn:1</id><title>One</title><link rel="alternate" href="https://x.example/1"/>
      <published>2031-03-10T08:00:00Z</published></entry>
      <entry><id>urn:2</id><title>No link</title></entry></feed>"""
    feed = parse_feed(atom)
    assert [(i.key, i.url, i.title, str(i.published)) for i in feed.items] == [
        ("urn:1", "https://x.example/1", "One", "2031-03-10")]
    assert feed.problems == ("entry 2 has no link; skipped",)
    rss = parse_feed(_rss([("a", "A")]).encode(), base_url="http://127.0.0.1:1/feeds/main.xml")
    assert rss.items[0].url == "http://127.0.0.1:1/a.html" and rss.items[0].key == "a"
    with pytest.raises(FeedError, match="entities"):
        parse_feed(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel/></rss>')
    with pytest.raises(FeedError, match="neither RSS nor Atom"):
        parse_feed(b"<html><body>not a feed</body></html>")


def test_watch_cli_once(site, extractor, monkeypatch, tmp_path):
    import factledger.nlp.pipeline as pipeline

    monkeypatch.setattr(pipeline, "Extractor", lambda **_: extractor)
    site.page("a", "Strike on Miren", 9)
    site.files["/feed.xml"] = ("application/rss+xml", _rss([("a", "Strike on Miren")]))
    db = str(tmp_path / "l.db")
    runner = CliRunner()
    result = runner.invoke(cli.cli, ["watch", site.base + "/feed.xml", "--once", "--db", db])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"added {site.base}/a.html\n"
    result = runner.invoke(cli.cli, ["watch", site.base + "/feed.xml", site.base + "/missing.xml", "--once",
                                     "--db", db])
    assert result.exit_code == 1
    assert "not modified" in result.stderr and "missing.xml: HTTP 404" in result.stderr
