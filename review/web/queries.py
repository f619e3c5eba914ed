"""Read models for the web pages: the filtered queue, a case with its evidence, statistics.

The queue's SQL filters mirror `review.queue.list_cases` and add what the web queue needs
(province, risk range, date range, category). A seller's category is not stored: it is
inferred from its listings with the detectors' own `infer_category`, the way the queue
priority weighs it (the most urgent category among its flagged listings).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from detectors.category import infer_category
from detectors.vntime import VIETNAM_TZ, as_utc
from review.networks.store import network_counts
from review.queue import CLOSED_STATUSES
from review.takedown.stats import REAPPEARED_KIND, TakedownStatRow, takedown_stats
from rules.loader import RuleSet
from rules.record import Listing as ListingRecord
from rules.record import Seller as SellerRecord
from storage.models import (
    CASE_STATUSES,
    OPEN_CASE_STATUSES,
    CaseEvent,
    Evidence,
    Listing,
    ListingObservation,
    ListingSignal,
    ReviewCase,
    ScanRequest,
    Seller,
    User,
)

UNASSIGNED: Final = "-"
STATUS_CHOICES: Final = ("active", "all", *CASE_STATUSES)


@dataclass(frozen=True, slots=True)
class QueueFilters:
    platform: str | None = None
    category: str | None = None
    province: str | None = None
    risk_min: float | None = None
    risk_max: float | None = None
    status: str = "active"
    assignee: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def statuses(self) -> Sequence[str] | None:
        if self.status == "active":
            return OPEN_CASE_STATUSES
        if self.status == "all":
            return None
        return (self.status,)

    def query_items(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs (for paging and export links)."""
        items: list[tuple[str, str]] = []
        for name in ("platform", "category", "province", "assignee"):
            value = getattr(self, name)
            if value is not None:
                items.append((name, value))
        for name in ("risk_min", "risk_max"):
            value = getattr(self, name)
            if value is not None:
                items.append((name, f"{value:g}"))
        if self.status != "active":
            items.append(("status", self.status))
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                items.append((name, value.isoformat()))
        return items


@dataclass(slots=True)
class QueueRow:
    case: ReviewCase
    category: str | None


