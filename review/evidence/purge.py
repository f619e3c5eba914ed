"""Retention: evidence of dismissed cases goes after `retention_days_dismissed`; sellers with
a confirmed, referred or open case are never purged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from review.evidence.settings import (
    KEEP_STATUSES,
    SYSTEM,
    EvidenceConfigError,
    load_evidence_settings,
)
from storage import repo
from storage.db import session_factory
from storage.evidence_store import EvidenceStore, default_root
from storage.models import Evidence, Listing, ReviewCase


@dataclass
class PurgeReport:
    sellers: list[int] = field(default_factory=list)
    rows_deleted: int = 0
    files_deleted: int = 0
    bytes_freed: int = 0
    dry_run: bool = False


def purge(
    db_url: str,
    *,
    retention_days: int | None = None,
    now: datetime | None = None,
    actor: str = SYSTEM,
    store: EvidenceStore | None = None,
    dry_run: bool = False,
) -> PurgeReport:
    """Delete evidence of sellers whose case was dismissed more than `retention_days` ago.

    A seller keeps everything while any of its cases is open, in review, confirmed or
    referred. A WARC response record that another seller's surviving revisit points at is
    kept (it holds the shared body), and a file is removed only when no row uses it.
    """
    days = load_evidence_settings().retention_days_dismissed if retention_days is None \
        else retention_days
    if days < 0:
        raise EvidenceConfigError("retention days cannot be negative")
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=days)
    store = store or EvidenceStore(default_root(db_url))
    report = PurgeReport(dry_run=dry_run)
    sessions = session_factory(db_url)
    unlink: list[str] = []
    with sessions() as session, session.begin():
        kept = select(ReviewCase.seller_id).where(ReviewCase.status.in_(KEEP_STATUSES))
        last_dismissed = (
            select(ReviewCase.seller_id, func.max(ReviewCase.closed_at).label("closed"),
                   func.max(ReviewCase.id).label("case_id"))
            .where(ReviewCase.status == "dismissed")
            .group_by(ReviewCase.seller_id).subquery()
        )
        candidates = session.execute(
            select(last_dismissed.c.seller_id, last_dismissed.c.case_id)
            .where(last_dismissed.c.closed <= cutoff, last_dismissed.c.seller_id.not_in(kept))
            .order_by(last_dismissed.c.seller_id)
        ).all()
        for seller_pk, case_id in candidates:
            rows = list(session.scalars(
                select(Evidence).join(Listing, Evidence.listing_id == Listing.id)
                .where(Listing.seller_id == seller_pk)))
            if not rows:
                continue
            ids = {r.id for r in rows}
            doomed = []
            for row in rows:
                if row.record_type == "response" and row.payload_sha256 is not None:
                    needed = session.scalar(select(func.count(Evidence.id)).where(
                        Evidence.payload_sha256 == row.payload_sha256,
                        Evidence.record_type == "revisit", Evidence.id.not_in(ids)))
                    if needed:
                        continue
                doomed.append(row)
            report.sellers.append(seller_pk)
            report.rows_deleted += len(doomed)
            paths = {r.path for r in doomed}
            if dry_run:
                continue
            doomed_ids = [r.id for r in doomed]
            session.execute(delete(Evidence).where(Evidence.id.in_(doomed_ids)),
                            execution_options={"synchronize_session": False})
            freed = 0
            for path in sorted(paths):
                still_used = session.scalar(select(func.count(Evidence.id))
                                            .where(Evidence.path == path))
                if not still_used and path not in unlink:
                    unlink.append(path)
                    target = store.path(path)
                    freed += target.stat().st_size if target.exists() else 0
            report.bytes_freed += freed
            repo.record_custody(
                session, action="purge", actor=actor, case_id=case_id, at=now,
                detail={"seller_id": seller_pk, "evidence_rows": len(doomed_ids),
                        "bytes_freed": freed, "retention_days": days},
            )
    # Files go only after the deletions are committed: a failed transaction leaves both.
    for path in unlink:
        store.delete(path)
        report.files_deleted += 1
    return report
