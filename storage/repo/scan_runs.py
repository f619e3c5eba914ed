"""Scan runs: start and finish, with counts and status."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.models import (
    SCAN_KINDS,
    SCAN_STATUSES,
    ScanRun,
    utcnow,
)
from storage.repo._common import (
    _aware,
)


def start_scan_run(
    session: Session,
    kind: str,
    platform: str | None = None,
    params: Mapping[str, Any] | None = None,
    *,
    started_at: datetime | None = None,
) -> ScanRun:
    """Record that a scan has started (status `running`)."""
    if kind not in SCAN_KINDS:
        raise ValueError(f"unknown scan kind {kind!r}; expected one of {', '.join(SCAN_KINDS)}")
    run = ScanRun(
        kind=kind,
        platform=platform,
        params=dict(params or {}),
        started_at=_aware(started_at or utcnow(), "started_at"),
        status="running",
        counts={},
    )
    session.add(run)
    session.flush()
    return run


def finish_scan_run(
    session: Session,
    run_id: int,
    status: str,
    reason: str | None = None,
    counts: Mapping[str, Any] | None = None,
    *,
    finished_at: datetime | None = None,
) -> ScanRun:
    """Close a scan run: final status (`ok`, `partial`, `failed`), why, and its counts.

    `counts` is merged over what the run already recorded.
    """
    if status not in SCAN_STATUSES or status == "running":
        raise ValueError(f"cannot finish a scan run as {status!r}; expected ok, partial or failed")
    # Locked like storage.runs.record_progress, which crawls use to write progress into counts.
    run = session.get(ScanRun, run_id, with_for_update=True, populate_existing=True)
    if run is None:
        raise LookupError(f"scan run {run_id} does not exist")
    run.status = status
    run.reason = reason
    run.finished_at = _aware(finished_at or utcnow(), "finished_at")
    run.counts = {**(run.counts or {}), **dict(counts or {})}
    session.flush()
    return run
