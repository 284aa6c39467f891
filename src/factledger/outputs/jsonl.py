"""JSON Lines output: one record per line, in the output contract's JSON form."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ..records import Record, to_dict


def record_line(record: Record) -> str:
    """One record as one line of JSON (no trailing newline), UTF-8 kept as is."""
    return json.dumps(to_dict(record), ensure_ascii=False, separators=(",", ":"))


def record_lines(records: Iterable[Record]) -> Iterator[str]:
    for record in records:
        yield record_line(record)
