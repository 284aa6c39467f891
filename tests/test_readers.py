"""Readers on hand-made inputs: every bad input gives a clear per-item error and the rest go on."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from factledger.ingest import readers
from factledger.ingest.readers import MAX_ARTICLE_CHARS, MAX_FILE_BYTES, read_path, read_paths

TEXT = "Strike hits Dravna market\n\nAt least 14 people were killed on Sunday, the health ministry said.\n"


def _one(path, **kw):
    (item,) = list(read_path(path, **kw))
    return item


def test_text_file_title_is_first_line_and_text_is_whole_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    item = _one(path)
    assert item.error is None and item.name == str(path)
    article = item.article
    assert article.title == "Strike hits Dravna market"
    assert article.text == TEXT  # offsets in evidence refer to the file text
    assert article.path == str(path)
    assert article.published is None


def test_markdown_heading_is_dropped_from_title(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# Headline here\n\nBody text.\n", encoding="utf-8")
    assert _one(path).article.title == "Headline here"


def test_crlf_text_is_kept_as_is(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Title\r\nBody.\r\n")
    assert _one(path).article.text == "Title\r\nBody.\r\n"


def test_published_and_source_override(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    article = _one(path, published=date(2031, 3, 2), source="Meridian Wire").article
    assert article.published == date(2031, 3, 2)
    assert article.source == "Meridian Wire"


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    item = _one(path)
    assert item.article is None
    assert str(path) in item.error and "binary" in item.error


def test_latin1_is_detected(tmp_path):
    path = tmp_path / "latin.txt"
    text = "Frappe aérienne à Dravna\n\nLe ministère de la santé a déclaré que quatorze personnes sont mortes.\n"
    path.write_bytes(text.encode("latin-1"))
    item = _one(path)
    assert item.error is None
    assert item.article.text == text


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("\ufeff".encode("utf-16-le") + TEXT.encode("utf-16-le"))
    item = _one(path)
    assert item.error is None
    assert item.article.text == TEXT


def test_utf8_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    assert _one(path).article.text == TEXT


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    item = _one(path)
    assert item.article is None and "empty" in item.error and str(path) in item.error


def test_file_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "huge.txt"
    path.write_text("Title\n" + "word " * 1000, encoding="utf-8")
    item = _one(path)
    assert item.article is None
    assert "over the limit" in item.error and "split" in item.error


def test_article_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ARTICLE_CHARS", 100)
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"text": "x " * 100}) + "\n" + json.dumps({"text": "short"}) + "\n", encoding="utf-8"
    )
    first, second = read_path(path)
    assert first.name == f"{path}:1" and "over the limit" in first.error
    assert second.article.text == "short"


def test_limits_are_documented_constants():
    from factledger.nlp.pipeline import MAX_ARTICLE_CHARS as PIPELINE_MAX

    assert MAX_FILE_BYTES == 20 * 1024 * 1024
    assert MAX_ARTICLE_CHARS == PIPELINE_MAX


def test_jsonl_bad_lines_are_errors_and_the_rest_go_on(tmp_path):
    path = tmp_path / "wire.jsonl"
    lines = [
        json.dumps({"text": "First article text.", "title": "One", "published": "2031-03-02",
                    "url": "https://x.example/1", "source": "Meridian Wire"}),
        "{not json",
        "",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Bad date.", "published": "not a date"}),
        json.dumps({"text": "Datetime.", "published": "2031-03-04T10:15:00Z"}),
        json.dumps({"text": "Bad url type.", "url": 7}),
        json.dumps({"text": "   "}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_path(path))
    names = [i.name for i in items]
    assert names == [f"{path}:{n}" for n in (1, 2, 4, 5, 6, 7, 8, 9)]  # blank line 3 skipped
    ok = [i for i in items if i.article]
    assert [i.article.text for i in ok] == ["First article text.", "Datetime."]
    first = ok[0].article
    assert (first.title, first.published, first.url, first.source) == (
        "One", date(2031, 3, 2), "https://x.example/1", "Meridian Wire"
    )
    assert ok[1].article.published == date(2031, 3, 4)
    errors = {i.name.rsplit(":", 1)[1]: i.error for i in items if i.error}
    assert "not valid JSON" in errors["2"]
    assert "not an object" in errors["4"]
    assert '"text"' in errors["5"]
    assert "not an ISO date" in errors["6"] and "--published" in errors["6"]
    assert '"url" must be a string' in errors["8"]
    assert "empty" in errors["9"]
    assert all(i.error.startswith(i.name + ":") for i in items if i.error)


def test_jsonl_bad_date_is_overridden_by_published(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "Body.", "published": "not a date"}) + "\n", encoding="utf-8")
    item = _one(path, published=date(2031, 1, 1))
    assert item.article.published == date(2031, 1, 1)


def test_jsonl_lines_have_distinct_story_keys(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "One."}) + "\n" + json.dumps({"text": "Two."}) + "\n", encoding="utf-8")
    a, b = (i.article for i in read_path(path))
    assert a.story_key != b.story_key


def test_unknown_extension_named_explicitly_is_an_error(tmp_path):
    path = tmp_path / "data.pdf"
    path.write_bytes(b"%PDF-1.4")
    item = _one(path)
    assert "unknown file type '.pdf'" in item.error and ".jsonl" in item.error


def test_missing_file(tmp_path):
    item = _one(tmp_path / "nope.txt")
    assert "no such file" in item.error


def test_directory_is_read_recursively_skipping_hidden_and_unknown(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b.txt").write_text("B\nbody\n", encoding="utf-8")
    (tmp_path / "sub" / "a.md").write_text("A\nbody\n", encoding="utf-8")
    (tmp_path / ".git" / "c.txt").write_text("C\nbody\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("H\nbody\n", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    items = list(read_path(tmp_path))
    assert [i.name for i in items] == [str(tmp_path / n) for n in ("b.txt", "empty.txt", "sub/a.md")]
    assert [i.article.title for i in items if i.article] == ["B", "A"]


def test_stdin(tmp_path):
    item = _one("-", stdin=io.BytesIO(TEXT.encode()))
    assert item.name == "<stdin>"
    assert item.article.title == "Strike hits Dravna market"
    assert item.article.path is None  # stdin articles are keyed by title, not by "-"


def test_read_paths_goes_on_after_bad_inputs(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02")
    items = list(read_paths([bad, tmp_path / "missing.txt", good]))
    assert [bool(i.article) for i in items] == [False, False, True]


HTML = """<html><head><title>Strike hits Dravna - Meridian Wire</title>
<meta property="og:site_name" content="Meridian Wire">
<meta property="article:published_time" content="2024-03-02T10:00:00Z">
<link rel="canonical" href="https://meridian-wire.example/2031/03/02/dravna"></head>
<body><nav>Home | World</nav><article><h1>Strike hits Dravna</h1>
<p>An air strike hit a crowded market in the northern town of Dravna on Sunday, killing at least
14 people and wounding 31 others, the Kestrian health ministry said.</p>
<p>The Kestrian army said its aircraft had targeted a command post of the Northern Liberation Front
near the market and accused the rebels of using civilians as cover.</p></article>
<footer>Copyright</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    article = _one(path).article
    assert "at least\n14 people" in article.text or "at least 14 people" in article.text
    assert "Copyright" not in article.text
    assert article.title.startswith("Strike hits Dravna")
    assert article.published == date(2024, 3, 2)  # htmldate refuses dates in the future
    assert article.url == "https://meridian-wire.example/2031/03/02/dravna"


def test_html_without_text(tmp_path):
    path = tmp_path / "empty.htm"
    path.write_text("<html><body><script>var x = 1;</script></body></html>", encoding="utf-8")
    item = _one(path)
    assert "no main text" in item.error
