"""Storage sold at a price no genuine unit of its stated capacity reaches (`price.capacity`).

Fake-capacity flash is a classic counterfeit: a "SanDisk 1TB" card at 259k or a "Kingston
2TB" stick at 150k is a small chip whose controller reports a false size. The check needs no
band per product: flash memory has a price per gigabyte below which nothing genuine sells
(`rules/scoring.yaml` `price.capacity`). It reads only titles whose first words sell the
storage itself ("Thẻ nhớ ...", "USB Kingston ...", not "Đầu đọc thẻ nhớ ..."), skips
capacities a device merely accepts ("hỗ trợ thẻ nhớ tới 256GB"), prices a list of variants
("64GB - 128GB - 256GB") as its smallest, and like every brand-led signal needs a brand claim
(unbranded goods are outside the counterfeit rubric).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from detectors._cache import per_rules
from detectors.brand_index import names_any, phrase_tokens
from detectors.form import listed_capacities_gb
from detectors.money import vnd, vnd_vi
from detectors.price import lerp
from rules.record import Signal

if TYPE_CHECKING:
    from detectors.context import ListingContext
    from rules.loader import RuleSet

Phrases = tuple[tuple[str, ...], ...]


@per_rules
def _compiled(rules: RuleSet) -> tuple[Phrases, Phrases, re.Pattern[str] | None]:
    cfg = rules.scoring.price.capacity

    def phrases(words: list[str]) -> Phrases:
        return tuple(t for t in (phrase_tokens(w) for w in words) if t)

    accepts = "|".join(re.escape(" ".join(t)) for t in phrases(cfg.accepts_words))
    return (phrases(cfg.goods), phrases(cfg.not_storage_words),
            re.compile(rf"\b(?:{accepts})\s+(?:\S+\s+){{0,4}}$") if accepts else None)


def capacity_signal(ctx: ListingContext, rules: RuleSet) -> Signal | None:
    price = ctx.listing.price
    cfg = rules.scoring.price.capacity
    if price is None or price <= 0 or not ctx.claimed or ctx.form.used or ctx.form.kind != "full":
        return None
    heads, not_storage, accepts = _compiled(rules)
    listed = listed_capacities_gb(ctx.folded_title, accepts)  # first: most titles state none
    if not listed:
        return None
    tokens = phrase_tokens(ctx.listing.title)[: rules.scoring.brand.head_noun_words + 1]
    if not names_any(tokens, heads) or names_any(tokens, not_storage):
        return None  # not storage, or a reader, box or hub for it
    gb = min(listed)  # one price for "64GB - 128GB - 256GB" is the smallest's
    if gb < cfg.min_gb:
        return None
    floor = gb * cfg.min_price_per_gb
    if price >= floor:
        return None
    per_gb = price / gb
    size = f"{gb / 1024:g} TB" if gb >= 1024 else f"{gb:g} GB"
    return Signal(
        code="price.capacity", detector="price", score=lerp(cfg.score, 1.0 - price / floor),
        detail=f"price {vnd(price)} for {size} is {per_gb:,.0f} VND per GB; no genuine flash storage sells "
               f"below {cfg.min_price_per_gb:,} VND per GB (a fake-capacity chip)",
        detail_vi=f"giá {vnd_vi(price)} cho {size} chỉ {per_gb:,.0f} đ/GB; bộ nhớ flash chính hãng không bán "
                  f"dưới {cfg.min_price_per_gb:,} đ/GB (chip giả dung lượng)",
    )
