"""The learned combiner (issue #13): the detectors' signals in, a risk learned from the
analysts' decisions out.

Pure like every detector: a fitted model object comes in (loading and checking its file is
`pipeline.model_store`'s job), features are computed from the listing contexts and signals
the detectors already produced, and nothing here touches a file, database or network. The
signals stay the explanation; the model only re-weighs them, so each signal also gets its
learned contribution (how much the risk falls when that signal is taken away).

A fitted model maps to the flag threshold of `rules/scoring.yaml`: the probability the
model flags at (its operating point, chosen on training folds) is stretched onto the rules'
threshold, so `flagged = risk >= flag_threshold` (DESIGN §3.2) and the seller roll-up keep
their meaning whichever combiner produced the risk.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from detectors.category import categories_compatible
from detectors.codes import SIGNAL_CODES
from detectors.combine import combine, contribution
from detectors.context import ListingContext
from detectors.price import _reference
from rules.record import Signal

if TYPE_CHECKING:
    from rules.loader import RuleSet

# Listing-level codes only: seller.* codes belong to the seller roll-up, computed after risk.
LISTING_CODES: tuple[str, ...] = tuple(sorted(c for c, sc in SIGNAL_CODES.items() if sc.detector != "seller"))
_FORM_KINDS = ("full", "sample", "variant", "refill", "part")
_N_FIXED = 18  # the named columns between the per-code ones and the one-hots


class Classifier(Protocol):
    """What a fitted scikit-learn classifier offers us."""

    def predict_proba(self, X: Any) -> Any: ...


@dataclass(frozen=True)
class FeatureSpec:
    """The columns a model was trained on: stored with it so scoring builds the same matrix
    even after the rules gain a category or a code."""

    codes: tuple[str, ...]
    categories: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        out = ["hand_risk"]
        for code in self.codes:
            out += [f"max:{code}", f"contrib:{code}"]
        out += ["price_log_ratio", "price_has_reference", "price_log", "official", "dampened",
                "identity_fields", "seller_listings_log", "seller_flagged_share", "brand_claimed",
                "line_named", "line_only", "sells_brand", "form_used", "genuine_claim", "sold_as_new",
                "brand_famous", "brand_category_fits", "floor_log_ratio"]
        out += [f"form:{k}" for k in _FORM_KINDS]
        out += [f"category:{c}" for c in self.categories]
        return out

    def to_dict(self) -> dict[str, list[str]]:
        return {"codes": list(self.codes), "categories": list(self.categories)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeatureSpec:
        return cls(tuple(d["codes"]), tuple(d["categories"]))


def default_spec(rules: RuleSet) -> FeatureSpec:
    return FeatureSpec(LISTING_CODES, tuple(sorted(rules.categories.categories)))


def _seller_key(ctx: ListingContext) -> tuple[str, str] | None:
    sid = ctx.listing.seller.id or ctx.listing.seller.name
    return None if sid is None else (ctx.listing.platform, sid)


def _seller_stats(contexts: Sequence[ListingContext], hand_flags: Sequence[bool]) -> list[tuple[int, float]]:
    """Per listing: how many listings its seller has in the batch, and the share of the
    seller's *other* listings the hand weights flag (leaving itself out, so the feature says
    something the listing's own signals do not)."""
    counts: Counter[tuple[str, str]] = Counter()
    flagged: Counter[tuple[str, str]] = Counter()
    keys = [_seller_key(c) for c in contexts]
    for key, flag in zip(keys, hand_flags, strict=True):
        if key is not None:
            counts[key] += 1
            flagged[key] += flag
    out: list[tuple[int, float]] = []
    for key, flag in zip(keys, hand_flags, strict=True):
        if key is None:
            out.append((1, 0.0))
            continue
        others = counts[key] - 1
        out.append((counts[key], 0.0 if others == 0 else (flagged[key] - flag) / others))
    return out


def feature_rows(contexts: Sequence[ListingContext], signals: Sequence[Sequence[Signal]], rules: RuleSet,
                 spec: FeatureSpec) -> np.ndarray:
    """One row of `spec.names` per listing of a batch (the batch gives the seller shares)."""
    hand = [combine(sigs, rules, official=ctx.dampened) for ctx, sigs in zip(contexts, signals, strict=True)]
    stats = _seller_stats(contexts, [h >= rules.scoring.flag_threshold for h in hand])
    rows = np.zeros((len(contexts), len(spec.names)), dtype=np.float64)
    for i, (ctx, sigs) in enumerate(zip(contexts, signals, strict=True)):
        _fill(rows[i], ctx, sigs, hand[i], stats[i], rules, spec)
    return rows


