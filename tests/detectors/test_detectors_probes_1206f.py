"""Patterns the written sets still missed at the thirteenth detector pass (2026-12-06),
tested on titles of the same kind."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    assert_not_by,
    codes,
    score,
)


def test_slang_said_of_a_brand_the_registry_holds_but_does_not_call_famous(make: MakeListing, rules: RuleSet) -> None:
    # Pisen, Baseus and Pilot are registered makers, not famous marks: a grade of copy said of
    # them is said of a brand, as of Nike.
    for title, price, brand in [
        ("Sạc dự phòng Pisen hàng copy 10000mAh vỏ nhôm giá rẻ", 99_000, "Pisen"),
        ("Sạc dự phòng Baseus Blade 20000mAh 100W hàng SF", 159_000, "Baseus"),
        ("Bút gel Pilot G2 hàng loại 1 hộp 12 cây viết siêu trơn", 59_000, "Pilot"),
    ]:
        scored = score(make, rules, title, price, brand=brand)
        assert scored.flagged and "text.slang" in codes(scored), title
        slang = next(s for s in scored.signals if s.code == "text.slang")
        assert f"said of the brand '{brand}'" in slang.detail
    # Right after the brand's name the same words name its model, not a grade of copy.
    for title, price, brand in [
        ("Sạc dự phòng Remax Mirror 10000mAh", 250_000, "Remax"),
        ("Áo thun polo ngắn tay nhanh khô Red Bull F1 2020", 150_000, "No Brand"),
    ]:
        assert not score(make, rules, title, price, brand=brand).flagged, title
    # Unbranded goods' "loại 1" is a grade, and the brand's own store is not flagged.
    assert not score(make, rules, "Bút bi hộp 20 cây hàng loại 1 giá sỉ", 35_000, brand="No Brand").flagged
    official = {"id": "9", "name": "Pilot Official Store", "is_official": True}
    assert not score(make, rules, "Bút gel Pilot G2 hàng loại 1 hộp 12 cây", 59_000, brand="Pilot",
                     seller=official).flagged


def test_a_one_word_famous_name_cut_in_two_is_split_at_any_price(make: MakeListing, rules: RuleSet) -> None:
    # The registry no longer lists "xiao mi" or "cera ve" as the brand's own spellings, so they
    # are read as "Sam sung" is: a name cut apart to dodge filters, at any price.
    assert_flagged_by(make, rules, "brand.lookalike", [
        ("Pin dự phòng Xiao mi 10000mAh gen 3 sạc nhanh 22.5W", 399_000),
        ("Sữa rửa mặt Cera-Ve 236ml da dầu", 380_000),
        ("Men vi sinh Bio Gaia giọt 5ml cho trẻ sơ sinh", 390_000),
    ])
    # A maker that writes its own name apart is not split ("One Touch" is LifeScan's).
    assert not score(make, rules, "Que thử đường huyết One Touch Select Plus hộp 50 que", 390_000,
                     brand="OneTouch").flagged


def test_short_names_split_apart_after_their_goods(make: MakeListing, rules: RuleSet) -> None:
    # The initials of a name, dotted or spaced apart after goods the brand makes, are a code for it.
    assert_flagged_by(make, rules, "brand.lookalike", [
        ("Ví da nam C.K dáng đứng kèm hộp", 159_000),
        ("Dép N.B quai ngang đế êm nam nữ", 99_000),
        ("Túi đeo chéo L V monogram nữ", 250_000),
        ("Khẩu trang 3 M 9001 hộp 50 cái", 120_000),
        ("Sữa bột N.A.N số 3 lon 900g", 480_000),
    ])
    # The same letters elsewhere are sizes and lengths.
    assert_not_by(make, rules, "brand.lookalike", [("Băng keo vải 3 m khổ 5cm", 99_000),
                                                   ("Áo thun nam size L V cổ tim", 99_000),
                                                   ("Giày thể thao nam N.B.A bóng rổ", 99_000)])


def test_a_house_s_name_as_the_scent_or_pattern_of_goods_no_house_sells(make: MakeListing, rules: RuleSet) -> None:
    # Laundry, wipes and bedding: no luxury house sells them, so its name there is its mark on
    # them, also when written as their scent or pattern.
    assert_flagged_by(make, rules, "brand.off_category", [
        ("Nước giặt hương nước hoa Chanel can 3.8kg thơm lâu", 149_000),
        ("Khăn ướt Dior 100 tờ hương nước hoa", 39_000),
        ("Bộ chăn ga gối họa tiết Gucci 4 món cotton", 490_000),
        ("Bọc vô lăng da họa tiết Chanel cho xe Vios, Accent", 150_000),
    ])
    # A fragrance spray for clothes is a scent product; the house's own perfume is its goods.
    assert_not_by(make, rules, "brand.off_category", [
        ("Xịt thơm quần áo hương nước hoa Chanel Coco 250ml", 89_000),
        ("Nước hoa nữ Chanel Coco Mademoiselle EDP 100ml chính hãng", 4_200_000),
    ])


def test_a_new_part_claimed_from_the_maker_s_own_factory(make: MakeListing, rules: RuleSet) -> None:
    # "zin xưởng", "linh kiện zin" on a part sold new claim the genuine maker's factory (rule 6).
    for title, price, brand in [
        ("Tròng kính thay thế Oakley Holbrook zin xưởng mới 100%", 120_000, "Oakley"),
        ("Phễu hút sữa Medela linh kiện zin chính hãng", 45_000, "Medela"),
        ("Mặt kính sapphire thay thế cho Omega Seamaster zin nhà máy", 300_000, "Omega"),
    ]:
        scored = score(make, rules, title, price, brand=brand)
        assert scored.flagged and "text.factory_claim" in codes(scored), title
    # Sunglasses are the goods, not a part ("mắt kính" folds like "mặt kính"): priced as such.
    assert "text.factory_claim" not in codes(score(make, rules, "Mat kinh Rayban RB3025 aviator zin", 3_900_000))


def test_an_l_drawn_as_an_i_in_the_last_word_of_a_two_word_name(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.lookalike", [("Thức ăn hạt Royal Canln Persian 400g cho mèo", 120_000),
                                                       ("Bộ phát wifi TP-Llnk Archer C80 AC1900", 390_000)])
    # Two ordinary words with an "l" are not read as a name.
    assert_not_by(make, rules, "brand.lookalike", [("Đèn bàn học Royal Lamp chống cận", 150_000)])


def test_a_book_sold_as_a_photocopy_or_a_pirated_print(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "text.slang", [("Sách photo Nhà Giả Kim bản đẹp giá rẻ", 30_000),
                                                  ("Sách Đắc Nhân Tâm bản in lậu khổ nhỏ", 25_000)])
    # Said of nothing else ("giấy photo màu" is copy paper), and a book's title still quotes
    # other slang as its name.
    assert_not_by(make, rules, "text.slang", [("Giấy in photo màu A4 Double A 80gsm", 95_000),
                                              ("Sách Hàng Giả, Hàng Nhái và Sở hữu trí tuệ", 95_000)])


def test_a_model_named_after_a_part_s_compatibility_words_is_what_it_fits(make: MakeListing, rules: RuleSet) -> None:
    # "Lưỡi dao thay thế dành cho máy xay Philips HR2118": the blender model the blade fits,
    # not a Philips blender sold at a blade's price.
    scored = score(make, rules, "Lưỡi dao thay thế dành cho máy xay Philips HR2118/HR2115", 79_000, brand="OEM")
    assert not scored.flagged and "price.below_reference" not in codes(scored)
    # The blender itself, named by its model, is priced.
    assert score(make, rules, "Máy xay sinh tố Philips HR2118 2L chính hãng", 150_000).flagged


def test_a_liquidation_sale_is_new_goods_at_a_discount_not_used_goods(make: MakeListing, rules: RuleSet) -> None:
    # "thanh lý" (a liquidation sale) does not make new goods second-hand: far below the band
    # is still far below it.
    scored = score(make, rules, "Sữa Enfamil A+ số 1 830g thanh lý kho 160k", 160_000)
    assert scored.flagged and "price.below_reference" in codes(scored)
    # A used item says so in its own words.
    assert not score(make, rules, "Thanh lý máy ảnh Canon EOS 200D cũ 95% kèm lens kit", 4_500_000).flagged


def test_zeros_for_the_o_of_a_short_name(make: MakeListing, rules: RuleSet) -> None:
    # "0M0" has one letter, fewer than leetspeak asks of "N1ke" (units and models such as
    # "1g", "s24" have as few), but zeros standing for O are no unit or model number.
    assert_flagged_by(make, rules, "brand.lookalike", [("Nước giặt 0M0 Matic túi 3.7kg giá sỉ", 120_000),
                                                       ("Điện thoại 0PP0 A58 4G chính hãng", 3_990_000)])
    assert_not_by(make, rules, "brand.lookalike", [("Ốc vít M00 inox 304 túi 100 con", 50_000),
                                                   ("Bóng đèn LED bulb 100W E27", 50_000)])
