"""Modality of an event: asserted, negated, denied, proposed, future, hypothetical, reported.

Never used to drop an event: a denied strike is still recorded, with its modality.
The cue words are the usual English markers (negation, modal verbs, report verbs);
checked in this order because a denial outranks the report that carries it.
"""

from __future__ import annotations

import re

_DENIED = re.compile(
    r"\b(?:den(?:y|ied|ies|ying)|untrue|incorrect|false|baseless|fabricat\w*|refuted?|dismissed (?:the )?(?:report|claim))",
    re.IGNORECASE,
)
_NEGATED = re.compile(
    r"\b(?:did not|didn't|does not|doesn't|do not|don't|has not|hasn't|have not|haven't|had not|was not|wasn't|were not|weren't|never|no (?:\w+ )?(?:strikes?|attacks?|clashes|shelling|airstrikes?))\b",
    re.IGNORECASE,
)
_PROPOSED = re.compile(
    r"\b(?:propos\w*|offer(?:ed|s)?|plan (?:for|to)|draft|initiative|suggest\w*|would begin|would see)\b",
    re.IGNORECASE,
)
# Case-sensitive: "May" is a month, "If" only starts a sentence.
_HYPOTHETICAL = re.compile(
    r"\b(?:[Ii]f|[Uu]nless|could|might|may|in case|should (?:\w+ )?(?:fail|refuse|attack))\b"
)
_FUTURE = re.compile(
    r"\b(?:will|would|shall|is set to|are set to|is expected to|are expected to|plans? to|planned|intends? to|going to|is to|are to|vow(?:ed|s)? to|threaten(?:ed|s)? to|next week|tomorrow|upcoming)\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(
    r"\b(?:reportedly|allegedly|alleged|claimed|reports? (?:said|say|that)|was said to|were said to|purportedly|according to (?:unconfirmed|local|witness)|unconfirmed)\b",
    re.IGNORECASE,
)


def modality(text: str, trigger_start: int, trigger_end: int) -> str:
    """The modality of the event whose trigger is ``text[trigger_start:trigger_end]``."""
    window = text[max(0, trigger_start - 60) : trigger_start]
    around = text[max(0, trigger_start - 120) : min(len(text), trigger_end + 120)]
    if _DENIED.search(around):
        return "denied"
    if _NEGATED.search(window[-35:]):
        return "negated"
    if _PROPOSED.search(around):
        return "proposed"
    if _HYPOTHETICAL.search(window):
        return "hypothetical"
    if _FUTURE.search(window[-45:]):
        return "future"
    if _REPORTED.search(around):
        return "reported"
    return "asserted"
