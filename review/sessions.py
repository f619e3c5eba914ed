"""Web sessions kept on the server (issue 14 item 7), so that they can be ended.

A signed cookie alone cannot be revoked: after logout a saved copy kept working for the
rest of its 8 hours. Now the cookie carries a random token and `WebSession` holds the
token's SHA-256 with the user and the expiry; every request looks the row up. Logout
deletes the row; a password change or deactivation deletes every row of the user
(`end_all`), from the web app or the CLI alike.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import User, WebSession


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Session, user_id: int, max_age_s: int) -> str:
    """A new session for the user; returns the token that goes into the cookie."""
    now = datetime.now(UTC)
    # Housekeeping: this user's expired rows go when they log in again.
    db.execute(delete(WebSession).where(WebSession.user_id == user_id, WebSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    db.add(WebSession(id=_digest(token), user_id=user_id, created_at=now,
                      expires_at=now + timedelta(seconds=max_age_s)))
    return token


def user_for(db: Session, token: str) -> User | None:
    """The active user of a live session, or None (ended, expired, unknown, deactivated)."""
    now = datetime.now(UTC)
    return db.scalar(
        select(User)
        .join(WebSession, WebSession.user_id == User.id)
        .where(WebSession.id == _digest(token), WebSession.expires_at > now, User.active.is_(True))
    )


def end(db: Session, token: str) -> None:
    db.execute(delete(WebSession).where(WebSession.id == _digest(token)))


def end_all(db: Session, user_id: int) -> int:
    """End every session of the user; returns how many there were."""
    result = db.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)