@dataclass(slots=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int


def _queue_stmt(filters: QueueFilters) -> Select[int, int]:
    stmt = select(ReviewCase.id, ReviewCase.seller_id).join(Seller, ReviewCase.seller_id == Seller.id)
    statuses = filters.statuses()
    if statuses is not None:
        stmt = stmt.where(ReviewCase.status.in_(statuses))
    if filters.platform is not None:
        stmt = stmt.where(Seller.platform == filters.platform)
    if filters.province is not None:
        stmt = stmt.where(Seller.location == filters.province)
    if filters.risk_min is not None:
        stmt = stmt.where(ReviewCase.risk >= filters.risk_min)
    if filters.risk_max is not None:
        stmt = stmt.where(ReviewCase.risk <= filters.risk_max)
    if filters.assignee == UNASSIGNED:
        stmt = stmt.where(ReviewCase.assignee_id.is_(None))
    elif filters.assignee is not None:
        stmt = stmt.where(
            ReviewCase.assignee_id.in_(select(User.id).where(User.name == filters.assignee))
        )
    if filters.date_from is not None:
        stmt = stmt.where(ReviewCase.opened_at >= _local_midnight(filters.date_from))
    if filters.date_to is not None:
        stmt = stmt.where(
            ReviewCase.opened_at < _local_midnight(filters.date_to + timedelta(days=1))
        )
    return stmt.order_by(
        ReviewCase.priority.desc(), ReviewCase.risk.desc(), ReviewCase.opened_at, ReviewCase.id
    )


def matching_case_ids(session: Session, filters: QueueFilters, rules: RuleSet) -> list[int]:
    """Every case id matching the filters, most urgent first."""
    pairs = [(int(cid), int(sid)) for cid, sid in session.execute(_queue_stmt(filters))]
    if filters.category is None:
        return [cid for cid, _ in pairs]
    categories = seller_categories(session, {sid for _, sid in pairs}, rules)
    return [cid for cid, sid in pairs if categories.get(sid) == filters.category]


def queue_page(
    session: Session, filters: QueueFilters, rules: RuleSet, *, page: int, per_page: int
) -> QueuePage:
    ids = matching_case_ids(session, filters, rules)
    total = len(ids)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    chosen = ids[(page - 1) * per_page : page * per_page]
    cases = {
        c.id: c
        for c in session.scalars(
            select(ReviewCase)
            .where(ReviewCase.id.in_(chosen))
            .options(joinedload(ReviewCase.seller), joinedload(ReviewCase.assignee))
        )
    }
    categories = seller_categories(session, {c.seller_id for c in cases.values()}, rules)
    rows = [QueueRow(cases[cid], categories.get(cases[cid].seller_id)) for cid in chosen]
    return QueuePage(rows=rows, total=total, page=page, pages=pages)


def seller_categories(session: Session, seller_ids: Iterable[int], rules: RuleSet) -> dict[int, str]:
    """Per seller: the most urgent rule category among its flagged listings (else all)."""
    ids = sorted(set(seller_ids))
    found: dict[int, Counter[str]] = defaultdict(Counter)
    flagged_found: dict[int, Counter[str]] = defaultdict(Counter)
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        stmt = select(Listing.seller_id, Listing.category, Listing.title, Listing.flagged).where(
            Listing.seller_id.in_(part)
        )
        for sid, category, title, flagged in session.execute(stmt):
            key = listing_category(category, title, rules)
            if key is None or sid is None:
                continue
            found[sid][key] += 1
            if flagged:
                flagged_found[sid][key] += 1
    result: dict[int, str] = {}
    for sid in ids:
        counts = flagged_found.get(sid) or found.get(sid)
        if counts:
            result[sid] = max(counts, key=lambda k: (_weight(k, rules), counts[k], k))
    return result


def listing_category(category: str | None, title: str | None, rules: RuleSet) -> str | None:
    probe = ListingRecord(
        platform="web", listing_id="0", title=title or "", category=category, seller=SellerRecord()
    )
    return infer_category(probe, rules)


def _weight(key: str, rules: RuleSet) -> float:
    cat = rules.category(key)
    return 1.0 if cat is None else cat.queue_weight


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=VIETNAM_TZ).astimezone(UTC)


def filter_options(session: Session) -> dict[str, list[str]]:
    """Values offered in the queue's drop-downs (platforms and provinces that have cases)."""
    platforms = session.scalars(
        select(Seller.platform).where(Seller.id.in_(select(ReviewCase.seller_id))).distinct()
    )
    provinces = session.scalars(
        select(Seller.location)
        .where(Seller.id.in_(select(ReviewCase.seller_id)), Seller.location.is_not(None))
        .distinct()
    )
    assignees = session.scalars(
        select(User.name).where(User.active.is_(True), User.role.in_(("analyst", "inspector")))
    )
    return {
        "platforms": sorted(p for p in platforms if p is not None),
        "provinces": sorted(p for p in provinces if p is not None),
        "assignees": sorted(assignees),
    }


# --------------------------------------------------------------------------- case page


@dataclass(slots=True)
class ListingView:
    row: Listing
    signals: list[ListingSignal]
    history: list[ListingObservation]
    evidence: list[Evidence]
    category: str | None

    @property
    def points(self) -> list[tuple[datetime, int | None]]:
        """(observed at, price) per observation, for the price chart."""
        return [(o.observed_at, o.price) for o in self.history]


