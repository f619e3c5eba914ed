"""`user add|passwd|list|deactivate`: users of the web app (passwords from stdin)."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from cli.app import DbOption, _db_url, _sessions, app, err, fail

user_app = typer.Typer(help="Users of the web app.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option("--role", help="analyst, inspector or admin.")],
    db: DbOption = None,
) -> None:
    """Create a user of the web app; the password is read from stdin."""
    from review.users import UserError, create_user
    from storage.db import upgrade

    password = sys.stdin.readline().rstrip("\n")
    upgrade(_db_url(db))
    factory = _sessions(db)
    try:
        with factory() as session, session.begin():
            create_user(session, name, role, password)
    except UserError as exc:
        raise fail(str(exc), 2) from exc
    err.print(f"user {name!r} added with role {role}", markup=False)


@user_app.command("passwd")
def user_passwd(
    name: Annotated[str, typer.Argument(help="Login name.")],
    db: DbOption = None,
) -> None:
    """Set a user's password (read from stdin); all of the user's web sessions end."""
    from review.users import set_password

    password = sys.stdin.readline().rstrip("\n")
    ended = _change_user(db, name, lambda session, user: set_password(session, user, password))
    err.print(f"password of {name!r} changed; {ended} web session(s) ended", markup=False)


@user_app.command("list")
def user_list(db: DbOption = None) -> None:
    """Users, their roles and whether they may log in."""
    from review.users import list_users

    with _sessions(db)() as session:
        for user in list_users(session):
            state = "active" if user.active else "deactivated"
            sys.stdout.write(f"{user.name}\t{user.role}\t{state}\n")  # tab-separated, for scripts


@user_app.command("deactivate")
def user_deactivate(
    name: Annotated[str, typer.Argument(help="Login name.")],
    db: DbOption = None,
) -> None:
    """Stop a user from logging in; their web sessions end at once."""
    from review.users import set_active

    ended = _change_user(db, name, lambda session, user: set_active(session, user, False))
    err.print(f"user {name!r} deactivated; {ended} web session(s) ended", markup=False)


def _change_user(db: str | None, name: str, change: Any) -> int:
    """Apply ``change(session, user) -> sessions ended`` to the user called ``name``, in
    one transaction; an unknown name or a refused change is a usage error (exit 2)."""
    from review.users import UserError, find_user

    try:
        with _sessions(db)() as session, session.begin():
            ended: int = change(session, find_user(session, name))
            return ended
    except UserError as exc:
        raise fail(str(exc), 2) from exc
