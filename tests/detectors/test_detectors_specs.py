"""text.impossible_spec: numbers no genuine product reaches, read only where the title sells
the thing the number describes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from detectors import score_listings
from rules.loader import RuleSet
from rules.record import Listing

MakeListing = Callable[..., Listing]


def spec_details(make: MakeListing, rules: RuleSet, title: str, price: int) -> list[str]:
    scored = score_listings([make(title, price=price)], rules)[0]
    return [s.detail for s in scored.signals if s.code == "text.impossible_spec"]


@pytest.mark.parametrize(("title", "claim"), [
    ("Pin sạc 3.7V NCR18650 6800mAh Panasonic Đầu Nồi cho sạc dự phòng, đèn pin", "18650 cell of 6,800 mAh"),
    ("Máy khoan pin Makita 199V 2 pin kèm phụ kiện", "cordless tool of 199 V"),
    ("Pin 18650 Samsung 3.7V 9800mAh", "18650 cell of 9,800 mAh"),
])
def test_an_impossible_specification_flags_a_branded_listing(
        make: MakeListing, rules: RuleSet, title: str, claim: str) -> None:
    [detail] = spec_details(make, rules, title, 65_000)
    assert claim in detail
    assert score_listings([make(title, price=65_000)], rules)[0].flagged


@pytest.mark.parametrize("title", [
    "Pin Panasonic NCR18650B 3400mAh chính hãng",  # a real capacity
    "Sạc dự phòng Xiaomi 20000mAh dùng cell 18650",  # the pack's capacity, not a cell's
    "Pin sạc 3.7V H352 18650 4200mAh đầu nồi",  # no brand claimed: outside the rubric
    "Máy khoan pin Makita DDF485 18V",
    "Máy khoan Makita 220V HP1630",  # a corded drill runs on mains voltage
    "Pin laptop Dell Inspiron 15 3000 6 cell 18650 4400mAh",  # a pack of cells
    "Quạt mini Xiaomi pin 18650 4000mAh",  # a device with a cell inside
    "Máy khoan pin Bosch GSR 120-LI 12V kèm sạc 220V",  # the charger's voltage
    "Makita DDF485Z 18V, sạc nhanh 100-240V máy khoan pin",
])
def test_possible_or_unclaimed_specifications_are_not_signals(make: MakeListing, rules: RuleSet, title: str) -> None:
    assert spec_details(make, rules, title, 500_000) == []
