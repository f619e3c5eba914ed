"""The demo catalog: deterministic, big enough, and true to its roles and to rules/brands.yaml."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from stdnum import ean

from demo.catalog import (
    GS1,
    HOSTILE_TEXT,
    PLATFORMS,
    Catalog,
    build_catalog,
    ean13_check_digit,
    fold_words,
)
from tests.demo.demo_helpers import (
    STRONG_SLANG,
    check_planted,
    fold,
    has_phrase,
    matching_lines,
    shows_identity,
    slang_in,
)

SEEDS = (20261128, 1, 7, 424242)


def test_same_seed_gives_identical_catalog() -> None:
    first, second = build_catalog(99), build_catalog(99)
    assert first.sellers == second.sellers
    assert first.listings == second.listings


def test_default_seed_is_the_documented_one(catalog: Catalog) -> None:
    assert catalog.seed == 20261128
    assert build_catalog(20261128).listings == catalog.listings


def test_different_seed_gives_different_catalog(catalog: Catalog) -> None:
    other = build_catalog(12345)
    assert other.listings != catalog.listings
    assert {x.listing_id for x in other.listings} != {x.listing_id for x in catalog.listings}


def test_build_does_not_touch_global_random() -> None:
    import random

    random.seed(5)
    expected = random.random()
    random.seed(5)
    build_catalog(3)
    assert random.random() == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_counts_roles_and_platforms(seed: int) -> None:
    cat = build_catalog(seed)
    assert len(cat.sellers) >= 36
    assert len(cat.listings) >= 360
    roles = Counter(s.role for s in cat.sellers)
    assert roles["official"] >= 6
    assert roles["honest"] >= 14
    assert roles["counterfeit"] >= 8
    sellers_on = Counter(s.platform for s in cat.sellers)
    listings_on = Counter(x.platform for x in cat.listings)
    assert set(sellers_on) == set(PLATFORMS)
    assert sellers_on["demo-web"] >= 5
    assert sellers_on["demo-shopee"] >= 8
    assert listings_on.most_common(1)[0][0] == "demo-tiki"
    assert sellers_on.most_common(1)[0][0] == "demo-tiki"
    for platform in PLATFORMS:
        assert {s.role for s in cat.sellers_on(platform)} >= {"honest", "counterfeit"}
    assert all(cat.listings_of(s) for s in cat.sellers)


def test_ids_and_paths_are_unique(catalog: Catalog) -> None:
    assert len({(s.platform, s.seller_id) for s in catalog.sellers}) == len(catalog.sellers)
    assert len({s.shop_url_path for s in catalog.sellers}) == len(catalog.sellers)
    assert len({(x.platform, x.listing_id) for x in catalog.listings}) == len(catalog.listings)
    assert len({x.path for x in catalog.listings}) == len(catalog.listings)
    for listing in catalog.listings:
        assert isinstance(listing.listing_id, str) and listing.listing_id.isdigit()
        assert catalog.seller(listing.platform, listing.seller_id).platform == listing.platform


def test_listing_fields_are_plausible(catalog: Catalog) -> None:
    provinces = {s.location for s in catalog.sellers}
    assert {"Hà Nội", "Hồ Chí Minh"} <= provinces
    for listing in catalog.listings:
        assert listing.title.strip() == listing.title and listing.title
        assert listing.price >= 1000 and listing.price % 1000 == 0
        assert listing.list_price >= listing.price
        assert len(listing.category) == 3
        assert listing.images and all(len(k) == 32 for k in listing.images)
        assert listing.rating is None or 0 <= listing.rating <= 5
        assert listing.sold >= 0
    # Vietnamese titles with diacritics, not ASCII-only.
    with_diacritics = sum(1 for x in catalog.listings if fold(x.title) != x.title.lower())
    assert with_diacritics > 0.8 * len(catalog.listings)


def test_health_goods_are_well_represented(catalog: Catalog) -> None:
    health_roots = {"Mẹ & Bé", "Nhà Thuốc", "Làm Đẹp - Sức Khỏe"}
    health = [x for x in catalog.listings if x.category[0] in health_roots or "Sữa" in x.category[1]]
    assert len(health) >= 0.3 * len(catalog.listings)


def test_gs1_table_agrees_with_brands_yaml(brands: dict[str, dict[str, Any]]) -> None:
    for name, prefixes in GS1.items():
        known = brands.get(name, {}).get("gs1_prefixes", [])
        if known:
            assert set(prefixes) <= set(known), name


def test_check_digit_helper_matches_stdnum() -> None:
    assert ean13_check_digit("400638133393") == "1"
    assert ean.is_valid("4006381333931")
    # The real Tiki sku 9367707323552 (realdata MANIFEST #1) fails the check digit: '1' is right.
    assert ean13_check_digit("936770732355") == "1"


def test_official_stores(catalog: Catalog, brands: dict[str, dict[str, Any]]) -> None:
    officials = [s for s in catalog.sellers if s.role == "official"]
    assert {s.name for s in officials} >= {
        "Vinamilk Official Store", "Abbott Official Store", "La Roche-Posay Official",
        "Apple Flagship Store", "Samsung Official", "Casio Official",
    }
    in_band_checked = 0
    for seller in officials:
        assert seller.is_official
        assert shows_identity(seller), seller.name
        assert seller.platform != "demo-web"  # a stand-alone shop has no platform to vouch for it
        for listing in catalog.listings_of(seller):
            assert listing.gtin is not None and ean.is_valid(listing.gtin), listing.title
            assert not listing.planted
            brand = brands.get(listing.brand or "")
            if brand is None:
                continue
            if brand.get("gs1_prefixes"):
                assert any(listing.gtin.startswith(p) for p in brand["gs1_prefixes"]), listing.title
            for line in matching_lines(brand, listing.title):
                assert line["price_min"] <= listing.price <= line["price_max"], (listing.title, line["line"])
                in_band_checked += 1
    assert in_band_checked >= 30


def test_honest_shops_look_honest(catalog: Catalog, brands: dict[str, dict[str, Any]]) -> None:
    honest = [s for s in catalog.sellers if s.role == "honest"]
    resellers = 0
    for seller in honest:
        assert not seller.is_official
        assert shows_identity(seller), seller.name
        famous_here = 0
        for listing in catalog.listings_of(seller):
            assert not listing.planted
            assert not slang_in(listing, STRONG_SLANG), listing.title
            if listing.gtin is not None:
                assert ean.is_valid(listing.gtin), listing.title
            folded = fold(listing.title)
            if has_phrase(folded, "loai 1"):
                assert listing.brand is None, "'loại 1' only on unbranded produce"
            brand = brands.get(listing.brand or "")
            if brand is not None and brand.get("famous"):
                famous_here += 1
                assert listing.gtin is not None
                for line in matching_lines(brand, listing.title):
                    assert line["price_min"] <= listing.price <= line["price_max"], listing.title
        resellers += famous_here > 0
    assert resellers <= 3, "honest resellers of famous brands are kept few"
    titles = " | ".join(x.title for s in honest for x in catalog.listings_of(s))
    for innocent in ("Ốp lưng cho iPhone 15 Pro Max silicon", "Dây đeo thay thế cho Apple Watch",
                     "Sạc nhanh dành cho Samsung", "Xoài cát Hòa Lộc loại 1", "Hạt giống dưa leo F1"):
        assert innocent in titles, innocent


def test_counterfeiters_plant_checkable_signals(catalog: Catalog, brands: dict[str, dict[str, Any]]) -> None:
    fakes = [s for s in catalog.sellers if s.role == "counterfeit"]
    mixes = set()
    for seller in fakes:
        assert not seller.is_official
        planted = [x for x in catalog.listings_of(seller) if x.planted]
        assert len(planted) >= 3, seller.name
        codes: set[str] = set()
        for listing in planted:
            for code in listing.planted:
                problem = check_planted(listing, seller, brands, code)
                assert problem is None, f"{seller.name}: {listing.title}: {code}: {problem}"
                codes.add(code)
        if not shows_identity(seller):
            codes.add("seller.no_identity")
        brands_sold = {x.imitates for x in planted if x.imitates is not None}
        if len({b for b in brands_sold if brands.get(b, {}).get("category") == "luxury"} | brands_sold) >= 5:
            codes.add("seller.many_luxury_brands")
        mixes.add((seller.platform, frozenset(codes)))
        assert len(codes) >= 3, f"{seller.name} plants too few kinds of signal: {codes}"
    assert len(mixes) == len(fakes), "each counterfeiter has its own mix of signals"


def test_required_lookalikes_and_bargains_exist(catalog: Catalog) -> None:
    titles = " | ".join(x.title for x in catalog.listings)
    for needle in ("Nikę Air Force 1", "Adidaz Ultraboost", "Chanell No5", "SimiIac", "hàng rep 1:1", "like auth",
                   "super fake", "hàng F1", "VNXK"):
        assert needle in titles, needle
    iphones = [x for x in catalog.listings if "iPhone 15" in x.title and x.planted]
    assert any(x.price <= 5_000_000 for x in iphones)
    similac = [x for x in catalog.listings if fold(x.title).startswith("sua") and "similac" in fold(x.title)]
    assert any(x.price <= 200_000 for x in similac if x.planted)


def test_hostile_text_is_planted_in_honest_listings(catalog: Catalog) -> None:
    hostile = [x for x in catalog.listings if HOSTILE_TEXT in x.description]
    assert hostile
    platforms = {x.platform for x in hostile}
    assert {"demo-tiki", "demo-web"} <= platforms
    for listing in hostile:
        assert catalog.seller(listing.platform, listing.seller_id).role == "honest"
    assert any("<" in x.title and "&" in x.title for x in catalog.listings)


def test_fold_words_is_accent_insensitive() -> None:
    assert fold_words("Sữa bột ĐẶC BIỆT 900g") == ["sua", "bot", "dac", "biet", "900g"]


def test_seller_ids_do_not_depend_on_the_seed(catalog: Catalog) -> None:
    other = build_catalog(5)
    assert [(s.platform, s.seller_id, s.name) for s in other.sellers] == [
        (s.platform, s.seller_id, s.name) for s in catalog.sellers
    ]
