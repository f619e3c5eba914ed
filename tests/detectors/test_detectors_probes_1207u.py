"""The blind probe unseen20 (2026-12-07), read after its first run: a lozenge's "ngậm" read as a
lens mount, a camping brand's near miss under a sports path, "fullbox túi giấy" read as a paper
bag sold, and famous reels, oils, diapers, cookers and bike parts with no band for the goods."""

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


def test_a_near_miss_is_corroborated_where_marketplaces_file_the_brand(make: MakeListing, rules: RuleSet) -> None:
    # Coleman is household in the registry; its tents sit under "Thể Thao & Dã Ngoại".
    camping = "Thể Thao & Dã Ngoại > Cắm trại & Dã ngoại > Lều"
    scored = score(make, rules, "Lều cắm trại tự bung Colemann Instant Up 4 người", 490_000, category=camping)
    assert scored.flagged and "brand.lookalike" in codes(scored)
    # ... but only a near miss: a short name ("3m", a cord's length) still needs its own goods.
    cord = score(make, rules, "Ổ cắm điện kéo dài loại 1 lõi đồng 6 lỗ 3m", 55_000, brand="No Brand",
                 category="Nhà Cửa & Đời Sống > Thiết bị điện")
    assert not cord.flagged


def test_a_box_and_bag_that_come_with_the_goods_are_not_sold(rules: RuleSet) -> None:
    for title in ("Vòng tay Pandora Moments bạc S925 mắt xích rắn, kèm charm trái tim, fullbox túi giấy",
                  "Thắt lưng LV khóa chữ V bản 4cm full box túi giấy"):
        assert parse_form(title, rules).kind == "full", title
    # opening the title, or after the bag, it describes the bag that is sold
    for title in ("Fullbox túi giấy Chanel chính hãng", "Túi giấy Dior fullbox size lớn"):
        assert parse_form(title, rules).kind == "variant", title


def test_famous_goods_priced_by_their_own_band(make: MakeListing, rules: RuleSet) -> None:
    for title, price in (("Máy câu Stella FK 4000 bản Nhật, tay quay gỗ", 750_000),
                         ("Máy câu cá Daiwa BG 4000 chính hãng", 590_000),
                         ("Nhớt Yamalube 4 thì 10W40 1L thùng 24 chai giá sỉ 35k/chai", 840_000),
                         ("Tã dán Merries size NB90 nội địa Nhật cho bé sơ sinh", 125_000),
                         ("Nồi cơm điện tử Panasonic SR-CL188 1.8L", 690_000),
                         ("Bộ group Deore M6100 12 speed full bộ 1x12", 1_450_000),
                         ("Pedal Shimano PD-R8000 carbon", 290_000)):
        scored = score(make, rules, title, price)
        assert scored.flagged and "price.below_reference" in codes(scored), title
    for title, price in (("Máy câu Daiwa Fuego LT 2500", 1_400_000),   # its band stays the lower one
                         ("Nhớt láp Yamalube 100ml hộp số xe tay ga", 25_000),   # gear oil, not the 4T oil
                         ("Tã dán Merries size NB90 nội địa Nhật", 330_000),
                         ("Líp Deore M6100 12 speed 10-51T", 900_000),   # a cassette, not the group
                         ("Cleat SPD-SL Shimano SM-SH11 vàng", 280_000)):
        assert "price.below_reference" not in codes(score(make, rules, title, price)), title


def test_a_nutrition_prefix_is_no_near_miss(make: MakeListing, rules: RuleSet) -> None:
    scored = score(make, rules, "Whey protein Việt Nutri Gold 2kg vị socola", 590_000, brand="Việt Nutri")
    assert "brand.lookalike" not in codes(scored)
