"""The statistical layer over the event rules: two small logistic-regression heads.

Where the trigger rules stop (a snippet whose words fit two sub-event types, a
non-violent sentence whose PLOVER verb the cue list lacks), a multinomial logistic
regression reads the words of the text *and the rules' answer* and picks the label:

* head ``sub_event``: the 25 ACLED sub-event types and the 5 non-ACLED types of
  ``rules/acled_taxonomy.json`` (the CASE 2021 label set);
* head ``plover``: the current PLOVER event (16 labels, ``plover.json`` 'current').

Features are lower-cased word unigrams and bigrams (numbers folded to ``0``) plus
``rule=<sub-event type>`` / ``prule=<PLOVER event>``, binary, each row L2-normalised.
The model is plain numpy (no scikit-learn): weights ship as ``data/event_model.npz``
with the vocabulary and labels in ``data/event_model.json``. ``factledger.train``
builds them from the dev data in ../shared with one deterministic command
(``python -m factledger.train events`` / ``make train``); ``docs/events.md`` says how
they are measured (out of fold).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import RulesError
from ..records import Event
from .events import SNIPPET_CHARS, cue_of

# Heads trained and shipped ("plover" is supported by refine_event but not shipped: see
# factledger.train for the measurement).
HEADS = ("sub_event",)
_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+")
# Training settings (chosen on out-of-fold figures of case2021/plover dev, 2026-12;
# re-run `make train` and `factledger evaluate case2021 plover` after changing).
L2 = 1e-4
ITERATIONS = 300
LEARNING_RATE = 0.05
MIN_DF = 2
# The value of a rules-answer feature (word features share 1 between them: 1/sqrt(n) each),
# so that a little data can learn to trust the rules.
RULE_VALUE = 1.0
_RULE_PREFIXES = ("rule=", "prule=")


def _values(feats: Sequence[str]) -> list[float]:
    """Feature values of one row: rules' answers RULE_VALUE, words 1/sqrt(number of words)."""
    n_words = sum(not f.startswith(_RULE_PREFIXES) for f in feats)
    word = 1.0 / np.sqrt(n_words) if n_words else 0.0
    return [RULE_VALUE if f.startswith(_RULE_PREFIXES) else word for f in feats]


def tokens(text: str) -> list[str]:
    return ["0" if w.isdigit() else w for w in _WORD.findall(text.lower())]


def features(text: str, rule: Sequence[str] = ()) -> list[str]:
    """The feature names of a text: unigrams, bigrams and the rules' answers."""
    toks = tokens(text)
    out = set(toks)
    out.update(f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False))
    out.update(rule)
    return sorted(out)


@dataclass(frozen=True)
class LinearModel:
    """Multinomial logistic regression over named binary features."""

    labels: tuple[str, ...]
    vocab: dict[str, int]
    weights: np.ndarray  # (len(vocab), len(labels))
    bias: np.ndarray  # (len(labels),)
    # The trigger cue groups (``events.cue_of``) seen coding at least MIN_DF training texts:
    # the head corrects only rules it has seen at work. Empty: no such check (older weights).
    seen_cues: frozenset[str] = frozenset()

    def proba(self, feats: Sequence[str]) -> np.ndarray:
        known = [f for f in feats if f in self.vocab]
        z = self.bias.copy()
        if known:
            idx = [self.vocab[f] for f in known]
            z = z + (np.asarray(_values(known))[:, None] * self.weights[idx]).sum(axis=0)
        z = z - z.max()
        p = np.exp(z)
        return p / p.sum()

    def predict(self, feats: Sequence[str]) -> tuple[str, float]:
        p = self.proba(feats)
        i = int(p.argmax())
        return self.labels[i], float(p[i])


