"""API tokens on the admin page (`/admin/users`): make one for a user, revoke one.

The list is a template global (`api_tokens`, set by the app factory, like the case page's
seller network) so the users page's route stays as it is. A new token is shown in the answer to the POST itself,
never put in the flash messages: those travel in the (signed, not encrypted) cookie.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from review import users as accounts
from review.api_tokens import TokenError, create_token, list_tokens, revoke_token, token_state
from review.users import ROLES
from review.web import helpers as web
from review.web.bounds import DbId
from review.web.i18n import translate
from review.web.security import require
from storage.models import User

router = APIRouter()

CurrentUser = Annotated[User, Depends(web.current_user)]


def api_tokens(request: Request) -> list[dict[str, object]]:
    """Every token, newest first, for the admin page (prefix only: the token is not kept)."""
    with web.state_of(request).db() as session:
        return [
            {"id": t.id, "user": t.user.name, "scope": t.scope, "prefix": t.prefix, "name": t.name,
             "created_at": t.created_at, "last_used_at": t.last_used_at, "state": token_state(t)}
            for t in list_tokens(session)
        ]


@router.post("/admin/tokens")
def add_token(
    request: Request,
    user: CurrentUser,
    name: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "read",
    label: Annotated[str, Form()] = "",
) -> Response:
    require(user, "admin")
    state = web.state_of(request)
    try:
        with state.tx() as session:
            owner = accounts.find_user(session, name)
            row, token = create_token(session, owner, scope, created_by=user.name, name=label)
            owner_name, token_id = owner.name, row.id
    except (accounts.UserError, TokenError) as exc:
        web.flash(request, "error", str(exc))
        return RedirectResponse("/admin/users", status_code=303)
    web.log.info("API token %s (%s) for %s created by %s", token_id, scope, owner_name, user.name)
    with state.db() as session:
        users = accounts.list_users(session)
    return web.render(
        request,
        "users.html",
        {"users": users, "roles": ROLES, "rules_version": state.rules.version,
         "new_token": {"user": owner_name, "token": token}},
        user=user,
    )


@router.post("/admin/tokens/{token_id}/revoke")
def revoke(request: Request, token_id: DbId, user: CurrentUser) -> Response:
    require(user, "admin")
    try:
        with web.state_of(request).tx() as session:
            prefix = revoke_token(session, token_id).prefix
    except TokenError:
        raise HTTPException(404) from None
    web.log.info("API token %s revoked by %s", token_id, user.name)
    web.flash(request, "ok", translate(web.lang_of(request), "tokens.revoked", prefix=prefix))
    return RedirectResponse("/admin/users", status_code=303)


__all__ = ["api_tokens", "router"]
