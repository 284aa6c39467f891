"""Dates component (first version; replaced by the time work).

Contract: ``doc._.dates`` is a list of ``DateMention`` sorted by position;
``resolve(text, published=, year_hint=)`` turns a date expression into a When.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from ..records import When

if not Doc.has_extension("dates"):
    Doc.set_extension("dates", default=None)


@dataclass(frozen=True)
class DateMention:
    start_char: int  # offsets inside the Doc (the sentence)
    end_char: int
    text: str
    when: When


def resolve(text: str, *, published: date | None, year_hint: int | None = None) -> When:
    return When(None, "unknown", text)


@Language.component("factledger_dates", assigns=["doc._.dates"])
def dates_component(doc: Doc) -> Doc:
    doc._.dates = []
    return doc
