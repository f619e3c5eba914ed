"""Repository functions: what the pipeline, scheduler and review code call to read and write.

Rules of the house:
- Functions flush but never commit; the caller owns the transaction
  (``with sessions() as session, session.begin(): ...``).
- Batched writes are one statement per table per batch (chunked only to stay under the
  database's bind-parameter limit), in key order so concurrent writers lock rows in the
  same order and cannot deadlock each other.
- Upserts go through ``INSERT … ON CONFLICT``: two crawler processes writing the same
  listing at once on PostgreSQL both succeed and leave one row. They also *start* with a
  write, so on SQLite a writer takes the write lock first and then waits on the busy timeout
  instead of failing on a stale read snapshot.
- Datetimes coming in must be timezone-aware; a naive one is refused (ValueError) rather
  than guessed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import (
    Connection,
    Select,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from rules import record
from storage import bulk
from storage.models import (
    CUSTODY_ACTIONS,
    EVIDENCE_KINDS,
    EVIDENCE_RECORD_TYPES,
    SCAN_KINDS,
    SCAN_REQUEST_STATUSES,
    SCAN_STATUSES,
    Evidence,
    EvidenceAccess,
    ExtractionError,
    Listing,
    ListingObservation,
    ListingScore,
    ListingSignal,
    ScanRequest,
    ScanRun,
    Seller,
    SellerAssessment,
    utcnow,
)

#: Keep this much of a body that failed extraction, to see what came back.
BODY_EXCERPT_CHARS = 4_000

_T = TypeVar("_T")

ListingKey = tuple[str, str]
"""(platform, listing_id) as the platform gives them."""
SellerKey = tuple[str, str]
"""(platform, seller id) as the platform gives them."""


# --------------------------------------------------------------------------- scan runs


def start_scan_run(
    session: Session,
    kind: str,
    platform: str | None = None,
    params: Mapping[str, Any] | None = None,
    *,
    started_at: datetime | None = None,
) -> ScanRun:
    """Record that a scan has started (status `running`)."""
    if kind not in SCAN_KINDS:
        raise ValueError(f"unknown scan kind {kind!r}; expected one of {', '.join(SCAN_KINDS)}")
    run = ScanRun(
        kind=kind,
        platform=platform,
        params=dict(params or {}),
        started_at=_aware(started_at or utcnow(), "started_at"),
        status="running",
        counts={},
    )
    session.add(run)
    session.flush()
    return run


def finish_scan_run(
    session: Session,
    run_id: int,
    status: str,
    reason: str | None = None,
    counts: Mapping[str, Any] | None = None,
    *,
    finished_at: datetime | None = None,
) -> ScanRun:
    """Close a scan run: final status (`ok`, `partial`, `failed`), why, and its counts.

    `counts` is merged over what the run already recorded.
    """
    if status not in SCAN_STATUSES or status == "running":
        raise ValueError(f"cannot finish a scan run as {status!r}; expected ok, partial or failed")
    # Locked like storage.runs.record_progress, which crawls use to write progress into counts.
    run = session.get(ScanRun, run_id, with_for_update=True, populate_existing=True)
    if run is None:
        raise LookupError(f"scan run {run_id} does not exist")
    run.status = status
    run.reason = reason
    run.finished_at = _aware(finished_at or utcnow(), "finished_at")
    run.counts = {**(run.counts or {}), **dict(counts or {})}
    session.flush()
    return run


# --------------------------------------------------------------------------- listings


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """What one `upsert_listings` call did."""

    new: int = 0
    changed: int = 0
    """Listings already known whose price or title changed."""
    seen: int = 0
    """Distinct listings in the call (new + changed + unchanged)."""
    listing_pks: dict[ListingKey, int] = field(default_factory=dict)
    seller_pks: dict[SellerKey, int] = field(default_factory=dict)


def upsert_listings(
    session: Session,
    scan_run_id: int | None,
    listings: Sequence[record.Listing],
    *,
    now: datetime | None = None,
) -> UpsertResult:
    """Insert or update sellers and listings, and add one observation per listing.

    Idempotent per listing: the same listing crawled again updates its row and adds an
    observation, never a second listing. A listing given twice in one call counts once
    (the last one wins). Facts that a page may simply not show (description, GTIN, seller
    phone, ...) are not wiped by a later crawl that lacks them; price, list price and title
    are taken as observed. The SQL is in `storage.bulk` (driver-level: this runs for every
    batch a crawl stores, so it is written for speed).
    """
    now = _aware(now or utcnow(), "now")
    by_key: dict[ListingKey, record.Listing] = {}
    for item in listings:
        by_key[(item.platform, item.listing_id)] = item
    if not by_key:
        return UpsertResult()
    observed_at = {key: _observed_at(item, now) for key, item in by_key.items()}
    keys = sorted(by_key)
    items = [by_key[key] for key in keys]
    observed = [observed_at[key] for key in keys]
    # What the caller added to the session (a scan run, say) must exist before these rows
    # refer to it: the writes below bypass the ORM's autoflush.
    session.flush()
    connection = session.connection()
    db_time = bulk.TimeCache(bulk.dialect_of(connection))
    seen = [db_time(at) for at in observed]

    # Sellers merge in input order (a later listing's facts win), as the listings do.
    seller_pks = _upsert_sellers(connection, db_time, list(by_key.values()), list(observed_at.values()))

    db_now = db_time(now)
    rows: list[tuple[Any, ...]] = []
    index_facts: dict[ListingKey, tuple[Any, ...]] = {}
    for key, item, seen_at in zip(keys, items, seen, strict=True):
        seller_id = item.seller.id
        seller_pk = None if seller_id is None else seller_pks[(item.platform, seller_id)]
        index_facts[key] = (seller_pk, item.brand, item.category, item.gtin)
        rows.append(bulk.LISTINGS.row(
            platform=item.platform, listing_key=item.listing_id, seller_id=seller_pk,
            url=item.url, title=item.title, description=item.description, brand=item.brand,
            category=item.category, price=item.price, list_price=item.list_price,
            currency=item.currency, gtin=item.gtin, origin=item.origin,
            images=bulk.json_text(item.images), sold=item.sold, rating=item.rating,
            created_at=db_now, first_seen_at=seen_at, last_seen_at=seen_at,
            last_changed_at=db_now, last_scan_run_id=scan_run_id,
        ))

    listing_pks: dict[ListingKey, int] = {}
    new = changed = 0
    refresh: list[tuple[Any, ...]] = []
    for row in bulk.execute(connection, bulk.LISTINGS, rows):
        pk, platform, listing_key, created_at, last_changed_at = row[:5]
        key = (platform, listing_key)
        listing_pks[key] = pk
        if created_at == db_now:
            new += 1
        elif last_changed_at == db_now:
            changed += 1
        # Also for rows counted new: an earlier call with the same `now` may have created them.
        came, stored = index_facts[key], row[5:]
        if came != stored and any(
            value is not None and value != old for value, old in zip(came, stored, strict=True)
        ):
            refresh.append((*came, pk))
    # In key (pk) order, like every batched write here, so concurrent writers cannot deadlock.
    bulk.refresh_listing_facts(connection, sorted(refresh, key=lambda row: row[-1]))

    bulk.execute(
        connection,
        bulk.OBSERVATIONS,
        [
            bulk.OBSERVATIONS.row(listing_id=listing_pks[key], scan_run_id=scan_run_id, observed_at=seen_at,
                                  price=item.price, list_price=item.list_price, sold=item.sold,
                                  rating=item.rating, title=item.title)
            for key, item, seen_at in zip(keys, items, seen, strict=True)
        ],
    )
    session.flush()
    return UpsertResult(
        new=new, changed=changed, seen=len(by_key), listing_pks=listing_pks, seller_pks=seller_pks
    )


def _upsert_sellers(
    connection: Connection,
    db_time: bulk.TimeCache,
    items: Sequence[record.Listing],
    observed: Sequence[datetime],
) -> dict[SellerKey, int]:
    # Per seller: its facts by column name; later listings fill in facts, never blank them.
    merged: dict[SellerKey, dict[str, Any]] = {}
    for item, seen_at in zip(items, observed, strict=True):
        seller = item.seller
        if seller.id is None:
            continue
        created = seller.created_at
        if created is not None:
            _aware(created, f"seller.created_at of {item.platform}/{item.listing_id}")
        facts = {"name": seller.name, "url": seller.url, "is_official": seller.is_official,
                 "location": seller.location, "business_id": seller.business_id,
                 "phone": seller.phone, "address": seller.address, "created_at_platform": created}
        row = merged.get((item.platform, seller.id))
        if row is None:
            merged[(item.platform, seller.id)] = {**facts, "first_seen_at": seen_at, "last_seen_at": seen_at}
            continue
        row.update((name, value) for name, value in facts.items() if value is not None)
        row["first_seen_at"] = min(row["first_seen_at"], seen_at)
        row["last_seen_at"] = max(row["last_seen_at"], seen_at)
    if not merged:
        return {}
    times = ("created_at_platform", "first_seen_at", "last_seen_at")
    rows = [
        bulk.SELLERS.row(platform=platform, seller_key=seller_key,
                         **{name: db_time(value) if name in times else value for name, value in row.items()})
        for (platform, seller_key), row in sorted(merged.items())
    ]
    return {
        (platform, seller_key): pk
        for pk, platform, seller_key in bulk.execute(connection, bulk.SELLERS, rows)
    }


def iter_listings(
    session: Session, *, seller_pks: Iterable[int] | None = None, batch_size: int = 1000
) -> Iterator[tuple[int, record.Listing]]:
    """Every stored listing (or those of `seller_pks`) as `(pk, Listing)`, in pk order.

    Reads in keyset-paginated batches of plain rows, so memory stays flat on big databases.
    `observed_at` is the listing's `last_seen_at`.
    """
    sellers = None if seller_pks is None else sorted(set(seller_pks))
    if sellers is not None and not sellers:
        return
    last = 0
    while True:
        stmt = _listing_rows().where(Listing.id > last).order_by(Listing.id).limit(batch_size)
        if sellers is not None:
            stmt = stmt.where(Listing.seller_id.in_(sellers))
        rows = session.execute(stmt).mappings().all()
        for row in rows:
            yield row["id"], _to_record(row)
        if len(rows) < batch_size:
            return
        last = rows[-1]["id"]


def seller_listings(session: Session, seller_pk: int) -> list[tuple[int, record.Listing]]:
    """All listings of one seller as `(pk, Listing)`, in pk order."""
    stmt = _listing_rows().where(Listing.seller_id == seller_pk).order_by(Listing.id)
    return [(row["id"], _to_record(row)) for row in session.execute(stmt).mappings()]


def get_listing(session: Session, listing_pk: int) -> record.Listing | None:
    row = session.execute(_listing_rows().where(Listing.id == listing_pk)).mappings().first()
    return None if row is None else _to_record(row)


def listing_pk(session: Session, platform: str, listing_id: str) -> int | None:
    return session.scalar(
        select(Listing.id).where(Listing.platform == platform, Listing.listing_key == listing_id)
    )


def seller_pk(session: Session, platform: str, seller_id: str) -> int | None:
    return session.scalar(
        select(Seller.id).where(Seller.platform == platform, Seller.seller_key == seller_id)
    )


def price_history(session: Session, listing_pk: int) -> list[ListingObservation]:
    """A listing's observations, oldest first."""
    stmt = (
        select(ListingObservation)
        .where(ListingObservation.listing_id == listing_pk)
        .order_by(ListingObservation.observed_at, ListingObservation.id)
    )
    return list(session.scalars(stmt))


