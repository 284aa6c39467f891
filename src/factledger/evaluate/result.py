"""Typed results of an evaluation run: what a suite measured, on which data, and its misses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["ok", "skipped", "error"]


@dataclass(frozen=True)
class DataFile:
    """A data file a suite read: path, sha256 of its bytes, and how many items it gave."""

    path: str
    sha256: str
    rows: int


@dataclass(frozen=True)
class Figure:
    """One measured figure. Every figure is a rate in [0, 1], higher is better; ``n`` is its
    denominator (the items it was measured on)."""

    name: str
    value: float
    n: int
    help: str = ""


@dataclass(frozen=True)
class Miss:
    """One item the system got wrong, for error analysis (``--errors N``).

    ``weight`` orders misses: more wrong fields (or a larger numeric error) is worse."""

    suite: str
    item: str
    weight: float
    text: str
    ours: str
    gold: str


@dataclass(frozen=True)
class Scored:
    """What a scorer returns: figures, misses, and small tables (e.g. top confusions)."""

    figures: tuple[Figure, ...]
    misses: tuple[Miss, ...] = ()
    tables: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()


@dataclass(frozen=True)
class SuiteResult:
    name: str
    status: Status
    reason: str = ""
    data: tuple[DataFile, ...] = ()
    figures: tuple[Figure, ...] = ()
    misses: tuple[Miss, ...] = ()
    tables: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()
    seconds: float = 0.0
    limit: int | None = None
    extraction_errors: int = 0

    def figure(self, name: str) -> Figure | None:
        return next((f for f in self.figures if f.name == name), None)


@dataclass(frozen=True)
class Card:
    """The report card: every suite of one run."""

    suites: tuple[SuiteResult, ...]
    versions: dict[str, str] = field(default_factory=dict)
    limit: int | None = None
