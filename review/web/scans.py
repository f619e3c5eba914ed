"""On-demand seller scans in the web app: `/scans` (ask, list), `/scans/<id>` (progress) and
`/scans/<id>/cancel`.

Split out of `routes.py`. The web app only validates and stores requests; the scheduler's
worker runs them (`scheduler.RequestWorker`). So a queued request says so honestly when no
scheduler is alive to take it (its heartbeat, `storage.heartbeats`), and says how to start one.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from crawler.seller_urls import (
    SellerRef,
    SellerURLError,
    demo_origins_from_env,
    validate_seller_url,
)
from review.web import helpers as web
from review.web import queries
from review.web.bounds import DbId
from review.web.i18n import translate
from review.web.security import ROLE_PERMISSIONS, BadInput, require
from storage import repo
from storage.heartbeats import SCHEDULER, last_beat
from storage.models import ScanRequest, User
from storage.runs import cancel_queued

router = APIRouter()

MAX_URL_LENGTH: Final = 2000

CurrentUser = Annotated[User, Depends(web.current_user)]


def _t(request: Request, key: str, **values: object) -> str:
    return translate(web.lang_of(request), key, **values)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _check_scan_url(state: web.WebState, raw: str) -> SellerRef:
    """The same check as `listingwatch scan-seller` (`validate_seller_url`): a URL the
    worker would refuse is refused here, in the form, and never stored."""
    text = raw.strip()
    if text == "":
        raise BadInput("url", "empty: paste the seller's shop URL")
    if len(text) > MAX_URL_LENGTH:
        raise BadInput("url", f"longer than {MAX_URL_LENGTH} characters")
    settings = state.settings
    origins = settings.demo_origins if settings.demo_origins is not None else demo_origins_from_env()
    try:
        return validate_seller_url(text, state.rules, demo_origins=origins, resolver=settings.scan_url_resolver)
    except SellerURLError as exc:
        raise BadInput("url", str(exc)) from None


@router.get("/scans")
def scans_page(request: Request, user: CurrentUser) -> Response:
    require(user, "scan")
    state = web.state_of(request)
    mine = None if "scan_all" in _perms(user) else user.name
    with state.db() as session:
        rows = queries.scan_requests(session, requested_by=mine)
    return web.render(request, "scans.html", {"requests": rows}, user=user)


def _perms(user: User) -> frozenset[str]:
    return frozenset(ROLE_PERMISSIONS.get(user.role, frozenset()))


@router.post("/scans")
def request_scan(
    request: Request, user: CurrentUser, url: Annotated[str, Form()] = ""
) -> Response:
    require(user, "scan")
    state = web.state_of(request)
    ref = _check_scan_url(state, url)
    with state.tx() as session:
        row = repo.request_scan(session, ref.url, user.name, platform=ref.platform, seller_key=ref.value)
        request_id = row.id
    web.log.info("scan request %s by %s: %s", request_id, user.name, ref.url[:200])
    web.flash(request, "ok", _t(request, "scans.queued_ok", id=request_id))
    return _redirect(f"/scans/{request_id}")


def _visible(session: Session, user: User, request_id: int) -> ScanRequest:
    """The request if this user may see (and cancel) it: its requester, or `scan_all`."""
    row = session.get(ScanRequest, request_id, populate_existing=True)
    # Another inspector's request is "not found", not "forbidden": no hint it exists.
    if row is None or ("scan_all" not in _perms(user) and row.requested_by != user.name):
        raise HTTPException(404)
    return row


@router.get("/scans/{request_id}")
def scan_status(request: Request, request_id: DbId, user: CurrentUser) -> Response:
    require(user, "scan")
    state = web.state_of(request)
    with state.db() as session:
        row = _visible(session, user, request_id)
        run = row.scan_run
        case = queries.seller_case_for_request(session, row)
        beat = last_beat(session, SCHEDULER) if row.status == "queued" else None
    minutes = state.settings.scheduler_waiting_min
    # Without a live scheduler a queued request waits forever: say so instead of "queued".
    waiting = row.status == "queued" and (beat is None or beat.age_s() > minutes * 60)
    counts = dict(run.counts) if run is not None else {}
    pending = row.status in ("queued", "running")
    refresh = state.settings.scan_refresh_s
    return web.render(
        request,
        "scan.html",
        {
            "scan": row,
            "run": run,
            "counts": counts,
            "count_keys": (
                "listings_seen",
                "listings_new",
                "flagged",
                "sellers_flagged",
                "sellers_queued",
                "requests",
            ),
            "seller_case": case,
            "pending": pending,
            "refresh": refresh,
            "waiting": waiting,
            "wait_minutes": minutes,
            "beat": beat,
        },
        user=user,
        headers={"Refresh": str(refresh)} if pending else None,
    )


@router.post("/scans/{request_id}/cancel")
def cancel_scan(request: Request, request_id: DbId, user: CurrentUser) -> Response:
    """Drop a request nobody has taken yet; one the worker already took runs to its end."""
    require(user, "scan")
    state = web.state_of(request)
    with state.db() as session:
        was_queued = _visible(session, user, request_id).status == "queued"
    cancelled = False
    if was_queued:
        # cancel_queued changes the row only while it is still queued: a worker that took it
        # in between wins, and the status read after says which happened.
        cancel_queued(state.db_url, request_id, f"cancelled by {user.name} before a worker took it")
        with state.db() as session:
            cancelled = _visible(session, user, request_id).status == "failed"
    if cancelled:
        web.log.info("scan request %s cancelled by %s", request_id, user.name)
        web.flash(request, "ok", _t(request, "scan.cancelled", id=request_id))
    else:
        web.flash(request, "error", _t(request, "scan.cancel_late", id=request_id))
    return _redirect(f"/scans/{request_id}")
