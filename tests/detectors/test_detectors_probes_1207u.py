"""The blind probes unseen20 and health19 (2026-12-07), read after their first runs: a lozenge's
"ngậm" read as a lens mount, a camping brand filed as home goods, "fullbox túi giấy" read as a
paper bag sold, books filed under a goods path, a copy marker of three words, and famous reels,
oils, diapers, cookers, bike parts, nuts and health goods with no band for the goods."""

from __future__ import annotations

from detectors import build_context
from detectors.form import parse_form
from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, codes, score


def test_a_lozenge_names_its_maker_and_a_lens_mount_the_camera(make: MakeListing, rules: RuleSet) -> None:
    # "ngậm" (a lozenge) and "ngàm" (a lens mount) fold alike; "kẹo ngậm" / "viên ngậm" are goods.
    for title in ("Viên ngậm Strepsils Original 24 viên", "Kẹo ngậm Strepsils hộp 24 viên vị cam mật ong"):
        scored = score(make, rules, title, 12_000)
        assert scored.flagged and "price.below_reference" in codes(scored), title
    ctx = build_context(make("Ống kính Yongnuo 50mm f1.8 ngàm Canon EF", price=1_200_000), rules)
    assert [m.compat for m in ctx.mentions if m.brand.name == "Canon"] == [True]


def test_a_camping_brand_is_sports_and_outdoors(make: MakeListing, rules: RuleSet) -> None:
    # Coleman's tents sit under "Thể Thao & Dã Ngoại", where its near miss is corroborated.
    camping = "Thể Thao & Dã Ngoại > Cắm trại & Dã ngoại > Lều"
    scored = score(make, rules, "Lều cắm trại tự bung Colemann Instant Up 4 người", 490_000, category=camping)
    assert scored.flagged and "brand.lookalike" in codes(scored)
    # A brand's licensed categories do not corroborate a near miss ("Tifany" is a lamp style,
    # "Beurre" French for butter), nor a short name ("3m", a cord's length).
    for title, price, category in (
            ("Đèn bàn Tifany kính màu cổ điển", 650_000, "Nhà Cửa & Đời Sống > Đèn"),
            ("Sữa tắm Beurre de Karité 400ml", 185_000, "Sắc Đẹp > Tắm & chăm sóc cơ thể"),
            ("Ổ cắm điện kéo dài loại 1 lõi đồng 6 lỗ 3m", 55_000, "Nhà Cửa & Đời Sống > Thiết bị điện")):
        assert not score(make, rules, title, price, brand="No Brand", category=category).flagged, title


def test_a_box_and_bag_that_come_with_the_goods_are_not_sold(make: MakeListing, rules: RuleSet) -> None:
    # what comes with the goods follows the goods named before the brand (the head)
    for title, head in (("Vòng tay Pandora Moments bạc S925 mắt xích rắn, kèm charm trái tim, fullbox túi giấy",
                         "Vòng tay"),
                        ("Thắt lưng LV khóa chữ V bản 4cm full box túi giấy", "Thắt lưng")):
        assert parse_form(title, rules, head=head).kind == "full", title
    scored = score(make, rules, "Vòng tay Pandora Moments bạc S925, kèm charm, fullbox túi giấy", 159_000)
    assert scored.flagged and "price.below_reference" in codes(scored)
    # opening the title, after the bag, or with no goods named before the brand, it describes
    # what is sold
    for title in ("Fullbox túi giấy Chanel chính hãng", "Túi giấy Dior fullbox size lớn",
                  "Chanel Bleu De Chanel fullbox lăn khử mùi 75ml"):
        assert parse_form(title, rules).kind == "variant", title
    assert not score(make, rules, "Chanel Bleu De Chanel fullbox lăn khử mùi 75ml", 1_150_000).flagged
    # ... and so are the goods named before the brand ("auth fullbox" says how they come)
    title = "Hàng auth fullbox sữa tắm nước hoa Chanel Coco Mademoiselle 200ml"
    assert parse_form(title, rules, head="Hàng auth fullbox sữa tắm nước hoa").kind == "variant"
    assert not score(make, rules, title, 1_150_000).flagged
    assert not score(make, rules, "Sỉ fullbox túi giấy Chanel", 15_000).flagged   # a wholesale opener
    assert parse_form("Thắt lưng LV 4cm,fullbox túi giấy", rules, head="Thắt lưng").kind == "full"   # after a comma


def test_an_included_word_does_not_make_a_tier_a_gift(rules: RuleSet) -> None:
    # In a title typed with marks only a typed "tặng" gives: "fullbox" elsewhere in the title
    # does not make "tầng" (a tier) or "tăng" (more) a gift word.
    for title in ("Hộp quà Tết 2 tầng nến thơm Jo Malone, fullbox",
                  "Nước hoa Chanel fullbox, tăng sữa tắm"):
        assert parse_form(title, rules).kind == "variant", title


