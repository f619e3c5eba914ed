"""Barcode detector: missing, invalid and conflicting GTINs; what must not be claimed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from detectors import score_listings
from detectors.barcode import gtin_problem
from rules.loader import RuleSet
from rules.record import Listing, ScoredListing

MakeListing = Callable[..., Listing]
Gtin = Callable[[str], str]


def codes(scored: ScoredListing) -> set[str]:
    return {s.code for s in scored.signals}


def test_missing_where_category_expects_one(rules: RuleSet, make: MakeListing) -> None:
    listing = make("Sữa bột công thức cho bé 800g", platform="tiki", price=400_000)
    assert "barcode.missing" in codes(score_listings([listing], rules)[0])


def test_missing_not_reported_where_platform_hides_gtins(rules: RuleSet, make: MakeListing) -> None:
    listing = make("Sữa bột công thức cho bé 800g", platform="sendo", price=400_000)
    assert "barcode.missing" not in codes(score_listings([listing], rules)[0])


def test_missing_not_expected_for_fashion(rules: RuleSet, make: MakeListing) -> None:
    listing = make("Áo thun nam cotton", platform="tiki", price=150_000)
    assert "barcode.missing" not in codes(score_listings([listing], rules)[0])


@pytest.mark.parametrize(
    ("gtin", "why"),
    [("9367707323552", "check digit 2, expected 1"), ("12345", "has 5 digits"), ("89346A7", "other than digits")],
)
def test_invalid_gtin_explained(gtin: str, why: str) -> None:
    problem = gtin_problem(gtin)
    assert problem is not None and why in problem[0]


def test_valid_gtin_has_no_problem(gtin: Gtin) -> None:
    assert gtin_problem(gtin("893467300001")) is None


def test_brand_prefix_conflict(rules: RuleSet, make: MakeListing, gtin: Gtin) -> None:
    listing = make("Sữa Vinamilk Dielac Grow Plus 900g", platform="tiki", price=300_000, gtin=gtin("690123456789"))
    scored = score_listings([listing], rules)[0]
    conflict = next(s for s in scored.signals if s.code == "barcode.prefix_conflict")
    assert "Vinamilk" in conflict.detail and conflict.score < 0.5


def test_origin_conflict_is_weak(rules: RuleSet, make: MakeListing, gtin: Gtin) -> None:
    listing = make("Bình giữ nhiệt 500ml", platform="tiki", price=300_000, origin="Nhật Bản", gtin=gtin("893123456789"))
    scored = score_listings([listing], rules)[0]
    conflict = next(s for s in scored.signals if s.code == "barcode.prefix_conflict")
    assert "GS1 Vietnam" in conflict.detail and not scored.flagged


@pytest.mark.parametrize(("prefix", "origin", "flags"), [
    ("691423377120", "Hàn Quốc", True),    # a Chinese GTIN on a "Korean" serum: strong alone
    ("893456312345", "Hàn Quốc", False),   # a Vietnamese owner or importer's GTIN: ordinary
    ("691423377120", "Trung Quốc", False),  # no conflict at all
    ("691423377120", "Việt Nam", False),    # a home origin is filled in by default: weak
])
def test_chinese_prefix_against_the_stated_origin_of_health_goods(
        rules: RuleSet, make: MakeListing, gtin: Gtin, prefix: str, origin: str, flags: bool) -> None:
    title = "Tinh chất dưỡng da Sulwhasoo First Care Activating Serum 90ml"
    scored = score_listings([make(title, price=2_350_000, origin=origin, gtin=gtin(prefix))], rules)[0]
    assert scored.flagged is flags
    official = make(title, price=2_350_000, origin=origin, gtin=gtin(prefix), seller={"id": "1", "is_official": True})
    assert not score_listings([official], rules)[0].flagged


def test_matching_origin_no_conflict(rules: RuleSet, make: MakeListing, gtin: Gtin) -> None:
    listing = make("Bình giữ nhiệt 500ml", platform="tiki", price=300_000, origin="Việt Nam", gtin=gtin("893123456789"))
    assert "barcode.prefix_conflict" not in codes(score_listings([listing], rules)[0])


@pytest.mark.parametrize("payload", ["200123456789", "021234567890", "978604123456"])
def test_restricted_and_isbn_prefixes_make_no_claims(rules: RuleSet, make: MakeListing, gtin: Gtin,
                                                     payload: str) -> None:
    listing = make("Sữa Vinamilk Dielac Grow Plus 900g", platform="tiki", price=300_000, origin="Pháp",
                   gtin=gtin(payload))
    assert "barcode.prefix_conflict" not in codes(score_listings([listing], rules)[0])


def test_one_gtin_under_two_brands(rules: RuleSet, make: MakeListing, gtin: Gtin) -> None:
    code = gtin("893467300001")
    batch = [make("Sữa Vinamilk Dielac 900g", gtin=code, price=300_000), make("Sữa Similac IQ 900g", gtin=code, price=600_000)]
    assert all("barcode.multi_brand" in codes(s) for s in score_listings(batch, rules))


def test_genuine_official_vinamilk_is_clean(rules: RuleSet, make: MakeListing, gtin: Gtin) -> None:
    listing = make("Sữa bột Vinamilk Dielac Grow Plus 900g", platform="tiki", brand="Vinamilk", price=320_000,
                   origin="Việt Nam", gtin=gtin("893467300001"),
                   seller={"id": "500", "name": "Vinamilk Official Store", "is_official": True})
    scored = score_listings([listing], rules)[0]
    assert not scored.flagged and scored.signals == []
