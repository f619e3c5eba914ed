"""Patterns the written probes and the blind Shopee men's-fashion sample of 2026-12-05 found
(eval/adversarial_probe_motorhome.jsonl, eval/adversarial_probe_social.jsonl,
eval/labels/shopee-mens-fashion.jsonl): each a rule about how titles are built, tested on
titles of the same kind."""

from __future__ import annotations

from detectors.form import parse_form
from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, codes, score


def test_food_for_a_pet_names_its_maker_after_cho(make: MakeListing, rules: RuleSet) -> None:
    # "cho mèo", and "cho chó" (folded "cho cho"), say who eats it: the brand after is the maker.
    assert "brand.unauthorized" in codes(score(make, rules, "Hạt cho mèo Royal Canin Indoor 27 2kg", 160_000))
    assert "brand.unauthorized" in codes(score(make, rules, "Thức ăn cho chó Royal Canin Mini Adult 2kg", 120_000))
    # ... while a device after "cho" is still what an accessory fits.
    assert codes(score(make, rules, "Ốp lưng cho iPhone 15 Pro Max", 50_000)) == set()
    assert codes(score(make, rules, "Cốc sạc cho mọi điện thoại Samsung Oppo", 50_000)) == set()


def test_a_sales_banner_before_the_goods_leaves_them_the_goods(make: MakeListing, rules: RuleSet) -> None:
    plain = score(make, rules, "Giày Adidas thời trang nam xám", 141_000)
    banner = score(make, rules, "SALE [Chính Hãng] Giày Adidas thời trang nam xám . 2020 new", 141_000)
    assert plain.flagged and banner.flagged
    assert "price.below_reference" in codes(banner)


def test_a_luxury_house_has_a_floor_on_any_fashion_goods(make: MakeListing, rules: RuleSet) -> None:
    for title, price in [("Giày Nam Versace Cao Cấp", 338_000), ("Mũ Lưỡi Trai Chống Nắng Fendi", 450_000),
                         ("cà vạt thời trang nam balenciaga", 1_100_000), ("Dây nịt nam Hermès khóa H", 250_000)]:
        scored = score(make, rules, title, price)
        assert scored.flagged and "price.below_reference" in codes(scored), title
    # Not on its licensed perfume or cosmetics, nor used goods, nor a genuine price.
    assert not score(make, rules, "Kem dưỡng Dior", 500_000).flagged
    assert not score(make, rules, "Giày Gucci Ace", 18_000_000).flagged
    # An accessible house's floor is its own (Armani Exchange tees, outlet card holders).
    assert not score(make, rules, "Áo thời trang nam A-ARMANI", 1_264_000).flagged
    assert score(make, rules, "Áo thun nam Armani", 250_000).flagged


def test_a_parts_maker_sells_its_own_parts_without_chinh_hang(make: MakeListing, rules: RuleSet) -> None:
    assert score(make, rules, "Bugi NGK Iridium IX", 42_000).flagged
    assert score(make, rules, "Pin Makita BL1850B 18V 5Ah", 290_000).flagged
    # ... unless the battery is said to fit the tool.
    assert not score(make, rules, "Pin thay thế cho máy Makita 18V", 290_000).flagged
    # A racket's grip is no racket.
    assert not score(make, rules, "Quấn cán vợt Yonex AC102EX (3 cuốn)", 95_000).flagged


def test_own_worn_goods_and_printed_slogans_are_no_evidence(make: MakeListing, rules: RuleSet) -> None:
    assert not score(make, rules, "Pass túi Gucci Marmont mini đã dùng 1 năm", 18_000_000).flagged
    assert not score(make, rules, "Áo thun in chữ FAKE IT TILL YOU MAKE IT unisex", 99_000).flagged
    assert score(make, rules, "Giày Nike hàng fake 1:1", 300_000).flagged
    assert parse_form("Pass túi Gucci đã dùng", rules).used and not parse_form("Kệ đa dụng inox", rules).used