PeerKey = tuple[str | None, str | None]
"""(brand, category); None means "any" for that part."""


def peer_prices(
    session: Session, brand: str | None, category: str | None, *, since: datetime | None = None
) -> list[int]:
    """Stored prices of listings with the same brand (case-insensitive) and category."""
    return peer_prices_bulk(session, [(brand, category)], since=since).get((brand, category), [])


def peer_prices_bulk(
    session: Session, keys: Iterable[PeerKey], *, since: datetime | None = None
) -> dict[PeerKey, list[int]]:
    """Peer prices for many (brand, category) keys with one query per 500 brands.

    Brand matches case-insensitively; a None part matches anything, but a key with both
    parts None has no peers. Only listings with a price count; `since` keeps listings seen
    at or after that time.
    """
    wanted = {k for k in keys if k[0] is not None or k[1] is not None}
    result: dict[PeerKey, list[int]] = {k: [] for k in wanted}
    if not wanted:
        return result
    brand_expr = func.lower(Listing.brand)
    base = select(brand_expr, Listing.category, Listing.price).where(Listing.price.is_not(None))
    if since is not None:
        base = base.where(Listing.last_seen_at >= _aware(since, "since"))

    rows: set[tuple[int, str | None, str | None, int]] = set()
    brands = sorted({k[0].lower() for k in wanted if k[0] is not None})
    categories = sorted({k[1] for k in wanted if k[0] is None and k[1] is not None})
    for part in _plain_chunks(brands, 500):
        stmt = base.add_columns(Listing.id).where(brand_expr.in_(part))
        rows.update((pk, b, c, p) for b, c, p, pk in session.execute(stmt))
    for part in _plain_chunks(categories, 500):
        stmt = base.add_columns(Listing.id).where(Listing.category.in_(part))
        rows.update((pk, b, c, p) for b, c, p, pk in session.execute(stmt))

    by_brand: dict[str, list[tuple[str | None, int]]] = defaultdict(list)
    by_category: dict[str, list[int]] = defaultdict(list)
    for _pk, b, c, p in sorted(rows):
        if b is not None:
            by_brand[b].append((c, p))
        if c is not None:
            by_category[c].append(p)
    for brand, category in wanted:
        if brand is None:
            result[(brand, category)] = by_category.get(category or "", [])
        elif category is None:
            result[(brand, category)] = [p for _c, p in by_brand.get(brand.lower(), [])]
        else:
            result[(brand, category)] = [
                p for c, p in by_brand.get(brand.lower(), []) if c == category
            ]
    return result


