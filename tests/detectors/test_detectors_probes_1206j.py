"""Patterns found at the fifteenth detector pass (2026-12-06, second session), tested on titles of the same kind."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    codes,
    score,
)


def test_an_accessory_named_with_the_computer_it_serves_is_not_priced_as_a_used_computer(
        make: MakeListing, rules: RuleSet) -> None:
    # "Chuột máy tính" sells a mouse: "máy tính" (a used-market good, where a used unit at a
    # quarter of new is plausible) only says what the mouse is for, so the plain ratio holds.
    assert_flagged_by(make, rules, "price.below_reference", [("Chuột máy tính Logitech G102 LED RGB", 89_000)])
    # A tablet named first is the used-market good itself: a used iPad at a third of new is not flagged.
    assert not score(make, rules, "Máy tính bảng iPad Air 4 64GB", 3_500_000).flagged


def test_sony_wired_earbuds_have_their_own_band(make: MakeListing, rules: RuleSet) -> None:
    # The headphone floor (700k, WH-CH520 promotions) is no price for Sony's wired earbuds.
    assert not score(make, rules, "Tai nghe nhét tai Sony MDR-E9LP có dây jack 3.5mm", 149_000).flagged
    assert_flagged_by(make, rules, "price.below_reference", [("Tai nghe Sony MDR-E9LP", 45_000)])


def test_a_board_games_name_is_no_slang(make: MakeListing, rules: RuleSet) -> None:
    # A board game is a work with a name, like a book: "A Fake Artist" is its title.
    assert not score(make, rules, "Board game A Fake Artist Goes to New York bản tiếng Anh", 420_000).flagged
    assert score(make, rules, "Giày Nike Air Force 1 fake giá rẻ", 420_000).flagged


def test_a_cartridge_for_a_printer_is_not_priced_as_the_printer(make: MakeListing, rules: RuleSet) -> None:
    # "thay thế cho máy in Canon": the printer is what the cartridge fits.
    assert not score(make, rules, "Hộp mực thay thế cho máy in Canon LBP 2900/3000 (hộp 303/FX9)", 120_000).flagged
    assert_flagged_by(make, rules, "price.below_reference", [("Máy in Canon LBP 2900 mới 100%", 600_000)])


def test_the_winged_victory_is_no_nike_claim(make: MakeListing, rules: RuleSet) -> None:
    assert not score(make, rules, "Tượng nữ thần chiến thắng Nike of Samothrace trang trí 30cm", 285_000).flagged
    assert score(make, rules, "Giày Nike Air Force 1 trắng rep 1:1", 285_000).flagged


def test_a_wiper_sold_new_with_zin_claims_the_car_makers_factory(make: MakeListing, rules: RuleSet) -> None:
    # A wiper is a part: "zin" on one the title calls new ("mới 100%") claims the maker's own part.
    assert_flagged_by(make, rules, "text.factory_claim", [
        ("Gạt mưa zin theo xe Toyota Vios hàng bóc xe mới 100% (cặp)", 45_000),
    ])
    assert not score(make, rules, "Gạt mưa Bosch Aerotwin cho Toyota Vios", 250_000).flagged


def test_chanel_skin_and_body_care_has_a_floor(make: MakeListing, rules: RuleSet) -> None:
    # Nothing Chanel sells for skin or body (its cheapest, a hand cream, ~1.2M) costs 150k.
    assert_flagged_by(make, rules, "price.below_reference", [("Kem body dưỡng trắng da Chanel Luxury White 250g", 150_000)])
    assert not score(make, rules, "Kem dưỡng tay Chanel La Crème Main 50ml", 1_250_000).flagged


def test_a_sportswear_mark_after_an_accessory_word_is_a_claim(make: MakeListing, rules: RuleSet) -> None:
    # Adidas makes no device an accessory could fit: "Miếng dán ... Adidas" sells Adidas-marked patches.
    assert_flagged_by(make, rules, "brand.off_category", [("Miếng dán giảm đau cơ Adidas Sport Heat Patch hộp 10 miếng", 99_000)])
    assert not score(make, rules, "Ốp lưng cho iPhone 15 Pro Max silicon", 59_000).flagged


def test_a_freckle_pen_draws_fake_freckles(make: MakeListing, rules: RuleSet) -> None:
    assert not score(make, rules, "Bút vẽ tàn nhang giả Fake Freckle Pen tự nhiên chống nước", 49_000).flagged
    assert score(make, rules, "Son Dior Addict fake loại 1", 49_000).flagged


def test_a_phone_makers_power_bank_is_not_priced_as_a_used_phone(make: MakeListing, rules: RuleSet) -> None:
    # The goods' own category (a power bank: electronics, sold new) decides the used market,
    # not the brand's (Xiaomi: phones, where used units sell unmarked).
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Sạc dự phòng Xiaomi 20000mAh 33W sạc nhanh 2 cổng chính hãng", 89_000),
    ])
    band = score(make, rules, "Vòng đeo tay Mi Band 9 Pro màn AMOLED GPS chính hãng", 150_000,
                 category="Thiết Bị Điện Tử > Thiết bị đeo thông minh > Vòng đeo tay")
    assert band.flagged and "price.below_reference" in codes(band)
    # A calculator ("máy tính Casio") is sold new; a computer ("máy tính") may be used.
    assert_flagged_by(make, rules, "price.below_reference", [("Máy tính Casio fx 580VNX cho học sinh", 150_000)])
    assert not score(make, rules, "Xiaomi Redmi Note 13 8/256GB", 2_000_000).flagged


def test_a_personal_care_mark_after_an_accessory_word_is_a_claim(make: MakeListing, rules: RuleSet) -> None:
    # Crest makes no device a "miếng dán" could fit: the strips are Crest's own goods, and "1:1"
    # says they copy them.
    assert_flagged_by(make, rules, "text.slang", [("Miếng dán trắng răng Crest 3D Whitestrips 1:1 hộp 14 gói", 189_000)])
    assert not score(make, rules, "Miếng dán cường lực cho Samsung Galaxy A55", 39_000).flagged


def test_famous_products_with_their_own_bands(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Bàn chải điện Philips Sonicare DiamondClean 9000 HX9911", 890_000),
        ("Mật ong Manuka Health MGO 550+ 250g New Zealand", 350_000),
    ])
    assert not score(make, rules, "Bàn chải điện Philips Sonicare DiamondClean 9000 HX9911", 4_500_000).flagged


def test_nhap_my_is_a_used_import_only_on_goods_that_sell_used_unmarked(make: MakeListing, rules: RuleSet) -> None:
    # A mixer or a bag of beans "nhập Mỹ" came from the US new; a laptop "nhập Mỹ" is a
    # second-hand import, not priced against the new one.
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Máy xay sinh tố Vitamix E310 Explorian 1.4L - Hàng chính hãng nhập Mỹ", 2_490_000),
        ("Cà phê hạt Starbucks Pike Place Roast 1.13kg nhập Mỹ date mới", 150_000),
    ])
    assert not score(make, rules, "Laptop Dell latitude i5 15in laptop nhập mỹ nguyên zin văn phòng", 3_500_000).flagged
    assert not score(make, rules, "iPhone 12 Pro Max 128GB nhập Mỹ", 6_000_000).flagged


def test_the_english_article_after_duong_is_no_body_lotion(make: MakeListing, rules: RuleSet) -> None:
    # "Kem dưỡng The History of Whoo" folds to "... duong the ...": only "dưỡng thể" as typed
    # (or a title typed with no marks at all) names a perfume line's body lotion.
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Kem dưỡng The History of Whoo Gongjinhyang Soo Yeon Cream 50ml", 900_000)])


def test_a_hair_mask_head_leaves_the_brand_its_goods(make: MakeListing, rules: RuleSet) -> None:
    # "Dầu hấp" (a hair mask) is personal care: the head names Olaplex's own kind of goods.
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Dầu hấp phục hồi Olaplex No.3 Hair Perfector 100ml giá xưởng", 79_000)])


def test_pixel_phones_have_bands(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Điện thoại Google Pixel 8 Pro 12/128GB mới 100% nguyên seal", 2_500_000)])
    assert not score(make, rules, "Ốp lưng Google Pixel 8 Pro", 90_000).flagged


def test_hang_zin_nha_may_is_read_whole(make: MakeListing, rules: RuleSet) -> None:
    # The weak "hàng zin" must not take the "zin" of "zin nhà máy" / "zin xuất xưởng" first.
    assert_flagged_by(make, rules, "text.factory_claim", [
        ("Đầu bàn chải Philips Sonicare HX6064 W2 hàng zin nhà máy Philips (không hộp)", 25_000),
        ("Núm ti Pigeon SofTouch thế hệ 3 size M hàng zin xuất xưởng Pigeon Nhật (không vỉ)", 9_000),
    ])
    assert not score(make, rules, "Núm ti Pigeon SofTouch size M chính hãng", 90_000).flagged


def test_overlapping_phrases_are_all_found() -> None:
    from detectors.phrases import PhraseMatcher

    matcher = PhraseMatcher([("hàng zin", "weak"), ("zin nhà máy", "factory"), ("like new", "used"),
                             ("new 100%", "new")])
    assert [m.value for m in matcher.finditer("Núm ti hàng zin nhà máy")] == ["weak"]
    assert [m.value for m in matcher.finditer("Núm ti hàng zin nhà máy", overlapping=True)] == ["weak", "factory"]
    assert [m.value for m in matcher.finditer("ao like new 100%", overlapping=True)] == ["used", "new"]


def test_health_devices_and_supplements_named_in_the_health_probes(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Máy đo SpO2 Masimo MightySat Rx kẹp ngón tay Mỹ", 350_000),
        ("Nhiệt kế hồng ngoại đo trán Exergen TAT-2000C Mỹ", 290_000),
        ("Viên uống Healthy Care Squalene 1000mg 200 viên Úc", 109_000),
    ])
    assert not score(make, rules, "Máy đo SpO2 Masimo MightySat Rx chính hãng", 6_500_000).flagged


def test_a_brand_spelt_in_vietnamese_syllables_is_a_claim_on_any_goods(make: MakeListing, rules: RuleSet) -> None:
    # "Lu-i Vi-tông" is no word of anyone's: three or more syllables spell the house out.
    assert_flagged_by(make, rules, "brand.lookalike", [("Bộ chăn ga gối Lu-i Vi-tông lụa tencel họa tiết monogram", 450_000)])
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Phấn phủ Laura Mercier Translucent Loose Setting Powder 29g giá sỉ", 99_000)])


def test_fashion_houses_spelt_in_vietnamese_syllables(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.lookalike", [
        ("Túi tote vải canvas in chữ BA LEN XI A GA phong cách Hàn Quốc", 149_000),
        ("Áo thun Ve-sa-che họa tiết", 199_000),
    ])
    # Cartier's "Ca-ti-e" is left out: it folds like "cá tí ẻ", a dried fish.
    assert not score(make, rules, "Cá tí ẻ sấy khô gói 100g", 50_000).flagged


def test_a_pocket_knife_is_household_goods(make: MakeListing, rules: RuleSet) -> None:
    # With its goods' category known, a near miss of the knife maker is a look-alike.
    assert_flagged_by(make, rules, "brand.lookalike", [("Dao đa năng Victorinoks Huntsman 15 chức năng Thụy Sĩ", 120_000)])


def test_innocent_phrases_holding_a_used_word(make: MakeListing, rules: RuleSet) -> None:
    # "Game Pass" is a subscription, "2nd Gen" a generation, "mùi chuẩn 99%" a copy's likeness:
    # none says the unit is second-hand, so the new price band applies.
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Máy Xbox Series X 1TB nguyên seal, tặng Game Pass", 3_500_000),
        ("Loa B&O Beosound A1 2nd Gen âm thanh Đan Mạch", 900_000),
    ])
    assert not score(make, rules, "Máy Xbox Series X 1TB pass lại", 7_500_000).flagged


def test_a_keyboard_is_the_product_unless_it_is_for_a_laptop(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Bàn phím cơ Razer Huntsman Mini giá xưởng", 450_000),
        ("Bàn phím không dây Logitech MX Keys S mới nguyên seal 100%", 390_000),
    ])
    for title, price in [("Bàn phím laptop Dell Latitude E5470 thay thế", 250_000),
                         ("Keycap PBT tương thích bàn phím Razer Huntsman", 150_000)]:
        assert not score(make, rules, title, price).flagged, title


def test_an_exfoliant_is_skin_care(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Tẩy da chết hoá học Skin Perfecting 2% BHA Liquid Exfoliant 118ml", 149_000)])


def test_a_dash_camera_is_sold_new(make: MakeListing, rules: RuleSet) -> None:
    # "camera" alone may be a second-hand camera; "camera hành trình" is a dashcam, sold new.
    assert_flagged_by(make, rules, "price.below_reference", [("Camera hành trình 70mai A800S 4K chỉ 450k", 450_000)])


def test_sk_ll_with_lower_case_ls_is_sk_ii(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.lookalike", [("Nước thần SK-ll Pitera Essence 230ml fullbox", 3_950_000)])


def test_a_game_controller_is_the_product_not_a_handle(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Tay cầm PS5 DualSense chính hãng Sony giá rẻ chỉ 350k", 350_000),
        ("Tay cầm Pro Controller Nintendo Switch chính hãng rung HD có NFC", 220_000),
    ])
    assert not score(make, rules, "Tay cầm máy hút bụi Dyson V8 thay thế", 150_000).flagged


def test_a_skipping_rope_counts_reps(make: MakeListing, rules: RuleSet) -> None:
    assert not score(make, rules, "Dây nhảy thể thao có đếm số rep điện tử, cáp thép chống rối", 129_000).flagged
    assert score(make, rules, "Giày Nike Air Force 1 rep 1:1", 350_000).flagged


def test_a_xiaomi_20000_mah_power_bank_has_its_band(make: MakeListing, rules: RuleSet) -> None:
    # "pin dự phòng" names a power bank (electronics, sold new); the 20,000 mAh band applies
    # once Xiaomi is named, and says nothing of an unbranded pack.
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Pin dự phòng Xiaomi 20000mAh Gen 3 18W PLM18ZM chính hãng", 120_000)])
    assert not score(make, rules, "Sạc dự phòng 20000mAh giá rẻ 2 cổng USB, không thương hiệu", 79_000).flagged


def test_kitchen_machines_and_press_on_nails(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Máy nấu đa năng Thermomix TM6 hàng Đức giá xả kho", 6_900_000),
        ("Máy pha cà phê SMEG ECF01 màu pastel cổ điển", 1_650_000),
    ])
    assert not score(make, rules, "Móng tay giả fake nails 24 móng kèm keo dán", 35_000).flagged
