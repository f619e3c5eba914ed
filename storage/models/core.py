"""The core tables (DESIGN §4.5): scans, sellers, listings, scores, evidence, review.

Conventions:
- Every timestamp is timezone-aware UTC (`UTCDateTime`), also on SQLite.
- Platform ids are kept as given (`seller_key`, `listing_key`); our own integer `id`s are
  the primary keys everything else points at.
- `listings` and `sellers` carry the *latest* detector output (risk, flagged, rules
  version) for fast queries; the history lives in `listing_scores` / `seller_assessments`.
- The detector's output and the reviewer's decision stay apart: `review_cases` and
  `case_events` are written by people (and the queue), never by the detectors.
- Enumerations are short strings guarded by CHECK constraints (no native PG enums, so
  adding a value is a one-line migration on both databases).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION: Final[dict[str, str]] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SCAN_KINDS: Final = ("nightly", "seller", "demo", "manual")
SCAN_STATUSES: Final = ("running", "ok", "partial", "failed")
SCAN_REQUEST_STATUSES: Final = ("queued", "running", "done", "failed", "refused")
EVIDENCE_KINDS: Final = ("raw", "warc", "screenshot")
#: How a stored file relates to its capture: a WARC `response` record with the body, a WARC
#: `revisit` record (identical body already stored once, headers only) or a screenshot `image`.
EVIDENCE_RECORD_TYPES: Final = ("response", "revisit", "image")
#: What the chain-of-custody log records about evidence (who, when, which case).
CUSTODY_ACTIONS: Final = ("capture", "export", "view", "verify", "purge")
CASE_STATUSES: Final = ("open", "in_review", "confirmed", "dismissed", "referred")
OPEN_CASE_STATUSES: Final = ("open", "in_review")
CASE_EVENT_KINDS: Final = ("opened", "rescored", "assigned", "status", "note", "takedown", "reappeared")
#: A takedown request's life (issue 16): drafted, sent to the platform, then checked after the
#: deadline: every listing gone (verified_removed), some still there (still_online before the
#: deadline, escalated after it).
TAKEDOWN_STATUSES: Final = ("drafted", "sent", "verified_removed", "still_online", "escalated")
#: One listing's state in a removal check; `unreachable` (blocked, error) never counts as removed.
TAKEDOWN_LISTING_STATUSES: Final = ("pending", "removed", "still_online", "unreachable")
USER_ROLES: Final = ("analyst", "inspector", "admin")
#: Why two sellers are linked into one network (review/networks/linker.py says which are strong).
NETWORK_REASONS: Final = (
    "business_id", "phone", "email", "address", "bank_account", "zalo", "shop_name", "listing_text",
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """`DateTime(timezone=True)` that always gives back aware UTC datetimes.

    PostgreSQL keeps `timestamptz`; SQLite has no time zones, so values are stored as naive
    UTC and made aware again on the way out. Naive datetimes are refused on the way in:
    guessing their zone is how audit trails end up seven hours off.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone-aware datetime")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


