"""The model page (admins: card and rollback) and "Cần xem xét" (issue 13)."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from review.web.app import create_app
from storage import db, repo
from tests.web.web_client import login, post, settings


def _two_models(url: str) -> None:
    with Session(db.make_engine(url)) as session, session.begin():
        good = {"version": "m1", "gate": {"passed": True, "reason": "ok"}, "metrics": {"model": {"f1": 0.9}}}
        repo.register_model(session, "m1", "/nowhere/m1.joblib", "0" * 64, good)
        repo.register_model(session, "m2", "/nowhere/m2.joblib", "1" * 64, {**good, "version": "m2"})
        repo.register_model(session, "bad", "/nowhere/bad.joblib", "2" * 64,
                            {"version": "bad", "gate": {"passed": False, "reason": "recall lower"}})
        repo.activate_model(session, "m2")


def test_admin_sees_the_card_and_rolls_back(small_db: str) -> None:
    _two_models(small_db)
    app = create_app(small_db, settings=settings())
    with TestClient(app, follow_redirects=False) as c:
        login(c, "ana")
        assert c.get("/admin/model").status_code == 403
        assert c.get("/uncertain").status_code == 200
    with TestClient(app, follow_redirects=False) as c:
        login(c, "boss")
        html = c.get("/admin/model").text
        assert "&#34;version&#34;: &#34;m2&#34;" in html or '"version": "m2"' in html  # the active card
        assert post(c, "/admin/model/activate", {"version": "m1"}, page="/admin/model").status_code == 303
        assert post(c, "/admin/model/activate", {"version": "bad"}, page="/admin/model").status_code == 303
    with Session(db.make_engine(small_db)) as session:
        active = repo.active_model(session)
        assert active is not None and active.version == "m1"  # rolled back; the failed one refused


def test_case_page_shows_a_signals_learned_contribution(small_db: str) -> None:
    from sqlalchemy import select

    from storage.models import Listing, ListingSignal, ReviewCase

    with Session(db.make_engine(small_db)) as session, session.begin():
        sig = session.scalars(select(ListingSignal).limit(1)).one()
        sig.contribution = 0.42
        seller = session.get(Listing, sig.listing_id)
        assert seller is not None
        case_id = session.scalar(select(ReviewCase.id).where(ReviewCase.seller_id == seller.seller_id))
    assert case_id is not None
    with TestClient(create_app(small_db, settings=settings()), follow_redirects=False) as c:
        login(c, "ana")
        assert "(mô hình: +0.42 rủi ro)" in c.get(f"/cases/{case_id}").text
