"""The seller network on a case page (issue 16), as a context provider.

The case page's route lives in `review/web/routes.py`; rather than widen that route, the
template asks for the network itself through the Jinja global `seller_network(request, id)`
installed by `review.web.helpers.templates`. It reads with its own short session, so the
route's session and transaction are not touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import select

from review.networks.store import LinkView, MemberView, NetworkView, network_of_seller
from storage.models import OPEN_CASE_STATUSES, ReviewCase


@dataclass(frozen=True, slots=True)
class LinkedSeller:
    """Another seller of the network, the reasons that link it to this one (empty when it is
    linked only through others) and its current case, if it has one."""

    member: MemberView
    links: tuple[LinkView, ...]
    case_id: int | None


@dataclass(frozen=True, slots=True)
class NetworkPanel:
    network: NetworkView
    others: tuple[LinkedSeller, ...]


def seller_network(request: Request, seller_id: int) -> NetworkPanel | None:
    """The network of `seller_id` seen from that seller, or None when it is in none."""
    # `request.app.state.web` is helpers.WebState; not imported, as helpers installs this function.
    with request.app.state.web.db() as session:
        network = network_of_seller(session, seller_id)
        if network is None:
            return None
        ids = [m.seller_id for m in network.members]
        cases: dict[int, int] = {}
        # The open case when there is one, else the latest: the page an officer should open next.
        for case_id, sid, status in session.execute(
            select(ReviewCase.id, ReviewCase.seller_id, ReviewCase.status)
            .where(ReviewCase.seller_id.in_(ids))
            .order_by(ReviewCase.id)
        ):
            if sid not in cases or status in OPEN_CASE_STATUSES:
                cases[sid] = case_id
    direct = dict((m.seller_id, links) for m, links in network.links_of(seller_id))
    others = tuple(
        LinkedSeller(m, tuple(direct.get(m.seller_id, ())), cases.get(m.seller_id))
        for m in network.members
        if m.seller_id != seller_id
    )
    return NetworkPanel(network=network, others=others)
