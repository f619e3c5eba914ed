"""Seller roll-up (DESIGN §4.3): listing risks plus facts about the seller itself.

Signals:
- `seller.max_risk`: the riskiest listing.
- `seller.flagged_share`: how many / what share of the seller's listings are flagged.
- `seller.no_identity`: identity Decree 85/2021 (Art. 29) requires is not shown
  (business registration number, phone, address).
- `seller.not_official`: sells famous brands without being an official store.
- `seller.many_luxury_brands`: many unrelated luxury brands from one ordinary shop.
- `seller.new_shop`: the shop joined recently.

A seller is flagged when its risk reaches `seller.flag_threshold` *and* its listings
justify it (enough flagged listings, a large enough share, or one very risky listing):
facts about a shop alone never put it in the queue. An official seller's listing risks
are recomputed without brand and barcode facts before the roll-up, so an official store
is not queued merely for selling its own brand or for a warehouse's barcode typo.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from detectors.combine import combine, queue_priority, rank
from detectors.context import ListingContext, build_context
from detectors.price import lerp
from detectors.vntime import as_utc
from rules.record import Listing, ScoredListing, Signal

if TYPE_CHECKING:
    from rules.loader import RuleSet


@dataclass
class SellerAssessment:
    risk: float
    flagged: bool
    signals: list[Signal]
    flagged_listings: int
    total_listings: int
    priority: float = 0.0
    category: str | None = None
    official: bool = False
    top_listing_ids: list[str] = field(default_factory=list)


#: The identity fields (rules/scoring.yaml `identity_fields`) as the Vietnamese detail names
#: them: "business_id, phone, address" was English inside a Vietnamese sentence.
_IDENTITY_VI: Final[dict[str, str]] = {
    "business_id": "mã số doanh nghiệp",
    "phone": "số điện thoại",
    "address": "địa chỉ",
    "name": "tên người bán",
}


def _merged_identity(listings: Sequence[Listing]) -> dict[str, bool]:
    """Which identity fields any of the seller's records shows (pages differ in detail)."""
    shown: dict[str, bool] = {"business_id": False, "phone": False, "address": False, "name": False}
    for lst in listings:
        s = lst.seller
        for key in shown:
            if getattr(s, key) is not None:
                shown[key] = True
    return shown


