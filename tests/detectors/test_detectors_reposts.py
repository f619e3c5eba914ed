"""Re-posts of a flagged listing (detectors/reposts.py): a resale copy that names its
source, or the same seller's same title, carries the source's flag; nothing else does."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import ValidationError

from detectors import score_listings
from rules.loader import RuleSet
from rules.models import Platform
from rules.record import Listing

MakeListing = Callable[..., Listing]

CASE = "Ốp lưng điện thoại Google Pixel 4 chống sốc silicon dẻo Rugged Armor"


def _source(make: MakeListing) -> Listing:
    # A Spigen line named without the brand at a third of its band: flagged on its own.
    return make(CASE, platform="sendo", listing_id="93921524", price=89_000,
                seller={"id": "21591", "name": "Thanh niên chuyên cười"})


def test_a_resale_copy_naming_a_flagged_source_is_flagged_with_the_source_as_reason(
        make: MakeListing, rules: RuleSet) -> None:
    source = _source(make)
    copy = make(f"{CASE} [Được kiểm hàng] 93921524", platform="sendo", price=202_300,
                seller={"id": "989277", "name": "Gì Cũng Có Shop"})
    scored_source, scored_copy = score_listings([source, copy], rules)
    assert scored_source.flagged
    assert scored_copy.flagged
    reason = next(s for s in scored_copy.signals if s.code == "text.repost")
    assert "93921524" in reason.detail and reason.score == scored_source.risk
    assert reason.detail_vi is not None and "93921524" in reason.detail_vi


def test_the_copy_alone_is_judged_on_its_own(make: MakeListing, rules: RuleSet) -> None:
    copy = make(f"{CASE} [Được kiểm hàng] 93921524", platform="sendo", price=202_300,
                seller={"id": "989277", "name": "Gì Cũng Có Shop"})
    [scored] = score_listings([copy], rules)
    assert not scored.flagged
    assert "text.repost" not in {s.code for s in scored.signals}


def test_the_same_seller_posting_the_same_title_again_is_the_same_listing(
        make: MakeListing, rules: RuleSet) -> None:
    # The first post says in its description what the goods are; the second says nothing.
    title = "Giày Nike Air Force 1 trắng full box"
    seller = {"id": "21591", "name": "Thanh niên chuyên cười"}
    source = make(title, platform="sendo", price=2_600_000, seller=seller, description="Hàng rep 1:1 như auth")
    again = make(title, platform="sendo", price=2_700_000, seller=seller)
    scored_source, scored = score_listings([source, again], rules)
    assert scored_source.flagged
    assert any(s.code == "text.repost" for s in scored.signals)


def test_a_flag_on_a_price_alone_does_not_pass_to_the_same_title_at_another_price(
        make: MakeListing, rules: RuleSet) -> None:
    # The source is flagged only for its price; the same shop's listing at 202k is judged on
    # its own price, since a low price is evidence about that price only.
    source = _source(make)
    again = make(CASE, platform="sendo", price=202_000, seller={"id": "21591", "name": "Thanh niên chuyên cười"})
    scored_source, scored = score_listings([source, again], rules)
    assert scored_source.flagged
    assert "text.repost" not in {s.code for s in scored.signals}


def test_another_seller_with_the_same_title_and_no_marker_is_not_followed(
        make: MakeListing, rules: RuleSet) -> None:
    source = _source(make)
    other = make(CASE, platform="sendo", price=202_000, seller={"id": "5555", "name": "Shop Khác"})
    _, scored = score_listings([source, other], rules)
    assert not scored.flagged


def test_an_official_store_never_inherits_a_flag(make: MakeListing, rules: RuleSet) -> None:
    source = _source(make)
    official = make(CASE, platform="sendo", price=202_000,
                    seller={"id": "21591", "name": "Thanh niên chuyên cười", "is_official": True})
    _, scored = score_listings([source, official], rules)
    assert not scored.flagged


def test_a_marker_on_a_platform_without_one_is_plain_text(make: MakeListing, rules: RuleSet) -> None:
    source = make(CASE, platform="shopee", listing_id="93921524", price=89_000, seller={"id": "21591", "name": "A"})
    copy = make(f"{CASE} [Được kiểm hàng] 93921524", platform="shopee", price=202_300,
                seller={"id": "989277", "name": "B"})
    assert score_listings([source], rules)[0].flagged
    assert not score_listings([source, copy], rules)[1].flagged


@pytest.mark.parametrize("pattern", [r"\[kiểm hàng\] \d+", r"(unclosed"])
def test_a_repost_marker_must_capture_the_source_id(pattern: str) -> None:
    with pytest.raises(ValidationError, match="repost_marker"):
        Platform(name="X", repost_marker=pattern)


def test_one_sellers_bait_price_and_real_offer_are_not_one_listing(make: MakeListing, rules: RuleSet) -> None:
    # The same shop's "iPad Air 1" at 99k and at 1.96M: the flag on the bait price is about
    # that price, not about the 1.96M offer.
    bait = _source(make)
    offer = make(CASE, platform="sendo", price=89_000 * 4, seller={"id": "21591", "name": "Thanh niên chuyên cười"})
    _, scored = score_listings([bait, offer], rules)
    assert "text.repost" not in {s.code for s in scored.signals}
