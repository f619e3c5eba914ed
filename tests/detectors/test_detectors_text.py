"""Slang detector: replica jargon with and without diacritics, and innocent uses."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from detectors import score_listings
from detectors.text import find_slang
from rules.loader import RuleSet
from rules.record import Listing

MakeListing = Callable[..., Listing]


def slang_terms(title: str, rules: RuleSet, branded: bool = True) -> list[str]:
    return [term.term for term, _ in find_slang(title, branded, rules)]


@pytest.mark.parametrize(
    ("title", "term"),
    [
        ("Giày Nike hàng rep 1:1", "hàng rep"),
        ("Giay Nike hang rep", "hàng rep"),
        ("Túi LV like auth", "like auth"),
        ("Đồng hồ Rolex super fake", "super fake"),
        ("Rolex SF bản cao cấp", "SF"),
        ("Giày Gucci F1", "F1"),
        ("Túi Chanel 1:1", "1:1"),
        ("Túi Gucci loại 1", "loại 1"),
        ("Túi Gucci loai 1", "loại 1"),
        ("Hàng nhái Chanel", "hàng nhái"),
        ("Túi xách hàng giả Gucci", "hàng giả"),
        ("Giày Nike VNXK", "VNXK"),
        ("Nước hoa Chanel replica", "replica"),
        ("Mũ bảo hiểm index Thái Lan hàng xưởng gia công hàng đẹp", "hàng xưởng"),
        ("Túi Gucci Marmont hàng 1:1 nặng 1.1 kg", "1:1"),  # a weight elsewhere excuses nothing
        ("Giày Nike Air Force 1 hàng rép", "hàng rép"),  # "rép" as many type "rep"
        ("Giày Jordan 4 rép 11 full box", "hàng rép"),
        ("Giày Nike Air Force 1 auth like", "like auth"),
        ("Giày Adidas Samba giống auth 99%", "like auth"),
        ("Túi Gucci Marmont hàng AAA", "hàng AAA"),
        ("Giày Nike Dunk hàng tuồn xưởng", "hàng tuồn"),
    ],
)
def test_slang_is_found(rules: RuleSet, title: str, term: str) -> None:
    assert term in slang_terms(title, rules)


@pytest.mark.parametrize(
    "title",
    [
        "Xoài cát loại 1",
        "Gạo ST25 loại 1",
        "Hạt giống dưa leo F1",
        "Hạt giống cà chua F1 hybrid",
        "Áo thun size S/M/L",
        "Represent hoodie",
        "Dịch vụ repair điện thoại",
        "Báo cáo report tháng",
        "Hàng giá rẻ chính hãng",  # "giá" (price), not "giả" (fake)
        "Kẹo nhai vitamin cho bé",  # "nhai" (chew), not "nhái" (imitation)
        "Thuốc diệt rệp",  # "rệp" (bedbug), not "rep"
        "Mô hình tỉ lệ 1:1",
        "Canh hàng xương heo hầm",  # "xương" (bone), not "xưởng" (workshop)
        "Nồi cơm điện Toshiba 1.1 lít",  # a volume, not "1:1"
        "Bình xịt diệt rệp giường 500ml",
        "Pin sạc AA/AAA Energizer chính hãng",  # battery sizes, not the "AAA" grade
    ],
)
def test_innocent_uses_are_not_slang(rules: RuleSet, title: str) -> None:
    assert slang_terms(title, rules) == []


def test_grade_words_need_a_brand(rules: RuleSet) -> None:
    assert slang_terms("Túi xách loại 1", rules, branded=False) == []


def test_herbalife_formula_1_is_not_f1_slang(rules: RuleSet) -> None:
    assert "F1" not in slang_terms("Herbalife F1 shake vani", rules)


def test_slang_signal_flags_the_listing(rules: RuleSet, make: MakeListing) -> None:
    scored = score_listings([make("Giày Nike Air Force 1 rep 1:1", price=3_000_000)], rules)[0]
    slang = next(s for s in scored.signals if s.code == "text.slang")
    assert scored.flagged and "'rep" in slang.detail


def test_unbranded_fruit_grade_is_not_flagged(rules: RuleSet, make: MakeListing) -> None:
    assert not score_listings([make("Xoài cát loại 1 Hòa Lộc", price=60_000)], rules)[0].signals
