"""Price detectors: reference bands, peer outliers, IsolationForest, parse glitches."""

from __future__ import annotations

from collections.abc import Callable

from detectors import PeerPrices, score_listings
from rules.loader import RuleSet
from rules.record import Listing, ScoredListing

MakeListing = Callable[..., Listing]


def by_code(scored: ScoredListing, code: str) -> list[str]:
    return [s.detail for s in scored.signals if s.code == code]


def test_far_below_reference_band(rules: RuleSet, make: MakeListing) -> None:
    scored = score_listings([make("Giày Nike Air Force 1 trắng", price=450_000)], rules)[0]
    [detail] = by_code(scored, "price.below_reference")
    assert "450,000 VND" in detail and "Air Force 1" in detail


def test_within_band_is_not_below_reference(rules: RuleSet, make: MakeListing) -> None:
    scored = score_listings([make("Giày Nike Air Force 1 trắng", price=2_600_000)], rules)[0]
    assert by_code(scored, "price.below_reference") == []


def test_strength_grows_with_the_gap(rules: RuleSet, make: MakeListing) -> None:
    near, far = score_listings([make("Nike Air Force 1", price=1_400_000), make("Nike Air Force 1", price=300_000)],
                               rules)
    s_near = next(s.score for s in near.signals if s.code == "price.below_reference")
    s_far = next(s.score for s in far.signals if s.code == "price.below_reference")
    assert s_far > s_near


def test_compatible_accessory_is_not_priced_as_the_device(rules: RuleSet, make: MakeListing) -> None:
    scored = score_listings([make("Ốp lưng cho iPhone 15", price=50_000)], rules)[0]
    assert by_code(scored, "price.below_reference") == []


def test_parse_glitch_is_a_data_error_not_a_bargain(rules: RuleSet, make: MakeListing) -> None:
    scored = score_listings([make("Apple AirPods Pro 2", price=572_270_383_441)], rules)[0]
    [detail] = by_code(scored, "price.implausible")
    assert "data error" in detail
    assert by_code(scored, "price.below_reference") == [] and by_code(scored, "price.outlier") == []
    assert rules.scoring.weight("price.implausible") == 0.0


def test_placeholder_price_is_implausible_and_adds_no_risk(rules: RuleSet, make: MakeListing) -> None:
    scored = score_listings([make("Sữa Similac IQ 900g", price=1, seller={"id": "1", "is_official": True})], rules)[0]
    assert by_code(scored, "price.implausible") and by_code(scored, "price.below_reference") == []


def _peers(make: MakeListing, n: int, price: int) -> list[Listing]:
    # Each from its own shop: peers are counted one voice per seller.
    return [make(f"Giày Nike Air Max {i}", price=price + i * 10_000, seller={"id": f"s{i}"}) for i in range(n)]


def test_peer_outlier_on_the_cheap_side(rules: RuleSet, make: MakeListing) -> None:
    batch = [*_peers(make, 10, 3_000_000), make("Giày Nike Air Max giá sốc", price=300_000)]
    scored = score_listings(batch, rules)
    assert by_code(scored[-1], "price.outlier")
    assert not any(by_code(s, "price.outlier") for s in scored[:-1])


def test_used_goods_are_not_priced_against_new_peers(rules: RuleSet, make: MakeListing) -> None:
    batch = [*_peers(make, 10, 3_000_000), make("Giày Nike Air Max cũ 95%", price=300_000)]
    assert by_code(score_listings(batch, rules)[-1], "price.outlier") == []


def test_one_resellers_reposts_are_one_voice(rules: RuleSet, make: MakeListing) -> None:
    # Ten re-posts at 5x by one shop and eight honest shops at 1M: the median stays 1M, so a
    # 900k listing is not an outlier (with the re-posts counted ten times it would be).
    reposts = [make("Giày Nike Air Max", price=5_000_000, seller={"id": "reseller"}) for _ in range(10)]
    honest = [make("Giày Nike Air Max", price=1_000_000 + i * 5_000, seller={"id": f"h{i}"}) for i in range(8)]
    batch = [*reposts, *honest, make("Giày Nike Air Max", price=900_000, seller={"id": "x"})]
    assert by_code(score_listings(batch, rules)[-1], "price.outlier") == []


def test_expensive_listing_is_not_an_outlier(rules: RuleSet, make: MakeListing) -> None:
    batch = [*_peers(make, 10, 3_000_000), make("Giày Nike Air Max limited", price=90_000_000)]
    assert by_code(score_listings(batch, rules)[-1], "price.outlier") == []


