"""`listingwatch learn` and the learned combiner (issue 13): learning from analysts'
decisions moves risks after `rescore`, a changed model file is refused, too few labels are
refused, and an earlier model can be activated again (rollback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from listingwatch import app
from rules.record import Listing
from storage import db, repo
from storage.models import Listing as ListingRow
from storage.models import ReviewCase, Seller

runner = CliRunner()

# Confirmed sellers sell "Foxconn" cables (factory claim, hand risk ~0.74); dismissed sellers
# write replica slang (hand risk ~0.97) that, in this made-up province, analysts found to
# be honest-goods banter. The learned model should follow the analysts both ways.
CONFIRMED = "Cáp sạc iPhone Lightning Foxconn zin bóc máy mới {n}"
DISMISSED = "Giày Nike Air Force 1 hàng rep 1:1 like auth mẫu {n}"
SELLERS_PER_KIND = 6
LISTINGS_PER_SELLER = 3


def _listings() -> list[Listing]:
    out = []
    for kind, title, price in (("c", CONFIRMED, 60000), ("d", DISMISSED, 350000)):
        for s in range(SELLERS_PER_KIND):
            for n in range(LISTINGS_PER_SELLER):
                out.append(Listing(platform="shopee", listing_id=f"{kind}{s}-{n}", title=title.format(n=n),
                                   price=price + 1000 * n, seller={"id": f"{kind}{s}", "name": f"shop {kind}{s}"}))
            out.append(Listing(platform="shopee", listing_id=f"{kind}{s}-plain", title="Áo thun cotton trơn basic",
                               price=90000, seller={"id": f"{kind}{s}", "name": f"shop {kind}{s}"}))
    return out


def _invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exc_info and "".join(__import__("traceback").format_exception(*result.exc_info)))
    return result.output


def _risks(url: str) -> dict[str, float]:
    with Session(db.make_engine(url)) as session:
        return {key: risk for key, risk in session.execute(select(ListingRow.listing_key, ListingRow.risk))}


@pytest.fixture
def decided_db(tmp_path: Path) -> str:
    from review import queue

    url = f"sqlite:///{tmp_path / 'lw.db'}"
    db.upgrade(url)
    with Session(db.make_engine(url)) as session, session.begin():
        repo.upsert_listings(session, None, _listings())
    _invoke("rescore", "--db", url)
    with Session(db.make_engine(url)) as session, session.begin():
        cases = session.execute(select(ReviewCase.id, Seller.seller_key).join(Seller)).all()
        assert len(cases) == 2 * SELLERS_PER_KIND
        for case_id, seller_key in cases:
            status = "confirmed" if seller_key.startswith("c") else "dismissed"
            queue.decide(session, case_id, status, "checked the listings", "lan")
    return url


def test_decisions_move_risks_after_rescore(decided_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LISTINGWATCH_MODEL", raising=False)
    before = _risks(decided_db)
    text = _invoke("learn", "--from-decisions", "--min-per-class", "5", "--out", str(tmp_path / "m.joblib"),
                   "--db", decided_db)
    assert "folds by seller" in text and "activated" in text and "NOT activated" not in text, text
    _invoke("rescore", "--db", decided_db)
    after = _risks(decided_db)
    for key, risk in before.items():
        if key.endswith("-plain"):
            assert after[key] == risk == 0.0, key  # no signal, no risk, whatever the model learned
            continue
        if key.startswith("d"):
            assert after[key] < before[key], key
            assert after[key] < 0.5, key
        else:
            assert after[key] > risk, key
    with Session(db.make_engine(decided_db)) as session:
        versions = set(session.scalars(select(ListingRow.model_version)))
    assert len(versions) == 1 and None not in versions
    # Back to the hand weights: the same risks as before learning.
    _invoke("model", "deactivate", "--db", decided_db)
    _invoke("rescore", "--db", decided_db)
    assert _risks(decided_db) == before


def test_changed_model_file_is_refused(decided_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.joblib"
    _invoke("learn", "--from-decisions", "--min-per-class", "5", "--out", str(path), "--db", decided_db)
    path.write_bytes(path.read_bytes() + b"\0")  # anyone who can write the file could plant code in it
    result = runner.invoke(app, ["rescore", "--db", decided_db])
    assert result.exit_code == 1
    assert "refused: SHA-256" in result.output and "Traceback" not in result.output
    # The same through the environment, for `score`: a file no `learn` recorded is refused.
    other = tmp_path / "other.joblib"
    other.write_bytes(b"not a model")
    monkeypatch.setenv("LISTINGWATCH_DB_URL", decided_db)
    monkeypatch.setenv("LISTINGWATCH_MODEL", str(other))
    result = runner.invoke(app, ["score", "--workers", "1"], input="")
    assert result.exit_code == 1
    assert "is not recorded by `listingwatch learn`" in result.output
    # --no-model scores with the hand weights whatever the environment says.
    line = '{"platform": "shopee", "listing_id": "1", "title": "Áo thun", "price": 90000}\n'
    result = runner.invoke(app, ["score", "--workers", "1", "--no-model"], input=line)
    assert result.exit_code == 0 and "hand weights" in result.output


def test_too_few_labels_are_refused(decided_db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["learn", "--from-decisions", "--out", str(tmp_path / "m.joblib"), "--db", decided_db])
    assert result.exit_code == 1
    assert f"too few labels to learn from: {SELLERS_PER_KIND * LISTINGS_PER_SELLER} counterfeit" in result.output
    assert "at least 30 of each" in result.output
    assert not (tmp_path / "m.joblib").exists()


def test_rollback_activates_an_earlier_model(decided_db: str, tmp_path: Path) -> None:
    first = _invoke("learn", "--from-decisions", "--min-per-class", "5", "--out", str(tmp_path / "a.joblib"),
                    "--db", decided_db)
    v1 = first.split("as version ")[1].split()[0]
    with Session(db.make_engine(decided_db)) as session, session.begin():
        # A second model, as a later `learn` would record it (same file, another version).
        row = repo.model_by_version(session, v1)
        assert row is not None and row.active
        repo.register_model(session, v1 + "-b", row.path, row.sha256, {**row.card, "version": v1 + "-b"})
        repo.activate_model(session, v1 + "-b")
    assert "* " + v1 + "-b" in _invoke("model", "list", "--db", decided_db)
    _invoke("learn", "--rollback", v1, "--db", decided_db)
    listed = _invoke("model", "list", "--db", decided_db)
    assert "* " + v1 + " " in listed and "* " + v1 + "-b" not in listed
    result = runner.invoke(app, ["model", "activate", "nope", "--db", decided_db])
    assert result.exit_code == 1 and "no model version 'nope'" in result.output
