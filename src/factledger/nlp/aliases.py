"""Binding person-name variants within one article ("Kasab" -> "Izz al-Din Kassab",
"al-Arouri" -> "Saleh al-Arouri")."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

# Name particles that do not identify a person on their own.
PARTICLES = frozenset({"al", "el", "bin", "ibn", "abu", "abd", "de", "van", "von", "ben", "bint", "ad", "ud", "din"})
# rapidfuzz ratio for the same surname spelled differently: Kassab~Kasab = 91 (FIELD-NOTES).
DEFAULT_CUTOFF = 85


def name_tokens(name: str) -> list[str]:
    """Lower-case tokens without particles: "Saleh al-Arouri" -> ["saleh", "arouri"]."""
    parts = re.split(r"[\s\-’']+", name.lower())
    return [p for p in parts if p and p not in PARTICLES and p not in _REGNAL]


# Regnal numbers ("Charles III" is "Charles" in the same article).
_REGNAL = frozenset({"ii", "iii", "iv", "vi", "vii", "viii", "ix"})


def same_person(full: str, other: str, *, cutoff: int = DEFAULT_CUTOFF) -> bool:
    """True when ``other`` is plausibly ``full`` or its surname (spelling variants allowed)."""
    a, b = name_tokens(full), name_tokens(other)
    if not a or not b:
        return False
    if a == b:
        return True
    if len(b) == 1:  # surname only
        return fuzz.ratio(a[-1], b[0]) >= cutoff
    if len(a) == 1:
        return fuzz.ratio(b[-1], a[0]) >= cutoff
    if len(b) < len(a) and all(fuzz.ratio(x, y) >= cutoff for x, y in zip(a[-len(b):], b, strict=True)):
        return True  # a compound surname alone: "Kosiniak-Kamysz" of "Władysław Kosiniak-Kamysz"
    return fuzz.ratio(a[-1], b[-1]) >= cutoff and fuzz.ratio(a[0], b[0]) >= cutoff


def match_person(names: list[str], name: str, *, cutoff: int = DEFAULT_CUTOFF) -> int | None:
    """Index of the first name in ``names`` that ``name`` refers to, or None."""
    for i, known in enumerate(names):
        if same_person(known, name, cutoff=cutoff):
            return i
    return None
