"""Pages and actions of the review web app. Each POST answers with a redirect (PRG).

Accounts (`account.py`), evidence files (`evidence.py`) and on-demand scans (`scans.py`) have
their own routers, included by the app factory next to this one.
"""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Final
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.exceptions import HTTPException

from review import queue as review_queue
from review.export import flagged_sellers_frame, neutralise, why_flagged, write_flagged_sellers
from review.takedown.stats import COUNT_FIELDS, totals
from review.web import helpers as web
from review.web import queries
from review.web.bounds import DbId, day_problem
from review.web.i18n import translate
from review.web.queries import STATUS_CHOICES, UNASSIGNED, QueueFilters
from review.web.security import BadInput, Forbidden, can_act_on_case, require
from rules.loader import RulesError, load_rules
from storage import repo
from storage.models import ReviewCase, User

router = APIRouter()

DECISIONS: Final = ("in_review", "confirmed", "dismissed", "referred")
MAX_NOTE_LENGTH: Final = 4000
MAX_FILTER_LENGTH: Final = 200


CurrentUser = Annotated[User, Depends(web.current_user)]


def _t(request: Request, key: str, **values: object) -> str:
    return translate(web.lang_of(request), key, **values)


def _not_found() -> HTTPException:
    return HTTPException(404)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/")
def home(user: CurrentUser) -> Response:
    return _redirect("/queue")


# --------------------------------------------------------------------------- queue


def _text(params: dict[str, str], name: str) -> str | None:
    value = params.get(name, "").strip()
    if value == "":
        return None
    if len(value) > MAX_FILTER_LENGTH:
        raise BadInput(name, f"longer than {MAX_FILTER_LENGTH} characters")
    return value


def _risk(params: dict[str, str], name: str) -> float | None:
    value = _text(params, name)
    if value is None:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise BadInput(name, f"{value!r} is not a number between 0 and 1") from None
    if not 0.0 <= number <= 1.0:
        raise BadInput(name, f"{value!r} is not between 0 and 1")
    return number


def _day(params: dict[str, str], name: str) -> date | None:
    value = _text(params, name)
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadInput(name, f"{value!r} is not a date (YYYY-MM-DD)") from None
    problem = day_problem(day)
    if problem is not None:
        raise BadInput(name, problem)
    return day


def parse_filters(request: Request, rules: Any) -> QueueFilters:
    """The queue filters from the query string; bad values raise `BadInput` naming the field."""
    params = dict(request.query_params)
    status = _text(params, "status") or "active"
    if status not in STATUS_CHOICES:
        raise BadInput("status", f"{status!r} is not one of {', '.join(STATUS_CHOICES)}")
    category = _text(params, "category")
    if category is not None and category not in rules.categories.categories:
        raise BadInput("category", f"unknown category {category!r}")
    filters = QueueFilters(
        platform=_text(params, "platform"),
        category=category,
        province=_text(params, "province"),
        risk_min=_risk(params, "risk_min"),
        risk_max=_risk(params, "risk_max"),
        status=status,
        assignee=_text(params, "assignee"),
        date_from=_day(params, "date_from"),
        date_to=_day(params, "date_to"),
    )
    if (
        filters.risk_min is not None
        and filters.risk_max is not None
        and filters.risk_min > filters.risk_max
    ):
        raise BadInput("risk_min", "is above risk_max")
    if (
        filters.date_from is not None
        and filters.date_to is not None
        and filters.date_from > filters.date_to
    ):
        raise BadInput("date_from", "is after date_to")
    return filters


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1").strip() or "1"
    if not raw.isdigit() or int(raw) < 1:
        raise BadInput("page", f"{raw!r} is not a page number")
    return int(raw)


@router.get("/queue")
def queue_page(request: Request, user: CurrentUser) -> Response:
    state = web.state_of(request)
    filters = parse_filters(request, state.rules)
    page_no = _page_number(request)
    with state.db() as session:
        page = queries.queue_page(
            session, filters, state.rules, page=page_no, per_page=state.settings.per_page
        )
        options = queries.filter_options(session)
        lang = web.lang_of(request)
        why = why_flagged(session, [row.case.seller_id for row in page.rows], "vi" if lang == "vi" else "en")
    query = urlencode(filters.query_items())
    return web.render(
        request,
        "queue.html",
        {
            "filters": filters,
            "page": page,
            "why": why,
            "options": options,
            "categories": state.rules.categories.categories,
            "statuses": STATUS_CHOICES,
            "unassigned": UNASSIGNED,
            "export_query": query,
        },
        user=user,
    )


# --------------------------------------------------------------------------- case page


