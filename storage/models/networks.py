"""Seller networks: sellers linked by shared identifiers, with explained links (issue 16)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.core import NETWORK_REASONS, Base, Seller, _in, utcnow


class SellerNetwork(Base):
    """Sellers run by the same people, found by shared identifiers (issue 16, seller networks).

    Recomputed as a whole after each scan and by `listingwatch networks rebuild`. `id` is the
    smallest member's seller id (not a sequence), so a network keeps its number across
    rebuilds as long as that seller stays in it. Only networks of two or more sellers are kept.
    """

    __tablename__ = "seller_networks"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(Integer)
    built_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[SellerNetworkMember]] = relationship(
        back_populates="network", cascade="all, delete-orphan", passive_deletes=True
    )
    links: Mapped[list[SellerNetworkLink]] = relationship(
        back_populates="network", cascade="all, delete-orphan", passive_deletes=True
    )


class SellerNetworkMember(Base):
    """A seller's network: at most one each (the primary key)."""

    __tablename__ = "seller_network_members"

    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"), primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("seller_networks.id", ondelete="CASCADE"), index=True
    )

    network: Mapped[SellerNetwork] = relationship(back_populates="members")
    seller: Mapped[Seller] = relationship()


class SellerNetworkLink(Base):
    """One reason two sellers of a network are linked; `evidence` is the shared value as
    normalized ("+84912345678") or, for weak reasons, what was compared. Crawled text: escape it."""

    __tablename__ = "seller_network_links"
    __table_args__ = (CheckConstraint(_in("reason", NETWORK_REASONS), name="reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("seller_networks.id", ondelete="CASCADE"), index=True
    )
    seller_a_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"), index=True)
    seller_b_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    strong: Mapped[bool] = mapped_column(Boolean)
    evidence: Mapped[str] = mapped_column(Text)

    network: Mapped[SellerNetwork] = relationship(back_populates="links")
