"""Extraction errors kept as evidence, evidence rows and the custody log."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import Session

from storage.models import (
    CUSTODY_ACTIONS,
    EVIDENCE_KINDS,
    EVIDENCE_RECORD_TYPES,
    Evidence,
    EvidenceAccess,
    ExtractionError,
    utcnow,
)
from storage.repo._common import (
    _aware,
)

#: Keep this much of a body that failed extraction, to see what came back.
BODY_EXCERPT_CHARS = 4_000


def record_extraction_error(
    session: Session,
    scan_run_id: int | None,
    url: str,
    expected: str | None,
    message: str,
    *,
    body: bytes | str | None = None,
    body_sha256: str | None = None,
    at: datetime | None = None,
) -> ExtractionError:
    """Count and keep a response its extractor could not understand (DESIGN §4.2)."""
    excerpt: str | None = None
    if body is not None:
        raw = body.encode("utf-8") if isinstance(body, str) else body
        if body_sha256 is None:
            body_sha256 = hashlib.sha256(raw).hexdigest()
        text_body = body if isinstance(body, str) else body.decode("utf-8", errors="replace")
        excerpt = text_body[:BODY_EXCERPT_CHARS]
    row = ExtractionError(
        scan_run_id=scan_run_id,
        url=url,
        expected=expected,
        message=message,
        body_sha256=body_sha256,
        body_excerpt=excerpt,
        at=_aware(at or utcnow(), "at"),
    )
    session.add(row)
    session.flush()
    return row


def record_evidence(
    session: Session,
    *,
    kind: str,
    path: str,
    sha256: str,
    size: int,
    listing_id: int | None = None,
    scan_run_id: int | None = None,
    url: str | None = None,
    media_type: str | None = None,
    captured_at: datetime | None = None,
    captured_at_local: str | None = None,
    payload_sha256: str | None = None,
    record_type: str | None = None,
    http_status: int | None = None,
) -> Evidence:
    """Index a preserved artefact (the file itself lives at `path`)."""
    if kind not in EVIDENCE_KINDS:
        raise ValueError(
            f"unknown evidence kind {kind!r}; expected one of {', '.join(EVIDENCE_KINDS)}"
        )
    if record_type is not None and record_type not in EVIDENCE_RECORD_TYPES:
        raise ValueError(
            f"unknown evidence record type {record_type!r}; "
            f"expected one of {', '.join(EVIDENCE_RECORD_TYPES)}"
        )
    row = Evidence(
        kind=kind,
        path=path,
        sha256=sha256,
        size=size,
        listing_id=listing_id,
        scan_run_id=scan_run_id,
        url=url,
        media_type=media_type,
        captured_at=_aware(captured_at or utcnow(), "captured_at"),
        captured_at_local=captured_at_local,
        payload_sha256=payload_sha256,
        record_type=record_type,
        http_status=http_status,
    )
    session.add(row)
    session.flush()
    return row


def original_response(session: Session, payload_sha256: str) -> Evidence | None:
    """The earliest WARC `response` record holding this body (what a revisit refers to)."""
    stmt = (
        select(Evidence)
        .where(Evidence.payload_sha256 == payload_sha256, Evidence.record_type == "response")
        .order_by(Evidence.captured_at, Evidence.id)
        .limit(1)
    )
    return session.scalar(stmt)


def record_custody(
    session: Session,
    *,
    action: str,
    actor: str,
    case_id: int | None = None,
    evidence_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> EvidenceAccess:
    """Append one entry to the chain-of-custody log (capture, export, view, verify, purge)."""
    if action not in CUSTODY_ACTIONS:
        raise ValueError(
            f"unknown custody action {action!r}; expected one of {', '.join(CUSTODY_ACTIONS)}"
        )
    if not actor.strip():
        raise ValueError("a custody entry needs an actor (who did it)")
    row = EvidenceAccess(
        action=action,
        actor=actor,
        case_id=case_id,
        evidence_id=evidence_id,
        detail=dict(detail or {}),
        at=_aware(at or utcnow(), "at"),
    )
    session.add(row)
    session.flush()
    return row
