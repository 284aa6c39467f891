"""Take a screenshot of every dashboard page, served from the demo ledger, into docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--db LEDGER] [--out docs/screenshots]

Needs Debian's chromium (/usr/bin/chromium) and the playwright Python package (never
`playwright install`: the system browser is used). Without --db the demo corpus is
ingested into a temporary ledger first (about 30 s).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from factledger.demo import run_demo
from factledger.store.sqlite import Ledger
from factledger.web.server import running_server
from factledger.web.settings import WebSettings

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pages(db: Path) -> list[tuple[str, str]]:
    """(file name, path) of every page to shoot; detail pages pick a multi-report event and a rich article."""
    from factledger.outputs import views

    with Ledger.open(db, create=False) as ledger:
        events = views.events(ledger)
        event = max(events, key=lambda e: (e["reports"], e["lat"] is not None, e["fatalities"] or 0))
        articles = views.article_list(ledger, limit=1000)["items"]
        article = max(articles, key=lambda a: a["claims"] + a["events"] + a["statements"])
    return [
        ("overview", "/"),
        ("events", "/events"),
        ("event", f"/events/{event['id']}"),
        ("figures", "/figures?metric=killed"),
        ("entities", "/entities?kind=PERSON"),
        ("sources", "/sources"),
        ("articles", "/articles"),
        ("article", f"/articles/{article['article_id']}"),
    ]


def shoot(db: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with running_server(WebSettings(db=str(db))) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name, path in pages(db):
            page.goto(base + path, wait_until="networkidle")
            if name == "events":
                page.wait_for_selector("#map[data-outlines=loaded]")
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=name == "overview")
            written.append(target)
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="ledger to serve (default: the demo corpus, ingested now)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    args = parser.parse_args()
    if args.db is not None:
        written = shoot(args.db, args.out)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "demo.db"
            run_demo(db=db)
            written = shoot(db, args.out)
    for path in written:
        print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
