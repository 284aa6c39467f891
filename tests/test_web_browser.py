"""The dashboard in headless Chromium (Debian's chromium + Playwright's Python client).

Skipped, with the reason, when /usr/bin/chromium or playwright is absent (a user's
machine); CI installs both (.ci/run). Every request the pages make is recorded and must
stay on 127.0.0.1: the dashboard works offline.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("FACTLEDGER_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install playwright")
pytest.importorskip("fastapi", reason="the web extra is not installed: pip install 'factledger[web]'")

from playwright.sync_api import sync_playwright  # noqa: E402

from factledger.records import Article  # noqa: E402
from factledger.store.sqlite import Ledger  # noqa: E402
from factledger.web.server import running_server  # noqa: E402
from factledger.web.settings import WebSettings  # noqa: E402
from web_malicious import malicious_article_fields  # noqa: E402

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def base_url(demo_db):
    with running_server(WebSettings(db=str(demo_db))) as url:
        yield url


class Watched:
    """A page whose console errors, page errors and requests are recorded."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def goto(self, url: str):
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None and response.ok, url
        return self.page

    def check(self) -> None:
        assert not self.errors, f"console errors: {self.errors}"
        outside = [u for u in self.requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
                   and urlparse(u).hostname not in LOCAL_HOSTS]
        assert not outside, f"requests left localhost: {outside}"
        assert not self.dialogs, f"a script ran: {self.dialogs}"

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.check()
    w.close()


@pytest.mark.parametrize("path", ["/", "/events", "/figures", "/entities", "/sources", "/articles"])
def test_pages_render_with_demo_data(watched, base_url, path):
    page = watched.goto(base_url + path)
    assert page.locator("h1").first.is_visible()
    assert page.locator("table tbody tr, .keyfigure").count() > 0


@pytest.fixture(scope="module")
def mapped_url(tmp_path_factory, extractor):
    """A ledger whose event is at a real place: the demo's invented towns have no coordinates."""
    from datetime import date

    path = tmp_path_factory.mktemp("mapped") / "mapped.db"
    article = Article.create(
        "Israeli air strikes hit a house in Khan Younis on Tuesday, killing three people, medics said.",
        title="Strike kills three in Khan Younis", published=date(2024, 1, 3), source="Test Wire",
    )
    with Ledger.open(path) as ledger:
        ledger.add(article, extractor.extract(article)[1:])
    with running_server(WebSettings(db=str(path))) as url:
        yield url


def test_events_map_shows_markers_over_offline_outlines(watched, mapped_url):
    page = watched.goto(mapped_url + "/events")
    page.wait_for_selector("#map[data-outlines=loaded]")
    markers = page.locator("path.event-marker")
    assert markers.count() == int(page.locator("#mapped-count").inner_text()) > 0
    assert page.locator("path.country-outline").count() > 100  # the vendored world outlines
    bars = page.evaluate("Chart.getChart('timeline').data.datasets[0].data.length")
    assert bars > 0


def test_event_filters_work(watched, base_url):
    page = watched.goto(base_url + "/events")
    before = page.locator("table.events tbody tr").count()
    page.select_option("select[name=type]", "Air/drone strike")
    with page.expect_navigation(wait_until="networkidle"):
        page.click("form.filters button[type=submit]")
    rows = page.locator("table.events tbody tr")
    assert 0 < rows.count() < before
    for text in rows.locator("td:nth-child(2) a").all_inner_texts():
        assert text == "Air/drone strike"
    assert "type=Air%2Fdrone+strike" in page.url or "type=Air/drone" in page.url


def test_figures_chart_shows_series_by_source(watched, base_url):
    page = watched.goto(base_url + "/figures?metric=killed")
    page.wait_for_selector(".figure-chart canvas")
    datasets = page.evaluate(
        "window.factledgerCharts[0].data.datasets.map(d => ({label: d.label, n: d.data.length}))"
    )
    assert len(datasets) >= 2 and all(d["n"] > 0 for d in datasets)


def test_event_detail_highlights_evidence(watched, base_url):
    page = watched.goto(base_url + "/events")
    page.locator("table.events tbody tr td:nth-child(2) a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("blockquote.mention mark").count() > 0


def test_article_page_highlights_facts(watched, base_url):
    page = watched.goto(base_url + "/articles")
    page.locator("table.articles tbody tr td:nth-child(2) a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("article.text .hl-claim, article.text .hl-event").count() > 0


def test_malicious_article_runs_no_script(browser, tmp_path, extractor):
    article = Article.create(**malicious_article_fields())  # type: ignore[arg-type]
    db = tmp_path / "evil.db"
    with Ledger.open(db) as ledger:
        ledger.add(article, extractor.extract(article)[1:])
    with running_server(WebSettings(db=str(db))) as url:
        w = Watched(browser)
        try:
            for path in ("/", "/articles", f"/articles/{article.id}", "/events", "/sources", "/entities?kind=ORG"):
                page = w.goto(url + path)
                assert page.evaluate("window.__pwned === undefined"), path
            assert "<script>" in page.locator("body").inner_text() or path != f"/articles/{article.id}"
            w.check()
        finally:
            w.close()
