"""Dates: hand-written expressions resolved against a publication date."""

from datetime import date

import pytest

from factledger.nlp.dates import dateline, find_dates, resolve

PUB = date(2024, 1, 5)  # a Friday


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("Friday", "2024-01-05", "day"),
        ("on Monday", "2024-01-01", "day"),
        ("last Friday", "2023-12-29", "day"),
        ("January 2", "2024-01-02", "day"),
        ("Jan 2", "2024-01-02", "day"),
        ("2 January 2024", "2024-01-02", "day"),
        ("October 7, 2023", "2023-10-07", "day"),
        ("October 7", "2023-10-07", "day"),  # month-day without year: latest not after publication
        ("Oct. 7", "2023-10-07", "day"),
        ("6-Jun-25", "2025-06-06", "day"),
        ("2024-01-02", "2024-01-02", "day"),
        ("late November", "2023-11-01", "month"),
        ("as of August", "2023-08-01", "month"),
        ("in May", "2023-05-01", "month"),
        ("early next week", "2024-01-08", "week"),
        ("last week", "2023-12-25", "week"),
        ("overnight", "2024-01-04", "day"),
        ("yesterday", "2024-01-04", "day"),
        ("today", "2024-01-05", "day"),
        ("this morning", "2024-01-05", "day"),
        ("3 days ago", "2024-01-02", "day"),
        ("in 2017", "2017-01-01", "year"),
    ],
)
def test_resolve(text, iso, precision):
    when = resolve(text, published=PUB)
    assert (when.date, when.precision) == (iso, precision)
    assert when.text == text


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("between Oct 7 and Nov 24", "2023-10-07", "2023-11-24"),
        ("between Oct 7 and Nov 24, 2023", "2023-10-07", "2023-11-24"),
        ("Dec 28 to Jan 3", "2023-12-28", "2024-01-03"),
        ("Oct 7-10", "2023-10-07", "2023-10-10"),
        ("from 1 to 3 January 2024", "2024-01-01", "2024-01-03"),
    ],
)
def test_ranges(text, start, end):
    when = resolve(text, published=PUB)
    assert (when.date, when.end) == (start, end)


def test_unknown_publication_never_invents():
    assert resolve("Friday", published=None, year_hint=2024).date is None
    assert resolve("yesterday", published=None).precision == "unknown"
    assert resolve("October 7", published=None, year_hint=2023).date == "2023-10-07"
    assert resolve("October 7", published=None).date is None


def test_durations_are_not_dates():
    for text in ("48-hour", "12-day", "May", "several weeks"):
        assert resolve(text, published=PUB).date is None


def test_dateline():
    assert dateline("JERUSALEM, Jan 2 (Reuters) - Israel said", published=PUB) == ("Jerusalem", date(2024, 1, 2))
    assert dateline("GAZA CITY (AP) — Israeli strikes hit") == ("Gaza City", None)
    assert dateline("Israel said on Friday - nothing more") == (None, None)


def test_find_dates_in_a_sentence():
    text = "The official was killed Friday, weeks after the October 7, 2023 attack, in a 48-hour operation."
    found = find_dates(text, [], published=PUB, year_hint=None)
    assert [(m.text, m.when.date) for m in found] == [("Friday", "2024-01-05"), ("October 7, 2023", "2023-10-07")]
    assert text[found[0].start_char: found[0].end_char] == "Friday"


def test_component_sets_doc_dates():
    import spacy

    import factledger.nlp.dates  # noqa: F401 - registers the component

    nlp = spacy.blank("en")
    nlp.add_pipe("factledger_dates")
    doc = nlp.make_doc("Talks resumed on Monday in Cairo.")
    doc.user_data["published"] = PUB
    doc = nlp(doc)
    assert [(m.text, m.when.date) for m in doc._.dates] == [("Monday", "2024-01-01")]


def test_may_with_a_year_is_that_year():
    from factledger.nlp.dates import find_dates

    found = find_dates("In May 2018, 45 people were killed; he may 2019 not.", [], published=date(2024, 7, 27),
                       year_hint=2024)
    assert [(m.text, m.when.date, m.when.precision) for m in found] == [("In May 2018", "2018-05-01", "month")]
