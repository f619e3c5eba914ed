"""What every detector needs to know about a listing, computed once per listing.

Brand mentions, the declared brand, the category, the product line and whether the
seller is official are shared by several detectors; computing them here keeps the
detectors small and the batch fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from typing import Literal

from detectors._cache import Memo, per_rules
from detectors.brand import (
    Mention,
    MentionKind,
    compat_marker_before,
    find_mentions,
    is_compat_at,
    resolve_declared,
)
from detectors.brand_index import brand_index, phrase_tokens
from detectors.category import (
    categories_compatible,
    category_in_title,
    category_phrases,
    infer_category_of,
    sells_used_market_goods,
)
from detectors.claims import (
    category_floor,
    field_disguise,
    makes_goods,
    opening_floor,
    parent_of,
    written_in_vietnamese,
)
from detectors.corroboration import (
    has_context,
    needs_context,
    other_maker_declared,
    plausible_fuzzy,
)
from detectors.form import ProductForm, pack_lead, parse_form, raw_head
from detectors.lines import (
    TitleGrams,
    brand_floor,
    dropped_letters,
    identified_line,
    line_start,
    names_floor_goods,
    names_its_line,
    product_line_by,
)
from detectors.text import path_quotes_a_work, quotes_a_work
from detectors.textnorm import brand_tokens, fold, has_vietnamese_marks
from rules.loader import Brand, ProductLine, RuleSet
from rules.record import Listing


@dataclass(frozen=True)
class _Compiled:
    # `_head_sells` by (head, brand name): the words before a brand repeat across listings.
    heads_selling: Memo[tuple[tuple[str, ...], str], bool] = field(default_factory=Memo)
    # A brand field's disguised spelling of the brand it names ("Nikę", "PU MA"), by field value.
    field_disguises: Memo[str, Mention | None] = field(default_factory=Memo)


@per_rules
def _compiled(rules: RuleSet) -> _Compiled:
    return _Compiled()


def _sells_the_part(form: ProductForm, line: ProductLine | None, goods: tuple[str, ...] | None,
                    brand: Brand | None) -> bool:
    """A part noun that is what the brand's line or floor itself is about ("cáp" of an Apple
    cable line): the listing sells the brand's own part, priced as such. A maker of parts and
    consumables ("Bugi NGK Iridium", "Pin Makita BL1850B") needs no "chính hãng" for it."""
    own_parts = brand is not None and brand.sells_parts
    if form.kind != "part" or form.evidence is None or not (form.genuine or own_parts):
        # "Củ sạc iPhone" names the phone it charges; "Củ sạc Apple chính hãng" claims Apple's own.
        return False
    part = set(brand_tokens(form.evidence).plain)
    if goods is not None and part <= set(goods):
        return True
    if own_parts and brand is not None and any(part <= set(phrase_tokens(g)) for f in brand.floors for g in f.goods):
        return True  # a kind of part its floors name: NGK's "bugi", Makita's "pin", Michelin's "vỏ"
    return line is not None and any(part <= set(brand_tokens(kw).plain) for kw in line.keywords)


# A hand-written `__init__` (the dataclass keeps its fields, `replace`, repr and equality): the
# one the dataclass module generates is interpreted even in the compiled build, ~1 µs a listing.
@dataclass(init=False)
class ListingContext:
    listing: Listing
    rules: RuleSet
    folded_title: str
    accented: bool
    mentions: list[Mention]
    declared_kind: Literal["none", "no_brand", "known", "unknown"]
    declared: Brand | None
    declared_mention: Mention | None
    claimed: list[Brand]
    inferred_category: str | None
    category: str | None
    official: bool
    line: ProductLine | None
    line_brand: Brand | None
    form: ProductForm
    floor: int | None = None  # the primary brand's price floor for the goods named, when no line is
    line_only: bool = False  # the brand is claimed only through one of its product lines
    sells_brand: bool = True  # the claimed brand is what is sold, not what the goods go with
    # Famous brands named only after a style word ("form Gucci loại 1"): no claim to price, but
    # a brand the replica grades that need one ("loại 1", "VNXK") refer to.
    styled: tuple[Brand, ...] = ()
    _trusted: dict[str, bool] = field(default_factory=dict)

    def __init__(self, listing: Listing, rules: RuleSet, folded_title: str, accented: bool, mentions: list[Mention],
                 declared_kind: Literal["none", "no_brand", "known", "unknown"], declared: Brand | None,
                 declared_mention: Mention | None, claimed: list[Brand], inferred_category: str | None,
                 category: str | None, official: bool, line: ProductLine | None, line_brand: Brand | None,
                 form: ProductForm, floor: int | None = None, line_only: bool = False, sells_brand: bool = True,
                 styled: tuple[Brand, ...] = (), _trusted: dict[str, bool] | None = None) -> None:
        self.listing, self.rules, self.folded_title, self.accented = listing, rules, folded_title, accented
        self.mentions, self.declared_kind, self.declared = mentions, declared_kind, declared
        self.declared_mention, self.claimed, self.inferred_category = declared_mention, claimed, inferred_category
        self.category, self.official, self.line, self.line_brand = category, official, line, line_brand
        self.form, self.floor, self.line_only, self.sells_brand, self.styled = form, floor, line_only, sells_brand, styled
        self._trusted = {} if _trusted is None else _trusted

    def trusted_for(self, brand: Brand) -> bool:
        """Official for the platform, or on the brand's official/authorized list."""
        hit = self._trusted.get(brand.name)
        if hit is None:
            hit = self.official or _listed(brand, self.listing)
            self._trusted[brand.name] = hit
        return hit

    @property
    def dampened(self) -> bool:
        """Official seller, or trusted for a brand the listing claims."""
        return self.official or any(self.trusted_for(b) for b in self.claimed)

    @property
    def primary_brand(self) -> Brand | None:
        return self.claimed[0] if self.claimed else None


