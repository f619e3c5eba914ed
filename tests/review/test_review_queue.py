"""The review queue: one open case per seller, transitions, events with who and when."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from review import queue
from review.queue import CaseNotFound, InvalidTransition, NoteRequired, UserNotFound
from review.queue import sync as queue_sync
from rules.record import Listing
from storage import repo
from storage.models import CaseEvent, ReviewCase, User

T0 = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def add_seller(session: Session, key: str = "s1", platform: str = "shopee") -> int:
    listing = Listing(
        platform=platform,
        listing_id=f"{key}-1",
        title="Nước hoa Chanel rep 1:1",
        seller={"id": key, "name": key},
    )
    return repo.upsert_listings(session, None, [listing], now=T0).seller_pks[(platform, key)]


def add_user(session: Session, name: str, *, active: bool = True) -> User:
    user = User(name=name, role="analyst", password_hash="x", active=active)
    session.add(user)
    session.flush()
    return user


def sync(
    session: Session, seller: int, risk: float, flagged: bool = True, **kw: object
) -> queue.CaseChange:
    return queue.sync_case(
        session,
        seller,
        risk=risk,
        flagged=flagged,
        priority=float(kw.pop("priority", risk)),  # type: ignore[arg-type]
        scanned_at=kw.pop("scanned_at", T0),  # type: ignore[arg-type]
    )


def events(session: Session, case_id: int) -> list[CaseEvent]:
    return queue.case_events(session, case_id)


def test_flagged_seller_gets_one_case_with_an_opened_event(session: Session) -> None:
    seller = add_seller(session)
    change = sync(session, seller, 0.8)
    assert change.action == "opened" and change.case_id is not None
    case = queue.get_case(session, change.case_id)
    assert (case.status, case.risk, case.priority) == ("open", 0.8, 0.8)
    assert case.last_scanned_at == T0 and case.first_flagged_at == T0
    [opened] = case.events
    assert (opened.kind, opened.actor, opened.to_status) == ("opened", "system", "open")
    assert opened.at.tzinfo is not None


def test_unflagged_seller_without_case_gets_none(session: Session) -> None:
    seller = add_seller(session)
    assert sync(session, seller, 0.2, flagged=False).action == "none"
    assert session.scalar(select(func.count(ReviewCase.id))) == 0


def test_rescoring_updates_the_open_case_and_logs_only_real_changes(session: Session) -> None:
    seller = add_seller(session)
    case_id = sync(session, seller, 0.8).case_id
    later = T0 + timedelta(days=1)
    touched = sync(session, seller, 0.8, priority=0.9, scanned_at=later)
    assert (touched.action, touched.case_id) == ("touched", case_id)
    rescored = sync(session, seller, 0.95, scanned_at=later + timedelta(days=1))
    assert (rescored.action, rescored.case_id) == ("rescored", case_id)
    still_open = sync(session, seller, 0.4, flagged=False)  # people close cases, not detectors
    assert still_open.action == "rescored"
    assert case_id is not None
    case = queue.get_case(session, case_id)
    assert case.status == "open" and case.risk == 0.4
    assert case.last_scanned_at == later + timedelta(days=1)
    assert [e.kind for e in case.events] == ["opened", "rescored", "rescored"]
    assert case.events[1].data["risk_from"] == 0.8 and case.events[1].data["risk_to"] == 0.95
    assert session.scalar(select(func.count(ReviewCase.id))) == 1


def test_database_refuses_a_second_open_case(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        seller = add_seller(s)
        sync(s, seller, 0.8)
    with sessions() as s, pytest.raises(IntegrityError):
        s.add(
            ReviewCase(
                seller_id=seller,
                status="in_review",
                risk=0.9,
                first_flagged_at=T0,
                last_scanned_at=T0,
            )
        )
        s.flush()
    with sessions.begin() as s:  # a closed case next to the open one is fine
        s.add(
            ReviewCase(
                seller_id=seller,
                status="dismissed",
                risk=0.1,
                first_flagged_at=T0,
                last_scanned_at=T0,
            )
        )


def test_lost_race_updates_the_winners_case(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Our read saw no open case, but another writer's case exists by the time we insert."""
    seller = add_seller(session)
    winner = sync(session, seller, 0.7).case_id
    real = queue.open_case_for
    calls = {"n": 0}

    def stale_first_read(s: Session, seller_pk: int) -> ReviewCase | None:
        calls["n"] += 1
        return None if calls["n"] == 1 else real(s, seller_pk)

    # sync_case looks the open case up in its own module, so that is where the read is patched.
    monkeypatch.setattr(queue_sync, "open_case_for", stale_first_read)
    change = sync(session, seller, 0.9)
    assert (change.action, change.case_id) == ("rescored", winner)
    assert calls["n"] == 2  # the stale read, then the winner's case: the race path ran
    assert session.scalar(select(func.count(ReviewCase.id))) == 1