def case_listings(session: Session, seller_id: int, rules: RuleSet) -> list[ListingView]:
    """Every listing of the seller, riskiest first, with signals, price history, evidence."""
    listings = list(
        session.scalars(
            select(Listing)
            .where(Listing.seller_id == seller_id)
            .order_by(Listing.risk.desc().nulls_last(), Listing.id)
        )
    )
    ids = [x.id for x in listings]
    signals: dict[int, list[ListingSignal]] = defaultdict(list)
    history: dict[int, list[ListingObservation]] = defaultdict(list)
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        for sig in session.scalars(
            select(ListingSignal)
            .where(ListingSignal.listing_id.in_(part))
            .order_by(ListingSignal.listing_id, ListingSignal.score.desc(), ListingSignal.id)
        ):
            signals[sig.listing_id].append(sig)
        for obs in session.scalars(
            select(ListingObservation)
            .where(ListingObservation.listing_id.in_(part))
            .order_by(ListingObservation.observed_at, ListingObservation.id)
        ):
            history[obs.listing_id].append(obs)
        for ev in session.scalars(
            select(Evidence)
            .where(Evidence.listing_id.in_(part))
            .order_by(Evidence.captured_at, Evidence.id)
        ):
            if ev.listing_id is not None:
                evidence[ev.listing_id].append(ev)
    return [
        ListingView(
            row=x,
            signals=signals.get(x.id, []),
            history=history.get(x.id, []),
            evidence=evidence.get(x.id, []),
            category=listing_category(x.category, x.title, rules),
        )
        for x in listings
    ]


def missing_identity(seller: Seller, rules: RuleSet) -> list[str]:
    """Decree 85/2021 Art. 29 identity fields (per `rules/scoring.yaml`) the shop does not show."""
    return [
        name for name in rules.scoring.seller.identity_fields if getattr(seller, name, None) is None
    ]


# --------------------------------------------------------------------------- scans


def scan_requests(session: Session, *, requested_by: str | None, limit: int = 50) -> list[ScanRequest]:
    stmt = select(ScanRequest).order_by(ScanRequest.created_at.desc(), ScanRequest.id.desc())
    if requested_by is not None:
        stmt = stmt.where(ScanRequest.requested_by == requested_by)
    return list(session.scalars(stmt.limit(limit)))


def seller_case_for_request(session: Session, request: ScanRequest) -> ReviewCase | None:
    """The newest case of the seller a request was about, once the scan has stored it."""
    if request.platform is None or request.seller_key is None:
        return None
    return session.scalar(
        select(ReviewCase)
        .join(Seller, ReviewCase.seller_id == Seller.id)
        .where(Seller.platform == request.platform, Seller.seller_key == request.seller_key)
        .order_by(ReviewCase.id.desc())
        .limit(1)
    )


# --------------------------------------------------------------------------- statistics


@dataclass(slots=True)
class Stats:
    cases: dict[str, list[tuple[str | None, int]]]
    listings: dict[str, list[tuple[str | None, int]]]
    total_cases: int
    confirmed: int
    flagged_listings: int
    # Seller networks (issue 16): distinct sellers with a case, the networks they belong to
    # and how many sellers those networks hold (one network may be several cases).
    case_sellers: int = 0
    networks: int = 0
    networked_sellers: int = 0
    # Takedowns (issue 16 part 5): one row per platform and month, newest first.
    takedowns: list[TakedownStatRow] = field(default_factory=list)


STAT_DIMENSIONS: Final = ("platform", "category", "province", "week")
WEEKS_SHOWN: Final = 12


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.astimezone(VIETNAM_TZ).isocalendar()
    return f"{year}-W{week:02d}"


