"""Patterns two written probes of 2026-12-05 (health goods; appliances, tools, watches, toys,
parts) found on their first run: each a rule about how titles are built, tested on titles of
the same kind."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    codes,
    score,
)


def test_near_expiry_stock_is_priced_as_cleared(make: MakeListing, rules: RuleSet) -> None:
    assert "price.below_reference" not in codes(score(
        make, rules, "Que thử đường huyết OneTouch Select Plus 50 que - cận date 03/2027", 150_000))
    assert "price.below_reference" not in codes(score(
        make, rules, "[XẢ DATE] Bánh trung thu Kinh Đô lẻ 150g thập cẩm HSD 15/12/2026", 25_000))
    # ... but not at any price.
    assert "price.below_reference" in codes(score(
        make, rules, "Que thử đường huyết OneTouch Select Plus 50 que - cận date 03/2027", 40_000))


def test_whey_is_sold_by_the_pound(make: MakeListing, rules: RuleSet) -> None:
    assert not score(make, rules, "Optimum Nutrition Gold Standard Whey 2lbs Vanilla Ice Cream", 990_000).flagged
    # The line alone names its maker; 5 lbs at 790k is under half of ~1.7M.
    scored = score(make, rules, "Gold Standard Whey 5lbs giá sốc 790k", 790_000)
    assert scored.flagged and "price.below_reference" in codes(scored)
    assert not score(make, rules, "Whey Gold Standard 5lbs chính hãng", 1_900_000).flagged


def test_fake_and_replica_name_a_product_kind(make: MakeListing, rules: RuleSet) -> None:
    assert "text.slang" not in codes(score(
        make, rules, "Mousse tự nhuộm da nâu (fake tan) St.Tropez Self Tan Express 200ml", 900_000))
    assert "text.slang" not in codes(score(
        make, rules, "Búa Mjolnir Marvel Legends Series Hasbro - bản replica tỉ lệ 1:1 có đèn", 3_290_000))
    assert "text.slang" in codes(score(make, rules, "Túi Gucci Marmont hàng replica da bò", 900_000))


def test_a_luxury_house_on_masks_creams_and_ride_on_cars(make: MakeListing, rules: RuleSet) -> None:
    for title in ["Khẩu trang y tế 4 lớp Louis Vuitton hộp 50 cái", "Kem dưỡng trắng da mặt Balenciaga 50g ban đêm",
                  "Xe điện trẻ em Gucci 2 động cơ có remote, ghế da"]:
        assert "brand.off_category" in codes(score(make, rules, title, 150_000)), title


def test_a_crossed_d_in_a_foreign_brand_is_a_lookalike(make: MakeListing, rules: RuleSet) -> None:
    cases = [("Kem nền Estée Lauđer Double Wear 30ml", 900_000), ("Pin ĐURACELL 9V vuông", 20_000)]
    assert_flagged_by(make, rules, "brand.lookalike", cases)
    # Vietnamese words keep their đ.
    assert codes(score(make, rules, "Đinh vít đen dài 5cm", 20_000)) == set()
    assert "brand.lookalike" not in codes(score(make, rules, "Kem nền Estée Lauder Double Wear 30ml", 900_000))


def test_a_part_for_an_appliance_names_the_appliance_after_thay_the_cho(make: MakeListing, rules: RuleSet) -> None:
    assert not score(make, rules, "Bộ mặt nạ xông + cốc đựng thuốc thay thế cho máy xông Omron NE-C28", 120_000).flagged
    assert score(make, rules, "Máy xông mũi họng Omron NE-C28", 300_000).flagged


def test_a_misspelt_oil_maker_is_read_on_motor_oil(make: MakeListing, rules: RuleSet) -> None:
    scored = score(make, rules, "Dầu nhớt Castroll Magnatec 5W-30 4L cho ô tô", 299_000)
    assert scored.flagged and "brand.lookalike" in codes(scored)


def test_a_model_number_as_a_shoe_name_and_a_capital_i_for_l(make: MakeListing, rules: RuleSet) -> None:
    # From a third written probe (phones, audio, perfume, sneakers, bags).
    cases = [("Giày J1 Low Chicago cổ thấp da lộn", 450_000),
             ("Loa JBI Charge 5 bass siêu trầm pin trâu", 350_000)]
    assert_flagged_by(make, rules, "brand.lookalike", cases)
    # The phone model, and the brand named beside the number, are not the code.
    assert "brand.lookalike" not in codes(score(make, rules, "Điện thoại Samsung Galaxy J1 cũ", 500_000))
    assert "brand.lookalike" not in codes(score(make, rules, "Giày bóng rổ J1 Jordan chính hãng", 4_500_000))


def test_the_precision_probes_false_alarms(make: MakeListing, rules: RuleSet) -> None:
    # From a written probe of hard genuine listings: an outlet wallet, a charm that fits a
    # bracelet, the English word "coach" in a whistle's description.
    assert not score(make, rules, "Ví nam Coach gập đôi da bò, mua tại Coach Outlet Mỹ, có bill + hộp", 1_650_000).flagged
    assert score(make, rules, "Ví dài nam Coach da", 861_000).flagged
    assert codes(score(make, rules, "Charm bạc 925 hình hoa cúc, vừa vòng Pandora và vòng bạc trơn", 150_000)) == set()
    assert codes(score(make, rules, "Còi Fox 40 Classic - còi trọng tài, huấn luyện viên (coach) có dây đeo",
                       120_000)) == set()
    # ... and two lines named alone.
    assert score(make, rules, "Loa Flip 6 bluetooth chống nước bass mạnh", 390_000).flagged
    assert score(make, rules, "Kính mát Wayfarer 2140 tròng G15 unisex kèm hộp", 250_000).flagged


def test_phone_makers_chargers_and_cables_have_floors(make: MakeListing, rules: RuleSet) -> None:
    assert score(make, rules, "Bộ Sạc Nhanh chính hãng VOOC Oppo AK779 cho các dòng điện thoại Oppo", 85_000).flagged
    assert not score(make, rules, "Củ sạc Oppo SuperVOOC 67W chính hãng", 390_000).flagged
    assert not score(make, rules, "Cáp sạc cho Oppo Type C 1m", 35_000).flagged  # a cable for an Oppo


def test_home_goods_words_near_short_marks_are_words(make: MakeListing, rules: RuleSet) -> None:
    # From the blind round on the rest of the Tiki home-goods file: its only four flags.
    for title in ["Túi nilon đen đựng rác, túi đen đóng hàng có quai loại đựng 1kg, 2kg",
                  "Túi 60 găng tay bọc nilon vệ sinh an toàn", "Bao Trống Cajon thương hiệu CORO VIETNAM",
                  "Hạt Giống Tía Tô Rado 78"]:
        assert not score(make, rules, title, 50_000).flagged, title
    assert score(make, rules, "Đồng hồ nam Rado Centrix dây thép", 900_000).flagged


def test_a_vehicle_makers_name_on_machines_it_does_not_make(make: MakeListing, rules: RuleSet) -> None:
    cases = [("Máy cưa xích chạy xăng honda CX68S đời mới mạnh mẽ bền bỉ", 1_150_000),
             ("Bơm lốp ôtô Toyota mạnh mẽ bền bỉ - Bảo hành 1 năm", 310_000),
             ("Kích đội 16 tấn thủy lực Kawasaki tiêu chuẩn Nhật", 800_000)]
    assert_flagged_by(make, rules, "brand.off_category", cases)
    # Not the engine inside, what the goods are for, or what the maker does make.
    for title, price in [("Máy rửa xe cao áp chạy xăng động cơ Honda GX160", 9_000_000),
                         ("Bơm lốp ô tô cho xe Toyota Vios", 300_000),
                         ("Máy bơm nước chạy xăng Honda WB20XT", 7_000_000)]:
        assert "brand.off_category" not in codes(score(make, rules, title, price)), title
