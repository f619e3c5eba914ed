"""Brand signals, from the mentions `detectors.brand` finds and the listing's context.

- `brand.lookalike`: the title spells a brand in disguise or as a near miss ("Nikę",
  "N.i.k.e", "Adidaz", "Channel" for Chanel), misspells one of its lines ("Air Forse 1") or
  cuts the brand short next to its line ("Adds Samba").
- `brand.mismatch`: the declared brand field names another brand than the title.
- `brand.off_category`: a famous mark on goods its owner does not make or license.
- `brand.unauthorized`: a famous brand sold by a seller neither official nor authorized.

Apart from the matching so that matching does not depend on the context built from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detectors._cache import per_rules
from detectors.brand import Mention, compat_marker_before
from detectors.brand_index import names_any, phrase_tokens
from detectors.category import categories_compatible
from detectors.claims import field_keys, made_by, opening_floor
from detectors.context import ListingContext
from detectors.lines import line_start
from detectors.textnorm import brand_tokens
from rules.record import Signal

if TYPE_CHECKING:
    from rules.loader import Brand, RuleSet


def _lerp(a: float, b: float, t: float) -> float:
    t = min(1.0, max(0.0, t))
    return a + (b - a) * t


def _lookalike_signal(m: Mention, rules: RuleSet) -> Signal:
    cfg = rules.scoring.brand
    name = m.brand.name
    if m.kind == "fuzzy":
        t = (m.similarity - cfg.fuzzy_min_similarity) / max(1e-9, 100.0 - cfg.fuzzy_min_similarity)
        score = _lerp(cfg.lookalike_score.at_threshold, cfg.lookalike_score.at_full, t)
        sim = round(m.similarity)
        detail = f"'{m.evidence}' looks like brand '{name}' (similarity {sim})"
        detail_vi = f"'{m.evidence}' giống thương hiệu '{name}' (độ tương đồng {sim})"
    elif m.kind == "coded":
        score = cfg.coded_score
        detail = f"'{m.evidence}' is a code sellers use for brand '{name}' to dodge brand filters"
        detail_vi = f"'{m.evidence}' là mã người bán dùng thay tên thương hiệu '{name}' để né bộ lọc"
    elif m.kind == "typo_line":
        score = cfg.coded_score
        detail = f"'{m.evidence}' misspells {name}'s product line '{m.line}' (a typo-squat of the line)"
        detail_vi = f"'{m.evidence}' viết sai tên dòng sản phẩm '{m.line}' của {name} (cố tình viết lệch)"
    elif m.kind == "split_line":
        score = cfg.disguised_score
        detail = f"'{m.evidence}' is {name}'s product line '{m.line}' with its letters split apart"
        detail_vi = f"'{m.evidence}' là dòng sản phẩm '{m.line}' của {name} bị tách rời các chữ cái"
    elif m.kind == "dropped":
        score = cfg.coded_score
        detail = f"'{m.evidence}' is brand '{name}' with letters dropped, next to its line '{m.line}'"
        detail_vi = f"'{m.evidence}' là thương hiệu '{name}' bị bỏ bớt chữ, đứng cạnh dòng '{m.line}' của hãng"
    elif m.kind == "doubled":
        score = cfg.coded_score
        detail = f"'{m.evidence}' is brand '{name}' typed with letters doubled, to dodge brand filters"
        detail_vi = f"'{m.evidence}' là thương hiệu '{name}' bị gõ lặp chữ cái để né bộ lọc thương hiệu"
    elif m.kind == "separated":
        score = cfg.disguised_score
        detail = f"'{m.evidence}' is brand '{name}' set apart with underscores, which brand filters read as another word"
        detail_vi = f"'{m.evidence}' là thương hiệu '{name}' bị gắn dấu gạch dưới để né bộ lọc thương hiệu"
    elif m.kind == "stand_in":
        score = cfg.disguised_score
        detail = f"'{m.evidence}' is brand '{name}' with a symbol typed in place of a letter, to dodge brand filters"
        detail_vi = f"'{m.evidence}' là thương hiệu '{name}' có ký hiệu thay cho một chữ cái để né bộ lọc"
    elif m.kind == "split":
        score = cfg.disguised_score
        detail = f"'{m.evidence}' is brand '{name}' with its letters split apart"
        detail_vi = f"'{m.evidence}' là thương hiệu '{name}' bị tách rời các chữ cái"
    else:
        score = cfg.disguised_score
        detail = f"'{m.evidence}' is brand '{name}' written with look-alike characters"
        detail_vi = f"'{m.evidence}' là thương hiệu '{name}' viết bằng ký tự giả dạng"
    return Signal(code="brand.lookalike", detector="brand", score=round(score, 4), detail=detail, detail_vi=detail_vi)


def brand_signals(ctx: ListingContext, rules: RuleSet) -> list[Signal]:
    cfg = rules.scoring.brand
    out: list[Signal] = []
    claims = [m for m in ctx.mentions if m.is_claim]
    odd = [m for m in claims if m.kind not in ("exact", "line")]
    if ctx.declared_mention is not None and ctx.declared_mention.kind != "exact":
        odd.append(ctx.declared_mention)
    if odd:
        # One signal: the strongest disguise is the evidence that matters.
        signals = [_lookalike_signal(m, rules) for m in odd]
        out.append(max(signals, key=lambda s: s.score))

    title_brands = {m.brand.name: m for m in claims}
    declared = ctx.declared
    if ctx.declared_kind == "known" and declared is not None and title_brands and declared.name not in title_brands:
        # The maker's company in the brand field ("Nike" on a Jordan, "L'Oréal" on La
        # Roche-Posay) is how marketplaces file sub-brands, not a second brand.
        keys = field_keys(ctx.listing.brand, declared)
        others = [m.brand for m in title_brands.values() if not made_by(m.brand, keys, rules)]
        if others:
            out.append(Signal(
                code="brand.mismatch", detector="brand", score=cfg.mismatch_score,
                detail=f"declared brand '{ctx.listing.brand}' but the title names '{others[0].name}'",
                detail_vi=f"thương hiệu khai báo '{ctx.listing.brand}' nhưng tiêu đề ghi '{others[0].name}'",
            ))
    elif ctx.declared_kind in ("no_brand", "unknown"):
        famous = [m.brand for m in claims if m.brand.famous]
        if famous:
            keys = field_keys(ctx.listing.brand)
            famous = [b for b in famous if not made_by(b, keys, rules)]
        if famous:
            score = cfg.no_brand_mismatch_score if ctx.declared_kind == "no_brand" else cfg.unknown_mismatch_score
            out.append(Signal(
                code="brand.mismatch", detector="brand", score=score,
                detail=f"declared brand '{ctx.listing.brand}' but the title names '{famous[0].name}'",
                detail_vi=f"thương hiệu khai báo '{ctx.listing.brand}' nhưng tiêu đề ghi '{famous[0].name}'",
            ))

    off = _off_category(ctx, rules)
    if off is not None:
        out.append(off)

    untrusted = [b for b in ctx.claimed if b.famous and not ctx.trusted_for(b)]
    if untrusted:
        names = ", ".join(f"'{b.name}'" for b in untrusted[:3])
        seller = ctx.listing.seller.name or ctx.listing.seller.id or "unknown seller"
        out.append(Signal(
            code="brand.unauthorized", detector="brand", score=cfg.unauthorized_score,
            detail=f"famous brand {names} sold by '{seller}', not an official or authorized seller",
            detail_vi=f"thương hiệu nổi tiếng {names} do '{seller}' bán, không phải nhà bán chính hãng hay được ủy quyền",
        ))
    return out


@per_rules
def _foreign_phrases(rules: RuleSet) -> dict[str, tuple[tuple[str, ...], ...]]:
    return {key: tuple(t for t in map(phrase_tokens, cat.foreign_goods) if t)
            for key, cat in rules.categories.categories.items() if cat.foreign_goods}


def _foreign_goods(ctx: ListingContext, category: str, rules: RuleSet) -> str | None:
    """The first of the category's `foreign_goods` the title names, as folded words; none
    when a line of the house is named ("Tinh chất dưỡng trắng da Dior One Essential")."""
    phrases = _foreign_phrases(rules).get(category)
    if not phrases or ctx.line is not None:
        return None
    hit = _first_named(phrase_tokens(ctx.folded_title), phrases)
    return None if hit is None else " ".join(hit)


def _first_named(tokens: tuple[str, ...], phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    """The first of `phrases` the title's words hold; a phrase is looked for only when its
    first word is there (most titles name none of them)."""
    words = frozenset(tokens)
    return next((p for p in phrases if p[0] in words and names_any(tokens, (p,))), None)


def _plain_stream(ctx: ListingContext, rules: RuleSet) -> tuple[str, ...]:
    """The title's tokens as `find_mentions` numbers them (a mention's `start` indexes them)."""
    return brand_tokens(ctx.listing.title, rules.scoring.brand.collapse_min_letters,
                        rules.scoring.brand.leet_min_letters).plain


@per_rules
def _brand_foreign(rules: RuleSet) -> dict[str, tuple[tuple[str, ...], ...]]:
    return {b.name: tuple(t for t in map(phrase_tokens, b.foreign_goods) if t)
            for b in rules.brands.brands if b.foreign_goods}


_ENGINE_WORDS = (("dong", "co"), ("may",))  # "động cơ Honda GX160", "máy Honda": the engine inside


def _brand_foreign_goods(ctx: ListingContext, rules: RuleSet) -> tuple[str, str] | None:
    """(brand, goods) for a brand named on goods of its own `foreign_goods` list, however the
    mention was read (a vehicle maker's name reads as fitment): "Máy cưa xích chạy xăng honda"."""
    lists = _brand_foreign(rules)
    if not lists:
        return None
    stream: tuple[str, ...] | None = None
    for m in ctx.mentions:
        phrases = lists.get(m.brand.name)
        if not phrases:
            continue
        if stream is None:
            stream = _plain_stream(ctx, rules)
        hit = _first_named(stream, phrases)
        if hit is None or ctx.trusted_for(m.brand) or compat_marker_before(stream, m.start, rules):
            continue
        if any(stream[max(0, m.start - len(w)) : m.start] == w for w in _ENGINE_WORDS):
            continue
        return m.brand.name, " ".join(hit)
    return None


def _line_as_scent(ctx: ListingContext, brand: Brand, rules: RuleSet) -> bool:
    """The line is named after a marker ("nước xả vải Dior hương J'adore": its scent), not sold."""
    assert ctx.line is not None
    stream = _plain_stream(ctx, rules)
    return compat_marker_before(stream, line_start(brand, ctx.line, stream, rules), rules)


@per_rules
def _category_goods(rules: RuleSet) -> dict[str, frozenset[tuple[str, ...]]]:
    return {key: frozenset(t for t in map(phrase_tokens, cat.keywords) if t)
            for key, cat in rules.categories.categories.items()}


def _prices_own_goods(brand: Brand, category: str, head: tuple[str, ...], rules: RuleSet) -> bool:
    """The goods opening the title are goods of `category` that the registry prices for the
    brand itself (a floor for Zara's "nước hoa"): its own goods, however far from its category.
    A floor's word used for other goods ("túi giấy" is no Chanel "túi") is of another category."""
    hit = opening_floor(brand, head, rules)
    return hit is not None and hit[1] in _category_goods(rules).get(category, frozenset())


def _off_category(ctx: ListingContext, rules: RuleSet) -> Signal | None:
    """A famous mark on goods its owner does not make ("ZARA" whitening cream): the title
    claims the brand, and the goods' category (platform path, else title words) is neither
    the brand's category, nor one its category lists as related, nor one it licenses."""
    score = rules.scoring.brand.off_category_score
    goods = ctx.inferred_category
    if score <= 0:
        return None
    own = _brand_foreign_goods(ctx, rules)
    if own is not None:
        return Signal(
            code="brand.off_category", detector="brand", score=score,
            detail=f"'{own[0]}' named on '{own[1]}' goods it does not make",
            detail_vi=f"'{own[0]}' gắn trên hàng '{own[1]}' mà hãng không sản xuất",
        )
    for m in ctx.mentions:
        brand = m.brand
        if not brand.famous or ctx.trusted_for(brand):
            continue
        foreign = _foreign_goods(ctx, brand.category, rules)
        # Also as the scent or pattern of such goods ("Nước xả vải hương Chanel", "chăn ga họa
        # tiết Dior"), unless another maker is claimed ("Nước xả vải Comfort hương Chanel").
        if foreign is not None and (m.is_claim or all(b is brand for b in ctx.claimed)):
            return Signal(
                code="brand.off_category", detector="brand", score=score,
                detail=f"famous brand '{brand.name}' ({brand.category}) on '{foreign}' goods no such house makes",
                detail_vi=f"thương hiệu nổi tiếng '{brand.name}' ({brand.category}) gắn trên hàng '{foreign}' "
                          f"mà các hãng loại này không sản xuất",
            )
        if not m.is_claim:
            continue
        if goods is None:
            continue
        if brand.category not in rules.scoring.brand.off_category_brand_categories:
            continue
        if goods in brand.licensed_categories or categories_compatible(brand.category, goods, rules):
            continue  # its own goods, or goods it sells under licence (Hugo Boss fragrances)
        if ctx.line_brand is brand and ctx.line is not None and not _line_as_scent(ctx, brand, rules):
            continue  # "Nước hoa Zara Red Temptation": a line the brand itself sells is its own goods
        if ctx.line is None and _prices_own_goods(brand, goods, _plain_stream(ctx, rules)[:m.start], rules):
            continue  # "Nước hoa Zara Red Vanilla": goods the registry prices for the brand are its own
        return Signal(
            code="brand.off_category", detector="brand", score=score,
            detail=f"famous brand '{brand.name}' ({brand.category}) on {goods} goods it does not make",
            detail_vi=f"thương hiệu nổi tiếng '{brand.name}' ({brand.category}) gắn trên hàng {goods} "
                      f"mà hãng không sản xuất",
        )
    return None
