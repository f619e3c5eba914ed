"""Signals -> risk (DESIGN §4.3).

risk = 1 - prod(1 - weight[code] * score): a noisy-OR, so one strong signal can flag a
listing alone, weak ones add up, and the result never leaves [0, 1]. Weights live in
`rules/scoring.yaml`. Health categories raise the queue priority, never the risk: the risk
says how likely a listing is fake, the priority says how urgently a human should look.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from rules.record import Listing, Signal

if TYPE_CHECKING:
    from rules.loader import RuleSet


class _HasRisk(Protocol):
    @property
    def risk(self) -> float: ...


def contribution(signal: Signal, rules: RuleSet, official: bool = False) -> float:
    """weight x score for one signal (dampened for official sellers)."""
    weight = rules.scoring.weight(signal.code)
    if official:
        weight *= rules.scoring.official_seller_dampen.get(signal.code, 1.0)
    return max(0.0, min(1.0, weight * signal.score))


def combine(signals: Iterable[Signal], rules: RuleSet, official: bool = False) -> float:
    """Noisy-OR of weighted signal scores, clamped to [0, 1]."""
    return _noisy_or(contribution(signal, rules, official) for signal in signals)


def _noisy_or(contributions: Iterable[float]) -> float:
    remaining = 1.0
    for c in contributions:
        remaining *= 1.0 - c
    return round(min(1.0, max(0.0, 1.0 - remaining)), 4)


def combine_and_rank(signals: Sequence[Signal], rules: RuleSet, official: bool = False) -> tuple[float, list[Signal]]:
    """`combine` and `rank` of the same signals, each contribution computed once."""
    contributions = [contribution(s, rules, official) for s in signals]
    order = sorted(range(len(signals)), key=lambda i: (-contributions[i], signals[i].code))
    return _noisy_or(contributions), [signals[i] for i in order]


def is_flagged(risk: float, rules: RuleSet) -> bool:
    return risk >= rules.scoring.flag_threshold


def queue_priority(risk: float | _HasRisk, category: str | None | Sequence[Listing], rules: RuleSet) -> float:
    """Order of review: risk times the category's `queue_weight` (health goods first).

    `risk` is a number or anything with `.risk` (a `SellerAssessment`); `category` is a
    category key, or the listings whose categories decide it (the most urgent one present).
    Not clamped to 1: it is a sort key, and clamping would tie a risky milk seller with a
    risky shoe seller."""
    value = float(risk) if isinstance(risk, int | float) else float(risk.risk)
    if category is None or isinstance(category, str):
        key = category
    else:
        key = getattr(risk, "category", None)
        if key is None:
            from detectors.context import build_context  # deferred: context imports brand matching

            counts = Counter(c for c in (build_context(lst, rules).category for lst in category) if c is not None)
            key = max(counts, key=lambda c: (_weight(c, rules), counts[c])) if counts else None
    return round(value * _weight(key, rules), 4)


def _weight(category: str | None, rules: RuleSet) -> float:
    cat = rules.category(category)
    return 1.0 if cat is None else cat.queue_weight


def rank(signals: Iterable[Signal], rules: RuleSet, official: bool = False) -> list[Signal]:
    """Strongest contribution first, so exports can take the top signals."""
    return sorted(signals, key=lambda s: (-contribution(s, rules, official), s.code))