def test_too_few_peers_no_outlier(rules: RuleSet, make: MakeListing) -> None:
    batch = [*_peers(make, rules.scoring.price.outlier.min_peers - 2, 3_000_000), make("Giày Nike", price=300_000)]
    assert by_code(score_listings(batch, rules)[-1], "price.outlier") == []


def test_storage_peers_complete_a_small_batch(rules: RuleSet, make: MakeListing) -> None:
    peers = PeerPrices.from_prices({("Nike", "sportswear"): [3_000_000 + i * 20_000 for i in range(20)]})
    scored = score_listings([make("Giày Nike Air Max", price=300_000)], rules, peers)
    assert by_code(scored[0], "price.outlier")


def test_storage_peers_keyed_by_raw_brand_field(rules: RuleSet, make: MakeListing) -> None:
    peers = PeerPrices.from_prices({("nike", None): [3_000_000 + i * 20_000 for i in range(20)]})
    scored = score_listings([make("Giày Air Max", brand="Nike", price=300_000)], rules, peers)
    assert by_code(scored[0], "price.outlier")


def test_isolation_forest_only_on_large_batches(rules: RuleSet, make: MakeListing) -> None:
    small = [make(f"Áo thun {i}", price=100_000 + i) for i in range(20)]
    assert not any(by_code(s, "price.isolation") for s in score_listings(small, rules))


def test_isolation_forest_flags_cheap_multivariate_oddity(rules: RuleSet, make: MakeListing) -> None:
    n = rules.scoring.price.isolation.min_batch
    batch = [make(f"Áo thun cotton mẫu {i}", price=150_000 + (i % 50) * 1000, list_price=200_000 + (i % 50) * 1000,
                  sold=100 + i % 30, rating=4.5) for i in range(n)]
    batch.append(make("Áo thun cotton mẫu lạ", price=5_000, list_price=2_000_000, sold=0, rating=1.0))
    scored = score_listings(batch, rules)
    assert by_code(scored[-1], "price.isolation")
    assert sum(1 for s in scored if by_code(s, "price.isolation")) < n * 0.1


def test_a_used_market_is_of_the_goods_that_have_one(rules: RuleSet, make: MakeListing) -> None:
    # Electronics lists the goods whose used units sell unmarked: a laptop at a third of new is
    # a used laptop; a mixer at 45 % of Yamaha's cheapest is no Yamaha mixer, used or new.
    mixer = make("Bàn trộn âm thanh Mixer F7 yamaha có Bluetooth, Ghép dàn karaoke", price=1_000_000)
    laptop = make("Laptop Dell Inspiron 15 i5 8G SSD", price=3_900_000)
    scored_mixer, scored_laptop = score_listings([mixer, laptop], rules)
    assert by_code(scored_mixer, "price.below_reference")
    assert not by_code(scored_laptop, "price.below_reference")


def test_a_strip_is_priced_against_the_tablets_it_holds(rules: RuleSet, make: MakeListing) -> None:
    # The band is for a box of 180 tablets: a strip of 12 at 15k is a strip's price ...
    strip = score_listings([make("Panadol Extra vỉ 12 viên", price=15_000)], rules)[0]
    assert by_code(strip, "price.below_reference") == []
    # ... and the whole box at that price is not.
    box = score_listings([make("Panadol Extra hộp 15 vỉ x 12 viên", price=15_000)], rules)[0]
    assert by_code(box, "price.below_reference") != []


def test_a_bulk_pack_is_not_priced_at_the_small_packs_unit_price(rules: RuleSet, make: MakeListing) -> None:
    # 325 tablets against a band for 125: a bulk bottle costs less a tablet.
    scored = score_listings([make("Centrum Silver Adults 50+ 325 viên Mỹ", price=749_000)], rules)[0]
    assert by_code(scored, "price.below_reference") == []


def test_health_goods_far_below_their_line_are_flagged_and_fair_prices_are_not(rules: RuleSet,
                                                                             make: MakeListing) -> None:
    def below(title: str, price: int) -> bool:
        return by_code(score_listings([make(title, price=price)], rules)[0], "price.below_reference") != []

    assert below("Sữa Anlene Gold 800g", 100_000) and not below("Sữa Anlene Gold 800g", 280_000)
    assert below("Mật ong Manuka Comvita UMF 15+ 500g", 290_000)
    assert not below("Mật ong Manuka Comvita UMF 15+ 500g", 2_100_000)
    # an infrared thermometer is priced as one, not as a 60k stick thermometer
    assert below("Nhiệt kế hồng ngoại Omron MC-720", 95_000) and not below("Nhiệt kế Omron MC-246", 80_000)
