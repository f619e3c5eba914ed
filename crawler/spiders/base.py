"""What every listingwatch spider shares: modes, arguments, block handling, item shapes.

Arguments (``-a name=value`` or `crawler.run.CrawlSpec`): ``mode`` (``search`` |
``seller`` | ``refresh``), ``keywords`` (list, or one comma-separated string),
``seller`` (a seller id or shop URL), ``urls`` (list or comma-separated), ``base_url``
(the site root; the platform's public site when omitted), ``platform_label`` (defaults
to ``demo-<platform>`` when ``base_url`` is on 127.0.0.1), ``max_pages`` (per listing
branch).

Items are plain dicts: a listing is `Listing.to_json_dict()`; an extraction error is
``{"extraction_error": {"url", "expected", "message"}}``. Stats: ``crawler/listings``,
``crawler/extraction_errors``, ``blocks/<kind>``, ``crawler/request_errors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.blocks import BlockKind, detect_block, detect_removed
from crawler.extractors import ExtractionError
from crawler.extractors._items import item_errors
from crawler.settings import LOCAL_HOSTS
from detectors.vntime import VIETNAM_TZ
from rules.record import Listing

if TYPE_CHECKING:
    from crawler.distributed import SeenListings

MODES = ("search", "seller", "refresh")


def as_list(value: object) -> list[str]:
    """A spider argument that may be a list or one comma-separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip() != ""]
    if isinstance(value, Iterable):
        return [str(part).strip() for part in value if str(part).strip() != ""]
    raise ValueError(f"expected a list or a comma-separated string, got {value!r}")


def is_local(url: str) -> bool:
    return urlsplit(url).hostname in LOCAL_HOSTS


class ListingSpider(scrapy.Spider):
    """Base class: parse arguments, check for blocks, emit items."""

    #: The real platform whose extractor this spider uses (``tiki``, ``shopee``, ``web``).
    platform: ClassVar[str] = ""
    #: The public site, used when no ``base_url`` is given.
    default_base_url: ClassVar[str] = ""
    #: These statuses reach the callbacks, which tell blocks from missing pages.
    handle_httpstatus_list: ClassVar[list[int]] = [401, 403, 404, 410, 429, 503]

    def __init__(
        self,
        mode: str = "search",
        keywords: object = None,
        seller: str | None = None,
        urls: object = None,
        base_url: str | None = None,
        platform_label: str | None = None,
        max_pages: int | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode
        self.keywords = as_list(keywords)
        self.seller = None if seller is None or str(seller).strip() == "" else str(seller).strip()
        self.urls = as_list(urls)
        base = base_url or self.default_base_url
        if base == "":
            raise ValueError(f"spider {self.name} needs base_url")
        self.base_url = base.rstrip("/")
        self.platform_label = platform_label or (
            f"demo-{self.platform}" if is_local(self.base_url) else self.platform
        )
        self.max_pages = int(max_pages) if max_pages is not None else 50
        self._seen_listings: SeenListings | None = None
        if mode == "search" and not self.keywords:
            raise ValueError("search mode needs keywords")
        if mode == "seller" and self.seller is None:
            raise ValueError("seller mode needs seller (an id or a shop URL)")
        if mode == "refresh" and not self.urls:
            raise ValueError("refresh mode needs urls")

    # -- stats and logging ------------------------------------------------------------

    def inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)

    def blocked(
        self, response: Response, *, expect_items: bool = False, body: bytes | None = None
    ) -> BlockKind | None:
        """Count and log a block; the caller stops following this branch when it returns a kind."""
        kind = detect_block(
            self.platform,
            response.status,
            response.headers,
            response.body if body is None else body,
            url=response.url,
            expect_items=expect_items,
        )
        if kind is not None:
            self.record_block(kind, response.url, response.status)
        return kind

    def record_block(self, kind: BlockKind, url: str, status: int) -> None:
        self.inc(f"blocks/{kind.value}")
        self.logger.warning("block detected kind=%s status=%s url=%s", kind.value, status, url)

    def on_error(self, failure: Failure) -> Iterator[Any]:
        """Errback: a request that failed for network reasons (already retried)."""
        self.inc("crawler/request_errors")
        request = getattr(failure, "request", None)
        self.logger.error("request failed url=%s error=%s", getattr(request, "url", "?"), failure.getErrorMessage())
        return iter(())

    # -- items -----------------------------------------------------------------------

    def emit(self, listings: Iterable[Listing]) -> Iterator[dict[str, Any]]:
        """Relabel (``demo-*``), stamp ``observed_at`` and yield listings as plain dicts."""
        now = datetime.now(VIETNAM_TZ).replace(microsecond=0)
        for listing in listings:
            update: dict[str, Any] = {"platform": self.platform_label}
            if listing.observed_at is None:
                update["observed_at"] = now
            self.inc("crawler/listings")
            yield listing.model_copy(update=update).to_json_dict()

    def fresh(self, listings: Iterable[Listing]) -> list[Listing]:
        """The listings this crawl has not emitted yet, in any of its processes.

        For spiders whose pages overlap (one listing on the result pages of two keywords):
        one crawl emits each listing once, whether one process or several share it
        (`crawler.distributed.SeenListings`)."""
        if self._seen_listings is None:
            from crawler.distributed import SeenListings

            self._seen_listings = SeenListings.for_settings(self.crawler.settings)
        batch = list(listings)
        first = self._seen_listings.first_seen([listing.listing_id for listing in batch])
        return [listing for listing, new in zip(batch, first, strict=True) if new]

    def error_item(self, exc: ExtractionError) -> dict[str, Any]:
        self.inc("crawler/extraction_errors")
        self.logger.warning("extraction error url=%s expected=%s: %s", exc.url, exc.expected, exc.message)
        return exc.to_item()

    def unreadable_items(self, listings: list[Listing]) -> Iterator[dict[str, Any]]:
        """An error item for each item the extractor could not read on an otherwise good page
        (counted and logged like any extraction error; the page's other listings still count)."""
        for exc in item_errors(listings):
            yield self.error_item(exc)

    def not_found(self, response: Response, body: bytes | str | None = None) -> bool:
        """A missing page: HTTP 404/410 or the platform's removed-product page (counted as
        ``crawler/not_found``, which takedown removal checks read). Call after `blocked`."""
        if detect_removed(self.platform, response.status, response.body if body is None else body):
            self.inc("crawler/not_found")
            self.logger.info("not found url=%s status=%s", response.url, response.status)
            return True
        return False