def _case_or_404(session: Any, case_id: int) -> ReviewCase:
    try:
        return review_queue.get_case(session, case_id)
    except review_queue.CaseNotFound:
        raise _not_found() from None


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: DbId, user: CurrentUser) -> Response:
    state = web.state_of(request)
    with state.db() as session:
        case = _case_or_404(session, case_id)
        seller = case.seller
        listings = queries.case_listings(session, seller.id, state.rules)
        category = queries.seller_categories(session, [seller.id], state.rules).get(seller.id)
        assessment = repo.latest_assessment(session, seller.id)
        assignees = list(
            session.scalars(
                select(User)
                .where(User.active.is_(True), User.role.in_(("analyst", "inspector")))
                .order_by(User.name)
            )
        )
        events = list(case.events)
    missing = [] if seller.is_official else queries.missing_identity(seller, state.rules)
    return web.render(
        request,
        "case.html",
        {
            "case": case,
            "seller": seller,
            "listings": listings,
            "category": category,
            "categories": state.rules.categories.categories,
            "assessment": assessment,
            "missing_identity": missing,
            "identity_fields": state.rules.scoring.seller.identity_fields,
            "events": events,
            "assignees": assignees,
            "decisions": [d for d in DECISIONS if d in review_queue.TRANSITIONS[case.status]],
            "can_decide": can_act_on_case(user, case, "decide"),
            "can_note": can_act_on_case(user, case, "note"),
            "is_open": case.status not in review_queue.CLOSED_STATUSES,
        },
        user=user,
    )


@router.post("/cases/{case_id}/decide")
def decide(
    request: Request,
    case_id: DbId,
    user: CurrentUser,
    decision: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    if decision not in DECISIONS:
        raise BadInput("decision", f"{decision!r} is not one of {', '.join(DECISIONS)}")
    if len(note) > MAX_NOTE_LENGTH:
        raise BadInput("note", f"longer than {MAX_NOTE_LENGTH} characters")
    state = web.state_of(request)
    try:
        with state.tx() as session:
            case = _case_or_404(session, case_id)
            if not can_act_on_case(user, case, "decide"):
                raise Forbidden("decide")
            review_queue.decide(session, case_id, decision, note, user.name)
    except review_queue.NoteRequired:
        web.flash(request, "error", _t(request, "case.note_required"))
    except review_queue.InvalidTransition as exc:
        web.flash(request, "error", _t(request, "case.invalid_transition",
                                       from_status=_t(request, f"status.{exc.from_status}"),
                                       to_status=_t(request, f"status.{exc.to_status}")))
    else:
        status = _t(request, f"status.{decision}")
        web.flash(request, "ok", _t(request, "case.decided", id=case_id, status=status))
    return _redirect(f"/cases/{case_id}#timeline")


@router.post("/cases/{case_id}/assign")
def assign(
    request: Request,
    case_id: DbId,
    user: CurrentUser,
    assignee: Annotated[str, Form()] = "",
) -> Response:
    require(user, "assign")
    name = assignee.strip() or None
    state = web.state_of(request)
    try:
        with state.tx() as session:
            _case_or_404(session, case_id)
            if name is not None:
                target = session.scalar(select(User).where(User.name == name))
                if target is None or target.role not in ("analyst", "inspector"):
                    raise BadInput("assignee", f"{name!r} is not an active analyst or inspector")
            review_queue.assign(session, case_id, name, user.name)
    except (review_queue.InvalidTransition, review_queue.UserNotFound) as exc:
        web.flash(request, "error", str(exc))
    else:
        if name is None:
            web.flash(request, "ok", _t(request, "case.unassigned", id=case_id))
        else:
            web.flash(request, "ok", _t(request, "case.assigned", id=case_id, name=name))
    return _redirect(f"/cases/{case_id}#timeline")


@router.post("/cases/{case_id}/note")
def note(
    request: Request,
    case_id: DbId,
    user: CurrentUser,
    note: Annotated[str, Form()] = "",
) -> Response:
    if len(note) > MAX_NOTE_LENGTH:
        raise BadInput("note", f"longer than {MAX_NOTE_LENGTH} characters")
    state = web.state_of(request)
    try:
        with state.tx() as session:
            case = _case_or_404(session, case_id)
            if not can_act_on_case(user, case, "note"):
                raise Forbidden("note")
            review_queue.add_note(session, case_id, note, user.name)
    except review_queue.NoteRequired:
        web.flash(request, "error", _t(request, "case.note") + " ✗")
    else:
        web.flash(request, "ok", _t(request, "case.noted"))
    return _redirect(f"/cases/{case_id}#timeline")


# --------------------------------------------------------------------------- exports


@router.get("/export/flagged-sellers.{fmt}")
def export_flagged(request: Request, fmt: str, user: CurrentUser) -> Response:
    require(user, "export")
    if fmt not in ("csv", "xlsx"):
        raise _not_found()
    state = web.state_of(request)
    filters = parse_filters(request, state.rules)
    lang = web.lang_of(request)
    with state.db() as session:
        case_ids = set(queries.matching_case_ids(session, filters, state.rules))
        frame = flagged_sellers_frame(session, lang="vi" if lang == "vi" else "en")
    # The export shows each seller's current case: keep the sellers the queue shows.
    frame = frame[frame["case_id"].isin(case_ids)].reset_index(drop=True)
    with tempfile.TemporaryDirectory(prefix="lw-export-") as tmp:
        out = Path(tmp) / f"flagged_sellers.{fmt}"
        write_flagged_sellers(
            frame, out, "xlsx" if fmt == "xlsx" else "csv", "vi" if lang == "vi" else "en"
        )
        body = out.read_bytes()
    media = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    web.log.info("export %s by %s: %d sellers", fmt, user.name, len(frame))
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="flagged_sellers.{fmt}"'},
    )


