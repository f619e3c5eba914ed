"""Alerts told to officers, and each delivery of one through one channel (issue 17 item 1).

Who was told what, when, and with which result: `alerts` holds the message (plain text, as
sent) and its dedupe key; `alert_deliveries` one row per configured channel with its result,
attempts, last error and next retry. A channel is stored redacted (`channel`: scheme and host
only; `channel_key`: a hash that finds the configured URL again at retry time): Apprise URLs
carry passwords and bot tokens, which never reach the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.core import Base, utcnow

ALERT_KINDS: Final = ("flagged_seller", "scan_run", "takedown_deadline", "digest", "test")
#: dispatched: handed to the channels; suppressed: the same dedupe key inside the window;
#: no_channel: $LISTINGWATCH_ALERT_URLS was empty, nothing could be told.
ALERT_STATUSES: Final = ("dispatched", "suppressed", "no_channel")
#: sent; retrying: failed, tried again at next_retry_at; failed: gave up after max attempts.
DELIVERY_STATUSES: Final = ("sent", "retrying", "failed")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_in(ALERT_KINDS)})", name="kind"),
        CheckConstraint(f"status IN ({_in(ALERT_STATUSES)})", name="status"),
        Index("ix_alerts_dedupe_key_created_at", "dedupe_key", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(250))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: What raised it, for a look-up (the scan run, case or takedown request id).
    scan_run_id: Mapped[int | None] = mapped_column(ForeignKey("scan_runs.id", ondelete="SET NULL"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("review_cases.id", ondelete="SET NULL"))
    takedown_request_id: Mapped[int | None] = mapped_column(ForeignKey("takedown_requests.id", ondelete="SET NULL"))

    deliveries: Mapped[list[AlertDelivery]] = relationship(
        back_populates="alert", cascade="all, delete-orphan", order_by="AlertDelivery.id")


class AlertDelivery(Base):
    __tablename__ = "alert_deliveries"
    __table_args__ = (
        CheckConstraint(f"status IN ({_in(DELIVERY_STATUSES)})", name="status"),
        Index("ix_alert_deliveries_status_next_retry_at", "status", "next_retry_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    #: Redacted: "mailto://smtp.example.org", "tgram://#a1b2c3d4" — never a password or token.
    channel: Mapped[str] = mapped_column(String(200))
    #: The Apprise scheme ("mailto", "json", "tgram"): the label of the delivery metric.
    scheme: Mapped[str] = mapped_column(String(40))
    #: SHA-256 (hex, first 32) of the full URL: which configured URL to retry with.
    channel_key: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    last_attempt_at: Mapped[datetime | None]
    next_retry_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]

    alert: Mapped[Alert] = relationship(back_populates="deliveries")
