"""Patterns the written food, drink and mother-and-baby probe of 2026-12-06 found on its
first run, tested on titles of the same kind."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, assert_flagged_by, codes, score


def test_a_small_tin_is_priced_against_the_big_tins_band_per_gram(make: MakeListing, rules: RuleSet) -> None:
    # The Enfagrow band is for the 1.7 kg tin: an 830 g tin at 499k is a fair price ...
    scored = score(make, rules, "Sữa Enfagrow A+ 4 830g hàng công ty, có tem nhập khẩu", 499_000, brand="Enfa")
    assert not scored.flagged
    # ... "Enfa" in the brand field is the name the range is sold under, no other brand ...
    assert "brand.mismatch" not in codes(scored)
    # ... and the same tin at a third of that is still far below it.
    assert "price.below_reference" in codes(score(make, rules, "Sữa Enfagrow A+ số 4 830g", 160_000))


def test_supplements_sold_by_networks_have_floors(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Nutrilite Double X 31 ngày bổ sung vitamin khoáng chất", 490_000),
        ("Kẹo dẻo Nature's Way Vita Gummies Multivitamin 120 viên", 65_000),
    ])
    fair = score(make, rules, "Viên uống Nature's Way Kids Smart Omega 3 50 viên", 260_000)
    assert "price.below_reference" not in codes(fair)


def test_a_box_named_by_its_count_as_sellers_write_it(make: MakeListing, rules: RuleSet) -> None:
    # "T30" is how shops name Ferrero Rocher's box of 30; "T3" (three pieces) is no box of 24/30.
    assert "price.below_reference" in codes(score(make, rules, "Socola Ferrero Rocher T30 hộp 30 viên", 99_000))
    assert "price.below_reference" not in codes(score(make, rules, "Ferrero Rocher T3 3 viên", 25_000))
