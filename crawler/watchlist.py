"""Crawl specs from the watchlist: what one scheduled scan of a platform crawls.

A search per platform (its keywords, brand names and category keywords) and a seller crawl
per known seller; the scheduler's nightly jobs and `listingwatch scan` run them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from crawler import platforms as registry
from crawler.run import CrawlSpec

if TYPE_CHECKING:
    from rules.loader import RuleSet, WatchEntry


def search_terms(entry: WatchEntry, rules: RuleSet) -> list[str]:
    """What a watchlist entry asks to search for: keywords, brand names, category keywords."""
    terms = list(entry.keywords) + list(entry.brands)
    for key in entry.categories:
        category = rules.categories.categories.get(key)
        if category is not None and category.keywords:
            terms.append(category.keywords[0])
    unique: dict[str, str] = {}
    for term in terms:
        unique.setdefault(term.casefold(), term)
    return list(unique.values())


def watchlist_specs(
    rules: RuleSet, *, platforms: Sequence[str] | None = None, demo_base_url: str | None = None,
    base_url: str | None = None,
) -> list[CrawlSpec]:
    """Crawl specs for one scan from the watchlist: a search per platform, a crawl per known seller."""
    specs: list[CrawlSpec] = []
    for platform, entry in rules.watchlist.platforms.items():
        if platforms is not None and platform not in platforms:
            continue
        if platforms is None and not entry.enabled:
            continue
        root = base_url
        demo_path = registry.demo_paths().get(platform)
        if root is None and demo_path is not None and demo_base_url is not None:
            root = demo_base_url + demo_path
        terms = search_terms(entry, rules)
        if terms:
            specs.append(
                CrawlSpec(platform=platform, mode="search", keywords=terms, base_url=root,
                          max_requests=entry.request_budget)
            )
        specs.extend(
            CrawlSpec(platform=platform, mode="seller", seller=seller, base_url=root,
                      max_requests=entry.request_budget)
            for seller in entry.sellers
        )
    return specs
