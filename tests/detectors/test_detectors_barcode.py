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


@pytest.mark.parametrize("title_form", ["{t} barcode {g}", "{t} mã vạch: {g}", "{t} - EAN-13 {g}", "{t} {g}"])
def test_barcode_written_in_the_title_is_read(rules: RuleSet, make: MakeListing, gtin: Gtin, title_form: str) -> None:
    # Sellers quote the barcode to look genuine; a Chinese prefix on "nội địa Nhật" milk
    # flags it whichever way the number is introduced (a bare one as a valid GTIN-13).
    title = title_form.format(t="Sữa Meiji Step 800g nội địa Nhật", g=gtin("692173490001"))
    scored = score_listings([make(title, platform="shopee", price=480_000)], rules)[0]
    conflict = next(s for s in scored.signals if s.code == "barcode.prefix_conflict")
    assert conflict.detail.startswith("barcode written in the title") and "GS1 China" in conflict.detail
    assert scored.flagged and "barcode.missing" not in codes(scored)


def test_a_wrong_check_digit_counts_only_after_a_barcode_word(rules: RuleSet, make: MakeListing) -> None:
    marked = make("Sữa bột Similac 900g mã vạch 8934673000012", platform="tiki", price=500_000)
    bare = make("Sữa bột Similac 900g 8934673000012", platform="tiki", price=500_000)
    marked_scored, bare_scored = score_listings([marked, bare], rules)
    assert "barcode.invalid" in codes(marked_scored)
    # a bare number that is no valid GTIN-13 is no barcode: the listing has none
    assert "barcode.invalid" not in codes(bare_scored) and "barcode.missing" in codes(bare_scored)


@pytest.mark.parametrize("title", [
    "Áo thun nam form rộng tay lỡ - Thời Trang Phương Ling - 240820201138",  # a 12-digit date stamp
    "Kệ mỹ phẩm xoay 360 độ [Được kiểm hàng] 17316653",                     # a Sendo item number
    "Sữa bột Similac 900g hotline 0912345678",
])
def test_item_numbers_and_dates_are_not_barcodes(rules: RuleSet, make: MakeListing, title: str) -> None:
    scored = score_listings([make(title, platform="tiki", price=300_000)], rules)[0]
    assert not codes(scored) & {"barcode.invalid", "barcode.prefix_conflict"}


def test_the_barcode_field_wins_over_the_title(rules: RuleSet, make: MakeListing, gtin: Gtin) -> None:
    listing = make(f"Sữa Meiji nội địa Nhật barcode {gtin('692173490001')}", platform="tiki",
                   price=480_000, gtin=gtin("490270500001"))
    assert "barcode.prefix_conflict" not in codes(score_listings([listing], rules)[0])
