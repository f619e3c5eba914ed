"""Preserved evidence files in the web app: `/evidence/<id>`.

Split out of `routes.py`. A file is handed out only after its SHA-256 matches the record, and
only to a user who may see the case it belongs to (`can_see_evidence`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from review.web import helpers as web
from review.web.bounds import DbId
from review.web.security import can_see_evidence
from storage import repo
from storage.models import Evidence, User

router = APIRouter()

CurrentUser = Annotated[User, Depends(web.current_user)]


#: Evidence a browser may show inline; everything else (raw HTML, WARC) is a download, so
#: a captured page's scripts never run on our origin.
INLINE_MEDIA: Final = ("image/png", "image/jpeg", "image/webp")


@router.get("/evidence/{evidence_id}")
def evidence(request: Request, evidence_id: DbId, user: CurrentUser) -> Response:
    """A preserved file, checked against its recorded SHA-256 before it is handed out."""
    state = web.state_of(request)
    with state.tx() as session:
        row = session.get(Evidence, evidence_id)
        # Not 403: a capture the user may not see is not confirmed to exist either.
        if row is None or not can_see_evidence(session, user, row):
            raise HTTPException(404)
        data = _evidence_bytes(state.db_url, row.path)
        if data is None:
            raise HTTPException(404)
        if hashlib.sha256(data).hexdigest() != row.sha256:
            web.log.error("evidence %s does not match its SHA-256: refused", row.id)
            raise HTTPException(409, f"evidence {row.id} does not match its recorded SHA-256")
        # Chain of custody (issue #7) when the store provides it: who viewed what, when.
        record = getattr(repo, "record_custody", None)
        if callable(record):
            record(
                session,
                action="view",
                actor=user.name,
                evidence_id=row.id,
                detail={"via": "web", "sha256": row.sha256},
            )
        media, sha, kind, eid = row.media_type, row.sha256, row.kind, row.id
        suffix = "".join(Path(row.path).suffixes[-2:]) or ".bin"
    inline = kind == "screenshot" and media in INLINE_MEDIA
    headers = {
        "X-Evidence-SHA256": sha,
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'",
    }
    if not inline:
        headers["Content-Disposition"] = f'attachment; filename="evidence-{eid}-{kind}{suffix}"'
    return Response(
        data,
        media_type=media if inline and media is not None else "application/octet-stream",
        headers=headers,
    )


def _evidence_bytes(db_url: str, stored_path: str) -> bytes | None:
    """The file's bytes: absolute paths as recorded, relative ones under the evidence store."""
    path = Path(stored_path)
    if not path.is_absolute():
        try:
            from storage.evidence_store import EvidenceStore, EvidenceStoreError, default_root
        except ImportError:  # a tree without the content-addressed store (issue #7)
            return None
        try:
            path = EvidenceStore(default_root(db_url)).path(stored_path)
        except EvidenceStoreError:
            return None
    return path.read_bytes() if path.is_file() else None
