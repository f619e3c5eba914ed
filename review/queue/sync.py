"""The detectors' side of the queue: bring each seller's case in line with its latest
assessment (`sync_case`), for many sellers (`sync_cases`) and for the sellers a scan or a
re-score assessed (`sync_scan`).

A dismissal holds until the seller's risk rises above the risk it was dismissed at; closed
cases are not reopened, a seller flagged again gets a new case.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from review.queue.lifecycle import (
    CLOSED_STATUSES,
    SYSTEM,
    checked_actor,
    record_event,
    require_aware,
)
from review.queue.reads import open_case_for
from storage.models import ReviewCase, Seller, utcnow

if TYPE_CHECKING:
    from pipeline.batch import SellerResult

#: Risk changes smaller than this are float noise, not a rescoring.
RISK_EPSILON: Final = 1e-9

CaseAction = Literal["opened", "reopened", "rescored", "touched", "suppressed", "none"]


@dataclass(frozen=True, slots=True)
class CaseChange:
    """What `sync_case` did for one seller.

    - ``opened``: first case for the seller; ``reopened``: a new case after a closed one;
    - ``rescored``: the open case's risk changed; ``touched``: open case, same risk
      (priority / last scan updated);
    - ``suppressed``: flagged, but a dismissal at an equal or higher risk holds;
    - ``none``: not flagged and no open case.
    """

    action: CaseAction
    case_id: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class CaseSync:
    """One seller's latest detector output, as `sync_cases` takes it."""

    seller_pk: int
    risk: float
    flagged: bool
    priority: float
    scanned_at: datetime


def sync_case(
    session: Session,
    seller_pk: int,
    *,
    risk: float,
    flagged: bool,
    priority: float,
    scanned_at: datetime,
    actor: str = SYSTEM,
) -> CaseChange:
    """Bring the seller's case in line with its latest assessment.

    Opens a case when the seller is flagged and has none open; updates risk, priority and
    last scan on an open case (an open case stays open when the seller is no longer
    flagged: people close cases, detectors don't). A concurrent writer that opened the
    case first is detected through the partial unique index and its case is updated.
    """
    require_aware(scanned_at)
    actor = checked_actor(actor)
    case = open_case_for(session, seller_pk)
    if case is not None:
        return _update_open(
            session, case, risk=risk, priority=priority, scanned_at=scanned_at, actor=actor
        )
    if not flagged:
        return CaseChange("none", None, "not flagged and no open case")

    previous = session.scalar(
        select(ReviewCase)
        .where(ReviewCase.seller_id == seller_pk, ReviewCase.status.in_(CLOSED_STATUSES))
        .order_by(ReviewCase.closed_at.desc(), ReviewCase.id.desc())
        .limit(1)
    )
    action: CaseAction = "opened"
    note = "seller flagged"
    if previous is not None:
        if previous.status == "dismissed" and risk <= previous.risk + RISK_EPSILON:
            return CaseChange(
                "suppressed",
                previous.id,
                f"case {previous.id} was dismissed at risk {previous.risk:.2f}; "
                f"risk {risk:.2f} has not risen above it",
            )
        action = "reopened"
        if previous.status == "dismissed":
            note = (
                f"risk {risk:.2f} rose above {previous.risk:.2f}, "
                f"the risk at which case {previous.id} was dismissed"
            )
        else:
            note = f"seller still flagged after case {previous.id} was {previous.status}"

    seller = session.get(Seller, seller_pk)
    if seller is None:
        raise LookupError(f"seller {seller_pk} does not exist")
    first_flagged = scanned_at
    if previous is None and seller.first_flagged_at is not None:
        first_flagged = min(seller.first_flagged_at, scanned_at)
    now = utcnow()
    case = ReviewCase(
        seller_id=seller_pk,
        status="open",
        priority=priority,
        risk=risk,
        opened_at=now,
        updated_at=now,
        first_flagged_at=first_flagged,
        last_scanned_at=scanned_at,
    )
    try:
        with session.begin_nested():
            session.add(case)
            session.flush()
    except IntegrityError:
        # Lost the race: someone opened the case between our read and our insert. The
        # savepoint rolled back only our insert; update the winner's case instead.
        winner = open_case_for(session, seller_pk)
        if winner is None:
            raise
        return _update_open(
            session, winner, risk=risk, priority=priority, scanned_at=scanned_at, actor=actor
        )

    data: dict[str, Any] = {"risk": risk, "priority": priority}
    if previous is not None:
        data["previous_case_id"] = previous.id
        data["previous_status"] = previous.status
        data["previous_risk"] = previous.risk
    record_event(session, case, actor, "opened", at=now, to_status="open", note=note, data=data)
    session.flush()
    return CaseChange(action, case.id, note)


