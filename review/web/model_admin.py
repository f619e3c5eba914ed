"""The learned scoring model in the web app (issue 13): its card and rollback for admins, and
"Cần xem xét", the listings the current scorer is least sure about, for analysts.

Kept apart from `routes.py`. Activating a model here is what `listingwatch model activate`
does, with the same refusal of a model that failed the cross-validation gate; the risks
change at the next scan or `listingwatch rescore`.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from review.web import helpers as web
from review.web.i18n import translate
from review.web.security import require
from storage import repo
from storage.models import Listing, Seller, User

router = APIRouter()

CurrentUser = Annotated[User, Depends(web.current_user)]
UNCERTAIN_ROWS = 50  # a page an analyst can work through in one sitting


@router.get("/admin/model")
def model_page(request: Request, user: CurrentUser) -> Response:
    require(user, "admin")
    with web.state_of(request).db() as session:
        rows = repo.list_models(session)
        active = next((r for r in rows if r.active), None)
        models = [{"version": r.version, "active": r.active, "created_at": r.created_at,
                   "passed": bool(r.card.get("gate", {}).get("passed")),
                   "f1": r.card.get("metrics", {}).get("model", {}).get("f1")} for r in reversed(rows)]
        card = None if active is None else json.dumps(active.card, ensure_ascii=False, indent=2)
        version = None if active is None else active.version
    return web.render(request, "model.html", {"models": models, "card": card, "version": version}, user=user)


@router.post("/admin/model/activate")
def activate(request: Request, user: CurrentUser, version: Annotated[str, Form()] = "") -> Response:
    """Activate `version` (rollback), or the hand weights when it is empty."""
    require(user, "admin")
    lang = web.lang_of(request)
    with web.state_of(request).tx() as session:
        row = repo.model_by_version(session, version) if version != "" else None
        if version != "" and row is None:
            web.flash(request, "error", f"no model version {version!r}")
        elif row is not None and not row.card.get("gate", {}).get("passed", False):
            web.flash(request, "error", translate(lang, "model.refused", version=version))
        else:
            repo.activate_model(session, None if row is None else row.version)
            web.log.info("scoring model %s activated by %s", version or "(hand weights)", user.name)
            what = version if version != "" else translate(lang, "model.hand")
            web.flash(request, "ok", translate(lang, "model.changed", what=what))
    return RedirectResponse("/admin/model", status_code=303)


@router.get("/uncertain")
def uncertain_page(request: Request, user: CurrentUser) -> Response:
    require(user, "view")
    state = web.state_of(request)
    threshold = state.rules.scoring.flag_threshold
    with state.db() as session:
        rows = session.execute(
            select(Listing.platform, Listing.title, Listing.risk, Listing.flagged, Listing.model_version,
                   Seller.name)
            .outerjoin(Seller, Seller.id == Listing.seller_id)
            .where(Listing.risk.is_not(None))
            .order_by(func.abs(Listing.risk - threshold), Listing.id)
            .limit(UNCERTAIN_ROWS)
        ).all()
    listings = [{"platform": p, "title": t, "risk": r, "flagged": f, "model": m, "seller": s}
                for p, t, r, f, m, s in rows]
    return web.render(request, "uncertain.html", {"listings": listings, "threshold": threshold}, user=user)


__all__ = ["router"]
