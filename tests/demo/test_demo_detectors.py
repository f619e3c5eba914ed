"""The detectors on the demo catalog: its honest shops and official stores are never flagged,
and every counterfeit shop is. The registry grows by whole themes at a time; a new brand or
alias that matches an honest shop's ordinary words ("bình sữa nhựa" read as a near miss of a
"bình sữa NUK" alias) shows here before it reaches an analyst's queue."""

from __future__ import annotations

from collections import defaultdict

from demo.catalog import Catalog
from detectors.scoring import score_listings
from pipeline.normalize import normalize_raw, to_listing
from rules.loader import load_rules


def test_only_counterfeit_shops_are_flagged(catalog: Catalog) -> None:
    records = []
    for x in catalog.listings:
        seller = catalog.seller(x.platform, x.seller_id)
        records.append((seller, {
            "platform": x.platform, "listing_id": x.listing_id, "title": x.title, "description": x.description,
            "price": x.price, "brand": x.brand, "category": " > ".join(x.category), "gtin": x.gtin,
            "origin": x.origin, "seller": {"id": seller.seller_id, "name": seller.name, "is_official": seller.is_official},
        }))
    scored = score_listings([to_listing(normalize_raw(rec)) for _, rec in records], load_rules())
    flagged_by_seller: dict[tuple[str, str], int] = defaultdict(int)
    wrongly = []
    for (seller, rec), result in zip(records, scored, strict=True):
        if result.flagged:
            flagged_by_seller[(seller.platform, seller.seller_id)] += 1
            if seller.role != "counterfeit":
                wrongly.append(f"{seller.role} {seller.name}: {rec['title']} ({[s.code for s in result.signals]})")
    assert wrongly == []
    missed = [s.name for s in catalog.sellers if s.role == "counterfeit"
              and flagged_by_seller[(s.platform, s.seller_id)] == 0]
    assert missed == []
