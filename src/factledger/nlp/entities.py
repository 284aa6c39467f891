"""Entities (first version; replaced by the entities work)."""
from __future__ import annotations

from typing import Any

from spacy.language import Language


def add_entity_ruler(nlp: Language) -> None:
    return None


def find_entities(ctx: Any) -> list:
    return []