def assess_seller(listings: Sequence[Listing], scored: Sequence[ScoredListing], rules: RuleSet,
                  now: datetime | None = None, *,
                  contexts: Sequence[ListingContext] | None = None) -> SellerAssessment:
    """Roll up one seller's listings (same order in `listings` and `scored`). `contexts`,
    when given, are the listings' contexts from `score_listings_with_contexts` (built for
    these listings with these rules), so they are not built twice."""
    if len(listings) != len(scored):
        raise ValueError(f"{len(listings)} listings but {len(scored)} scores")
    if contexts is not None and len(contexts) != len(listings):
        raise ValueError(f"{len(listings)} listings but {len(contexts)} contexts")
    cfg = rules.scoring.seller
    total = len(listings)
    if total == 0:
        return SellerAssessment(risk=0.0, flagged=False, signals=[], flagged_listings=0, total_listings=0)
    if contexts is None:
        contexts = [build_context(lst, rules) for lst in listings]
    official = any(ctx.official for ctx in contexts)
    ignored = set(cfg.ignore_on_rollup_when_official)

    risks: list[float] = []
    for ctx, sc in zip(contexts, scored, strict=True):
        if official or ctx.dampened:
            kept = [s for s in sc.signals if s.code not in ignored]
            risks.append(min(sc.risk, combine(kept, rules, official=True)))
        else:
            risks.append(sc.risk)
    flagged_idx = [i for i, r in enumerate(risks) if r >= rules.scoring.flag_threshold]
    n_flagged = len(flagged_idx)
    share = n_flagged / total
    max_i = max(range(total), key=lambda i: risks[i])
    max_risk = risks[max_i]

    signals: list[Signal] = []
    if max_risk > 0:
        lid = listings[max_i].listing_id
        signals.append(Signal(code="seller.max_risk", detector="seller", score=round(max_risk, 4),
                              detail=f"riskiest listing {lid} has risk {max_risk:.2f}",
                              detail_vi=f"sản phẩm rủi ro nhất {lid} có mức rủi ro {max_risk:.2f}"))
    if n_flagged > 0:
        score = lerp(cfg.share_score, share / cfg.share_full)
        signals.append(Signal(code="seller.flagged_share", detector="seller", score=score,
                              detail=f"{n_flagged} of {total} listings flagged ({share:.0%})",
                              detail_vi=f"{n_flagged}/{total} sản phẩm bị gắn cờ ({share:.0%})"))
    if not official:
        shown = _merged_identity(listings)
        missing = [f for f in cfg.identity_fields if not shown[f]]
        if missing:
            names = ", ".join(missing)
            names_vi = ", ".join(_IDENTITY_VI.get(f, f) for f in missing)
            signals.append(Signal(
                code="seller.no_identity", detector="seller", score=round(len(missing) / len(cfg.identity_fields), 4),
                detail=f"shop does not show {names} (required by Decree 85/2021, Art. 29)",
                detail_vi=f"gian hàng không công khai {names_vi} (bắt buộc theo Nghị định 85/2021, Điều 29)",
            ))
        famous = sorted({b.name for ctx in contexts for b in ctx.claimed if b.famous and not ctx.trusted_for(b)})
        if famous:
            shown_names = ", ".join(famous[:5])
            signals.append(Signal(
                code="seller.not_official", detector="seller", score=cfg.not_official_score,
                detail=f"not an official or authorized store, yet sells {shown_names}",
                detail_vi=f"không phải cửa hàng chính hãng hay được ủy quyền nhưng bán {shown_names}",
            ))
        lux = sorted({b.name for ctx in contexts for b in ctx.claimed
                      if b.category in cfg.many_brands_categories and not ctx.trusted_for(b)})
        if len(lux) >= cfg.many_brands_min:
            t = (len(lux) - cfg.many_brands_min) / max(1, cfg.many_brands_full - cfg.many_brands_min)
            signals.append(Signal(
                code="seller.many_luxury_brands", detector="seller", score=lerp(cfg.many_brands_score, t),
                detail=f"one shop sells {len(lux)} unrelated luxury brands: {', '.join(lux[:6])}",
                detail_vi=f"một gian hàng bán {len(lux)} thương hiệu xa xỉ khác nhau: {', '.join(lux[:6])}",
            ))
    created = [lst.seller.created_at for lst in listings if lst.seller.created_at is not None]
    if created:
        joined = min(as_utc(c) for c in created)
        observed = [as_utc(lst.observed_at) for lst in listings if lst.observed_at is not None]
        ref = max(observed) if observed else (now if now is not None else datetime.now(UTC))
        age_days = (as_utc(ref) - joined).total_seconds() / 86400
        if 0 <= age_days < cfg.new_shop_days:
            score = round(cfg.new_shop_score * (1.0 - age_days / cfg.new_shop_days), 4)
            if score > 0:
                signals.append(Signal(
                    code="seller.new_shop", detector="seller", score=score,
                    detail=f"shop joined {age_days:.0f} days before this scan",
                    detail_vi=f"gian hàng mới tham gia {age_days:.0f} ngày trước lần quét này",
                ))

    risk = combine(signals, rules)
    qualifies = (n_flagged >= cfg.min_flagged_listings or share >= cfg.min_flagged_share
                 or max_risk >= cfg.single_listing_risk)
    flagged = risk >= cfg.flag_threshold and n_flagged > 0 and qualifies
    cats = Counter(ctx.category for ctx in contexts if ctx.category is not None)
    # The most urgent category present decides the priority (one milk fake among shoes counts).
    weights = {c: (cat.queue_weight if (cat := rules.category(c)) is not None else 1.0) for c in cats}
    flagged_cats = [c for c in (contexts[i].category for i in flagged_idx) if c is not None]
    pool: list[str] = flagged_cats or list(cats)
    category = max(pool, key=lambda c: (weights.get(c, 1.0), cats.get(c, 0))) if pool else None
    top = sorted(range(total), key=lambda i: -risks[i])[:5]
    return SellerAssessment(
        risk=risk, flagged=flagged, signals=rank(signals, rules), flagged_listings=n_flagged,
        total_listings=total, priority=queue_priority(risk, category, rules), category=category,
        official=official, top_listing_ids=[listings[i].listing_id for i in top if risks[i] > 0],
    )
