"""The ledger's alias table: one ledger entity per person or organisation across articles.

Each article's extraction gives its own ``Entity`` records, with the name variants found
in that article ("Izz al-Din Kassab", "Kassab", "Kasab"). On ingest every one is bound to
a **ledger entity** through the ``aliases`` table, keyed by a normalised form of each
name (case, accents, punctuation and particles such as al-/el- removed: "al-Arouri",
"Al Arouri" and "Arouri" share a key) and the entity kind:

- a name whose key is already in the table joins that ledger entity;
- otherwise a new ledger entity is made, and every variant of the article is added as
  an ``extracted`` alias of it, so the table grows with ingestion.

Surnames alone are ambiguous across articles (two different "Haniyeh"s), so for people a
one-word key is stored but never used to match across articles; within an article the
extractor has already bound it to the full name. Users edit the table with
``factledger alias add`` / ``merge`` (origin ``user``); a user alias is never overwritten by
extraction.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ..nlp.aliases import name_tokens

PERSON_KINDS = frozenset({"PERSON"})


def alias_key(name: str) -> str:
    """The matching key of a name: "Saleh al-Arouri" -> "saleh arouri", "Türkiye" -> "turkiye"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)
    text = re.sub(r"[^\w\s\-’']", " ", text)
    return " ".join(name_tokens(text))


def matchable(key: str, kind: str) -> bool:
    """Whether a key may bind names across articles (not a bare surname of a person)."""
    if not key:
        return False
    return kind not in PERSON_KINDS or " " in key


def ledger_entity_id(kind: str, key: str) -> str:
    digest = hashlib.sha256(f"{kind}\x1f{key}".encode()).hexdigest()
    return "lent_" + digest[:16]