def test_famous_goods_priced_by_their_own_band(make: MakeListing, rules: RuleSet) -> None:
    for title, price in (("Máy câu Stella FK 4000 bản Nhật, tay quay gỗ", 750_000),
                         ("Máy câu cá Daiwa BG 4000 chính hãng", 590_000),
                         ("Nhớt Yamalube 4 thì 10W40 1L thùng 24 chai giá sỉ 35k/chai", 840_000),
                         ("Tã dán Merries size NB90 nội địa Nhật cho bé sơ sinh", 125_000),
                         ("Nồi cơm điện tử Panasonic SR-CL188 1.8L", 690_000),
                         ("Bộ group Deore M6100 12 speed full bộ 1x12", 1_450_000),
                         ("Groupset XT M8100 1x12 full bộ", 2_200_000),
                         ("Pedal Shimano PD-R8000 carbon", 290_000),
                         ("Sữa bột IQ Plus HMO số 4 900g cho bé 2-6 tuổi", 189_000),   # Similac's line alone
                         ("Dầu cá Kids Smart Omega-3 Fish Oil 50 viên hàng Úc", 69_000),   # Nature's Way's
                         ("Máy xông khí dung Rossmax NB500 xách tay Mỹ cho bé", 290_000),
                         ("Hạt điều Kirkland rang muối 1.13kg hàng Mỹ", 159_000),
                         # dodge9: Vitabiotics's line named without its maker
                         ("Viên uống Perfectil Original bổ sung vitamin cho da, tóc, móng hộp 30 viên", 89_000)):
        scored = score(make, rules, title, price)
        assert scored.flagged and "price.below_reference" in codes(scored), title
    for title, price in (("Máy câu Daiwa Fuego LT 2500", 1_400_000),   # its band stays the lower one
                         ("Nhớt láp Yamalube 100ml hộp số xe tay ga", 25_000),   # gear oil, not the 4T oil
                         ("Tã dán Merries size NB90 nội địa Nhật", 330_000),
                         ("Líp Deore M6100 12 speed 10-51T", 900_000),   # a cassette, not the group
                         ("Bộ group Deore M5100 1x11 full bộ", 1_900_000),   # an 11-speed group costs less
                         ("Tay đề group SLX M7100 12 speed", 790_000),   # one shifter
                         ("Spool dự phòng Daiwa BG 3000", 390_000),
                         ("Lòng nồi cơm điện Panasonic SR-CL188", 390_000),
                         ("Váy maxi Stella 2022 hoa nhí", 259_000),
                         ("Nhớt láp Yamalube Scooter Gear Oil 100ml", 25_000),
                         ("Cleat SPD-SL Shimano SM-SH11 vàng", 280_000),
                         ("Hạt điều Kirkland rang muối chiết 500g", 220_000),
                         ("Viên uống Perfectil Original 30 viên", 350_000)):
        assert "price.below_reference" not in codes(score(make, rules, title, price)), title


def test_a_nutrition_prefix_is_no_near_miss(make: MakeListing, rules: RuleSet) -> None:
    scored = score(make, rules, "Whey protein Việt Nutri Gold 2kg vị socola", 590_000, brand="Việt Nutri")
    assert "brand.lookalike" not in codes(scored)


def test_a_book_filed_under_a_goods_path_names_brands_as_its_subject(make: MakeListing, rules: RuleSet) -> None:
    # The path's category ("Sách trang sức" reads as jewellery) is a book path's.
    for title, category in (
            ("Sách Cartier: The Jeweller of Kings - bản dịch tiếng Việt, bìa cứng",
             "Phụ Kiện Thời Trang > Trang sức > Sách trang sức"),
            ("Sách Patek Philippe: The Authorized Biography bìa cứng", "Nhà Sách Online > Sách Đồng hồ")):
        assert not codes(score(make, rules, title, 115_000, category=category)), title   # no brand claimed
    # ... but goods the title names keep their brands claimed, whatever the path: a book "with"
    # a tin of milk is the milk's bundle.
    scored = score(make, rules, "Sách Nuôi Con Khỏe - Tặng Lon Sữa Similac IQ Plus HMO 900g", 250_000,
                   category="Nhà Sách Online > Sách Y học & Sức khỏe")
    assert scored.flagged
    # A board game is sold under its maker's mark: its path clears nothing.
    scored = score(make, rules, "Board game Catan mở rộng 5-6 người bản tiếng Việt giá 95k", 95_000,
                   brand="Catan", category="Đồ Chơi > Board game")
    assert scored.flagged


def test_a_copy_marker_of_three_words(make: MakeListing, rules: RuleSet) -> None:
    scored = score(make, rules, "Men vi sinh BioGerm 2 tỷ bào tử hộp 20 ống - công thức như Enterogermina",
                   60_000, brand="BioGerm")
    assert scored.flagged and "text.copy_model" in codes(scored)


def test_styled_letters_of_a_medicine_and_a_fertiliser_named_alike(make: MakeListing, rules: RuleSet) -> None:
    scored = score(make, rules, "Men vi sinh 𝐁𝐢𝐨𝐟𝐥𝐨𝐫𝐚 200mg hộp 10 gói cho bé tiêu chảy", 135_000)
    assert scored.flagged and "brand.lookalike" in codes(scored)
    assert not score(make, rules, "Phân bón hữu cơ vi sinh Bio Flora 1kg chuyên cho hoa hồng, lan", 55_000).flagged


def test_a_deodorants_scent_word_is_no_compatibility(make: MakeListing, rules: RuleSet) -> None:
    # "khử mùi" (deodorant) holds the scent marker "mùi": the brand after it is the maker.
    ctx = build_context(make("Lăn khử mùi Lacoste L.12.12 Blanc 75ml", price=80_000), rules)
    assert [m.compat for m in ctx.mentions if m.brand.name == "Lacoste"] == [False]