def _fill(row: np.ndarray, ctx: ListingContext, sigs: Sequence[Signal], hand: float, stats: tuple[int, float],
          rules: RuleSet, spec: FeatureSpec) -> None:
    code_at = {c: i for i, c in enumerate(spec.codes)}
    row[0] = hand
    for s in sigs:
        j = code_at.get(s.code)
        if j is None:
            continue
        row[1 + 2 * j] = max(row[1 + 2 * j], s.score)
        row[2 + 2 * j] = max(row[2 + 2 * j], contribution(s, rules, ctx.dampened))
    base = 1 + 2 * len(spec.codes)
    price = ctx.listing.price
    ref = _reference(ctx, rules) if price is not None and price > 0 else None
    if ref is not None and ref[0] > 0 and price is not None:
        row[base] = math.log(price / ref[0])
        row[base + 1] = 1.0
    row[base + 2] = math.log1p(price) if price is not None else 0.0
    row[base + 3] = float(ctx.official)
    row[base + 4] = float(ctx.dampened)
    row[base + 5] = sum(getattr(ctx.listing.seller, f, None) is not None for f in rules.scoring.seller.identity_fields)
    row[base + 6] = math.log(stats[0])
    row[base + 7] = stats[1]
    row[base + 8] = float(bool(ctx.claimed))
    row[base + 9] = float(ctx.line is not None)
    row[base + 10] = float(ctx.line_only)
    row[base + 11] = float(ctx.sells_brand)
    row[base + 12] = float(ctx.form.used)
    row[base + 13] = float(ctx.form.genuine)
    row[base + 14] = float(ctx.form.sold_as_new)
    brand = ctx.primary_brand
    row[base + 15] = float(brand is not None and brand.famous)
    # A brand on goods of a category neither its own nor related (Honda helmets): the hand
    # rules judge this only for fashion marks; the model may learn where it counts.
    row[base + 16] = float(brand is None or ctx.category is None or brand.category == ctx.category
                           or categories_compatible(brand.category, ctx.category, rules))
    if ctx.floor is not None and ctx.floor > 0 and price is not None and price > 0:
        row[base + 17] = math.log(price / ctx.floor)
    if ctx.form.kind in _FORM_KINDS:
        row[base + _N_FIXED + _FORM_KINDS.index(ctx.form.kind)] = 1.0
    if ctx.category is not None and ctx.category in spec.categories:
        row[base + _N_FIXED + len(_FORM_KINDS) + spec.categories.index(ctx.category)] = 1.0


def signalled(X: np.ndarray, spec: FeatureSpec) -> np.ndarray:
    """Rows with at least one listing-level signal (the only ones a model may give a risk)."""
    return np.asarray(X[:, 1:1 + 2 * len(spec.codes)].any(axis=1))


def stretch(p: float, operating: float, flag_threshold: float) -> float:
    """Map a probability onto the risk scale so the model's operating point lands on the
    rules' flag threshold: monotone and piecewise linear, 0 -> 0 and 1 -> 1."""
    if p < operating:
        return round(flag_threshold * p / operating, 4) if operating > 0 else 0.0
    if operating >= 1:
        return 1.0
    return round(flag_threshold + (1 - flag_threshold) * (p - operating) / (1 - operating), 4)


@dataclass(frozen=True)
class LearnedModel:
    """A fitted classifier with the columns it was trained on and its operating point."""

    estimator: Classifier
    spec: FeatureSpec
    operating: float  # the probability it flags at (chosen on cross-validation folds of its training data)
    version: str

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(self.estimator.predict_proba(X))[:, 1]

    def score(self, contexts: Sequence[ListingContext], signals: Sequence[Sequence[Signal]],
              rules: RuleSet) -> list[tuple[float, list[float]]]:
        """Per listing: its risk, and per signal (in the order given) how much the risk falls
        when that signal alone is taken away (its learned contribution; may be negative when
        the model learned that a signal speaks for the goods)."""
        flag = rules.scoring.flag_threshold
        hand = [combine(sigs, rules, official=ctx.dampened) for ctx, sigs in zip(contexts, signals, strict=True)]
        stats = _seller_stats(contexts, [h >= flag for h in hand])
        width = len(self.spec.names)
        n_rows = len(contexts) + sum(len(s) for s in signals)
        X = np.zeros((n_rows, width), dtype=np.float64)
        at = len(contexts)
        for i, (ctx, sigs) in enumerate(zip(contexts, signals, strict=True)):
            _fill(X[i], ctx, sigs, hand[i], stats[i], rules, self.spec)
            for j in range(len(sigs)):
                rest = [s for k, s in enumerate(sigs) if k != j]
                _fill(X[at], ctx, rest, combine(rest, rules, official=ctx.dampened), stats[i], rules, self.spec)
                at += 1
        risks = [stretch(float(p), self.operating, flag) for p in self.probabilities(X)] if n_rows else []
        # No signal, no risk: a risk must be explained by signals an analyst can read, and a
        # model fitted on decided cases has never seen a listing without any (fitted only on
        # flagged listings, it would call every plain T-shirt a fake).
        empty = [len(sigs) == 0 for sigs in signals] + [len(sigs) == 1 for sigs in signals for _ in sigs]
        risks = [0.0 if e else r for r, e in zip(risks, empty, strict=True)]
        out: list[tuple[float, list[float]]] = []
        at = len(contexts)
        for i, sigs in enumerate(signals):
            out.append((risks[i], [round(risks[i] - risks[at + j], 4) for j in range(len(sigs))]))
            at += len(sigs)
        return out
