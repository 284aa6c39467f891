"""Rule and lexicon files shipped with the package (data, not code).

``read_json(name)`` is the one way to load one: a missing or malformed file raises
``RulesError`` naming the file, never a bare ``KeyError`` deep in the pipeline.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ..errors import RulesError


def read_json(name: str) -> Any:
    """The parsed content of ``rules/<name>``."""
    path = resources.files(__name__).joinpath(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RulesError(f"rules/{name} could not be read: {exc}") from exc
