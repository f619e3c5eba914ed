"""The JSON API, `/api/v1` (issue 17 item 4): the queue, cases, sellers, scans and the
flagged-seller export for scripts, with the pages' own queries, filters and role checks.

Authentication and errors: `api_auth.py`; the OpenAPI schema and its docs page: `api_docs.py`.
Times are ISO 8601 in UTC; missing values are null (DESIGN §3.1).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Final

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from detectors.codes import signal_label
from review import queue as review_queue
from review.export import Lang, flagged_sellers_frame, why_flagged
from review.networks.store import membership
from review.web import helpers as web
from review.web import queries
from review.web.api_auth import API_PREFIX, ApiError, Caller, require_perm
from review.web.bounds import DbId
from review.web.routes import parse_filters
from review.web.scans import _check_scan_url
from review.web.security import BadInput, allowed, can_act_on_case, can_see_evidence
from storage import repo
from storage.models import Listing, ReviewCase, ScanRequest, ScanRun, Seller

router = APIRouter(prefix=API_PREFIX, tags=["listingwatch"])

DEFAULT_PER_PAGE: Final = 25
MAX_PER_PAGE: Final = 100
JSON = dict[str, Any]


class ScanIn(BaseModel):
    """An on-demand scan of one seller: the shop URL, as pasted into the web form."""

    url: str


# --------------------------------------------------------------------------- serialisers


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _seller_brief(seller: Seller) -> JSON:
    return {"id": seller.id, "platform": seller.platform, "seller_id": seller.seller_key,
            "name": seller.name, "url": seller.url, "location": seller.location}


def _seller_full(seller: Seller, missing: list[str]) -> JSON:
    return {**_seller_brief(seller), "is_official": seller.is_official, "business_id": seller.business_id,
            "phone": seller.phone, "address": seller.address, "risk": seller.risk, "flagged": seller.flagged,
            "first_seen_at": _time(seller.first_seen_at), "last_seen_at": _time(seller.last_seen_at),
            "first_flagged_at": _time(seller.first_flagged_at), "missing_identity": missing}


def _case_brief(case: ReviewCase, category: str | None, why: list[str] | None = None) -> JSON:
    return {"id": case.id, "status": case.status, "priority": case.priority, "risk": case.risk,
            "category": category, "assignee": None if case.assignee is None else case.assignee.name,
            "opened_at": _time(case.opened_at), "closed_at": _time(case.closed_at),
            "first_flagged_at": _time(case.first_flagged_at), "last_scanned_at": _time(case.last_scanned_at),
            "seller": _seller_brief(case.seller), **({} if why is None else {"why": why})}


def _listing(view: queries.ListingView, evidence_ok: set[int]) -> JSON:
    row = view.row
    return {
        "id": row.id, "platform": row.platform, "listing_id": row.listing_key, "url": row.url,
        "title": row.title, "brand": row.brand, "category": view.category, "price": row.price,
        "list_price": row.list_price, "currency": row.currency, "gtin": row.gtin, "risk": row.risk,
        "flagged": row.flagged, "first_seen_at": _time(row.first_seen_at), "last_seen_at": _time(row.last_seen_at),
        "signals": [
            {"code": s.code, "detector": s.detector, "score": s.score,
             "label_vi": signal_label(s.code, "vi"), "label_en": signal_label(s.code, "en"),
             "detail_vi": s.detail_vi, "detail_en": s.detail}
            for s in view.signals
        ],
        "price_history": [{"observed_at": _time(o.observed_at), "price": o.price} for o in view.history],
        # Only captures this caller may open (inspectors: their own cases and scans).
        "evidence": [
            {"id": e.id, "kind": e.kind, "sha256": e.sha256, "captured_at": _time(e.captured_at),
             "href": f"/evidence/{e.id}"}
            for e in view.evidence if e.id in evidence_ok
        ],
    }


def _scan_request(row: ScanRequest) -> JSON:
    return {"id": row.id, "url": row.url, "platform": row.platform, "seller_id": row.seller_key,
            "status": row.status, "requested_by": row.requested_by, "created_at": _time(row.created_at),
            "started_at": _time(row.started_at), "finished_at": _time(row.finished_at),
            "scan_run_id": row.scan_run_id, "error": row.error}


def _scan_run(run: ScanRun) -> JSON:
    return {"id": run.id, "kind": run.kind, "platform": run.platform, "status": run.status,
            "reason": run.reason, "started_at": _time(run.started_at), "finished_at": _time(run.finished_at),
            "counts": dict(run.counts)}


def _paging(request: Request) -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1..100); bad values are a 400 naming the field."""
    values: list[int] = []
    for name, default, top in (("page", 1, None), ("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)):
        raw = request.query_params.get(name, "").strip() or str(default)
        if not raw.isdigit() or int(raw) < 1 or (top is not None and int(raw) > top):
            raise BadInput(name, f"{raw!r} is not a number from 1" + ("" if top is None else f" to {top}"))
        values.append(int(raw))
    return values[0], values[1]


def _meta(page: int, per_page: int, total: int) -> JSON:
    return {"page": page, "per_page": per_page, "total": total, "pages": max(1, math.ceil(total / per_page))}


def _lang(request: Request) -> Lang:
    """`?lang=vi|en` picks the signal texts of the export and the "why" column (as the pages)."""
    return "vi" if web.lang_of(request) == "vi" else "en"


# --------------------------------------------------------------------------- cases


@router.get("/cases", summary="The review queue: the queue page's cases, filters and order")
def list_cases(request: Request, caller: Caller) -> JSON:
    require_perm(caller, "view")
    state = web.state_of(request)
    filters = parse_filters(request, state.rules)  # the queue page's own parser
    page_no, per_page = _paging(request)
    with state.db() as session:
        page = queries.queue_page(session, filters, state.rules, page=page_no, per_page=per_page)
        # The page clamps a page past the end to the last one; a script paging on must see the end.
        rows = page.rows if page.page == page_no else []
        why = why_flagged(session, [r.case.seller_id for r in rows], _lang(request))
        items = [_case_brief(r.case, r.category, why.get(r.case.seller_id, [])) for r in rows]
    return {**_meta(page_no, per_page, page.total), "filters": dict(filters.query_items()), "items": items}


@router.get("/cases/{case_id}", summary="One case: seller, detector output, timeline, listings with signals")
def get_case(request: Request, case_id: DbId, caller: Caller) -> JSON:
    require_perm(caller, "view")
    state = web.state_of(request)
    user = caller.user
    with state.db() as session:
        try:
            case = review_queue.get_case(session, case_id)
        except review_queue.CaseNotFound:
            raise ApiError(404, "not_found", f"no case {case_id}") from None
        seller = case.seller
        listings = queries.case_listings(session, seller.id, state.rules)
        category = queries.seller_categories(session, [seller.id], state.rules).get(seller.id)
        assessment = repo.latest_assessment(session, seller.id)
        evidence_ok = {e.id for v in listings for e in v.evidence if can_see_evidence(session, user, e)}
        missing = [] if seller.is_official else queries.missing_identity(seller, state.rules)
        body = {
            **_case_brief(case, category),
            "seller": _seller_full(seller, missing),
            "decision_note": case.decision_note,
            "can_decide": can_act_on_case(user, case, "decide"),
            "can_note": can_act_on_case(user, case, "note"),
            "assessment": None if assessment is None else {
                "risk": assessment.risk, "flagged": assessment.flagged,
                "flagged_listings": assessment.flagged_listings, "total_listings": assessment.total_listings,
                "rules_version": assessment.rules_version, "assessed_at": _time(assessment.assessed_at),
                "signals": list(assessment.signals)},
            "events": [{"at": _time(e.at), "actor": e.actor, "kind": e.kind, "from_status": e.from_status,
                        "to_status": e.to_status, "note": e.note} for e in case.events],
            "listings": [_listing(v, evidence_ok) for v in listings],
        }
    return body


# --------------------------------------------------------------------------- sellers


@router.get("/sellers/{seller_id}", summary="One seller: facts, identity gaps, cases, network")
def get_seller(request: Request, seller_id: DbId, caller: Caller) -> JSON:
    require_perm(caller, "view")
    state = web.state_of(request)
    with state.db() as session:
        seller = session.get(Seller, seller_id)
        if seller is None:
            raise ApiError(404, "not_found", f"no seller {seller_id}")
        missing = [] if seller.is_official else queries.missing_identity(seller, state.rules)
        cases = list(session.scalars(select(ReviewCase).where(ReviewCase.seller_id == seller.id)
                                     .order_by(ReviewCase.id.desc())))
        total, flagged = _listing_counts(session, seller.id)
        network = membership(session, [seller.id]).get(seller.id)
        category = queries.seller_categories(session, [seller.id], state.rules).get(seller.id)
        return {
            **_seller_full(seller, missing), "category": category,
            "listings": {"total": total, "flagged": flagged},
            "cases": [{"id": c.id, "status": c.status, "risk": c.risk, "opened_at": _time(c.opened_at),
                       "closed_at": _time(c.closed_at)} for c in cases],
            "network": None if network is None else {"id": network[0], "size": network[1]},
        }


def _listing_counts(session: Session, seller_pk: int) -> tuple[int, int]:
    total = session.scalar(select(func.count()).select_from(Listing).where(Listing.seller_id == seller_pk))
    flagged = session.scalar(select(func.count()).select_from(Listing)
                             .where(Listing.seller_id == seller_pk, Listing.flagged.is_(True)))
    return int(total or 0), int(flagged or 0)


# --------------------------------------------------------------------------- scans


@router.get("/scans", summary="Scan runs, newest first (inspectors: the runs of their own requests)")
def list_scans(request: Request, caller: Caller) -> JSON:
    require_perm(caller, "scan")  # as the /scans page
    page_no, per_page = _paging(request)
    stmt = select(ScanRun)
    if not allowed(caller.user, "scan_all"):
        # As on the page: an inspector sees only what they asked for.
        stmt = stmt.where(ScanRun.id.in_(select(ScanRequest.scan_run_id)
                                         .where(ScanRequest.requested_by == caller.user.name)))
    with web.state_of(request).db() as session:
        total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
        runs = session.scalars(stmt.order_by(ScanRun.started_at.desc(), ScanRun.id.desc())
                               .offset((page_no - 1) * per_page).limit(per_page))
        items = [_scan_run(r) for r in runs]
    return {**_meta(page_no, per_page, total), "items": items}


@router.post("/scans", status_code=202, summary="Ask for an on-demand scan of one seller's shop URL")
def request_scan(request: Request, body: ScanIn, caller: Caller) -> JSON:
    require_perm(caller, "scan")
    state = web.state_of(request)
    ref = _check_scan_url(state, body.url)  # the web form's check, which is the CLI's
    with state.tx() as session:
        row = repo.request_scan(session, ref.url, caller.user.name, platform=ref.platform, seller_key=ref.value)
        result = _scan_request(row)
    web.log.info("API scan request %s by %s: %s", result["id"], caller.user.name, ref.url[:200])
    return result


@router.get("/scans/requests/{request_id}", summary="One on-demand scan request and its run")
def get_scan_request(request: Request, request_id: DbId, caller: Caller) -> JSON:
    require_perm(caller, "scan")
    with web.state_of(request).db() as session:
        row = session.get(ScanRequest, request_id)
        # Another inspector's request is "not found", as on the page: no hint it exists.
        if row is None or (not allowed(caller.user, "scan_all") and row.requested_by != caller.user.name):
            raise ApiError(404, "not_found", f"no scan request {request_id}")
        return {**_scan_request(row), "run": None if row.scan_run is None else _scan_run(row.scan_run)}


# --------------------------------------------------------------------------- export


@router.get("/export/flagged-sellers", summary="The flagged-seller export (DESIGN §3.3) as JSON rows")
def export_flagged(request: Request, caller: Caller) -> JSON:
    require_perm(caller, "export")
    state = web.state_of(request)
    filters = parse_filters(request, state.rules)
    with state.db() as session:
        case_ids = set(queries.matching_case_ids(session, filters, state.rules))
        frame = flagged_sellers_frame(session, lang=_lang(request))
    # As the CSV download: the sellers whose case the queue's filters select.
    frame = frame[frame["case_id"].isin(case_ids)].reset_index(drop=True)
    rows = [{name: _cell(value) for name, value in record.items()} for record in frame.to_dict("records")]
    return {"columns": list(frame.columns), "total": len(rows), "items": rows}


def _cell(value: Any) -> Any:
    """pandas cells as JSON: NA/NaT -> null, timestamps -> ISO 8601, numpy numbers -> Python."""
    import pandas as pd

    if value is None or (not isinstance(value, str | list) and bool(pd.isna(value))):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


__all__ = ["router"]
