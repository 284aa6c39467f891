"""The statistical event head: training, persistence, refinement, out-of-fold folds (hand-made data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factledger import train
from factledger.nlp import event_model as em
from factledger.nlp.events import classify_text

TOY = [
    ("police seized rifles and ammunition in a raid", "Disrupted weapons use"),
    ("officers found a cache of pistols and rounds", "Disrupted weapons use"),
    ("weapons and ammunition were seized at the port", "Disrupted weapons use"),
    ("an earthquake shook the coastal towns", "Natural disaster"),
    ("floods swept through the valley after heavy rain", "Natural disaster"),
    ("a powerful earthquake and floods hit the province", "Natural disaster"),
]


def _toy_model(**kw: float) -> em.LinearModel:
    docs = [em.features(t, ("rule=NONE",)) for t, _ in TOY]
    return em.fit(docs, [lab for _, lab in TOY], label_set=em.label_set("sub_event"), min_df=1, **kw)


def test_fit_learns_and_is_deterministic() -> None:
    a, b = _toy_model(), _toy_model()
    assert np.array_equal(a.weights, b.weights) and np.array_equal(a.bias, b.bias)
    assert a.predict(em.features("soldiers seized a cache of rifles", ("rule=NONE",)))[0] == "Disrupted weapons use"
    assert a.predict(em.features("the earthquake and floods", ("rule=NONE",)))[0] == "Natural disaster"
    assert set(a.labels) == set(em.label_set("sub_event")) and len(a.labels) == 30


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    model = _toy_model()
    js, npz = em.save({"sub_event": model}, {"trained_on": {"toy": len(TOY)}}, tmp_path)
    assert js.exists() and npz.exists()
    em.shipped.cache_clear()
    try:
        original = em.model_paths
        em.model_paths = lambda folder=None: (js, npz)  # type: ignore[assignment]
        loaded = em.shipped()
    finally:
        em.model_paths = original  # type: ignore[assignment]
        em.shipped.cache_clear()
    assert loaded is not None
    feats = em.features("police seized rifles", ("rule=NONE",))
    assert loaded["sub_event"].predict(feats)[0] == model.predict(feats)[0]


def test_refine_overrides_only_when_sure() -> None:
    event = classify_text("Police seized rifles and ammunition in a raid on the port.")
    assert event is not None
    sure = {"sub_event": _toy_model()}
    refined = em.refine_event(event, event.evidence.text, sure)
    assert refined.sub_event_type == "Disrupted weapons use"
    # A head that knows nothing (all zeros) is never sure enough to override the rules.
    blank = em.LinearModel(em.label_set("sub_event"), {}, np.zeros((0, 30), np.float32), np.zeros(30, np.float32))
    assert em.refine_event(event, event.evidence.text, {"sub_event": blank}) == event
    assert em.refine_events([event], event.evidence.text, None) == [event]


def test_rule_features_name_the_rules_answer() -> None:
    event = classify_text("Warplanes struck a house in the village.")
    assert em.rule_features(event) == ("rule=Air/drone strike", "prule=ASSAULT")
    assert em.rule_features(None) == ("rule=NONE", "prule=NONE")


def test_folds_are_fixed_and_out_of_fold_never_trains_on_the_item(monkeypatch: pytest.MonkeyPatch) -> None:
    assert train.fold_of("case17") == train.fold_of("case17")
    assert {train.fold_of(f"case{i}") for i in range(200)} == set(range(train.FOLDS))
    data = [train.Example("case2021", f"case{i}", t, "sub_event", lab, 1.0, ("rule=NONE",))
            for i, (t, lab) in enumerate(TOY)]
    seen: list[set[str]] = []

    def spy(rows: list[train.Example]) -> dict[str, em.LinearModel]:
        seen.append({e.id for e in rows})
        return {"sub_event": _toy_model()}

    monkeypatch.setattr(train, "train_heads", spy)
    event = classify_text("Police seized rifles in a raid.")
    items = [(f"case{i}", t, event) for i, (t, _) in enumerate(TOY)]
    out = train.out_of_fold("case2021", items, data)
    assert len(out) == len(items)
    folds = {train.fold_of(i) for i, _, _ in items}
    assert len(seen) == len(folds)
    for ids in seen:
        # Each model saw none of the items of its fold, and all the others.
        held = {i for i, _, _ in items} - ids
        assert held and len({train.fold_of(i) for i in held}) == 1


def test_shipped_weights_are_small_and_load() -> None:
    js, npz = em.model_paths()
    if not npz.exists():
        pytest.skip("no shipped weights (run `make train` with ../shared present)")
    assert npz.stat().st_size < 2_000_000
    models = em.shipped()
    assert models is not None and set(models) == set(em.HEADS)


def test_shipped_weights_match_the_rules() -> None:
    import json

    js, npz = em.model_paths()
    if not js.exists():
        pytest.skip("no shipped weights")
    meta = json.loads(js.read_text(encoding="utf-8"))
    assert meta.get("rules_sha256") == em.rules_digest(), (
        "the event rules changed since the head was trained: run `make train` (needs ../shared)")