@pytest.mark.postgres
def test_concurrent_syncs_open_one_case_on_postgresql(pg_url: str) -> None:
    from storage.db import make_engine, upgrade

    upgrade(pg_url)
    engine = make_engine(pg_url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with sessions.begin() as s:
            sellers = [add_seller(s, f"s{i}") for i in range(10)]
        barrier = threading.Barrier(2)
        results: list[queue.CaseChange] = []
        errors: list[BaseException] = []

        def worker(risk: float) -> None:
            try:
                for seller in sellers:
                    barrier.wait(timeout=30)
                    with sessions.begin() as s:
                        results.append(
                            queue.sync_case(
                                s, seller, risk=risk, flagged=True, priority=risk, scanned_at=T0
                            )
                        )
            except BaseException as exc:
                errors.append(exc)
                barrier.abort()

        threads = [threading.Thread(target=worker, args=(r,)) for r in (0.8, 0.9)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert errors == []
        assert sorted(r.action for r in results).count("opened") == len(sellers)
        with sessions() as s:
            per_seller = s.execute(
                select(ReviewCase.seller_id, func.count()).group_by(ReviewCase.seller_id)
            ).all()
            assert sorted(n for _, n in per_seller) == [1] * len(sellers)
    finally:
        engine.dispose()


def test_transitions_record_who_when_and_why(session: Session) -> None:
    seller = add_seller(session)
    case_id = sync(session, seller, 0.8).case_id
    assert case_id is not None
    at = datetime.now(UTC) + timedelta(minutes=5)  # after the "opened" event
    queue.decide(session, case_id, "in_review", "looking at it", "lan", at=at)
    case = queue.decide(
        session,
        case_id,
        "confirmed",
        "  Fake Chanel, invoices missing  ",
        "minh",
        at=at + timedelta(hours=1),
    )
    assert case.status == "confirmed"
    assert case.closed_at == at + timedelta(hours=1)
    assert case.decision_note == "Fake Chanel, invoices missing"
    history = [
        (e.kind, e.actor, e.from_status, e.to_status, e.at) for e in events(session, case_id)
    ]
    assert history[1:] == [
        ("status", "lan", "open", "in_review", at),
        ("status", "minh", "in_review", "confirmed", at + timedelta(hours=1)),
    ]
    assert events(session, case_id)[-1].data["risk"] == 0.8


@pytest.mark.parametrize("decision", ["confirmed", "dismissed", "referred"])
def test_open_case_may_be_decided_directly(session: Session, decision: str) -> None:
    case_id = sync(session, add_seller(session), 0.8).case_id
    assert case_id is not None
    assert queue.decide(session, case_id, decision, "clear-cut", "lan").status == decision


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], "open"),
        (["in_review"], "in_review"),
        (["in_review"], "open"),
        (["confirmed"], "in_review"),
        (["dismissed"], "confirmed"),
        ([], "closed"),
    ],
)
def test_invalid_transitions_are_refused(session: Session, path: list[str], target: str) -> None:
    case_id = sync(session, add_seller(session), 0.8).case_id
    assert case_id is not None
    for step in path:
        queue.decide(session, case_id, step, "step", "lan")
    before = len(events(session, case_id))
    with pytest.raises(InvalidTransition):
        queue.decide(session, case_id, target, "try", "lan")
    assert len(events(session, case_id)) == before


@pytest.mark.parametrize("note", [None, "", "   \n"])
def test_a_decision_needs_a_note(session: Session, note: str | None) -> None:
    case_id = sync(session, add_seller(session), 0.8).case_id
    assert case_id is not None
    with pytest.raises(NoteRequired):
        queue.decide(session, case_id, "dismissed", note, "lan")
    assert queue.get_case(session, case_id).status == "open"


def test_unknown_case(session: Session) -> None:
    with pytest.raises(CaseNotFound):
        queue.get_case(session, 12345)
    with pytest.raises(CaseNotFound):
        queue.decide(session, 12345, "dismissed", "x", "lan")
    with pytest.raises(CaseNotFound):
        queue.assign(session, 12345, None, "lan")


def test_dismissal_holds_until_risk_rises(session: Session) -> None:
    seller = add_seller(session)
    first = sync(session, seller, 0.7).case_id
    assert first is not None
    queue.decide(session, first, "dismissed", "genuine reseller, has invoices", "lan")

    held = sync(session, seller, 0.7, scanned_at=T0 + timedelta(days=1))
    assert (held.action, held.case_id) == ("suppressed", first)
    assert sync(session, seller, 0.65).action == "suppressed"
    assert session.scalar(select(func.count(ReviewCase.id))) == 1

    reopened = sync(session, seller, 0.9, scanned_at=T0 + timedelta(days=2))
    assert reopened.action == "reopened" and reopened.case_id not in (None, first)
    assert reopened.case_id is not None
    opened = events(session, reopened.case_id)[0]
    assert opened.kind == "opened"
    assert (
        opened.note is not None
        and "0.90" in opened.note
        and "0.70" in opened.note
        and str(first) in opened.note
    )
    assert opened.data["previous_case_id"] == first
    assert queue.get_case(session, first).risk == 0.7  # frozen at dismissal