def _listed(brand: Brand, listing: Listing) -> bool:
    sid = listing.seller.id
    if sid is None:
        return False
    keys = [listing.platform]
    if listing.platform.startswith("demo-"):
        keys.append(listing.platform.removeprefix("demo-"))
    for key in keys:
        if sid in brand.official_sellers.get(key, ()) or sid in brand.authorized_sellers.get(key, ()):
            return True
    return False


def is_official_seller(listing: Listing, rules: RuleSet) -> bool:
    """The platform marks the shop official, or it is the platform's own retail."""
    seller = listing.seller
    if seller.is_official is True:
        return True
    sid = seller.id
    if sid is None:
        return False
    official = _official_ids(rules)
    name = listing.platform
    ids = official.get(name)
    if ids is None:
        platform = rules.platform(name)  # `demo-tiki` falls back to `tiki`'s rules
        ids = official[name] = frozenset() if platform is None else frozenset(
            (*platform.first_party_sellers, *platform.official_sellers))
    return sid in ids


@per_rules
def _official_ids(rules: RuleSet) -> dict[str, frozenset[str]]:
    """Each platform's own-retail and official seller ids, filled as platforms are met."""
    return {}


def build_context(listing: Listing, rules: RuleSet) -> ListingContext:
    title = listing.title
    mentions = find_mentions(title, rules)
    kind, declared = resolve_declared(listing.brand, rules)
    declared_mention: Mention | None = None
    if kind == "unknown" and listing.brand is not None:
        # "Nikee" in the brand field is itself a look-alike claim.
        # Not a goods-scoped code: "C.K" is Calvin Klein's only after its goods in a title, and a
        # brand field names no goods ("C.K Tools" makes pliers).
        scoped = brand_index(rules).goods_codes
        found = [m for m in find_mentions(listing.brand, rules) if m.kind != "exact" and not (
            m.kind == "coded" and (m.brand.name, phrase_tokens(m.evidence)) in scoped)]
        if found:
            declared_mention = found[0]
            kind, declared = "known", found[0].brand
    elif kind == "known" and listing.brand is not None and declared is not None:
        # "Nikę", "𝐍𝐈𝐊𝐄", "PU MA" in the brand field name the brand (its prices apply) and, as
        # in a title, are written to dodge filters.
        declared_mention = _compiled(rules).field_disguises.get(
            listing.brand, partial(field_disguise, listing.brand, declared, rules))
    folded_title = fold(title)
    accented = has_vietnamese_marks(title)
    inferred = infer_category_of(listing, rules, folded_title, accented)
    # A book, film or poster names brands and models as its subject ("Sách Steve Jobs và
    # Apple", "Poster Rolex Submariner"), and its brand field names the publisher: no claim of a
    # maker's goods. Only the title's head says so: goods named in the title ("túi xách") leave
    # the brands claimed, and a seller may file anything under a book path. A category read
    # from a book path ("Sách Y học & Sức khỏe" reads as health goods) names no goods.
    work = ((inferred is None or (path_quotes_a_work(listing.category, rules)
                                  and category_in_title(title, rules, folded_title, accented) is None))
            and quotes_a_work(title, rules))
    if work:
        mentions, kind, declared, declared_mention = [], "unknown", None, None
    grams = TitleGrams(brand_tokens(title, rules.scoring.brand.collapse_min_letters,
                                    rules.scoring.brand.leet_min_letters).plain)

    # A short name dropped for want of context still says where a compatibility phrase ends
    # ("dành cho nón LS2 FF353": the visor fits that helmet, whatever the goods' category).
    kept: list[Mention] = []
    compat_dropped: list[Mention] = []
    for m in mentions:
        if not needs_context(m, rules) or has_context(m, title, grams, mentions, inferred, rules):
            kept.append(m)
        elif m.compat:
            compat_dropped.append(m)
    mentions = kept
    # The title's head noun (before any brand): a part or accessory there ("bộ lọc thay thế
    # cho máy hút bụi Philips") makes every brand after a compatibility word a compatibility
    # mention, however many words lie between them.
    first_mention = min((m.start for m in mentions), default=min(4, len(grams.tokens)))
    head = raw_head(title, first_mention) if first_mention else None
    form = parse_form(title, rules, head, folded_title, accented)
    if form.part is not None:
        mentions = [replace(m, compat=True) if not m.compat and compat_marker_before(grams.tokens, m.start, rules)
                    else m for m in mentions]
    # An accessory noun before a brand makes it a compatibility mention ("ốp lưng iPhone"),
    # unless the brand makes that accessory ("ốp lưng Spigen"): then it is the maker.
    # ... unless the brand field names another maker of that accessory ("Spigen" on "Ốp lưng
    # iPhone 15 Ultra Hybrid"): then the phone is what the Spigen case fits.
    # (A look named after a label, "giày phong cách Converse", stays no claim of it.)
    mentions = [replace(m, compat=False) if m.compat and makes_goods(m.brand, grams.tokens, m.start, rules)
                and not other_maker_declared(m.brand, m.start, kind, declared, grams, rules)
                and is_compat_at(grams.tokens, m.start, rules, styles=False) else m for m in mentions]
    # A vehicle maker names what the goods fit unless the title opens with its own goods, or
    # its letters are split apart: "má phanh H.O.N.D.A zin" hides the maker it claims from
    # filters ("xe honđa" is only typed with the Vietnamese đ).
    mentions = [replace(m, compat=True) if m.brand.fitment and not m.compat and m.kind != "split"
                and brand_floor(m.brand, grams.tokens[:rules.scoring.brand.head_noun_words], rules) is None
                else m for m in mentions]
    if declared_mention is not None and declared_mention.kind == "fuzzy" and not plausible_fuzzy(
            declared_mention, inferred, grams, rules):
        declared_mention, kind, declared = None, "unknown", None
    if (kind == "known" and declared is not None and declared.require_context and inferred is not None
            and not categories_compatible(declared.category, inferred, rules)
            and all(m.brand is not declared for m in mentions)):
        kind, declared = "unknown", None  # "Jordan" on a toothbrush is Jordan oral care, not Air Jordan
    hit = None if work else identified_line(grams.tokens, rules, title)
    if hit is not None and not hit.typo:
        # "Pop Mart Skullpanda": a line's own name is no near miss of another brand (Skullcandy).
        mentions = [m for m in mentions if not (m.kind == "fuzzy" and m.brand is not hit.brand
                                                and m.start < hit.end and hit.start < m.end)]
    claimed: list[Brand] = []
    compat_only = {m.brand.name for m in mentions if m.compat}
    if declared_mention is not None and declared is not None and declared.name in compat_only:
        declared_mention = None  # "Sam sung" on "Ốp lưng Samsung A55" names the phone the case fits
    if declared is not None and kind == "known" and declared.name not in compat_only and not parent_of(
            declared, listing.brand, mentions, rules):
        # A brand field that repeats the device a case is for ("Apple" on "ốp lưng cho
        # iPhone") is not a claim either, nor the group that makes a brand the title claims
        # ("L'Oréal" on a Vichy sunscreen: Vichy's prices apply, not L'Oréal's).
        claimed.append(declared)
    for m in mentions:
        if m.is_claim and m.brand not in claimed:
            claimed.append(m.brand)
    line: ProductLine | None = None
    line_brand: Brand | None = None
    line_only = False
    # "Bleu de Chanel", "WH-1000XM5": a famous line names its maker without the brand; "Air
    # Forse 1" misspells it, "Adds Samba" cuts the brand short next to it. When the title also
    # names other brands, the line's maker leads only if it makes the goods the title opens
    # with ("Ốp lưng Sony XZ2 ... Rugged Armor" is a Spigen case for a Sony phone).
    if hit is not None and accented and written_in_vietnamese(title, hit.evidence, hit.line.line):
        hit = None  # "mạch 6 fet" is a circuit board, not the Hoka Mach 6
    if hit is not None and hit.typo and inferred is not None and not categories_compatible(
            hit.brand.category, inferred, rules):
        hit = None  # "Eveline" body lotion is no misspelt Hermès Evelyne bag
    if hit is not None and hit.by_goods and (kind == "unknown" or (declared not in (None, hit.brand))
                                             or compat_marker_before(grams.tokens, hit.start, rules)):
        hit = None  # "Đồng hồ Kospet Tank T3" is Kospet's Tank; "keycap cho bàn phím ... G Pro" fits one
    if hit is not None and hit.brand not in claimed and not any(
            m.compat and m.brand is hit.brand and m.end <= hit.start
            and (is_compat_at(grams.tokens, m.start, rules, styles=False)
                 or (form.part is not None and compat_marker_before(grams.tokens, m.start, rules)))
            for m in (*mentions, *compat_dropped)):
        # ("Dây giày thay thế cho Nike Air Force 1", "Lưỡi dao thay thế dành cho máy xay Philips
        # HR2118": the line names the model the part fits.)
        makes = (makes_goods(hit.brand, grams.tokens, hit.start, rules)
                 and not other_maker_declared(hit.brand, hit.start, kind, declared, grams, rules))
        # "style Yeezy 350", "phong cách Hermes Birkin": a model named after a look word is a copy of it.
        if (not claimed and not is_compat_at(grams.tokens, hit.start, rules, styles=False)) or makes:
            line, line_brand, line_only = hit.line, hit.brand, True
            claimed.insert(0, hit.brand)
            cut = dropped_letters(grams.tokens, hit, rules)
            how: MentionKind = ("dropped" if cut is not None else "typo_line" if hit.typo
                                else "split_line" if hit.split else "line")
            mentions.append(Mention(hit.brand, how, hit.evidence if cut is None else cut, 100.0, False,
                                    hit.start, hit.end, hit.line.line))
    category = claimed[0].category if claimed else inferred
    if form.used_in_used_market is not None and not form.used and sells_used_market_goods(
            title, inferred or category, rules):
        # "Laptop Dell latitude nhập Mỹ" is a second-hand import; "Máy xay Vitamix nhập Mỹ" is new.
        form = replace(form, used=True, sold_as_new=False,
                       evidence=form.used_in_used_market if form.kind == "full" else form.evidence)
    if line is None and claimed:
        # Only the first brand's lines: "Ugreen ốp lưng iPhone 12 Pro" sells an Ugreen case.
        by_keyword = product_line_by(claimed[0], grams, rules)
        line = None if by_keyword is None else by_keyword[0]
        if (by_keyword is not None and hit is not None and hit.brand is claimed[0] and not hit.typo
                and names_floor_goods(claimed[0], by_keyword[1], rules)
                and not compat_marker_before(grams.tokens, hit.start, rules)):
            # "Máy đo huyết áp Omron HEM-7361T": the model the title names, not the line that
            # the kind of goods ("máy đo huyết áp", the longer keyword) would price it as.
            line = hit.line
        line_brand = claimed[0] if line is not None else None
    claim_start = min((m.start for m in mentions if m.is_claim), default=0)
    if line is not None:
        # "Chiết Bleu de Chanel": the line opens the claim even when the brand sits inside it.
        claim_start = min(claim_start, line_start(line_brand or claimed[0], line, grams.tokens, rules))
    claim_head = grams.tokens[:claim_start]
    # The head may also name goods the brand itself sells ("Tông đơ cắt tóc WAHL Magic Clip").
    head_floor = opening_floor(claimed[0], claim_head, rules) if claimed else None  # used twice below
    sells = bool(claimed) and (_head_sells(claim_head, claimed[0], rules) or head_floor is not None)
    # A floor is for goods the title is about: named before the brand ("loa JBL"), or
    # anywhere when the title starts with the brand ("JBL loa mini"); "que chọc sim iPhone"
    # sells a SIM pin, whatever an iPhone costs.
    floor_hit = ((head_floor if claim_head else brand_floor(claimed[0], grams.tokens, rules))
                 if line is None and claimed else None)
    if floor_hit is not None and not form.genuine and _named_by_device(mentions, claimed[0], floor_hit[1], rules,
                                                                       grams.tokens):
        # "Tai nghe bluetooth iPhone" names the phone it goes with, not Apple as its maker:
        # without a claim that the goods are genuine, Apple's earphone floor says nothing.
        floor_hit = None
    floor = None if floor_hit is None else floor_hit[0]
    if floor is None and line is None and claimed and claimed[0].famous and not form.used:
        # "Giày Nam Versace", "cà vạt Balenciaga": no line or goods floor is known, but nothing
        # the house sells on such goods is cheap.
        house = rules.category(claimed[0].category)
        if house is not None and house.house_floor is not None and inferred in house.house_floor_goods:
            floor = claimed[0].house_floor or house.house_floor
    if floor is None and line is None and claimed and not form.used and form.kind == "full":
        # "Nón kết Reebok", "ELLESSE Áo Hoodies": a famous maker's caps and tees have a floor
        # of their category's where the brand has none of its own for them.
        floor = category_floor(claimed[0], claim_head or grams.tokens, rules, anywhere=not claim_head)
    if _sells_the_part(form, line, None if floor_hit is None else floor_hit[1], claimed[0] if claimed else None) and (
            line is not None or not _named_by_device(mentions, claimed[0], (), rules, grams.tokens)):
        # "Cáp sạc Samsung chính hãng" claims Samsung's own cable; "Cáp ... Lightning iPhone
        # Elough chính hãng" names the phone, and "chính hãng" vouches for another maker.
        form = replace(form, kind="full")
    if (form.kind == "part" and form.part is not None and line is not None and line_brand is not None
            and (line_only or form.genuine)):
        # "Ốp lưng Sony XZ2 ... Rugged Armor", "Sạc Samsung 25W EP-TA800 chính hãng": the part
        # is what the line itself is (a Spigen case, Samsung's charger), when the brand sells
        # such parts and the line's band is of their price.
        part_tokens = brand_tokens(form.part).plain
        part_floor = brand_floor(line_brand, part_tokens, rules)
        # A floor for the part itself ("lưỡi dao"), not for goods a word of it names ("bút" in "ruột bút").
        own_floor = part_floor is not None and part_floor[1] == part_tokens
        span = rules.scoring.brand.part_line_span * (0 if part_floor is None else part_floor[0])
        if part_floor is not None and line.price_min <= span and (line_only or (own_floor and line.price_max <= span)):
            form = replace(form, kind="full")
        elif (part_floor is not None and own_floor and not line_only and line_brand is (claimed[0] if claimed else None)
              and not _named_by_device(mentions, line_brand, (), rules, grams.tokens)):
            # "Củ sạc Apple chính hãng ... sạc iPhone 15": the brand's own charger, claimed
            # genuine; the iPhone line names the phone it charges, and the charger's floor holds.
            line, floor, form = None, part_floor[0], replace(form, kind="full")
    if form.kind == "sample" and line is not None and form.evidence is not None and names_its_line(
            form.evidence, line, grams):
        form = replace(form, kind="full")  # "Balo Kanken Mini 7L": the line's own name, not a mini size
    styled = tuple(m.brand for m in mentions if m.compat and m.brand.famous
                   and is_compat_at(grams.tokens, m.start, rules)
                   and not is_compat_at(grams.tokens, m.start, rules, styles=False))
    return ListingContext(
        listing=listing,
        styled=styled,
        rules=rules,
        folded_title=folded_title,
        accented=accented,
        mentions=mentions,
        declared_kind=kind,
        declared=declared,
        declared_mention=declared_mention,
        claimed=claimed,
        inferred_category=inferred,
        category=category,
        official=is_official_seller(listing, rules),
        line=line,
        line_brand=line_brand,
        form=form,
        floor=floor,
        line_only=line_only,
        sells_brand=sells,
    )


