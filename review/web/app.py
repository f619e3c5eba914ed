"""The review web app (DESIGN §4.6): FastAPI + Jinja2, server-rendered, Vietnamese first.

`create_app(db_url, ...)` builds the app; `listingwatch serve` runs it under uvicorn.
Every page but the login page needs a session; every POST carries the session's CSRF
token (checked by one app-wide dependency, so no route can forget it); log-in attempts
are rate-limited per user + IP and per IP. Crawled text reaches the browser only through
Jinja's autoescaping, and links from crawled data only when they are http(s).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from review.web import (
    account,
    api,
    api_admin,
    api_docs,
    evidence,
    model_admin,
    ops,
    routes,
    runs,
    scans,
    takedown_routes,
)
from review.web.api_auth import CSRF_HEADER, ApiError, csrf_exempt, is_api, json_error
from review.web.helpers import (
    HERE,
    WebSettings,
    WebState,
    current_user,
    lang_of,
    log,
    render,
    templates,
)
from review.web.i18n import translate
from review.web.request_ids import RequestIds
from review.web.security import (
    CSRF_FIELD,
    SAFE_METHODS,
    BadInput,
    CsrfError,
    Forbidden,
    LoginLimiter,
    NotAuthenticated,
    check_csrf,
)
from rules.loader import RuleSet, load_rules
from storage.db import make_engine
from storage.models import User

ENV_SECRET: Final = "LISTINGWATCH_SECRET_KEY"  # noqa: S105 (a variable name, not a secret)
SESSION_COOKIE: Final = "lw_session"
#: Sent with every response. No inline script or style is allowed, so an escaped-but-still-
#: injected fragment could not run even if escaping were ever missed somewhere.
SECURITY_HEADERS: Final[dict[str, str]] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Officers click through to marketplaces: don't tell them which internal case linked.
    "Referrer-Policy": "no-referrer",
}


def create_app(
    db_url: str,
    *,
    secret_key: str | None = None,
    secure_cookies: bool = False,
    rules: RuleSet | None = None,
    rules_dir: Path | None = None,
    settings: WebSettings | None = None,
) -> FastAPI:
    """The web app over the database at `db_url` (schema must be current: `db upgrade`).

    `secret_key` signs session cookies: give the same one to every worker and keep it across
    restarts, or everyone is logged out. Default: `$LISTINGWATCH_SECRET_KEY`, else a random
    key for this process only.
    """
    if settings is None:
        key = secret_key or os.environ.get(ENV_SECRET, "").strip()
        if key == "":
            log.warning("no %s set: sessions end when this process stops", ENV_SECRET)
            key = secrets.token_urlsafe(32)
        settings = WebSettings(secret_key=key, secure_cookies=secure_cookies, rules_dir=rules_dir)
    engine = make_engine(db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="listingwatch",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(_csrf_guard)],
    )
    app.state.web = WebState(
        db_url=db_url,
        sessions=sessionmaker(bind=engine, expire_on_commit=False),
        settings=settings,
        rules=rules if rules is not None else load_rules(settings.rules_dir),
        limiter=LoginLimiter(settings.login_per_user_ip, settings.login_per_ip, settings.login_per_account),
        templates=templates(),
    )
    # The admin page's API-token list: a context provider, so the users page's route stays as is.
    app.state.web.templates.env.globals["api_tokens"] = api_admin.api_tokens

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        try:
            response: Response = await call_next(request)
        except Exception:
            # An unexpected error still answers (with the headers below) instead of
            # dropping the connection; the traceback goes to the log, not the browser.
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            response = PlainTextResponse("500 Internal Server Error", status_code=500)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            # Case data is confidential: no copies in shared browser or proxy caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    # Added last = outermost: the session exists before the CSRF guard and routes run.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_s,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.state.http_metrics = ops.http_metrics()
    app.middleware("http")(ops.observe_latency)
    app.add_middleware(RequestIds)  # outermost: every log line of a request names it (request_ids.py)
    app.include_router(ops.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(account.router)
    app.include_router(routes.router)
    app.include_router(evidence.router)
    app.include_router(scans.router)
    app.include_router(runs.router)
    app.include_router(takedown_routes.router)
    app.include_router(model_admin.router)
    app.include_router(api.router)
    app.include_router(api_docs.router)
    app.include_router(api_admin.router)
    _error_handlers(app)
    return app


async def _csrf_guard(request: Request) -> None:
    """Every state-changing request must carry the session's CSRF token: in its form, or
    for a JSON API call in the `X-CSRF-Token` header. API calls authenticated by a Bearer
    token (or by nothing, which the API refuses) carry no cookie authority to forge and
    are exempt (`api_auth.csrf_exempt`); the API then accepts only that token."""
    if request.method in SAFE_METHODS or csrf_exempt(request):
        return
    submitted: object = request.headers.get(CSRF_HEADER)
    if submitted is None:
        form = await request.form()
        submitted = form.get(CSRF_FIELD)
    check_csrf(request.session, submitted)


def secret_from_file(path: Path) -> str:
    """The session-signing key kept in `path`, created (mode 0600) on first use.

    A persistent key keeps officers logged in across restarts; `$LISTINGWATCH_SECRET_KEY`
    wins when set (several machines behind one address need the same key).
    """
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= 32:
            return key
        raise ValueError(f"{path}: secret key shorter than 32 characters; delete it to make a new one")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


# --------------------------------------------------------------------------- errors


def _error_handlers(app: FastAPI) -> None:
    def page(request: Request, status: int, message: str, detail: str | None = None) -> Response:
        user: User | None = None
        try:
            user = current_user(request)
        except NotAuthenticated:
            user = None
        return render(
            request,
            "error.html",
            {"status": status, "message": message, "detail": detail},
            user=user,
            status_code=status,
        )

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> Response:
        return json_error(exc.status, exc.code, exc.detail)

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, _exc: NotAuthenticated) -> Response:
        if is_api(request):  # a script gets 401, not a login page
            return json_error(401, "unauthenticated", "log in or send a Bearer token")
        if request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)
        return page(request, 401, translate(lang_of(request), "login.title"))

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _exc: Forbidden) -> Response:
        if is_api(request):
            return json_error(403, "forbidden", "your role does not allow this")
        return page(request, 403, translate(lang_of(request), "err.forbidden"))

    @app.exception_handler(CsrfError)
    async def csrf_failed(request: Request, exc: CsrfError) -> Response:
        log.warning("CSRF refused %s %s: %s", request.method, request.url.path, exc)
        if is_api(request):
            return json_error(403, "csrf", f"{exc}: send the session's CSRF token in {CSRF_HEADER}")
        return page(request, 403, translate(lang_of(request), "err.csrf"))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # A path id out of range names no row: not found. Anything else is a bad request.
        if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
            if is_api(request):
                return json_error(404, "not_found", "no such row")
            return page(request, 404, translate(lang_of(request), "err.not_found"))
        fields = ", ".join(sorted({str(error.get("loc", ("", "?"))[-1]) for error in exc.errors()}))
        if is_api(request):
            return json_error(400, "bad_request", f"invalid: {fields}")
        return page(request, 400, translate(lang_of(request), "err.bad_request"), fields)

    @app.exception_handler(BadInput)
    async def bad_input(request: Request, exc: BadInput) -> Response:
        if is_api(request):
            return json_error(400, "bad_request", str(exc))
        return page(request, 400, translate(lang_of(request), "err.bad_request"), str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api(request):
            return json_error(exc.status_code, "not_found" if exc.status_code == 404 else "error", str(exc.detail))
        if exc.status_code == 404:
            return page(request, 404, translate(lang_of(request), "err.not_found"))
        return page(request, exc.status_code, str(exc.detail))


__all__ = ["WebSettings", "create_app", "secret_from_file"]
