"""Re-posts across scans (pipeline/batch.py): a resale copy whose marker names a listing of
another seller, flagged in an earlier scan, carries that flag when its own seller is scored."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.batch import score_scan
from rules.loader import load_rules
from rules.record import Listing
from storage import repo
from storage.models import Listing as ListingRow
from storage.models import ListingSignal

CASE = "Ốp lưng điện thoại Google Pixel 4 chống sốc silicon dẻo Rugged Armor"


def _listing(listing_id: str, title: str, price: int, seller: str) -> Listing:
    return Listing.model_validate({"platform": "sendo", "listing_id": listing_id, "title": title, "price": price,
                                   "seller": {"id": seller, "name": f"Shop {seller}"}})


def _scan(session: Session, *listings: Listing) -> None:
    run = repo.start_scan_run(session, kind="nightly", platform="sendo").id
    repo.upsert_listings(session, run, list(listings))
    score_scan(session, load_rules(), run)


def _row(session: Session, listing_id: str) -> ListingRow:
    session.expire_all()
    return session.scalars(select(ListingRow).where(ListingRow.listing_key == listing_id)).one()


def test_a_copy_scanned_later_carries_the_flag_of_its_source_from_an_earlier_scan(session: Session) -> None:
    _scan(session, _listing("93921524", CASE, 89_000, "21591"))
    source = _row(session, "93921524")
    assert source.flagged
    assert repo.flagged_by_key(session, {("sendo", "93921524"), ("sendo", "1")}) == {
        ("sendo", "93921524"): (source.risk, [s.code for s in session.scalars(
            select(ListingSignal).where(ListingSignal.listing_id == source.id).order_by(ListingSignal.id))])}

    # The next night only the reseller's shop is scanned: its seller's listings are scored alone.
    _scan(session, _listing("555", f"{CASE} [Được kiểm hàng] 93921524", 202_300, "989277"))
    copy = _row(session, "555")
    assert copy.flagged
    codes = session.scalars(select(ListingSignal.code).where(ListingSignal.listing_id == copy.id)).all()
    assert "text.repost" in codes


def test_a_copy_of_an_unflagged_stored_listing_is_judged_on_its_own(session: Session) -> None:
    _scan(session, _listing("93921524", CASE, 1_900_000, "21591"))  # in its band: not flagged
    assert not _row(session, "93921524").flagged
    _scan(session, _listing("555", f"{CASE} [Được kiểm hàng] 93921524", 1_950_000, "989277"))
    assert not _row(session, "555").flagged
