"""Combining signals into risk, and queue priority."""

from __future__ import annotations

from detectors.combine import combine, queue_priority
from rules.loader import RuleSet
from rules.record import Signal


def sig(code: str, score: float) -> Signal:
    return Signal(code=code, detector=code.split(".")[0], score=score, detail="x")


def test_noisy_or_of_weighted_scores(rules: RuleSet) -> None:
    w1, w2 = rules.scoring.weight("text.slang"), rules.scoring.weight("brand.unauthorized")
    expected = 1 - (1 - w1 * 0.5) * (1 - w2 * 1.0)
    assert abs(combine([sig("text.slang", 0.5), sig("brand.unauthorized", 1.0)], rules) - expected) < 1e-3


def test_risk_stays_in_unit_interval(rules: RuleSet) -> None:
    risk = combine([sig("text.slang", 1.0)] * 20, rules)
    assert 0.0 <= risk <= 1.0


def test_zero_weight_signal_adds_nothing(rules: RuleSet) -> None:
    assert combine([sig("price.implausible", 1.0)], rules) == 0.0


def test_official_seller_dampens_barcode_signals(rules: RuleSet) -> None:
    signals = [sig("barcode.invalid", 0.8)]
    assert combine(signals, rules, official=True) < combine(signals, rules)


def test_health_category_raises_priority_not_risk(rules: RuleSet) -> None:
    assert queue_priority(0.6, "milk", rules) > queue_priority(0.6, "sportswear", rules) == 0.6
