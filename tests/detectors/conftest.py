"""Shared fixtures for detector tests: the default rules and a listing factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from stdnum import ean

from rules.loader import RuleSet, load_rules
from rules.record import Listing

MakeListing = Callable[..., Listing]


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


@pytest.fixture
def make() -> MakeListing:
    """make("title", price=..., seller={...}) -> Listing on shopee by a small shop."""
    counter = iter(range(1, 1_000_000))

    def factory(title: str, **fields: Any) -> Listing:
        data: dict[str, Any] = {
            "platform": "shopee",
            "listing_id": str(next(counter)),
            "title": title,
            "seller": {"id": "777", "name": "Shop Nhỏ"},
        }
        data.update(fields)
        return Listing.model_validate(data)

    return factory


@pytest.fixture
def gtin() -> Callable[[str], str]:
    """gtin("893467300001") -> the payload plus its correct check digit."""

    def complete(payload: str) -> str:
        return payload + ean.calc_check_digit(payload)

    return complete
