"""price.capacity: storage below any genuine price per GB is a fake-capacity chip; capacities
a device merely accepts, spinning disks and unbranded storage are left alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from detectors import score_listings
from rules.loader import RuleSet
from rules.record import Listing

MakeListing = Callable[..., Listing]


def capacity_details(make: MakeListing, rules: RuleSet, title: str, price: int) -> list[str]:
    scored = score_listings([make(title, price=price)], rules)[0]
    return [s.detail for s in scored.signals if s.code == "price.capacity"]


@pytest.mark.parametrize(("title", "price", "per_gb"), [
    ("Thẻ nhớ SanDisk Extreme 1TB chính hãng giá 259k", 259_000, "253 VND per GB"),
    ("USB Kingston 2TB OTG giá 150k", 150_000, "73 VND per GB"),
    ("USB Kingston Datamax 1TB", 99_000, "97 VND per GB"),  # "max" inside a word accepts nothing
])
def test_fake_capacity_flash_is_flagged_with_its_price_per_gb(
        make: MakeListing, rules: RuleSet, title: str, price: int, per_gb: str) -> None:
    [detail] = capacity_details(make, rules, title, price)
    assert per_gb in detail
    assert score_listings([make(title, price=price)], rules)[0].flagged


@pytest.mark.parametrize(("title", "price"), [
    ("Thẻ nhớ SanDisk Extreme 1TB", 2_600_000),  # a genuine price
    ("Camera wifi Imou hỗ trợ thẻ nhớ 256GB", 400_000),  # the capacity the camera accepts
    ("Đầu đọc thẻ nhớ Ugreen hỗ trợ 2TB", 80_000),
    ("Ổ cứng HDD Seagate 4TB", 1_600_000),  # a spinning disk costs less per GB than flash
    ("Thẻ nhớ 1TB giá rẻ", 99_000),  # unbranded: outside the counterfeit rubric
    ("Laptop Dell i5 8G SSD 256G", 3_900_000),  # the storage is part of the laptop sold
    ("Sim 4G Viettel tặng thẻ nhớ", 50_000),  # "4G" is a network
    ("Thẻ nhớ Camera Hikvision 64GB - 128GB - 256GB", 90_000),  # the price of the 64 GB variant
    ("Đầu đọc thẻ USB Ugreen SD/TF 3.0 512GB", 95_000),  # a reader, not storage
])
def test_what_is_not_fake_capacity(make: MakeListing, rules: RuleSet, title: str, price: int) -> None:
    assert capacity_details(make, rules, title, price) == []


def test_a_band_for_one_capacity_is_not_applied_to_a_smaller_variant(make: MakeListing, rules: RuleSet) -> None:
    scored = score_listings([make("Thẻ nhớ MicroSD Kingston 8GB/16GB/32GB/64GB/128GB", price=55_000)], rules)[0]
    assert "price.below_reference" not in {s.code for s in scored.signals}