def test_confirmed_seller_still_flagged_gets_a_new_case(session: Session) -> None:
    seller = add_seller(session)
    first = sync(session, seller, 0.9).case_id
    assert first is not None
    queue.decide(session, first, "confirmed", "fake", "lan")
    again = sync(session, seller, 0.9, scanned_at=T0 + timedelta(days=7))
    assert again.action == "reopened" and again.case_id != first
    assert "confirmed" in again.reason


def test_assign_to_active_users_only(session: Session) -> None:
    add_user(session, "lan")
    add_user(session, "old", active=False)
    case_id = sync(session, add_seller(session), 0.8).case_id
    assert case_id is not None
    case = queue.assign(session, case_id, "lan", "admin")
    assert case.assignee is not None and case.assignee.name == "lan" and case.status == "open"
    with pytest.raises(UserNotFound):
        queue.assign(session, case_id, "old", "admin")
    with pytest.raises(UserNotFound):
        queue.assign(session, case_id, "nobody", "admin")
    queue.assign(session, case_id, None, "admin")
    assigned = [e for e in events(session, case_id) if e.kind == "assigned"]
    assert [(e.actor, e.data["from"], e.data["to"]) for e in assigned] == [
        ("admin", None, "lan"),
        ("admin", "lan", None),
    ]
    queue.decide(session, case_id, "dismissed", "ok", "lan")
    with pytest.raises(InvalidTransition):
        queue.assign(session, case_id, "lan", "admin")


def test_notes_and_actor(session: Session) -> None:
    case_id = sync(session, add_seller(session), 0.8).case_id
    assert case_id is not None
    note = queue.add_note(session, case_id, "called the shop", "lan")
    assert (note.kind, note.actor, note.note) == ("note", "lan", "called the shop")
    with pytest.raises(NoteRequired):
        queue.add_note(session, case_id, " ", "lan")
    with pytest.raises(ValueError):
        queue.decide(session, case_id, "dismissed", "why", "  ")


def test_list_and_count_cases(session: Session) -> None:
    add_user(session, "lan")
    a = sync(session, add_seller(session, "a", "shopee"), 0.6, priority=0.6).case_id
    b = sync(session, add_seller(session, "b", "tiki"), 0.9, priority=0.9).case_id
    c = sync(
        session, add_seller(session, "c", "shopee"), 0.7, priority=1.5
    ).case_id  # health category
    assert a is not None and b is not None and c is not None
    queue.decide(session, b, "dismissed", "ok", "lan")
    queue.assign(session, a, "lan", "admin")

    assert [x.id for x in queue.list_cases(session)] == [c, b, a]
    assert [x.id for x in queue.list_cases(session, status=("open", "in_review"))] == [c, a]
    assert [x.id for x in queue.list_cases(session, platform="shopee")] == [c, a]
    assert [x.id for x in queue.list_cases(session, min_risk=0.65)] == [c, b]
    assert [x.id for x in queue.list_cases(session, assignee="lan")] == [a]
    assert [x.id for x in queue.list_cases(session, limit=1, offset=1)] == [b]
    assert queue.list_cases(session)[0].seller.seller_key == "c"
    assert queue.count_cases(session) == 3
    assert queue.count_cases(session, status="dismissed") == 1


def test_sync_cases_batch(session: Session) -> None:
    s1, s2 = add_seller(session, "a"), add_seller(session, "b")
    changes = queue.sync_cases(
        session,
        [queue.CaseSync(s1, 0.8, True, 0.8, T0), queue.CaseSync(s2, 0.1, False, 0.1, T0)],
    )
    assert [c.action for c in changes] == ["opened", "none"]


# --------------------------------------------------------------------------- issue 14 item 14


@pytest.mark.parametrize("then", ["referred", "dismissed"])
def test_a_confirmed_case_can_be_referred_or_corrected(session: Session, then: str) -> None:
    case_id = sync(session, add_seller(session), 0.8).case_id
    assert case_id is not None
    queue.decide(session, case_id, "confirmed", "test buy", "lan")
    case = queue.decide(session, case_id, then, "sent to the QLTT team" if then == "referred" else "wrong shop", "lan")
    assert case.status == then
    assert [(e.from_status, e.to_status) for e in events(session, case_id) if e.kind == "status"][-1] == (
        "confirmed", then)


def test_a_rescore_that_does_not_change_the_shown_risk_is_not_an_event(session: Session) -> None:
    seller = add_seller(session)
    case_id = sync(session, seller, 0.981).case_id
    assert case_id is not None
    before = len(events(session, case_id))
    change = sync(session, seller, 0.984)
    assert change.action == "touched"
    assert len(events(session, case_id)) == before
    assert session.get(ReviewCase, case_id).risk == pytest.approx(0.984)  # type: ignore[union-attr]
    assert sync(session, seller, 0.99).action == "rescored"
