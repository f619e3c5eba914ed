"""Personal API tokens for `/api/v1` (issue 17 item 4)."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.core import Base, User, utcnow

#: read: GET only; write: also the calls that change something (an on-demand scan).
API_TOKEN_SCOPES: Final[tuple[str, ...]] = ("read", "write")


class ApiToken(Base):
    """One personal API token of a user.

    Only the token's SHA-256 is kept (`token_hash`): the table alone lets nobody call the
    API. A plain hash is enough because tokens are 32 random bytes, not passwords: there is
    nothing to guess. `prefix` (the first characters of the token) is what lists show, so
    an officer can tell their tokens apart. Revoked tokens stay as rows (who had what, when).
    """

    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint("scope IN ('read', 'write')", name="scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(10))
    name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
