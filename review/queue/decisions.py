"""What people do to a case: `assign` it, `decide` it (with the reason), `add_note` to it.

Each action locks the case row first, so two reviewers acting at once serialise, and writes
a `CaseEvent` naming who and when.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.queue.lifecycle import (
    CLOSED_STATUSES,
    TRANSITIONS,
    CaseNotFound,
    InvalidTransition,
    NoteRequired,
    UserNotFound,
    checked_actor,
    record_event,
    require_aware,
)
from storage.models import CASE_STATUSES, OPEN_CASE_STATUSES, CaseEvent, ReviewCase, User, utcnow


def assign(
    session: Session,
    case_id: int,
    assignee_name: str | None,
    actor: str,
    *,
    at: datetime | None = None,
) -> ReviewCase:
    """Give an open case to a reviewer (None unassigns). The status does not change."""
    actor = checked_actor(actor)
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
    require_aware(now)
    case.assignee = user
    case.updated_at = now
    record_event(
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
    actor = checked_actor(actor)
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
    require_aware(now)
    from_status = case.status
    case.status = status
    case.updated_at = now
    if status in CLOSED_STATUSES:
        case.closed_at = now
        case.decision_note = note.strip()
    seller = case.seller
    record_event(
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
    actor = checked_actor(actor)
    if note.strip() == "":
        raise NoteRequired()
    case = _lock_case(session, case_id)
    now = at or utcnow()
    require_aware(now)
    event = record_event(session, case, actor, "note", at=now, note=note.strip(), data={})
    session.flush()
    return event


def _lock_case(session: Session, case_id: int) -> ReviewCase:
    # Row lock on PostgreSQL so two reviewers deciding at once serialise; no-op on SQLite.
    case = session.get(ReviewCase, case_id, with_for_update=True, populate_existing=True)
    if case is None:
        raise CaseNotFound(case_id)
    return case
