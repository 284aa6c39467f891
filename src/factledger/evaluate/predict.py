"""The one seam between the scorers and the extraction pipeline.

Scorers never call spaCy: a suite turns its gold rows into ``Article`` inputs, a
``Predictor`` turns those into records (one list per input, in order), and the scorer reads
plain records. Unit tests pass a fake predictor; ``pipeline_predictor`` runs the real one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..records import Article, Claim, Event, Quantity, Record

Predictor = Callable[[Sequence[tuple[str, Article]]], "Predictions"]

# ACLED codes an unspecified number of deaths ("people were killed") as 3 (ACLED codebook,
# "Fatalities"). Used to read our vague counts the way an ACLED coder would.
ACLED_UNSPECIFIED_FATALITIES = 3


@dataclass(frozen=True)
class Predictions:
    """Records per input (None where extraction failed) and the failures' messages."""

    records: tuple[tuple[Record, ...] | None, ...]
    errors: tuple[str, ...] = ()
    # True when the event coder ran without its trained head (the harness then adds the
    # head out of fold, ``out_of_fold.py``).
    rules_only: bool = False


def primary_event(records: Sequence[Record] | None) -> Event | None:
    """The event flagged primary, else the first event, else None."""
    if not records:
        return None
    events = [r for r in records if isinstance(r, Event)]
    return next((e for e in events if e.primary), events[0] if events else None)


def claims_of(records: Sequence[Record] | None) -> list[Claim]:
    return [r for r in records or () if isinstance(r, Claim)]


def acled_fatalities(q: Quantity | None) -> int:
    """Our fatality quantity read with ACLED's conventions: nothing reported = 0, the most
    conservative figure (the lower bound) is kept, an unspecified number ("people were
    killed", "dozens" without a bound) = 3."""
    if q is None:
        return 0
    for value in (q.low, q.best, q.high):
        if value is not None:
            return int(value)
    return ACLED_UNSPECIFIED_FATALITIES if q.vague or q.text else 0


def pipeline_predictor(*, processes: int = 1, extractor: object | None = None,
                       event_model: bool = True) -> Predictor:
    """A predictor running ``Extractor`` (``extract_many``), loaded once per call of the
    returned function in each worker; pass ``extractor`` to reuse a loaded one (1 process).
    ``event_model=False`` runs the event rules without the trained heads."""
    from ..nlp.pipeline import Extractor, extract_many

    cache: dict[str, Extractor] = {}

    def predict(items: Sequence[tuple[str, Article]]) -> Predictions:
        if processes <= 1 and "x" not in cache:
            cache["x"] = extractor if isinstance(extractor, Extractor) else Extractor(event_model=event_model)
        out: list[tuple[Record, ...] | None] = []
        errors: list[str] = []
        for result in extract_many(items, processes=processes, extractor=cache.get("x"),
                                   event_model=event_model):
            if result.records is None:
                out.append(None)
                errors.append(result.error or result.name)
            else:
                out.append(tuple(result.records))
        return Predictions(tuple(out), tuple(errors), rules_only=not event_model)

    return predict
