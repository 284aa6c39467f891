"""Cut an article's text into segments, each marked with the facts whose evidence covers it.

The template renders every segment through autoescaping, so the text of an article
(which may hold HTML from a news page) is never interpreted as markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Which kinds of span draw a highlight (entities are underlined, the others coloured).
KINDS = ("event", "claim", "statement", "entity")


def segments(text: str, spans: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Non-overlapping segments covering ``text``: {"text", "kinds", "labels", "ids"}."""
    spans = [s for s in spans if s["kind"] in KINDS and 0 <= s["start"] < s["end"] <= len(text)]
    cuts = sorted({0, len(text), *(s["start"] for s in spans), *(s["end"] for s in spans)})
    out: list[dict[str, Any]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s["start"] <= start and end <= s["end"]]
        kinds = sorted({s["kind"] for s in covering}, key=KINDS.index)
        out.append(
            {
                "text": text[start:end],
                "kinds": kinds,
                "labels": sorted({s["label"] for s in covering}),
                "ids": sorted({s["id"] for s in covering}),
            }
        )
    return out
