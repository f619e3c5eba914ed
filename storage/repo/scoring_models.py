"""The registry of learned scoring models (issue 13): what `listingwatch learn` wrote, with
the SHA-256 each file must still have, and which one (at most) is active."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import ScoringModel


def register_model(session: Session, version: str, path: str, sha256: str, card: dict[str, Any]) -> ScoringModel:
    row = ScoringModel(version=version, path=path, sha256=sha256, card=card, active=False)
    session.add(row)
    session.flush()
    return row


def activate_model(session: Session, version: str | None) -> ScoringModel | None:
    """Make `version` the one active model (None: none, the hand weights score)."""
    row = None
    if version is not None:
        row = session.scalar(select(ScoringModel).where(ScoringModel.version == version))
        if row is None:
            raise LookupError(f"no model version {version!r}")
    session.execute(update(ScoringModel).where(ScoringModel.active.is_(True)).values(active=False))
    if row is not None:
        row.active = True
    session.flush()
    return row


def active_model(session: Session) -> ScoringModel | None:
    return session.scalar(select(ScoringModel).where(ScoringModel.active.is_(True)).limit(1))


def model_by_version(session: Session, version: str) -> ScoringModel | None:
    return session.scalar(select(ScoringModel).where(ScoringModel.version == version))


def model_by_sha256(session: Session, sha256: str) -> ScoringModel | None:
    return session.scalar(
        select(ScoringModel).where(ScoringModel.sha256 == sha256).order_by(ScoringModel.id.desc()).limit(1)
    )


def list_models(session: Session) -> list[ScoringModel]:
    return list(session.scalars(select(ScoringModel).order_by(ScoringModel.created_at, ScoringModel.id)))
