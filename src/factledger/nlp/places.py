"""Offline geocoding (first version; replaced by the places work)."""
from __future__ import annotations

from typing import Any

from ..records import Place


def geocode(text: str, *, country_hint: str | None = None) -> Place | None:
    return None


def article_country(ctx: Any) -> str | None:
    return None
