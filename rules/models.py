"""Models of the rule files that describe what is sold and where: `brands.yaml`,
`slang.yaml`, `categories.yaml`, `platforms.yaml`, `provinces.yaml`, `countries.yaml` and
`normalize.yaml` (DESIGN §4.4). `scoring.yaml` is modelled in `rules.scoring`, the
watchlist in `rules.watchlist`, product lines and forms in `rules.products`.

Each model checks one file on its own; checks that span files (a brand's category exists)
are in `rules.validate`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from pydantic import Field, field_validator, model_validator

from rules.base import Band, Strict
from rules.products import BrandFloor, GoodsCode, PackSize, check_identifies_with

# A line named "... 625ml", "... 1.7kg", "... 1.5L". Litres only up to 10 and not in a range or
# list: a "Kanken 16L", a "204L" fridge or a "1.0-1.4L" bottle names a capacity, not contents.
_NAMED_SIZE = re.compile(r"(?<![\d.,/-])(?<![/-]\s)(\d+(?:[.,]\d+)?)\s*(ml|g|kg|l)\s*$", re.IGNORECASE)
_NAMED_UNITS = {"ml": ("ml", 1.0), "g": ("g", 1.0), "kg": ("g", 1000.0), "l": ("ml", 1000.0)}
_NAMED_LITRES_MAX = 10.0
# ... or named with its count: "Panadol Extra (180 tablets)", "Everytime 30 sticks"; not a
# range ("6-10 pcs", "24/30 pieces"), which names no one pack.
_NAMED_COUNT = re.compile(r"(?<![\d/-])(?<![/-]\s)(\d+)\s*(?:tablets?|caplets?|caps|capsules|softgels?|sachets?|sticks|"
                          r"patches|pieces|pcs|pack|lozenges|masks)\b(?!\s*[/-]\s*\d)", re.IGNORECASE)


def _contents(named: re.Match[str]) -> dict[str, float | str] | None:
    """The pack size a line's name ends with, in base units; None for litres of capacity."""
    value, written = float(named.group(1).replace(",", ".")), named.group(2).lower()
    if written == "l" and value > _NAMED_LITRES_MAX:
        return None
    unit, factor = _NAMED_UNITS[written]
    return {"value": value * factor, "unit": unit}


def _nonblank(values: Iterable[str], what: str) -> None:
    for v in values:
        if v.strip() == "":
            raise ValueError(f"{what} must not be blank")


class ProductLine(Band):
    line: str
    keywords: list[str] = Field(min_length=1)
    identifies: bool = Field(
        default=False, description="A keyword alone names this maker's product ('Bleu de Chanel', 'WH-1000XM5').")
    identifies_with: list[str] = Field(
        default_factory=list, description="Goods words (folded) with which a keyword names this maker's product "
        "though it does not alone: 'charge 5' is JBL's only in a speaker listing ('loa'), 'daytona' Rolex's only "
        "on a watch ('dong ho'). Only for lines that do not identify on their own.")
    size: PackSize | None = None
    sold_new: bool = Field(
        default=True, description="false: no longer sold new (iPhone 6): any sale is second-hand, never priced")
    corroborates: bool = Field(
        default=True, description="its keywords are distinctive enough to confirm a near-miss brand name "
        "('Whichy Soleil'); false for ordinary words that only pick a line once the brand is known")

    @model_validator(mode="after")
    def _goods_only_when_not_identifying(self) -> ProductLine:
        check_identifies_with(self.identifies, self.identifies_with)
        return self

    @model_validator(mode="before")
    @classmethod
    def _size_from_name(cls, data: object) -> object:
        # "Shampoo 625ml" is a band for 625 ml even where the entry gives no `size`: without
        # it a 410 ml bottle would be priced against the 625 ml band.
        if isinstance(data, dict) and data.get("size") is None and isinstance(data.get("line"), str):
            named = _NAMED_SIZE.search(data["line"])
            counted = _NAMED_COUNT.findall(data["line"])
            contents = None if named is None else _contents(named)
            if contents is not None:
                data = {**data, "size": contents}
            elif counted:
                # A box of 180 tablets is no price for a strip of 12.
                data = {**data, "size": {"value": float(counted[-1]), "unit": "count"}}
        return data


