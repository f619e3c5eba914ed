"""The blind probes mixed17, unseen19 and health18 (2026-12-07), read after their first runs:
a gift list ("tặng tất + móc khóa") made a sneaker a keychain; famous socks and wiper blades
had no price to be compared with; a strip of tablets sold alone was priced as the box."""

from __future__ import annotations

import pytest

from detectors.form import parse_form
from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, codes, score


def test_what_a_gift_list_gives_is_not_what_is_sold(rules: RuleSet) -> None:
    for title in ("Giày Jordan 1 Low cổ thấp, tặng tất + móc khóa, full box",
                  "Giày Jordan 1 Low tặng móc khóa",
                  "Nước hoa Dior Sauvage 100ml tặng túi giấy & sữa tắm",
                  "Giay Jordan 1 Low tang tat + moc khoa"):
        assert parse_form(title, rules).kind == "full", title
    for title in ("Móc khóa giày Jordan 1 mini 3D",
                  # a gift set is sold, and so is what stands after the clause that gives
                  "Set quà tặng Dior Sauvage sữa tắm + lăn khử mùi",
                  "Sữa tắm Dior Sauvage 250ml, tặng túi + thiệp",
                  "Nước hoa Dior Sauvage tặng túi giấy, sữa tắm Sauvage 50ml",
                  # the gift's copy of the phrase does not give away the one sold before it
                  "Sữa tắm Dior Sauvage 250ml tặng túi + sữa tắm 20ml",
                  "Túi giấy Dior chính hãng tặng kèm thiệp + túi giấy nhỏ",
                  "Gel tắm Dior Sauvage 250ml tặng túi + lăn khử mùi mini",
                  # "tăng" (more) and "tầng" (tier) fold as "tặng" does
                  "Set Dior Sauvage tăng lưu hương + sữa tắm 250ml",
                  # a gift set sold as such, by its set word or opening the title
                  "Hộp quà tặng sữa tắm Dior Sauvage 250ml",
                  "Quà tặng sữa tắm Dior Sauvage 250ml"):
        assert parse_form(title, rules).kind == "variant", title
    # "quà tặng" inside a title gives as "tặng" does
    for title in ("Nước hoa Chanel Bleu EDP 100ml có quà tặng túi giấy",
                  "Nước hoa Chanel Bleu EDP 100ml + quà tặng móc khóa"):
        assert parse_form(title, rules).kind == "full", title


def test_gifts_far_into_a_long_title(rules: RuleSet) -> None:
    # Each phrase looks back over a bounded window of the title only (folding all of the title
    # before each phrase took seconds on a title of a few thousand characters).
    form = parse_form("Nước hoa Dior " + "tặng sữa tắm + " * 2_000, rules)
    assert form.kind == "full"
    assert parse_form("x " * 200 + "Giày Jordan 1 tặng tất + móc khóa", rules).kind == "full"
    # far from the title's start, "quà" is no gift set's opener
    assert parse_form("quà " + "x " * 200 + "tặng móc khóa", rules).kind == "full"


def test_a_sneaker_given_with_a_keychain_is_priced(make: MakeListing, rules: RuleSet) -> None:
    scored = score(make, rules, "Giày Jordan 1 Low 'Wolf Grey' cổ thấp, tặng tất + móc khóa, full box", 490_000)
    assert scored.flagged and "price.below_reference" in codes(scored)


def test_laces_named_after_the_model_are_not_the_shoes(make: MakeListing, rules: RuleSet) -> None:
    # "đôi" after a pack's count is left out of the pack's words: the goods may be named after
    # the model ("dây giày"), so "Combo 10 đôi tất Nike" stays unpriced for now.
    scored = score(make, rules, "Combo 3 đôi Nike Air Force 1 dây giày phản quang 120cm", 60_000, brand="OEM")
    assert "price.below_reference" not in codes(scored)


@pytest.mark.parametrize(("title", "price", "flagged"), [
    ("Tất vớ Nike cổ cao set 5 đôi dệt logo thể thao", 59_000, True),
    ("Tất Nike cổ ngắn", 45_000, True),
    ("Set 3 đôi tất Nike Everyday Cushioned cổ cao trắng", 299_000, False),
    ("Tất Nike cổ ngắn", 120_000, False),
    ("Combo 3 đôi tất thể thao Puma cổ ngắn", 179_000, False),
    # socks thrown in with shoes or a tee leave the goods' own floor or line
    ("Giày thể thao Nike chạy bộ tặng tất Nike", 280_000, True),
    ("Giày Adidas Samba OG trắng tặng vớ Adidas", 350_000, True),
    ("Giày Adidas Samba OG trắng tặng vớ Adidas", 2_500_000, False),
    ("Quà tặng tất Nike cổ cao", 45_000, True),
])
def test_famous_socks_are_priced_by_the_pair(make: MakeListing, rules: RuleSet, title: str, price: int,
                                             flagged: bool) -> None:
    scored = score(make, rules, title, price)
    assert ("price.below_reference" in codes(scored)) is flagged, title


@pytest.mark.parametrize(("price", "flagged"), [(39_000, True), (230_000, False)])
def test_wiper_blades_of_a_tyre_maker(make: MakeListing, rules: RuleSet, price: int, flagged: bool) -> None:
    scored = score(make, rules, "Gạt mưa Michelin Stealth Hybrid 22 inch (550mm) chính hãng", price, brand="Michelin")
    assert scored.flagged is flagged


def test_a_tier_before_a_line_is_no_gift(make: MakeListing, rules: RuleSet) -> None:
    # "tầng" folds as "tặng": after a number it is a shelf's tiers, and the line stays named
    scored = score(make, rules, "Kệ sách 4 tầng Kallax IKEA", 150_000)
    assert scored.flagged and "price.below_reference" in codes(scored)


def test_a_strip_sold_alone_counts_its_tablets(make: MakeListing, rules: RuleSet) -> None:
    # The blind probe health18 (2026-12-07): a strip named with its count ("vỉ 12 viên") and sold
    # by the strip was priced as the whole box of 180.
    assert parse_form("Panadol Extra vỉ 12 viên - bán lẻ theo vỉ", rules).count == 12
    assert parse_form("Panadol Extra hộp 15 vỉ x 12 viên - bán lẻ theo vỉ", rules).count == 12
    title = "Panadol Extra vỉ 12 viên - bán lẻ theo vỉ"
    assert not score(make, rules, title, 17_000, brand="Panadol").flagged
    assert score(make, rules, title, 3_000, brand="Panadol").flagged
