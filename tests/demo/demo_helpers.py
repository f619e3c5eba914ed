"""Helpers shared by the demo tests (imported as `tests.demo.demo_helpers`)."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from stdnum import ean

from demo.catalog import DemoListing, DemoSeller

REPO = Path(__file__).resolve().parents[2]
BRANDS_YAML = REPO / "rules" / "brands.yaml"
REALDATA = REPO.parent / "shared" / "realdata"
SHOPEE_HEADERS = {"x-api-source": "pc"}

# Slang an analyst reads as "this is a copy" (folded). "loai 1" and "f1" are checked apart:
# they are innocent on fruit and hybrid seeds.
STRONG_SLANG = ("rep", "rep 1:1", "1:1", "like auth", "super fake", "fake", "vnxk", "hang nhai", "xuat khau du", "ho van")
WEAK_SLANG = ("loai 1", "f1")


def fold(text: str) -> str:
    """Test-local folding (lower case, no diacritics, đ -> d); independent of demo's own."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def has_phrase(folded_text: str, phrase: str) -> bool:
    """Whole-word phrase match on folded text ('s24' matches 'S24+' but not 'S245')."""
    return re.search(rf"(?<![a-z0-9]){re.escape(fold(phrase))}(?![a-z0-9])", folded_text) is not None


def matching_lines(brand: dict[str, Any], title: str) -> list[dict[str, Any]]:
    """Product lines of a brands.yaml entry whose keywords appear in the title."""
    folded = fold(title)
    return [line for line in brand.get("products", []) if any(has_phrase(folded, k) for k in line["keywords"])]


def slang_in(listing: DemoListing, terms: tuple[str, ...]) -> list[str]:
    text = fold(listing.title + " " + listing.description)
    return [t for t in terms if has_phrase(text, t)]


def shows_identity(seller: DemoSeller) -> bool:
    return seller.business_id is not None and seller.phone is not None and seller.address is not None


def check_planted(listing: DemoListing, seller: DemoSeller, brands: dict[str, dict[str, Any]], code: str) -> str | None:
    """None when the data really carries the planted signal `code`, else why not."""
    real = brands.get(listing.imitates or "")
    if code == "brand.lookalike":
        if listing.imitates is None or listing.brand is None:
            return "no imitated or declared brand"
        canonical = listing.imitates.lower()
        if re.search(rf"(?<![\w]){re.escape(canonical)}(?![\w])", listing.title.lower()):
            return "title spells the real brand correctly"
        ratio = SequenceMatcher(None, listing.brand.lower(), canonical).ratio()
        return None if listing.brand != listing.imitates and ratio >= 0.7 else f"{listing.brand!r} not like {canonical!r}"
    if code == "brand.mismatch":
        if real is None or listing.brand is None:
            return "imitated brand unknown or no declared brand"
        names = [real["name"], *real.get("aliases", [])]
        in_title = any(has_phrase(fold(listing.title), n) for n in names)
        return None if in_title and fold(listing.brand) != fold(real["name"]) else "no mismatch"
    if code == "text.slang":
        return None if slang_in(listing, STRONG_SLANG + WEAK_SLANG) else "no slang"
    if code == "price.below_reference":
        if real is None or listing.product_line is None:
            return "no reference line"
        lines = [x for x in real["products"] if x["line"] == listing.product_line]
        if not lines:
            return f"line {listing.product_line!r} not in brands.yaml"
        return None if listing.price < 0.5 * lines[0]["price_min"] else f"price {listing.price} not far below"
    if code == "barcode.missing":
        return None if listing.gtin is None else "has a GTIN"
    if code == "barcode.invalid":
        return None if listing.gtin is not None and not ean.is_valid(listing.gtin) else "GTIN valid or missing"
    if code == "barcode.prefix_conflict":
        if real is None or listing.gtin is None or not ean.is_valid(listing.gtin):
            return "no valid GTIN to compare"
        prefixes = real.get("gs1_prefixes", [])
        return None if not any(listing.gtin.startswith(p) for p in prefixes) else "prefix is the brand's"
    return f"unknown code {code}"
