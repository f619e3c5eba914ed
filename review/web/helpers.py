"""Shared plumbing of the web app: settings, per-request helpers, rendering, formatting.

The routers (`routes.py`, `account.py`, `evidence.py`, `scans.py`) and the app factory
(`app.py`) all build on this module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session, sessionmaker

from detectors.money import vnd_vi
from detectors.vntime import LOCAL_LABEL, VIETNAM_TZ
from review import sessions as web_sessions
from review.web.charts import bar_chart, price_chart
from review.web.i18n import DEFAULT_LANG, pick_lang, translate
from review.web.security import (
    CSRF_FIELD,
    LoginLimiter,
    NotAuthenticated,
    RateLimit,
    allowed,
    csrf_token,
)
from rules.loader import RuleSet
from storage.models import User

log = logging.getLogger("listingwatch.web")

HERE: Final = Path(__file__).resolve().parent


@dataclass
class WebSettings:
    """Operational settings of the web app (not detection thresholds: those are in rules/)."""

    secret_key: str
    secure_cookies: bool = False
    session_max_age_s: int = 8 * 3600
    per_page: int = 25
    login_per_user_ip: RateLimit = field(default_factory=lambda: RateLimit(5, 15 * 60))
    #: Failures of one client over all accounts; only wrong passwords are refused by it.
    login_per_ip: RateLimit = field(default_factory=lambda: RateLimit(30, 15 * 60))
    #: Failures of one account over all clients (guessing from many addresses).
    login_per_account: RateLimit = field(default_factory=lambda: RateLimit(20, 15 * 60))
    scan_refresh_s: int = 5
    #: `/readyz` fails when the scheduler daemon's last heartbeat is older than this.
    scheduler_stale_s: int = 300
    #: A queued on-demand request says "waiting for the scheduler" (and how to start one)
    #: when no scheduler heartbeat is younger than this many minutes.
    scheduler_waiting_min: int = 5
    #: Bearer token for `/metrics`; None: `$LISTINGWATCH_METRICS_TOKEN`, and without one
    #: `/metrics` answers loopback clients only.
    metrics_token: str | None = None
    rules_dir: Path | None = None
    #: Roots of demo marketplaces allowed as scan targets; None: `$LISTINGWATCH_DEMO_URL` (as the CLI).
    demo_origins: tuple[str, ...] | None = None
    #: host -> addresses for the scan-URL check; None: the system resolver (tests pass a fake one).
    scan_url_resolver: Callable[[str], list[str]] | None = None


@dataclass
class WebState:
    db_url: str
    sessions: sessionmaker[Session]
    settings: WebSettings
    rules: RuleSet
    limiter: LoginLimiter
    templates: Jinja2Templates

    @contextmanager
    def db(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    @contextmanager
    def tx(self) -> Iterator[Session]:
        with self.sessions() as session, session.begin():
            yield session

# --------------------------------------------------------------------------- templates


def templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,  # everywhere, whatever the file name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dt"] = format_dt
    env.filters["day"] = format_day
    env.filters["vnd"] = format_vnd
    env.filters["pct"] = lambda v: "–" if v is None else f"{float(v):.2f}"
    # `names|map("tkey", t)`: identity field names -> their labels ("phone" -> "case.phone").
    env.filters["tkey"] = lambda name, t: t(f"case.{name}")
    env.globals["safe_href"] = safe_href
    env.globals["bar_chart"] = bar_chart
    env.globals["price_chart"] = price_chart
    # The case page's seller network (issue 16): a context provider, so routes.py stays as is.
    from review.web.networks import seller_network

    env.globals["seller_network"] = seller_network
    return Jinja2Templates(env=env)


def format_dt(value: datetime | None) -> str:
    """Times as officers read them: Vietnam time, day first, labelled (as in the CLI)."""
    if value is None:
        return "–"
    return f"{value.astimezone(VIETNAM_TZ):%d/%m/%Y %H:%M} {LOCAL_LABEL}"


def format_day(value: datetime | date | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = value.astimezone(VIETNAM_TZ).date()
    return value.strftime("%d/%m/%Y")


def format_vnd(value: int | None) -> str:
    if value is None:
        return "–"
    return vnd_vi(value)


def safe_href(url: str | None) -> str | None:
    """A crawled URL usable as a link, or None: only http(s) (no javascript:, data:, ...)."""
    if url is None:
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or parts.netloc == "":
        return None
    if any(ord(ch) < 32 or ch.isspace() for ch in text):
        return None
    return text


# --------------------------------------------------------------------------- request helpers


def state_of(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def lang_of(request: Request) -> str:
    """`?lang=` switches the language and the session remembers it."""
    chosen = pick_lang(request.query_params.get("lang"))
    if chosen is not None:
        request.session["lang"] = chosen
        return chosen
    stored = pick_lang(request.session.get("lang"))
    return stored if stored is not None else DEFAULT_LANG


#: The cookie key of the server-side session token (`review.sessions`).
SESSION_TOKEN: Final = "sid"  # noqa: S105 (a cookie key, not a secret)


def current_user(request: Request) -> User:
    """The user of a live server-side session, re-read from the database on every request:
    logout, a password change, deactivation or a role change apply at once."""
    token = request.session.get(SESSION_TOKEN)
    if not isinstance(token, str):
        raise NotAuthenticated()
    with state_of(request).db() as session:
        user = web_sessions.user_for(session, token)
    if user is None:
        log_out(request)
        raise NotAuthenticated()
    return user


def log_in(request: Request, user: User) -> None:
    """A fresh session (new token, new CSRF token) so a token seen before log-in is worthless after."""
    state = state_of(request)
    old = request.session.get(SESSION_TOKEN)
    with state.tx() as session:
        if isinstance(old, str):
            web_sessions.end(session, old)
        token = web_sessions.start(session, user.id, state.settings.session_max_age_s)
    lang = request.session.get("lang")
    request.session.clear()
    request.session[SESSION_TOKEN] = token
    if isinstance(lang, str):
        request.session["lang"] = lang
    csrf_token(request.session)


def log_out(request: Request) -> None:
    """End the server-side session (a replayed cookie then finds nothing); keep the language."""
    token = request.session.get(SESSION_TOKEN)
    if isinstance(token, str):
        with state_of(request).tx() as session:
            web_sessions.end(session, token)
    lang = request.session.get("lang")
    request.session.clear()
    if isinstance(lang, str):
        request.session["lang"] = lang


def flash(request: Request, kind: str, message: str) -> None:
    messages = request.session.get("flash")
    items = list(messages) if isinstance(messages, list) else []
    items.append([kind, message])
    request.session["flash"] = items[-5:]


def _escalated_takedowns(request: Request) -> int:
    """Takedown requests past their deadline with listings still online (issue 16)."""
    from sqlalchemy import func, select

    from storage.models import TakedownRequest

    with state_of(request).db() as session:
        return int(session.scalar(select(func.count()).select_from(TakedownRequest)
                                  .where(TakedownRequest.status == "escalated")) or 0)


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    user: User | None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    lang = lang_of(request)
    messages = request.session.pop("flash", None) if "flash" in request.session else None

    def t(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    def url_with(**changes: object) -> str:
        """This page's URL with some query parameters changed (None removes one)."""
        params = {k: v for k, v in request.query_params.items() if k not in changes}
        params.update({k: str(v) for k, v in changes.items() if v is not None})
        return request.url.path + ("?" + urlencode(params) if params else "")

    full = {
        "request": request,
        "lang": lang,
        "other_lang": "en" if lang == "vi" else "vi",
        "t": t,
        "user": user,
        "can": (lambda perm: user is not None and allowed(user, perm)),
        "csrf_field": CSRF_FIELD,
        "csrf": csrf_token(request.session),
        "messages": messages if isinstance(messages, list) else [],
        "url_with": url_with,
        # Called by the queue page only, so other pages pay no query for it.
        "escalated_takedowns": lambda: _escalated_takedowns(request),
        **context,
    }
    return state_of(request).templates.TemplateResponse(
        request, name, full, status_code=status_code, headers=headers
    )
