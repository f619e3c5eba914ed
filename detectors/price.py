"""Price signals.

- `price.implausible`: a price no one could mean (a parse glitch such as 572270383441 VND,
  or a 1 VND placeholder). It is reported as a data error with weight 0 and the listing's
  price is left out of every other price check: a glitch is not a bargain.
- `price.below_reference`: far below the reference band of the product line in
  `rules/brands.yaml`.
- `price.outlier`: far below peers of the same brand and category (median / MAD of log
  price over the batch plus `PeerPrices` from storage).
- `price.isolation`: IsolationForest over batch features, for batches large enough; weak.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from detectors._cache import per_rules
from detectors.category import sells_used_market_goods
from detectors.form import listed_capacities_gb
from detectors.textnorm import fold
from rules.record import Signal

if TYPE_CHECKING:
    from detectors.context import ListingContext
    from rules.loader import RuleSet, Unit
    from rules.products import PackSize

PeerKey = tuple[str | None, str | None]


@dataclass(frozen=True)
class PeerPrices:
    """Natural-log VND prices of comparable listings from storage, by (brand, category).

    `brand` is the canonical brand name from `rules/brands.yaml`, `category` a key of
    `categories.yaml`."""

    log_prices: Mapping[PeerKey, np.ndarray] = field(default_factory=dict)
    includes_batch: bool = False
    """True when the stored prices already contain the listings being scored (a scan is
    persisted before it is scored): the batch's own prices are then not added again, or
    each listing would count twice and pull the median towards itself."""
    # Filled on first use. An `__init__` field: the compiled build leaves an `init=False` one unset.
    _folded_cache: dict[tuple[str | None, str | None], np.ndarray] | None = field(
        default=None, repr=False, compare=False)

    @classmethod
    def from_prices(cls, prices: Mapping[PeerKey, Iterable[int | float]], *,
                    includes_batch: bool = False) -> PeerPrices:
        """Build from plain VND prices (non-positive values are skipped)."""
        out: dict[PeerKey, np.ndarray] = {}
        for key, values in prices.items():
            arr = np.asarray([float(v) for v in values if v is not None and v > 0], dtype=float)
            out[key] = np.log(arr)
        return cls(out, includes_batch)

    def get(self, brand: str | None, category: str | None) -> np.ndarray:
        """Exact key first, then the same key compared case- and diacritic-insensitively."""
        found = self.log_prices.get((brand, category))
        if found is None:
            found = self._folded().get((_fold_key(brand), _fold_key(category)))
        return np.empty(0) if found is None else np.asarray(found, dtype=float)

    def _folded(self) -> dict[tuple[str | None, str | None], np.ndarray]:
        cached = self._folded_cache
        if cached is None:
            cached = {(_fold_key(b), _fold_key(c)): np.asarray(v, dtype=float) for (b, c), v in self.log_prices.items()}
            object.__setattr__(self, "_folded_cache", cached)
        return cached

    def for_listing(self, ctx: ListingContext) -> np.ndarray:
        """Peers of a listing. Storage may key peers by canonical brand + category key (as the
        detectors do) or by the listing's own brand field + category path (as stored); the
        first key with prices wins so the same listings are never counted twice."""
        brand = ctx.primary_brand
        keys: list[PeerKey] = []
        if brand is not None:
            keys.append((brand.name, ctx.category))
        keys.append((ctx.listing.brand, ctx.listing.category))
        for b, c in keys:
            if b is None and c is None:
                continue
            found = self.get(b, c)
            if found.size:
                return found
        return np.empty(0)


def _fold_key(value: str | None) -> str | None:
    return None if value is None else fold(value)


def peer_prices_from(prices: Mapping[PeerKey, Iterable[int | float]], *,
                     includes_batch: bool = False) -> PeerPrices:
    """`PeerPrices` from plain VND prices keyed by (brand, category), e.g. from storage.
    Pass `includes_batch=True` when the stored prices include the listings being scored."""
    return PeerPrices.from_prices(prices, includes_batch=includes_batch)


def lerp(unit: Unit, t: float) -> float:
    """Score at the threshold (t=0) growing linearly to the full score (t=1)."""
    t = min(1.0, max(0.0, t))
    return round(unit.at_threshold + (unit.at_full - unit.at_threshold) * t, 4)


from detectors.money import vnd, vnd_vi  # noqa: E402  (the one VND formatter)


def plausibility(ctx: ListingContext, rules: RuleSet) -> Signal | None:
    """`price.implausible` when the price cannot be a real offer, else None."""
    price = ctx.listing.price
    if price is None:
        return None
    cfg = rules.scoring.price.plausible
    reason_en = reason_vi = None
    if price < cfg.min_price:
        reason_en = f"below {vnd(cfg.min_price)}, a placeholder rather than a price"
        reason_vi = f"dưới {vnd_vi(cfg.min_price)}, là giá giữ chỗ chứ không phải giá bán"
    elif price > cfg.max_price:
        reason_en = f"above the plausible maximum {vnd(cfg.max_price)} (likely a parse glitch)"
        reason_vi = f"vượt mức tối đa hợp lý {vnd_vi(cfg.max_price)} (có thể do lỗi đọc dữ liệu)"
    elif ctx.line is not None and price > ctx.line.price_max * cfg.max_band_multiple:
        reason_en = (f"more than {cfg.max_band_multiple:g}x the reference maximum {vnd(ctx.line.price_max)} "
                     f"for {ctx.line.line} (likely a parse glitch)")
        reason_vi = (f"gấp hơn {cfg.max_band_multiple:g} lần giá tham chiếu tối đa {vnd_vi(ctx.line.price_max)} "
                     f"của {ctx.line.line} (có thể do lỗi đọc dữ liệu)")
    if reason_en is None or reason_vi is None:
        return None
    return Signal(code="price.implausible", detector="price", score=cfg.score,
                  detail=f"data error: price {vnd(price)} is {reason_en}",
                  detail_vi=f"lỗi dữ liệu: giá {vnd_vi(price)} {reason_vi}")


def _reference(ctx: ListingContext, rules: RuleSet) -> tuple[float, str, str] | None:
    """The lowest genuine price of what the listing sells, in the form it sells it, with the
    band as quoted to analysts (English, Vietnamese); None when no fair comparison exists."""
    form, line, brand = ctx.form, ctx.line, ctx.line_brand
    used_scale = rules.scoring.price.below_reference.used_scale
    unpriced = rules.scoring.price.below_reference.used_unpriced_categories
    if (form.used and (used_scale is None or line is None or ctx.category in unpriced)) or form.kind in (
            "part", "variant", "refill"):
        # A used phone or a case for a phone is not the new phone; a perfume line's shower gel
        # and its refill bottle sell at their own prices, not the bottle's per millilitre. A
        # used unit of a named model is compared with a small share of its new band only.
        return None
    if line is not None and brand is not None:
        if not ctx.sells_brand or not line.sold_new:
            return None  # a pouch for an iPhone XR; an iPhone 6, sold second-hand only
        named_gb = _named_capacity_gb(line.line)
        if named_gb is not None and min(listed_capacities_gb(ctx.folded_title), default=named_gb) < named_gb:
            return None  # a band for the 64 GB stick says nothing of the 8 GB one ("8GB/.../128GB")
        # A band without a size is for the product as one usually buys it (a pair of shoes, a
        # 3-pack of briefs): a count in the title says nothing against it, except a pack
        # announced as one of goods sold by the piece ("set 6 bàn chải", `_pack_scale`).
        pack = _pack_scale(ctx, rules)
        scale: float | None = pack
        what = f"{brand.name} {line.line}"
        if line.size is not None:
            pieces = _pieces(ctx, line.size, rules)
            scale = form.per_unit_of(line.size.value, line.size.unit) if pieces is None else pieces
            if pieces is None and scale is not None and scale > 1:
                # A 325-tablet bottle costs far less a tablet than the 125 the band is for; a
                # 200 ml bottle somewhat less a millilitre than the 100 ml one.
                cfg_bulk = rules.scoring.price.below_reference
                if line.size.unit == "count":
                    scale **= cfg_bulk.bulk_count_exponent
                elif form.pack > 1 and form.size == line.size.value and _announced(ctx.folded_title, form.pack, rules):
                    # "Combo 10 chai dầu gió 24ml" against the 24 ml band: ten bottles, priced as a pack
                    scale **= cfg_bulk.pack_exponent
                else:
                    scale **= cfg_bulk.bulk_size_exponent
            if scale is None and form.kind == "full" and not form.states(line.size.unit):
                # Full size, size not written: it may be the smallest bottle of the line; a
                # count not written is the pack the line is sold in ("Apple AirTag", "Blackmores
                # Glucosamine 1500mg"), as before counted bands existed.
                scale = 1.0 if line.size.unit == "count" else rules.scoring.price.below_reference.unknown_size_scale
                scale *= pack  # "thùng 48 tuýp": 48 items of that smallest size
            what += f" {line.size.value:g} {line.size.unit}"
        elif form.kind != "full":
            scale = None  # a mini or refill of a line whose band has no size: nothing to scale
        if scale is None:
            return None
        cfg = rules.scoring.price.below_reference
        form_en = form_vi = ""
        if form.kids and ctx.category in cfg.kids_categories:
            scale *= cfg.kids_scale  # a child's size of the model, not the adult pair
            form_en, form_vi = ", child's size", ", cỡ trẻ em"
        if form.used and used_scale is not None:
            scale *= used_scale
            form_en, form_vi = form_en + ", used", form_vi + ", đã qua sử dụng"
        if form.clearance:
            scale *= cfg.clearance_scale
            form_en, form_vi = form_en + ", near expiry", form_vi + ", cận date"
        if form.kind == "sample" and not form.decant:
            scale *= cfg.sample_scale
            form_en, form_vi = form_en + ", mini or sample", form_vi + ", mini hoặc mẫu thử"
        low = line.price_min * scale
        suffix = "" if scale == 1 else f" x{round(scale, 2):g}"
        return (low, f"{vnd(line.price_min)}-{vnd(line.price_max)}{suffix} for {what}{form_en}",
                f"{vnd_vi(line.price_min)}-{vnd_vi(line.price_max)}{suffix} của {what}{form_vi}")
    if ctx.floor is not None and form.kind == "full" and ctx.primary_brand is not None:
        name = ctx.primary_brand.name
        share = rules.scoring.price.below_reference.clearance_scale if form.clearance else 1.0
        pack = _pack_scale(ctx, rules)
        low = ctx.floor * share * pack
        part_en = part_vi = f"{share:g} x " if form.clearance else ""
        if pack != 1:
            part_en += f"{pack:g} x (a pack of {form.pack}) "
            part_vi += f"{pack:g} x (combo {form.pack} sản phẩm) "
        tail_en, tail_vi = (", near expiry", ", hàng cận date") if form.clearance else ("", "")
        return (low, f"from {vnd(low)}, {part_en}the lowest genuine new {name} price for these goods{tail_en}",
                f"từ {vnd_vi(low)}, {part_vi}giá mới chính hãng thấp nhất của {name} cho loại hàng này{tail_vi}")
    return None


def _pieces(ctx: ListingContext, size: PackSize, rules: RuleSet) -> float | None:
    """How many one-piece bands a listing is worth against a band for one piece (`size: {value:
    1, unit: count}`, Calvin Klein's briefs): the count it states ("3 cái") or the pack it
    announces ("combo 5"), priced as a pack (`pack_exponent`), not as a bulk of tablets. None
    for other bands, or when the title states neither."""
    if size.unit != "count" or size.value != 1:
        return None
    form = ctx.form
    if form.count is not None:
        count = form.count
    elif form.pack > 1 and _announced(ctx.folded_title, form.pack, rules):
        count = float(form.pack)
    else:
        return None
    return count ** rules.scoring.price.below_reference.pack_exponent if count > 1 else None


def _pack_scale(ctx: ListingContext, rules: RuleSet) -> float:
    """How many items' prices a pack sold against an unsized band or floor is worth: a band
    without a size prices one lipstick or tube where `pack_priced_categories` sell by the piece."""
    cfg = rules.scoring.price.below_reference
    pack = ctx.form.pack
    if pack <= 1 or ctx.category not in cfg.pack_priced_categories or not _announced(ctx.folded_title, pack, rules):
        return 1.0
    return round(float(pack) ** cfg.pack_exponent, 2)


def _announced(folded_title: str, pack: int, rules: RuleSet) -> bool:
    """A pack word right before the count ("combo 3 chai", "set 6", "thùng 48 tuýp"): "hộp 16
    viên" counts tablets, "hộp 50 gói" sachets, and "X5" is a model name."""
    return any(int(m.group(1)) == pack for m in _pack_words(rules).finditer(folded_title))


@per_rules
def _pack_words(rules: RuleSet) -> re.Pattern[str]:
    words = "|".join(re.escape(fold(w)) for w in rules.scoring.price.below_reference.pack_words)
    return re.compile(rf"(?<!\w)(?:{words}) ?(\d{{1,4}})(?!\d)")


@cache
def _named_capacity_gb(line_name: str) -> float | None:
    """The capacity a line is named with ("DataTraveler 64GB"), read once per line name."""
    named = listed_capacities_gb(fold(line_name))
    return named[0] if named else None


def below_reference(ctx: ListingContext, rules: RuleSet) -> Signal | None:
    price = ctx.listing.price
    if price is None:
        return None
    each = ctx.form.each_price
    what, what_vi = "price", "giá"
    if each is not None and 0 < each < price:
        # "Thùng 48 lon ... (10k/lon)": the seller prices one item; judge one item at that price.
        ctx, price = replace(ctx, form=replace(ctx.form, pack=1)), each
        what, what_vi = "price of one item as the title states it,", "giá một sản phẩm theo tiêu đề,"
    ref = _reference(ctx, rules)
    if ref is None:
        return None
    low, band, band_vi = ref
    cfg = rules.scoring.price.below_reference
    if sells_used_market_goods(ctx.listing.title, ctx.inferred_category or ctx.category, rules) and (
            ctx.form.part is None and not ctx.form.sold_as_new):
        # A used phone at 60 % of new is a used phone; a cable or charger sold as the brand's
        # own, or a unit the title calls "mới 100%", is sold new, so the plain ratio holds.
        ratio = cfg.used_market_ratio if ctx.line is not None else cfg.used_market_floor_ratio
    else:
        ratio = cfg.ratio if ctx.line is not None else cfg.floor_ratio
    limit = low * ratio
    if price >= limit or low <= 0:
        return None
    below = 1.0 - price / low
    score = lerp(cfg.score, 1.0 - price / limit)
    return Signal(
        code="price.below_reference", detector="price", score=score,
        detail=f"{what} {vnd(price)} is {below:.0%} below the reference {band}",
        detail_vi=f"{what_vi} {vnd_vi(price)} thấp hơn {below:.0%} so với giá tham chiếu {band_vi}",
    )


def peer_key(ctx: ListingContext) -> PeerKey | None:
    brand = ctx.primary_brand
    if brand is None:
        return None
    return (brand.name, ctx.category)


def peer_outliers(contexts: Sequence[ListingContext], usable: Sequence[bool], rules: RuleSet,
                  peers: PeerPrices | None) -> list[Signal | None]:
    """Robust z-score of log price against peers of the same brand and category.

    Only the cheap side is a signal: counterfeits undercut; an expensive listing is not
    evidence of a fake. Groups without a brand are skipped (a category alone mixes socks
    and coats)."""
    cfg = rules.scoring.price.outlier
    out: list[Signal | None] = [None] * len(contexts)
    # Peers sell the same brand's same line when one is named (a Sauvage is no peer of a
    # Dior lipstick), else the same brand in the same category.
    groups: dict[tuple[str | None, str | None, str | None], list[int]] = {}
    for i, ctx in enumerate(contexts):
        key = peer_key(ctx)
        if key is not None and usable[i] and ctx.listing.price is not None:
            groups.setdefault((*key, None if ctx.line is None else ctx.line.line), []).append(i)
    for (brand, cat, _), members in groups.items():
        batch = np.log(np.asarray([float(contexts[i].listing.price or 0) for i in members]))
        extra = peers.for_listing(contexts[members[0]]) if peers is not None else np.empty(0)
        if extra.size and peers is not None and peers.includes_batch:
            # Storage already holds this batch: its prices are the population (the batch
            # members are in it once); adding them again would double-count.
            values, voices = extra, extra.size
        else:
            # One voice per seller: a reseller's twenty re-posts at 5x must not move the median;
            # an official store's voice counts `official_weight` times.
            per_seller, voices = _per_seller(contexts, members, batch, cfg.official_weight)
            values = np.concatenate([per_seller, extra]) if extra.size else per_seller
            voices += extra.size
        if voices < cfg.min_peers:
            continue
        line = contexts[members[0]].line
        if line is not None and cfg.band_prior_weight > 0:
            # The hand-written band is a prior: the market moves the reference, it cannot
            # carry it off alone.
            prior = 0.5 * (math.log(line.price_min) + math.log(line.price_max))
            values = np.concatenate([values, np.full(cfg.band_prior_weight, prior)])
        median = float(np.median(values))
        mad = max(float(np.median(np.abs(values - median))), cfg.mad_floor)
        for i, x in zip(members, batch, strict=True):
            z = 0.6745 * (float(x) - median) / mad
            if z > -cfg.z_threshold:
                continue
            score = lerp(cfg.score, (-z - cfg.z_threshold) / (cfg.z_full - cfg.z_threshold))
            price = contexts[i].listing.price or 0
            typical = math.exp(median)
            out[i] = Signal(
                code="price.outlier", detector="price", score=score,
                detail=(f"price {vnd(price)} is far below {values.size} peers of {brand} ({cat}), "
                        f"median {vnd(typical)} (robust z {z:.1f})"),
                detail_vi=(f"giá {vnd_vi(price)} thấp bất thường so với {values.size} sản phẩm cùng loại "
                           f"của {brand} ({cat}), trung vị {vnd_vi(typical)} (z {z:.1f})"),
            )
    return out


def _per_seller(contexts: Sequence[ListingContext], members: Sequence[int], log_prices: np.ndarray,
                official_weight: int) -> tuple[np.ndarray, int]:
    """The median log price of each seller among `members` (listings without a seller id
    count alone), an official seller's repeated `official_weight` times; and the number of
    distinct sellers."""
    by_seller: dict[str, list[float]] = {}
    official: set[str] = set()
    for n, (i, x) in enumerate(zip(members, log_prices.tolist(), strict=True)):
        sid = contexts[i].listing.seller.id
        key = f"id:{sid}" if sid is not None else f"#{n}"
        by_seller.setdefault(key, []).append(x)
        if contexts[i].official:
            official.add(key)
    values = [_median(v) for k, v in by_seller.items() for _ in range(official_weight if k in official else 1)]
    return np.asarray(values), len(by_seller)


def _median(values: list[float]) -> float:
    """`float(np.median(values))` of a short list, without numpy's per-call overhead (a
    seller has a few listings; this ran once per seller per group): the middle value, or the
    two middle ones added and halved, the same operations in the same order as numpy's."""
    ordered = sorted(values)
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def comparable(ctx: ListingContext) -> bool:
    """A new, full-size product: the only form whose price peers and models may judge."""
    return ctx.form.comparable_new


def isolation_outliers(contexts: Sequence[ListingContext], usable: Sequence[bool],
                       rules: RuleSet) -> list[Signal | None]:
    """IsolationForest over simple batch features; only cheap-side anomalies are reported."""
    cfg = rules.scoring.price.isolation
    out: list[Signal | None] = [None] * len(contexts)
    rows = [i for i, ctx in enumerate(contexts) if usable[i] and ctx.listing.price is not None]
    if len(rows) < cfg.min_batch:
        return out
    from detectors._iforest import isolation_decision  # imports sklearn: only for large batches

    log_price = np.log(np.asarray([float(contexts[i].listing.price or 1) for i in rows]))
    # Price relative to the median of listings in the same category (or brand) in the batch.
    group_of = [peer_key(contexts[i]) or (None, contexts[i].category) for i in rows]
    # Grouped medians by sorting once (a mask per group would be groups x rows in Python).
    code_of: dict[PeerKey, int] = {}
    codes = np.asarray([code_of.setdefault(k, len(code_of)) for k in group_of])
    order = np.argsort(codes, kind="stable")
    medians = np.empty(len(code_of))
    for members in np.split(order, np.flatnonzero(np.diff(codes[order])) + 1):
        medians[codes[members[0]]] = np.median(log_price[members])
    rel = log_price - medians[codes]
    discount = []
    for i in rows:
        lst = contexts[i].listing
        lp, p = lst.list_price, lst.price or 1
        discount.append(math.log(lp / p) if lp is not None and lp > 0 and lp >= p else 0.0)
    sold = np.log1p(np.asarray([float(contexts[i].listing.sold or 0) for i in rows]))
    rating = np.asarray([contexts[i].listing.rating if contexts[i].listing.rating is not None else -1.0
                         for i in rows])
    X = np.column_stack([log_price, rel, np.asarray(discount), sold, rating])
    # scikit-learn's IsolationForest(n_estimators, max_samples, random_state).fit(X), its
    # decision_function on the cheap-side rows, with the same trees and numbers (see _iforest).
    # Only cheap-side rows can be reported: the forest scores just those (each row's score
    # is computed on its own, so scoring a subset gives the same numbers).
    cheap = np.flatnonzero(rel < 0)
    decision = (isolation_decision(X, cheap, cfg.n_estimators, min(cfg.max_samples, len(rows)), cfg.random_state)
                if cheap.size else np.empty(0))
    for row, d in zip(cheap.tolist(), decision.tolist(), strict=True):
        i = rows[row]
        if d >= -cfg.threshold:
            continue
        score = lerp(cfg.score, (-d - cfg.threshold) / cfg.threshold)
        price = contexts[i].listing.price or 0
        out[i] = Signal(
            code="price.isolation", detector="price", score=score,
            detail=(f"price {vnd(price)} with its discount, sales and rating is unusual within this batch "
                    f"(isolation score {d:.2f})"),
            detail_vi=(f"giá {vnd_vi(price)} cùng mức giảm giá, lượt bán và đánh giá bất thường trong lô này "
                       f"(điểm isolation {d:.2f})"),
        )
    return out