def sync_cases(
    session: Session, items: Iterable[CaseSync], *, actor: str = SYSTEM
) -> list[CaseChange]:
    """`sync_case` for many sellers, in order."""
    return [
        sync_case(
            session,
            item.seller_pk,
            risk=item.risk,
            flagged=item.flagged,
            priority=item.priority,
            scanned_at=item.scanned_at,
            actor=actor,
        )
        for item in items
    ]


@dataclass
class ScanSync:
    """What `sync_scan` did to the queue for one scan's (or one re-score's) sellers."""

    sellers_flagged: int = 0
    cases_opened: int = 0  # opened or reopened
    reappeared: int = 0  # takedown listings back online ("tái xuất hiện" events)
    cases_updated: int = 0  # rescored or touched
    #: seller pk -> (what the queue did, the case id), for the scan's reports.
    actions: dict[int, tuple[CaseAction, int | None]] = field(default_factory=dict)


def sync_scan(session: Session, sellers: Iterable[SellerResult], *, scanned_at: datetime) -> ScanSync:
    """Bring the queue in line with the sellers a scan (or `listingwatch rescore`) assessed."""
    from review.takedown.reappear import detect_after_scan

    tally = ScanSync()
    # Re-appeared takedowns first: their closed case re-opens, so a seller flagged again updates
    # the case that holds its takedown history instead of opening a new one (issue 16 part 3).
    tally.reappeared = len(detect_after_scan(session))
    for seller in sellers:
        if seller.assessment.flagged:
            tally.sellers_flagged += 1
        change = sync_case(session, seller.seller_pk, risk=seller.assessment.risk, flagged=seller.assessment.flagged,
                           priority=seller.priority, scanned_at=scanned_at)
        tally.actions[seller.seller_pk] = (change.action, change.case_id)
        if change.action in ("opened", "reopened"):
            tally.cases_opened += 1
        elif change.action in ("rescored", "touched"):
            tally.cases_updated += 1
    # Seller networks span every stored seller, so they are recomputed once per scan, here
    # where every scan and rescore ends (issue 16). Imported late: networkx is not small.
    from review.networks.store import rebuild_after_scan

    rebuild_after_scan(session)
    tally.reappeared += len(detect_after_scan(session))  # again: the rebuild may link a new shop
    return tally


def _update_open(
    session: Session,
    case: ReviewCase,
    *,
    risk: float,
    priority: float,
    scanned_at: datetime,
    actor: str,
) -> CaseChange:
    old_risk = case.risk
    case.priority = priority
    if scanned_at > case.last_scanned_at:
        case.last_scanned_at = scanned_at
    if abs(risk - old_risk) <= RISK_EPSILON:
        session.flush()
        return CaseChange("touched", case.id, "risk unchanged")
    if round(risk, 2) == round(old_risk, 2):
        # A change no one can see (risk is shown to 2 decimals) is kept, not logged:
        # "risk 0.98 -> 0.98" in the timeline only buries the real events.
        case.risk = risk
        session.flush()
        return CaseChange("touched", case.id, "risk unchanged at 2 decimals")
    now = utcnow()
    case.risk = risk
    case.updated_at = now
    reason = f"risk {old_risk:.2f} -> {risk:.2f}"
    record_event(
        session,
        case,
        actor,
        "rescored",
        at=now,
        note=reason,
        data={
            "risk_from": old_risk,
            "risk_to": risk,
            "priority": priority,
            "scanned_at": scanned_at.isoformat(),
        },
    )
    session.flush()
    return CaseChange("rescored", case.id, reason)
