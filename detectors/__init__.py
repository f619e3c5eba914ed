"""Pure scoring code: listing records + a rule set in, signals and risks out.

No Scrapy, no database, no network. Imports nothing of ours but `rules` (and only for
types at import time, so `rules.loader` may import `detectors.textnorm` without a cycle).

The names below load on first use (PEP 562): the crawler and `rules.loader` import
`detectors.money` / `detectors.textnorm`, and importing this package must not drag every
detector (rapidfuzz, scikit-learn) in with them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from detectors._build import choose_build

# "compiled" when the mypyc build of the detectors is current, else "sources" (see `detectors._build`).
BUILD = choose_build()

# name -> the module that defines it
_LAZY: dict[str, str] = {
    "Listing": "rules.record",
    "ScoredListing": "rules.record",
    "Seller": "rules.record",
    "Signal": "rules.record",
    "ListingContext": "detectors.context",
    "build_context": "detectors.context",
    "PeerPrices": "detectors.price",
    "peer_prices_from": "detectors.price",
    "SellerAssessment": "detectors.seller",
    "assess_seller": "detectors.seller",
    "combine": "detectors.combine",
    "queue_priority": "detectors.combine",
    "listing_priority": "detectors.scoring",
    "score_listings": "detectors.scoring",
    "score_listings_with_contexts": "detectors.scoring",
}

if TYPE_CHECKING:
    from detectors.combine import combine, queue_priority
    from detectors.context import ListingContext, build_context
    from detectors.price import PeerPrices, peer_prices_from
    from detectors.scoring import listing_priority, score_listings, score_listings_with_contexts
    from detectors.seller import SellerAssessment, assess_seller
    from rules.record import Listing, ScoredListing, Seller, Signal


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'detectors' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_LAZY))


__all__ = [
    "Listing", "ListingContext", "PeerPrices", "ScoredListing", "Seller", "SellerAssessment", "Signal",
    "assess_seller", "build_context", "combine", "listing_priority", "peer_prices_from", "queue_priority",
    "score_listings", "score_listings_with_contexts",
]  # fmt: skip
