"""The review queue (DESIGN §4.6): one open case per seller, decisions, and an audit trail.

The detectors' output (risk, priority) flows in through `sync_case`; people act through
`assign`, `decide` and `add_note`. Every change is a `CaseEvent` naming who and when, so
the detector's view and the reviewer's decision stay apart.

Status flow: ``open → in_review → confirmed | dismissed | referred``; an open case may be
decided directly; a confirmed case may still be referred, or dismissed to correct it.
Closed cases are not reopened; a seller flagged again gets a *new* case,
except that a dismissal holds until the seller's risk rises above the risk it was
dismissed at.

Functions flush but never commit. Domain errors (`CaseNotFound`, `InvalidTransition`,
`NoteRequired`, `UserNotFound`) are for the CLI / web edge to map to exit codes or HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Literal

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from storage.models import (
    CASE_STATUSES,
    OPEN_CASE_STATUSES,
    CaseEvent,
    ReviewCase,
    Seller,
    User,
    utcnow,
)

if TYPE_CHECKING:
    from pipeline.batch import SellerResult

SYSTEM: Final = "system"
CLOSED_STATUSES: Final = ("confirmed", "dismissed", "referred")
TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    "open": frozenset({"in_review", "confirmed", "dismissed", "referred"}),
    "in_review": frozenset({"confirmed", "dismissed", "referred"}),
    # A confirmed violation is referred for enforcement, or dismissed to correct a mistaken
    # confirmation (with the reason, in the audit trail like every decision).
    "confirmed": frozenset({"referred", "dismissed"}),
    "dismissed": frozenset(),
    "referred": frozenset(),
}
#: Risk changes smaller than this are float noise, not a rescoring.
RISK_EPSILON: Final = 1e-9


class ReviewError(Exception):
    """Base of the queue's domain errors."""


class CaseNotFound(ReviewError, LookupError):
    def __init__(self, case_id: int) -> None:
        super().__init__(f"case {case_id} does not exist")
        self.case_id = case_id


class UserNotFound(ReviewError, LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"no active user named {name!r}")
        self.name = name


class InvalidTransition(ReviewError, ValueError):
    def __init__(self, case_id: int, from_status: str, to_status: str, why: str = "") -> None:
        allowed = ", ".join(sorted(TRANSITIONS.get(from_status, ()))) or "none (case is closed)"
        message = f"case {case_id}: cannot go from {from_status!r} to {to_status!r}"
        super().__init__(f"{message}; {why or f'allowed: {allowed}'}")
        self.case_id = case_id
        self.from_status = from_status
        self.to_status = to_status


