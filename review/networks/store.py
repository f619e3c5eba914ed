"""Seller networks in the database: rebuild them from the stored sellers, read them back.

A rebuild replaces every network at once (delete, then insert) inside the caller's
transaction: a network is a property of all sellers together, so there is no partial update
that would stay right when one seller changes. Functions flush but never commit.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from review.networks.identifiers import generic_name_words
from review.networks.linker import Network, SellerFacts, find_networks
from rules.loader import RuleSet, load_networks, load_rules
from rules.networks import NetworksFile
from storage.models import (
    Listing,
    Seller,
    SellerNetwork,
    SellerNetworkLink,
    SellerNetworkMember,
    utcnow,
)

log = logging.getLogger(__name__)

#: Listing texts kept per seller for the text reasons (the newest first): enough to see a shop's
#: catalogue copied, bounded so one shop of 50,000 listings does not fill memory.
TEXTS_PER_SELLER = 200


@dataclass(frozen=True, slots=True)
class RebuildResult:
    sellers: int
    networks: int
    networked_sellers: int
    links: int


def load_facts(session: Session) -> list[SellerFacts]:
    """Every stored seller with its profile identity and its listings' texts."""
    texts: dict[int, list[str]] = defaultdict(list)
    stmt = (
        select(Listing.seller_id, Listing.description, Listing.title)
        .where(Listing.seller_id.is_not(None))
        .order_by(Listing.seller_id, Listing.last_seen_at.desc(), Listing.id)
    )
    for seller_id, description, title in session.execute(stmt):
        if seller_id is not None and len(texts[seller_id]) < TEXTS_PER_SELLER:
            texts[seller_id].append(description if description is not None else title)
    return [
        SellerFacts(
            pk=s.id, platform=s.platform, seller_key=s.seller_key, name=s.name,
            business_id=s.business_id, phone=s.phone, address=s.address, texts=tuple(texts.get(s.id, ())),
        )
        for s in session.scalars(select(Seller).order_by(Seller.id))
    ]


def rebuild_networks(
    session: Session, networks: NetworksFile | None = None, rules: RuleSet | None = None
) -> RebuildResult:
    """Recompute every seller network from the stored sellers and replace the stored ones.

    `networks`: the linking rules (default: networks.yaml as `load_networks` finds it);
    `rules`: for the province names that are generic in shop names (default: `load_rules()`)."""
    networks = networks if networks is not None else load_networks()
    rules = rules if rules is not None else load_rules()
    provinces = [name for p in rules.provinces.provinces for name in (p.name, *p.aliases)]
    facts = load_facts(session)
    found = find_networks(facts, networks, generic_name_words(networks, provinces))
    _replace(session, found)
    return RebuildResult(
        sellers=len(facts),
        networks=len(found),
        networked_sellers=sum(len(n.members) for n in found),
        links=sum(len(n.links) for n in found),
    )


def rebuild_after_scan(session: Session) -> RebuildResult | None:
    """`rebuild_networks` for the end of a scan: a failure is logged, never fails the scan
    (its listings and cases are what matters; `listingwatch networks rebuild` can redo this)."""
    try:
        with session.begin_nested():
            return rebuild_networks(session)
    except Exception:
        log.exception("seller networks were not rebuilt after the scan")
        return None


def _replace(session: Session, found: Sequence[Network]) -> None:
    session.execute(delete(SellerNetworkLink))
    session.execute(delete(SellerNetworkMember))
    session.execute(delete(SellerNetwork))
    now = utcnow()
    session.add_all(SellerNetwork(id=n.id, size=len(n.members), built_at=now) for n in found)
    session.flush()
    session.add_all(SellerNetworkMember(seller_id=pk, network_id=n.id) for n in found for pk in n.members)
    session.add_all(
        SellerNetworkLink(
            network_id=n.id, seller_a_id=x.a, seller_b_id=x.b, reason=x.reason,
            strong=x.strength == "strong", evidence=x.evidence,
        )
        for n in found
        for x in n.links
    )
    session.flush()


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class MemberView:
    seller_id: int
    platform: str
    seller_key: str
    name: str | None
    url: str | None
    flagged: bool | None