#: JSON everywhere, JSONB on PostgreSQL.
JSONType = JSON().with_variant(JSONB(), "postgresql")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType, list[Any]: JSONType}


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", USER_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScanRun(Base):
    """One crawl: nightly, an on-demand seller scan, the demo, or a manual run.

    `counts` holds requests, pages, listings_seen, listings_new, listings_changed, flagged,
    sellers_queued, errors (by kind) and blocks (by kind).
    """

    __tablename__ = "scan_runs"
    __table_args__ = (
        CheckConstraint(_in("kind", SCAN_KINDS), name="kind"),
        CheckConstraint(_in("status", SCAN_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    platform: Mapped[str | None] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running", index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ScanRequest(Base):
    """An inspector's request for an on-demand scan of one seller; the worker picks it up."""

    __tablename__ = "scan_requests"
    __table_args__ = (
        CheckConstraint(_in("status", SCAN_REQUEST_STATUSES), name="status"),
        Index("ix_scan_requests_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    platform: Mapped[str | None] = mapped_column(String(40))
    seller_key: Mapped[str | None] = mapped_column(String(200))
    requested_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    scan_run_id: Mapped[int | None] = mapped_column(ForeignKey("scan_runs.id", ondelete="SET NULL"))
    error: Mapped[str | None] = mapped_column(Text)

    scan_run: Mapped[ScanRun | None] = relationship()


class Seller(Base):
    __tablename__ = "sellers"
    __table_args__ = (UniqueConstraint("platform", "seller_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(40))
    seller_key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    is_official: Mapped[bool | None] = mapped_column(Boolean)
    location: Mapped[str | None] = mapped_column(String(200))
    business_id: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(Text)
    created_at_platform: Mapped[datetime | None]
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Latest seller assessment, denormalized for the queue and exports.
    risk: Mapped[float | None] = mapped_column(Float)
    flagged: Mapped[bool | None] = mapped_column(Boolean, index=True)
    rules_version: Mapped[str | None] = mapped_column(String(64))
    assessed_at: Mapped[datetime | None]
    first_flagged_at: Mapped[datetime | None]

    listings: Mapped[list[Listing]] = relationship(back_populates="seller")


class Listing(Base):
    __tablename__ = "listings"
    __table_args__ = (
        UniqueConstraint("platform", "listing_key"),
        Index("ix_listings_brand_category", "brand", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(40))
    listing_key: Mapped[str] = mapped_column(String(200))
    seller_id: Mapped[int | None] = mapped_column(
        ForeignKey("sellers.id", ondelete="SET NULL"), index=True
    )
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    brand: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(Text)
    price: Mapped[int | None] = mapped_column(BigInteger)
    list_price: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="VND")
    gtin: Mapped[str | None] = mapped_column(String(20), index=True)
    origin: Mapped[str | None] = mapped_column(String(200))
    images: Mapped[list[Any]] = mapped_column(default=list)
    sold: Mapped[int | None] = mapped_column(BigInteger)
    rating: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_scan_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("scan_runs.id", ondelete="SET NULL")
    )
    # Latest score, denormalized for fast queries.
    risk: Mapped[float | None] = mapped_column(Float)
    flagged: Mapped[bool | None] = mapped_column(Boolean, index=True)
    rules_version: Mapped[str | None] = mapped_column(String(64))
    model_version: Mapped[str | None] = mapped_column(String(64))  # None: the hand weights
    scored_at: Mapped[datetime | None]

    seller: Mapped[Seller | None] = relationship(back_populates="listings")


class ListingObservation(Base):
    """One crawl of one listing: the price / sold / rating history.

    One per listing per scan run: a run that meets a listing twice (on a search page and on a
    watched shop's page, on two result pages, in two processes of a shared crawl) merges the
    copies into one observation (`storage.bulk.OBSERVATIONS`). Observations without a run
    (crawls outside a scan, or whose run was deleted) are not limited.
    """

    __tablename__ = "listing_observations"
    __table_args__ = (
        Index("ix_listing_observations_listing_id_observed_at", "listing_id", "observed_at"),
        Index(
            "uq_listing_observations_listing_id_scan_run_id",
            "listing_id",
            "scan_run_id",
            unique=True,
            sqlite_where=text("scan_run_id IS NOT NULL"),
            postgresql_where=text("scan_run_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    scan_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("scan_runs.id", ondelete="SET NULL"), index=True
    )
    observed_at: Mapped[datetime]
    price: Mapped[int | None] = mapped_column(BigInteger)
    list_price: Mapped[int | None] = mapped_column(BigInteger)
    sold: Mapped[int | None] = mapped_column(BigInteger)
    rating: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str | None] = mapped_column(Text)


class ListingScore(Base):
    """One detector run over one listing (history; `signals` is a list of Signal dicts)."""

    __tablename__ = "listing_scores"
    __table_args__ = (Index("ix_listing_scores_listing_id_scored_at", "listing_id", "scored_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    scan_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("scan_runs.id", ondelete="SET NULL"), index=True
    )
    rules_version: Mapped[str] = mapped_column(String(64))
    model_version: Mapped[str | None] = mapped_column(String(64))  # the learned model, None: hand weights
    risk: Mapped[float] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(Boolean)
    signals: Mapped[list[Any]] = mapped_column(default=list)
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)


class ListingSignal(Base):
    """The *current* signals of a listing, one row each (replaced on every rescoring).

    Makes "flagged listings by signal" a join instead of a JSON scan; the history stays
    in `listing_scores.signals`.
    """

    __tablename__ = "listing_signals"
    __table_args__ = (Index("ix_listing_signals_code_listing_id", "code", "listing_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    listing_score_id: Mapped[int] = mapped_column(
        ForeignKey("listing_scores.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(100))
    detector: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    detail: Mapped[str] = mapped_column(Text)
    detail_vi: Mapped[str | None] = mapped_column(Text)
    contribution: Mapped[float | None] = mapped_column(Float)  # learned model's share of the risk


class SellerAssessment(Base):
    """One roll-up of a seller's listings by the seller detector (history)."""

    __tablename__ = "seller_assessments"
    __table_args__ = (
        Index("ix_seller_assessments_seller_id_assessed_at", "seller_id", "assessed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"))
    scan_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("scan_runs.id", ondelete="SET NULL"), index=True
    )
    rules_version: Mapped[str] = mapped_column(String(64))
    risk: Mapped[float] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(Boolean)
    flagged_listings: Mapped[int] = mapped_column(Integer)
    total_listings: Mapped[int] = mapped_column(Integer)
    signals: Mapped[list[Any]] = mapped_column(default=list)
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Evidence(Base):
    """A preserved artefact: raw response, WARC record or screenshot, with its hash."""

    __tablename__ = "evidence"
    __table_args__ = (CheckConstraint(_in("kind", EVIDENCE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int | None] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    scan_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("scan_runs.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    url: Mapped[str | None] = mapped_column(Text)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str | None] = mapped_column(String(100))
    captured_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Added by migration 0002 (issue #7, evidence for enforcement).
    #: The same instant as `captured_at`, as officers read it (Asia/Ho_Chi_Minh, ISO 8601).
    captured_at_local: Mapped[str | None] = mapped_column(String(40))
    #: SHA-256 (hex) of the HTTP body a WARC record holds or points at; dedup key.
    payload_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    record_type: Mapped[str | None] = mapped_column(String(20))
    http_status: Mapped[int | None] = mapped_column(Integer)


class EvidenceAccess(Base):
    """Chain of custody: every capture, export, view, verification and purge of evidence.

    Rows are only ever added. `case_id` / `evidence_id` become NULL if the case or file is
    deleted, so the log outlives what it describes.
    """

    __tablename__ = "evidence_access"
    __table_args__ = (
        CheckConstraint(_in("action", CUSTODY_ACTIONS), name="action"),
        Index("ix_evidence_access_case_id_at", "case_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_cases.id", ondelete="SET NULL")
    )
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ExtractionError(Base):
    """A response that was not what its extractor expected (counted and kept, not dropped)."""

    __tablename__ = "extraction_errors"

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("scan_runs.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(Text)
    expected: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    body_sha256: Mapped[str | None] = mapped_column(String(64))
    #: The first few KB of the body, enough to see what came back (login wall, ban page, ...).
    body_excerpt: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewCase(Base):
    """A seller queued for human review. At most one open (open / in_review) case per seller.

    `risk` follows the detectors while the case is open and is frozen when it closes, so a
    dismissed case remembers the risk it was dismissed at.
    """

    __tablename__ = "review_cases"
    __table_args__ = (
        CheckConstraint(_in("status", CASE_STATUSES), name="status"),
        Index(
            "uq_review_cases_one_open_per_seller",
            "seller_id",
            unique=True,
            sqlite_where=text(_in("status", OPEN_CASE_STATUSES)),
            postgresql_where=text(_in("status", OPEN_CASE_STATUSES)),
        ),
        Index("ix_review_cases_status_priority", "status", "priority"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    risk: Mapped[float] = mapped_column(Float)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    first_flagged_at: Mapped[datetime]
    last_scanned_at: Mapped[datetime]
    decision_note: Mapped[str | None] = mapped_column(Text)

    seller: Mapped[Seller] = relationship()
    assignee: Mapped[User | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case",
        order_by="(CaseEvent.at, CaseEvent.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class CaseEvent(Base):
    """The audit trail of a case: who did what, when (actor is a user name or "system")."""

    __tablename__ = "case_events"
    __table_args__ = (CheckConstraint(_in("kind", CASE_EVENT_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("review_cases.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    case: Mapped[ReviewCase] = relationship(back_populates="events")


class WebSession(Base):
    """One web log-in, kept on the server so that it can be ended (issue 14 item 7).

    The signed cookie carries only a random token; this row is keyed by the token's
    SHA-256, so the table alone does not let anyone take over a session. Logging out
    deletes the row; a password change or deactivation deletes all of the user's rows.
    """

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
