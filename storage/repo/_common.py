"""Helpers and key types shared by the repository modules."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    Select,
    select,
)
from sqlalchemy.engine import RowMapping

from rules import record
from storage.models import (
    Listing,
    Seller,
)

_T = TypeVar("_T")

ListingKey = tuple[str, str]
"""(platform, listing_id) as the platform gives them."""
SellerKey = tuple[str, str]
"""(platform, seller id) as the platform gives them."""


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
    out = {
        "code": data["code"],
        "detector": data["detector"],
        "score": float(data["score"]),
        "detail": data["detail"],
        "detail_vi": data.get("detail_vi"),
    }
    if data.get("contribution") is not None:
        # Only a learned model's signals carry one (one model per batch, so a batch's rows
        # share their keys); hand-weighted history stays as it was stored before issue 13.
        out["contribution"] = float(data["contribution"])
    return out


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
