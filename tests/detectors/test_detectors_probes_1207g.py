"""The blind probe household18 (2026-12-07), read after its first run: "chưa qua sử dụng"
("not yet used") on its own was read as a used word, so a new part with a claim of the
maker's factory passed as a used one; a nebulizer's tube kit was priced as the nebulizer."""

from __future__ import annotations

from detectors.form import parse_form
from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, codes, score


def test_not_yet_used_is_new_and_not_used_much_is_used(rules: RuleSet) -> None:
    for title in ("Pin Dyson V10 mới 100% chưa qua sử dụng", "Bình sữa Hegen PPSU 240ml chưa qua sử dụng, hộp móp",
                  "Máy xay Philips chua qua su dung"):
        assert not parse_form(title, rules).used, title
    for title in ("Nồi chiên Philips HD9252 chưa qua sử dụng nhiều, còn đẹp", "Máy xay chua qua su dung nhieu",
                  "Giày Nike cũ chưa qua sử dụng", "iPhone 13 Pro Max cũ 98%, tặng củ sạc 20W chưa qua sử dụng",
                  "Máy hút sữa Medela chưa qua sử dụng mấy",
                  # the unused extra later in the title leaves the earlier "... nhiều" whole
                  "Nồi chiên Philips chưa qua sử dụng nhiều, sạc chưa qua sử dụng"):
        assert parse_form(title, rules).used, title


def test_a_factory_claim_on_a_part_said_to_be_unused(make: MakeListing, rules: RuleSet) -> None:
    title = "Pin zin Dyson V10 chính hãng bóc máy, mới 100% chưa qua sử dụng"
    scored = score(make, rules, title, 450_000, brand="Dyson",
                   category="Thiết Bị Điện Gia Dụng > Thiết bị điện gia dụng > Phụ kiện máy hút bụi")
    assert scored.flagged and "text.factory_claim" in codes(scored)


def test_used_goods_with_an_unused_extra_stay_used(make: MakeListing, rules: RuleSet) -> None:
    # The accessory thrown in is unused; the phone and the laptop are not.
    for title, price in (("iPhone 13 Pro Max 256GB cũ 98% pin 87%, tặng kèm củ sạc 20W chưa qua sử dụng", 11_490_000),
                         ("MacBook Air M1 2020 8GB/256GB máy cũ đẹp, pin thay mới chưa qua sử dụng", 10_900_000),
                         ("Nước hoa Chanel Coco Mademoiselle EDP 100ml chưa qua sử dụng nhiều, có hộp", 1_200_000)):
        assert not score(make, rules, title, price).flagged, title


def test_a_tube_for_a_device_is_a_part(make: MakeListing, rules: RuleSet) -> None:
    for title, price in (("Bộ mặt nạ và ống dẫn thay thế dành cho máy xông mũi họng Omron NE-C101", 65_000),
                         ("Ống dẫn khí thay thế cho máy hút sữa Medela Pump In Style, bộ 2 dây silicone", 120_000)):
        assert "price.below_reference" not in codes(score(make, rules, title, price, brand="OEM")), title
    # "ong dan" is only the tube when written with its marks: "mật ong dân tộc" is honey.
    assert score(make, rules, "Mật ong dân tộc Comvita Manuka UMF 10+ 500g", 150_000, brand="Comvita").flagged
    # The device sold with its tube is still the device.
    assert score(make, rules, "Máy xông mũi họng Omron NE-C101 kèm ống dẫn và mặt nạ", 290_000, brand="Omron").flagged
