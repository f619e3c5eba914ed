"""Reading the queue: a seller's open case, the list of cases most urgent first (with the
filters the CLI and the web app offer), one case with its events. Nothing here writes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from review.queue.lifecycle import CaseNotFound
from storage.models import OPEN_CASE_STATUSES, CaseEvent, ReviewCase, Seller, User


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


def case_events(session: Session, case_id: int) -> list[CaseEvent]:
    return list(
        session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case_id)
            .order_by(CaseEvent.at, CaseEvent.id)
        )
    )


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
