"""Sellers, listings and observations: idempotent batched upserts and reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    func,
    select,
)
from sqlalchemy.orm import Session

from rules import record
from storage import bulk
from storage.models import (
    Listing,
    ListingObservation,
    Seller,
    utcnow,
)
from storage.repo._common import (
    ListingKey,
    SellerKey,
    _aware,
    _listing_rows,
    _observed_at,
    _plain_chunks,
    _to_record,
)


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
    """Insert or update sellers and listings, and add one observation per listing per run.

    Idempotent per listing: the same listing crawled again updates its row and adds an
    observation, never a second listing. Facts that a page may simply not show (description,
    GTIN, seller phone, ...) are not wiped by a later crawl that lacks them; price, list price
    and title are taken as observed.

    One scan run observes a listing once (`scan_run_id` given): copies of a listing, in this
    call or in earlier calls of the same run (a search page and a watched shop's page, two
    result pages, two processes of a shared crawl), merge into one observation and one
    listing row where the later copy's non-null values win and what it lacks stays (the
    shop page's seller profile, the search page's price). A listing given twice in one call
    counts once. Without a run every call adds its observation, as before. The SQL is in
    `storage.bulk` (driver-level: this runs for every batch a crawl stores, so it is written
    for speed: one statement per table per batch).
    """
    now = _aware(now or utcnow(), "now")
    by_key: dict[ListingKey, record.Listing] = {}
    observed_at: dict[ListingKey, datetime] = {}
    for item in listings:
        key = (item.platform, item.listing_id)
        seen_at = _observed_at(item, now)
        earlier = by_key.get(key)
        if earlier is None:
            by_key[key] = item
            observed_at[key] = seen_at
        else:
            by_key[key] = merge_copies(earlier, item)
            observed_at[key] = max(observed_at[key], seen_at)
    if not by_key:
        return UpsertResult()
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


def merge_copies(earlier: record.Listing, later: record.Listing) -> record.Listing:
    """Two copies of one listing seen by one crawl: the later copy's non-null values win and
    what it lacks comes from the earlier (no images: the earlier's). The seller merges the
    same way when both copies name the same shop, or the later names none; a later copy
    naming another shop moves the listing there, as a later crawl would."""
    values = {name: value for name, value in later if value is not None and name != "seller"}
    if not later.images:
        values.pop("images", None)
    seller = later.seller
    if seller.id is None or seller.id == earlier.seller.id:
        seller = earlier.seller.model_copy(update={
            name: value for name, value in seller if value is not None
        })
    return earlier.model_copy(update={**values, "seller": seller})


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
