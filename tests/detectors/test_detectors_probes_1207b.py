"""Misses of the blind probes health13 and unseen13 (2026-12-07), read after their first run, and
the dotted near miss written before them: a dot inside a word that nearly spells a famous name,
a leetspeak name next to a plain hashtag of it, a printer head as a part, luggage as goods of a
category, and two registry lines priced by their own form."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import (
    MakeListing,
    assert_flagged_by,
    codes,
    score,
)


def test_a_dot_inside_a_word_that_nearly_spells_a_famous_name_is_a_disguise(make: MakeListing,
                                                                              rules: RuleSet) -> None:
    # "LE.VI" is Levi's without its s, "Gu.cc" Gucci without its i: nobody puts a dot inside an
    # ordinary word, so the near miss needs no product line beside it.
    assert_flagged_by(make, rules, "brand.lookalike", [
        ("áo phông nam in LE.VI - CZ23 có ảnh thật", 89_000),
        ("Túi Gu.cc nữ da mềm", 350_000),
    ])
    # Hyphens join words as written ("Max-Lite", "Đen-Đỏ"); pieces typed with Vietnamese marks are
    # Vietnamese words ("Đen.Đỏ" is no Denso); three syllables spell a loanword ("Vi.ta.min" is no
    # Vitamix); one-letter pieces open models and words ("T-shirt"); commas list words ("Nâu,đen");
    # a hyphenated name of its own is registered ("Band-Aid" is no Bandai).
    for title in ("Áo thun Max-Lite cotton", "Áo thun nam màu Đen-Đỏ size M", "Đồng hồ nam dây Đen.Đỏ",
                  "Viên uống Vi.ta.min C 500mg", "Áo T-shirt nam cotton", "Balo da nam (Nâu,đen,bò đậm)",
                  "Băng cá nhân Band-Aid Disney Frozen cho bé hộp 20 miếng"):
        assert "brand.lookalike" not in codes(score(make, rules, title, 150_000)), title


def test_a_leetspeak_name_is_a_disguise_even_beside_a_plain_hashtag_of_it(make: MakeListing,
                                                                         rules: RuleSet) -> None:
    # The tag is for search; the title a filter reads opens with the name in disguise.
    assert_flagged_by(make, rules, "brand.lookalike", [
        ("M4KITA máy bắn vít pin 18V không chổi than 2 pin #makita #maykhoan", 690_000),
        ("Máy bắn vít makita pin 18V chính hãng M4KITA", 690_000),
        ("Phấn phủ D!OR Forever Cushion Powder 🖤 #dior", 350_000),
    ])
    # A name written plainly and split by its own hyphen is no leetspeak ("Lock&Lock", "Ray-Ban").
    for title in ("Bình giữ nhiệt Lock&Lock Energetic One-Touch Tumbler LHC3249 550ml",
                  "Kính mát Ray-Ban RB2140F Wayfarer 901 chính hãng", "Giày New Balance 530 MR530SG chính hãng"):
        assert "brand.lookalike" not in codes(score(make, rules, title, 2_000_000)), title


def test_a_printer_head_sold_new_with_a_factory_claim(make: MakeListing, rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "text.factory_claim", [
        ("Đầu phun máy in Epson L3110 L3150 L3210 zin hãng bóc máy mới 100%", 650_000),
    ])


def test_luggage_is_goods_of_a_category_so_a_near_miss_on_a_suitcase_counts(make: MakeListing,
                                                                           rules: RuleSet) -> None:
    assert_flagged_by(make, rules, "brand.lookalike", [
        ("Vali khung nhôm Samsomite 24 inch bảo hành 5 năm, khoá TSA", 1_200_000),
    ])


def test_registry_lines_priced_by_their_own_form(make: MakeListing, rules: RuleSet) -> None:
    # A 120 ml tube of Motul's gear oil is not its engine oil's litre bottle.
    assert not score(make, rules, "Nhớt láp Motul Scooter Gear 80W90 120ml cho xe tay ga", 28_000).flagged
    # A Player Stratocaster is no Squier: 3.2M is far below its band.
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Đàn guitar điện Fender Stratocaster Player mới 100% tặng ampli mini + dây jack", 3_200_000),
    ])
    assert not score(make, rules, "Đàn guitar điện Fender Player Stratocaster HSS", 22_000_000).flagged


def test_initials_split_by_a_dot_after_their_goods_name_the_brand(make: MakeListing, rules: RuleSet) -> None:
    # As "Máy giặt L.G": the dot is written to dodge a filter on the initials, after the goods.
    assert_flagged_by(make, rules, "brand.lookalike", [
        ("Hộp mực H.P 680 đen chính hãng in đẹp không lem", 249_000),
        ("Áo thun thể thao M.U -Thời trang Nam - CBGSHOP", 120_000),
    ])
    # Horsepower on a pump is no HP; spaced letters are no code.
    for title in ("Máy bơm nước 1.5 H.P chạy êm", "Áo thun in chữ M U đẹp"):
        assert "brand.lookalike" not in codes(score(make, rules, title, 1_200_000)), title


def test_lines_named_as_sellers_write_them(make: MakeListing, rules: RuleSet) -> None:
    # "Ferrero Rocher hộp 30 viên" names the T30 box with a word between; Sulwhasoo's First Care
    # Activating Serum names its maker without the brand.
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Socola Ferrero Rocher hộp 30 viên 375g quà tặng Tết date 2027", 119_000),
        ("Serum First Care Activating Serum VI 120ml tinh chất nhân sâm khởi đầu dưỡng da", 490_000),
    ])
    assert not score(make, rules, "Socola Ferrero Rocher hộp 30 viên 375g", 390_000).flagged
    assert not score(make, rules, "Sulwhasoo First Care Activating Serum 90ml", 2_900_000).flagged


def test_goods_and_models_named_as_sellers_write_them(make: MakeListing, rules: RuleSet) -> None:
    # "Bơ hạt phỉ" is what Nutella sells; "Watch Ultra 2" beside a watch names Apple's model.
    assert_flagged_by(make, rules, "price.below_reference", [
        ("Bơ hạt phỉ Nutella 750g phết bánh mì siêu ngon", 69_000),
        ("Đồng hồ thông minh Watch Ultra 2 bản cao cấp 49mm màn AMOLED nghe gọi", 450_000),
    ])
    assert not score(make, rules, "Bơ hạt phỉ Nutella 750g", 190_000).flagged
    # A strap for the watch is a part; Samsung's Galaxy Watch Ultra is priced as Samsung's.
    assert "price.below_reference" not in codes(score(make, rules, "Dây đeo cho Apple Watch Ultra 2 49mm", 150_000))
    galaxy = score(make, rules, "Đồng hồ Samsung Galaxy Watch Ultra 2025", 150_000)
    prices = [s.detail for s in galaxy.signals if s.code == "price.below_reference"]
    assert prices and all("Samsung Galaxy Watch Ultra" in d for d in prices), prices
    assert not any("Apple" in s.detail for s in galaxy.signals)
