"""Re-posts of a flagged listing carry its evidence (eval/RUBRIC.md: the same listing
re-posted under another id gets the same label).

Two kinds of re-post are certain enough to act on, both within one scored batch:
- the platform's own marker naming the source listing (Sendo's resale programme ends a
  copied title with "[Được kiểm hàng] <source listing id>"; `repost_marker` in
  rules/platforms.yaml);
- the same seller posting the same title again at a price of the same order (within
  `repost.max_price_ratio`), when the flag rests on more than the price: a price too low is
  evidence about that price, not about the same title at another one (a 3M and a 7.5M
  "Sony WH-1000XM5" of one shop), and a 99k and a 1.96M "iPad Air 1" are a bait price and an
  offer, not one offer posted twice.
The same title from *different* sellers without a marker is not followed: a fake copies an
official store's title as often as a reseller copies a fake's, and the direction cannot be
told from the batch. An official or authorized seller's listing never inherits a flag.

A marker's source may lie outside the batch (another seller's listing, scored in an earlier
pass or scan): the caller may pass what it knows of such sources (`FlaggedSource`, from
storage); a source scored in the batch itself is judged on that fresh score instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from detectors.codes import signal_label
from detectors.textnorm import fold
from rules.record import Listing, ScoredListing, Signal

if TYPE_CHECKING:
    from detectors.context import ListingContext
    from rules.loader import RuleSet


@dataclass(frozen=True, slots=True)
class FlaggedSource:
    """A flagged listing known from outside the batch: its id, risk and signal codes (strongest first)."""

    listing_id: str
    risk: float
    codes: tuple[str, ...]

    @classmethod
    def of(cls, listing: Listing, scored: ScoredListing) -> FlaggedSource:
        return cls(listing.listing_id, scored.risk, tuple(s.code for s in scored.signals))

_EXPLAINED_CODES = 2  # the source's strongest reasons quoted in the one-line explanation


@cache
def _marker(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def marker_source(listing: Listing, rules: RuleSet) -> str | None:
    """The source listing id a re-post marker in the title names, if any."""
    return _split_marker(listing, rules)[0]


def marker_sources(listings: Iterable[Listing], rules: RuleSet) -> set[tuple[str, str]]:
    """(platform, source listing id) of every re-post marker in `listings`' titles."""
    return {(lst.platform, source) for lst in listings if (source := marker_source(lst, rules)) is not None}


def _split_marker(listing: Listing, rules: RuleSet) -> tuple[str | None, str | None]:
    """The marker's source id and the title without the marker (None, None: no marker)."""
    platform = rules.platform(listing.platform)
    if platform is None or platform.repost_marker is None:
        return None, None
    found = _marker(platform.repost_marker).search(listing.title)
    if found is None:
        return None, None
    return found.group(1), listing.title[:found.start()] + listing.title[found.end():]


def _source_id(ctx: ListingContext, rules: RuleSet) -> tuple[str | None, str]:
    """The source listing id the platform's marker names (if any) and the title without it."""
    source, stripped = _split_marker(ctx.listing, rules)
    return (None, ctx.folded_title) if stripped is None else (source, fold(stripped))


def repost_signals(contexts: Sequence[ListingContext], scored: Sequence[ScoredListing],
                   rules: RuleSet, known: Mapping[tuple[str, str], FlaggedSource] | None = None,
                   ) -> list[Signal | None]:
    """For each listing not flagged itself: a signal when it re-posts a flagged listing of
    the batch (or a flagged source in `known`, keyed by platform and listing id), scored
    with that listing's risk."""
    out: list[Signal | None] = [None] * len(contexts)
    keys = [_source_id(ctx, rules) for ctx in contexts]
    by_id: dict[tuple[str, str], int] = {}
    by_seller_title: dict[tuple[str, str, str], int] = {}
    for i, (ctx, s) in enumerate(zip(contexts, scored, strict=True)):
        if not s.flagged:
            continue
        lst = ctx.listing
        by_id.setdefault((lst.platform, lst.listing_id), i)
        if lst.seller.id is not None:
            by_seller_title.setdefault((lst.platform, lst.seller.id, keys[i][1]), i)
    outside: dict[tuple[str, str], FlaggedSource] = {}
    if known:
        # A source scored here is judged on its fresh score, flagged or not.
        in_batch = {(ctx.listing.platform, ctx.listing.listing_id) for ctx in contexts}
        outside = {key: source for key, source in known.items() if key not in in_batch}
    if not by_id and not outside:
        return out
    max_ratio = rules.scoring.repost.max_price_ratio
    for i, (ctx, s) in enumerate(zip(contexts, scored, strict=True)):
        if s.flagged or ctx.dampened:
            continue
        lst = ctx.listing
        source_id, title_key = keys[i]
        found: FlaggedSource | None = None
        if source_id is not None:
            j = by_id.get((lst.platform, source_id))
            found = outside.get((lst.platform, source_id)) if j is None else FlaggedSource.of(
                contexts[j].listing, scored[j])
        how, how_vi = "names it as its source", "ghi rõ là nguồn"
        if found is None and lst.seller.id is not None:
            j = by_seller_title.get((lst.platform, lst.seller.id, title_key))
            if j is not None and j != i and not _price_only(scored[j]) and _same_order(
                    lst.price, contexts[j].listing.price, max_ratio):
                found = FlaggedSource.of(contexts[j].listing, scored[j])
            how, how_vi = "same seller, same title", "cùng người bán, cùng tên sản phẩm"
        if found is None or found.listing_id == lst.listing_id:
            continue
        out[i] = _signal(found, how, how_vi)
    return out


def _price_only(scored: ScoredListing) -> bool:
    """The flag's evidence is the listing's price (a famous brand from a small shop is no evidence)."""
    return all(s.code.startswith("price.") or s.code == "brand.unauthorized" for s in scored.signals)


def _same_order(a: float | None, b: float | None, max_ratio: float) -> bool:
    if a is None or b is None or a <= 0 or b <= 0:
        return a == b
    return max(a, b) <= max_ratio * min(a, b)


def _signal(source: FlaggedSource, how: str, how_vi: str) -> Signal:
    codes = source.codes[:_EXPLAINED_CODES]
    why = "; ".join(signal_label(c, "en") for c in codes)
    why_vi = "; ".join(signal_label(c, "vi") for c in codes)
    lid, risk = source.listing_id, source.risk
    return Signal(
        code="text.repost", detector="text", score=risk,
        detail=f"re-post of flagged listing {lid} ({how}), flagged at risk {risk:.2f} for: {why}",
        detail_vi=f"đăng lại sản phẩm {lid} đã bị gắn cờ ({how_vi}), rủi ro {risk:.2f}: {why_vi}",
    )