def fit(
    docs: Sequence[Sequence[str]],
    labels: Sequence[str],
    *,
    weights: Sequence[float] | None = None,
    label_set: Sequence[str] | None = None,
    l2: float | None = None,
    iterations: int | None = None,
    learning_rate: float | None = None,
    min_df: int | None = None,
) -> LinearModel:
    """Train by full-batch gradient descent with Adam from zeros: deterministic.
    Unset options take the module's settings (L2, ITERATIONS, LEARNING_RATE, MIN_DF)."""
    l2 = L2 if l2 is None else l2
    iterations = ITERATIONS if iterations is None else iterations
    learning_rate = LEARNING_RATE if learning_rate is None else learning_rate
    min_df = MIN_DF if min_df is None else min_df
    df = Counter(f for d in docs for f in set(d))
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in df.items() if c >= min_df))}
    classes = tuple(label_set or sorted(set(labels)))
    cls = {c: i for i, c in enumerate(classes)}
    n, v, k = len(docs), len(vocab), len(classes)
    rows, cols, vals = [], [], []
    for r, d in enumerate(docs):
        known = sorted({f for f in d if f in vocab}, key=vocab.__getitem__)
        rows.extend([r] * len(known))
        cols.extend(vocab[f] for f in known)
        vals.extend(_values(known))
    rows_a, cols_a, vals_a = np.array(rows, int), np.array(cols, int), np.array(vals)
    y = np.zeros((n, k))
    y[np.arange(n), [cls[lab] for lab in labels]] = 1.0
    sw = np.ones(n) if weights is None else np.asarray(weights, float)
    sw = sw / sw.sum()
    # Row-sorted for X @ W, column-sorted for X.T @ D (segment sums with reduceat).
    row_starts = np.flatnonzero(np.r_[True, rows_a[1:] != rows_a[:-1]]) if len(rows_a) else np.array([], int)
    row_ids = rows_a[row_starts]
    order = np.argsort(cols_a, kind="stable")
    c_sorted, r_by_c, v_by_c = cols_a[order], rows_a[order], vals_a[order]
    col_starts = np.flatnonzero(np.r_[True, c_sorted[1:] != c_sorted[:-1]]) if len(c_sorted) else np.array([], int)
    col_ids = c_sorted[col_starts]
    w, b = np.zeros((v, k)), np.zeros(k)
    mw, vw, mb, vb = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, iterations + 1):
        z = np.tile(b, (n, 1))
        if len(rows_a):
            z[row_ids] += np.add.reduceat(vals_a[:, None] * w[cols_a], row_starts, axis=0)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        d = (p - y) * sw[:, None]
        gw = l2 * w
        if len(c_sorted):
            gw[col_ids] += np.add.reduceat(v_by_c[:, None] * d[r_by_c], col_starts, axis=0)
        gb = d.sum(axis=0)
        for param, grad, m, s in ((w, gw, mw, vw), (b, gb, mb, vb)):
            m *= beta1
            m += (1 - beta1) * grad
            s *= beta2
            s += (1 - beta2) * grad * grad
            param -= learning_rate * (m / (1 - beta1**t)) / (np.sqrt(s / (1 - beta2**t)) + eps)
    return LinearModel(classes, vocab, w.astype(np.float32), b.astype(np.float32))


# --- shipped weights -------------------------------------------------------------------

def model_paths(folder: Path | None = None) -> tuple[Path, Path]:
    base = folder or Path(str(resources.files("factledger").joinpath("data")))
    return base / "event_model.json", base / "event_model.npz"


