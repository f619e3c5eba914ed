"""Accounts in the web app: log in / out, one's own password, and user administration.

Split out of `routes.py`. Sessions live on the server (`review.sessions`): logging out,
changing a password and deactivating a user end them at once (issue 14 item 7).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from review import users as accounts
from review.users import ROLES, UserError, authenticate, create_user
from review.web import helpers as web
from review.web.bounds import DbId
from review.web.i18n import translate
from review.web.security import BadInput, require, safe_next
from storage.models import User

router = APIRouter()

CurrentUser = Annotated[User, Depends(web.current_user)]


def _t(request: Request, key: str, **values: object) -> str:
    return translate(web.lang_of(request), key, **values)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def client_address(request: Request) -> str:
    """The client as uvicorn reports it: behind a proxy in ``--forwarded-allow-ips``, the
    address the proxy forwarded for, else the peer (so one office proxy is not one client)."""
    return request.client.host if request.client is not None else "?"


# --------------------------------------------------------------------------- log in / out


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return web.render(request, "login.html", {"next": safe_next(next), "error": None}, user=None)


def _limited(request: Request, next: str, wait: float) -> Response:
    minutes = max(1, int(wait // 60) + 1)
    return web.render(
        request,
        "login.html",
        {"next": safe_next(next), "error": _t(request, "login.limited", minutes=minutes)},
        user=None,
        status_code=429,
        headers={"Retry-After": str(int(wait) + 1)},
    )


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/queue",
) -> Response:
    state = web.state_of(request)
    ip = client_address(request)
    wait = state.limiter.retry_after(name, ip)
    if wait is not None:
        return _limited(request, next, wait)
    with state.db() as session:
        user = authenticate(session, name, password)
    if user is None:
        state.limiter.failed(name, ip)
        web.log.info("failed log-in for %r from %s", name[:100], ip)
        client_wait = state.limiter.client_limited(ip)
        if client_wait is not None:
            web.log.warning("client %s passed its failed log-in limit (last name tried %r)", ip, name[:100])
            return _limited(request, next, client_wait)
        return web.render(
            request,
            "login.html",
            {"next": safe_next(next), "error": _t(request, "login.failed")},
            user=None,
            status_code=401,
        )
    state.limiter.succeeded(name, ip)
    web.log_in(request, user)
    web.log.info("log-in %s (%s) from %s", user.name, user.role, ip)
    return _redirect(safe_next(next))


@router.post("/logout")
def logout(request: Request) -> Response:
    web.log_out(request)
    web.flash(request, "info", _t(request, "login.out"))
    return _redirect("/login")


# --------------------------------------------------------------------------- own password


@router.get("/account/password")
def password_page(request: Request, user: CurrentUser) -> Response:
    return web.render(request, "password.html", {"error": None}, user=user)


@router.post("/account/password")
def change_password(
    request: Request,
    user: CurrentUser,
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
    repeat: Annotated[str, Form()] = "",
) -> Response:
    state = web.state_of(request)
    ip = client_address(request)

    def again(key: str, status: int, **values: object) -> Response:
        return web.render(request, "password.html", {"error": _t(request, key, **values)}, user=user,
                          status_code=status)

    # The current password is a log-in in disguise: counted by the same limiter.
    wait = state.limiter.retry_after(user.name, ip)
    if wait is not None:
        return _limited(request, "/account/password", wait)
    with state.db() as session:
        confirmed = authenticate(session, user.name, current)
    if confirmed is None:
        state.limiter.failed(user.name, ip)
        return again("password.wrong", 400)
    if new != repeat:
        return again("password.mismatch", 400)
    try:
        with state.tx() as session:
            target = session.get(User, user.id)
            if target is None:
                raise HTTPException(404)
            ended = accounts.set_password(session, target, new)
    except UserError as exc:
        return again("password.weak", 400, reason=str(exc))
    # Every session of the user ended, this one too: start a new one here.
    web.log_in(request, user)
    web.log.info("password changed by %s from %s; %d session(s) ended", user.name, ip, ended)
    web.flash(request, "ok", _t(request, "password.changed"))
    return _redirect("/queue")


# --------------------------------------------------------------------------- admin: users


@router.get("/admin/users")
def users_page(request: Request, user: CurrentUser) -> Response:
    require(user, "admin")
    state = web.state_of(request)
    with state.db() as session:
        users = accounts.list_users(session)
    return web.render(
        request,
        "users.html",
        {"users": users, "roles": ROLES, "rules_version": state.rules.version},
        user=user,
    )


@router.post("/admin/users")
def add_user(
    request: Request,
    user: CurrentUser,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    require(user, "admin")
    try:
        with web.state_of(request).tx() as session:
            created = create_user(session, name, role, password)
            created_name = created.name
    except UserError as exc:
        web.flash(request, "error", str(exc))
    else:
        web.log.info("user %s (%s) created by %s", created_name, role, user.name)
        web.flash(request, "ok", _t(request, "users.created", name=created_name))
    return _redirect("/admin/users")


@router.post("/admin/users/{user_id}/active")
def set_active(
    request: Request,
    user_id: DbId,
    user: CurrentUser,
    active: Annotated[str, Form()] = "",
) -> Response:
    require(user, "admin")
    if active not in ("0", "1"):
        raise BadInput("active", "expected 0 or 1")
    if user_id == user.id and active == "0":
        web.flash(request, "error", _t(request, "users.self"))
        return _redirect("/admin/users")
    with web.state_of(request).tx() as session:
        target = session.get(User, user_id)
        if target is None:
            raise HTTPException(404)
        accounts.set_active(session, target, active == "1")
        changed = target.name
    web.log.info("user %s active=%s by %s", changed, active, user.name)
    web.flash(request, "ok", _t(request, "users.changed", name=changed))
    return _redirect("/admin/users")


__all__ = ["client_address", "router"]