class Brand(Strict):
    name: str
    category: str
    aliases: list[str] = Field(default_factory=list)
    lookalike_exceptions: list[str] = Field(default_factory=list)
    famous: bool = False
    accent_strict: bool = Field(
        default=False,
        description="The name is ordinary Vietnamese words without diacritics ('Kinh Đô' vs 'kính đỏ'): "
        "in text typed with diacritics only the accented spelling counts.",
    )
    makers: list[str] = Field(
        default_factory=list, description="Company names a seller may declare as the brand (Abbott for Similac)."
    )
    require_context: bool = Field(
        default=False,
        description="The name is also an ordinary word or unit (3M = 3 metres): it is a claim only when the "
        "listing's category fits the brand or the title names one of its product lines.",
    )
    coded_names: list[str] = Field(
        default_factory=list,
        description="Codes sellers use for the brand or its models to dodge brand filters ('CK2' for "
        "Converse Chuck 2, 'ZY 350' for Yeezy 350, 'HK-II' for SK-II): naming one is a look-alike claim.",
    )
    goods_codes: list[GoodsCode] = Field(
        default_factory=list,
        description="Short codes that name the brand only after these goods, and only where "
        "the title does not name the brand outright ('Dép GC' is Gucci's slides; 'nón kết hàng GC' is "
        "contract-made): a look-alike claim like `coded_names`.")
    official_sellers: dict[str, list[str]] = Field(default_factory=dict)
    authorized_sellers: dict[str, list[str]] = Field(default_factory=dict)
    gs1_prefixes: list[str] = Field(default_factory=list)
    products: list[ProductLine] = Field(default_factory=list)
    floors: list[BrandFloor] = Field(default_factory=list)
    fitment: bool = Field(
        default=False, description="A maker of vehicles: its name in a listing mostly says what the goods fit "
        "('thảm taplo Toyota Innova'); a claim only when the title opens with goods the maker sells.")
    sells_parts: bool = Field(
        default=False, description="A maker of parts and consumables (batteries, spark plugs, tyres): a part noun "
        "before its name ('Pin Makita', 'Bugi NGK', 'Vỏ Michelin') sells its own goods, priced by its lines and "
        "floors, unless a compatibility word comes first ('pin thay thế cho Makita').")
    house_floor: int | None = Field(
        default=None, gt=0, description="this brand's own lowest genuine new price on its category's "
        "`house_floor_goods`, where it differs from the category's (an accessible house's outlet card holder)")
    foreign_goods: list[str] = Field(
        default_factory=list, description="Goods the brand's name is put on but the brand does not make (a "
        "vehicle maker's name on a chainsaw or a tyre pump): its name on them is brand.off_category, even where "
        "it would otherwise say what the goods fit; not after a compatibility word ('cho xe Toyota') nor as the "
        "engine ('động cơ Honda').")
    licensed_categories: list[str] = Field(
        default_factory=list, description="Categories of goods the brand sells under licence (a fashion house's perfume).")

    @field_validator("name")
    @classmethod
    def _name_present(cls, v: str) -> str:
        _nonblank([v], "name")
        return v

    @field_validator("aliases", "lookalike_exceptions", "coded_names")
    @classmethod
    def _no_blank(cls, v: list[str]) -> list[str]:
        _nonblank(v, "entries")
        return v

    @field_validator("official_sellers", "authorized_sellers", mode="before")
    @classmethod
    def _ids_as_strings(cls, v: object) -> object:
        # YAML reads `tiki: [1]` as an int; seller ids are strings everywhere else.
        if isinstance(v, dict):
            return {k: [str(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in (ids or [])]
                    for k, ids in v.items()}
        return v

    @field_validator("gs1_prefixes")
    @classmethod
    def _prefix_digits(cls, v: list[str]) -> list[str]:
        for p in v:
            if not (p.isdigit() and 3 <= len(p) <= 12):
                raise ValueError(f"GS1 prefix {p!r} must be 3-12 digits (quote it so YAML keeps leading zeros)")
        return v

    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]


class CompatibilityRules(Strict):
    """Words that turn a brand mention into a compatibility mention ("ốp lưng cho iPhone")."""

    markers: list[str] = Field(min_length=1)
    style_markers: list[str] = Field(
        default_factory=list, description="Words naming a look after a label ('phong cách North Face', 'form "
        "Uniqlo'): the label after them is no claim, but a named model after them is a copy of it.")
    fillers: list[str] = Field(default_factory=list)
    audiences: list[str] = Field(
        default_factory=list, description="Who or what the goods are for when that is no device ('cho mèo', "
        "'cho bé', 'dành cho da dầu'): a marker followed by one introduces no compatibility, so a brand after "
        "it is the maker ('Hạt cho mèo Royal Canin').")
    not_markers: list[str] = Field(
        default_factory=list, description="Goods named with a marker word ('kẹo ngậm', 'viên ngậm': a lozenge "
        "folds to the lens mount's 'ngam'): a marker at the end of one introduces no compatibility.")
    accessories: list[str] = Field(default_factory=list)
    max_fillers: int = Field(default=3, ge=0)


class BrandsFile(Strict):
    schema_version: Literal[1]
    no_brand_values: list[str] = Field(default_factory=list)
    fuzzy_ignore_words: list[str] = Field(default_factory=list)
    compatibility: CompatibilityRules
    brands: list[Brand] = Field(min_length=1)


class SlangTerm(Strict):
    term: str
    variants: list[str] = Field(default_factory=list)
    regex: list[str] = Field(default_factory=list)
    score: float = Field(ge=0.0, le=1.0)
    requires_brand: bool = False
    accent_sensitive: bool = False
    unless: list[str] = Field(default_factory=list)
    of_works: bool = False
    en: str
    vi: str

    @field_validator("regex")
    @classmethod
    def _regex_compiles(cls, v: list[str]) -> list[str]:
        for pattern in v:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
        return v


