"""The evidence index of a crawl's WARC captures (rows of `evidence`).

The crawler archives each response as a WARC file (`crawler.evidence.WarcCaptureExtension`)
but does not write to storage itself: the scan names this class in the crawl's settings
(``LISTINGWATCH_EVIDENCE_INDEX``), as it names the item pipeline, and the extension hands
each capture to it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from detectors.vntime import local_time
from storage import repo
from storage.db import session_factory


class EvidenceIndex:
    """Looks up earlier captures of a body and records new ones, one transaction each."""

    def __init__(self, db_url: str) -> None:
        self._sessions: sessionmaker[Session] = session_factory(db_url)

    def original(self, payload_sha256: str) -> tuple[str, datetime] | None:
        """URL and time of the stored response record with this body, if any."""
        with self._sessions() as session:
            row = repo.original_response(session, payload_sha256)
            if row is None or row.url is None:
                return None
            return row.url, row.captured_at

    def record_warc(self, *, path: str, sha256: str, size: int, scan_run_id: int | None, url: str,
                    captured_at: datetime, payload_sha256: str, record_type: str, http_status: int) -> None:
        with self._sessions() as session, session.begin():
            repo.record_evidence(
                session, kind="warc", path=path, sha256=sha256, size=size,
                scan_run_id=scan_run_id, url=url, media_type="application/warc",
                captured_at=captured_at, captured_at_local=local_time(captured_at).isoformat(),
                payload_sha256=payload_sha256, record_type=record_type, http_status=http_status,
            )
