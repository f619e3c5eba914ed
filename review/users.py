"""Users of the web app: roles and password hashing (Argon2id)."""

from __future__ import annotations

from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import User

ROLES: tuple[str, ...] = ("analyst", "inspector", "admin")
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()


class UserError(ValueError):
    """A user could not be created or changed; the message says why."""


def create_user(session: Session, name: str, role: str, password: str) -> User:
    name = name.strip()
    if name == "":
        raise UserError("user name is empty")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password must be at least {MIN_PASSWORD_LENGTH} characters (read from stdin)")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise UserError(f"user {name!r} already exists")
    user = User(
        name=name,
        role=role,
        password_hash=_hasher.hash(password),
        active=True,
        created_at=datetime.now(UTC),
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, or None. Same work either way."""
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None or not user.active:
        # Hash anyway so a missing user takes as long as a wrong password.
        _hasher.hash(password)
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user
