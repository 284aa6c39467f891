"""Property-based tests (hypothesis) of the number, date and attribution parsers and
of the readers: hostile or random input never crashes them, and what they return
keeps its invariants (bounds ordered, dates valid, one item per JSONL line, ...).

The example budget is small in CI; set ``FACTLEDGER_HYPOTHESIS_EXAMPLES`` (e.g. 2000)
for a longer run: ``FACTLEDGER_HYPOTHESIS_EXAMPLES=2000 pytest tests/test_properties.py``.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factledger.ingest import readers
from factledger.nlp import attribution, dates, numbers
from factledger.nlp.segment import split_sentences
from factledger.records import PRECISIONS, QUALIFIERS

EXAMPLES = int(os.environ.get("FACTLEDGER_HYPOTHESIS_EXAMPLES", "150"))
# Bounded time per input: any single example slower than this fails the test.
PER_INPUT = timedelta(seconds=2)
PROPS = settings(max_examples=EXAMPLES, deadline=PER_INPUT, suppress_health_check=[HealthCheck.too_slow])

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Text that looks like news more often than uniform unicode does: digits, number
# words, qualifiers, month names, quotes and separators, mixed with arbitrary text.
_NEWSY_TOKENS = st.sampled_from([
    "at least", "more than", "nearly", "some", "about", "up to", "between", "and", "or", "to",
    "dozens", "hundreds", "of", "the", "thousand", "million", "two", "twenty-one", "half",
    "1,200", "42,000", "3.5", "0", "-", "–", "%", ",", ".", "$", "killed", "said", "according to",
    "March", "Oct.", "7", "2023", "last", "Friday", "ago", "days", "week", "late", "early",
    "“", "”", '"', "'s", "ministry", "Hamas-run", "officials", "\n", "  ",
])
NEWSY = st.lists(st.one_of(_NEWSY_TOKENS, st.text(max_size=8)), max_size=25).map(" ".join)
ANY_TEXT = st.one_of(NEWSY, st.text(max_size=200))
PUBLISHED = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Load the rules files and dateparser once, so their one-off cost is not charged
    to the per-input deadline of the first example."""
    numbers.parse_quantity("at least 3")
    dates.resolve("an unknown day", published=date(2024, 1, 1))
    attribution.canonical_name("the ministry")


# -- numbers --------------------------------------------------------------------------


def _check_quantity(q) -> None:
    assert q.qualifier in QUALIFIERS
    for v in (q.low, q.high, q.best):
        assert v is None or (math.isfinite(v) and v >= 0)
    if q.low is not None and q.high is not None:
        assert q.low <= q.high
    if q.best is not None and q.low is not None:
        assert q.low <= q.best
    if q.best is not None and q.high is not None:
        assert q.best <= q.high


@PROPS
@given(ANY_TEXT)
def test_parse_quantity_never_crashes_and_keeps_bounds_ordered(text):
    q = numbers.parse_quantity(text)
    if q is not None:
        _check_quantity(q)


@PROPS
@given(ANY_TEXT)
def test_parse_part_of_never_crashes(text):
    out = numbers.parse_part_of(text)
    if out is not None:
        for q in out:
            _check_quantity(q)


@PROPS
@given(st.integers(min_value=0, max_value=10**12), st.booleans())
def test_integers_round_trip_with_and_without_commas(n, commas):
    text = f"{n:,}" if commas else str(n)
    q = numbers.parse_quantity(text)
    assert q is not None and q.qualifier == "exact"
    assert q.best == q.low == q.high == n


@PROPS
@given(
    st.integers(min_value=1, max_value=10**9),
    st.sampled_from([("at least", "at_least", "low"), ("more than", "more_than", "low"),
                     ("nearly", "nearly", "high"), ("up to", "up_to", "high"),
                     ("fewer than", "fewer_than", "high"), ("about", "about", None)]),
)
def test_qualifiers_set_the_right_bound(n, case):
    cue, qualifier, bound = case
    q = numbers.parse_quantity(f"{cue} {n:,}")
    assert q is not None and q.qualifier == qualifier and q.best == n
    if bound is not None:
        assert getattr(q, bound) == n


@PROPS
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_ranges_keep_both_ends(lo, gap):
    hi = lo + gap
    q = numbers.parse_quantity(f"between {lo:,} and {hi:,}")
    assert q is not None and q.qualifier == "range"
    assert (q.low, q.high, q.best) == (lo, hi, lo)


@PROPS
@given(st.sampled_from(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]),
       st.sampled_from([("hundred", 100), ("thousand", 1000), ("million", 10**6)]))
def test_number_words_with_scales(word, scale):
    value = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"].index(word) + 1
    q = numbers.parse_quantity(f"{word} {scale[0]}")
    assert q is not None and q.best == value * scale[1]


# -- dates ----------------------------------------------------------------------------


