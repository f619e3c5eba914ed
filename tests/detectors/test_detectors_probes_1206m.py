"""Patterns found at the sixteenth detector pass (2026-12-06, third session), from the blind
probes unseen9 and dodge6, tested on titles of the same kind."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    codes,
    score,
)


def test_a_line_keyword_may_carry_a_vietnamese_goods_word(make: MakeListing, rules: RuleSet) -> None:
    # "rượu blue label" names Johnnie Walker's Blue Label: the goods word "rượu" is Vietnamese and
    # written with its marks, which says nothing against the line's own words ("Blue Label").
    assert_flagged_by(make, rules, "price.below_reference", [("Rượu Blue Label 750ml hộp quà biếu sếp", 1_400_000)])
    # The line's own word written as Vietnamese is still a Vietnamese word: "mạch" is a circuit.
    assert not score(make, rules, "Mạch 6 fet điều tốc động cơ 12V", 60_000).flagged


def test_a_vietnamese_mark_inside_a_foreign_brand_name_is_a_disguise(make: MakeListing, rules: RuleSet) -> None:
    # "Toshíba" and "Garmín" are no Vietnamese words: the mark only keeps a filter on the name away.
    for title in ("Nồi cơm điện Toshíba 1.8L lòng niêu giữ ấm", "Đồng hồ Garmín Forerunner 265 chạy bộ"):
        assert "brand.lookalike" in codes(score(make, rules, title, 2_500_000)), title
    # A Vietnamese brand written with its own marks, and a phone named for what a case fits, are not.
    assert not score(make, rules, "Mì Hảo Hảo tôm chua cay thùng 30 gói", 110_000).flagged
    assert "brand.lookalike" not in codes(score(make, rules, "Ốp lưng dành cho ỊPHONE 15 chống sốc", 50_000))


def test_one_for_one_exchange_and_one_to_one_advice_are_no_copy_grade(make: MakeListing, rules: RuleSet) -> None:
    # "bảo hành đổi 1-1" is a one-for-one exchange warranty, "tư vấn 1:1" one-to-one advice.
    for title in ("Giày Nike Air Force 1 chính hãng bảo hành đổi 1-1 trong 7 ngày",
                  "Sữa Ensure Gold 850g tư vấn 1:1 miễn phí", "Túi Coach Tabby 26 bảo hành 1 đổi 1"):
        assert "text.slang" not in codes(score(make, rules, title, 2_500_000)), title
    # The copy grade beside them still counts.
    assert "text.slang" in codes(score(make, rules, "Túi Gucci Marmont 1:1 bảo hành 1 đổi 1", 500_000))


def test_a_long_line_name_with_two_letters_moved_is_a_typo_of_it(make: MakeListing, rules: RuleSet) -> None:
    # "Savauge" holds Sauvage's own letters, two of them moved: a scramble that dodges a filter.
    assert "brand.lookalike" in codes(score(make, rules, "Nước hoa nam Savauge EDP 100ml thơm lâu", 350_000))
    # Two letters changed, not moved, is another word; and the line as written is no typo.
    assert "brand.lookalike" not in codes(score(make, rules, "Nước hoa nam Savoure EDP 100ml thơm lâu", 350_000))
    assert "brand.lookalike" not in codes(score(make, rules, "Nước hoa nam Dior Sauvage EDP 100ml", 3_500_000))


def test_a_line_named_beside_its_goods_corroborates_a_near_miss_name(make: MakeListing, rules: RuleSet) -> None:
    # "Special 20" is Hohner's only on a harmonica, "City Grip" Michelin's only on a tyre: beside
    # those goods it confirms which brand "Honer" / "Michellin" misspells.
    for title in ("Kèn harmonica Honer Special 20 tone C 10 lỗ", "Lốp xe máy Michellin City Grip 2 80/90-14"):
        assert "brand.lookalike" in codes(score(make, rules, title, 150_000)), title
    # Without the goods the line's words are ordinary: no corroboration.
    assert "brand.lookalike" not in codes(score(make, rules, "Honer Special 20 tone C", 150_000))


def test_a_flashlight_is_no_battery_and_a_bolt_driver_is_a_tool(make: MakeListing, rules: RuleSet) -> None:
    # "đèn pin" is a flashlight (its own goods), not a "pin" (battery) sold as a part; so the
    # famous flashlight it names is priced: a Ledlenser P7R Core is no 190k torch.
    assert_flagged_by(make, rules, "price.below_reference",
                      [("Đèn pin siêu sáng Ledlenser P7R Core 1400 lumen sạc nam châm", 190_000)])
    assert not score(make, rules, "Pin thay thế cho đèn pin Ledlenser P7R", 150_000).flagged
    # "máy siết bulong" (impact wrench) is a power tool: its Makita model is what is sold.
    assert_flagged_by(make, rules, "price.below_reference",
                      [("May siet bulong pin DTW700 khong choi than 1000Nm kem 2 pin 1 sac", 690_000)])


def test_like_as_a_copy_marker_before_a_famous_brand(make: MakeListing, rules: RuleSet) -> None:
    # "mẫu như Lego Technic", "giống như Dyson": a copy sold by the name of what it copies.
    for title in ("Đồ chơi lắp ráp mẫu như Lego Technic Porsche 911 GT3 RS", "Máy sấy tóc giống như Dyson Supersonic"):
        assert "text.copy_model" in codes(score(make, rules, title, 650_000)), title
    # "như hình" (as pictured) names no brand.
    assert "text.copy_model" not in codes(score(make, rules, "Đồ chơi lắp ráp Lego Technic mẫu như hình", 6_500_000))


def test_what_is_left_of_an_opened_perfume_is_a_used_bottle(make: MakeListing, rules: RuleSet) -> None:
    # "còn khoảng 70% chai": a used bottle, not a new one at a quarter of its price.
    for title in ("Thanh lý nước hoa YSL Libre EDP 90ml còn khoảng 70% chai, còn hộp",
                  "Nước hoa Dior Sauvage EDP 100ml 80% chai fullbox"):
        assert "price.below_reference" not in codes(score(make, rules, title, 1_000_000)), title


def test_a_registered_maker_near_a_famous_name_is_its_own_brand(make: MakeListing, rules: RuleSet) -> None:
    # Biodermal makes sun care of its own; a letter added to Bioderma is still a look-alike.
    assert not score(make, rules, "Biodermal Sun Lotion SPF30 200ml - kem chống nắng body Hà Lan", 349_000).flagged
    assert "brand.lookalike" in codes(score(make, rules, "Kem chống nắng Biodermaa Photoderm", 150_000))
