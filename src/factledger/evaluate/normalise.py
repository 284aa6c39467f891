"""Name normalisation shared by the scorers (places, actors, free-text spans)."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

# Arabic articles as transliterated in ACLED and in news text ("Ash Shati'", "al-Shati", "Az Zaytun").
_ARABIC_ARTICLES = frozenset("al el ash as at ad an ar az ath adh ed es et ez".split())
# Two spellings of one place name still match at this rapidfuzz ratio ("tal hawa" ~ "tel hawa" = 87.5).
# Chosen by hand on the ACLED Gaza location list; re-run `factledger evaluate acled` after changing.
PLACE_FUZZ_RATIO = 85
_YEARS_SUFFIX = re.compile(r"\s*\((?:19|20)\d\d-(?:(?:19|20)\d\d)?\)")


def fold(text: str) -> str:
    """Lower case, accents and apostrophes removed, punctuation to single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’'`ʼʻ]", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def place_key(name: str) -> str:
    """A place name without Arabic articles or "city"; "Gaza City" and "Gaza" are one key."""
    words = [w for w in fold(name).split() if w not in _ARABIC_ARTICLES]
    if len(words) > 1 and words[-1] == "city":
        words = words[:-1]
    return " ".join(words)


def acled_place_keys(location: str) -> set[str]:
    """Keys an ACLED location answers to: "Gaza - Sabra" is "gaza sabra" and "sabra"."""
    keys = {place_key(location)}
    if " - " in location:
        keys.add(place_key(location.split(" - ", 1)[1]))
    return {k for k in keys if k}


def place_matches(ours: list[str | None], location: str) -> bool:
    """Does any of our names (Place.name, Place.text) match the ACLED location?"""
    keys = acled_place_keys(location)
    for name in ours:
        if not name:
            continue
        key = place_key(name)
        if not key:
            continue
        if key in keys or any(fuzz.ratio(key, k) >= PLACE_FUZZ_RATIO for k in keys):
            return True
    return False


def actor_key(name: str | None) -> str:
    """ACLED actor name compared without its period suffix ("Military Forces of Israel (2022-)")."""
    if not name:
        return ""
    return " ".join(_YEARS_SUFFIX.sub("", name).lower().split())


def tokens(text: str | None) -> set[str]:
    return set(fold(text).split()) if text else set()


_STOP = frozenset("the a an of and in on for to s".split())


def text_overlap(a: str | None, b: str | None) -> bool:
    """Do two actor spans name the same thing? One folded text contains the other, or they
    share a content word ("Serbian military police" ~ "Serbian")."""
    if not a or not b:
        return False
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    if fa in fb or fb in fa:
        return True
    return bool((tokens(a) & tokens(b)) - _STOP)