def _check_when(w) -> None:
    assert w.precision in PRECISIONS
    if w.date is not None:
        start = date.fromisoformat(w.date)
        if w.end is not None:
            assert date.fromisoformat(w.end) >= start
    else:
        assert w.end is None


@PROPS
@given(ANY_TEXT, PUBLISHED, st.one_of(st.none(), st.integers(min_value=1900, max_value=2100)))
def test_resolve_never_crashes_and_returns_valid_dates(text, published, year_hint):
    _check_when(dates.resolve(text, published=published, year_hint=year_hint))


@PROPS
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31)), PUBLISHED,
       st.sampled_from(["iso", "dmy", "mdy"]))
def test_explicit_day_dates_round_trip(day, published, form):
    text = {
        "iso": day.isoformat(),
        "dmy": f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}",
        "mdy": f"{MONTH_NAMES[day.month - 1]} {day.day}, {day.year}",
    }[form]
    w = dates.resolve(text, published=published)
    assert (w.date, w.precision) == (day.isoformat(), "day")


@PROPS
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)), st.integers(min_value=1, max_value=30))
def test_days_ago_counts_back_from_publication(published, n):
    w = dates.resolve(f"{n} days ago", published=published)
    assert w.date == (published - timedelta(days=n)).isoformat()


@PROPS
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)), st.sampled_from(WEEKDAY_NAMES))
def test_last_weekday_is_the_previous_one_in_the_week_before(published, weekday):
    w = dates.resolve(f"last {weekday}", published=published)
    d = date.fromisoformat(w.date)
    assert d.strftime("%A") == weekday
    assert timedelta(days=1) <= published - d <= timedelta(days=7)


@PROPS
@given(ANY_TEXT, PUBLISHED)
def test_dateline_never_crashes(text, published):
    place, when = dates.dateline(text, published=published)
    assert place is None or isinstance(place, str)
    assert when is None or isinstance(when, date)


@PROPS
@given(st.data())
def test_find_dates_in_random_spans_never_crashes(data):
    text = data.draw(ANY_TEXT)
    cuts = sorted(data.draw(st.lists(st.integers(min_value=0, max_value=len(text)), max_size=6)))
    spans = list(zip(cuts[::2], cuts[1::2], strict=False))
    for m in dates.find_dates(text, spans, published=data.draw(PUBLISHED), year_hint=None):
        assert 0 <= m.start_char < m.end_char <= len(text) and text[m.start_char:m.end_char] == m.text
        _check_when(m.when)


# -- attribution ----------------------------------------------------------------------


@PROPS
@given(ANY_TEXT)
def test_name_normalisation_never_crashes_and_is_idempotent(text):
    once = attribution.normalise_name(text)
    assert attribution.normalise_name(once) == once
    attribution.canonical_name(text)
    attribution.actor_ref(text)


@PROPS
@given(ANY_TEXT)
def test_trailing_speaker_is_part_of_the_sentence(text):
    speaker = attribution.trailing_speaker(text)
    assert speaker is None or speaker.lower() in text.lower()


@PROPS
@given(st.lists(ANY_TEXT, max_size=6).map("\n\n".join))
def test_sentence_sources_point_at_real_sentences(text):
    sentences = split_sentences(text)
    sources = attribution.sentence_sources(sentences)
    assert set(sources) <= set(range(len(sentences)))


# -- readers --------------------------------------------------------------------------


@PROPS
@given(st.binary(max_size=2000))
def test_decode_bytes_gives_text_or_an_error_never_both(data):
    out = readers.decode_bytes("x", data)
    assert (out.text is None) != (out.error is None)
    if out.error is not None:
        assert out.error.startswith("x: ")


@PROPS
@given(st.text(max_size=300).filter(lambda t: "\x00" not in t and not t.startswith("\ufeff")),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_text_with_a_bom_or_in_utf8_decodes_to_itself(text, encoding):
    data = text.encode(encoding)  # utf-16/32 and utf-8-sig write a byte-order mark
    assert readers.decode_bytes("x", data).text == text


_JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
_GOOD_LINE = st.fixed_dictionaries(
    {"text": st.text(min_size=1, max_size=200).filter(lambda t: t.strip() and "\x00" not in t)},
    optional={"title": st.text(max_size=30), "url": st.text(max_size=30),
              "published": st.dates().map(date.isoformat)},
).map(json.dumps)
_BAD_LINE = st.one_of(
    _JSON_VALUE.map(json.dumps),
    # No NUL: a NUL byte makes the whole file binary (readers.decode_bytes), by design.
    st.text(min_size=1, max_size=60).filter(lambda t: t.strip() and not {"\n", "\r", "\x00"} & set(t)),
)


def _read_bytes_as(suffix: str, data: bytes) -> list[readers.ReadItem]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "input" + suffix)
        path.write_bytes(data)
        return list(readers.read_path(path))


