"""Takedown requests in the web app (issue 16): draft from a case, mark sent, the takedown
queue (escalated first) and each request's documents. POSTs answer with a redirect (PRG);
the app-wide dependency checks CSRF, `can_act_on_case` the role (inspectors: own cases)."""

from __future__ import annotations

from typing import Annotated, Final, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from detectors.vntime import format_local
from review.takedown import TakedownError, documents, draft_requests, takedown_settings
from review.web import helpers as web
from review.web.bounds import MAX_DB_ID, DbId
from review.web.i18n import translate
from review.web.security import BadInput, Forbidden, can_act_on_case
from storage import repo
from storage.models import ReviewCase, User

router = APIRouter()
CurrentUser = Annotated[User, Depends(web.current_user)]
MAX_VIA_LENGTH: Final = 500
MEDIA: Final = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}


def _t(request: Request, key: str, **values: object) -> str:
    return translate(web.lang_of(request), key, **values)


def _case(session: Session, case_id: int) -> ReviewCase:
    case = session.get(ReviewCase, case_id)
    if case is None:
        raise HTTPException(404)
    return case


@router.get("/takedowns")
def takedowns_page(
    request: Request, user: CurrentUser, case: Annotated[int | None, Query(ge=1, le=MAX_DB_ID)] = None,
) -> Response:
    state = web.state_of(request)
    with state.db() as session:
        rows = [{"r": r, "deadline": None if r.deadline is None else format_local(r.deadline),
                 "counts": {s: sum(1 for x in r.listings if x.status == s)
                            for s in ("pending", "removed", "still_online", "unreachable")},
                 "can_send": r.status == "drafted" and can_act_on_case(user, _case(session, r.case_id), "takedown")}
                for r in repo.list_takedowns(session, case_id=case)]
    return web.render(request, "takedowns.html", {"rows": rows, "case_filter": case}, user=user)


@router.post("/cases/{case_id}/takedowns")
def create_takedowns(request: Request, case_id: DbId, user: CurrentUser) -> Response:
    state = web.state_of(request)
    try:
        with state.tx() as session:
            if not can_act_on_case(user, _case(session, case_id), "takedown"):
                raise Forbidden("takedown")
            made = draft_requests(session, case_id, actor=user.name, settings=takedown_settings(state.settings.rules_dir))
    except TakedownError as exc:
        web.flash(request, "error", str(exc))
        return RedirectResponse(f"/cases/{case_id}#actions", status_code=303)
    web.flash(request, "ok", _t(request, "takedown.created", n=len(made)))
    return RedirectResponse(f"/takedowns?case={case_id}", status_code=303)


@router.post("/takedowns/{request_id}/sent")
def mark_sent(
    request: Request, request_id: DbId, user: CurrentUser, via: Annotated[str, Form()] = "",
) -> Response:
    if len(via) > MAX_VIA_LENGTH:
        raise BadInput("via", f"longer than {MAX_VIA_LENGTH} characters")
    state = web.state_of(request)
    try:
        with state.tx() as session:
            row = repo.get_takedown(session, request_id)
            if not can_act_on_case(user, _case(session, row.case_id), "takedown"):
                raise Forbidden("takedown")
            hours = int(row.authority.get("deadline_hours", takedown_settings(state.settings.rules_dir).deadline_hours))
            sent = repo.mark_sent(session, request_id, actor=user.name, via=via, deadline_hours=hours)
            assert sent.deadline is not None
            deadline = format_local(sent.deadline)
    except TakedownError as exc:
        web.flash(request, "error", str(exc))
    else:
        web.flash(request, "ok", _t(request, "takedown.marked_sent", id=request_id, deadline=deadline))
    return RedirectResponse("/takedowns", status_code=303)


@router.get("/takedowns/{request_id}/takedown-{name_id}.{fmt}")
def document(
    request: Request, request_id: DbId, name_id: DbId, fmt: Literal["html", "pdf", "csv"], user: CurrentUser,
) -> Response:
    """The request's document, rendered from the database as it stands (a download: the HTML
    is ours and escaped, but it holds crawled text, so it never renders on our origin)."""
    if name_id != request_id:
        raise HTTPException(404)
    state = web.state_of(request)
    with state.db() as session:
        try:
            row = repo.get_takedown(session, request_id)
        except TakedownError:
            raise HTTPException(404) from None
        if not can_act_on_case(user, _case(session, row.case_id), "view"):
            raise Forbidden("view")
        docs = documents(session, row, pdf=fmt == "pdf")
    name = f"takedown-{request_id}.{fmt}"
    return Response(docs.files[name], media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