def _named_by_device(mentions: list[Mention], brand: Brand, goods: tuple[str, ...], rules: RuleSet,
                     tokens: tuple[str, ...]) -> bool:
    """The brand is named only through one of its devices ("iphone" for Apple) and the goods
    are of another category than the brand's own ("tai nghe" is no phone). A title that also
    writes the maker's own name ("Củ sạc iPhone 20W chính hãng Apple") names it as the maker."""
    names = [m for m in mentions if m.brand is brand and m.is_claim]
    if not names:
        return False
    text = " ".join(goods)
    if brand.category in {m.value for m in category_phrases(rules).finditer(text, text, False)}:
        return False
    own = brand_tokens(brand.name).plain
    if own and any(tokens[i : i + len(own)] == own for i in range(len(tokens) - len(own) + 1)):
        return False
    brand_words = set(own)
    return all(set(m.evidence.split()) - brand_words for m in names)


def _head_sells(head: tuple[str, ...], brand: Brand, rules: RuleSet) -> bool:
    return _compiled(rules).heads_selling.get((head, brand.name), lambda: _head_sells_of(head, brand, rules))


def _head_sells_of(head: tuple[str, ...], brand: Brand, rules: RuleSet) -> bool:
    """Whether the words before the brand leave it the goods being sold: nothing there, words
    of the brand's category ("giày Nike"), or a short head naming no other category. "Bao đeo
    lưng iPhone XR" sells a pouch, not an iPhone XR."""
    # "SET 3 CHAI Chanel No.5": the pack, its count and container say how many, not what.
    lead = pack_lead(head, rules)
    head = head[lead:]
    if not head:
        return True
    text = " ".join(head)
    found = sorted(category_phrases(rules).finditer(text, text, False), key=lambda m: (m.start, -len(m.text)))
    if found:
        # The goods are what the head opens with: "Ví cầm tay ... để điện thoại và iPad mini"
        # sells a wallet; the phone named later is what it holds.
        return categories_compatible(brand.category, found[0].value, rules)
    # A short head naming no category is the brand's goods ("Đện thoại iPhone"), but not
    # after a pack: "Combo 2 kính iPhone 15" sells screen protectors.
    return not lead and len(head) <= rules.scoring.brand.short_head_words


__all__ = ["ListingContext", "brand_index", "build_context", "is_official_seller"]
