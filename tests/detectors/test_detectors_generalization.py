"""Issue #12: detectors that hold their precision on categories they were not tuned on.

Each test names one cause from the issue: the form of the product before its price, lines
that name their maker, disguises that survive normalization, words that are only words,
barcode evidence that counts alone, and innocent uses of slang. The product-line registry
used here is written by the test, so the behaviour is pinned whatever the shipped data says.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from stdnum import ean

from detectors import build_context, score_listings
from detectors.category import infer_category
from detectors.form import parse_form
from rules.loader import PACKAGE_DIR, RulesError, RuleSet, clear_cache, load_rules
from rules.record import Listing, ScoredListing

MakeListing = Callable[..., Listing]

_LINES = """
schema_version: 1
lines:
  - {brand: Chanel, line: Bleu de Chanel EDP, keywords: ["bleu de chanel"], identifies: true,
     price_min: 3500000, price_max: 4500000, size: {value: 100, unit: ml}}
  - {brand: Dior, line: Sauvage EDP, keywords: ["sauvage"], identifies: true,
     price_min: 3000000, price_max: 4200000, size: {value: 100, unit: ml}}
  - {brand: Adidas, line: Yeezy Boost 350, keywords: ["yeezy 350", "yeezy"], identifies: true, price_min: 5500000,
     price_max: 8000000}
  - {brand: Nike, line: Air Force 1, keywords: ["air force 1"], identifies: true, price_min: 2600000, price_max: 3500000}
  - {brand: Adidas, line: Samba OG, keywords: ["samba og", "samba"], identifies: true,
     price_min: 2500000, price_max: 3200000}
  - {brand: Apple, line: Lightning cable, keywords: ["cap lightning", "cap sac lightning"], price_min: 490000,
     price_max: 790000}
  - {brand: Spigen, line: Rugged Armor, keywords: ["rugged armor"], identifies: true, price_min: 280000,
     price_max: 650000}
floors:
  - {brand: JBL, goods: ["loa"], price_min: 700000, note: "JBL Go is the cheapest speaker"}
  - {brand: Spigen, goods: ["op lung"], price_min: 220000}
  - {brand: Samsung, goods: ["cap sac"], price_min: 90000}
  - {brand: Chelsea, goods: ["bo the thao bong da", "mu bao hiem"], price_min: 800000}
licensed:
  - {brand: Gucci, categories: [cosmetics, personal_care]}
brands:
  - {name: Spigen, category: electronics, aliases: [], famous: true}
  - {name: Chelsea, category: sportswear, aliases: ["chelsea fc"], famous: true}
