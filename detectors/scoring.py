"""Scoring a batch of listings: every detector over each listing, then the batch-level ones.

`detectors` re-exports these names lazily, so importing `detectors.money` or
`detectors.textnorm` (the crawler and `rules.loader` do) does not load every detector.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from detectors.barcode import barcode_signals, multi_brand
from detectors.brand_signals import brand_signals
from detectors.capacity import capacity_signal
from detectors.combine import combine_and_rank, is_flagged, queue_priority
from detectors.context import ListingContext, build_context
from detectors.price import (
    PeerPrices,
    below_reference,
    comparable,
    isolation_outliers,
    peer_outliers,
    plausibility,
)
from detectors.reposts import FlaggedSource, repost_signals
from detectors.specs import impossible_spec
from detectors.text import text_signals
from rules.record import Listing, ScoredListing, Signal

if TYPE_CHECKING:
    from detectors.learned import LearnedModel
    from rules.loader import RuleSet


def score_listings(
    listings: Sequence[Listing], rules: RuleSet, peers: PeerPrices | None = None, model: LearnedModel | None = None,
    flagged_sources: Mapping[tuple[str, str], FlaggedSource] | None = None,
) -> list[ScoredListing]:
    """Score a batch; the result is in the order of `listings`.

    Batch-level detectors (peer price outliers, IsolationForest, one GTIN under several
    brands, re-posts of a flagged listing) see the whole batch plus the optional `peers` prices
    and `flagged_sources` (flagged listings re-post markers may name) from storage."""
    return score_listings_with_contexts(listings, rules, peers, model, flagged_sources)[0]


def score_listings_with_contexts(
    listings: Sequence[Listing], rules: RuleSet, peers: PeerPrices | None = None, model: LearnedModel | None = None,
    flagged_sources: Mapping[tuple[str, str], FlaggedSource] | None = None,
) -> tuple[list[ScoredListing], list[ListingContext]]:
    """`score_listings`, also returning each listing's context, so a caller that rolls the
    listings up per seller (`assess_seller(..., contexts=...)`) does not build them again.

    With a learned `model` (issue #13) the model sets `risk` from the same signals, which
    stay the explanation, each with its learned contribution; without one, the hand weights."""
    # A batch's contexts and signals all live until the batch is scored: the cyclic collector's
    # young passes walked them again and again (a tenth of the scoring time) and found next to
    # no cycles. Paused for the batch; what it would have freed waits until the batch ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _score_batch(listings, rules, peers, model, flagged_sources)
    finally:
        if collecting:
            gc.enable()


def _score_batch(
    listings: Sequence[Listing], rules: RuleSet, peers: PeerPrices | None, model: LearnedModel | None,
    flagged_sources: Mapping[tuple[str, str], FlaggedSource] | None,
) -> tuple[list[ScoredListing], list[ListingContext]]:
    contexts = [build_context(lst, rules) for lst in listings]
    per_listing: list[list[Signal]] = []
    usable: list[bool] = []
    for ctx in contexts:
        signals = brand_signals(ctx, rules) + text_signals(ctx, rules)
        spec = impossible_spec(ctx, rules)
        if spec is not None:
            signals.append(spec)
        implausible = plausibility(ctx, rules)
        if implausible is not None:
            signals.append(implausible)
        else:
            below = below_reference(ctx, rules) or capacity_signal(ctx, rules)
            if below is not None:
                signals.append(below)
        signals += barcode_signals(ctx, rules)
        per_listing.append(signals)
        usable.append(implausible is None and ctx.listing.price is not None and ctx.listing.price > 0
                      and comparable(ctx))
    for batch_signals in (
        peer_outliers(contexts, usable, rules, peers),
        isolation_outliers(contexts, usable, rules),
        multi_brand(contexts, rules),
    ):
        for i, sig in enumerate(batch_signals):
            if sig is not None:
                per_listing[i].append(sig)
    out = _combined(contexts, per_listing, rules, model)
    # A re-post of a flagged listing carries its evidence; that needs the first pass's flags.
    reposts = repost_signals(contexts, out, rules, flagged_sources)
    if any(sig is not None for sig in reposts):
        for i, sig in enumerate(reposts):
            if sig is not None:
                per_listing[i].append(sig)
        out = _combined(contexts, per_listing, rules, model)
    return out, contexts


def _combined(contexts: Sequence[ListingContext], per_listing: list[list[Signal]], rules: RuleSet,
              model: LearnedModel | None) -> list[ScoredListing]:
    if model is not None:
        return _learned(model, contexts, per_listing, rules)
    out: list[ScoredListing] = []
    for ctx, signals in zip(contexts, per_listing, strict=True):
        risk, ranked = combine_and_rank(signals, rules, official=ctx.dampened)
        out.append(ScoredListing(risk=risk, flagged=is_flagged(risk, rules), signals=ranked))
    return out


def _learned(model: LearnedModel, contexts: Sequence[ListingContext], per_listing: list[list[Signal]],
             rules: RuleSet) -> list[ScoredListing]:
    out: list[ScoredListing] = []
    for signals, (risk, contribs) in zip(per_listing, model.score(contexts, per_listing, rules), strict=True):
        explained = [s.model_copy(update={"contribution": c}) for s, c in zip(signals, contribs, strict=True)]
        explained.sort(key=lambda s: (-(s.contribution or 0.0), s.code))
        out.append(ScoredListing(risk=risk, flagged=is_flagged(risk, rules), signals=explained,
                                 model_version=model.version))
    return out


def listing_priority(listing: Listing, scored: ScoredListing, rules: RuleSet) -> float:
    """Queue priority of one scored listing (risk x its category's queue weight)."""
    return queue_priority(scored.risk, build_context(listing, rules).category, rules)
