"""Re-appearance (issue 16 part 3): what a takedown removed comes back, and the case re-opens.

Counterfeiters re-list a removed product, or open a new shop as soon as one is closed. After
every scan (`review.queue.sync_scan`), for each takedown listing whose latest check found it
**removed**:

- ``same_listing``: the platform's listing (same platform listing id) was seen by a scan after
  that check: it is online again;
- ``same_product``: a shop in the removed seller's network (`review.networks`, linked by shared
  identifiers) has a listing first seen after the request was sent, whose title folds to the same
  words and whose price is within ``takedown.reappear_price_tolerance`` (rules/evidence.yaml) of
  the removed one.

Each finding is one ``reappeared`` case event ("tái xuất hiện") on the takedown's case, which
re-opens if it was closed; if the seller has another open case meanwhile, the event goes there
(one open case per seller). A finding is reported once: the event's key (takedown listing, the
listing found, the removal check's time) is not written twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from detectors.textnorm import tokens
from detectors.vntime import as_utc
from review.networks.store import membership
from review.takedown.stats import REAPPEARED_KIND
from storage.models import (
    OPEN_CASE_STATUSES,
    CaseEvent,
    Listing,
    ReviewCase,
    SellerNetworkMember,
    TakedownListing,
    TakedownRequest,
    utcnow,
)

log = logging.getLogger("listingwatch.takedown")
ACTOR: Final = "system"


@dataclass(frozen=True, slots=True)
class Reappearance:
    case_id: int  # the case the event went to
    takedown_request_id: int
    takedown_listing_id: int
    listing_id: int
    match: str  # same_listing | same_product
    reopened: bool


def product_key(title: str) -> str:
    """The title as words only: case, diacritics, punctuation and spacing do not matter."""
    return " ".join(tokens(title))


def same_price(a: int | None, b: int | None, tolerance: float) -> bool:
    if a is None or b is None or a <= 0 or b <= 0:
        return False  # no price to compare: the title alone is too weak to re-open a case
    return abs(a - b) <= tolerance * a


def _key(tl_id: int, listing_id: int, checked_at: datetime) -> tuple[int, int, str]:
    return (tl_id, listing_id, as_utc(checked_at).isoformat())


def find_reappearances(session: Session, *, price_tolerance: float) -> list[tuple[TakedownRequest, TakedownListing,
                                                                                  Listing, str]]:
    """(request, removed takedown listing, listing found online, match) not yet reported."""
    removed = list(session.execute(
        select(TakedownRequest, TakedownListing).join(TakedownListing, TakedownListing.request_id == TakedownRequest.id)
        .where(TakedownListing.status == "removed", TakedownListing.checked_at.is_not(None))).tuples())
    if not removed:
        return []
    # The listing each row named: by our id, or by the platform's id if our row went.
    keys = {(r.platform, tl.listing_key) for r, tl in removed}
    by_key = {(x.platform, x.listing_key): x for x in session.scalars(
        select(Listing).where(tuple_(Listing.platform, Listing.listing_key).in_(list(keys))))}
    found: list[tuple[TakedownRequest, TakedownListing, Listing, str]] = []
    for request, row in removed:
        assert row.checked_at is not None
        original = by_key.get((request.platform, row.listing_key))
        if original is None:
            continue
        if as_utc(original.last_seen_at) > as_utc(row.checked_at):
            found.append((request, row, original, "same_listing"))
        found.extend((request, row, other, "same_product")
                     for other in _linked_copies(session, request, original, price_tolerance))
    reported = _reported(session, {r.case_id for r, _, _, _ in found})
    fresh = []
    for request, row, listing, match in found:
        assert row.checked_at is not None
        key = _key(row.id, listing.id, row.checked_at)
        if key not in reported:
            reported.add(key)
            fresh.append((request, row, listing, match))
    return fresh


def _linked_copies(session: Session, request: TakedownRequest, original: Listing, tolerance: float) -> list[Listing]:
    """Listings of the other shops in the original seller's network, first seen after the request
    went out, with the same product key and price band."""
    if original.seller_id is None or request.sent_at is None:
        return []
    network = membership(session, [original.seller_id]).get(original.seller_id)
    if network is None:
        return []
    others = select(SellerNetworkMember.seller_id).where(SellerNetworkMember.network_id == network[0],
                                                         SellerNetworkMember.seller_id != original.seller_id)
    key = product_key(original.title)
    candidates = session.scalars(select(Listing).where(Listing.seller_id.in_(others)))
    return [x for x in candidates
            if as_utc(x.first_seen_at) >= as_utc(request.sent_at) and product_key(x.title) == key
            and same_price(original.price, x.price, tolerance)]


def _reported(session: Session, case_ids: set[int]) -> set[tuple[int, int, str]]:
    """Keys of re-appearances already recorded. The event may sit on another case of the seller
    (the open one), so look at every case of the sellers involved."""
    if not case_ids:
        return set()
    sellers = select(ReviewCase.seller_id).where(ReviewCase.id.in_(case_ids))
    cases = select(ReviewCase.id).where(ReviewCase.seller_id.in_(sellers))
    keys = set()
    for data in session.scalars(select(CaseEvent.data).where(CaseEvent.kind == REAPPEARED_KIND,
                                                             CaseEvent.case_id.in_(cases))):
        try:
            keys.add((int(data["takedown_listing_id"]), int(data["listing_id"]), str(data["removed_checked_at"])))
        except (KeyError, TypeError, ValueError):
            continue
    return keys


def record_reappearances(session: Session, *, price_tolerance: float) -> list[Reappearance]:
    """Find what came back and write one ``reappeared`` event for each; re-open closed cases."""
    results: list[Reappearance] = []
    by_case: dict[int, list[tuple[TakedownRequest, TakedownListing, Listing, str]]] = defaultdict(list)
    for found in find_reappearances(session, price_tolerance=price_tolerance):
        by_case[found[0].case_id].append(found)
    for case_id, items in sorted(by_case.items()):
        case = session.get(ReviewCase, case_id)
        if case is None:
            continue
        for request, row, listing, match in items:
            closed_at = case.closed_at
            target, reopened = _target_case(session, case)
            assert row.checked_at is not None
            note = _note(request, row, listing, match)
            data: dict[str, Any] = {
                "match": match, "takedown_request_id": request.id, "takedown_case_id": case.id,
                "takedown_listing_id": row.id, "listing_key": row.listing_key,
                "removed_checked_at": as_utc(row.checked_at).isoformat(),
                "listing_id": listing.id, "platform": listing.platform, "url": listing.url,
                "seller_id": listing.seller_id, "title": listing.title, "price": listing.price,
            }
            if reopened is not None and closed_at is not None:
                # The decision date the re-opening cleared: a confirmed violator stays one.
                data["closed_at"] = as_utc(closed_at).isoformat()
            now = utcnow()
            session.add(CaseEvent(case_id=target.id, at=now, actor=ACTOR, kind=REAPPEARED_KIND, note=note, data=data,
                                  from_status=reopened, to_status="open" if reopened else None))
            target.updated_at = now
            session.flush()
            log.warning("case %d: %s", target.id, note)
            results.append(Reappearance(target.id, request.id, row.id, listing.id, match, reopened is not None))
    return results


def _target_case(session: Session, case: ReviewCase) -> tuple[ReviewCase, str | None]:
    """(the case to write on, the status it was re-opened from or None)."""
    if case.status in OPEN_CASE_STATUSES:
        return case, None
    other = session.scalar(select(ReviewCase).where(ReviewCase.seller_id == case.seller_id,
                                                    ReviewCase.status.in_(OPEN_CASE_STATUSES)))
    if other is not None:
        return other, None
    before = case.status
    try:
        with session.begin_nested():
            case.status = "open"
            case.closed_at = None
            session.flush()
    except IntegrityError:
        # A concurrent scan opened a case for the seller meanwhile (one open case per seller).
        session.refresh(case)
        winner = session.scalar(select(ReviewCase).where(ReviewCase.seller_id == case.seller_id,
                                                         ReviewCase.status.in_(OPEN_CASE_STATUSES)))
        if winner is None:
            raise
        return winner, None
    return case, before


def _note(request: TakedownRequest, row: TakedownListing, listing: Listing, match: str) -> str:
    assert row.checked_at is not None
    removed = f"listing {row.listing_key} removed on takedown request #{request.id} (checked {row.checked_at:%Y-%m-%d})"
    if match == "same_listing":
        return f"tái xuất hiện: {removed} is online again at {listing.url}"
    return (f"tái xuất hiện: {removed}; the same product ({listing.price} VND) is sold by linked shop "
            f"{listing.platform}/{listing.seller_id} at {listing.url}")


def detect_after_scan(session: Session) -> list[Reappearance]:
    """`record_reappearances` for the end of a scan: a failure is logged, never fails the scan."""
    from review.evidence.settings import load_evidence_settings

    try:
        tolerance = load_evidence_settings().takedown.reappear_price_tolerance
        with session.begin_nested():
            return record_reappearances(session, price_tolerance=tolerance)
    except Exception:  # settings that no longer load, a database hiccup: the scan stands
        log.exception("re-appearances were not checked after the scan")
        return []
