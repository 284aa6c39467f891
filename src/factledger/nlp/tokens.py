"""Token helpers shared by the assemblers.

spaCy creates a new ``Token`` object on every access (``doc[3] is doc[3]`` is False),
so tokens must be compared by position, never by identity.
"""

from __future__ import annotations

from spacy.tokens import Token


def same(a: Token | None, b: Token | None) -> bool:
    """True when ``a`` and ``b`` are the same token of the same Doc (None never matches)."""
    return a is not None and b is not None and a.i == b.i and a.doc is b.doc