@PROPS
@given(st.lists(st.one_of(_GOOD_LINE, _BAD_LINE), min_size=1, max_size=12))
def test_jsonl_gives_one_item_per_line_and_keeps_good_texts(lines):
    lines = [line for line in lines if line.strip()]
    if not lines:
        return
    data = "\n".join(lines).encode("utf-8")
    items = _read_bytes_as(".jsonl", data)
    # Lines end at "\n" only (a raw \x1c or \u2028 inside a line does not end it).
    expected = [ln for ln in data.decode("utf-8").split("\n") if ln.strip()]
    assert len(items) == len(expected)
    for item in items:
        assert (item.article is None) != (item.error is None)
        assert item.name.rsplit(":", 1)[-1].isdigit()
    texts = {item.article.text for item in items if item.ok}
    for line in lines:
        obj = json.loads(line) if line.startswith("{\"text\"") else None
        if obj is not None and line in expected and obj["text"].strip():
            assert obj["text"] in texts


@PROPS
@given(st.binary(max_size=3000), st.sampled_from([".jsonl", ".txt", ".md"]))
def test_any_bytes_give_articles_or_named_errors(data, suffix):
    for item in _read_bytes_as(suffix, data):
        assert (item.article is None) != (item.error is None)
        if item.error is not None:
            assert "input" in item.error


@settings(max_examples=max(EXAMPLES // 5, 10), deadline=PER_INPUT, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=3000),
                 st.lists(st.sampled_from(["<p>", "</p>", "<script>", "<html>", "<body", ">", "<title>",
                                           "<meta charset='latin-1'>", "&amp;", "&#0;", "<!--", "<![CDATA["]),
                          max_size=40).map(lambda xs: "".join(xs).encode())))
def test_any_html_bytes_give_an_article_or_a_named_error(data):
    for item in _read_bytes_as(".html", data):
        assert (item.article is None) != (item.error is None)


# -- feeds (ingest.feeds, used by `factledger watch`) ----------------------------------

_FEED_PARTS = st.sampled_from([
    "<rss>", "</rss>", "<channel>", "</channel>", "<item>", "</item>", "<link>", "</link>", "<title>", "</title>",
    "<guid isPermaLink='false'>", "</guid>", "<pubDate>", "</pubDate>", "https://x.example/a", "https://]x/",
    "//evil", "Sun, 02 Mar 2031", "2031-03-02T10:00:00Z", "&amp;", "<![CDATA[", "]]>", "<?xml version='1.0'?>",
    "<feed xmlns='http://www.w3.org/2005/Atom'>", "</feed>", "<entry>", "</entry>", "<link href='/a'/>",
])


@PROPS
@given(st.one_of(st.binary(max_size=2000), st.lists(_FEED_PARTS, max_size=40).map(lambda xs: "".join(xs).encode())))
def test_a_feed_parses_or_fails_with_a_feed_error(data):
    from factledger.ingest.feeds import FeedError, parse_feed

    try:
        feed = parse_feed(data, base_url="https://feeds.example/")
    except FeedError:
        return
    assert all(item.url and item.key for item in feed.items)


def test_a_feed_item_with_an_invalid_link_is_skipped_not_fatal():
    from factledger.ingest.feeds import parse_feed

    feed = parse_feed(b"<rss><channel><item><link>https://]x.example/1</link></item>"
                      b"<item><link>https://ok.example/2</link></item></channel></rss>", base_url="https://f.example/")
    assert [i.url for i in feed.items] == ["https://ok.example/2"]
    assert feed.problems == ("item 1 has an invalid link 'https://]x.example/1'; skipped",)


def test_a_feed_date_out_of_range_is_no_date_not_a_crash():
    """Found by the fuzzer in CI: parsedate_to_datetime raises OverflowError on a huge field."""
    from factledger.ingest.feeds import parse_feed

    feed = parse_feed(b"<rss><channel><item><link>https://ok.example/1</link>"
                      b"<pubDate>Sun, 02 Mar 2031 10:00:6666666666666600 GMT</pubDate></item>"
                      b"<item><link>https://ok.example/2</link><pubDate>Sun, 02 Mar 2031 10:00:00 GMT</pubDate></item>"
                      b"</channel></rss>", base_url="https://f.example/")
    assert [(i.url, i.published) for i in feed.items] == [
        ("https://ok.example/1", None), ("https://ok.example/2", date(2031, 3, 2))]


def test_entities_declared_after_64_kb_are_refused_too():
    from factledger.ingest.feeds import FeedError, parse_feed

    doc = b"<?xml version='1.0'?><!--" + b"x" * 70_000 + b"--><!DOCTYPE rss [<!ENTITY a 'b'>]><rss><channel/></rss>"
    with pytest.raises(FeedError, match="entities"):
        parse_feed(doc)