# --------------------------------------------------------------------------- scores


class SellerAssessmentLike(Protocol):
    """What `save_seller_assessment` needs; `detectors.assess_seller`'s result fits."""

    @property
    def risk(self) -> float: ...
    @property
    def flagged(self) -> bool: ...
    @property
    def signals(self) -> Sequence[Any]: ...
    @property
    def flagged_listings(self) -> int: ...
    @property
    def total_listings(self) -> int: ...


def save_scores(
    session: Session,
    scan_run_id: int | None,
    rules_version: str,
    items: Sequence[tuple[int, record.ScoredListing]],
    *,
    scored_at: datetime | None = None,
) -> list[int]:
    """Store one score per listing (history), replace its current signals, and update the
    listing's latest risk / flagged / rules version. Returns the new `listing_scores` ids."""
    scored_at = _aware(scored_at or utcnow(), "scored_at")
    latest: dict[int, record.ScoredListing] = {}
    for pk, scored in items:
        latest[pk] = scored
    if not latest:
        return []
    pks = sorted(latest)
    score_rows = [
        {
            "listing_id": pk,
            "scan_run_id": scan_run_id,
            "rules_version": rules_version,
            "risk": latest[pk].risk,
            "flagged": latest[pk].flagged,
            "signals": [_signal_dict(s) for s in latest[pk].signals],
            "scored_at": scored_at,
        }
        for pk in pks
    ]
    score_ids = list(
        session.scalars(
            insert(ListingScore).returning(ListingScore.id, sort_by_parameter_order=True),
            score_rows,
        )
    )
    for part in _plain_chunks(pks, 1000):
        session.execute(
            delete(ListingSignal).where(ListingSignal.listing_id.in_(part)),
            execution_options={"synchronize_session": False},
        )
    signal_rows = [
        {"listing_id": pk, "listing_score_id": score_id, **_signal_dict(signal)}
        for pk, score_id in zip(pks, score_ids, strict=True)
        for signal in latest[pk].signals
    ]
    if signal_rows:
        session.execute(insert(ListingSignal), signal_rows)
    session.execute(
        update(Listing),
        [
            {
                "id": pk,
                "risk": latest[pk].risk,
                "flagged": latest[pk].flagged,
                "rules_version": rules_version,
                "scored_at": scored_at,
            }
            for pk in pks
        ],
    )
    session.flush()
    return score_ids


