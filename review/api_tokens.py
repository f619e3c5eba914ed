"""Personal API tokens (issue 17 item 4): create, list, revoke, and look up a caller.

A token is `lw_` + 32 random bytes (URL-safe base64). It is shown once, when made; the
database keeps its SHA-256 only (a salted slow hash would add nothing: the token has 256
bits of entropy, so there is nothing to guess from the digest), plus a short prefix so a
list can tell tokens apart. A revoked token, or any token of a deactivated user, stops
working at once: every call looks the row and the user up.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from storage.models import API_TOKEN_SCOPES, ApiToken, User

TOKEN_PREFIX: Final = "lw_"  # noqa: S105 (marks our tokens; not a secret)
#: Characters of the token kept in clear for lists: "lw_" + 8 of the random part.
SHOWN_CHARS: Final = 11
#: `last_used_at` is rewritten at most this often, so a busy script does not turn every
#: read into a database write.
LAST_USED_RESOLUTION: Final = timedelta(minutes=1)


class TokenError(ValueError):
    """A token could not be created or revoked; the message says why."""


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling with a valid token, and what the token allows."""

    user: User
    token_id: int
    scope: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session, user: User, scope: str, *, created_by: str, name: str | None = None
) -> tuple[ApiToken, str]:
    """A new token for an active user; returns the row and the token (shown only now)."""
    if scope not in API_TOKEN_SCOPES:
        raise TokenError(f"unknown scope {scope!r}; expected one of {', '.join(API_TOKEN_SCOPES)}")
    if not user.active:
        raise TokenError(f"user {user.name!r} is deactivated")
    label = None if name is None or name.strip() == "" else name.strip()[:100]
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_hash=digest(token),
        prefix=token[:SHOWN_CHARS],
        scope=scope,
        name=label,
        created_at=datetime.now(UTC),
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return row, token


def list_tokens(session: Session, *, user_id: int | None = None) -> list[ApiToken]:
    """Tokens newest first (revoked ones too: the list is also a record of who had access)."""
    stmt = select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.id.desc())
    if user_id is not None:
        stmt = stmt.where(ApiToken.user_id == user_id)
    return list(session.scalars(stmt))


def revoke_token(session: Session, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise TokenError(f"no API token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.flush()
    return row


def caller_for(session: Session, token: str) -> Caller | None:
    """The caller of a live token of an active user, or None; records when it was used."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalar(
        select(ApiToken)
        .join(User, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == digest(token), ApiToken.revoked_at.is_(None), User.active.is_(True))
        .options(joinedload(ApiToken.user))
    )
    if row is None:
        return None
    now = datetime.now(UTC)
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        session.flush()
    return Caller(user=row.user, token_id=row.id, scope=row.scope)


def token_state(row: ApiToken) -> str:
    """"revoked", "inactive" (its user is deactivated) or "active"."""
    if row.revoked_at is not None:
        return "revoked"
    if not row.user.active:
        return "inactive"
    return "active"


__all__ = [
    "Caller",
    "TokenError",
    "caller_for",
    "create_token",
    "digest",
    "list_tokens",
    "revoke_token",
    "token_state",
]
