"""Drafting and sending takedown requests: what the CLI and the web app call.

A confirmed case becomes one request per platform its listings are on (a seller lives on one
platform, but a request names exactly one addressee, so the grouping is kept explicit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.evidence.settings import EvidenceError, load_evidence_settings
from review.takedown.document import Documents, build_documents
from rules.evidence import TakedownSettings
from storage import repo
from storage.models import Listing, ReviewCase, TakedownRequest

#: Only a decided violation is sent to a platform: a confirmed case, or one referred on.
TAKEDOWN_CASE_STATUSES: Final = ("confirmed", "referred")


class TakedownError(repo.TakedownError):
    """Raised for a case or request a takedown cannot be made from (CLI exit 1, web flash)."""


@dataclass
class Drafted:
    request_id: int
    platform: str
    listings: int
    files: list[Path] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)


def takedown_settings(rules_dir: Path | None = None) -> TakedownSettings:
    try:
        return load_evidence_settings(rules_dir).takedown
    except EvidenceError as exc:
        raise TakedownError(str(exc)) from exc


def platform_name(platform: str) -> str:
    """How the platform is named to its operator (rules/platforms.yaml), e.g. "TikTok Shop"."""
    from rules.loader import RulesError, load_rules

    try:
        found = load_rules().platform(platform)
    except RulesError:
        return platform
    return platform if found is None else found.name


def draft_requests(
    session: Session, case_id: int, *, actor: str, settings: TakedownSettings,
    listing_ids: Sequence[str] | None = None,
) -> list[TakedownRequest]:
    """Drafted requests for case `case_id`: `listing_ids` or else the seller's flagged listings.

    An id is the platform's listing id (as the documents and `takedown list` show it) or,
    failing that, ours (the case page's ``listing-ID`` anchors)."""
    case = session.get(ReviewCase, case_id)
    if case is None:
        raise TakedownError(f"case {case_id} does not exist")
    if case.status not in TAKEDOWN_CASE_STATUSES:
        raise TakedownError(f"case {case_id} is {case.status}: only a confirmed (or referred) case is sent to a platform")
    stmt = select(Listing).where(Listing.seller_id == case.seller_id).order_by(Listing.id)
    if listing_ids is not None:
        own = list(session.scalars(stmt))
        by_key = {x.listing_key: x for x in own}
        by_pk = {str(x.id): x for x in own}
        wanted = [by_key.get(i.strip()) or by_pk.get(i.strip()) for i in listing_ids]
        missing = [i for i, found in zip(listing_ids, wanted, strict=True) if found is None]
        if missing:
            raise TakedownError(f"not listings of case {case_id}'s seller: {', '.join(missing)}")
        listings = list({x.id: x for x in wanted if x is not None}.values())
    else:
        listings = list(session.scalars(stmt.where(Listing.flagged.is_(True))))
    without_url = [x.id for x in listings if x.url is None]
    if without_url:
        raise TakedownError(f"listings without a URL cannot be named in a request: {without_url}")
    if not listings:
        raise TakedownError(f"case {case_id} has no flagged listing: name them with --listings")
    by_platform: dict[str, list[repo.ListingRef]] = {}
    for listing in listings:
        assert listing.url is not None
        by_platform.setdefault(listing.platform, []).append(
            repo.ListingRef(listing.id, listing.listing_key, listing.url))
    return [repo.create_takedown(session, case_id=case_id, platform=platform, listings=refs, actor=actor,
                                 authority=settings.model_dump())
            for platform, refs in sorted(by_platform.items())]


def documents(session: Session, request: TakedownRequest, *, pdf: bool = True) -> Documents:
    return build_documents(session, request, pdf=pdf, platform_name=platform_name(request.platform))


def create_takedowns(
    db_url: str, case_id: int, *, actor: str, out_dir: Path, listing_ids: Sequence[str] | None = None,
    pdf: bool = True, rules_dir: Path | None = None,
) -> list[Drafted]:
    """Draft the case's requests and write each one's HTML, PDF and CSV under `out_dir`/<id>/.

    The documents are rendered before the transaction commits, so a failed PDF leaves no
    request behind that has no document."""
    from storage.db import session_factory

    settings = takedown_settings(rules_dir)
    drafted: list[Drafted] = []
    with session_factory(db_url)() as session, session.begin():
        for request in draft_requests(session, case_id, actor=actor, settings=settings, listing_ids=listing_ids):
            docs = documents(session, request, pdf=pdf)
            drafted.append(Drafted(request.id, request.platform, len(request.listings),
                                   docs.write(out_dir / f"takedown-{request.id}"), docs.hashes()))
    return drafted


def send_takedown(
    db_url: str, request_id: int, *, actor: str, via: str, out_dir: Path | None = None, pdf: bool = True,
    rules_dir: Path | None = None,
) -> tuple[TakedownRequest, list[Path]]:
    """Record that the request went out; with `out_dir`, rewrite its documents with the deadline."""
    from storage.db import session_factory

    with session_factory(db_url)() as session, session.begin():
        request = repo.get_takedown(session, request_id)
        hours = int(request.authority.get("deadline_hours", takedown_settings(rules_dir).deadline_hours))
        request = repo.mark_sent(session, request_id, actor=actor, via=via, deadline_hours=hours)
        files = [] if out_dir is None else documents(session, request, pdf=pdf).write(out_dir / f"takedown-{request.id}")
        session.expunge(request)
    return request, files