def save_seller_assessment(
    session: Session,
    seller_pk: int,
    rules_version: str,
    assessment: SellerAssessmentLike,
    *,
    scan_run_id: int | None = None,
    assessed_at: datetime | None = None,
) -> SellerAssessment:
    """Store a seller roll-up (history) and update the seller's latest risk / flagged."""
    assessed_at = _aware(assessed_at or utcnow(), "assessed_at")
    seller = session.get(Seller, seller_pk)
    if seller is None:
        raise LookupError(f"seller {seller_pk} does not exist")
    row = SellerAssessment(
        seller_id=seller_pk,
        scan_run_id=scan_run_id,
        rules_version=rules_version,
        risk=float(assessment.risk),
        flagged=bool(assessment.flagged),
        flagged_listings=int(assessment.flagged_listings),
        total_listings=int(assessment.total_listings),
        signals=[_signal_dict(s) for s in assessment.signals],
        assessed_at=assessed_at,
    )
    session.add(row)
    seller.risk = row.risk
    seller.flagged = row.flagged
    seller.rules_version = rules_version
    seller.assessed_at = assessed_at
    if row.flagged and seller.first_flagged_at is None:
        seller.first_flagged_at = assessed_at
    session.flush()
    return row


def latest_assessment(session: Session, seller_pk: int) -> SellerAssessment | None:
    stmt = (
        select(SellerAssessment)
        .where(SellerAssessment.seller_id == seller_pk)
        .order_by(SellerAssessment.assessed_at.desc(), SellerAssessment.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def flagged_listing_pks(
    session: Session, *, code: str | None = None, seller_pk: int | None = None
) -> list[int]:
    """Currently flagged listings, optionally only those carrying signal `code`."""
    stmt = select(Listing.id).where(Listing.flagged.is_(True)).order_by(Listing.id)
    if code is not None:
        stmt = stmt.where(
            select(ListingSignal.id)
            .where(ListingSignal.listing_id == Listing.id, ListingSignal.code == code)
            .exists()
        )
    if seller_pk is not None:
        stmt = stmt.where(Listing.seller_id == seller_pk)
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------- errors, evidence


def record_extraction_error(
    session: Session,
    scan_run_id: int | None,
    url: str,
    expected: str | None,
    message: str,
    *,
    body: bytes | str | None = None,
    body_sha256: str | None = None,
    at: datetime | None = None,
) -> ExtractionError:
    """Count and keep a response its extractor could not understand (DESIGN §4.2)."""
    excerpt: str | None = None
    if body is not None:
        raw = body.encode("utf-8") if isinstance(body, str) else body
        if body_sha256 is None:
            body_sha256 = hashlib.sha256(raw).hexdigest()
        text_body = body if isinstance(body, str) else body.decode("utf-8", errors="replace")
        excerpt = text_body[:BODY_EXCERPT_CHARS]
    row = ExtractionError(
        scan_run_id=scan_run_id,
        url=url,
        expected=expected,
        message=message,
        body_sha256=body_sha256,
        body_excerpt=excerpt,
        at=_aware(at or utcnow(), "at"),
    )
    session.add(row)
    session.flush()
    return row


def record_evidence(
    session: Session,
    *,
    kind: str,
    path: str,
    sha256: str,
    size: int,
    listing_id: int | None = None,
    scan_run_id: int | None = None,
    url: str | None = None,
    media_type: str | None = None,
    captured_at: datetime | None = None,
    captured_at_local: str | None = None,
    payload_sha256: str | None = None,
    record_type: str | None = None,
    http_status: int | None = None,
) -> Evidence:
    """Index a preserved artefact (the file itself lives at `path`)."""
    if kind not in EVIDENCE_KINDS:
        raise ValueError(
            f"unknown evidence kind {kind!r}; expected one of {', '.join(EVIDENCE_KINDS)}"
        )
    if record_type is not None and record_type not in EVIDENCE_RECORD_TYPES:
        raise ValueError(
            f"unknown evidence record type {record_type!r}; "
            f"expected one of {', '.join(EVIDENCE_RECORD_TYPES)}"
        )
    row = Evidence(
        kind=kind,
        path=path,
        sha256=sha256,
        size=size,
        listing_id=listing_id,
        scan_run_id=scan_run_id,
        url=url,
        media_type=media_type,
        captured_at=_aware(captured_at or utcnow(), "captured_at"),
        captured_at_local=captured_at_local,
        payload_sha256=payload_sha256,
        record_type=record_type,
        http_status=http_status,
    )
    session.add(row)
    session.flush()
    return row


def original_response(session: Session, payload_sha256: str) -> Evidence | None:
    """The earliest WARC `response` record holding this body (what a revisit refers to)."""
    stmt = (
        select(Evidence)
        .where(Evidence.payload_sha256 == payload_sha256, Evidence.record_type == "response")
        .order_by(Evidence.captured_at, Evidence.id)
        .limit(1)
    )
    return session.scalar(stmt)


def record_custody(
    session: Session,
    *,
    action: str,
    actor: str,
    case_id: int | None = None,
    evidence_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> EvidenceAccess:
    """Append one entry to the chain-of-custody log (capture, export, view, verify, purge)."""
    if action not in CUSTODY_ACTIONS:
        raise ValueError(
            f"unknown custody action {action!r}; expected one of {', '.join(CUSTODY_ACTIONS)}"
        )
    if not actor.strip():
        raise ValueError("a custody entry needs an actor (who did it)")
    row = EvidenceAccess(
        action=action,
        actor=actor,
        case_id=case_id,
        evidence_id=evidence_id,
        detail=dict(detail or {}),
        at=_aware(at or utcnow(), "at"),
    )
    session.add(row)
    session.flush()
    return row


# --------------------------------------------------------------------------- scan requests


def request_scan(
    session: Session,
    url: str,
    requested_by: str,
    *,
    platform: str | None = None,
    seller_key: str | None = None,
) -> ScanRequest:
    """Queue an on-demand seller scan for the worker."""
    row = ScanRequest(
        url=url,
        requested_by=requested_by,
        platform=platform,
        seller_key=seller_key,
        status="queued",
    )
    session.add(row)
    session.flush()
    return row


def claim_scan_request(
    session: Session, *, now: datetime | None = None, request_id: int | None = None
) -> ScanRequest | None:
    """Take the oldest queued request (or request `request_id`, if still queued) and mark it
    running; None when there is nothing to take.

    One ``UPDATE … WHERE id = (oldest queued) RETURNING id`` statement: on PostgreSQL the
    subquery uses ``FOR UPDATE SKIP LOCKED`` so several workers claim different requests
    without waiting on each other; on SQLite the statement is a write from the start, so
    concurrent workers serialise on the write lock.
    """
    now = _aware(now or utcnow(), "now")
    oldest = (
        select(ScanRequest.id)
        .where(ScanRequest.status == "queued")
        .order_by(ScanRequest.created_at, ScanRequest.id)
        .limit(1)
    )
    if request_id is not None:
        # `scan-seller --wait` takes its own request when no daemon worker did.
        oldest = oldest.where(ScanRequest.id == request_id)
    if session.get_bind().dialect.name == "postgresql":
        oldest = oldest.with_for_update(skip_locked=True)
    claimed_id = session.scalar(
        update(ScanRequest)
        .where(ScanRequest.id == oldest.scalar_subquery(), ScanRequest.status == "queued")
        .values(status="running", started_at=now)
        .returning(ScanRequest.id)
        .execution_options(synchronize_session=False)
    )
    if claimed_id is None:
        return None
    return session.get(ScanRequest, claimed_id, populate_existing=True)


def finish_scan_request(
    session: Session,
    request_id: int,
    status: str,
    *,
    scan_run_id: int | None = None,
    error: str | None = None,
    now: datetime | None = None,
) -> ScanRequest:
    if status not in SCAN_REQUEST_STATUSES or status in ("queued", "running"):
        raise ValueError(
            f"cannot finish a scan request as {status!r}; expected done, failed or refused"
        )
    row = session.get(ScanRequest, request_id)
    if row is None:
        raise LookupError(f"scan request {request_id} does not exist")
    row.status = status
    row.finished_at = _aware(now or utcnow(), "now")
    if scan_run_id is not None:
        row.scan_run_id = scan_run_id
    row.error = error
    session.flush()
    return row


# --------------------------------------------------------------------------- helpers


def _plain_chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what}: naive datetime {value!r}; give a timezone-aware datetime")
    return value


def _observed_at(item: record.Listing, now: datetime) -> datetime:
    if item.observed_at is None:
        return now
    return _aware(item.observed_at, f"observed_at of {item.platform}/{item.listing_id}")


def _signal_dict(signal: Any) -> dict[str, Any]:
    if isinstance(signal, Mapping):
        data = dict(signal)
    elif hasattr(signal, "model_dump"):
        data = signal.model_dump(mode="json")
    else:
        raise TypeError(f"not a signal: {signal!r}")
    return {
        "code": data["code"],
        "detector": data["detector"],
        "score": float(data["score"]),
        "detail": data["detail"],
        "detail_vi": data.get("detail_vi"),
    }


def _listing_rows() -> Select[*tuple[Any, ...]]:
    return select(
        Listing.id,
        Listing.platform,
        Listing.listing_key,
        Listing.url,
        Listing.title,
        Listing.description,
        Listing.brand,
        Listing.category,
        Listing.price,
        Listing.list_price,
        Listing.currency,
        Listing.gtin,
        Listing.origin,
        Listing.images,
        Listing.sold,
        Listing.rating,
        Listing.last_seen_at,
        Seller.seller_key,
        Seller.name.label("seller_name"),
        Seller.url.label("seller_url"),
        Seller.is_official,
        Seller.location,
        Seller.business_id,
        Seller.phone,
        Seller.address,
        Seller.created_at_platform,
    ).outerjoin(Seller, Listing.seller_id == Seller.id)


def _to_record(row: RowMapping) -> record.Listing:
    return record.Listing(
        platform=row["platform"],
        listing_id=row["listing_key"],
        url=row["url"],
        title=row["title"],
        description=row["description"],
        brand=row["brand"],
        category=row["category"],
        price=row["price"],
        list_price=row["list_price"],
        currency=row["currency"],
        gtin=row["gtin"],
        origin=row["origin"],
        images=list(row["images"] or []),
        sold=row["sold"],
        rating=row["rating"],
        seller=record.Seller(
            id=row["seller_key"],
            name=row["seller_name"],
            url=row["seller_url"],
            is_official=row["is_official"],
            location=row["location"],
            business_id=row["business_id"],
            phone=row["phone"],
            address=row["address"],
            created_at=row["created_at_platform"],
        ),
        observed_at=row["last_seen_at"],
    )