"""


@pytest.fixture(scope="module")
def line_rules(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuleSet]:
    target = tmp_path_factory.mktemp("rules")
    for src in PACKAGE_DIR.glob("*.yaml"):
        shutil.copy(src, target / src.name)
    (target / "product_lines.yaml").write_text(_LINES, encoding="utf-8")
    clear_cache()
    yield load_rules(target)
    clear_cache()


def codes(scored: ScoredListing) -> set[str]:
    return {s.code for s in scored.signals}


def score_one(make: MakeListing, rules: RuleSet, title: str, price: int | None = None, **fields: Any) -> ScoredListing:
    return score_listings([make(title, price=price, **fields)], rules)[0]


# ----------------------------------------------------------------------- product form


@pytest.mark.parametrize(("title", "used", "kind"), [
    ("iPhone 11 64GB cũ 99%", True, "full"),
    ("Máy hút bụi Dyson V8 hàng trưng bày", True, "full"),
    ("Củ sạc nhanh 20W cho iPhone", False, "part"),  # "củ" is no "cũ"
    ("Nước hoa Chanel No5 chiết 10ml", False, "sample"),
    ("Sữa tắm Dior Sauvage Shower Gel 250ml", False, "variant"),
    ("Ốp lưng cho iPhone 15 Pro Max", False, "part"),
    ("Pin sạc dự phòng Xiaomi 20000mAh", False, "full"),  # a power bank is a whole product
    ("Giày Nike Air Force 1 cao cấp", False, "full"),  # "cao cấp" is no "cáp"
    # how resellers of worn goods write it
    ("Giày Jordan 1 Low 2hand size 42 còn 85%", True, "full"),
    ("Pass lại tai nghe Sony WH-1000XM4", True, "full"),
    ("Áo khoác The North Face hàng si tuyển", True, "full"),
    ("Xác máy iPhone X lấy linh kiện", True, "full"),
    ("Giày Nike Air Force 1 giảm còn 85.000đ", False, "full"),  # a price, not a condition
    ("Miếng dán giảm đau Salonpas hộp 20 miếng", False, "full"),  # a patch that is the medicine
])
def test_the_form_of_the_goods(make: MakeListing, line_rules: RuleSet, title: str, used: bool, kind: str) -> None:
    form = build_context(make(title, price=100_000), line_rules).form
    assert (form.used, form.kind) == (used, kind)


def test_size_and_pack(line_rules: RuleSet) -> None:
    form = parse_form("Set 3 chai nước hoa mini 10ml", line_rules)
    assert (form.kind, form.size, form.unit, form.pack) == ("sample", 10.0, "ml", 3)
    assert parse_form("Sữa bột 1.7kg", line_rules).size == 1700.0
    # "5G" before the tin's weight is the formula's generation, not five grams ...
    assert parse_form("Sữa Similac 5G số 4 900g", line_rules).size == 900.0
    # ... and alone it is five grams.
    assert parse_form("Gói kem dưỡng 5g", line_rules).size == 5.0


def test_a_decant_is_priced_per_ml(make: MakeListing, line_rules: RuleSet) -> None:
    # 10 ml of a 3.5M/100 ml perfume at 300k is a fair decant; at 60k it is not.
    assert "price.below_reference" not in codes(score_one(make, line_rules, "Chiết Bleu de Chanel EDP 10ml", 300_000))
    assert "price.below_reference" in codes(score_one(make, line_rules, "Chiết Bleu de Chanel EDP 10ml", 60_000))


def test_full_size_far_below_its_line_is_flagged(make: MakeListing, line_rules: RuleSet) -> None:
    scored = score_one(make, line_rules, "Nước hoa nam Bleu de Chanel EDP 100ml lưu hương", 350_000)
    assert scored.flagged and "price.below_reference" in codes(scored)
    detail = next(s.detail for s in scored.signals if s.code == "price.below_reference")
    assert "Chanel Bleu de Chanel EDP 100 ml" in detail


@pytest.mark.parametrize("title", [
    "Sữa tắm Dior Sauvage Shower Gel 250ml",  # another product of the line
    "iPhone 11 64GB cũ 99% zin đẹp",  # used
    "Ốp lưng cho iPhone 15 Pro Max",  # an accessory for a device
    "Bộ lọc HEPA thay thế cho máy hút bụi Dyson V11",
])
def test_other_forms_are_not_priced_against_the_product(make: MakeListing, line_rules: RuleSet, title: str) -> None:
    assert not score_one(make, line_rules, title, 150_000).flagged


# ----------------------------------------------------------------------- product lines


def test_a_famous_line_names_its_maker(make: MakeListing, line_rules: RuleSet) -> None:
    ctx = build_context(make("Sauvage EDP 100ml nam tính", price=290_000), line_rules)
    assert [b.name for b in ctx.claimed] == ["Dior"] and ctx.line_only
    assert score_listings([ctx.listing], line_rules)[0].flagged


def test_a_line_named_for_compatibility_is_no_claim(make: MakeListing, line_rules: RuleSet) -> None:
    assert build_context(make("Dây giày cho Air Force 1 trắng", price=20_000), line_rules).claimed == []


@pytest.mark.parametrize(("title", "evidence"), [
    ("Giày Air Forse 1 trắng full box", "air forse 1"),  # a misspelt line
    ("Nước hoa nam Sauvag EDP 100ml", "sauvag"),
    ("Giày Adds Samba OG trắng đế gum", "adds"),  # the brand cut short next to its line
])
def test_misspelt_lines_and_cut_brands_are_lookalikes(make: MakeListing, line_rules: RuleSet, title: str,
                                                      evidence: str) -> None:
    scored = score_one(make, line_rules, title, 2_900_000)
    sig = next(s for s in scored.signals if s.code == "brand.lookalike")
    assert f"'{evidence}'" in sig.detail


def test_a_brand_floor_where_no_line_is_known(make: MakeListing, line_rules: RuleSet) -> None:
    assert score_one(make, line_rules, "Loa bluetooth JBL mini bass mạnh", 150_000).flagged
    assert not score_one(make, line_rules, "Loa bluetooth JBL Go 3 chính hãng", 690_000).flagged


def test_the_brands_own_part_is_priced_as_that_part(make: MakeListing, line_rules: RuleSet) -> None:
    # A part noun heads the title, but the part is the brand's own line: priced against it.
    assert "price.below_reference" in codes(score_one(make, line_rules, "Cáp Lightning Apple chính hãng", 40_000))


def test_a_head_naming_the_brands_own_goods_sells_the_brand(make: MakeListing, rules: RuleSet) -> None:
    # "Tông đơ cắt tóc" is what Wahl sells: the Magic Clip band applies.
    assert "price.below_reference" in codes(score_one(make, rules, "Tông đơ cắt tóc WAHL Magic Clip lưỡi kép", 499_000))
    assert "price.below_reference" not in codes(score_one(make, rules, "Tông đơ cắt tóc WAHL Magic Clip", 1_600_000))


def test_a_case_line_is_the_case_whatever_phone_it_fits(make: MakeListing, line_rules: RuleSet) -> None:
    # The phone named first is what the case fits; the case line names the case's maker.
    title = "Ốp lưng điện thoại Sony XZ2 Compact chống sốc Rugged Armor"
    assert "price.below_reference" in codes(score_one(make, line_rules, title, 89_000))
    assert "price.below_reference" not in codes(score_one(make, line_rules, title, 320_000))


def test_the_brands_own_cable_is_priced_new_even_where_phones_sell_used(make: MakeListing,
                                                                          line_rules: RuleSet) -> None:
    # Phones sell used unmarked, cables claimed as the brand's own do not.
    title = "Cáp sạc Samsung chính hãng Type C cho Galaxy A9"
    assert "price.below_reference" in codes(score_one(make, line_rules, title, 35_000))
    # "chính hãng" next to another maker's name, the phone named only as a device: not Apple's cable.
    other = "Cáp sạc nam châm Lightning iPhone hàng Elough chính hãng"
    assert "price.below_reference" not in codes(score_one(make, line_rules, other, 30_000))


def test_goods_words_that_open_the_title_and_run_on(make: MakeListing, line_rules: RuleSet) -> None:
    assert "price.below_reference" in codes(score_one(make, line_rules, "Bộ thể thao bóng đá Chelsea cao cấp", 165_000))
    # The same goods words after another noun describe what that noun is for (a helmet's visor).
    assert "price.below_reference" not in codes(score_one(make, line_rules, "Kính mũ bảo hiểm Chelsea", 90_000))


def test_licensed_categories_are_not_off_category(make: MakeListing, line_rules: RuleSet) -> None:
    assert "brand.off_category" not in codes(score_one(make, line_rules, "Kem dưỡng da Gucci Bloom", 1_500_000))


def test_product_lines_name_a_known_brand(rules_dir_with: Callable[[str], Path]) -> None:
    path = rules_dir_with("schema_version: 1\nlines:\n  - {brand: Nobody, line: X, keywords: [x], price_min: 1, "
                          "price_max: 2}\n")
    with pytest.raises(RulesError, match=r"product_lines.yaml:3: lines\[0\].brand: unknown brand 'Nobody'"):
        load_rules(path)


@pytest.fixture
def rules_dir_with(tmp_path: Path) -> Callable[[str], Path]:
    def write(product_lines: str) -> Path:
        target = tmp_path / "rules"
        target.mkdir()
        for src in PACKAGE_DIR.glob("*.yaml"):
            shutil.copy(src, target / src.name)
        (target / "product_lines.yaml").write_text(product_lines, encoding="utf-8")
        clear_cache()
        return target

    return write


def test_a_site_copy_without_the_new_files_still_loads(tmp_path: Path) -> None:
    target = tmp_path / "rules"
    target.mkdir()
    for src in PACKAGE_DIR.glob("*.yaml"):
        if src.name not in ("forms.yaml", "product_lines.yaml"):
            shutil.copy(src, target / src.name)
    clear_cache()
    assert load_rules(target).forms.used  # the shipped defaults fill in


# ----------------------------------------------------------------------- disguises


@pytest.mark.parametrize(("title", "evidence"), [
    ("Giày 𝐍𝐈𝐊𝐄 Air cổ thấp", "𝐍𝐈𝐊𝐄"),  # mathematical bold
    ("Giày Ｎｉｋｅ trắng", "Ｎｉｋｅ"),  # fullwidth
    ("Giày 🅽🅸🅺🅴 trắng", "🅽🅸🅺🅴"),  # enclosed capitals NFKC keeps
    ("Giày Ni&#107;e Air", "Ni&#107;e"),  # a character reference inside the word
    ("Túi Chan\u200bel classic", "Chan·el"),  # a zero-width space inside the word
    ("Túi Ηermès Birkin 30", "Ηermès"),  # Greek capital Eta for H
])
def test_styled_and_hidden_characters_are_disguises(make: MakeListing, rules: RuleSet, title: str,
                                                    evidence: str) -> None:
    scored = score_one(make, rules, title, 5_000_000)
    sig = next(s for s in scored.signals if s.code == "brand.lookalike")
    assert evidence in sig.detail and scored.flagged


def test_escaped_text_is_read_as_text(make: MakeListing, rules: RuleSet) -> None:
    scored = score_one(make, rules, "Dầu gội Head &amp; Shoulders bạc hà 650ml", 180_000)
    assert "brand.lookalike" not in codes(scored)


@pytest.mark.parametrize("title", ["Thẻ nhớ San Disk 32GB", "Điện thoại Sam sung Galaxy A12"])
def test_a_famous_name_cut_in_two_is_a_lookalike(make: MakeListing, rules: RuleSet, title: str) -> None:
    assert "brand.lookalike" in codes(score_one(make, rules, title, 2_000_000))


def test_a_cut_name_for_compatibility_is_no_claim(make: MakeListing, rules: RuleSet) -> None:
    assert not score_one(make, rules, "Ốp lưng cho Sam sung A12 silicon", 30_000).flagged


def test_frequent_words_are_words(make: MakeListing, rules: RuleSet) -> None:
    from detectors.brand import brand_index

    common = brand_index(rules).common
    assert {"nice", "door", "channel", "coast"} <= common
    # 'channel' is one letter from Chanel: a word in a speaker listing or on a fashion bag, a
    # claim next to a Chanel line; 'valentine' is a word on a serum, not Valentino.
    assert "brand.lookalike" not in codes(score_one(make, rules, "Loa soundbar 5.1 channel bluetooth", 900_000))
    assert "brand.lookalike" not in codes(score_one(make, rules, "Túi xách Channel da cừu", 900_000))
    assert "brand.lookalike" in codes(score_one(make, rules, "Túi xách Channel classic flap da cừu", 900_000))
    assert "brand.lookalike" not in codes(score_one(make, rules, "Serum dưỡng trắng da Valentine", 150_000))


# ----------------------------------------------------------------------- text


@pytest.mark.parametrize("title", [
    "Sách - Hàng Giả, Hàng Nhái Và Bảo Hộ Sở Hữu Trí Tuệ",
    "[FREESHIP] Album BTS Love Yourself (có bài Fake Love)",
    "Áo khoác dù 2 lớp chống nắng - shop rep tin nhắn 24/7",
    "3 gói hạt giống hoa cúc sao nhái mix màu",
    "Sạc dự phòng Remax Mirror 10000mAh",  # a model of a brand nobody copies
    "[Freeship] Dell i5 8G SSD FullHD IPS cảm ứng tay mỏng 1.1.kg",  # a weight, not "1:1"
])
def test_innocent_slang(make: MakeListing, rules: RuleSet, title: str) -> None:
    assert "text.slang" not in codes(score_one(make, rules, title, 90_000))


def test_export_to_japan_on_a_famous_brand_is_the_export_cover_story(make: MakeListing, rules: RuleSet) -> None:
    assert "text.slang" in codes(score_one(make, rules, "Cáp sạc iPhone iPad xuất khẩu Nhật", 75_000))
    assert "text.slang" not in codes(score_one(make, rules, "Bỉm quần xuất Nhật combo 50 miếng", 115_000))


def test_a_school_bag_is_no_book(make: MakeListing, rules: RuleSet) -> None:
    assert "text.slang" in codes(score_one(make, rules, "Cặp sách Gucci hàng rep", 300_000))


@pytest.mark.parametrize(("title", "flagged"), [
    ("Cáp sạc iPhone Foxconn zin bóc máy", True),
    ("Cáp sạc Lightning zin cho iPhone mới 100%", True),
    ("Màn hình iPad Air 2 zin tháo máy", False),  # a part pulled from a device: used, no claim
    ("Laptop Dell Latitude i5 nguyên zin", False),  # not a part
    ("Cáp sạc iphone F.OXCONN 5ic", True),  # the factory's name with a separator to dodge filters
    ("Phôi pin dành cho iPhone 11 Zin.", True),  # a battery blank is a new cell
])
def test_factory_claims_on_new_parts(make: MakeListing, rules: RuleSet, title: str, flagged: bool) -> None:
    assert ("text.factory_claim" in codes(score_one(make, rules, title, 45_000))) is flagged


@pytest.mark.parametrize(("title", "flagged"), [
    ("Máy hút bụi cầm tay giống Dyson V15 Detect", True),
    ("Giày thể thao style Yeezy 350 thoáng khí", True),
    ("Giày thể thao phong cách Hàn Quốc", False),  # names no brand
])
def test_copies_of_a_named_model(make: MakeListing, line_rules: RuleSet, title: str, flagged: bool) -> None:
    assert ("text.copy_model" in codes(score_one(make, line_rules, title, 450_000))) is flagged


# ----------------------------------------------------------------------- barcodes


def _bad_check_digit(gtin: str) -> str:
    return gtin[:-1] + str((int(ean.calc_check_digit(gtin[:-1])) + 1) % 10)


def test_a_bad_barcode_on_milk_from_a_small_shop_flags_alone(make: MakeListing, rules: RuleSet) -> None:
    gtin = _bad_check_digit("8934673573089")
    scored = score_one(make, rules, "Sữa bột Vinamilk Dielac Grow Plus 900g", 420_000, gtin=gtin)
    assert scored.flagged and "barcode.invalid" in codes(scored)


def test_the_same_on_an_official_store_does_not(make: MakeListing, rules: RuleSet) -> None:
    gtin = _bad_check_digit("8934673573089")
    scored = score_one(make, rules, "Sữa bột Vinamilk Dielac Grow Plus 900g", 420_000, gtin=gtin,
                       seller={"id": "1", "name": "Tiki Trading", "is_official": True})
    assert not scored.flagged


def test_a_chinese_prefix_on_japanese_domestic_milk_flags_alone(make: MakeListing, rules: RuleSet) -> None:
    gtin = "6901234567892"
    assert ean.is_valid(gtin)
    scored = score_one(make, rules, "Sữa Meiji nội địa Nhật số 9 800g", 480_000, gtin=gtin)
    assert scored.flagged and "barcode.prefix_conflict" in codes(scored)
    assert "nội địa nhật" in next(s.detail for s in scored.signals if s.code == "barcode.prefix_conflict").lower()


# ----------------------------------------------------------------------- what is sold


def test_a_vehicle_maker_names_what_the_goods_fit(make: MakeListing, rules: RuleSet) -> None:
    scored = score_one(make, rules, "Toyota Innova 2006 2015 Thảm chống nắng taplo nhung loại 1", 250_000)
    assert not scored.flagged and "text.slang" not in codes(scored)


def test_a_model_no_longer_sold_new_is_never_priced(make: MakeListing, rules: RuleSet) -> None:
    assert "price.below_reference" not in codes(score_one(make, rules, "iPhone 6s 32GB quốc tế", 1_200_000))


def test_goods_named_with_a_device_are_not_the_device(make: MakeListing, rules: RuleSet) -> None:
    # A SIM pin and a pouch "iPhone" are not priced as iPhones, nor earphones "iPhone" as AirPods.
    for title in ("Que chọc sim iPhone", "Bao đeo lưng da bò iPhone XR", "Tai nghe bluetooth 2 tai iPhone"):
        assert "price.below_reference" not in codes(score_one(make, rules, title, 15_000)), title
    # ... unless the title says they are the maker's own.
    assert "price.below_reference" in codes(score_one(make, rules, "Củ sạc Apple 20W chính hãng", 45_000))


def test_phones_sell_used_unmarked_so_only_an_impossible_price_counts(make: MakeListing, rules: RuleSet) -> None:
    assert not score_one(make, rules, "iPhone 13 128GB đẹp keng", 8_500_000).flagged  # a used price
    assert score_one(make, rules, "iPhone 15 Pro Max 256GB mới 100%", 2_500_000).flagged


def test_a_unit_sold_as_new_gets_no_used_market_allowance(make: MakeListing, rules: RuleSet) -> None:
    # 30 % of an iPhone 15 Pro Max's band: a used price for a worn unit, not for one "nguyên seal".
    assert "price.below_reference" not in codes(score_one(make, rules, "iPhone 15 Pro Max 256GB VN/A", 8_000_000))
    assert "price.below_reference" in codes(score_one(make, rules, "iPhone 15 Pro Max 256GB VN/A nguyên seal",
                                                      8_000_000))


# ----------------------------------------------------------------------- categories


@pytest.mark.parametrize(("title", "category"), [
    ("Sữa rửa mặt Cetaphil Gentle Cleanser 125ml", "cosmetics"),  # face wash, not milk
    ("sua rua mat CeraVe 236ml", "cosmetics"),
    ("Sữa tắm Dove dưỡng ẩm 500g", "personal_care"),
    ("Sữa dưỡng thể Vaseline 350ml", "cosmetics"),
    ("Sữa ong chúa Úc 365 viên", "supplements"),
    ("Kem chống nắng dạng sữa Anessa 60ml", "cosmetics"),  # a tie: the head noun decides
    ("Sữa bột Similac số 4 900g", "milk"),
    ("Sữa tươi tiệt trùng Vinamilk 1L", "milk"),
])
def test_a_category_phrase_inside_a_longer_one_is_that_phrase(make: MakeListing, rules: RuleSet, title: str,
                                                              category: str) -> None:
    assert infer_category(make(title, price=100_000, category=None), rules) == category


@pytest.mark.parametrize(("title", "evidence"), [
    ("Máy rửa xe cầm tay 2 pin Hitaci 199V áp lực mạnh", "hitaci"),   # a near miss, corroborated by tool goods
    ("Máy bào gỗ MKT N1900B thiết kế nhỏ gọn công suất 600W", "mkt"),  # a code Makita copies are sold under
    ("Máy thổi bụi dùng pin 72v MKIT gọn nhẹ", "mkit"),
])
def test_tool_makers_are_recognised_in_tool_listings(rules: RuleSet, make: Callable[..., Listing],
                                                      title: str, evidence: str) -> None:
    listing = make(title, price=600_000)
    assert infer_category(listing, rules) == "tools"
    scored = score_listings([listing], rules)[0]
    lookalike = [s for s in scored.signals if s.code == "brand.lookalike"]
    assert lookalike and evidence in lookalike[0].detail.lower()
    assert scored.flagged


def test_tool_codes_need_tool_goods_and_local_tool_brands_are_no_lookalike(
        rules: RuleSet, make: Callable[..., Listing]) -> None:
    # A code is letters anyone may use: off tool goods it is a model code or a shop's name.
    for title in ("Túi đeo chéo MKT 2024 da PU", "Bút bi MKT", "Đèn LED MKT 50W siêu sáng", "Dao rọc giấy MAKT",
                  "Bộ kit MKIT Arduino"):
        other = score_listings([make(title, price=150_000)], rules)[0]
        assert not any(s.code == "brand.lookalike" for s in other.signals), title
    # Gison is a registered Taiwanese air-tool brand, not a misspelt Gibson.
    saw = score_listings([make("Máy cưa đá khí nén GPW-227 Gison Đài Loan", price=2_500_000)], rules)[0]
    assert not any(s.code == "brand.lookalike" for s in saw.signals)


def test_licensed_goods_are_not_off_category_but_unlicensed_ones_are(rules: RuleSet, make: MakeListing) -> None:
    # Hugo Boss sells fragrances under licence (licensed: in product_lines.yaml).
    perfume = score_one(make, rules, "Hugo Boss Bottled EDT 100ml nam", price=1_650_000,
                        brand="Hugo Boss", category="Nước hoa")
    assert "brand.off_category" not in codes(perfume)
    # No luxury house makes laundry detergent.
    detergent = score_one(make, rules, "Nước giặt xả Gucci hương nước hoa lưu hương 3.8kg", price=250_000)
    assert "brand.off_category" in codes(detergent) and detergent.flagged


def test_cordless_is_no_cable_part(rules: RuleSet, make: MakeListing) -> None:
    # "không dây" (cordless) once read as the part "dây" and left a 900k "Dyson" unpriced.
    ctx = build_context(make("Máy hút bụi cầm tay không dây Dyson lực hút mạnh 3 đầu", price=900_000), rules)
    assert ctx.form.part is None and ctx.floor is not None
    assert "price.below_reference" in codes(score_one(make, rules, ctx.listing.title, price=900_000))


def test_a_pack_heading_the_title_still_sells_the_brand(rules: RuleSet, make: MakeListing) -> None:
    # 1.2M for three 100ml bottles is 400k a bottle of Chanel No.5 EDP.
    scored = score_one(make, rules, "SET 3 CHAI CHANEL NO.5 EDP 100ML (MUA 1 ĐƯỢC 3)", price=1_200_000)
    assert "price.below_reference" in codes(scored) and scored.flagged


def test_a_line_name_written_as_vietnamese_words_is_not_the_line(rules: RuleSet, make: MakeListing) -> None:
    # "mạch 6" is a circuit board; "Mach 6", typed without Vietnamese marks, is Hoka's shoe.
    board = build_context(make("mạch 6 fet băm db3 trộn 555 biến áp e28 lùn zin nắn cầu", price=399_000), rules)
    assert board.line is None and board.claimed == []
    shoe = build_context(make("Giày chạy bộ Mach 6 màu trắng", price=399_000), rules)
    assert shoe.line is not None and shoe.claimed[0].name == "Hoka"


def test_a_machine_cover_is_no_factory_claim(rules: RuleSet, make: MakeListing) -> None:
    cover = score_one(make, rules, "Áo Trùm, Vỏ Bọc Máy Giặt Cửa Trên Bằng Da, Vải Dù Cao Cấp", price=270_000)
    assert "text.factory_claim" not in codes(cover)
    cable = score_one(make, rules, "Cáp sạc iPhone bóc máy mới 100%", price=90_000)
    assert "text.factory_claim" in codes(cable)


def test_the_goods_are_what_the_head_opens_with(rules: RuleSet, make: MakeListing) -> None:
    wallet = build_context(make("Ví cầm tay da mềm để điện thoại và Ipad mini", price=199_000), rules)
    assert not wallet.sells_brand
    assert not score_one(make, rules, wallet.listing.title, price=199_000).flagged
    tablet = build_context(make("Máy tính bảng iPad mini 6 64GB", price=1_990_000), rules)
    assert tablet.sells_brand


@pytest.mark.parametrize(("title", "category"), [
    ("Tã dán sơ sinh 100 miếng", "personal_care"),
    ("Bỉm quần size L", "personal_care"),
    ("Phấn phủ kiềm dầu", "cosmetics"),
    ("Men vi sinh cho bé", "supplements"),
    ("Bình sữa cho bé 240ml", "household"),   # a bottle is no milk
    ("Ví nam da bò", "fashion"),
    ("Tóc bím giả cho bé gái", None),       # "bím" (a braid) is no "bỉm" (diaper)
])
def test_everyday_goods_words_name_their_category(rules: RuleSet, make: MakeListing, title: str,
                                                  category: str | None) -> None:
    assert infer_category(make(title), rules) == category


def test_a_marketplace_name_is_nobodys_typo(rules: RuleSet, make: MakeListing) -> None:
    scored = score_one(make, rules, "(Sendo trợ giá tốt) COMBO 100 Miếng Bỉm Quần Hàng Loại A", price=180_000)
    assert "brand.lookalike" not in codes(scored)


@pytest.mark.parametrize("title", [
    "Sữa tắm Versace Bright Crystal 200ml",          # a perfume line's shower gel
    "Lăn khử mùi Chanel Allure Homme Sport 75ml",    # ... and its deodorant
    "Combo 2 kính iPhone 15 Pro Max",                # screen protectors, not phones
    "Bao 2 lớp MacBook Air M2",                      # "2 lớp" is two layers, not a pack
    "Nước xả vải Comfort hương nước hoa Chanel",     # a scent named after a perfume house
])
def test_goods_that_go_with_a_famous_product_are_not_priced_as_it(rules: RuleSet, make: MakeListing,
                                                                   title: str) -> None:
    scored = score_one(make, rules, title, price=150_000)
    assert not ({"price.below_reference", "brand.off_category"} & codes(scored)) and not scored.flagged


def test_a_gift_thrown_in_does_not_change_what_is_sold(rules: RuleSet, make: MakeListing) -> None:
    title = "Nước Hoa Nam Dior Sauvage EDP 100ml Fullbox Tặng Túi Giấy"
    assert build_context(make(title, price=350_000), rules).form.kind == "full"
    assert "price.below_reference" in codes(score_one(make, rules, title, price=350_000))


def test_western_accents_still_name_a_line_and_decomposed_text_reads_the_same(
        rules: RuleSet, make: MakeListing) -> None:
    assert build_context(make("Nước hoa nam Acqua di Giò 100ml", price=300_000), rules).line is not None
    nfd = unicodedata.normalize("NFD", "mạch 6 fet băm db3 trộn 555 biến áp e28")
    assert build_context(make(nfd, price=399_000), rules).line is None


@pytest.mark.parametrize(("title", "category"), [
    ("Vải may thời trang cao cấp", "fashion"),   # "may" (sew) is no "máy" (machine)
    ("Máy thổi bụi dùng pin", "tools"),
    ("Mặt nạ phòng độc 6200", None),            # a gas mask is no face mask
    ("Đường trắng Biên Hòa 1kg", None),         # white sugar is no whitening
    ("Nón bảo hiểm fullface AGU", "sportswear"),
])
def test_ambiguous_goods_words_are_read_with_their_marks(rules: RuleSet, make: MakeListing, title: str,
                                                         category: str | None) -> None:
    assert infer_category(make(title), rules) == category


def test_a_code_heading_a_longer_model_code_is_not_the_code(rules: RuleSet, make: MakeListing) -> None:
    bag = score_one(make, rules, "Túi xách nữ Charles & Keith CK2-50781969 đeo chéo", price=1_290_000,
                    brand="Charles & Keith")
    assert "brand.lookalike" not in codes(bag) and not bag.flagged
    shoe = score_one(make, rules, "Giày CK2 cổ cao trắng hàng rep", price=350_000)
    assert "brand.lookalike" in codes(shoe)


def test_a_brand_field_may_write_a_dotted_name_as_one_word(rules: RuleSet, make: MakeListing) -> None:
    ctx = build_context(make("Son thỏi M.A.C Ruby Woo", price=600_000, brand="MAC"), rules)
    assert ctx.declared is not None and ctx.declared.name == "M.A.C"
    assert "brand.mismatch" not in codes(score_one(make, rules, ctx.listing.title, price=600_000, brand="MAC"))


def test_an_empty_bottle_is_not_priced_as_its_liquor(rules: RuleSet, make: MakeListing) -> None:
    scored = score_one(make, rules, "Chai rượu Hennessy rỗng trang trí (vỏ chai)", price=60_000)
    assert "price.below_reference" not in codes(scored)


def test_a_line_after_a_compatibility_mention_names_what_the_part_fits(rules: RuleSet, make: MakeListing) -> None:
    laces = build_context(make("Dây giày thay thế cho Nike Air Force 1 (1 cặp)", price=40_000, brand="No Brand"),
                          rules)
    assert laces.claimed == [] and laces.line is None
    assert not codes(score_one(make, rules, laces.listing.title, price=40_000, brand="No Brand"))


def test_a_factory_claim_on_a_new_motorbike_part(rules: RuleSet, make: MakeListing) -> None:
    pads = score_one(make, rules, "Má phanh Honda zin bóc máy mới cho SH, Vision", price=35_000)
    assert "text.factory_claim" in codes(pads) and pads.flagged
    plain = score_one(make, rules, "Má phanh Honda chính hãng cho Vision", price=120_000)
    assert not plain.flagged
