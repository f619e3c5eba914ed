"""Users of the web app: roles, password hashing (Argon2id), password changes, deactivation.

A password change or a deactivation ends every web session of the user
(`review.sessions.end_all`), whether it is done from the web app or the CLI."""

from __future__ import annotations

from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from review.passwords import MIN_PASSWORD_LENGTH, password_problem
from review.sessions import end_all
from storage.models import User

ROLES: tuple[str, ...] = ("analyst", "inspector", "admin")

_hasher = PasswordHasher()


class UserError(ValueError):
    """A user could not be created or changed; the message says why."""


def create_user(session: Session, name: str, role: str, password: str) -> User:
    name = name.strip()
    if name == "":
        raise UserError("user name is empty")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    problem = password_problem(password, name)
    if problem is not None:
        raise UserError(problem)
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


def find_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None:
        raise UserError(f"no user {name.strip()!r}")
    return user


def known_actor(session: Session, name: str) -> str:
    """`name` when it is an active user's name, for `--as` / `--actor`; else `UserError`.

    An audit trail that accepts any name proves nothing: "thanh.tra" must be a real user."""
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None or not user.active:
        raise UserError(f"no active user {name.strip()!r} (see `listingwatch user list`)")
    return user.name


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def set_password(session: Session, user: User, password: str) -> int:
    """Give the user a new password; ends all their sessions (returns how many)."""
    problem = password_problem(password, user.name)
    if problem is not None:
        raise UserError(problem)
    user.password_hash = _hasher.hash(password)
    session.flush()
    return end_all(session, user.id)


def set_active(session: Session, user: User, active: bool) -> int:
    """(De)activate the user; deactivating ends all their sessions (returns how many)."""
    user.active = active
    session.flush()
    return 0 if active else end_all(session, user.id)


__all__ = [
    "MIN_PASSWORD_LENGTH",
    "ROLES",
    "UserError",
    "authenticate",
    "create_user",
    "find_user",
    "known_actor",
    "list_users",
    "set_active",
    "set_password",
]
