"""`token create|list|revoke`: personal tokens for the JSON API (`/api/v1`, issue 17 item 4)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cli.app import DbOption, _db_url, _sessions, app, err, fail

token_app = typer.Typer(help="Personal API tokens (Authorization: Bearer ...).", no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Argument(help="The user the token acts as (same role, same limits).")],
    scope: Annotated[str, typer.Option("--scope", help="read (GET only) or write.")] = "read",
    name: Annotated[str | None, typer.Option("--name", help="A label, e.g. the script that uses it.")] = None,
    db: DbOption = None,
) -> None:
    """Make a token; it is printed once, on the last line of stdout, and never again."""
    from review.api_tokens import TokenError, create_token
    from review.users import UserError, find_user
    from storage.db import upgrade

    upgrade(_db_url(db))
    try:
        with _sessions(db)() as session, session.begin():
            owner = find_user(session, user)
            row, token = create_token(session, owner, scope, created_by="cli", name=name)
            token_id, prefix = row.id, row.prefix
    except (UserError, TokenError) as exc:
        raise fail(str(exc), 2) from exc
    err.print(
        f"API token {token_id} ({prefix}…, scope {scope}) for {user!r}; it is shown only now:",
        markup=False,
    )
    # Alone on the last line of stdout, so `| tail -n 1` captures it for a script.
    sys.stdout.write(token + "\n")


@token_app.command("list")
def token_list(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's tokens.")] = None,
    db: DbOption = None,
) -> None:
    """Tokens, newest first: id, user, scope, prefix, state, created, last used (tab-separated)."""
    from detectors.vntime import format_local
    from review.api_tokens import list_tokens, token_state
    from review.users import UserError, find_user

    with _sessions(db)() as session:
        try:
            user_id = None if user is None else find_user(session, user).id
        except UserError as exc:
            raise fail(str(exc), 2) from exc
        for row in list_tokens(session, user_id=user_id):
            used = "never" if row.last_used_at is None else format_local(row.last_used_at)
            fields = [str(row.id), row.user.name, row.scope, row.prefix + "…", token_state(row),
                      format_local(row.created_at), used, row.name or ""]
            sys.stdout.write("\t".join(fields) + "\n")


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `token list`).")],
    db: DbOption = None,
) -> None:
    """Revoke a token; calls with it are refused (401) from now on."""
    from review.api_tokens import TokenError, revoke_token

    try:
        with _sessions(db)() as session, session.begin():
            row = revoke_token(session, token_id)
            prefix = row.prefix
    except TokenError as exc:
        raise fail(str(exc), 2) from exc
    err.print(f"API token {token_id} ({prefix}…) revoked", markup=False)