def save(models: dict[str, LinearModel], meta: dict, folder: Path | None = None) -> tuple[Path, Path]:
    """Write the heads: vocabularies and labels as JSON, weights as compressed npz."""
    js, npz = model_paths(folder)
    js.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        **meta,
        "heads": {
            h: {"labels": list(m.labels), "vocab": sorted(m.vocab, key=m.vocab.__getitem__),
                "seen_cues": sorted(m.seen_cues)}
            for h, m in models.items()
        },
    }
    js.write_text(json.dumps(doc, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    arrays = {}
    for h, m in models.items():
        arrays[f"{h}_w"] = m.weights.astype(np.float16)
        arrays[f"{h}_b"] = m.bias.astype(np.float32)
    with open(npz, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    return js, npz


@lru_cache(maxsize=1)
def shipped() -> dict[str, LinearModel] | None:
    """The heads shipped with the package, or None when no weights are installed."""
    js, npz = model_paths()
    if not js.exists() or not npz.exists():
        return None
    try:
        doc = json.loads(js.read_text(encoding="utf-8"))
        arrays = np.load(npz)
        out = {}
        for h, spec in doc["heads"].items():
            vocab = {f: i for i, f in enumerate(spec["vocab"])}
            w, b = arrays[f"{h}_w"].astype(np.float32), arrays[f"{h}_b"].astype(np.float32)
            if w.shape != (len(vocab), len(spec["labels"])):
                raise ValueError(f"head {h}: weights {w.shape} do not fit the vocabulary and labels")
            out[h] = LinearModel(tuple(spec["labels"]), vocab, w, b, frozenset(spec.get("seen_cues", ())))
    except (OSError, ValueError, KeyError) as exc:
        raise RulesError(f"{js} / {npz} cannot be loaded ({exc}); re-run `make train`") from exc
    return out


# --- labels and the refinement of coded events -----------------------------------------

# Above SNIPPET_CHARS (events.py) the text is an article, not a snippet: a head reads only
# the event's own sentence (the heads are trained on snippets, notes and single sentences).
# The sub-event head overrides the rules only when it is at least this sure of its label
# (chosen on out-of-fold case2021 figures and the acled/plover suites, 2026-12).
MIN_OVERRIDE_P = 0.6


RULE_FILES = ("acled_taxonomy.json", "event_triggers.json", "plover.json", "case2021_map.json")


def rules_digest() -> str:
    """sha256 over the rule files whose answers are features of the head: the shipped weights
    record it, and a test fails when the rules changed without `make train`."""
    import hashlib

    h = hashlib.sha256()
    for name in RULE_FILES:
        h.update(resources.files("factledger.rules").joinpath(name).read_bytes())
    return h.hexdigest()


def current_plover(event: str | None) -> str | None:
    """A PLOVER 0.5b1 event name (as the rules write it) in the current vocabulary."""
    from .event_rules import plover_rules

    if event is None:
        return None
    return plover_rules().current.get(event, event)


def label_set(head: str) -> tuple[str, ...]:
    from .event_rules import plover_rules, taxonomy

    if head == "sub_event":
        return tuple(taxonomy())
    return tuple(sorted({current_plover(e) or e for e in plover_rules().events}))


def seen_cues(cues: Sequence[str], min_df: int | None = None) -> frozenset[str]:
    """The cue groups among ``cues`` (one per training text) seen at least ``min_df`` times."""
    counts = Counter(cues)
    return frozenset(c for c, n in counts.items() if n >= (MIN_DF if min_df is None else min_df))


def rule_features(event: Event | None) -> tuple[str, ...]:
    """The rules' answer as features: sub-event type and PLOVER event (or their absence)."""
    if event is None:
        return ("rule=NONE", "prule=NONE")
    return (f"rule={event.sub_event_type}", f"prule={current_plover(event.plover.get('event')) or 'NONE'}")


def refine_event(event: Event, text: str, models: dict[str, LinearModel]) -> Event:
    """The event with sub-event type and PLOVER event as the heads read ``text`` (the
    article when it is snippet-sized, else the event's sentence) and the rules' answer."""
    from .event_rules import taxonomy

    if len(text) > SNIPPET_CHARS:
        text = event.evidence.text
    rule = rule_features(event)
    feats = features(text, rule)
    changes: dict = {}
    if "sub_event" in models:
        model = models["sub_event"]
        sub, p = model.predict(feats)
        # A rule the head never saw at work (a cue group rare in its training data) is one it
        # knows nothing about: its answer stands.
        known = not model.seen_cues or cue_of(event.evidence.text) in model.seen_cues
        if sub != event.sub_event_type and p >= MIN_OVERRIDE_P and known:
            spec = taxonomy()[sub]
            changes.update(sub_event_type=sub, event_type=spec.event_type, confidence=round(p, 3),
                           plover=_plover_of(event, sub))
            rule = rule_features(dataclasses.replace(event, **changes))
            feats = features(text, rule)
    if "plover" in models:
        plover, _ = models["plover"].predict(feats)
        current = current_plover((changes.get("plover") or event.plover).get("event"))
        if plover != current:
            changes["plover"] = {"event": plover, "mode": None}
    return dataclasses.replace(event, **changes) if changes else event


def _plover_of(event: Event, sub_event_type: str) -> dict[str, str | None]:
    """The coder's PLOVER event of the event's sentence under another sub-event type."""
    from .events import current_plover, plover_for

    sentence = event.evidence.text
    at = sentence.find(event.trigger) if event.trigger else -1
    return current_plover(plover_for(sub_event_type, sentence, at if at >= 0 else None))


def refine_events(events: list[Event], article_text: str, models: dict[str, LinearModel] | None) -> list[Event]:
    """Every event refined by the heads (unchanged without models)."""
    if not models:
        return events
    return [refine_event(e, article_text, models) for e in events]
