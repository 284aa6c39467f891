"""News outlets among names: "Northern Herald", "Kan public broadcaster", "newspaper al-Watan".

spaCy tags outlet names as places or people as often as organisations; the cues in
``rules/media.json`` (a noun before the name, a descriptor after it, a head word ending the
name) make them MEDIA. ``factledger.nlp.entities`` asks ``is_outlet`` for every tagged name
and ``outlet_mentions`` for names spaCy missed ("al-Watan").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import RulesError
from ..rules import read_json


@dataclass(frozen=True)
class MediaRules:
    before: re.Pattern[str]  # a cue noun ending the text before a name
    after: re.Pattern[str]  # a descriptor starting the text after a name
    heads: frozenset[str]
    cued_name: re.Pattern[str]  # a cue noun and the name after it, in any text


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_NAME = r"(?:(?:al|el|Al|El)-)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3}"


@lru_cache(maxsize=1)
def media_rules() -> MediaRules:
    data = read_json("media.json")
    try:
        before, after = _alternatives(data["cues_before"]), _alternatives(data["descriptors_after"])
        heads = frozenset(str(w) for w in data["name_heads"])
    except (KeyError, TypeError) as exc:
        raise RulesError(f"rules/media.json is invalid: {exc!r} (needs cues_before, descriptors_after, "
                         "name_heads)") from exc
    return MediaRules(
        re.compile(rf"\b(?:{before})\s+(?:the\s+)?$", re.IGNORECASE),
        re.compile(rf"^\s+(?:{after})\b", re.IGNORECASE),
        heads,
        re.compile(rf"\b(?:{before})\s+(?P<name>{_NAME})"),
    )


def is_outlet(before: str, name: str, after: str) -> bool:
    """A name (``name``, between ``before`` and ``after`` in its sentence) is a news outlet."""
    rules = media_rules()
    words = name.split()
    return bool(rules.before.search(before[-40:]) or rules.after.match(after[:40])
                or len(words) >= 2 and words[-1] in rules.heads)


def outlet_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of outlet names right after a cue noun: "newspaper al-Watan"."""
    return [(m.start("name"), m.end("name"), m["name"]) for m in media_rules().cued_name.finditer(text)]
