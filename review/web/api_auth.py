"""Who is calling the JSON API (`/api/v1`, issue 17 item 4), and its JSON errors.

Two ways in. A personal token (`Authorization: Bearer lw_...`, `review.api_tokens`) is the
only credential when the header is present: a bad or revoked token is 401 even with a
valid cookie, so a script never acts as whoever happens to be logged in. Without the
header, the web session's cookie works too (the docs page, a browser); then a write needs
the session's CSRF token in `X-CSRF-Token`, because a cookie is sent by the browser on a
forged cross-site request and a Bearer header is not. The app-wide guard
(`app._csrf_guard`) applies exactly that rule (`csrf_exempt`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Final

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from review.api_tokens import caller_for
from review.web import helpers as web
from review.web.security import SAFE_METHODS, NotAuthenticated, Permission, allowed

API_PREFIX: Final = "/api/v1"
#: Where a cookie-authenticated API call carries the session's CSRF token.
CSRF_HEADER: Final = "X-CSRF-Token"


class ApiError(Exception):
    """An API refusal: answered as JSON `{"error": code, "detail": ...}` with `status`."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ApiCaller:
    user: Any  # storage.models.User (Any: FastAPI must not read it as a request body)
    #: "read" / "write" for a token; None for a cookie session (the role alone decides).
    scope: str | None


def is_api(request: Request) -> bool:
    return request.url.path == API_PREFIX or request.url.path.startswith(API_PREFIX + "/")


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer` header, "" for a malformed one, None without."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def csrf_exempt(request: Request) -> bool:
    """API calls that carry no ambient credential need no CSRF token: a Bearer call (the
    header cannot be forged cross-site) or a call without a session (it has nothing to
    abuse and is refused 401 anyway). Everything else is checked, API or not."""
    if not is_api(request):
        return False
    return bearer_token(request) is not None or web.SESSION_TOKEN not in request.session


def json_error(status: int, code: str, detail: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)


def api_caller(request: Request) -> ApiCaller:
    token = bearer_token(request)
    if token is not None:
        if token == "":
            raise ApiError(401, "unauthenticated", "expected 'Authorization: Bearer <token>'")
        with web.state_of(request).tx() as session:
            caller = caller_for(session, token)
        if caller is None:
            raise ApiError(401, "unauthenticated", "unknown, revoked or deactivated token")
        if request.method not in SAFE_METHODS and caller.scope != "write":
            raise ApiError(403, "forbidden", "this token's scope is read: it cannot change anything")
        return ApiCaller(user=caller.user, scope=caller.scope)
    try:
        user = web.current_user(request)
    except NotAuthenticated:
        raise ApiError(401, "unauthenticated", "send 'Authorization: Bearer <token>' (listingwatch token create)") from None
    return ApiCaller(user=user, scope=None)


Caller = Annotated[ApiCaller, Depends(api_caller)]


def require_perm(caller: ApiCaller, permission: Permission) -> None:
    """The same role check as the pages: an inspector's token sees what the inspector sees."""
    if not allowed(caller.user, permission):
        raise ApiError(403, "forbidden", f"role {caller.user.role} lacks the permission {permission!r}")


__all__ = [
    "API_PREFIX",
    "CSRF_HEADER",
    "ApiCaller",
    "ApiError",
    "Caller",
    "api_caller",
    "bearer_token",
    "csrf_exempt",
    "is_api",
    "json_error",
    "require_perm",
]
