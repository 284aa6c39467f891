"""Quantities component (first version; replaced by the claims work).

Contract: ``doc._.quantities`` is a list of ``QuantityMention`` sorted by position.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ..records import Quantity

if not Doc.has_extension("quantities"):
    Doc.set_extension("quantities", default=None)


@dataclass(frozen=True)
class QuantityMention:
    start_char: int  # offsets inside the Doc (the sentence)
    end_char: int
    token_start: int
    token_end: int  # exclusive
    quantity: Quantity
    noun: int | None = None  # token index of the counted noun ("people" in "six people"), if found


@Language.component("factledger_quantities", assigns=["doc._.quantities"])
def quantities_component(doc: Doc) -> Doc:
    doc._.quantities = []
    return doc