def test_an_emoji_between_words_separates_them(make: MakeListing, rules: RuleSet) -> None:
    from detectors.textnorm import brand_tokens

    assert brand_tokens("ví nam LV❣️freeship❣️ví").plain == ("vi", "nam", "lv", "freeship", "vi")
    assert score(make, rules, "ví nam LV❣️freeship❣️ví thời trang nam", 96_000).flagged


def test_fashion_codes_name_their_house(make: MakeListing, rules: RuleSet) -> None:
    for title, price in [("Áo thời trang nam BBR", 145_000), ("Sơ mi VLTN kẻ caro đính đá", 200_000),
                         ("Quần Bò thời trang nam- quần bò DSQ cao cấp", 158_000),
                         ("Nón thời trang nam cao cấp jeans cvs alls", 170_000)]:
        assert score(make, rules, title, price).flagged, title
    assert not score(make, rules, "Áo sơ mi nam công sở Việt Tiến", 300_000).flagged


def test_an_official_store_near_name_is_its_own_brand(make: MakeListing, rules: RuleSet) -> None:
    # "PRAZA" wallets in PRAZA's official Shopee store are no Prada look-alike.
    scored = score(make, rules, "Ví Da Thời Trang Nam PRAZA - VS003", 250_000,
                   seller={"id": "1", "name": "PRAZA Official", "is_official": True})
    assert not scored.flagged


def test_clone_makers_and_model_codes_name_what_they_copy(make: MakeListing, rules: RuleSet) -> None:
    assert score(make, rules, "Lepin 20087 lắp ráp Lamborghini Sián tương thích 42115", 890_000).flagged
    assert score(make, rules, "Máy hút bụi cầm tay V15 Detect không dây", 1_350_000).flagged
    assert score(make, rules, "Máy khoan bắt vít DHP482 18V thân máy", 550_000).flagged
    assert not score(make, rules, "Laptop Acer Nitro V15", 15_000_000).flagged
    # Eneloop cells are Panasonic's own; a Beston cell "thay thế cho pin Eneloop" names what it replaces.
    assert score(make, rules, "Pin sạc Eneloop Pro AA 3800mAh vỉ 4 viên", 89_000).flagged
    assert not score(make, rules, "Pin sạc AA Beston 3300mAh thay thế cho pin Eneloop", 99_000, brand="Beston").flagged
    assert not score(make, rules, "Lưỡi dao máy cạo râu Panasonic ES-LV9Q", 300_000).flagged


def test_an_exclamation_mark_inside_a_brand_is_leetspeak(make: MakeListing, rules: RuleSet) -> None:
    assert "brand.lookalike" in codes(score(make, rules, "Phấn phủ D!OR Forever Cushion Powder", 320_000))
    assert codes(score(make, rules, "Sale! Giày thể thao nam", 200_000)) == set()


def test_a_sportswear_makers_caps_and_tees_have_a_category_floor(make: MakeListing, rules: RuleSet) -> None:
    assert score(make, rules, "Mũ kết FILA (Mẫu 2) - Thời trang Nam", 72_000).flagged
    # "Thời trang nam" before the goods is a banner, not the goods.
    assert score(make, rules, "Thời trang nam- áo thun- áo thun ngắn tay không cổ adidas 100% cotton", 129_000).flagged
    assert not score(make, rules, "Nón kết Puma chính hãng", 450_000).flagged
    # A brand's own floor for the goods wins over its category's (Nón Sơn caps from ~200k).
    assert not score(make, rules, "Mũ Nón Sơn Thời Trang Nam Cao Cấp - Chính Hiệu", 120_000).flagged
    assert score(make, rules, "Mũ Nón Sơn Thời Trang Nam Cao Cấp - Chính Hiệu", 35_000).flagged


def test_kinh_alone_is_eyewear_and_lenses_for_a_frame_are_a_part(make: MakeListing, rules: RuleSet) -> None:
    assert score(make, rules, "Kính Gentle Monster Lilit 01 fullbox", 350_000).flagged
    assert not score(make, rules, "Tròng kính thay thế cho gọng Ray-Ban RB5154 chống ánh sáng xanh", 250_000).flagged
    assert not score(make, rules, "Kính cường lực cho iPhone", 30_000).flagged