def statistics(session: Session, rules: RuleSet) -> Stats:
    cases_rows = session.execute(
        select(ReviewCase.status, ReviewCase.opened_at, Seller.id, Seller.platform, Seller.location)
        .join(Seller, ReviewCase.seller_id == Seller.id)
    ).all()
    categories = seller_categories(session, {r[2] for r in cases_rows}, rules)
    cases: dict[str, Counter[str | None]] = {d: Counter() for d in STAT_DIMENSIONS}
    for _status, opened_at, sid, platform, location in cases_rows:
        cases["platform"][platform] += 1
        cases["category"][categories.get(sid)] += 1
        cases["province"][location] += 1
        cases["week"][iso_week(opened_at)] += 1

    listing_rows = session.execute(
        select(Listing.platform, Listing.category, Listing.title, Listing.first_seen_at, Seller.location)
        .outerjoin(Seller, Listing.seller_id == Seller.id)
        .where(Listing.flagged.is_(True))
    ).all()
    listings: dict[str, Counter[str | None]] = {d: Counter() for d in STAT_DIMENSIONS}
    for platform, category, title, first_seen, location in listing_rows:
        listings["platform"][platform] += 1
        listings["category"][listing_category(category, title, rules)] += 1
        listings["province"][location] += 1
        listings["week"][iso_week(first_seen)] += 1

    def ordered(dim: str, counts: Counter[str | None]) -> list[tuple[str | None, int]]:
        if dim == "week":
            return sorted(counts.items(), key=lambda kv: kv[0] or "")[-WEEKS_SHOWN:]
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))

    confirmed = sum(1 for r in cases_rows if r[0] == "confirmed")
    case_sellers = {r[2] for r in cases_rows}
    networks, networked = network_counts(session, case_sellers)
    return Stats(
        cases={d: ordered(d, c) for d, c in cases.items()},
        listings={d: ordered(d, c) for d, c in listings.items()},
        total_cases=len(cases_rows),
        confirmed=confirmed,
        flagged_listings=len(listing_rows),
        case_sellers=len(case_sellers),
        networks=networks,
        networked_sellers=networked,
        takedowns=takedown_stats(session),
    )


# --------------------------------------------------------------------------- violators


@dataclass(frozen=True, slots=True)
class Violator:
    """A seller whose case's last decision is "confirmed", and when that was decided.

    A re-appearance after a takedown re-opens the case for action (`review.takedown.reappear`)
    but revokes nothing: the seller stays on the list, with the original decision date,
    until an analyst decides the re-opened case otherwise."""

    case: ReviewCase
    decided_at: datetime
    reopened: bool  # the case is open again because a removed listing re-appeared


def confirmed_violators(session: Session) -> list[Violator]:
    """Cases whose last decision is "confirmed", newest decision first."""
    confirmed = session.scalars(
        select(ReviewCase).where(ReviewCase.status == "confirmed", ReviewCase.closed_at.is_not(None))
        .options(joinedload(ReviewCase.seller))
    ).all()
    out = [Violator(c, as_utc(c.closed_at), False) for c in confirmed if c.closed_at is not None]
    reopened = session.scalars(
        select(ReviewCase).where(ReviewCase.status.in_(OPEN_CASE_STATUSES),
                                 ReviewCase.id.in_(select(CaseEvent.case_id).where(
                                     CaseEvent.kind == REAPPEARED_KIND, CaseEvent.from_status == "confirmed")))
        .options(joinedload(ReviewCase.seller))
    ).all()
    for case in reopened:
        reopening = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == REAPPEARED_KIND,
                                    CaseEvent.from_status.is_not(None))
            .order_by(CaseEvent.at.desc(), CaseEvent.id.desc()).limit(1)).first()
        if reopening is None or reopening.from_status != "confirmed":
            continue
        decision = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.to_status.in_(CLOSED_STATUSES))
            .order_by(CaseEvent.at.desc(), CaseEvent.id.desc()).limit(1)).first()
        if decision is not None and decision.to_status != "confirmed":
            continue
        closed_at = (reopening.data or {}).get("closed_at")
        decided = decision.at if decision is not None else (
            datetime.fromisoformat(closed_at) if isinstance(closed_at, str) else reopening.at)
        out.append(Violator(case, as_utc(decided), True))
    return sorted(out, key=lambda v: (v.decided_at, v.case.id), reverse=True)


__all__ = [
    "CLOSED_STATUSES",
    "STATUS_CHOICES",
    "UNASSIGNED",
    "Violator",
    "QueueFilters",
    "case_listings",
    "confirmed_violators",
    "filter_options",
    "matching_case_ids",
    "missing_identity",
    "queue_page",
    "statistics",
]
