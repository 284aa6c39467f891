"""Scoring arithmetic on hand-made cases (no spaCy, no shared data)."""

from __future__ import annotations

import math

import pytest

from factledger.evaluate import metrics
from factledger.evaluate.metrics import NONE_LABEL


def test_accuracy_and_share():
    assert metrics.accuracy([("a", "a"), ("a", "b"), ("b", "b"), ("c", NONE_LABEL)]) == 0.5
    assert metrics.accuracy([]) == 0.0
    assert metrics.share([True, False, True, True]) == 0.75
    assert metrics.share([]) == 0.0


def test_prf_counts():
    prf = metrics.PRF(tp=3, fp=1, fn=2)
    assert prf.precision == 0.75
    assert prf.recall == 0.6
    assert math.isclose(prf.f1, 2 * 0.75 * 0.6 / 1.35)
    assert metrics.PRF(0, 0, 0).f1 == 0.0


# Gold A A A B B C, predicted A A B B C C:
#   A: tp 2 fp 0 fn 1 -> P 1, R 2/3, F1 0.8
#   B: tp 1 fp 1 fn 1 -> P .5, R .5, F1 .5
#   C: tp 1 fp 1 fn 0 -> P .5, R 1, F1 2/3
PAIRS = [("A", "A"), ("A", "A"), ("A", "B"), ("B", "B"), ("B", "C"), ("C", "C")]


def test_macro_and_weighted_f1_match_hand_computation():
    assert math.isclose(metrics.macro_f1(PAIRS), (0.8 + 0.5 + 2 / 3) / 3)
    assert math.isclose(metrics.weighted_f1(PAIRS), (0.8 * 3 + 0.5 * 2 + (2 / 3) * 1) / 6)


def test_no_prediction_is_not_a_class_but_costs_recall():
    pairs = [("A", "A"), ("A", NONE_LABEL)]
    classes = metrics.per_class(pairs)
    assert set(classes) == {"A"}
    assert classes["A"].recall == 0.5 and classes["A"].precision == 1.0


def test_spurious_predicted_class_counts_in_macro_not_weighted():
    pairs = [("A", "A"), ("A", "Z")]
    assert math.isclose(metrics.macro_f1(pairs), (2 / 3 + 0.0) / 2)
    assert math.isclose(metrics.weighted_f1(pairs), 2 / 3)


def test_top_confusions_sorted_by_count_then_label():
    pairs = [("A", "B"), ("A", "B"), ("C", "B"), ("A", "A"), ("B", "A")]
    assert metrics.top_confusions(pairs, 2) == [("A", "B", 2), ("B", "A", 1)]


def test_haversine_known_distances():
    assert metrics.haversine_km(31.5, 34.45, 31.5, 34.45) == 0.0
    # one degree of latitude is about 111.2 km
    assert metrics.haversine_km(0, 0, 1, 0) == pytest.approx(111.19, abs=0.01)
    # Gaza City to Khan Younis, about 24 km
    assert metrics.haversine_km(31.5017, 34.4668, 31.3462, 34.3063) == pytest.approx(22.9, abs=0.5)


def test_within_km_handles_missing_points():
    assert metrics.within_km((31.5134, 34.4751), (31.5134, 34.4800), 1.0)
    assert not metrics.within_km((31.5134, 34.4751), (31.53, 34.4751), 1.0)
    assert not metrics.within_km(None, (31.5, 34.4), 1.0)
    assert not metrics.within_km((None, None), (31.5, 34.4), 1.0)