def test_grade_words_with_a_mass_market_brand_are_slang(make: MakeListing, rules: RuleSet) -> None:
    assert "text.slang" in codes(score(make, rules, "Bộ phát wifi 4G TP-LINK loại 1 hàng xuất khẩu", 180_000))
    assert not score(make, rules, "Router TP-Link Archer C6", 450_000).flagged


def test_examiner_probe_patterns(make: MakeListing, rules: RuleSet) -> None:
    # A line named "Replica", "FAKE" printed on a tee, another company's PUMA compressors.
    assert not score(make, rules, "Nước hoa Maison Margiela Replica Jazz Club EDT 100ml", 3_400_000).flagged
    assert not score(make, rules, "Áo thun in chữ FAKE streetwear unisex", 150_000).flagged
    assert not score(make, rules, "Máy nén khí PUMA Đài Loan 1/2HP bình 24L", 3_900_000).flagged
    assert score(make, rules, "Giày Puma Suede", 300_000).flagged
    # "Guci": Gucci with a doubled letter dropped.
    assert score(make, rules, "Ví nữ Guci da thật cầm tay", 450_000).flagged


def test_a_used_model_far_below_any_used_price_is_priced(make: MakeListing, rules: RuleSet) -> None:
    scored = score(make, rules, "Đồng hồ Rolex Submariner Date cũ 99% nam", 4_500_000)
    assert scored.flagged and "used" in next(s.detail for s in scored.signals if s.code == "price.below_reference")
    assert not score(make, rules, "Pass túi Gucci Marmont mini đã dùng 1 năm", 18_000_000).flagged
    assert not score(make, rules, "iPhone 11 64GB cũ 99%", 4_500_000).flagged


def test_a_luxury_house_on_goods_no_house_makes_is_off_category(make: MakeListing, rules: RuleSet) -> None:
    for title in ["Kem body trắng da Chanel Whitening 250g dưỡng trắng cấp tốc",
                  "Dầu gội Louis Vuitton phục hồi tóc hư tổn 800ml", "Bỉm quần Versace cho bé size L 50 miếng"]:
        assert "brand.off_category" in codes(score(make, rules, title, 150_000)), title
    # Its own serum described as whitening is its own goods.
    assert not score(make, rules, "Tinh chất dưỡng trắng da Dior One Essential Detox serum 7ml", 280_000).flagged


def test_a_famous_fashion_labels_caps_have_a_category_floor(make: MakeListing, rules: RuleSet) -> None:
    assert score(make, rules, "Mũ lưỡi trai thời trang nam nữ Levis chất bò", 39_000).flagged
    assert not score(make, rules, "Mũ Zara nam", 120_000).flagged
    assert not score(make, rules, "Áo thun Uniqlo cổ tròn", 99_000).flagged  # Uniqlo's own tee floor is lower


def test_vietnamese_words_and_seller_tags_are_no_brand(make: MakeListing, rules: RuleSet) -> None:
    assert not score(make, rules, "1 [THU LE] Khăn đa năng thời trang nam 2 lớp cao cấp", 90_000).flagged
    assert not score(make, rules, "LV-NEW ⚡ [XẢ KHO] Giày Nam Thể Thao Thời Trang Nam bền đẹp giá rẻ", 189_000).flagged
    assert score(make, rules, "ví nam LV freeship ví thời trang nam", 96_000).flagged


def test_fashion_marks_the_blind_rounds_named(make: MakeListing, rules: RuleSet) -> None:
    assert score(make, rules, "Vòng tay Nam Nữ ChromeHeart thời trang cao cấp", 39_000).flagged
    assert score(make, rules, "Mũ Nam Cao Cấp Nón Kết Trắng Thời Trang HOLISTER", 98_000).flagged
    # Their licensed perfumes and watches are their own goods; "Guess" alone is an English word.
    assert not score(make, rules, "Nước hoa Abercrombie &amp; Fitch Fierce Cologne 100ml", 1_500_000).flagged
    assert not score(make, rules, "Guess what sách tiếng Anh", 50_000).flagged
