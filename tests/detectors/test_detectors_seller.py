"""Seller roll-up: flagged share, identity, official stores, luxury mixes, new shops."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from detectors import SellerAssessment, assess_seller, score_listings
from rules.loader import RuleSet
from rules.record import Listing

MakeListing = Callable[..., Listing]
SHOP = {"id": "42", "name": "Hàng Hiệu Giá Rẻ"}


def assess(listings: list[Listing], rules: RuleSet) -> SellerAssessment:
    return assess_seller(listings, score_listings(listings, rules), rules)


def test_seller_with_flagged_listings_is_flagged(rules: RuleSet, make: MakeListing) -> None:
    listings = [make(f"Giày Nike Air Force 1 rep 1:1 mẫu {i}", price=400_000, seller=SHOP) for i in range(3)]
    result = assess(listings, rules)
    assert result.flagged and result.flagged_listings == 3 and result.total_listings == 3
    assert "seller.flagged_share" in {s.code for s in result.signals}


def test_clean_seller_is_not_flagged(rules: RuleSet, make: MakeListing) -> None:
    listings = [make(f"Áo thun cotton mẫu {i}", price=150_000, seller=SHOP) for i in range(5)]
    result = assess(listings, rules)
    assert not result.flagged and result.flagged_listings == 0


def test_facts_alone_do_not_queue_a_seller(rules: RuleSet, make: MakeListing) -> None:
    # No identity, new shop, not official: facts, but no flagged listing.
    new = {**SHOP, "created_at": "2026-11-20T00:00:00+07:00"}
    listings = [make("Áo thun cotton", price=150_000, seller=new, observed_at="2026-11-28T00:00:00+07:00")]
    result = assess(listings, rules)
    assert {"seller.no_identity", "seller.new_shop"} <= {s.code for s in result.signals}
    assert not result.flagged


def test_missing_identity_names_the_fields(rules: RuleSet, make: MakeListing) -> None:
    seller = {**SHOP, "phone": "0901234567"}
    result = assess([make("Áo thun", price=150_000, seller=seller)], rules)
    detail = next(s.detail for s in result.signals if s.code == "seller.no_identity")
    assert "business_id" in detail and "address" in detail and "phone" not in detail
    detail_vi = next(s.detail_vi for s in result.signals if s.code == "seller.no_identity")
    assert detail_vi is not None and "mã số doanh nghiệp, địa chỉ" in detail_vi and "business_id" not in detail_vi


def test_many_luxury_brands_from_one_shop(rules: RuleSet, make: MakeListing) -> None:
    titles = ["Túi Gucci Marmont", "Túi Chanel classic", "Túi Louis Vuitton Neverfull", "Túi Prada Re-Edition",
              "Túi Dior Lady Dior"]
    result = assess([make(t, price=60_000_000, seller=SHOP) for t in titles], rules)
    detail = next(s.detail for s in result.signals if s.code == "seller.many_luxury_brands")
    assert "5 unrelated luxury brands" in detail


def test_new_shop_measured_against_scan_time(rules: RuleSet, make: MakeListing) -> None:
    observed = datetime(2026, 11, 28, tzinfo=timezone(timedelta(hours=7)))
    seller = {**SHOP, "created_at": (observed - timedelta(days=3)).isoformat()}
    result = assess([make("Áo thun", price=150_000, seller=seller, observed_at=observed.isoformat())], rules)
    assert any(s.code == "seller.new_shop" and "3 days" in s.detail for s in result.signals)


def test_official_store_not_flagged_for_brand_and_barcode_facts(rules: RuleSet, make: MakeListing) -> None:
    seller = {"id": "1", "name": "Tiki Trading", "is_official": True}
    listings = [make(f"Sữa Similac IQ 900g lô {i}", platform="tiki", price=600_000, brand="Similac",
                     gtin="9367707323552", seller=seller) for i in range(4)]
    result = assess(listings, rules)
    assert not result.flagged
    assert not {"seller.no_identity", "seller.not_official", "seller.many_luxury_brands"} & {s.code for s in result.signals}


def test_health_seller_gets_higher_priority(rules: RuleSet, make: MakeListing) -> None:
    milk = assess([make(f"Sữa Similac IQ 900g rep {i}", price=100_000, seller=SHOP) for i in range(3)], rules)
    shoes = assess([make(f"Giày Nike Air Force 1 rep {i}", price=100_000, seller=SHOP) for i in range(3)], rules)
    assert milk.category == "milk" and milk.priority > milk.risk
    assert shoes.priority == shoes.risk


def test_lengths_must_match(rules: RuleSet, make: MakeListing) -> None:
    import pytest

    with pytest.raises(ValueError, match="1 listings but 0 scores"):
        assess_seller([make("x")], [], rules)


def test_queue_priority_accepts_an_assessment_and_its_listings(rules: RuleSet, make: MakeListing) -> None:
    from detectors import queue_priority

    listings = [make(f"Sữa Similac IQ 900g rep {i}", price=100_000, seller=SHOP) for i in range(3)]
    result = assess(listings, rules)
    assert queue_priority(result, listings, rules) == queue_priority(result.risk, "milk", rules) == result.priority
