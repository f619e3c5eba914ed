"""The chain-of-custody log (`evidence_access`) and a case's evidence rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.evidence.settings import EvidenceError
from storage import repo
from storage.models import Evidence, EvidenceAccess, Listing, ReviewCase


def custody_log(session: Session, case_id: int) -> list[EvidenceAccess]:
    stmt = (select(EvidenceAccess).where(EvidenceAccess.case_id == case_id)
            .order_by(EvidenceAccess.at, EvidenceAccess.id))
    return list(session.scalars(stmt))


def log_view(session: Session, case_id: int, actor: str, evidence_id: int | None = None) -> None:
    """Record that someone looked at a case's evidence (the web app calls this too)."""
    repo.record_custody(session, action="view", actor=actor, case_id=case_id,
                        evidence_id=evidence_id)


def case_evidence(session: Session, case_id: int) -> list[Evidence]:
    """Every evidence row of the case's seller's listings, oldest first."""
    case = session.get(ReviewCase, case_id)
    if case is None:
        raise EvidenceError(f"case {case_id} does not exist")
    stmt = (
        select(Evidence).join(Listing, Evidence.listing_id == Listing.id)
        .where(Listing.seller_id == case.seller_id)
        .order_by(Evidence.listing_id, Evidence.captured_at, Evidence.id)
    )
    return list(session.scalars(stmt))
