"""Takedown requests to platforms and each listing's removal check (issue 16)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.core import TAKEDOWN_LISTING_STATUSES, TAKEDOWN_STATUSES, Base, _in, utcnow


class TakedownRequest(Base):
    """A request to one platform to remove a confirmed case's listings (issue 16).

    Decree 85/2021/NĐ-CP (amending Decree 52/2013/NĐ-CP, Art. 36-37) gives the platform 24 h
    from a competent authority's request: `deadline` is `sent_at` + 24 h. Every change is also
    a `takedown` case event, so the case's audit trail tells the whole story.
    """

    __tablename__ = "takedown_requests"
    __table_args__ = (
        CheckConstraint(_in("status", TAKEDOWN_STATUSES), name="status"),
        Index("ix_takedown_requests_status_deadline", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="drafted")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    #: The authority named in the document, as it was when drafted (settings change later).
    authority: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sent_at: Mapped[datetime | None]
    sent_by: Mapped[str | None] = mapped_column(String(100))
    sent_via: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[datetime | None]
    last_checked_at: Mapped[datetime | None]

    listings: Mapped[list[TakedownListing]] = relationship(
        back_populates="request", order_by="TakedownListing.id",
        cascade="all, delete-orphan", passive_deletes=True,
    )


class TakedownListing(Base):
    """One listing named in a takedown request, with the outcome of its latest removal check."""

    __tablename__ = "takedown_listings"
    __table_args__ = (
        CheckConstraint(_in("status", TAKEDOWN_LISTING_STATUSES), name="status"),
        UniqueConstraint("request_id", "listing_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("takedown_requests.id", ondelete="CASCADE"))
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id", ondelete="SET NULL"), index=True)
    # The platform's id and URL as sent: the request must still say what it asked for if the
    # listing row goes.
    listing_key: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    checked_at: Mapped[datetime | None]
    detail: Mapped[str | None] = mapped_column(Text)
    #: A fresh capture taken when the listing was found still online.
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))

    request: Mapped[TakedownRequest] = relationship(back_populates="listings")
