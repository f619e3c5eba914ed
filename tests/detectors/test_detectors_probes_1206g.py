"""Patterns found at the fourteenth detector pass (2026-12-06), tested on titles of the same kind."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, assert_flagged_by, score


def test_a_sanest_can_named_apart_from_its_brand_is_priced_as_a_can(make: MakeListing, rules: RuleSet) -> None:
    # "Sanest Khánh Hòa lon 190ml": the can's own words are apart from the name, which alone
    # means the six-jar box; a 14k can is honest, a six-jar box at 90k is not.
    assert not score(make, rules, "Nước yến Sanest Khánh Hòa lon 190ml", 14_000).flagged
    assert not score(make, rules, "Nước yến sào Sanest Khánh Hòa có đường lon 190 ml", 15_000).flagged
    assert score(make, rules, "Nước yến Sanest Khánh Hòa hộp 6 lọ 70ml", 90_000).flagged


def test_a_code_after_goods_is_read_when_the_goods_glued_to_it_are_not_the_brand(make: MakeListing,
                                                                                  rules: RuleSet) -> None:
    # "Sữa N.A.N" glues to the alias "sua nan", which the accented "Sữa" rules out as a split
    # brand; the code "N.A.N" after the milk is still there to read.
    assert_flagged_by(make, rules, "brand.lookalike", [("Sữa N.A.N Nga 800g", 300_000),
                                                       ("Sữa N.A.N Optipro 4 800g", 250_000)])
    assert not score(make, rules, "Sữa NAN Optipro 4 800g", 480_000).flagged


def test_a_bare_lego_set_number_names_lego_only_beside_building_toy_words(make: MakeListing, rules: RuleSet) -> None:
    # "10281" is the Bonsai set on a building toy and any maker's product code elsewhere.
    for title, price in [("Vòng bi 10281 chịu nhiệt", 50_000), ("Mã 10311 áo thun nam", 99_000)]:
        assert not score(make, rules, title, price).flagged, title
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Lắp ráp Millennium Falcon UCS 75192 7541 pcs hộp màu", 1_500_000),
        ("Bộ lắp ráp bó hoa 10280 756 mảnh quà tặng", 120_000),
    ])
