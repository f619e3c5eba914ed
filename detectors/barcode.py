"""Barcode (GTIN) signals.

- `barcode.missing`: the category always carries a GTIN on the pack (milk, supplements,
  cosmetics, packaged food) and the platform shows GTINs, but this listing has none.
- `barcode.invalid`: wrong length or wrong check digit.
- `barcode.prefix_conflict`: the GS1 prefix contradicts the claimed origin or the brand's
  known company prefixes. Weak on purpose: a prefix names the GS1 member organisation the
  brand owner joined, not the factory. Restricted-circulation numbers (020-029, 200-299),
  ISBN/ISSN (977-979) and coupons are not trade-item GTINs, so no claim is made on them.
- `barcode.multi_brand`: the same GTIN offered under different brands in one batch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from biip.gs1_prefixes import GS1Prefix
from stdnum import ean, isbn

from detectors._cache import per_rules
from detectors.phrases import PhraseMatcher
from detectors.textnorm import fold
from rules.record import Signal

if TYPE_CHECKING:
    from detectors.context import ListingContext
    from rules.loader import RuleSet

GTIN_LENGTHS = (8, 12, 13, 14)
_EIGHT_DIGITS = re.compile(r"\d{8}")


@dataclass(frozen=True)
class _Countries:
    by_name: dict[str, tuple[str, ...]]  # folded origin -> GS1 MO usages
    domestic: PhraseMatcher[tuple[str, tuple[str, ...]]]  # "nội địa Nhật" -> (country, GS1 MO usages)


@per_rules
def _countries(rules: RuleSet) -> _Countries:
    by_name: dict[str, tuple[str, ...]] = {}
    phrases: list[tuple[str, tuple[str, tuple[str, ...]]]] = []
    for country in rules.countries.countries:
        for name in country.names:
            by_name.setdefault(fold(name), tuple(country.gs1))
            # Either order: "nội địa Nhật" and "hàng Nhật nội địa", "xách tay Úc" and "Úc xách tay".
            phrases += [(phrase, (name, tuple(country.gs1))) for claim in rules.countries.domestic_claims
                        for phrase in (f"{claim} {name}", f"{name} {claim}")]
    return _Countries(by_name, PhraseMatcher(phrases))


@per_rules
def _title_barcode_pattern(rules: RuleSet) -> re.Pattern[str] | None:
    markers = sorted({fold(m) for m in rules.scoring.barcode.title_markers if fold(m)}, key=len, reverse=True)
    if not markers:
        return None
    marked = "|".join(re.escape(m) for m in markers)
    # group 1: a number after a marker ("mã vạch: 893..."); group 2: a bare 13-digit number
    return re.compile(rf"(?<![\w])(?:{marked})\W{{0,3}}(\d{{8,14}})(?!\d)|(?<![\w.,])(\d{{13}})(?![\w.,])")


def listing_gtin(ctx: ListingContext, rules: RuleSet) -> tuple[str, bool] | None:
    """The listing's barcode and whether it was read from the title: the barcode field, or
    else a barcode the title states. A number after a barcode word counts at any GTIN length
    (a wrong check digit is then evidence); a bare number only as a valid GTIN-13, so item
    numbers and dates in titles are never read as barcodes."""
    if ctx.listing.gtin is not None:
        return ctx.listing.gtin, False
    pattern = _title_barcode_pattern(rules)
    if pattern is None or _EIGHT_DIGITS.search(ctx.folded_title) is None:
        return None  # no GTIN is shorter (most titles stop here)
    for m in pattern.finditer(ctx.folded_title):
        if m.group(1) is not None and len(m.group(1)) in GTIN_LENGTHS:
            return m.group(1), True
        if m.group(2) is not None and ean.is_valid(m.group(2)):
            return m.group(2), True
    return None


def _barcode_goods(ctx: ListingContext, rules: RuleSet) -> bool:
    """Goods that always carry a GTIN, sold by a seller that is not official for them: here a
    bad or contradicting barcode is evidence enough to put the listing in front of a human."""
    category = rules.category(ctx.category)
    return category is not None and category.barcode_expected and not ctx.dampened


def gtin_problem(gtin: str) -> tuple[str, str] | None:
    """Why `gtin` is not a valid GTIN (English, Vietnamese), or None when it is."""
    if not gtin.isdigit():
        return (f"GTIN '{gtin}' contains characters other than digits",
                f"mã GTIN '{gtin}' chứa ký tự không phải chữ số")
    if len(gtin) not in GTIN_LENGTHS:
        return (f"GTIN '{gtin}' has {len(gtin)} digits; GTINs have 8, 12, 13 or 14",
                f"mã GTIN '{gtin}' có {len(gtin)} chữ số; GTIN phải có 8, 12, 13 hoặc 14")
    if not ean.is_valid(gtin):
        expected = ean.calc_check_digit(gtin[:-1])
        return (f"GTIN '{gtin}' has check digit {gtin[-1]}, expected {expected}",
                f"mã GTIN '{gtin}' có số kiểm tra {gtin[-1]}, đúng ra phải là {expected}")
    return None


def as_gtin13(gtin: str) -> str | None:
    """The 13-digit form whose leading digits carry the GS1 prefix (None for GTIN-8)."""
    if len(gtin) == 12:
        return "0" + gtin  # UPC-A: GS1 US / Canada prefixes start with 0
    if len(gtin) == 13:
        return gtin
    if len(gtin) == 14:
        return gtin[1:]  # drop the packaging indicator; the check digit is not used here
    return None


def gs1_usage(gtin13: str) -> str | None:
    try:
        prefix = GS1Prefix.extract(gtin13)
    except Exception:  # biip raises its ParseError for unknown ranges
        return None
    return None if prefix is None else prefix.usage


def barcode_signals(ctx: ListingContext, rules: RuleSet) -> list[Signal]:
    cfg = rules.scoring.barcode
    listing = ctx.listing
    found = listing_gtin(ctx, rules)
    if found is None:
        category = rules.category(ctx.category)
        platform = rules.platform(listing.platform)
        exposed = True if platform is None else platform.gtin_exposed
        if category is not None and category.barcode_expected and exposed:
            return [Signal(
                code="barcode.missing", detector="barcode", score=cfg.missing_score,
                detail=f"no barcode (GTIN) although {category.label_en.lower()} always carry one",
                detail_vi=f"không có mã vạch (GTIN) dù {category.label_vi.lower()} luôn có mã vạch",
            )]
        return []
    gtin, in_title = found
    signals = _gtin_signals(ctx, rules, gtin)
    if not in_title:
        return signals
    return [s.model_copy(update={"detail": f"barcode written in the title: {s.detail}",
                                 "detail_vi": f"mã vạch ghi trong tiêu đề: {s.detail_vi}"}) for s in signals]


def _gtin_signals(ctx: ListingContext, rules: RuleSet, gtin: str) -> list[Signal]:
    cfg = rules.scoring.barcode
    listing = ctx.listing
    if len(gtin) == 10 and isbn.is_valid(gtin):
        return []  # a book's ISBN-10 in the barcode field: no trade-item GTIN, no claim
    problem = gtin_problem(gtin)
    if problem is not None:
        score = cfg.invalid_expected_score if _barcode_goods(ctx, rules) else cfg.invalid_score
        return [Signal(code="barcode.invalid", detector="barcode", score=score,
                       detail=problem[0], detail_vi=problem[1])]
    gtin13 = as_gtin13(gtin)
    if gtin13 is None:
        return []
    usage = gs1_usage(gtin13)
    if usage is None or any(word.lower() in usage.lower() for word in cfg.non_product_prefixes):
        return []
    conflicts: list[tuple[float, str, str]] = []
    for brand in ctx.claimed:
        if brand.gs1_prefixes and not any(gtin13.startswith(p) or gtin.startswith(p) for p in brand.gs1_prefixes):
            known = ", ".join(brand.gs1_prefixes[:4])
            conflicts.append((
                cfg.brand_prefix_conflict_score,
                f"GTIN {gtin} does not start with a known company prefix of {brand.name} ({known})",
                f"mã GTIN {gtin} không bắt đầu bằng mã doanh nghiệp đã biết của {brand.name} ({known})",
            ))
            break
    domestic = _countries(rules).domestic.search(listing.title, ctx.folded_title, ctx.accented)
    if domestic is not None and usage.startswith("GS1 ") and usage not in domestic.value[1]:
        strong = _barcode_goods(ctx, rules)
        conflicts.append((
            cfg.domestic_conflict_score if strong else cfg.origin_conflict_score,
            f"'{domestic.text}' claims goods of {domestic.value[0]}'s home market, but the GTIN prefix is "
            f"registered with {usage}",
            f"'{domestic.text}' nhận là hàng nội địa {domestic.value[0]}, nhưng mã vạch đăng ký tại {usage}",
        ))
    elif listing.origin is not None:
        expected = _countries(rules).by_name.get(fold(listing.origin))
        if expected is not None and usage.startswith("GS1 ") and usage not in expected:
            strong = (usage in cfg.origin_conflict_strong_offices and _barcode_goods(ctx, rules)
                      and not any(office in expected for office in cfg.origin_conflict_home_offices))
            conflicts.append((
                cfg.domestic_conflict_score if strong else cfg.origin_conflict_score,
                f"GTIN prefix is registered with {usage} but the origin is '{listing.origin}' "
                f"(a prefix names the brand owner's GS1 office, not the factory)",
                f"mã vạch đăng ký tại {usage} nhưng xuất xứ ghi '{listing.origin}' "
                f"(mã vạch cho biết nơi chủ thương hiệu đăng ký GS1, không phải nơi sản xuất)",
            ))
    if not conflicts:
        return []
    score = max(c[0] for c in conflicts)
    return [Signal(code="barcode.prefix_conflict", detector="barcode", score=score,
                   detail="; ".join(c[1] for c in conflicts), detail_vi="; ".join(c[2] for c in conflicts))]


def multi_brand(contexts: Sequence[ListingContext], rules: RuleSet) -> list[Signal | None]:
    """The same valid GTIN under different brands within the batch."""
    brands_by_gtin: dict[str, set[str]] = {}
    gtins = [listing_gtin(ctx, rules) for ctx in contexts]
    for ctx, found in zip(contexts, gtins, strict=True):
        gtin = None if found is None else found[0]
        brand = _brand_label(ctx)
        if gtin is None or brand is None or gtin_problem(gtin) is not None:
            continue
        brands_by_gtin.setdefault(gtin, set()).add(brand)
    out: list[Signal | None] = [None] * len(contexts)
    for i, found in enumerate(gtins):
        gtin = None if found is None else found[0]
        seen = brands_by_gtin.get(gtin or "")
        if gtin is None or seen is None or len(seen) < 2:
            continue
        names = ", ".join(sorted(seen)[:4])
        out[i] = Signal(
            code="barcode.multi_brand", detector="barcode", score=rules.scoring.barcode.multi_brand_score,
            detail=f"GTIN {gtin} appears under {len(seen)} brands in this scan: {names}",
            detail_vi=f"mã GTIN {gtin} xuất hiện dưới {len(seen)} thương hiệu trong lần quét này: {names}",
        )
    return out


def _brand_label(ctx: ListingContext) -> str | None:
    if ctx.primary_brand is not None:
        return ctx.primary_brand.name
    if ctx.declared_kind == "unknown" and ctx.listing.brand is not None:
        return ctx.listing.brand.strip()
    return None