class CopyMarkers(Strict):
    strong: list[str] = Field(default_factory=list)
    weak: list[str] = Field(default_factory=list)


class SlangFile(Strict):
    schema_version: Literal[1]
    guards: list[str] = Field(default_factory=list)
    media_heads: list[str] = Field(default_factory=list)
    media_heads_unless: list[str] = Field(default_factory=list)
    media_heads_branded: list[str] = Field(
        default_factory=list, description="Media heads of works sold under their maker's mark (a board game: "
        "'Catan'): a category path level opening with one does not say the title's brands are a work's subject.")
    media_formats: list[str] = Field(default_factory=list)
    copy_markers: CopyMarkers = Field(default_factory=CopyMarkers)
    terms: list[SlangTerm] = Field(min_length=1)


class Category(Strict):
    label_en: str
    label_vi: str
    health: bool = False
    queue_weight: float = Field(default=1.0, gt=0.0)
    barcode_expected: bool = False
    related: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    used_market: bool = Field(
        default=False, description="second-hand units are sold widely without saying so (phones): only a price "
        "no used unit reaches is evidence (scoring.yaml price.below_reference.used_market_ratio)")
    used_market_goods: list[str] = Field(
        default_factory=list, description="when given, used_market holds only for titles naming one of these "
        "goods: a laptop sells second-hand unmarked, a mixer or a power bank rarely does")
    house_floor: int | None = Field(
        default=None, gt=0, description="the lowest genuine new price of anything a famous brand of this category "
        "sells on the goods of `house_floor_goods` (a luxury house's cheapest cap, tie or keyring): the brand's floor "
        "where neither a product line nor a floor for the goods named is known")
    house_floor_goods: list[str] = Field(
        default_factory=list, description="categories of goods (the listing's own, from its path or title) that "
        "`house_floor` covers; a house's licensed perfume or cosmetics are not among them")
    foreign_goods: list[str] = Field(
        default_factory=list, description="goods no famous brand of this category makes or licenses, whatever "
        "category the listing is filed under (a luxury house's 'trắng da' whitening cream, shampoo, diapers): "
        "its mark on them is brand.off_category")
    goods_floors: list[BrandFloor] = Field(
        default_factory=list, description="the lowest genuine new price of these goods from any famous brand of "
        "this category (a sportswear maker's cap or tee): the brand's floor for them where it has none of its own")


class CategoriesFile(Strict):
    schema_version: Literal[1]
    categories: dict[str, Category] = Field(min_length=1)


class Platform(Strict):
    name: str
    first_party_sellers: dict[str, str] = Field(
        default_factory=dict, description="seller id -> name of the platform's own retail"
    )
    official_sellers: dict[str, str] = Field(default_factory=dict)
    gtin_exposed: bool = True
    repost_marker: str | None = Field(
        default=None, description="regex whose group 1 is the source listing id a copied title names")

    @field_validator("repost_marker")
    @classmethod
    def _one_group(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                groups = re.compile(v).groups
            except re.error as exc:
                raise ValueError(f"repost_marker is not a regular expression: {exc}") from exc
            if groups < 1:
                raise ValueError("repost_marker needs a group that captures the source listing id")
        return v

    @field_validator("first_party_sellers", "official_sellers", mode="before")
    @classmethod
    def _keys_as_strings(cls, v: object) -> object:
        if isinstance(v, dict):
            return {str(k): val for k, val in v.items()}
        return v


class PlatformsFile(Strict):
    schema_version: Literal[1]
    platforms: dict[str, Platform] = Field(min_length=1)


class Province(Strict):
    name: str
    aliases: list[str] = Field(default_factory=list)


class ProvincesFile(Strict):
    schema_version: Literal[1]
    provinces: list[Province] = Field(min_length=1)
    strip_prefixes: list[str] = Field(default_factory=list, description="folded words dropped before matching")


class Country(Strict):
    gs1: list[str] = Field(min_length=1, description="GS1 member organisation names (biip usage)")
    names: list[str] = Field(min_length=1, description="How sellers write the country of origin")


class CountriesFile(Strict):
    schema_version: Literal[1]
    domestic_claims: list[str] = Field(
        default_factory=list, description="words before a country that claim goods of its home market ('nội địa')")
    countries: list[Country] = Field(min_length=1)


class NormalizeFile(Strict):
    schema_version: Literal[1]
    price_on_request: list[str] = Field(min_length=1)
    million_units: list[str] = Field(min_length=1)
    thousand_units: list[str] = Field(min_length=1)
    currency_marks: list[str] = Field(min_length=1)
    range_separators: list[str] = Field(min_length=1)
    price_prefixes: list[str] = Field(default_factory=list)
    gtin_placeholders: list[str] = Field(default_factory=list)
