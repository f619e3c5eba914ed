"""Sessions, CSRF, login rate limiting and role permissions for the web app.

Sessions are Starlette's signed cookie (HttpOnly, SameSite=Lax, Secure when configured):
it carries the user id, a CSRF token and the language. The user is re-read from the
database on every request, so a deactivated user or a changed role takes effect at once
even though a signed cookie cannot be revoked.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Evidence, Listing, ReviewCase, ScanRequest, User

CSRF_FIELD: Final = "csrf_token"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})

Permission = Literal[
    "view",
    "decide",
    "assign",
    "note",
    "export",
    "scan",
    "scan_all",
    "admin",
    "takedown",
]

#: What each role may do. Inspectors decide, write notes and draft or send takedown requests
#: only on cases assigned to them (`can_act_on_case`); they request scans and see their own requests.
ROLE_PERMISSIONS: Final[Mapping[str, frozenset[Permission]]] = {
    "analyst": frozenset({"view", "decide", "assign", "note", "export", "takedown"}),
    "inspector": frozenset({"view", "decide", "note", "scan", "takedown"}),
    "admin": frozenset({"view", "decide", "assign", "note", "export", "scan", "scan_all", "admin", "takedown"}),
}


class NotAuthenticated(Exception):
    """No valid session: GET requests go to the login page, anything else gets 401."""


class Forbidden(Exception):
    """Logged in, but the role does not allow the action (403)."""


class CsrfError(Exception):
    """A state-changing request without the session's CSRF token (403)."""


class BadInput(ValueError):
    """A request parameter that cannot be understood; the message names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def allowed(user: User, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def require(user: User, permission: Permission) -> None:
    if not allowed(user, permission):
        raise Forbidden(permission)


def can_act_on_case(user: User, case: ReviewCase, permission: Permission) -> bool:
    """Decide / note on a case: inspectors only on cases assigned to them."""
    if not allowed(user, permission):
        return False
    if user.role == "inspector":
        return case.assignee_id == user.id
    return True


def can_see_evidence(session: Session, user: User, evidence: Evidence) -> bool:
    """A capture is a raw page of a seller under investigation (issue 14, item 6): analysts and
    admins see every one; an inspector only those of a case assigned to them (through the
    listing's seller) or of a scan they asked for themselves."""
    if user.role in ("analyst", "admin"):
        return allowed(user, "view")
    if user.role != "inspector":
        return False
    if evidence.listing_id is not None:
        assigned = session.scalar(
            select(ReviewCase.id).join(Listing, Listing.seller_id == ReviewCase.seller_id)
            .where(Listing.id == evidence.listing_id, ReviewCase.assignee_id == user.id).limit(1))
        if assigned is not None:
            return True
    if evidence.scan_run_id is not None:
        asked = session.scalar(select(ScanRequest.id).where(
            ScanRequest.scan_run_id == evidence.scan_run_id, ScanRequest.requested_by == user.name).limit(1))
        return asked is not None
    return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(session: dict[str, object]) -> str:
    """The session's CSRF token, created on first use."""
    token = session.get("csrf")
    if not isinstance(token, str) or token == "":
        token = new_token()
        session["csrf"] = token
    return token


def check_csrf(session: Mapping[str, object], submitted: object) -> None:
    expected = session.get("csrf")
    if not isinstance(expected, str) or not isinstance(submitted, str) or submitted == "":
        raise CsrfError("missing CSRF token")
    if not hmac.compare_digest(expected.encode(), submitted.encode()):
        raise CsrfError("CSRF token does not match the session")


def safe_next(target: str | None) -> str:
    """Only same-site paths after login: `//evil.example` and `https://...` go to the queue."""
    if target is None or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/queue"
    return target


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `max_failures` failed log-ins per key within `window_s` seconds."""

    max_failures: int
    window_s: float


class LoginLimiter:
    """Failed log-ins counted in memory, in sliding windows, per account + client, per
    account and per client (issue 14 item 8).

    The client is the address uvicorn reports: the peer, or behind a proxy listed in
    ``--forwarded-allow-ips`` the address that proxy forwarded for. The account limits
    are checked before the password (`retry_after`): a guesser cannot keep trying one
    account from one client, nor from many. The client limit is only applied to a
    *wrong* password (`client_limited`): an office behind one address, where a colleague
    mistyped many times, still logs in with the right password. Guessing one common
    password across many accounts from one client is answered by the password policy
    (`review.passwords`) and the warning logged when a client passes its limit.

    Per process: behind several workers each worker counts on its own, which still bounds
    guessing to workers x limit per window. A successful log-in clears the account + client count.
    """

    def __init__(
        self,
        per_user_ip: RateLimit,
        per_ip: RateLimit,
        per_account: RateLimit | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_user_ip = per_user_ip
        self.per_ip = per_ip
        self.per_account = per_account if per_account is not None else RateLimit(per_user_ip.max_failures * 4,
                                                                                  per_user_ip.window_s)
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _account(name: str) -> str:
        return name.strip().casefold()

    def _account_keys(self, name: str, ip: str) -> list[tuple[tuple[str, str], RateLimit]]:
        account = self._account(name)
        return [(("u", f"{account}|{ip}"), self.per_user_ip), (("a", account), self.per_account)]

    def _client_key(self, ip: str) -> tuple[tuple[str, str], RateLimit]:
        return ("ip", ip), self.per_ip

    def _wait(self, keys: list[tuple[tuple[str, str], RateLimit]]) -> float | None:
        now = self._clock()
        wait: float | None = None
        with self._lock:
            for key, limit in keys:
                times = self._prune(key, now, limit)
                if len(times) >= limit.max_failures:
                    left = times[0] + limit.window_s - now
                    wait = left if wait is None else max(wait, left)
        return wait

    def retry_after(self, name: str, ip: str) -> float | None:
        """Seconds until this account may be tried again from this client (its own
        failures only), or None when it may be tried now."""
        return self._wait(self._account_keys(name, ip))

    def client_limited(self, ip: str) -> float | None:
        """Seconds until this client's failures fall under its limit; for wrong passwords only."""
        return self._wait([self._client_key(ip)])

    def failed(self, name: str, ip: str) -> None:
        now = self._clock()
        with self._lock:
            for key, limit in [*self._account_keys(name, ip), self._client_key(ip)]:
                self._prune(key, now, limit).append(now)

    def succeeded(self, name: str, ip: str) -> None:
        with self._lock:
            self._failures.pop(self._account_keys(name, ip)[0][0], None)

    def _prune(self, key: tuple[str, str], now: float, limit: RateLimit) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - limit.window_s:
            times.popleft()
        return times