class NoteRequired(ReviewError, ValueError):
    def __init__(self) -> None:
        super().__init__("a decision needs a note saying why")


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
    _require_aware(scanned_at)
    actor = _actor(actor)
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
    _event(session, case, actor, "opened", at=now, to_status="open", note=note, data=data)
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
    _event(
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


def open_case_for(session: Session, seller_pk: int) -> ReviewCase | None:
    """The seller's open (open / in_review) case, if any."""
    return session.scalar(
        select(ReviewCase).where(
            ReviewCase.seller_id == seller_pk, ReviewCase.status.in_(OPEN_CASE_STATUSES)
        )
    )


def list_cases(
    session: Session,
    *,
    status: str | Sequence[str] | None = None,
    platform: str | None = None,
    min_risk: float | None = None,
    assignee: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[ReviewCase]:
    """Cases, most urgent first (priority, then risk, then oldest), with seller and assignee loaded."""
    stmt = _filtered(
        select(ReviewCase), status=status, platform=platform, min_risk=min_risk, assignee=assignee
    )
    stmt = (
        stmt.options(joinedload(ReviewCase.seller), joinedload(ReviewCase.assignee))
        .order_by(
            ReviewCase.priority.desc(), ReviewCase.risk.desc(), ReviewCase.opened_at, ReviewCase.id
        )
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(stmt))


def count_cases(
    session: Session,
    *,
    status: str | Sequence[str] | None = None,
    platform: str | None = None,
    min_risk: float | None = None,
    assignee: str | None = None,
) -> int:
    stmt = _filtered(
        select(func.count(ReviewCase.id)),
        status=status,
        platform=platform,
        min_risk=min_risk,
        assignee=assignee,
    )
    return int(session.scalar(stmt) or 0)


def get_case(session: Session, case_id: int) -> ReviewCase:
    """One case with its seller, assignee and events (oldest first); `CaseNotFound` if absent."""
    case = session.scalar(
        select(ReviewCase)
        .where(ReviewCase.id == case_id)
        .options(
            joinedload(ReviewCase.seller),
            joinedload(ReviewCase.assignee),
            selectinload(ReviewCase.events),
        )
        .execution_options(populate_existing=True)
    )
    if case is None:
        raise CaseNotFound(case_id)
    return case


def assign(
    session: Session,
    case_id: int,
    assignee_name: str | None,
    actor: str,
    *,
    at: datetime | None = None,
) -> ReviewCase:
    """Give an open case to a reviewer (None unassigns). The status does not change."""
    actor = _actor(actor)
    case = _lock_case(session, case_id)
    if case.status not in OPEN_CASE_STATUSES:
        raise InvalidTransition(
            case_id, case.status, case.status, "a closed case cannot be assigned"
        )
    user: User | None = None
    if assignee_name is not None:
        user = session.scalar(select(User).where(User.name == assignee_name, User.active.is_(True)))
        if user is None:
            raise UserNotFound(assignee_name)
    previous = case.assignee.name if case.assignee is not None else None
    now = at or utcnow()
    _require_aware(now)
    case.assignee = user
    case.updated_at = now
    _event(
        session,
        case,
        actor,
        "assigned",
        at=now,
        note=None,
        data={"from": previous, "to": None if user is None else user.name},
    )
    session.flush()
    return case


def decide(
    session: Session,
    case_id: int,
    status: str,
    note: str | None,
    actor: str,
    *,
    at: datetime | None = None,
) -> ReviewCase:
    """Move a case to `status` with a reason. Closing a case freezes its risk."""
    actor = _actor(actor)
    if note is None or note.strip() == "":
        raise NoteRequired()
    case = _lock_case(session, case_id)
    if status not in CASE_STATUSES:
        raise InvalidTransition(
            case_id,
            case.status,
            status,
            f"unknown status; expected one of {', '.join(CASE_STATUSES)}",
        )
    if status not in TRANSITIONS[case.status]:
        raise InvalidTransition(case_id, case.status, status)
    now = at or utcnow()
    _require_aware(now)
    from_status = case.status
    case.status = status
    case.updated_at = now
    if status in CLOSED_STATUSES:
        case.closed_at = now
        case.decision_note = note.strip()
    seller = case.seller
    _event(
        session,
        case,
        actor,
        "status",
        at=now,
        from_status=from_status,
        to_status=status,
        note=note.strip(),
        data={
            "risk": case.risk,
            "rules_version": seller.rules_version if seller is not None else None,
        },
    )
    session.flush()
    return case


def add_note(
    session: Session, case_id: int, note: str, actor: str, *, at: datetime | None = None
) -> CaseEvent:
    """A free-text note on a case (open or closed)."""
    actor = _actor(actor)
    if note.strip() == "":
        raise NoteRequired()
    case = _lock_case(session, case_id)
    now = at or utcnow()
    _require_aware(now)
    event = _event(session, case, actor, "note", at=now, note=note.strip(), data={})
    session.flush()
    return event


def case_events(session: Session, case_id: int) -> list[CaseEvent]:
    return list(
        session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case_id)
            .order_by(CaseEvent.at, CaseEvent.id)
        )
    )


# --------------------------------------------------------------------------- helpers


def _filtered(
    stmt: Select[Any],
    *,
    status: str | Sequence[str] | None,
    platform: str | None,
    min_risk: float | None,
    assignee: str | None,
) -> Select[Any]:
    if status is not None:
        statuses = [status] if isinstance(status, str) else list(status)
        stmt = stmt.where(ReviewCase.status.in_(statuses))
    if platform is not None:
        stmt = stmt.where(
            ReviewCase.seller_id.in_(select(Seller.id).where(Seller.platform == platform))
        )
    if min_risk is not None:
        stmt = stmt.where(ReviewCase.risk >= min_risk)
    if assignee is not None:
        stmt = stmt.where(ReviewCase.assignee_id.in_(select(User.id).where(User.name == assignee)))
    return stmt


def _lock_case(session: Session, case_id: int) -> ReviewCase:
    # Row lock on PostgreSQL so two reviewers deciding at once serialise; no-op on SQLite.
    case = session.get(ReviewCase, case_id, with_for_update=True, populate_existing=True)
    if case is None:
        raise CaseNotFound(case_id)
    return case


def _event(
    session: Session,
    case: ReviewCase,
    actor: str,
    kind: str,
    *,
    at: datetime,
    note: str | None,
    data: dict[str, Any],
    from_status: str | None = None,
    to_status: str | None = None,
) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id,
        at=at,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data,
    )
    session.add(event)
    return event


def _actor(actor: str) -> str:
    actor = actor.strip()
    if actor == "":
        raise ValueError("actor is empty: name the user, or 'system'")
    return actor


def _require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}; give a timezone-aware datetime")
