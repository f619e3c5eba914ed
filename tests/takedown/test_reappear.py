"""Issue 16 part 3 on SQLite and PostgreSQL, through `review.queue.sync_scan` as a scan ends: a
removed listing seen again, or the same product at a shop linked to the seller, re-opens the
case with one "tái xuất hiện" event; nothing else does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.queue import sync_scan
from review.takedown.reappear import product_key, same_price
from review.takedown.stats import takedown_stats
from storage import repo
from storage.models import CaseEvent, Listing, ReviewCase, Seller

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
H = timedelta(hours=1)
PHONE, ADDRESS = "0912 345 678", "Số 12 ngõ 34 phố Huế, phường Phố Huế, quận Hai Bà Trưng, Hà Nội"


def _seller(session: Session, platform: str, key: str) -> Seller:
    seller = Seller(platform=platform, seller_key=key, name=f"Shop {key}", phone=PHONE, address=ADDRESS)
    session.add(seller)
    session.flush()
    return seller


def _listing(session: Session, seller: Seller, key: str, title: str, price: int, seen: datetime) -> Listing:
    listing = Listing(platform=seller.platform, listing_key=key, seller_id=seller.id, title=title, price=price,
                      url=f"http://127.0.0.1:1/{seller.platform}/{key}.html", first_seen_at=seen, last_seen_at=seen)
    session.add(listing)
    session.flush()
    return listing


def _removed_takedown(session: Session) -> tuple[int, Seller, Listing]:
    """A confirmed case whose listing a takedown got removed (checked at T0 + 26 h)."""
    seller = _seller(session, "demo-tiki", "old")
    listing = _listing(session, seller, "p1", "Sữa bột Similac IQ 900g - hàng Mỹ", 450_000, T0 - 48 * H)
    case = ReviewCase(seller_id=seller.id, status="confirmed", risk=0.9, first_flagged_at=T0, last_scanned_at=T0,
                      closed_at=T0)
    session.add(case)
    session.flush()
    request = repo.create_takedown(session, case_id=case.id, platform="demo-tiki", actor="lan",
                                   listings=[repo.ListingRef(listing.id, "p1", str(listing.url))],
                                   authority={"authority": "Chi cục QLTT"}, at=T0)
    repo.mark_sent(session, request.id, actor="lan", via="email", deadline_hours=24, at=T0)
    repo.record_check(session, request.id, [repo.ListingCheck(request.listings[0].id, "removed", "404")],
                      actor="system", at=T0 + 26 * H)
    return case.id, seller, listing


def _reappeared(session: Session) -> list[CaseEvent]:
    return list(session.scalars(select(CaseEvent).where(CaseEvent.kind == "reappeared").order_by(CaseEvent.id)))


def test_keys() -> None:
    assert product_key("SỮA BỘT  Similac IQ 900g – hàng Mỹ!!") == product_key("Sữa bột Similac IQ 900g - hàng Mỹ")
    assert same_price(450_000, 500_000, 0.2) and not same_price(450_000, 600_000, 0.2)
    assert not same_price(None, 450_000, 0.2)


def test_nothing_new_nothing_reopened(session: Session) -> None:
    case_id, _, _ = _removed_takedown(session)
    assert sync_scan(session, [], scanned_at=T0 + 30 * H).reappeared == 0
    assert _reappeared(session) == []
    assert session.get(ReviewCase, case_id).status == "confirmed"  # type: ignore[union-attr]


def test_the_removed_listing_is_back(session: Session) -> None:
    case_id, _, listing = _removed_takedown(session)
    listing.last_seen_at = T0 + 40 * H  # a later scan found it again
    session.flush()
    assert sync_scan(session, [], scanned_at=T0 + 40 * H).reappeared == 1
    case = session.get(ReviewCase, case_id)
    assert case is not None and case.status == "open" and case.closed_at is None
    [event] = _reappeared(session)
    assert (event.case_id, event.from_status, event.to_status) == (case_id, "confirmed", "open")
    assert event.data["match"] == "same_listing" and event.data["listing_id"] == listing.id
    assert "tái xuất hiện" in (event.note or "")
    # Reported once, however many scans see it again.
    assert sync_scan(session, [], scanned_at=T0 + 50 * H).reappeared == 0
    assert len(_reappeared(session)) == 1
    assert sum(r.reappearances for r in takedown_stats(session)) == 1  # in the month it was found


def test_the_same_product_at_a_linked_new_shop(session: Session) -> None:
    case_id, _, _ = _removed_takedown(session)
    new_shop = _seller(session, "demo-shopee", "new")  # same phone and address: one network
    copy = _listing(session, new_shop, "q9", "SUA BOT SIMILAC IQ 900G hang My", 470_000, T0 + 30 * H)
    _listing(session, new_shop, "q10", "Sữa bột Similac IQ 900g - hàng Mỹ", 900_000, T0 + 30 * H)  # other price band
    stranger = Seller(platform="demo-lazada", seller_key="x", name="Other", phone="0987 000 111")
    session.add(stranger)
    session.flush()
    _listing(session, stranger, "z1", "Sữa bột Similac IQ 900g - hàng Mỹ", 450_000, T0 + 30 * H)  # not linked
    assert sync_scan(session, [], scanned_at=T0 + 31 * H).reappeared == 1
    [event] = _reappeared(session)
    assert event.case_id == case_id and event.data["match"] == "same_product"
    assert event.data["listing_id"] == copy.id and event.data["platform"] == "demo-shopee"
    assert session.get(ReviewCase, case_id).status == "open"  # type: ignore[union-attr]


def test_an_open_case_of_the_seller_takes_the_event(session: Session) -> None:
    case_id, seller, listing = _removed_takedown(session)
    newer = ReviewCase(seller_id=seller.id, status="open", risk=0.8, first_flagged_at=T0, last_scanned_at=T0)
    session.add(newer)
    listing.last_seen_at = T0 + 40 * H
    session.flush()
    sync_scan(session, [], scanned_at=T0 + 40 * H)
    [event] = _reappeared(session)
    assert event.case_id == newer.id and event.data["takedown_case_id"] == case_id and event.to_status is None
    assert session.get(ReviewCase, case_id).status == "confirmed"  # type: ignore[union-attr]


def test_a_reopened_violator_stays_on_the_violators_list_until_decided_otherwise(session: Session) -> None:
    """Re-appearance re-opens the case for action; it revokes nothing. Only a new decision on
    the re-opened case (dismissed here) takes the seller off the published list."""
    from review.queue import decide
    from review.web.queries import confirmed_violators

    case_id, _, listing = _removed_takedown(session)
    [before] = confirmed_violators(session)
    assert (before.case.id, before.reopened) == (case_id, False)
    listing.last_seen_at = T0 + 40 * H
    session.flush()
    assert sync_scan(session, [], scanned_at=T0 + 40 * H).reappeared == 1
    [after] = confirmed_violators(session)
    assert (after.case.id, after.reopened) == (case_id, True)
    assert after.decided_at.astimezone(UTC) == T0  # the original decision date, not the re-opening's
    decide(session, case_id, "dismissed", "the re-post was another shop's genuine stock", "lan", at=T0 + 41 * H)
    assert confirmed_violators(session) == []
