"""The foundation's acceptance facts on the two seed articles (skipped without ../shared).

Each assertion is a fact a reader of the seed expects as data; the rules that find them
are general (see the hand-written sentences of the same shapes in test_claims_shapes.py).
"""

from __future__ import annotations

import pytest

from factledger.records import Claim, Entity, Event

SEED_STRIKE = "000_25c9c99f66e4d546.txt"  # Kassab killed in Khan Younis
SEED_AROURI = "003_3e29466ed914d5cb.txt"  # al-Arouri killed in Beirut


def _claims(records, metric):
    return [r for r in records if isinstance(r, Claim) and r.metric == metric]


def _has(records, metric, best, qualifier=None):
    for c in _claims(records, metric):
        if c.value.best == best and (qualifier is None or c.value.qualifier == qualifier):
            return c
    return None


@pytest.mark.shared
def test_kassab_strike(seed_records):
    records = seed_records[SEED_STRIKE]
    strikes = [r for r in records if isinstance(r, Event) and r.sub_event_type == "Air/drone strike"]
    assert strikes, "no air strike found"
    strike = next((e for e in strikes if e.primary), strikes[0])
    assert strike.event_type == "Explosions/Remote violence"
    assert strike.actor1 is not None and "Israel" in (strike.actor1.entity or "")
    assert {"Izz al-Din Kassab", "Ayman Ayesh"} <= set(strike.victims)
    assert strike.location is not None and strike.location.name == "Khan Younis"  # not just "Gaza Strip"
    assert strike.location.precision == 1 and strike.location.lat is not None
    kassab = next(r for r in records if isinstance(r, Entity) and r.name == "Izz al-Din Kassab")
    assert {"Kassab", "Kasab"} <= set(kassab.aliases)
    assert any("head of national relations" in role for role in kassab.roles)
    assert any(s.get("status") == "killed" for s in kassab.status)


@pytest.mark.shared
def test_arouri_strike(seed_records):
    records = seed_records[SEED_AROURI]
    strike = next(
        r for r in records if isinstance(r, Event) and r.sub_event_type == "Air/drone strike" and r.primary
    )
    assert strike.location is not None and strike.location.name == "Beirut"
    assert "Saleh al-Arouri" in strike.victims
    assert strike.fatalities is not None and strike.fatalities.best >= 6


@pytest.mark.shared
def test_gaza_tolls_with_sources_and_caveats(seed_records):
    toll = _has(seed_records[SEED_STRIKE], "killed", 42000, "more_than")
    assert toll is not None and toll.source is not None
    assert "health ministry" in toll.source.text.lower()
    assert "cannot_be_verified" in toll.hedges
    killed = _has(seed_records[SEED_AROURI], "killed", 22185, "at_least")
    injured = _has(seed_records[SEED_AROURI], "injured", 57035)
    for claim in (killed, injured):
        assert claim is not None and claim.source is not None
        assert "health authorities" in claim.source.text
    israelis = _has(seed_records[SEED_AROURI], "killed", 1200, "nearly")
    assert israelis is not None and (israelis.source is None or "health" not in israelis.source.text)


@pytest.mark.shared
@pytest.mark.parametrize(
    ("metric", "best"),
    [
        ("hostages_taken", 251),
        ("hostages_held", 97),
        ("hostages_released", 105),
        ("hostages_rescued", 8),
        ("bodies_recovered", 37),
    ],
)
def test_hostage_figures(seed_records, metric, best):
    assert _has(seed_records[SEED_STRIKE], metric, best) is not None
