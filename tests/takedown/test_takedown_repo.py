"""storage.repo.takedowns on SQLite and PostgreSQL: states, deadline, audit trail, queue order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import repo
from storage.models import CaseEvent, Listing, ReviewCase, Seller

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def _case(session: Session, key: str = "s1") -> tuple[int, list[repo.ListingRef]]:
    seller = Seller(platform="demo-tiki", seller_key=key, name="Shop")
    session.add(seller)
    session.flush()
    refs = []
    for n in range(3):
        listing = Listing(platform="demo-tiki", listing_key=f"{key}-{n}", seller_id=seller.id, title=f"x{n}",
                          url=f"http://127.0.0.1:1/tiki/p{n}.html")
        session.add(listing)
        session.flush()
        refs.append(repo.ListingRef(listing.id, listing.listing_key, str(listing.url)))
    case = ReviewCase(seller_id=seller.id, status="confirmed", risk=0.9, first_flagged_at=T0, last_scanned_at=T0)
    session.add(case)
    session.flush()
    return case.id, refs


def _draft(session: Session, key: str = "s1") -> tuple[int, int, list[int]]:
    case_id, refs = _case(session, key)
    request = repo.create_takedown(session, case_id=case_id, platform="demo-tiki", listings=refs, actor="lan",
                                   authority={"authority": "Chi cục QLTT"}, at=T0)
    return case_id, request.id, [row.id for row in request.listings]


def test_life_of_a_request(session: Session) -> None:
    case_id, request_id, rows = _draft(session)
    with pytest.raises(repo.TakedownError, match="only a sent request"):
        repo.record_check(session, request_id, [], actor="system", at=T0)
    sent = repo.mark_sent(session, request_id, actor="lan", via="email", deadline_hours=24, at=T0)
    assert (sent.status, sent.deadline) == ("sent", T0 + timedelta(hours=24))
    with pytest.raises(repo.TakedownError, match="sent already"):
        repo.mark_sent(session, request_id, actor="lan", via="email", deadline_hours=24, at=T0)
    assert repo.due_takedowns(session, now=T0 + timedelta(hours=23)) == []
    assert [r.id for r in repo.due_takedowns(session, now=T0 + timedelta(hours=24))] == [request_id]

    early = [repo.ListingCheck(rows[0], "removed", "404"), repo.ListingCheck(rows[1], "still_online", "200"),
             repo.ListingCheck(rows[2], "unreachable", "captcha")]
    assert repo.record_check(session, request_id, early, actor="system", at=T0 + timedelta(hours=2)).status == \
        "still_online"
    late = repo.record_check(session, request_id, early, actor="system", at=T0 + timedelta(hours=25))
    assert late.status == "escalated"
    # Blocked everywhere: proves nothing, the request stays escalated.
    blocked = [repo.ListingCheck(r, "unreachable", "captcha") for r in rows]
    assert repo.record_check(session, request_id, blocked, actor="system", at=T0 + timedelta(hours=26)).status == \
        "escalated"
    gone = [repo.ListingCheck(r, "removed", "404") for r in rows]
    assert repo.record_check(session, request_id, gone, actor="system", at=T0 + timedelta(hours=30)).status == \
        "verified_removed"
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)).all()
    assert [e.kind for e in events] == ["takedown"] * 6
    assert [e.data["action"] for e in events] == ["drafted", "sent", "checked", "checked", "checked", "checked"]
    assert events[3].data["to"] == "escalated" and events[1].actor == "lan"


def test_unreachable_alone_never_removes(session: Session) -> None:
    _, request_id, rows = _draft(session)
    repo.mark_sent(session, request_id, actor="lan", via="portal", deadline_hours=24, at=T0)
    checks = [repo.ListingCheck(rows[0], "removed", "404")] + [
        repo.ListingCheck(r, "unreachable", "connection refused") for r in rows[1:]]
    assert repo.record_check(session, request_id, checks, actor="system", at=T0 + timedelta(days=2)).status == "sent"


def test_queue_puts_escalated_first(session: Session) -> None:
    _, drafted, _ = _draft(session, "a")
    _, waiting, _ = _draft(session, "b")
    _, late, rows = _draft(session, "c")
    for request_id in (waiting, late):
        repo.mark_sent(session, request_id, actor="lan", via="email", deadline_hours=24, at=T0)
    repo.record_check(session, late, [repo.ListingCheck(rows[0], "still_online", "200")], actor="system",
                      at=T0 + timedelta(days=1, hours=1))
    assert [r.id for r in repo.list_takedowns(session)] == [late, waiting, drafted]


def test_refuses_bad_input(session: Session) -> None:
    case_id, _ = _case(session)
    with pytest.raises(repo.TakedownError, match="at least one"):
        repo.create_takedown(session, case_id=case_id, platform="demo-tiki", listings=[], actor="lan", authority={})
    _, request_id, rows = _draft(session, "z")
    with pytest.raises(repo.TakedownError, match="--via"):
        repo.mark_sent(session, request_id, actor="lan", via="  ", deadline_hours=24)
    repo.mark_sent(session, request_id, actor="lan", via="email", deadline_hours=24)
    with pytest.raises(ValueError, match="not a check outcome"):
        repo.record_check(session, request_id, [repo.ListingCheck(rows[0], "pending", "")], actor="system")


def test_draft_names_listings_by_platform_id_or_ours(session: Session) -> None:
    from review.takedown import TakedownError, draft_requests
    from rules.evidence import TakedownSettings

    case_id, refs = _case(session, "d")
    settings = TakedownSettings(authority="Chi cục QLTT tỉnh Hà Nam")
    [request] = draft_requests(session, case_id, actor="lan", settings=settings,
                               listing_ids=[refs[0].listing_key, str(refs[2].listing_id)])
    assert [x.listing_key for x in request.listings] == [refs[0].listing_key, refs[2].listing_key]
    assert request.authority["authority"] == "Chi cục QLTT tỉnh Hà Nam" and request.authority["deadline_hours"] == 24
    with pytest.raises(TakedownError, match="not listings of case"):
        draft_requests(session, case_id, actor="lan", settings=settings, listing_ids=["nope"])
    with pytest.raises(TakedownError, match="no flagged listing"):
        draft_requests(session, case_id, actor="lan", settings=settings)
    case = session.get(ReviewCase, case_id)
    assert case is not None
    case.status = "open"
    with pytest.raises(TakedownError, match="only a confirmed"):
        draft_requests(session, case_id, actor="lan", settings=settings, listing_ids=[refs[0].listing_key])
