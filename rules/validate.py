"""Checks that span rule files (DESIGN §4.4): a brand's category exists, brand names are
unique after folding, every weight names a signal code a detector emits, the watchlist
names known brands and categories; and product_lines.yaml merged into the brand registry.

Each model in `rules.models`, `rules.scoring` and `rules.watchlist` checks its own file;
what needs two files is here. Errors are raised through the parsed file they are about,
so they name that file, the line and the field like any other rules error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError

from detectors.codes import SIGNAL_CODES
from detectors.textnorm import fold
from rules.models import Brand, BrandsFile, CategoriesFile, ProductLine
from rules.products import BrandFloor, ProductLinesFile
from rules.scoring import ScoringFile
from rules.watchlist import WatchlistFile

if TYPE_CHECKING:
    from rules.loader import Loc, RulesError


class ParsedFile(Protocol):
    """A rule file as `rules.loader` parsed it: it can point an error at a field's line."""

    def error(self, loc: Loc, message: str) -> RulesError: ...


def _name_key(name: str) -> str:
    # Brand names and aliases compare folded, hyphens as spaces ("SK-II" is "sk ii").
    return " ".join(fold(name).replace("-", " ").split())


def cross_check(parsed: Mapping[str, ParsedFile], brands: BrandsFile, categories: CategoriesFile,
                scoring: ScoringFile, watchlist: WatchlistFile) -> None:
    """Checks that span files: categories exist, names are unique after folding."""
    bp = parsed["brands.yaml"]
    owner: dict[str, tuple[str, Loc]] = {}
    for i, brand in enumerate(brands.brands):
        if brand.category not in categories.categories:
            raise bp.error(("brands", i, "category"),
                           f"unknown category {brand.category!r} (not in categories.yaml)")
        names: list[tuple[str, Loc]] = [(brand.name, ("brands", i, "name"))]
        names += [(a, ("brands", i, "aliases", j)) for j, a in enumerate(brand.aliases)]
        seen_here: set[str] = set()
        for name, loc in names:
            key = _name_key(name)
            if key in seen_here:
                continue
            seen_here.add(key)
            if key in owner and owner[key][0] != brand.name:
                raise bp.error(loc, f"{name!r} is already a name or alias of brand {owner[key][0]!r}")
            if key in owner:
                raise bp.error(loc, f"duplicate brand name {name!r}")
            owner[key] = (brand.name, loc)
    cp = parsed["categories.yaml"]
    for key, cat in categories.categories.items():
        for j, rel in enumerate(cat.related):
            if rel not in categories.categories:
                raise cp.error(("categories", key, "related", j), f"unknown category {rel!r}")
    sp = parsed["scoring.yaml"]
    for j, cat_key in enumerate(scoring.seller.many_brands_categories):
        if cat_key not in categories.categories:
            raise sp.error(("seller", "many_brands_categories", j), f"unknown category {cat_key!r}")
    check_signal_codes(sp, scoring)
    check_watchlist(parsed["watchlist.yaml"], watchlist, brands, categories)


def check_signal_codes(sp: ParsedFile, scoring: ScoringFile) -> None:
    """Every weight names a code a detector emits, and every such code has a weight: a
    typo ("brand.lookalik") would otherwise score 0 without a word."""
    for key in ("weights", "official_seller_dampen"):
        for code in getattr(scoring, key):
            if code not in SIGNAL_CODES:
                raise sp.error((key, code), f"unknown signal code {code!r} (not in detectors/codes.py)")
    for j, code in enumerate(scoring.seller.ignore_on_rollup_when_official):
        if code not in SIGNAL_CODES:
            raise sp.error(("seller", "ignore_on_rollup_when_official", j),
                           f"unknown signal code {code!r} (not in detectors/codes.py)")
    missing = [code for code in SIGNAL_CODES if code not in scoring.weights]
    if missing:
        raise sp.error(("weights",), f"no weight for signal code{'s' if len(missing) > 1 else ''} "
                                     f"{', '.join(missing)} (0 makes a signal informational)")


def check_watchlist(wp: ParsedFile, watchlist: WatchlistFile, brands: BrandsFile,
                    categories: CategoriesFile) -> None:
    """The brands and categories a watchlist names exist (the rule set's own watchlist.yaml,
    or a stand-alone one given to `scan --watchlist`)."""
    brand_names = {b.name for b in brands.brands}
    for platform, entry in watchlist.platforms.items():
        for j, name in enumerate(entry.brands):
            if name not in brand_names:
                raise wp.error(("platforms", platform, "brands", j), f"unknown brand {name!r} (not in brands.yaml)")
        for j, cat_key in enumerate(entry.categories):
            if cat_key not in categories.categories:
                raise wp.error(("platforms", platform, "categories", j), f"unknown category {cat_key!r}")


def merge_product_lines(parsed: ParsedFile, brands: BrandsFile, lines: ProductLinesFile,
                        categories: CategoriesFile) -> BrandsFile:
    """One registry: the brands of product_lines.yaml join brands.yaml, and each line, floor
    and licence joins the brand it names (by name or alias). Errors name product_lines.yaml."""
    extra: list[Brand] = []
    for i, raw in enumerate(lines.brands):
        try:
            extra.append(Brand.model_validate(raw))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise parsed.error(("brands", i, *first["loc"]), first["msg"]) from None
    all_brands = [*brands.brands, *extra]
    by_key: dict[str, int] = {}
    for i, brand in enumerate(all_brands):
        for name in brand.all_names():
            by_key.setdefault(_name_key(name), i)
    added: dict[int, dict[str, list[Any]]] = {}

    def owner(name: str, loc: Loc) -> dict[str, list[Any]]:
        i = by_key.get(_name_key(name))
        if i is None:
            raise parsed.error(loc, f"unknown brand {name!r} (not in brands.yaml nor under brands:)")
        return added.setdefault(i, {"products": [], "floors": [], "licensed_categories": []})

    for j, entry in enumerate(lines.lines):
        owner(entry.brand, ("lines", j, "brand"))["products"].append(ProductLine(
            line=entry.line, keywords=entry.keywords, price_min=entry.price_min, price_max=entry.price_max,
            identifies=entry.identifies, identifies_with=entry.identifies_with, size=entry.size,
            sold_new=entry.sold_new, corroborates=entry.identifies))
    for j, floor in enumerate(lines.floors):
        owner(floor.brand, ("floors", j, "brand"))["floors"].append(
            BrandFloor(goods=floor.goods, price_min=floor.price_min, note=floor.note))
    for j, lic in enumerate(lines.licensed):
        for k, cat in enumerate(lic.categories):
            if cat not in categories.categories:
                raise parsed.error(("licensed", j, "categories", k), f"unknown category {cat!r}")
        owner(lic.brand, ("licensed", j, "brand"))["licensed_categories"].extend(lic.categories)
    if not added and not extra:
        return brands
    merged = []
    for i, brand in enumerate(all_brands):
        more = added.get(i)
        if more is None:
            merged.append(brand)
            continue
        merged.append(brand.model_copy(update={
            "products": [*brand.products, *more["products"]],
            "floors": [*brand.floors, *more["floors"]],
            "licensed_categories": [*brand.licensed_categories, *more["licensed_categories"]],
        }))
    return brands.model_copy(update={"brands": merged})
