"""On-demand scan requests: queue, claim, finish."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    select,
    update,
)
from sqlalchemy.orm import Session

from storage.models import (
    SCAN_REQUEST_STATUSES,
    ScanRequest,
    utcnow,
)
from storage.repo._common import (
    _aware,
)


def request_scan(
    session: Session,
    url: str,
    requested_by: str,
    *,
    platform: str | None = None,
    seller_key: str | None = None,
) -> ScanRequest:
    """Queue an on-demand seller scan for the worker."""
    row = ScanRequest(
        url=url,
        requested_by=requested_by,
        platform=platform,
        seller_key=seller_key,
        status="queued",
    )
    session.add(row)
    session.flush()
    return row


def claim_scan_request(
    session: Session, *, now: datetime | None = None, request_id: int | None = None
) -> ScanRequest | None:
    """Take the oldest queued request (or request `request_id`, if still queued) and mark it
    running; None when there is nothing to take.

    One ``UPDATE … WHERE id = (oldest queued) RETURNING id`` statement: on PostgreSQL the
    subquery uses ``FOR UPDATE SKIP LOCKED`` so several workers claim different requests
    without waiting on each other; on SQLite the statement is a write from the start, so
    concurrent workers serialise on the write lock.
    """
    now = _aware(now or utcnow(), "now")
    oldest = (
        select(ScanRequest.id)
        .where(ScanRequest.status == "queued")
        .order_by(ScanRequest.created_at, ScanRequest.id)
        .limit(1)
    )
    if request_id is not None:
        # `scan-seller --wait` takes its own request when no daemon worker did.
        oldest = oldest.where(ScanRequest.id == request_id)
    if session.get_bind().dialect.name == "postgresql":
        oldest = oldest.with_for_update(skip_locked=True)
    claimed_id = session.scalar(
        update(ScanRequest)
        .where(ScanRequest.id == oldest.scalar_subquery(), ScanRequest.status == "queued")
        .values(status="running", started_at=now)
        .returning(ScanRequest.id)
        .execution_options(synchronize_session=False)
    )
    if claimed_id is None:
        return None
    return session.get(ScanRequest, claimed_id, populate_existing=True)


def finish_scan_request(
    session: Session,
    request_id: int,
    status: str,
    *,
    scan_run_id: int | None = None,
    error: str | None = None,
    now: datetime | None = None,
) -> ScanRequest:
    if status not in SCAN_REQUEST_STATUSES or status in ("queued", "running"):
        raise ValueError(
            f"cannot finish a scan request as {status!r}; expected done, failed or refused"
        )
    row = session.get(ScanRequest, request_id)
    if row is None:
        raise LookupError(f"scan request {request_id} does not exist")
    row.status = status
    row.finished_at = _aware(now or utcnow(), "now")
    if scan_run_id is not None:
        row.scan_run_id = scan_run_id
    row.error = error
    session.flush()
    return row
