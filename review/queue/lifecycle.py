"""The case lifecycle's rules: statuses and the transitions between them, the queue's domain
errors, and the audit trail (`record_event`) that every change of a case writes.

Both sides of the queue (`review.queue.sync` for the detectors, `review.queue.decisions` for
people) build on this module, so the rules live in one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from storage.models import CaseEvent, ReviewCase

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


# --------------------------------------------------------------------------- the audit trail


def record_event(
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


def checked_actor(actor: str) -> str:
    actor = actor.strip()
    if actor == "":
        raise ValueError("actor is empty: name the user, or 'system'")
    return actor


def require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}; give a timezone-aware datetime")
