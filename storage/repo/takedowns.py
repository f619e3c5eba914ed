"""Takedown requests (issue 16): draft, send, record removal checks, list.

Every change is also a ``takedown`` case event on the request's case, written in the same
transaction, so the audit trail and the request never disagree. Functions flush, never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import case, select
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    TAKEDOWN_LISTING_STATUSES,
    CaseEvent,
    TakedownListing,
    TakedownRequest,
    utcnow,
)
from storage.repo._common import _aware

#: Requests whose listings a removal check looks at: sent, and not yet all gone.
CHECKABLE_STATUSES: Final = ("sent", "still_online", "escalated")
#: The queue order: what needs action first.
_URGENCY: Final = {"escalated": 0, "still_online": 1, "sent": 2, "drafted": 3, "verified_removed": 4}


class TakedownError(ValueError):
    """A takedown action that does not fit the request's state (the CLI/web map it to 1/flash)."""


@dataclass(frozen=True, slots=True)
class ListingRef:
    """A listing to name in a request: our id (None if unknown), the platform's id, its URL."""

    listing_id: int | None
    listing_key: str
    url: str


@dataclass(frozen=True, slots=True)
class ListingCheck:
    """The outcome of re-fetching one listing of a request."""

    takedown_listing_id: int
    status: str  # removed | still_online | unreachable
    detail: str
    evidence_id: int | None = None


def create_takedown(
    session: Session, *, case_id: int, platform: str, listings: Sequence[ListingRef], actor: str,
    authority: dict[str, Any], at: datetime | None = None,
) -> TakedownRequest:
    """A drafted request to `platform` for `listings` of case `case_id`."""
    if not listings:
        raise TakedownError("a takedown request needs at least one listing")
    now = _aware(at or utcnow(), "at")
    request = TakedownRequest(case_id=case_id, platform=platform, status="drafted", created_at=now,
                              created_by=actor, authority=dict(authority))
    request.listings = [TakedownListing(listing_id=ref.listing_id, listing_key=ref.listing_key, url=ref.url,
                                        status="pending") for ref in listings]
    session.add(request)
    session.flush()
    _event(session, request, actor, now, f"takedown request #{request.id} drafted ({platform}, "
           f"{len(listings)} listings)", {"action": "drafted", "listings": [ref.listing_key for ref in listings]})
    return request


def mark_sent(
    session: Session, request_id: int, *, actor: str, via: str, deadline_hours: int, at: datetime | None = None,
) -> TakedownRequest:
    """Record that the request went out (who, when, how); the platform's deadline starts now."""
    if via.strip() == "":
        raise TakedownError("say how the request was sent (--via), e.g. 'email legal@platform' or 'portal'")
    request = get_takedown(session, request_id, lock=True)
    if request.status != "drafted":
        raise TakedownError(f"takedown request #{request_id} is {request.status}, not drafted: it was sent already")
    now = _aware(at or utcnow(), "at")
    request.status = "sent"
    request.sent_at = now
    request.sent_by = actor
    request.sent_via = via.strip()
    request.deadline = now + timedelta(hours=deadline_hours)
    _event(session, request, actor, now, f"takedown request #{request.id} sent via {request.sent_via}",
           {"action": "sent", "via": request.sent_via, "deadline": request.deadline.isoformat()})
    session.flush()
    return request


def record_check(
    session: Session, request_id: int, checks: Sequence[ListingCheck], *, actor: str, at: datetime | None = None,
) -> TakedownRequest:
    """Store one removal check and move the request on: all removed -> verified_removed; any
    still online -> escalated past the deadline, still_online before it. Unreachable listings
    are neither: a blocked check proves nothing, so it leaves the request where it was."""
    request = get_takedown(session, request_id, lock=True)
    if request.status not in CHECKABLE_STATUSES:
        raise TakedownError(f"takedown request #{request_id} is {request.status}: only a sent request is checked")
    now = _aware(at or utcnow(), "at")
    by_id = {row.id: row for row in request.listings}
    for check in checks:
        if check.status not in TAKEDOWN_LISTING_STATUSES or check.status == "pending":
            raise ValueError(f"not a check outcome: {check.status!r}")
        row = by_id.get(check.takedown_listing_id)
        if row is None:
            raise TakedownError(f"listing row {check.takedown_listing_id} is not part of request #{request_id}")
        row.status = check.status
        row.checked_at = now
        row.detail = check.detail
        if check.evidence_id is not None:
            row.evidence_id = check.evidence_id
    statuses = [row.status for row in request.listings]
    before = request.status
    if all(s == "removed" for s in statuses):
        request.status = "verified_removed"
    elif "still_online" in statuses:
        past = request.deadline is not None and now >= request.deadline
        request.status = "escalated" if past else "still_online"
    request.last_checked_at = now
    counts = {s: statuses.count(s) for s in TAKEDOWN_LISTING_STATUSES if s in statuses}
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    _event(session, request, actor, now,
           f"takedown request #{request.id} checked: {summary}; {before} -> {request.status}",
           {"action": "checked", "from": before, "to": request.status, "counts": counts,
            "listings": [{"listing_key": by_id[c.takedown_listing_id].listing_key, "status": c.status,
                          "detail": c.detail, "evidence_id": c.evidence_id} for c in checks]})
    session.flush()
    return request


def get_takedown(session: Session, request_id: int, *, lock: bool = False) -> TakedownRequest:
    # Row lock on PostgreSQL so a check and a "sent" on the same request serialise.
    request = session.get(TakedownRequest, request_id, with_for_update=lock, populate_existing=lock,
                          options=[selectinload(TakedownRequest.listings)])
    if request is None:
        raise TakedownError(f"takedown request #{request_id} does not exist")
    return request


def list_takedowns(session: Session, *, case_id: int | None = None) -> list[TakedownRequest]:
    """Requests, most urgent first: escalated, still online, waiting for the deadline, drafts,
    done; within each, the earliest deadline first."""
    order = case(dict(_URGENCY), value=TakedownRequest.status, else_=9)
    stmt = (select(TakedownRequest).options(selectinload(TakedownRequest.listings))
            .order_by(order, TakedownRequest.deadline.is_(None), TakedownRequest.deadline, TakedownRequest.id))
    if case_id is not None:
        stmt = stmt.where(TakedownRequest.case_id == case_id)
    return list(session.scalars(stmt))


def due_takedowns(session: Session, *, now: datetime | None = None) -> list[TakedownRequest]:
    """Sent requests whose deadline has passed (escalated ones too: they are checked again)."""
    moment = _aware(now or utcnow(), "now")
    return [r for r in list_takedowns(session)
            if r.status in CHECKABLE_STATUSES and r.deadline is not None and r.deadline <= moment]


def _event(session: Session, request: TakedownRequest, actor: str, at: datetime, note: str,
           data: dict[str, Any]) -> None:
    session.add(CaseEvent(case_id=request.case_id, at=at, actor=actor, kind="takedown", note=note,
                          data={"takedown_request_id": request.id, "platform": request.platform, **data}))
