"""The situation report in HTML and PDF, and its --since/--area scope, on the demo ledger."""

from __future__ import annotations

import io
from datetime import date

import pytest
from click.testing import CliRunner

from factledger import cli
from factledger.outputs import sitrep
from factledger.outputs.charts import layout, to_svg
from factledger.outputs.report import build_report
from factledger.records import Article
from factledger.store.sqlite import Ledger
from web_malicious import PAYLOAD, malicious_article_fields


def test_markdown_scope_since_and_area(demo_db):
    with Ledger.open(demo_db, create=False) as ledger:
        everything = build_report(ledger)
        recent = build_report(ledger, since=date(2031, 3, 10))
        selvik = build_report(ledger, area="Selvik")
    assert "## Key figures at a glance" in everything and "## People detained" in everything
    assert "### 2031-03-02" in everything and "### 2031-03-02" not in recent
    assert "Limited to records dated on or after 2031-03-10" in recent
    events = selvik[selvik.index("## Events by date"):selvik.index("## People killed")]
    assert "Selvik" in events and "Dravna" not in events
    assert "[Meridian Wire, 2031-03-13](https://" in everything  # evidence links to the article


def test_html_report_has_sourced_figures_and_a_chart(demo_db, tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli.cli, ["report", "--db", str(demo_db), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and 'class="series"' in html
    assert "Kestrian health ministry" in html and "2,410" in html
    assert "Contradictions and denials" in html and "People killed" in html and "Tarin Vosk" in html
    assert 'href="https://meridian-wire.example/' in html


def test_pdf_report_parses_back(demo_db, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("fpdf")
    out = tmp_path / "r.pdf"
    result = CliRunner().invoke(cli.cli, ["report", "--db", str(demo_db), "--format", "pdf", "--since",
                                          "2031-03-05", "-o", str(out)])
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    for expected in ("Situation report", "Key figures", "New events", "People killed", "Contradictions and denials",
                     "2,410", "Kestrian health ministry", "Tarin Vosk"):
        assert expected in text, expected
    assert "2031-03-02 —" not in text  # before --since
    links = [a.get_object()["/A"].get("/URI") for p in reader.pages for a in p.get("/Annots") or []]
    assert any(str(u).startswith("https://") for u in links)


def test_html_report_escapes_article_text(tmp_path, extractor):
    article = Article.create(**malicious_article_fields())  # type: ignore[arg-type]
    with Ledger.open(tmp_path / "e.db") as ledger:
        ledger.add(article, extractor.extract(article)[1:])
        html = sitrep.render_html(sitrep.situation(ledger))
    assert PAYLOAD not in html and "javascript:" not in html


def test_chart_layout_and_svg_escape_labels():
    series = [{"metric": "killed", "source": "<b>Ministry</b>", "points": [
        {"date": "2031-03-01", "best": 10.0, "hedges": [], "modality": "asserted"},
        {"date": "2031-03-05", "best": 40.0, "hedges": ["cannot_be_verified"], "modality": "asserted"}]}]
    chart = layout("Killed", series)
    (line,) = chart.lines
    assert line.points[0][0] < line.points[1][0] and line.points[0][1] > line.points[1][1]  # up and right
    assert line.hedged == (False, True)
    svg = to_svg(chart)
    assert "<b>" not in svg and "&lt;b&gt;Ministry" in svg
