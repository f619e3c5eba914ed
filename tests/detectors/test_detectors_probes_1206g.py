"""Patterns found at the fourteenth detector pass (2026-12-06), tested on titles of the same kind."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    codes,
    score,
)


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


def test_a_domestic_claim_counts_in_either_word_order(make: MakeListing, rules: RuleSet) -> None:
    # "hàng Nhật nội địa" claims the Japanese home market as "nội địa Nhật" does; a Chinese
    # prefix contradicts both. A valid Japanese prefix contradicts neither.
    for title in ("Nước hoa hồng Hada Labo Gokujyun Lotion 170ml hàng Nhật nội địa",
                  "Nước hoa hồng Hada Labo Gokujyun Lotion 170ml nội địa Nhật"):
        scored = score(make, rules, title, 215_000, gtin="6971234005816", category="Sắc Đẹp > Toner")
        assert scored.flagged and "barcode.prefix_conflict" in codes(scored), title
    honest = score(make, rules, "Sữa Meiji Step 800g Nhật nội địa date 2027", 560_000, gtin="4902705116542",
                   category="Mẹ & Bé > Sữa công thức")
    assert "barcode.prefix_conflict" not in codes(honest)


def test_a_part_for_a_helmet_named_before_its_model_is_no_claim_of_the_helmet(make: MakeListing,
                                                                               rules: RuleSet) -> None:
    # "dành cho nón LS2 FF353": the visor fits that helmet, though the short name alone is
    # dropped in a listing the platform files under vehicle accessories.
    for title in ("Kính chắn gió thay thế dành cho nón LS2 FF353 / FF320, khói đen",
                  "Kính chắn gió thay thế cho mũ AGV K3 khói"):
        assert not score(make, rules, title, 180_000, category="Ô tô & Xe máy > Phụ kiện").flagged, title
    assert score(make, rules, "Nón bảo hiểm LS2 FF353 fullface", 350_000).flagged


def test_a_goods_scoped_code_in_the_brand_field_names_no_brand(make: MakeListing, rules: RuleSet) -> None:
    # "C.K" is Calvin Klein's only after its goods in a title; "C.K Tools" in the brand field makes pliers.
    assert not score(make, rules, "Kìm điện C.K Tools T3751 Redline 180mm cách điện 1000V", 420_000,
                     brand="C.K Tools").flagged
    assert_flagged_by(make, rules, "brand.lookalike", [("Thắt lưng nam C.K khóa tự động", 150_000)])


def test_dots_written_as_character_references_split_a_brand_as_dots_do(make: MakeListing, rules: RuleSet) -> None:
    # "D&#x2E;i&#x2E;o&#x2E;r" shows as "D.i.o.r"; "Johnson&#39;s" and "H&amp;M" are escaped text.
    assert_flagged_by(make, rules, "brand.lookalike", [("Son D&#x2E;i&#x2E;o&#x2E;r Rouge 999 Velvet", 350_000)])
    for title, price in [("Phấn rôm Johnson&#39;s Baby Powder 200g", 45_000), ("Áo thun H&amp;M regular fit", 150_000)]:
        assert "brand.lookalike" not in codes(score(make, rules, title, price)), title


def test_a_camera_lens_cover_is_a_part_whose_factory_claim_counts(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "text.factory_claim", [
        ("Mặt kính camera sau iPhone 15 Pro Max zin Foxconn new (thay cho kính vỡ)", 35_000)])
    assert not score(make, rules, "Mặt kính camera sau iPhone 15 Pro Max", 35_000).flagged


def test_a_gift_set_mini_is_priced_below_the_full_size_a_decant_is_not(make: MakeListing, rules: RuleSet) -> None:
    # A 7 ml ANR mini resells at ~200k against ~2.8M for 50 ml: about half the price a ml.
    for title, price in [("Serum Estée Lauder Advanced Night Repair Mini 7ml Hàng Sample", 190_000),
                         ("[Mini] Kiehl's Ultra Facial Cream 28ml hàng tặng từ set chính hãng", 230_000)]:
        assert not score(make, rules, title, price).flagged, title
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Serum Estée Lauder Advanced Night Repair Mini 7ml", 59_000),
        # A decant is poured from the bottle and priced by its millilitres, as the bottle is.
        ("Chiết 10ml Chanel Bleu de Chanel EDP thơm lâu", 150_000),
    ])


def test_a_printer_fuser_is_a_part_whose_factory_claim_counts(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "text.factory_claim", [
        ("Cụm sấy máy in HP LaserJet Pro M404 linh kiện zin HP mới 100%", 350_000)])
    assert not score(make, rules, "Cụm sấy máy in HP LaserJet Pro M404 mới", 450_000).flagged


def test_toner_powder_for_a_printer_is_a_refill_and_a_graphics_card_no_screen(make: MakeListing, rules: RuleSet) -> None:
    # "Mực nạp ... HP 12A": powder for refilling that cartridge, not the cartridge at a tenth of its price.
    assert not score(make, rules, "Mực nạp dành cho máy in Canon LBP 2900 / HP 12A lọ 100g", 80_000).flagged
    # "Card màn hình" is a graphics card: priced as one, not skipped as a spare screen.
    assert_flagged_by(make, rules, "price.below_reference", [("Card màn hình Gigabyte RTX 4060 Windforce 8GB", 2_500_000)])
    # "gygabyte" misspells the storage unit, not the maker.
    title = "Thẻ nhớ micro SD SanDisk 64GB class 10 64 GB gygabyte memory card"
    assert "brand.lookalike" not in codes(score(make, rules, title, 179_000))


def test_a_product_line_cut_apart_names_its_maker_as_a_split_brand_does(make: MakeListing, rules: RuleSet) -> None:
    for title, price in [("Giày Sam ba OG trắng đế gum nam nữ", 450_000),
                         ("Nước hoa nữ Coco Ma-de-moi-selle 100ml thơm lâu", 450_000)]:
        scored = score(make, rules, title, price)
        assert scored.flagged and "brand.lookalike" in codes(scored), title
        assert any("with its letters split apart" in s.detail and "product line" in s.detail
                   for s in scored.signals), title
    # Syllables side by side ("PIKA.CHU" on a bag) and Vietnamese words ("săm ba bánh") are no cut.
    for title in ("Túi đeo chéo thời trang nam PIKA.CHU, HOA CÚC", "Săm ba bánh xe đạp trẻ em"):
        assert "brand.lookalike" not in codes(score(make, rules, title, 100_000)), title


def test_ear_tips_are_a_part_and_the_milk_a_box_holds_is_no_claim(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "text.factory_claim", [
        ("Nút tai thay thế AirPods Pro zin bóc máy Apple chính hãng", 90_000)])
    assert not score(make, rules, "Hộp chia sữa bột 3 ngăn dành cho sữa Similac, Aptamil, Meiji", 60_000).flagged
    # Milk "for the baby" is the maker's own milk, priced as such.
    assert_flagged_by(make, rules, "price.below_reference", [("Sữa dành cho bé Similac IQ 900g", 200_000)])


def test_ones_and_zeros_inside_a_short_name_are_leetspeak(make: MakeListing, rules: RuleSet) -> None:
    # "D10R" has two letters only, fewer than leetspeak otherwise needs; "A10", "S10" stay models.
    assert_flagged_by(make, rules, "brand.lookalike", [("D10R Áo Khoác Denim Tay Dài Thêu Họa Tiết", 800_000)])
    for title in ("Điện thoại Samsung Galaxy A10 cũ", "Ốp lưng Galaxy S10e trong suốt"):
        assert "brand.lookalike" not in codes(score(make, rules, title, 900_000)), title


def test_loai_1_after_china_counts_and_a_die_cast_scale_does_not(make: MakeListing, rules: RuleSet) -> None:
    # "trung" vetoed "loại 1" as eggs ("trứng") also where it is China ("hàng nội địa Trung").
    assert_flagged_by(make, rules, "text.slang", [
        ("Nhỏ gáy Frontline Plus hàng nội địa Trung loại 1 hộp 3 tuýp", 75_000)])
    assert not score(make, rules, "Trứng gà Ba Huân loại 1 hộp 10 quả", 30_000).flagged
    # "kim loại 1:64" is a die-cast car's metal and scale.
    assert "text.slang" not in codes(score(make, rules, "Set 5 xe Hot Wheels kim loại 1:64 chính hãng", 250_000))


def test_leetspeak_ending_a_two_word_name_is_quoted_as_written(make: MakeListing, rules: RuleSet) -> None:
    scored = score(make, rules, "Nước tăng lực Red Bu11 thùng 24 lon", 190_000)
    assert scored.flagged and any("'red bu11' is brand 'Red Bull'" in s.detail for s in scored.signals)


def test_a_bag_or_a_wiper_arm_between_a_compatibility_word_and_the_brand_is_a_filler(
        make: MakeListing, rules: RuleSet) -> None:
    for title, price in [("Ly đong hạt 250g + kẹp miệng túi dành cho túi Royal Canin, Me-O", 39_000),
                         ("Lưỡi gạt mưa cao su thay thế tương thích cần Bosch Aerotwin 24 inch", 65_000)]:
        assert not score(make, rules, title, price).flagged, title


def test_a_connector_standard_a_garment_cut_and_an_animal_claim_no_brand(make: MakeListing, rules: RuleSet) -> None:
    # "tương thích MagSafe iPhone": MagSafe is the connector, as "Lightning" is; a coach jacket
    # is a cut of windbreaker; "con báo Puma" is the big cat.
    for title, price in [("Sạc dự phòng từ tính 10000mAh tương thích MagSafe iPhone 15/16", 290_000),
                         ("Áo khoác coach jacket dù 2 lớp unisex trơn basic", 180_000),
                         ("Mô hình con báo Puma Schleich Wild Life chính hãng Đức", 150_000)]:
        assert not score(make, rules, title, price).flagged, title
    assert score(make, rules, "Túi Coach Tabby 26 da bò", 900_000).flagged
