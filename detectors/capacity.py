"""Storage sold at a price no genuine unit of its stated capacity reaches (`price.capacity`).

Fake-capacity flash is a classic counterfeit: a "SanDisk 1TB" card at 259k or a "Kingston
2TB" stick at 150k is a small chip whose controller reports a false size. The check needs no
band per product: flash memory has a price per gigabyte below which nothing genuine sells
(`rules/scoring.yaml` `price.capacity`). It reads only titles that open with the storage
itself ("Thẻ nhớ ...", "USB ...", "SSD ..."), and skips capacities a device merely accepts
("hỗ trợ thẻ nhớ tới 256GB"); like every brand-led signal it needs a brand claim (unbranded
goods are outside the counterfeit rubric).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from detectors._cache import per_rules
from detectors.brand_index import phrase_tokens
from detectors.money import vnd, vnd_vi
from detectors.price import lerp
from rules.record import Signal

if TYPE_CHECKING:
    from detectors.context import ListingContext
    from rules.loader import RuleSet

# "1TB", "2 tb", "256GB", "128G" (folded text). A bare "g" is a capacity only as a power of
# two of at least 16 ("4G" is a network, "500g" a weight).
_CAPACITY = re.compile(r"(?<![0-9a-z.,])(\d{1,4}(?:[.,]\d{1,2})?)\s?(tb|gb|t|g)\b")
_POWERS_OF_TWO_GB = frozenset({16, 32, 64, 128, 256, 512})


@per_rules
def _compiled(rules: RuleSet) -> tuple[tuple[tuple[str, ...], ...], re.Pattern[str] | None]:
    cfg = rules.scoring.price.capacity
    heads = tuple(t for t in (phrase_tokens(g) for g in cfg.goods) if t)
    accepts = "|".join(re.escape(" ".join(phrase_tokens(w))) for w in cfg.accepts_words if phrase_tokens(w))
    return heads, (re.compile(rf"(?:{accepts})\s+(?:\S+\s+){{0,4}}$") if accepts else None)


def stated_capacity_gb(folded: str, accepts: re.Pattern[str] | None) -> float | None:
    """The largest capacity the title states for the goods themselves, in GB."""
    best: float | None = None
    for m in _CAPACITY.finditer(folded):
        value, unit = float(m.group(1).replace(",", ".")), m.group(2)
        if unit == "g" and value not in _POWERS_OF_TWO_GB:
            continue
        if unit == "t" and value > 16:
            continue  # "48T" is teeth of a chainring; drives stop at a few terabytes
        if accepts is not None and accepts.search(folded[: m.start()]) is not None:
            continue  # "hỗ trợ thẻ nhớ tới 256GB": what a device accepts, not what is sold
        gb = value * 1024 if unit in ("tb", "t") else value
        best = gb if best is None else max(best, gb)
    return best


def capacity_signal(ctx: ListingContext, rules: RuleSet) -> Signal | None:
    price = ctx.listing.price
    cfg = rules.scoring.price.capacity
    if price is None or price <= 0 or not ctx.claimed or ctx.form.used or ctx.form.kind != "full":
        return None
    heads, accepts = _compiled(rules)
    tokens = phrase_tokens(ctx.listing.title)[: rules.scoring.brand.head_noun_words + 1]
    if not any(tokens[i : i + len(h)] == h for h in heads for i in range(len(tokens) - len(h) + 1)):
        return None
    gb = stated_capacity_gb(ctx.folded_title, accepts)
    if gb is None or gb < cfg.min_gb:
        return None
    floor = gb * cfg.min_price_per_gb
    if price >= floor:
        return None
    per_gb = price / gb
    score = lerp(cfg.score, 1.0 - price / floor)
    size = f"{gb / 1024:g} TB" if gb >= 1024 else f"{gb:g} GB"
    return Signal(
        code="price.capacity", detector="price", score=score,
        detail=f"price {vnd(price)} for {size} is {per_gb:,.0f} VND per GB; no genuine flash storage sells "
               f"below {cfg.min_price_per_gb:,} VND per GB (a fake-capacity chip)",
        detail_vi=f"giá {vnd_vi(price)} cho {size} chỉ {per_gb:,.0f} đ/GB; bộ nhớ flash chính hãng không bán "
                  f"dưới {cfg.min_price_per_gb:,} đ/GB (chip giả dung lượng)",
    )
