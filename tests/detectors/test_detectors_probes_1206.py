"""Patterns two written probes of 2026-12-06 (a province's nightly scan; toys, baby care,
sports, stationery, pets) found on their first run, tested on titles of the same kind."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    assert_not_by,
    codes,
    score,
)


def test_a_toy_makers_near_miss_is_read_on_toys(make: MakeListing, rules: RuleSet) -> None:
    # "Đồ Chơi" names the toy makers' category, which corroborates a misspelt maker ...
    scored = score(make, rules, "Set 20 xe Hot Weels mô hình kim loại 1:64", 99_000, category="Đồ Chơi > Xe đồ chơi")
    assert scored.flagged and "brand.lookalike" in codes(scored)
    # ... and nothing of the kind on a plain toy.
    assert not score(make, rules, "Bộ đồ chơi lắp ráp xe cứu hỏa 120 chi tiết", 99_000,
                     category="Đồ Chơi > Đồ chơi lắp ráp").flagged


def test_a_short_name_with_a_country_is_no_near_miss(make: MakeListing, rules: RuleSet) -> None:
    # "bay vietnam" is two letters from "bear viet nam": the short name alone, which is
    # too short for near misses.
    scored = score(make, rules, "Mô hình máy bay Vietnam Airlines Boeing 787-9 tỉ lệ 1:400 hợp kim", 450_000,
                   category="Đồ Chơi > Mô hình")
    assert "brand.lookalike" not in codes(scored)
    # A longer name with its country keeps its near misses ("Heas& shoulder").
    assert "brand.lookalike" in codes(score(make, rules, "Dầu gội Heas& shoulder của Mỹ 400ml mẫu mới", 65_000))


def test_famous_lines_of_less_common_goods_name_their_maker(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("vợt cầu lông astrox 88d pro 4U căng sẵn", 390_000),
        ("Vợt tennis Pro Staff 97 v14 315g", 690_000),
        ("Máy hút sữa Medela Pump In Style MaxFlow điện đôi", 890_000),
        ("Hạt Indoor 27 cho mèo trưởng thành 2kg", 150_000),
    ])
    # The same lines at their prices are no finding.
    assert_not_by(make, rules, "price.below_reference", [
        ("vợt cầu lông Yonex Astrox 88D Pro 4U chính hãng", 3_600_000),
        ("Hạt Royal Canin Indoor 27 cho mèo 2kg", 460_000),
    ])


def test_strips_and_day_packs_are_priced_as_what_they_are(make: MakeListing, rules: RuleSet) -> None:
    # A meter's strips are not the meter, and 25 strips are half a box of 50; a 30-day pack
    # of 180 tablets is half the 60-day band.
    assert_not_by(make, rules, "price.below_reference", [
        ("Que thử đường huyết Accu-Chek Instant hộp 25 que", 190_000),
        ("Viên uống DHC Collagen 30 ngày 180 viên đẹp da", 115_000),
    ])
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Que thử Accu Chek Performa hộp 50 que hàng xách tay giá rẻ", 90_000),
        ("Que thử Accu-Chek Guide hộp 50 que date xa", 99_000),
        ("Viên uống DHC Collagen 60 ngày 360 viên", 95_000),
    ])


def test_an_exception_holds_only_as_typed(make: MakeListing, rules: RuleSet) -> None:
    # "off white" is the colour; "Off Wh1te" is written so that a filter for the brand misses it.
    assert "brand.lookalike" in codes(score(make, rules, "Áo hoodie Off Wh1te mũi tên cao cấp", 250_000))
    assert not score(make, rules, "Áo hoodie nam màu off white basic", 250_000).flagged


def test_airpods_clone_grades_are_slang(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "text.slang", [
        ("Tai nghe Pro 2 hổ vằn 1562A chip Airoha, check định vị, đổi tên", 290_000),
        ("tai nghe airpods pro 2 ho van ban cao nhat", 350_000),
        ("Airpods 3 chip Louda 1562M đổi tên định vị", 320_000),
    ])
    for title in ["Đồng hồ vạn năng số UT33D kèm dây đo", "Tai nghe QCY T13 ANC chip Airoha chính hãng",
                  "Áo thun in hình hổ vằn 3D nam nữ"]:
        assert "text.slang" not in codes(score(make, rules, title, 290_000)), title


def test_a_watch_houses_name_on_clothes_is_off_its_goods(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.off_category", [
        ("Áo thun Rolex vương miện in ngực cotton 4 chiều nam", 180_000),
        ("Thắt lưng Rolex khóa vương miện da bò nam doanh nhân", 250_000),
    ])
    # The watch itself, with its papers ("giấy", which folds like "giày"), and a strap "cho Rolex".
    assert_not_by(make, rules, "brand.off_category", [
        ("Rolex Datejust 36 126234 đã qua sử dụng, fullbox giấy 2021", 250_000_000),
        ("Dây da đồng hồ cho Rolex Daytona 20mm", 350_000),
    ])


def test_a_brand_glued_to_the_next_word_is_read(make: MakeListing, rules: RuleSet) -> None:
    # "VuittonCao cấp" is one unknown word to a word filter.
    assert_flagged_by(make, rules, "brand.lookalike", [
        ("[LIMITED+FULLBOX] Giày Nam Louis VuitonCao Cấp - Sneaker Đế Bệt", 299_000),
        ("Thắt lưng VuittonCao cấp khóa kim loại dập logo nam", 189_000),
        ("Túi đeo chéo GucciChính hãng da bò", 350_000),
    ])
    # Ordinary words before the same endings are not brands.
    for title in ["Bàn gỗ caocap phòng khách", "Áo thun nam hàngcao cấp cotton", "Giày nữ sieucap đẹp"]:
        assert not score(make, rules, title, 199_000).flagged, title


def test_mass_market_goods_counterfeited_at_scale_are_famous(make: MakeListing, rules: RuleSet) -> None:
    # Fake detergent, coffee, diapers and toothpaste are what provincial raids seize most.
    assert_flagged_by(make, rules, "text.slang", [
        ("Nước xả vải Downy hàng loại 1 can 10 lít pha sẵn", 120_000),
        ("Nescafe Café Việt đen đá hộp 15 gói hàng loại 1 giá sỉ", 18_000),
    ])
    assert "brand.lookalike" in codes(score(make, rules, "Kem đánh răng 𝗖𝗹𝗼𝘀𝗲𝘂𝗽 180g băng tuyết", 25_000))
    # ... while the same brands at their prices, and a photo's "close up", are no finding.
    for title, price in [("Nước giặt OMO Matic cửa trên túi 3.7kg", 185_000),
                         ("Ống kính macro chụp close up cho điện thoại", 150_000)]:
        assert not score(make, rules, title, price).flagged, title


def test_a_makers_name_on_goods_next_to_its_own_is_off_its_goods(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.off_category", [
        ("Nhớt NGK 10W40 4T 1L cho xe số xe tay ga", 75_000),
        ("Thức ăn cho chó Whiskas vị bò nướng 1.5kg", 89_000),
        ("Cát vệ sinh Royal Canin khử mùi 10L cho mèo", 69_000),
    ])
    # A service kit or a shop's combo names the maker of another item in it.
    assert_not_by(make, rules, "brand.off_category", [
        ("Combo bảo dưỡng xe: nhớt Motul 300V + bugi NGK Iridium", 420_000),
        ("Combo hạt Royal Canin Indoor 2kg + cát vệ sinh đậu nành 6L", 620_000),
    ])


def test_fashion_lines_and_codes_name_their_house(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.lookalike", [("Giày MCQ đế độn gót đen bản trung cao cấp", 450_000)])
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Thắt lưng khóa Gancini da bò 2 mặt", 350_000),
        ("Áo khoác Carhartt WIP Detroit Jacket canvas nâu", 650_000),
    ])
    assert "brand.lookalike" not in codes(score(make, rules, "Nón MCQ thêu chữ", 150_000))  # a cap is no sneaker


def test_a_random_slices_false_alarms(make: MakeListing, rules: RuleSet) -> None:
    # A brand field that needs context gets it too: "Jordan" on a toothbrush is the oral-care
    # maker, not Air Jordan ...
    assert not score(make, rules, "Bàn chải đánh răng trẻ em Jordan Step 2 (3-5 tuổi)", 35_000, brand="Jordan",
                     category="Mẹ & Bé > Chăm sóc răng miệng").flagged
    # ... the fruit is no phone maker, and a novel's title is no slang.
    assert not score(make, rules, "Táo Envy New Zealand loại 1 hộp 1kg - fresh apple", 129_000).flagged
    assert "text.slang" not in codes(score(make, rules, "Replica - Lauren Oliver (paperback, tiếng Anh)", 189_000))
    assert "text.slang" not in codes(score(make, rules, "Replica - Lauren Oliver", 189_000,
                                           category="Sách & Tạp Chí > Sách ngoại văn > Tiểu thuyết"))
    assert "text.slang" in codes(score(make, rules, "Túi Gucci Marmont hàng replica", 900_000))
    # The brand field still counts where the goods fit it.
    shoe = score(make, rules, "Giày bóng rổ cổ cao Retro High OG Chicago", 450_000, brand="Jordan",
                 category="Giày Dép Nam > Giày thể thao")
    assert any("Jordan" in s.detail for s in shoe.signals)


def test_household_chemicals_are_priced_by_weight_and_volume(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Nước giặt OMO Matic can 10kg giá xả 99k", 99_000),
        ("Nước xả vải Downy can 10 lít pha sẵn", 120_000),
    ])
    assert_not_by(make, rules, "price.below_reference", [
        ("Nước giặt OMO Matic cửa trên túi 3.7kg", 185_000), ("Nước xả vải Downy túi 1.35L", 95_000),
    ])


def test_beauty_devices_and_whisky_named_by_their_lines(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Máy ageLOC LumiSpa iO làm sạch sâu", 890_000), ("Blue Label 750ml có hộp quà", 900_000)])
    assert_flagged_by(make, rules, "brand.off_category", [("Máy rửa mặt Dior rung sóng âm 3 chế độ", 250_000)])
    assert not score(make, rules, "Áo sơ mi nam Blue Label cotton", 350_000).flagged  # the colour words alone


def test_health_probe_three(make: MakeListing, rules: RuleSet) -> None:
    # One milk cube sold singly is priced per cube of the box of 24 ...
    assert "price.below_reference" not in codes(score(
        make, rules, "Sữa Meiji thanh 27g - lẻ 1 thanh (hộp 24 thanh)", 21_000))
    # ... famous pharmacy lines are named without their brands, and a dash splits a famous name.
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Nước tẩy trang Sensibio H2O 500ml", 75_000), ("Mineral 89 serum khoáng 50ml chỉ 150k", 150_000),
        ("Hagukumi số 2 800g sữa Nhật", 250_000)])
    assert_flagged_by(make, rules, "brand.lookalike", [("Col-gate MaxFresh bạc hà 225g", 22_000)])
    assert not score(make, rules, "Nước tẩy trang Sensibio H2O 100ml", 125_000).flagged


def test_a_far_miss_of_one_word_does_not_hide_a_near_miss_of_two(make: MakeListing, rules: RuleSet) -> None:
    # "daniel" alone is a far miss of Ariel; "daniel welington" is one letter from the watch brand.
    assert_flagged_by(make, rules, "brand.lookalike", [("Đồng hồ Daniel Welington nữ dây lưới mặt trắng", 149_000)])


def test_brand_names_written_as_vietnamese_syllables_are_codes(make: MakeListing, rules: RuleSet) -> None:
    # A code names the brand on its own kind of goods, which the platform's path says here.
    for title, price, category in [
            ("a đi đát samba og trắng kem gót xanh đế cao su size 35-44", 320_000, "Giày Dép Nữ > Giày thể thao"),
            ("Nước hoa si chần Bờ Lơ đờ 100ml lưu hương 12h", 350_000, "Sắc Đẹp > Nước hoa"),
            ("Khăn choàng cổ bơ bơ ri caro cashmere", 149_000, "Phụ Kiện Thời Trang > Khăn"),
            ("Giày nai ki air force 1 trắng", 350_000, "Giày Dép Nam > Giày thể thao")]:
        scored = score(make, rules, title, price, category=category)
        assert scored.flagged and "brand.lookalike" in codes(scored), title
    assert not score(make, rules, "Áo sơ mi nữ lụa trơn cổ đức công sở - Gu Chị Em", 189_000).flagged