VIOLATOR_COLUMNS: Final = (
    "platform",
    "seller_id",
    "seller_name",
    "seller_url",
    "location",
    "business_id",
    "case_id",
    "decided_at",
)
VIOLATOR_LABELS_VI: Final = {
    "platform": "Nền tảng",
    "seller_id": "Mã người bán",
    "seller_name": "Tên người bán",
    "seller_url": "Đường dẫn gian hàng",
    "location": "Tỉnh/thành",
    "business_id": "Mã số doanh nghiệp",
    "case_id": "Mã hồ sơ",
    "decided_at": "Ngày quyết định",
}


@router.get("/violators")
def violators_page(request: Request, user: CurrentUser) -> Response:
    with web.state_of(request).db() as session:
        violators = queries.confirmed_violators(session)
    return web.render(request, "violators.html", {"violators": violators}, user=user)


@router.get("/violators.csv")
def violators_csv(request: Request, user: CurrentUser) -> Response:
    """Confirmed violators for publishing: public facts and the decision date, no notes."""
    lang = web.lang_of(request)
    with web.state_of(request).db() as session:
        rows = [
            [
                v.case.seller.platform,
                v.case.seller.seller_key,
                v.case.seller.name,
                v.case.seller.url,
                v.case.seller.location,
                v.case.seller.business_id,
                v.case.id,
                web.format_day(v.decided_at),
            ]
            for v in queries.confirmed_violators(session)
        ]
    headers = [VIOLATOR_LABELS_VI[c] if lang == "vi" else c for c in VIOLATOR_COLUMNS]
    safe_rows = [[neutralise(v) if isinstance(v, str) else v for v in row] for row in rows]
    buffer = io.StringIO()
    pd.DataFrame(safe_rows, columns=headers, dtype=object).to_csv(
        buffer, index=False, lineterminator="\r\n"
    )
    body = buffer.getvalue().encode("utf-8-sig")
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="confirmed_violators.csv"'},
    )


# --------------------------------------------------------------------------- statistics


@router.get("/stats")
def stats_page(request: Request, user: CurrentUser) -> Response:
    state = web.state_of(request)
    with state.db() as session:
        stats = queries.statistics(session, state.rules)
    lang = web.lang_of(request)
    unknown = translate(lang, "stats.unknown")
    cats = state.rules.categories.categories

    def label(dim: str, key: str | None) -> str:
        if key is None:
            return unknown
        if dim == "category" and key in cats:
            return cats[key].label_vi if lang == "vi" else cats[key].label_en
        return key

    def labelled(table: dict[str, list[tuple[str | None, int]]]) -> dict[str, list[tuple[str, int]]]:
        return {dim: [(label(dim, k), n) for k, n in rows] for dim, rows in table.items()}

    return web.render(
        request,
        "stats.html",
        {
            "stats": stats,
            "cases": labelled(stats.cases),
            "listings": labelled(stats.listings),
            "dimensions": queries.STAT_DIMENSIONS,
            "takedown_fields": COUNT_FIELDS,
            "takedown_totals": totals(stats.takedowns),
        },
        user=user,
    )


# --------------------------------------------------------------------------- admin


@router.post("/admin/rules/reload")
def reload_rules(request: Request, user: CurrentUser) -> Response:
    require(user, "admin")
    state = web.state_of(request)
    try:
        state.rules = load_rules(state.settings.rules_dir)
    except RulesError as exc:
        web.flash(request, "error", _t(request, "rules.failed", error=str(exc)))
    else:
        web.log.info("rules reloaded by %s: version %s", user.name, state.rules.version)
        web.flash(request, "ok", _t(request, "rules.reloaded", version=state.rules.version))
    return _redirect("/admin/users")


__all__ = ["router"]