@dataclass(frozen=True, slots=True)
class LinkView:
    a: int
    b: int
    reason: str
    strong: bool
    evidence: str


@dataclass(frozen=True, slots=True)
class NetworkView:
    id: int
    size: int
    built_at: datetime
    members: tuple[MemberView, ...]
    links: tuple[LinkView, ...]

    def links_of(self, seller_id: int) -> list[tuple[MemberView, list[LinkView]]]:
        """Each other member directly linked to `seller_id`, with the links' reasons."""
        by_other: dict[int, list[LinkView]] = defaultdict(list)
        for link in self.links:
            if seller_id in (link.a, link.b):
                by_other[link.b if link.a == seller_id else link.a].append(link)
        return [(m, by_other[m.seller_id]) for m in self.members if m.seller_id in by_other]


def membership(session: Session, seller_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """seller id -> (network id, network size), for the sellers that are in a network."""
    ids = list(seller_ids)
    if not ids:
        return {}
    stmt = (
        select(SellerNetworkMember.seller_id, SellerNetwork.id, SellerNetwork.size)
        .join(SellerNetwork, SellerNetworkMember.network_id == SellerNetwork.id)
        .where(SellerNetworkMember.seller_id.in_(ids))
    )
    return {sid: (nid, size) for sid, nid, size in session.execute(stmt)}


def network_views(session: Session, network_ids: Iterable[int] | None = None) -> list[NetworkView]:
    """Networks with their members and links, largest first (all of them when `network_ids` is None)."""
    stmt = select(SellerNetwork).order_by(SellerNetwork.size.desc(), SellerNetwork.id)
    if network_ids is not None:
        stmt = stmt.where(SellerNetwork.id.in_(list(network_ids)))
    rows = list(session.scalars(stmt))
    if not rows:
        return []
    ids = [n.id for n in rows]
    members: dict[int, list[MemberView]] = defaultdict(list)
    for nid, s in session.execute(
        select(SellerNetworkMember.network_id, Seller)
        .join(Seller, SellerNetworkMember.seller_id == Seller.id)
        .where(SellerNetworkMember.network_id.in_(ids))
        .order_by(Seller.platform, Seller.id)
    ).tuples():
        members[nid].append(MemberView(s.id, s.platform, s.seller_key, s.name, s.url, s.flagged))
    links: dict[int, list[LinkView]] = defaultdict(list)
    for x in session.scalars(
        select(SellerNetworkLink)
        .where(SellerNetworkLink.network_id.in_(ids))
        .order_by(SellerNetworkLink.seller_a_id, SellerNetworkLink.seller_b_id, SellerNetworkLink.reason)
    ):
        links[x.network_id].append(LinkView(x.seller_a_id, x.seller_b_id, x.reason, x.strong, x.evidence))
    return [
        NetworkView(n.id, n.size, n.built_at, tuple(members[n.id]), tuple(links[n.id])) for n in rows
    ]


def network_of_seller(session: Session, seller_id: int) -> NetworkView | None:
    found = membership(session, [seller_id]).get(seller_id)
    if found is None:
        return None
    views = network_views(session, [found[0]])
    return views[0] if views else None


def network_counts(session: Session, seller_ids: Iterable[int] | None = None) -> tuple[int, int]:
    """(networks, sellers in them); only networks that hold one of `seller_ids` when given."""
    stmt = select(SellerNetworkMember.network_id, func.count())
    if seller_ids is not None:
        ids = list(seller_ids)
        if not ids:
            return (0, 0)
        touched = select(SellerNetworkMember.network_id).where(SellerNetworkMember.seller_id.in_(ids))
        stmt = stmt.where(SellerNetworkMember.network_id.in_(touched))
    rows = session.execute(stmt.group_by(SellerNetworkMember.network_id)).all()
    return (len(rows), sum(int(n) for _, n in rows))
