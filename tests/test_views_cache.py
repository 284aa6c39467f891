"""The views' cache follows the ledger: new articles, revisions and alias edits are seen at once."""

from __future__ import annotations

from datetime import date

from factledger.outputs import views
from factledger.records import Article
from factledger.store.sqlite import Ledger


def test_cached_views_follow_ledger_changes(demo_db, tmp_path, extractor):
    db = tmp_path / "c.db"
    db.write_bytes(demo_db.read_bytes())
    with Ledger.open(db, create=False) as ledger:
        before = len(views.events(ledger))
        claims_before = len(views.figures(ledger))
        people = [e["name"] for e in views.entities(ledger, kind="ORG")]
        article = Article.create(
            "Shelling kills 6 in Selvik\n\nShelling killed six people in Selvik on Friday, the Kestrian army said.",
            published=date(2031, 3, 21), source="Test Wire")
        ledger.add(article, extractor.extract(article)[1:])
        assert len(views.events(ledger)) > before
        assert len(views.figures(ledger)) > claims_before
        assert article.id in views.article_map(ledger)
        # "NLF" already joins "Northern Liberation Front" at extraction (an acronym of a name in the
        # same article): merge another organisation by hand
        other = next(n for n in people if n != "Northern Liberation Front")
        ledger.merge_entities("Northern Liberation Front", other, kind="ORG")
        after = [e["name"] for e in views.entities(ledger, kind="ORG")]
        assert ("Northern Liberation Front" in people) and (other not in after)
